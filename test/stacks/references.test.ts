import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import * as fs from 'fs';
import { dev, prod, staging } from '../../environments';
import { EnvironmentConfig } from '../../stacks/environment';
import { ManifestObject } from '../../lib/platform/gitops-tree';
import { synthEnvironment, SynthResult } from '../support/synth';

/** Every reference a shipped object makes resolves to something the environment creates. */
const results = new Map<EnvironmentConfig, SynthResult>();
function synth(env: EnvironmentConfig): SynthResult {
  let result = results.get(env);
  if (!result) {
    result = synthEnvironment(env);
    results.set(env, result);
  }
  return result;
}
after(() => {
  for (const r of results.values()) fs.rmSync(r.directory, { recursive: true, force: true });
});

interface ArgoApp {
  project: string;
  syncOptions: string[];
  destinationNamespace?: string;
  ref: string;
}

/** The Applications and ApplicationSet templates of an environment (bootstrap included). */
function argoApplications(result: SynthResult): ArgoApp[] {
  const apps: ArgoApp[] = [];
  for (const { object } of result.objects) {
    const spec = object.spec as Record<string, any>;
    const app = object.kind === 'Application' ? spec : object.kind === 'ApplicationSet' ? spec.template.spec : undefined;
    if (!app) continue;
    apps.push({
      project: app.project,
      syncOptions: app.syncPolicy?.syncOptions ?? [],
      destinationNamespace: app.destination?.namespace,
      ref: `${object.kind}/${object.metadata.name}`,
    });
  }
  return apps;
}

const SECTION_ORDER = ['bootstrap', 'infrastructure', 'policies', 'tenants'];
const sectionOf = (file: string): string => (file.startsWith('bootstrap/') ? 'bootstrap' : file.split('/')[0]);

/** `namespace/name` of the Secrets the Flux objects read, with the section of the reader. */
function fluxSecretReferences(result: SynthResult): Array<{ secret: string; section: string; reader: string }> {
  const refs: Array<{ secret: string; section: string; reader: string }> = [];
  for (const { file, object } of result.objects) {
    if (!object.apiVersion.includes('toolkit.fluxcd.io')) continue;
    const spec = (object as { spec?: { secretRef?: { name?: string } } }).spec;
    const name = spec?.secretRef?.name;
    if (name) refs.push({ secret: `${object.metadata.namespace}/${name}`, section: sectionOf(file), reader: `${object.kind}/${object.metadata.name}` });
  }
  return refs;
}

/** The Secrets produced by ExternalSecrets, with the section they are applied in. */
function externalSecretTargets(result: SynthResult): Map<string, { section: string; object: ManifestObject }> {
  const out = new Map<string, { section: string; object: ManifestObject }>();
  for (const { file, object } of result.objects) {
    if (object.kind !== 'ExternalSecret') continue;
    const spec = object.spec as { target?: { name?: string } };
    out.set(`${object.metadata.namespace}/${spec.target?.name ?? object.metadata.name}`, { section: sectionOf(file), object });
  }
  return out;
}

/** The Secrets Terraform creates (`namespace/name`). */
function terraformSecrets(result: SynthResult): Set<string> {
  const out = new Set<string>();
  for (const r of Object.values(result.tf.resource.kubernetes_secret_v1 ?? {})) {
    const metadata = (r as { metadata: { namespace: string; name: string } }).metadata;
    out.add(`${metadata.namespace}/${metadata.name}`);
  }
  return out;
}

describe('Argo CD project references', () => {
  for (const env of [dev, staging, prod]) {
    it(`${env.name}: every project named by an Application, an ApplicationSet or the RBAC policy exists`, () => {
      const result = synth(env);
      const projects = new Set(['default', ...result.objects.filter((o) => o.object.kind === 'AppProject').map((o) => o.object.metadata.name!)]);
      for (const app of argoApplications(result)) assert.ok(projects.has(app.project), `${app.ref} uses project ${app.project}`);
      const csv = String((result.stack.modules.argocd as unknown as { install: { rbac: { policyCsv(): string } } }).install.rbac.policyCsv());
      for (const line of csv.split('\n').filter((l) => l.startsWith('p, '))) {
        const object = line.split(', ')[4];
        if (object === '*' || !object.includes('/') || object.startsWith('*/')) continue;
        assert.ok(projects.has(object.split('/')[0]), `${env.name}: RBAC line "${line}" names a project that does not exist`);
      }
    });

    it(`${env.name}: every project permits what its applications do (CreateNamespace needs Namespaces)`, () => {
      const result = synth(env);
      const whitelists = new Map<string, Array<{ group: string; kind: string }>>();
      for (const { object } of result.objects) {
        if (object.kind === 'AppProject') whitelists.set(object.metadata.name!, (object.spec as any).clusterResourceWhitelist ?? []);
      }
      for (const app of argoApplications(result)) {
        if (!app.syncOptions.includes('CreateNamespace=true') || app.project === 'default') continue;
        const list = whitelists.get(app.project) ?? [];
        assert.ok(
          list.some((e) => (e.group === '' || e.group === '*') && (e.kind === 'Namespace' || e.kind === '*')),
          `${env.name}: ${app.ref} creates its namespace, which project ${app.project} forbids`,
        );
      }
    });

    it(`${env.name}: team applications deploy into the namespaces the platform creates for the team`, () => {
      const result = synth(env);
      const set = result.objects.find((o) => o.object.kind === 'ApplicationSet' && o.object.metadata.name === 'team-a-apps')!.object.spec as any;
      assert.deepEqual(set.generators[0].git.directories, [{ path: 'apps/frontend' }, { path: 'apps/backend' }]);
      assert.ok(!set.template.spec.syncPolicy.syncOptions.includes('CreateNamespace=true'));
      const namespaces = result.objects.filter((o) => o.object.kind === 'Namespace' && o.file.startsWith('tenants/')).map((o) => o.object.metadata.name);
      for (const ns of ['team-a-frontend', 'team-a-backend']) assert.ok(namespaces.includes(ns), `${ns} is created in tenants/`);
    });
  }
});

describe('Synced paths', () => {
  for (const env of [dev, staging, prod]) {
    it(`${env.name}: every path of the GitOps repository an Application, ApplicationSet or Kustomization syncs is in the tree`, () => {
      const result = synth(env);
      const root = `${env.gitops.path}/`;
      const paths: Array<{ path: string; reader: string }> = [];
      for (const { object } of result.objects) {
        const spec = object.spec as Record<string, any>;
        const source = object.kind === 'Application' ? spec.source : object.kind === 'ApplicationSet' ? spec.template.spec.source : undefined;
        if (source?.repoURL === env.gitops.repoUrl && !String(source.path).includes('{{')) paths.push({ path: source.path, reader: `${object.kind}/${object.metadata.name}` });
        if (object.kind === 'Kustomization' && object.apiVersion.startsWith('kustomize.toolkit') && spec.sourceRef?.name === 'flux-system') {
          paths.push({ path: spec.path, reader: `Kustomization/${object.metadata.name}` });
        }
      }
      assert.ok(paths.length >= 5);
      for (const { path, reader } of paths) {
        const clean = path.replace(/^\.\//, '');
        assert.ok(clean.startsWith(root), `${reader} syncs ${path}, outside ${root}`);
        const directory = clean.slice(root.length);
        assert.ok(result.files.has(`${directory}/kustomization.yaml`), `${env.name}: ${reader} syncs ${path}, which the tree does not hold`);
      }
    });
  }
});

describe('Reconcilers and service accounts', () => {
  /** Service accounts the pinned charts create (flux2 in flux-system). */
  const CHART_ACCOUNTS = new Set(['flux-system/kustomize-controller', 'flux-system/helm-controller']);
  for (const env of [dev, staging, prod]) {
    it(`${env.name}: each tenant has one least-privilege reconciler, used by its Kustomization`, () => {
      const result = synth(env);
      const inTenant = result.objects.map((o) => o.object).filter((o) => o.metadata.namespace === 'team-a');
      const accounts = inTenant.filter((o) => o.kind === 'ServiceAccount').map((o) => o.metadata.name);
      // The reconciler, and the account the tenant's own SecretStore logs in to Vault as.
      assert.deepEqual(accounts, ['external-secrets-sa', 'team-a-reconciler']);
      const store = inTenant.find((o) => o.kind === 'SecretStore')!;
      assert.equal((store.spec as any).provider.vault.auth.kubernetes.serviceAccountRef.name, 'external-secrets-sa');
      const kustomization = inTenant.find((o) => o.kind === 'Kustomization')!;
      assert.equal((kustomization.spec as any).serviceAccountName, 'team-a-reconciler');
      const role = inTenant.find((o) => o.kind === 'Role' && o.metadata.name === 'team-a-reconciler')!;
      for (const rule of (role as any).rules) {
        for (const field of ['apiGroups', 'resources', 'verbs']) assert.ok(!rule[field].includes('*'), `no wildcard in ${field}`);
        assert.ok(!rule.resources.some((r: string) => ['secrets', 'roles', 'rolebindings', 'networkpolicies'].includes(r)));
      }
    });

    it(`${env.name}: every service account a Flux object acts as exists`, () => {
      const result = synth(env);
      const accounts = new Set([...CHART_ACCOUNTS, ...result.objects.filter((o) => o.object.kind === 'ServiceAccount').map((o) => `${o.object.metadata.namespace}/${o.object.metadata.name}`)]);
      for (const { object } of result.objects) {
        const name = (object.spec as { serviceAccountName?: string } | undefined)?.serviceAccountName;
        if (!object.apiVersion.includes('toolkit.fluxcd.io') || !name) continue;
        assert.ok(accounts.has(`${object.metadata.namespace}/${name}`), `${object.kind}/${object.metadata.name} acts as ${object.metadata.namespace}/${name}, which does not exist`);
      }
    });
  }
});

describe('Namespaces and stores', () => {
  for (const env of [dev, staging, prod]) {
    it(`${env.name}: every namespace an object is in is created by Terraform, the tree or the release that installs into it`, () => {
      const result = synth(env);
      const created = new Set<string>();
      for (const r of Object.values(result.tf.resource.kubernetes_namespace_v1 ?? {})) created.add((r as any).metadata.name);
      for (const r of Object.values(result.tf.resource.helm_release ?? {})) created.add((r as any).namespace);
      for (const { object } of result.objects) {
        if (object.kind === 'Namespace') created.add(object.metadata.name!);
        if (object.kind === 'HelmRelease') created.add((object.spec as any).targetNamespace);
      }
      for (const { object, file } of result.objects) {
        const ns = object.metadata.namespace;
        if (ns) assert.ok(created.has(ns), `${env.name}: ${object.kind}/${ns}/${object.metadata.name} (${file}) is in a namespace nothing creates`);
      }
    });

    it(`${env.name}: every ExternalSecret reads from a store the tree creates: a ClusterSecretStore, or a SecretStore of its own namespace`, () => {
      const result = synth(env);
      const stores = new Set(result.objects.filter((o) => o.object.kind === 'ClusterSecretStore').map((o) => o.object.metadata.name));
      const namespaced = new Set(result.objects.filter((o) => o.object.kind === 'SecretStore').map((o) => `${o.object.metadata.namespace}/${o.object.metadata.name}`));
      const kinds = new Set<string>();
      for (const { object } of result.objects) {
        if (object.kind !== 'ExternalSecret') continue;
        const ref = (object.spec as any).secretStoreRef;
        kinds.add(ref.kind);
        const found = ref.kind === 'ClusterSecretStore' ? stores.has(ref.name) : ref.kind === 'SecretStore' && namespaced.has(`${object.metadata.namespace}/${ref.name}`);
        assert.ok(found, `${object.metadata.namespace}/${object.metadata.name} reads from ${ref.kind} ${ref.name}`);
      }
      // team-a's database credentials read from team-a's own store.
      assert.deepEqual([...kinds].sort(), ['ClusterSecretStore', 'SecretStore']);
    });
  }
});

describe('Secret references', () => {
  for (const env of [dev, staging, prod]) {
    it(`${env.name}: every Secret a Flux object reads is produced by Terraform or by an ExternalSecret applied with or before it`, () => {
      const result = synth(env);
      const produced = externalSecretTargets(result);
      const terraform = terraformSecrets(result);
      const refs = fluxSecretReferences(result);
      assert.ok(refs.length >= 6, 'the shipped environments reference chart, notification, receiver and tenant Secrets');
      for (const ref of refs) {
        if (terraform.has(ref.secret)) continue;
        const producer = produced.get(ref.secret);
        assert.ok(producer, `${env.name}: ${ref.reader} reads ${ref.secret}, which nothing produces`);
        assert.ok(
          SECTION_ORDER.indexOf(producer.section) <= SECTION_ORDER.indexOf(ref.section),
          `${env.name}: ${ref.secret} is produced in ${producer.section}, after its reader ${ref.reader} in ${ref.section}`,
        );
      }
      assert.deepEqual(result.stack.output.summary?.secretPrerequisites, []);
    });
  }

  it('ExternalSecrets write the keys each Flux reader reads', () => {
    const result = synth(prod);
    const produced = externalSecretTargets(result);
    const keysOf = (secret: string) => ((produced.get(secret)?.object.spec as { data: Array<{ secretKey: string }> }).data.map((d) => d.secretKey).sort());
    assert.deepEqual(keysOf('flux-system/platform-charts-credentials'), ['password', 'username']);
    assert.deepEqual(keysOf('flux-system/flux-slack-webhook'), ['address']);
    assert.deepEqual(keysOf('flux-system/flux-msteams-webhook'), ['address']);
    assert.deepEqual(keysOf('flux-system/flux-audit-webhook'), ['address']);
    assert.deepEqual(keysOf('flux-system/flux-github-token'), ['token']);
    assert.deepEqual(keysOf('flux-system/flux-webhook-token'), ['token']);
    assert.deepEqual(keysOf('team-a/team-a-git-credentials'), ['password', 'username']);
    const registry = produced.get('flux-system/ghcr-credentials') ?? externalSecretTargets(synth(dev)).get('flux-system/ghcr-credentials');
    const spec = registry?.object.spec as { data: Array<{ secretKey: string }>; target: { template: { type: string } } };
    assert.deepEqual(spec.data.map((d) => d.secretKey), ['.dockerconfigjson']);
    assert.equal(spec.target.template.type, 'kubernetes.io/dockerconfigjson');
  });

  it('every ExternalSecret reads from the environment\'s store, whichever it is', () => {
    const aws: EnvironmentConfig = { ...prod, security: { ...prod.security, defaultStore: 'aws' } };
    const result = synth(aws);
    const stores = new Set<string>();
    for (const { object } of result.objects) {
      if (object.kind !== 'ExternalSecret') continue;
      const ref = (object.spec as { secretStoreRef: { kind: string; name: string } }).secretStoreRef;
      // A tenant's own store (Vault, in its namespace) is the tenant's, not the environment's.
      if (ref.kind === 'SecretStore') assert.equal(object.metadata.namespace, 'team-a');
      else stores.add(ref.name);
    }
    assert.deepEqual([...stores], ['aws-secretsmanager']);
    const clusterStores = result.objects.filter((o) => o.object.kind === 'ClusterSecretStore').map((o) => o.object.metadata.name);
    assert.ok(clusterStores.includes('aws-secretsmanager'));
  });

  it('without the security module: no ExternalSecret, and every Secret is a prerequisite named in SECRETS.md', () => {
    const bare: EnvironmentConfig = {
      // A production tier that denies violations needs the security module: this runs prod's settings as a staging tier.
      ...prod,
      tier: 'staging',
      modules: prod.modules.filter((m) => m !== 'security'),
      security: undefined,
      // Flux decrypts with the age key, which only the security module's ExternalSecret makes: declared instead.
      deployModel: { ...prod.deployModel, prerequisiteSecrets: [...(prod.deployModel?.prerequisiteSecrets ?? []), { namespace: 'flux-system', name: 'sops-age', why: 'the SOPS age key (`age.agekey`), created with kubectl before the deploy' }] },
    };
    const result = synth(bare);
    assert.equal(result.objects.filter((o) => o.object.kind === 'ExternalSecret').length, 0);
    const prerequisites = result.stack.output.summary?.secretPrerequisites ?? [];
    for (const secret of [
      'flux-system/platform-charts-credentials',
      'flux-system/flux-slack-webhook',
      'flux-system/flux-webhook-token',
      'team-a/team-a-git-credentials',
      'monitoring/alertmanager-notifications',
      'argocd/argocd-notifications-secret',
      'argocd/argocd-sso',
    ]) {
      assert.ok(prerequisites.includes(secret), `${secret} is a prerequisite`);
    }
    assert.ok(!prerequisites.includes('flux-system/gitops-repo-credentials'), 'Terraform creates the GitOps repository Secret');
    const guide = result.files.get('SECRETS.md') ?? '';
    assert.match(guide, /name: flux-slack-webhook\n\s+type: Opaque\n\s+keys:\n\s+- address/);
    assert.match(guide, /No secret store is configured/);
  });
});
