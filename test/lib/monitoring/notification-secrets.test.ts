import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import * as fs from 'fs';
import { TerraformStack, Testing } from 'cdktf';
import { dev, prod } from '../../../environments';
import { Monitoring } from '../../../lib/monitoring/monitoring';
import { Platform } from '../../../lib/platform/platform';
import { validateEnvironment } from '../../../stacks/validate-environment';
import { EnvironmentConfig } from '../../../stacks/environment';
import { objectsOf, synthEnvironment, SynthResult } from '../../support/synth';
import { assertValidManifests } from '../../support/validate';

const made: SynthResult[] = [];
function synth(env: EnvironmentConfig): SynthResult {
  const r = synthEnvironment(env);
  made.push(r);
  return r;
}
after(() => made.forEach((r) => fs.rmSync(r.directory, { recursive: true, force: true })));

describe('NotificationSecrets', () => {
  it('materialises every Secret key the prod receivers read from the store', () => {
    const result = synth(prod);
    const [secret] = objectsOf(result, 'ExternalSecret', 'alertmanager-notifications');
    assert.ok(secret);
    assert.equal(secret.metadata.namespace, 'monitoring');
    const spec = secret.spec as { data: Array<{ secretKey: string; remoteRef: { key: string; property: string } }>; target: { name: string } };
    assert.deepEqual(
      spec.data.map((d) => d.secretKey),
      ['pagerduty-routing-key', 'remediation-token', 'remediation-url', 'slack-api-url', 'smtp-password'],
    );
    for (const d of spec.data) assert.deepEqual(d.remoteRef, { key: 'monitoring/alertmanager-notifications', property: d.secretKey });
    assert.equal(spec.target.name, 'alertmanager-notifications');
    assert.equal(result.objects.find((o) => o.object === secret)!.file, 'infrastructure/monitoring-secrets.yaml');
    assertValidManifests([secret]);
  });

  it('reads from the store the environment uses, not always vault-backend', () => {
    // prod's default store is Vault (`vault-backend`); with AWS as the default,
    // the Alertmanager and Argo CD notification Secrets follow it.
    const result = synth({ ...prod, security: { ...prod.security, defaultStore: 'aws' } });
    const notifications = objectsOf(result, 'ExternalSecret').filter((o) => /notifications/.test(String(o.metadata.name)));
    assert.deepEqual(notifications.map((o) => `${o.metadata.namespace}/${o.metadata.name}`).sort(), ['argocd/argocd-notifications-secret', 'monitoring/alertmanager-notifications']);
    for (const o of notifications) {
      assert.deepEqual((o.spec as { secretStoreRef: unknown }).secretStoreRef, { name: 'aws-secretsmanager', kind: 'ClusterSecretStore' }, `${o.metadata.name}`);
    }
  });

  it('is left to the operator when the security module (and so the secret store) is off', () => {
    // The operator creates the Secret: a prerequisite the deploy model lists in DEPLOY-REPORT.md.
    const result = synth({
      ...prod,
      name: 'nosec',
      // A production tier that denies violations needs the security module: prod's settings as a staging tier.
      tier: 'staging',
      modules: prod.modules.filter((m) => m !== 'security'),
      delivery: { ...prod.delivery, promotion: { ...prod.delivery!.promotion!, path: ['dev', 'staging', 'nosec'] } },
      deployModel: {
        ...prod.deployModel,
        prerequisiteSecrets: [
          { namespace: 'monitoring', name: 'alertmanager-notifications', why: 'the receivers\' keys; no secret store without the security module' },
          { namespace: 'flux-system', name: 'sops-age', why: 'the SOPS age key; no secret store without the security module' },
        ],
      },
    });
    assert.equal(objectsOf(result, 'ExternalSecret', 'alertmanager-notifications').length, 0);
    assert.match(result.files.get('policies/DEPLOY-REPORT.md')!, /- Secret `monitoring\/alertmanager-notifications`: the receivers' keys/);
  });

  it("reads from a store handle of the team's own, in a stack without the security module", () => {
    const stack = new TerraformStack(Testing.app(), 'observability');
    const platform = new Platform(stack, 'Platform', { environment: validateEnvironment({ ...dev, modules: ['monitoring'] }) });
    const monitoring = new Monitoring(stack, 'Monitoring', { ...dev.monitoring, platform, secretStore: { name: 'team-vault', kind: 'SecretStore' } });
    assert.deepEqual(monitoring.secretStore, { name: 'team-vault', kind: 'SecretStore' });
    const secret = platform.tree.manifests().map((m) => m.object).find((o) => o.kind === 'ExternalSecret' && o.metadata.name === 'alertmanager-notifications');
    assert.ok(secret, 'the receivers\' ExternalSecret');
    assert.deepEqual((secret.spec as { secretStoreRef: unknown }).secretStoreRef, { name: 'team-vault', kind: 'SecretStore' });
    assertValidManifests([secret]);
    const required = platform.secrets.all.find((x) => x.name === 'alertmanager-notifications')!;
    assert.equal(platform.secrets.producerOf(required), 'ExternalSecret from `team-vault` key `monitoring/alertmanager-notifications`');
    assert.deepEqual(platform.secrets.prerequisites.map((x) => x.name), []);
  });

  it('reads no store it is not given, even one the platform knows of', () => {
    const stack = new TerraformStack(Testing.app(), 'observability');
    const platform = new Platform(stack, 'Platform', { environment: validateEnvironment({ ...dev, modules: ['monitoring'] }) });
    platform.secrets.useSecretStore({ name: 'vault-backend', kind: 'ClusterSecretStore' });
    new Monitoring(stack, 'Monitoring', { ...dev.monitoring, platform });
    assert.equal(platform.tree.manifests().filter((m) => m.object.kind === 'ExternalSecret').length, 0);
    assert.deepEqual(platform.secrets.prerequisites.map((x) => `${x.namespace}/${x.name}`), ['monitoring/alertmanager-notifications']);
  });
});
