import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { argoCdConfigMaps, chartDefaults, externalSecretTarget, mergeValues, modelledObjects } from '../../scripts/seed-coverage-model';
import { asStored } from '../../scripts/seed-coverage';

const externalSecret = (spec: Record<string, unknown>, metadata: Record<string, unknown> = {}) => ({
  apiVersion: 'external-secrets.io/v1',
  kind: 'ExternalSecret',
  metadata: { name: 'prod-us-east', namespace: 'argocd', labels: { team: 'platform' }, ...metadata },
  spec: { secretStoreRef: { kind: 'ClusterSecretStore', name: 'vault-backend' }, data: [{ secretKey: 'bearerToken', remoteRef: { key: 'clusters/prod-us-east', property: 'bearerToken' } }], ...spec },
});

describe('seed coverage model (scripts/seed-coverage-model.ts)', () => {
  it('models the Secret of a templated ExternalSecret: target name, namespace, template labels and type, the template keys only', () => {
    const secret = externalSecretTarget(externalSecret({
      target: { name: 'cluster-prod', template: { type: 'Opaque', metadata: { labels: { 'argocd.argoproj.io/secret-type': 'cluster' } }, data: { server: 'https://k8s.example.org', config: '{"bearerToken":"{{ .bearerToken }}"}' } } },
    }));
    assert.deepEqual(secret, {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 'cluster-prod', namespace: 'argocd', labels: { 'argocd.argoproj.io/secret-type': 'cluster' } },
      type: 'Opaque',
      data: { server: 'https://k8s.example.org', config: '{"bearerToken":"{{ .bearerToken }}"}' },
    });
  });

  it('models the Secret of an ExternalSecret without template data: the fetched keys, its own labels without a template, Opaque', () => {
    assert.deepEqual(externalSecretTarget(externalSecret({ target: { template: { type: 'kubernetes.io/dockerconfigjson' } } })), {
      apiVersion: 'v1', kind: 'Secret', metadata: { name: 'prod-us-east', namespace: 'argocd' }, type: 'kubernetes.io/dockerconfigjson', data: { bearerToken: '<clusters/prod-us-east#bearerToken>' },
    });
    assert.deepEqual(externalSecretTarget(externalSecret({})), {
      apiVersion: 'v1', kind: 'Secret', metadata: { name: 'prod-us-east', namespace: 'argocd', labels: { team: 'platform' } }, type: 'Opaque', data: { bearerToken: '<clusters/prod-us-east#bearerToken>' },
    });
    // Template data merged with the fetched keys only with mergePolicy Merge.
    const merged = externalSecretTarget(externalSecret({ target: { template: { mergePolicy: 'Merge', data: { url: 'x' } } } }));
    assert.deepEqual(Object.keys(merged!.data as object), ['bearerToken', 'url']);
  });

  it('models no Secret for an ExternalSecret that merges into another one or writes none, nor for other kinds', () => {
    assert.equal(externalSecretTarget(externalSecret({ target: { creationPolicy: 'Merge' } })), undefined);
    assert.equal(externalSecretTarget(externalSecret({ target: { creationPolicy: 'None' } })), undefined);
    assert.equal(externalSecretTarget({ apiVersion: 'v1', kind: 'ConfigMap' }), undefined);
  });

  it('merges values as Helm does: maps key by key, lists replaced, null deletes', () => {
    assert.deepEqual(mergeValues({ a: { b: 1, c: [1, 2] }, d: 1 }, { a: { c: [3] }, d: null, e: 'x' }), { a: { b: 1, c: [3] }, e: 'x' });
  });

  it('renders the argo-cd chart\'s argocd-cm, argocd-rbac-cm and argocd-notifications-cm from the pinned chart\'s defaults and the release values', () => {
    const defaults = chartDefaults('argo-cd', '10.3.0');
    const [cm, rbac, notifications] = argoCdConfigMaps('argocd', [{
      global: { domain: 'argocd.example.org' },
      configs: { cm: { 'admin.enabled': false, 'exec.enabled': '' }, rbac: { 'policy.default': 'role:readonly', scopes: '[groups, email]' } },
      notifications: { notifiers: { 'service.slack': 'token: $slack-token\n' }, triggers: { 'trigger.on-deployed': '- send: [app-deployed]\n' }, subscriptions: [{ recipients: ['slack:alerts'], triggers: ['on-deployed'] }] },
    }], defaults);
    assert.deepEqual(cm.metadata, { name: 'argocd-cm', namespace: 'argocd' });
    const data = cm.data as Record<string, string>;
    assert.equal(data.url, 'https://argocd.example.org');
    assert.equal(data['admin.enabled'], 'false');
    assert.equal(data['timeout.reconciliation'], '120s', 'the chart default is kept');
    assert.equal('exec.enabled' in data, false, 'an empty value is left out');
    assert.equal('create' in data, false);
    assert.deepEqual(rbac.data, { 'policy.default': 'role:readonly', 'policy.csv': '', scopes: '[groups, email]', 'policy.matchMode': 'glob' });
    assert.deepEqual(notifications.data, {
      context: 'argocdUrl: https://argocd.example.org\n',
      'service.slack': 'token: $slack-token\n',
      subscriptions: '- recipients:\n    - slack:alerts\n  triggers:\n    - on-deployed\n',
      'trigger.on-deployed': '- send: [app-deployed]\n',
    });
    assert.equal(argoCdConfigMaps('argocd', [{ notifications: { enabled: false }, configs: { rbac: { create: false } } }], defaults).map((c) => (c.metadata as { name: string }).name).join(), 'argocd-cm');
  });

  it('models an environment from its tree and its Terraform argo-cd release', () => {
    const objects = modelledObjects([{ file: 'apps/argocd-secrets.yaml', object: externalSecret({}) }], {
      resource: { helm_release: { Install: { chart: 'argo-cd', version: '10.3.0', namespace: 'gitops', values: ['global:\n  domain: cd.example.org\n'] }, Other: { chart: 'flux2', version: '2.18.3' } } },
    });
    assert.deepEqual(objects.map((o) => [o.file, (o.object.metadata as { name: string; namespace: string }).namespace, (o.object.metadata as { name: string }).name]), [
      ['apps/argocd-secrets.yaml (the Secret its ExternalSecret writes)', 'argocd', 'prod-us-east'],
      ['cdk.tf.json:helm_release.Install (the ConfigMap the chart renders)', 'gitops', 'argocd-cm'],
      ['cdk.tf.json:helm_release.Install (the ConfigMap the chart renders)', 'gitops', 'argocd-rbac-cm'],
      ['cdk.tf.json:helm_release.Install (the ConfigMap the chart renders)', 'gitops', 'argocd-notifications-cm'],
    ]);
  });

  it('compares a seed Secret\'s stringData as the data the API server stores', () => {
    assert.deepEqual(asStored({ apiVersion: 'v1', kind: 'Secret', data: { a: 'x' }, stringData: { a: 'y', b: 'z' } }), { apiVersion: 'v1', kind: 'Secret', data: { a: 'y', b: 'z' } });
    const cm = { apiVersion: 'v1', kind: 'ConfigMap', stringData: { a: 'y' } };
    assert.equal(asStored(cm), cm);
  });
});
