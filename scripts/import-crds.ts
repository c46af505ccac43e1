/**
 * Regenerates `lib/imports/` from the CRD copies under `schemas/crds/` with
 * `cdk8s import` (offline: every input is a local file; no upgrade check).
 *
 *   npm run import
 *
 * - One TypeScript module per API group / family (table below). cdk8s import writes one
 *   file per API group, so a module never spans two groups.
 * - Only the storage version of each CRD is imported (older served versions would double
 *   the generated code). The CRD files stay untouched: trimmed copies go to a temporary
 *   folder that is removed afterwards.
 * - A few deep, rarely authored subtrees are imported untyped (`any`): see `prune` below.
 *   The manifest validator (test/support/validate.ts) still checks them against the full CRD.
 * - The raw output is type-checked here (strict + the project's extra checks), then each file
 *   gets a `// @ts-nocheck` header so the project's `tsc` does not re-check ~1,700 generated
 *   function bodies on every run; the exported types are unaffected.
 * - The output depends only on the CRD files and the pinned cdk8s-cli: runs are reproducible.
 *   A missing CRD file, a prune path that matches nothing or a failed import stops the script.
 *
 * Module (lib/imports/<module>.ts)  <- CRD files (schemas/crds/...)         main classes
 * --------------------------------------------------------------------------------------------------
 * argoproj.io-argocd                <- argo-cd/application-crd.yaml          Application
 *                                      argo-cd/applicationset-crd.yaml       ApplicationSet
 *                                      argo-cd/appproject-crd.yaml           AppProject
 * argoproj.io-rollouts              <- argo-rollouts/rollout-crd.yaml        Rollout
 *                                      argo-rollouts/analysis-template-crd.yaml          AnalysisTemplate
 *                                      argo-rollouts/cluster-analysis-template-crd.yaml  ClusterAnalysisTemplate
 * argocd-image-updater              <- argocd-image-updater/..._imageupdaters.yaml        ImageUpdater
 * flux-source                       <- flux/source.toolkit.fluxcd.io_*.yaml  GitRepository, HelmRepository,
 *                                                                            HelmChart, OciRepository, Bucket,
 *                                                                            ExternalArtifact
 * flux-kustomize                    <- flux/kustomize.toolkit.fluxcd.io_kustomizations.yaml  Kustomization
 * flux-helm                         <- flux/helm.toolkit.fluxcd.io_helmreleases.yaml         HelmRelease
 * flux-notification                 <- flux/notification.toolkit.fluxcd.io_*.yaml  Provider, Alert, Receiver
 * flux-image                        <- flux/image.toolkit.fluxcd.io_*.yaml   ImageRepository, ImagePolicy,
 *                                                                            ImageUpdateAutomation
 * monitoring.coreos.com             <- prometheus-operator/ prometheusrules, servicemonitors, podmonitors,
 *                                      probes, alertmanagerconfigs           PrometheusRule, ServiceMonitor,
 *                                                                            PodMonitor, Probe, AlertmanagerConfig
 * gatekeeper-templates              <- gatekeeper/constrainttemplate-customresourcedefinition.yaml  ConstraintTemplate
 * gatekeeper-config                 <- gatekeeper/config-customresourcedefinition.yaml              Config
 * external-secrets.io               <- external-secrets/ secretstores, clustersecretstores, externalsecrets,
 *                                      clusterexternalsecrets                SecretStore, ClusterSecretStore,
 *                                                                            ExternalSecret, ClusterExternalSecret
 * sealed-secrets                    <- sealed-secrets/bitnami.com_sealedsecrets.yaml  SealedSecret
 * jenkins.io                        <- jenkins-x/ environments, sourcerepositories, releases,
 *                                      pipelineactivities                    Environment, SourceRepository,
 *                                                                            Release, PipelineActivity
 * tekton.dev                        <- tekton/300-pipeline, 300-pipelinerun, 300-task  Pipeline, PipelineRun, Task
 * lighthouse                        <- lighthouse/lighthouse.jenkins.io_lighthousebreakpoints.yaml  LighthouseBreakpoint
 * istio-virtualservice              <- istio/networking.istio.io_virtualservices.yaml   VirtualService
 * istio-destinationrule             <- istio/networking.istio.io_destinationrules.yaml  DestinationRule
 * istio-gateway                     <- istio/networking.istio.io_gateways.yaml          Gateway
 * velero.io                         <- velero/velero.io_schedules.yaml, _backups.yaml,  Schedule, Backup, Restore,
 *                                      _restores.yaml, _backupstoragelocations.yaml,   BackupStorageLocation,
 *                                      _volumesnapshotlocations.yaml                   VolumeSnapshotLocation
 *
 * Not imported (present under schemas/crds/ for validation only): Prometheus, Alertmanager,
 * PrometheusAgent, ScrapeConfig, ThanosRuler (600-800 KB each, not emitted by the library),
 * AnalysisRun, Experiment, PushSecret, ClusterPushSecret, TaskRun, LighthouseJob (runtime objects),
 * cert-manager's ClusterIssuer (written as plain YAML by lib/flux/cluster-issuer.ts).
 * Core Kubernetes types are not imported here: `cdk8s import k8s` needs the network, and
 * cdk8s-plus-27 already exports its generated k8s module.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync, copyFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseAllDocuments } from 'yaml';

interface ImportModule {
  /** Module name: the generated file is `lib/imports/<name>.ts`. */
  readonly name: string;
  /** CRD files, relative to `schemas/crds/`. */
  readonly files: readonly string[];
  /**
   * Schema paths (relative to the storage version's `openAPIV3Schema`) whose subtree is
   * imported as an untyped object (`any`) to keep the generated module small enough to
   * type-check fast. Segments: a property name, `*` for every property, `*!a|b` for every
   * property except `a` and `b`, `[]` for array items.
   * The validator in test/support still checks these subtrees against the full CRD.
   */
  readonly prune?: readonly string[];
}

const MODULES: readonly ImportModule[] = [
  {
    name: 'argoproj.io-argocd',
    files: ['argo-cd/application-crd.yaml', 'argo-cd/applicationset-crd.yaml', 'argo-cd/appproject-crd.yaml'],
    // ApplicationSet repeats the whole Application spec under every generator (and again under
    // matrix/merge children): ~3 MB of TypeScript. Generator-level template overrides and the
    // child generators of matrix/merge are left untyped; spec.template stays fully typed.
    prune: ['spec.generators[].*.template', 'spec.generators[].matrix.generators', 'spec.generators[].merge.generators'],
  },
  {
    name: 'argoproj.io-rollouts',
    files: [
      'argo-rollouts/rollout-crd.yaml',
      'argo-rollouts/analysis-template-crd.yaml',
      'argo-rollouts/cluster-analysis-template-crd.yaml',
    ],
    // The Job metric provider embeds a whole JobSpec (pod template) in both analysis kinds.
    // Ephemeral containers cannot be set in a pod template anyway.
    prune: ['spec.metrics[].provider.job', 'spec.template.spec.ephemeralContainers'],
  },
  { name: 'argocd-image-updater', files: ['argocd-image-updater/argocd-image-updater.argoproj.io_imageupdaters.yaml'] },
  {
    name: 'flux-source',
    files: [
      'flux/source.toolkit.fluxcd.io_gitrepositories.yaml',
      'flux/source.toolkit.fluxcd.io_helmrepositories.yaml',
      'flux/source.toolkit.fluxcd.io_helmcharts.yaml',
      'flux/source.toolkit.fluxcd.io_ocirepositories.yaml',
      'flux/source.toolkit.fluxcd.io_buckets.yaml',
      'flux/source.toolkit.fluxcd.io_externalartifacts.yaml',
    ],
  },
  { name: 'flux-kustomize', files: ['flux/kustomize.toolkit.fluxcd.io_kustomizations.yaml'] },
  { name: 'flux-helm', files: ['flux/helm.toolkit.fluxcd.io_helmreleases.yaml'] },
  {
    name: 'flux-notification',
    files: [
      'flux/notification.toolkit.fluxcd.io_providers.yaml',
      'flux/notification.toolkit.fluxcd.io_alerts.yaml',
      'flux/notification.toolkit.fluxcd.io_receivers.yaml',
    ],
  },
  {
    name: 'flux-image',
    files: [
      'flux/image.toolkit.fluxcd.io_imagerepositories.yaml',
      'flux/image.toolkit.fluxcd.io_imagepolicies.yaml',
      'flux/image.toolkit.fluxcd.io_imageupdateautomations.yaml',
    ],
  },
  {
    name: 'monitoring.coreos.com',
    files: [
      'prometheus-operator/monitoring.coreos.com_prometheusrules.yaml',
      'prometheus-operator/monitoring.coreos.com_servicemonitors.yaml',
      'prometheus-operator/monitoring.coreos.com_podmonitors.yaml',
      'prometheus-operator/monitoring.coreos.com_probes.yaml',
      'prometheus-operator/monitoring.coreos.com_alertmanagerconfigs.yaml',
    ],
    // 15 receiver integrations of ~40 types each: only the common ones stay typed.
    prune: ['spec.receivers[].*!name|emailConfigs|msteamsv2Configs|opsgenieConfigs|pagerdutyConfigs|slackConfigs|webhookConfigs'],
  },
  // cdk8s import writes one file per API group: one module per group.
  { name: 'gatekeeper-templates', files: ['gatekeeper/constrainttemplate-customresourcedefinition.yaml'] },
  { name: 'gatekeeper-config', files: ['gatekeeper/config-customresourcedefinition.yaml'] },
  {
    name: 'external-secrets.io',
    files: [
      'external-secrets/external-secrets.io_secretstores.yaml',
      'external-secrets/external-secrets.io_clustersecretstores.yaml',
      'external-secrets/external-secrets.io_externalsecrets.yaml',
      'external-secrets/external-secrets.io_clusterexternalsecrets.yaml',
    ],
    // 42 providers, twice (SecretStore and ClusterSecretStore): only the common ones stay typed.
    prune: ['spec.provider.*!aws|azurekv|fake|gcpsm|kubernetes|vault|webhook'],
  },
  { name: 'sealed-secrets', files: ['sealed-secrets/bitnami.com_sealedsecrets.yaml'] },
  {
    name: 'jenkins.io',
    files: [
      'jenkins-x/environments-crd.yaml',
      'jenkins-x/sourcerepositories-crd.yaml',
      'jenkins-x/releases-crd.yaml',
      'jenkins-x/pipelineactivities-crd.yaml',
    ],
    // A full Job template per preview job: not something the platform sets.
    prune: ['spec.teamSettings.postPreviewJobs'],
  },
  { name: 'tekton.dev', files: ['tekton/300-pipeline.yaml', 'tekton/300-pipelinerun.yaml', 'tekton/300-task.yaml'] },
  {
    name: 'lighthouse',
    // LighthouseJob is not imported: Lighthouse creates those at run time, and its embedded
    // pod and PipelineRun specs make ~600 KB of TypeScript.
    files: ['lighthouse/lighthouse.jenkins.io_lighthousebreakpoints.yaml'],
  },
  // Istio kinds share nested type names: one module each.
  { name: 'istio-virtualservice', files: ['istio/networking.istio.io_virtualservices.yaml'] },
  { name: 'istio-destinationrule', files: ['istio/networking.istio.io_destinationrules.yaml'] },
  { name: 'istio-gateway', files: ['istio/networking.istio.io_gateways.yaml'] },
  {
    name: 'velero.io',
    files: [
      'velero/velero.io_schedules.yaml',
      'velero/velero.io_backups.yaml',
      'velero/velero.io_restores.yaml',
      'velero/velero.io_backupstoragelocations.yaml',
      'velero/velero.io_volumesnapshotlocations.yaml',
    ],
  },
];

const ROOT = resolve(__dirname, '..');
const CRD_DIR = join(ROOT, 'schemas', 'crds');
const OUT_DIR = join(ROOT, 'lib', 'imports');
const CDK8S_BIN = join(ROOT, 'node_modules', '.bin', process.platform === 'win32' ? 'cdk8s.cmd' : 'cdk8s');

type Json = Record<string, unknown>;

function fail(message: string): never {
  throw new Error(message);
}

const UNTYPED: Json = { type: 'object', 'x-kubernetes-preserve-unknown-fields': true };

/** Replaces the subtree(s) at `path` with an untyped object; returns how many were replaced. */
function pruneAt(schema: Json, segments: readonly string[]): number {
  const [head, ...rest] = segments;
  if (head === undefined) return 0;
  const children: Array<[Json, string]> = [];
  if (head === '[]') {
    if (schema.items && typeof schema.items === 'object') children.push([schema, 'items']);
  } else {
    const props = (schema.properties ?? {}) as Record<string, Json>;
    const except = head.startsWith('*!') ? head.slice(2).split('|') : [];
    const matches = (key: string): boolean => (head.startsWith('*') ? !except.includes(key) : head === key);
    for (const key of Object.keys(props).sort()) if (matches(key)) children.push([props, key]);
  }
  let count = 0;
  for (const [parent, key] of children) {
    const child = parent[key] as Json;
    if (rest.length === 0) {
      const description = child.description;
      parent[key] = child.type === 'array' ? { type: 'array', items: UNTYPED } : { ...UNTYPED };
      if (typeof description === 'string') (parent[key] as Json).description = description;
      count++;
    } else {
      count += pruneAt(child, rest);
    }
  }
  return count;
}

function splitPath(path: string): string[] {
  return path.replace(/\[\]/g, '.[]').split('.').filter((s) => s.length > 0);
}

/** Reads a CRD file and keeps only the storage version of each CRD in it. */
function storageVersionOnly(file: string): Json[] {
  const text = readFileSync(join(CRD_DIR, file), 'utf8');
  const crds: Json[] = [];
  for (const doc of parseAllDocuments(text)) {
    if (doc.errors.length > 0) fail(`${file}: YAML error: ${doc.errors[0]?.message ?? 'unknown'}`);
    const crd = doc.toJS() as Json | null;
    if (!crd) continue;
    if (crd.kind !== 'CustomResourceDefinition') fail(`${file}: not a CustomResourceDefinition (kind ${String(crd.kind)})`);
    const spec = crd.spec as { versions?: Array<{ name: string; storage?: boolean }> } | undefined;
    const versions = spec?.versions ?? [];
    const storage = versions.filter((v) => v.storage === true);
    if (storage.length !== 1) fail(`${file}: expected exactly one storage version, found ${storage.length}`);
    crds.push({ ...crd, spec: { ...spec, versions: storage } });
  }
  if (crds.length === 0) fail(`${file}: no CRD found`);
  return crds;
}

function importModule(mod: ImportModule, work: string): void {
  const input = join(work, `${mod.name}.crds.yaml`);
  const crds = mod.files.flatMap(storageVersionOnly);
  for (const path of mod.prune ?? []) {
    let count = 0;
    for (const crd of crds) {
      const version = ((crd.spec as Json).versions as Json[])[0] as Json;
      count += pruneAt((version.schema as Json).openAPIV3Schema as Json, splitPath(path));
    }
    if (count === 0) fail(`${mod.name}: prune path '${path}' matches nothing (did the CRD change?)`);
  }
  // JSON is valid YAML and avoids any re-serialisation ambiguity.
  const docs = crds.map((crd) => JSON.stringify(crd));
  writeFileSync(input, docs.join('\n---\n') + '\n');
  const outDir = join(work, mod.name);
  const args = ['import', '--no-check-upgrade', '--no-save', '--language', 'typescript', '--output', outDir, `${mod.name}:=${input}`];
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) if (!key.startsWith('CDK8S_')) env[key] = value;
  const result = spawnSync(CDK8S_BIN, args, { cwd: work, env, encoding: 'utf8' });
  const generated = existsSync(outDir) ? readdirSync(outDir).filter((f) => f.endsWith('.ts')) : [];
  if (result.status !== 0 || generated.length !== 1) {
    fail(
      `cdk8s import failed for ${mod.name} (exit ${String(result.status)}, ${generated.length} file(s) generated; ` +
        `a module must cover exactly one API group):\n${result.stderr}${result.stdout}`,
    );
  }
  copyFileSync(join(outDir, generated[0] as string), join(work, `${mod.name}.ts`));
}

/**
 * Type-checks the raw generated modules (strict, plus the project's extra checks), then marks
 * them `@ts-nocheck`: their ~250 `toJson_*` bodies otherwise cost several seconds of every
 * project `tsc` run. The declarations are still fully typed for the code that imports them.
 */
function verifyAndMark(files: readonly string[]): void {
  const tsc = join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
  const flags = ['--noEmit', '--skipLibCheck', '--strict', '--noUnusedLocals', '--noUnusedParameters', '--noImplicitReturns'];
  const options = ['--target', 'es2022', '--module', 'commonjs', '--esModuleInterop', '--types', 'node'];
  const result = spawnSync(process.execPath, [tsc, ...flags, ...options, ...files], { cwd: ROOT, encoding: 'utf8' });
  if (result.status !== 0) fail(`generated code does not type-check:\n${result.stdout}${result.stderr}`);
  for (const file of files) {
    const header = ['// @ts-nocheck', '// Generated by scripts/import-crds.ts: do not edit. Type-checked (strict) when generated.', ''];
    writeFileSync(file, header.join('\n') + readFileSync(file, 'utf8'));
  }
}

function main(): void {
  if (!existsSync(CDK8S_BIN)) fail(`cdk8s CLI not found at ${CDK8S_BIN}; run npm ci first`);
  const missing = MODULES.flatMap((m) => m.files).filter((f) => !existsSync(join(CRD_DIR, f)));
  if (missing.length > 0) fail(`missing CRD file(s) under schemas/crds/:\n  ${missing.join('\n  ')}`);

  const work = mkdtempSync(join(tmpdir(), 'import-crds-'));
  try {
    for (const mod of MODULES) {
      const started = Date.now();
      importModule(mod, work);
      console.log(`${mod.name}: ${mod.files.length} CRD file(s), ${Date.now() - started} ms`);
    }
    // Every import succeeded: replace the previous output.
    mkdirSync(OUT_DIR, { recursive: true });
    for (const old of readdirSync(OUT_DIR)) if (old.endsWith('.ts')) rmSync(join(OUT_DIR, old));
    for (const mod of MODULES) copyFileSync(join(work, `${mod.name}.ts`), join(OUT_DIR, `${mod.name}.ts`));
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  verifyAndMark(MODULES.map((m) => join(OUT_DIR, `${m.name}.ts`)));
  console.log(`${MODULES.length} modules type-checked and written to lib/imports/`);
}

try {
  main();
} catch (error) {
  console.error(`import-crds: ${(error as Error).message}`);
  process.exitCode = 1;
}
