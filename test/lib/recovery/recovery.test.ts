import assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import { describe, it } from 'node:test';
import Ajv from 'ajv';
import { App, Testing } from 'cdktf';
import { parse, parseAllDocuments } from 'yaml';
import { dr, prod } from '../../../environments';
import { CHARTS } from '../../../lib/platform/catalogue';
import { EnvironmentConfig } from '../../../stacks/environment';
import { ManifestObject } from '../../../lib/platform/gitops-tree';
import { BackupCredentials } from '../../../lib/recovery/credentials';
import { RESTORE_FILE } from '../../../lib/recovery/recovery';
import { RESTORE_EXCLUDED_RESOURCES, restoreFrom, SEALING_KEY_LABEL } from '../../../lib/recovery/restore';
import { isCron, isDuration } from '../../../lib/recovery/schedule';
import { GitOpsStack } from '../../../stacks/gitops-stack';
import { cachedSynth, SynthResult } from '../../support/synth';
import { validateManifest } from '../../support/validate';

type Json = Record<string, unknown>;

const synth = cachedSynth();
const VALUES = path.resolve(__dirname, '../../../schemas/chart-values/velero-12.1.0');

function veleroRelease(r: SynthResult): Json {
  const releases = Object.values(r.tf.resource.helm_release ?? {}).filter((x) => x.chart === 'velero');
  assert.equal(releases.length, 1, 'one velero release');
  return releases[0]!;
}

function veleroValues(r: SynthResult): Json {
  return parse((veleroRelease(r).values as string[])[0]!) as Json;
}

function objects(r: SynthResult, kind: string): ManifestObject[] {
  return r.objects.filter((o) => o.object.kind === kind).map((o) => o.object);
}

function restores(r: SynthResult): ManifestObject[] {
  const text = r.files.get(RESTORE_FILE);
  assert.ok(text, `${RESTORE_FILE} is written`);
  return parseAllDocuments(text).map((d) => d.toJS() as ManifestObject).filter((o) => o !== null);
}

/** Helm's merge of user values over the chart's defaults: maps merge, everything else replaces. */
function helmMerge(base: unknown, over: unknown): unknown {
  if (over === null) return undefined;
  const isMap = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
  if (!isMap(base) || !isMap(over)) return over;
  const out: Json = { ...base };
  for (const [k, v] of Object.entries(over)) {
    const merged = helmMerge(base[k], v);
    if (merged === undefined) delete out[k];
    else out[k] = merged;
  }
  return out;
}

function statusOf(r: SynthResult): Json {
  const value = JSON.parse(JSON.stringify(r.tf.output.multi_environment_status.value)) as Json;
  return value.recovery as Json;
}

describe('recovery: prod backs up', () => {
  it('installs the pinned velero chart with prod\'s storage location, read-write, and IRSA (no Secret)', () => {
    const r = synth(prod);
    const release = veleroRelease(r);
    assert.equal(release.name, 'velero');
    assert.equal(release.namespace, 'velero');
    assert.equal(release.chart, CHARTS.velero.chart);
    assert.equal(release.version, '12.1.0');
    assert.equal(release.repository, 'https://vmware-tanzu.github.io/helm-charts');
    assert.equal(release.wait, true);
    const values = veleroValues(r);
    const configuration = values.configuration as Json;
    assert.deepEqual(configuration.backupStorageLocation, [
      { name: 'default', provider: 'aws', bucket: 'company-gitops-velero-backups', prefix: 'prod', default: true, accessMode: 'ReadWrite', config: { region: 'us-east-1' } },
    ]);
    assert.equal(configuration.uploaderType, 'kopia');
    assert.equal(values.snapshotsEnabled, false);
    assert.equal(values.deployNodeAgent, true);
    assert.deepEqual(values.credentials, { useSecret: false });
    assert.deepEqual(values.image, { repository: 'docker.io/velero/velero', tag: 'v1.18.1' });
    assert.deepEqual((values.serviceAccount as Json).server, {
      create: true,
      name: 'velero-server',
      annotations: { 'eks.amazonaws.com/role-arn': 'arn:aws:iam::111122223333:role/gitops-prod-velero' },
    });
    const plugin = (values.initContainers as Json[])[0]!;
    assert.equal(plugin.image, 'docker.io/velero/velero-plugin-for-aws:v1.14.0');
    assert.deepEqual(plugin.volumeMounts, [{ mountPath: '/target', name: 'plugins' }]);
    // HA sizing.
    assert.deepEqual(values.resources, { requests: { cpu: '500m', memory: '256Mi' }, limits: { cpu: '1', memory: '1Gi' } });
    // No credential of any kind in the Terraform JSON.
    assert.doesNotMatch(JSON.stringify(release), /aws_secret_access_key|aws_access_key_id/);
  });

  it('sets only values the chart\'s values.schema.json admits, merged over its defaults as helm does', () => {
    const schema = JSON.parse(fs.readFileSync(path.join(VALUES, 'values.schema.json'), 'utf8')) as object;
    const defaults = parse(fs.readFileSync(path.join(VALUES, 'values.yaml'), 'utf8')) as Json;
    const validate = new Ajv({ strict: false, allErrors: true }).compile(schema);
    assert.equal(validate(defaults), true, 'the defaults themselves pass');
    for (const env of [prod, dr]) {
      const merged = helmMerge(defaults, veleroValues(synth(env)));
      assert.equal(validate(merged), true, `${env.name}: ${JSON.stringify(validate.errors)}`);
    }
    // The check bites: a value of the wrong type is refused.
    const bad = helmMerge(defaults, { deployNodeAgent: 'yes' });
    assert.equal(validate(bad), false);
  });

  it('labels the velero namespace privileged (the node agent\'s hostPath volumes) and isolates it', () => {
    const r = synth(prod);
    const ns = Object.values(r.tf.resource.kubernetes_namespace_v1).find((n) => (n.metadata as Json).name === 'velero')!;
    const labels = (ns.metadata as Json).labels as Json;
    assert.equal(labels['pod-security.kubernetes.io/enforce'], 'privileged');
    assert.equal(labels['pod-security.kubernetes.io/warn'], 'restricted');
    const policies = objects(r, 'NetworkPolicy').filter((p) => p.metadata.namespace === 'velero').map((p) => p.metadata.name).sort();
    assert.deepEqual(policies, ['allow-api-server-and-https', 'allow-dns', 'allow-metrics-scraping', 'allow-same-namespace', 'default-deny-all']);
    const https = objects(r, 'NetworkPolicy').find((p) => p.metadata.namespace === 'velero' && p.metadata.name === 'allow-api-server-and-https')!;
    const ports = ((https.spec as Json).egress as Json[])[0]!.ports as Json[];
    assert.deepEqual(ports.map((p) => p.port), [443, 6443]);
    // The deploy model checked the flows to the object store and the API server: no violation.
    assert.deepEqual(r.stack.output.deployModel?.violations ?? [], []);
  });

  it('ships a strictly valid Schedule of the platform\'s namespaces, with their volumes, kept 30 days', () => {
    const r = synth(prod);
    const schedules = objects(r, 'Schedule');
    assert.equal(schedules.length, 1);
    const schedule = schedules[0]!;
    assert.deepEqual(validateManifest(schedule), []);
    assert.equal(r.objects.find((o) => o.object === schedule)!.file, 'infrastructure/recovery-schedules.yaml');
    const spec = schedule.spec as Json;
    const template = spec.template as Json;
    assert.equal(spec.schedule, '0 2 * * *');
    assert.equal(template.ttl, '720h');
    assert.equal(template.defaultVolumesToFsBackup, true);
    assert.equal(template.snapshotVolumes, false);
    assert.equal(template.storageLocation, 'default');
    const namespaces = template.includedNamespaces as string[];
    // Every namespace Terraform creates (but Velero's), and team-a's application namespaces.
    const terraform = r.stack.platform.namespaceNames.filter((n) => n !== 'velero');
    for (const ns of [...terraform, 'team-a-frontend', 'team-a-backend']) assert.ok(namespaces.includes(ns), ns);
    assert.ok(!namespaces.includes('velero'));
    assert.deepEqual(namespaces, [...namespaces].sort());
    // The infrastructure Kustomization applies it after the bootstrap release, which waits for the chart (and its CRDs).
    assert.ok(((r.tf.resource.helm_release as Record<string, Json>)[Object.keys(r.tf.resource.helm_release).find((k) => k.includes('Bootstrap'))!]!.depends_on as string[]).some((d) => d.includes('Recovery_Velero')));
  });

  it('reports the primary in multi_environment_status', () => {
    const status = statusOf(synth(prod));
    assert.equal(status.role, 'primary');
    assert.equal(status.stands_in_for, null);
    assert.equal(status.revision, 'main');
    assert.equal(status.sync_held, false);
    assert.equal((status.backup_location as Json).access_mode, 'ReadWrite');
    assert.deepEqual(status.restore, null);
  });
});

describe('recovery: dr stands in for prod', () => {
  it('reads prod\'s storage location read-only and writes no Schedule', () => {
    const r = synth(dr);
    const bsl = ((veleroValues(r).configuration as Json).backupStorageLocation as Json[])[0]!;
    const prodBsl = ((veleroValues(synth(prod)).configuration as Json).backupStorageLocation as Json[])[0]!;
    assert.deepEqual(bsl, { ...prodBsl, accessMode: 'ReadOnly' });
    assert.deepEqual(objects(r, 'Schedule'), []);
    assert.equal(((veleroValues(r).serviceAccount as Json).server as Json).annotations instanceof Object, true);
    assert.match(JSON.stringify(veleroValues(r).serviceAccount), /gitops-dr-velero/);
  });

  it('holds its sync: the root app-of-apps has no automated policy and every Flux sync Kustomization is suspended', () => {
    const r = synth(dr);
    const root = r.objects.find((o) => o.file === 'bootstrap/files/argocd-root.yaml' && o.object.kind === 'Application')!.object;
    assert.equal(((root.spec as Json).syncPolicy as Json).automated, undefined);
    const kustomizations = r.objects.filter((o) => o.file === 'bootstrap/files/flux-sync.yaml' && o.object.kind === 'Kustomization');
    assert.ok(kustomizations.length > 0);
    for (const k of kustomizations) assert.equal((k.object.spec as Json).suspend, true, k.object.metadata.name);
    // prod reconciles.
    const prodSync = synth(prod).objects.filter((o) => o.file === 'bootstrap/files/flux-sync.yaml' && o.object.kind === 'Kustomization');
    for (const k of prodSync) assert.equal((k.object.spec as Json).suspend, undefined);
  });

  it('tracks prod\'s revision with prod\'s objects (the same kinds, namespaces and names), less the Schedules', () => {
    // The Jenkins X cluster repository is named after the cluster.
    const key = (o: ManifestObject): string => `${o.kind}/${o.metadata.namespace ?? ''}/${o.metadata.name}`.replace('-dr-cluster', '-prod-cluster');
    const prodKinds = synth(prod).objects.filter((o) => !o.file.startsWith('bootstrap/')).map((o) => key(o.object));
    const drKinds = synth(dr).objects.filter((o) => !o.file.startsWith('bootstrap/')).map((o) => key(o.object));
    // The same objects, but the Schedules a standby does not run.
    assert.deepEqual(drKinds.sort(), prodKinds.filter((k) => !k.startsWith('Schedule/')).sort());
    const gitRepo = (r: SynthResult) => r.objects.find((o) => o.object.kind === 'GitRepository' && o.file === 'bootstrap/files/flux-sync.yaml')!.object;
    assert.deepEqual((gitRepo(synth(dr)).spec as Json).ref, (gitRepo(synth(prod)).spec as Json).ref);
  });

  it('writes the restore procedure\'s Restore objects: strictly valid, from prod\'s schedule, only namespaces it backs up', () => {
    const standby = synth(dr);
    const [keys, data] = restores(standby);
    for (const restore of [keys!, data!]) assert.deepEqual(validateManifest(restore), [], restore.metadata.name);
    const schedule = objects(synth(prod), 'Schedule')[0]!;
    const backedUp = ((schedule.spec as Json).template as Json).includedNamespaces as string[];
    for (const restore of [keys!, data!]) {
      assert.equal((restore.spec as Json).scheduleName, schedule.metadata.name);
      assert.equal(restore.metadata.namespace, 'velero');
      for (const ns of (restore.spec as Json).includedNamespaces as string[]) assert.ok(backedUp.includes(ns), `${restore.metadata.name}: ${ns} is backed up`);
    }
    // The sealing keys, by their label, and nothing else.
    assert.deepEqual((keys!.spec as Json).includedNamespaces, ['sealed-secrets']);
    assert.deepEqual((keys!.spec as Json).includedResources, ['secrets']);
    assert.deepEqual((keys!.spec as Json).labelSelector, { matchExpressions: [{ key: SEALING_KEY_LABEL, operator: 'Exists' }] });
    // The data: never the namespaces whose controllers Terraform installs, nor Velero's, nor what the tree rebuilds.
    const namespaces = (data!.spec as Json).includedNamespaces as string[];
    for (const controller of new Set(standby.stack.platform.controllerReleases.map((c) => c.namespace))) assert.ok(!namespaces.includes(controller), controller);
    assert.ok(!namespaces.includes('prod'), 'the delivery services are rebuilt from the tree');
    // falco-system holds Falco's release in prod and dr (a controller namespace): rebuilt, not restored.
    assert.deepEqual(namespaces, ['team-a', 'team-a-backend', 'team-a-frontend']);
    const excluded = (data!.spec as Json).excludedResources as string[];
    for (const resource of ['secrets', 'applications.argoproj.io', 'applicationsets.argoproj.io', 'kustomizations.kustomize.toolkit.fluxcd.io', 'helmreleases.helm.toolkit.fluxcd.io', 'schedules.velero.io', 'externalsecrets.external-secrets.io']) {
      assert.ok(excluded.includes(resource), resource);
    }
    assert.equal((data!.spec as Json).existingResourcePolicy, 'none');
    assert.equal((data!.spec as Json).includeClusterResources, false);
    assert.equal((data!.spec as Json).restorePVs, true);
    // Not synced: no kustomization.yaml lists it.
    for (const [file, text] of standby.files) if (file.endsWith('kustomization.yaml')) assert.doesNotMatch(text, /recovery/, file);
  });

  it('reports the standby in multi_environment_status', () => {
    const status = statusOf(synth(dr));
    assert.equal(status.role, 'standby');
    assert.equal(status.stands_in_for, 'prod');
    assert.equal(status.revision, 'main');
    assert.equal(status.sync_held, true);
    assert.deepEqual(status.backup_location, { name: 'default', provider: 'aws', bucket: 'company-gitops-velero-backups', prefix: 'prod', region: 'us-east-1', access_mode: 'ReadOnly' });
    assert.deepEqual(status.restore, { file: RESTORE_FILE, schedule: 'platform' });
  });
});

describe('restoreFrom', () => {
  const schedule = { name: 'platform', namespaces: ['argocd', 'sealed-secrets', 'team-a', 'velero'] };

  it('restores every namespace the schedule backs up but the skipped ones and Velero\'s', () => {
    const [data] = restoreFrom(schedule, { skipNamespaces: ['argocd'] });
    assert.deepEqual((data!.spec as Json).includedNamespaces, ['sealed-secrets', 'team-a']);
    assert.deepEqual((data!.spec as Json).excludedResources, Object.keys(RESTORE_EXCLUDED_RESOURCES).sort());
    assert.deepEqual(validateManifest(data), []);
  });

  it('fails when a namespace is not one the schedule backs up', () => {
    assert.throws(() => restoreFrom(schedule, { namespaces: ['team-b'] }), /namespaces is "team-b"\. Restore only namespaces the schedule backs up: argocd, sealed-secrets, team-a, velero\./);
    assert.throws(() => restoreFrom(schedule, { sealingKeysNamespace: 'kube-system' }), /sealingKeysNamespace is "kube-system"/);
    assert.throws(() => restoreFrom({ name: 'platform', namespaces: ['velero'] }), /Restore at least one namespace/);
  });
});

describe('recovery settings', () => {
  // prod's config with other recovery settings, synthesized in an app of its own.
  const withRecovery = (recovery: EnvironmentConfig['recovery']): EnvironmentConfig => ({ ...prod, recovery });
  const build = (env: EnvironmentConfig): GitOpsStack => {
    const app: App = Testing.app();
    const stack = new GitOpsStack(app, env.name, { environment: env, manifestDirectory: fs.mkdtempSync(path.join(require('os').tmpdir(), 'gitops-recovery-')) });
    return stack;
  };

  it('checks cron expressions and durations', () => {
    for (const ok of ['0 2 * * *', '*/15 * * * 1-5', '@daily', '@every 6h']) assert.ok(isCron(ok), ok);
    for (const bad of ['0 2 * *', 'daily', '@every', '0 2 * * * *']) assert.ok(!isCron(bad), bad);
    for (const ok of ['720h', '1h30m', '90s']) assert.ok(isDuration(ok), ok);
    for (const bad of ['30d', '', '0h', '720']) assert.ok(!isDuration(bad), bad);
  });

  it('fails without recovery settings while the module is on', () => {
    assert.throws(() => build({ ...prod, recovery: undefined }), /Environment "prod": recovery is not set\. The recovery module needs recovery\.storage/);
  });

  it('fails when a standby syncs automatically', () => {
    assert.throws(
      () => build(withRecovery({ ...prod.recovery!, standby: { for: 'primary-site' } })),
      /Environment "prod": syncPolicy\.automated is true\. A standby holds its sync until it is promoted/,
    );
  });

  it('fails on a bad bucket, region, endpoint or role, naming the field', () => {
    const base = prod.recovery!;
    assert.throws(() => build(withRecovery({ ...base, storage: { ...base.storage, bucket: 'Bad_Bucket' } })), /recovery\.storage\.bucket is "Bad_Bucket"/);
    assert.throws(() => build(withRecovery({ ...base, storage: { ...base.storage, region: 'us east' } })), /recovery\.storage\.region is "us east"/);
    assert.throws(() => build(withRecovery({ ...base, storage: { ...base.storage, s3Url: 'http://minio:9000' } })), /recovery\.storage\.s3Url is "http:\/\/minio:9000"/);
    assert.throws(() => build(withRecovery({ ...base, credentials: BackupCredentials.irsa('velero') })), /recovery\.credentials\.annotations\.eks\.amazonaws\.com\/role-arn is "velero"/);
    assert.throws(() => build(withRecovery({ ...base, schedules: [{ name: 'nightly', cron: 'daily', ttl: '720h' }] })), /Environment "prod": recovery\.schedules\[0\]\.cron is "daily"/);
  });

  it('takes store credentials through an ExternalSecret, and then does not wait for the server', () => {
    const directory = fs.mkdtempSync(path.join(require('os').tmpdir(), 'gitops-recovery-store-'));
    try {
      const env = withRecovery({ ...prod.recovery!, credentials: BackupCredentials.fromSecretStore('velero/credentials'), storage: { ...prod.recovery!.storage, s3Url: 'https://minio.company.com:9000' } });
      const app = Testing.app();
      const stack = new GitOpsStack(app, env.name, { environment: env, manifestDirectory: directory });
      const tf = JSON.parse(Testing.synth(stack)) as { resource: Record<string, Record<string, Json>> };
      const release = Object.values(tf.resource.helm_release!).find((x) => x.chart === 'velero')!;
      assert.equal(release.wait, false);
      assert.equal(release.atomic, false);
      const values = parse((release.values as string[])[0]!) as Json;
      assert.deepEqual(values.credentials, { useSecret: true, existingSecret: 'velero-credentials' });
      assert.deepEqual(((values.configuration as Json).backupStorageLocation as Json[])[0]!.config, { region: 'us-east-1', s3Url: 'https://minio.company.com:9000', s3ForcePathStyle: 'true' });
      const text = fs.readFileSync(path.join(directory, 'infrastructure/recovery-credentials.yaml'), 'utf8');
      const external = parse(text) as ManifestObject;
      assert.equal(external.kind, 'ExternalSecret');
      assert.deepEqual(validateManifest(external), []);
      assert.equal(((external.spec as Json).target as Json).name, 'velero-credentials');
      assert.match(fs.readFileSync(path.join(directory, 'SECRETS.md'), 'utf8'), /`velero\/velero-credentials` \| `cloud` \| Velero \(server and node agent\) \| ExternalSecret from `vault-backend` key `velero\/credentials`/);
      // The endpoint's port is opened in the namespace's egress policy.
      assert.match(fs.readFileSync(path.join(directory, 'infrastructure/security-network-policies.yaml'), 'utf8'), /port: 9000/);
    } finally {
      fs.rmSync(directory, { recursive: true, force: true });
    }
  });
});
