import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import * as fs from 'fs';
import { dev, prod, staging } from '../../environments';
import { EnvironmentConfig } from '../../lib/platform/environment';
import { ManifestObject } from '../../lib/platform/gitops-tree';
import { synthEnvironment, SynthResult } from '../support/synth';

/** Every reference a shipped object makes resolves to something the environment creates. */
const results: SynthResult[] = [];
function synth(env: EnvironmentConfig): SynthResult {
  const result = synthEnvironment(env);
  results.push(result);
  return result;
}
after(() => {
  for (const r of results) fs.rmSync(r.directory, { recursive: true, force: true });
});

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
      stores.add((object.spec as { secretStoreRef: { name: string } }).secretStoreRef.name);
    }
    assert.deepEqual([...stores], ['aws-secretsmanager']);
    const clusterStores = result.objects.filter((o) => o.object.kind === 'ClusterSecretStore').map((o) => o.object.metadata.name);
    assert.ok(clusterStores.includes('aws-secretsmanager'));
  });

  it('without the security module: no ExternalSecret, and every Secret is a prerequisite named in SECRETS.md', () => {
    const bare: EnvironmentConfig = { ...prod, modules: prod.modules.filter((m) => m !== 'security'), security: undefined };
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
