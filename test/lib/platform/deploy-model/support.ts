import { ChartRelease, TerraformObject } from '../../../../lib/platform/deploy-model/inventory';
import { DeployModelSettings, RequiredFlow } from '../../../../lib/platform/deploy-model/facts';
import { DeployModelResult, runDeployModel } from '../../../../lib/platform/deploy-model/model';
import { EnvironmentConfig } from '../../../../stacks/environment';
import { ManifestObject, RenderedManifest } from '../../../../lib/platform/gitops-tree';
import { toYamlDocuments } from '../../../../lib/platform/yaml';

/** The repository every fixture syncs from. */
export const REPO = 'https://github.com/acme/gitops';

/** A minimal environment for the fixtures: tree at clusters/test. */
export function fixtureEnvironment(settings: DeployModelSettings = {}, enforcement: 'warn' | 'deny' = 'warn'): EnvironmentConfig {
  return {
    name: 'test',
    tier: 'development',
    cluster: { kubeconfigPath: '~/.kube/config' },
    gitops: { repoUrl: REPO, revision: 'main', path: 'clusters/test' },
    modules: [],
    sizing: { highAvailability: false, controllerReplicas: 1 },
    syncPolicy: { automated: true, prune: true, selfHeal: true, retry: { limit: 1, backoffDuration: '5s', backoffFactor: 2, backoffMaxDuration: '1m' } },
    policyEnforcement: enforcement,
    backend: { type: 'local' },
    // Istio's CNI mode comes from the cluster prerequisites.
    ...(settings.istioCni ? { prerequisites: { istio: { installed: true, cni: true } } } : {}),
    deployModel: settings,
  };
}

/** The bootstrap objects of every fixture: Flux syncing `clusters/test/apps`. */
export const FLUX_ROOT: ManifestObject[] = [
  { apiVersion: 'source.toolkit.fluxcd.io/v1', kind: 'GitRepository', metadata: { name: 'root', namespace: 'flux-system' }, spec: { url: REPO, interval: '1m' } },
  {
    apiVersion: 'kustomize.toolkit.fluxcd.io/v1',
    kind: 'Kustomization',
    metadata: { name: 'apps', namespace: 'flux-system' },
    spec: { path: './clusters/test/apps', sourceRef: { kind: 'GitRepository', name: 'root' }, interval: '1m', prune: true },
  },
];

/** A Terraform namespace resource. */
export function tfNamespace(name: string, labels: Record<string, string> = {}, lifecycle?: Record<string, unknown>): TerraformObject {
  return { type: 'kubernetes_namespace_v1', address: `kubernetes_namespace_v1.ns_${name}`, config: { metadata: { name, labels }, ...(lifecycle ? { lifecycle } : {}) } };
}

/** Options of {@link runFixture}. */
export interface Fixture {
  /** Objects of the synced tree, by file (relative to the environment directory). */
  readonly tree?: Readonly<Record<string, ManifestObject[]>>;
  /** Bootstrap objects besides {@link FLUX_ROOT}. */
  readonly bootstrap?: ManifestObject[];
  readonly terraform?: TerraformObject[];
  readonly charts?: ChartRelease[];
  readonly flows?: RequiredFlow[];
  readonly settings?: DeployModelSettings;
  readonly enforcement?: 'warn' | 'deny';
  /** Plain files (not chart objects). */
  readonly files?: Readonly<Record<string, string>>;
}

/** Runs the model over a fixture (namespaces flux-system and apps exist unless the fixture says otherwise). */
export function runFixture(f: Fixture): DeployModelResult {
  const manifests: RenderedManifest[] = [];
  const files = new Map<string, string>();
  for (const object of [...FLUX_ROOT, ...(f.bootstrap ?? [])]) manifests.push({ file: 'bootstrap/files/root.yaml', section: 'bootstrap', object });
  for (const [file, objects] of Object.entries(f.tree ?? {})) {
    for (const object of objects) manifests.push({ file, section: 'apps', object });
    files.set(file, toYamlDocuments(objects));
  }
  for (const [file, content] of Object.entries(f.files ?? {})) files.set(file, content);
  return runDeployModel({
    environment: fixtureEnvironment(f.settings, f.enforcement),
    manifests,
    files,
    terraform: f.terraform ?? [tfNamespace('flux-system'), tfNamespace('apps')],
    charts: f.charts ?? [],
    flows: f.flows ?? [],
  });
}

/** The violations of one rule (prefix), as `object [rule]: message`. */
export function found(result: DeployModelResult, rule: string): string[] {
  return result.violations.filter((v) => v.rule === rule || v.rule.startsWith(`${rule}.`)).map((v) => `${v.object} [${v.rule}]: ${v.message}`);
}
