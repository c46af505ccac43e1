import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { storeProducer } from '../../../lib/platform/external-secrets/store-secret';
import { SecretRegistry } from '../../../lib/platform/secrets';

describe('SecretRegistry', () => {
  it('a Secret is produced only by what its reader names; the registered store names the ExternalSecrets in SECRETS.md', () => {
    const registry = new SecretRegistry();
    registry.require({ namespace: 'flux-system', name: 'flux-slack-webhook', keys: ['address'], readBy: 'Provider flux-system/slack', remoteKey: 'flux/flux-slack-webhook' });
    registry.require({ namespace: 'flux-system', name: 'repo', keys: ['username', 'password'], readBy: 'GitRepository flux-system/flux-system', producedBy: 'Terraform' });
    assert.deepEqual(registry.prerequisites.map((s) => s.name), ['flux-slack-webhook']);
    assert.match(registry.render('dev'), /name: flux-slack-webhook\n\s+type: Opaque\n\s+keys:\n\s+- address/);
    assert.match(registry.render('dev'), /No secret store is configured/);

    // A store registered for the report produces nothing by itself: the reader was given no store.
    registry.useSecretStore({ name: 'aws-secretsmanager', kind: 'ClusterSecretStore' });
    assert.deepEqual(registry.prerequisites.map((s) => s.name), ['flux-slack-webhook']);
    assert.match(registry.render('dev'), /ExternalSecrets read from the ClusterSecretStore `aws-secretsmanager`/);

    const produced = new SecretRegistry();
    produced.require({ namespace: 'flux-system', name: 'flux-slack-webhook', keys: ['address'], readBy: 'Provider flux-system/slack', remoteKey: 'flux/flux-slack-webhook', producedBy: storeProducer({ name: 'aws-secretsmanager' }, 'flux/flux-slack-webhook') });
    assert.deepEqual(produced.prerequisites, []);
    assert.equal(produced.producerOf(produced.all[0]), 'ExternalSecret from `aws-secretsmanager` key `flux/flux-slack-webhook`');
    assert.match(produced.render('dev'), /None: every Secret has a producer\./);
  });

  it('with no registered store, names the stores the readers were given when ExternalSecrets produce Secrets', () => {
    const registry = new SecretRegistry();
    registry.require({ namespace: 'status-page', name: 'pull', keys: ['.dockerconfigjson'], readBy: 'Deployment status-page/status-page', remoteKey: 'flux/pull', producedBy: storeProducer({ name: 'team-store' }, 'flux/pull') });
    const rendered = registry.render('dev');
    assert.match(rendered, /ExternalSecrets read from the stores the modules were given, named per Secret below/);
    assert.doesNotMatch(rendered, /No secret store is configured/);
    assert.match(rendered, /ExternalSecret from `team-store` key `flux\/pull`/);
  });

  it('merges the keys of several readers of one Secret', () => {
    const registry = new SecretRegistry();
    registry.require({ namespace: 'monitoring', name: 'alerts', keys: ['slack-api-url'], readBy: 'Alertmanager', remoteKey: 'monitoring/alerts' });
    registry.require({ namespace: 'monitoring', name: 'alerts', keys: ['smtp-password', 'slack-api-url'], readBy: 'Grafana', remoteKey: 'monitoring/alerts' });
    assert.deepEqual(registry.all[0].keys, ['slack-api-url', 'smtp-password']);
    assert.equal(registry.all[0].readBy, 'Alertmanager, Grafana');
  });

  it('fails when two readers give one Secret different producers, or a second store is set', () => {
    const registry = new SecretRegistry();
    registry.require({ namespace: 'argocd', name: 'tls', keys: ['tls.crt'], readBy: 'ingress A', producedBy: 'cert-manager' });
    assert.throws(() => registry.require({ namespace: 'argocd', name: 'tls', keys: ['tls.crt'], readBy: 'ingress B', remoteKey: 'argocd/tls' }), {
      message: 'SecretRegistry: Secret argocd/tls is "ingress B". It is already produced for ingress A (cert-manager); let both readers use one producer.',
    });
    registry.useSecretStore({ name: 'vault-backend', kind: 'ClusterSecretStore' });
    assert.throws(() => registry.useSecretStore({ name: 'other', kind: 'ClusterSecretStore' }), /already ClusterSecretStore "vault-backend"/);
  });
});
