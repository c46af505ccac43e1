import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ArgoCdExternalSecret, ClusterRegistration } from '../../../lib/argocd';
import { newChart, objectOf, objects } from './support';

const credentials = { store: { name: 'vault-backend' }, remoteKey: 'clusters/prod-us-east' };

describe('ClusterRegistration', () => {
  it('writes the cluster Secret through an ExternalSecret, labelled for the cluster generator', () => {
    const chart = newChart();
    const cluster = new ClusterRegistration(chart, 'ProdUsEast', {
      name: 'prod-us-east',
      server: 'https://prod-us-east.k8s.company.com',
      labels: { environment: 'production', region: 'us-east-1' },
      project: 'platform',
      credentials: { ...credentials, tokenProperty: 'token', caDataProperty: 'ca' },
    });
    assert.equal(cluster.name, 'prod-us-east');
    // No Secret object: only the ExternalSecret is in the tree.
    assert.deepEqual(objects(chart).map((o) => o.kind), ['ExternalSecret']);
    const es = objectOf(chart, 'ExternalSecret') as any;
    assert.deepEqual(es.spec.secretStoreRef, { name: 'vault-backend', kind: 'ClusterSecretStore' });
    assert.deepEqual(es.spec.data, [
      { secretKey: 'bearerToken', remoteRef: { key: 'clusters/prod-us-east', property: 'token' } },
      { secretKey: 'caData', remoteRef: { key: 'clusters/prod-us-east', property: 'ca' } },
    ]);
    assert.deepEqual(es.spec.target.template.metadata.labels, {
      environment: 'production',
      region: 'us-east-1',
      'argocd.argoproj.io/secret-type': 'cluster',
    });
    assert.deepEqual(es.spec.target.template.data, {
      name: 'prod-us-east',
      server: 'https://prod-us-east.k8s.company.com',
      config: '{"bearerToken":"{{ .bearerToken }}","tlsClientConfig":{"insecure":false,"caData":"{{ .caData }}"}}',
      project: 'platform',
    });
  });

  it('fails when the server is not https or is the in-cluster server', () => {
    assert.throws(() => new ClusterRegistration(newChart(), 'C', { name: 'c', server: 'http://c.company.com', credentials }), {
      message: 'test/C: server is "http://c.company.com". Use the https:// URL of the cluster API server.',
    });
    assert.throws(() => new ClusterRegistration(newChart(), 'C', { name: 'c', server: 'https://kubernetes.default.svc', credentials }), {
      message: 'test/C: server is "https://kubernetes.default.svc". The in-cluster server is registered already; register only remote clusters.',
    });
  });

  it('fails when the labels try to set the secret type', () => {
    assert.throws(
      () => new ClusterRegistration(newChart(), 'C', { name: 'c', server: 'https://c.company.com', credentials, labels: { 'argocd.argoproj.io/secret-type': 'repository' } }),
      { message: 'test/C: labels is "argocd.argoproj.io/secret-type". This label is set by the construct; remove it.' },
    );
  });
});

describe('ArgoCdExternalSecret', () => {
  it('creates a Secret labelled part-of argocd from the store', () => {
    const chart = newChart();
    new ArgoCdExternalSecret(chart, 'Sso', {
      secretName: 'argocd-sso',
      store: { name: 'aws', kind: 'SecretStore' },
      data: [{ secretKey: 'oidc.clientSecret', remoteKey: 'argocd/argocd-sso', property: 'oidc.clientSecret' }],
      refreshInterval: '15m',
    });
    assert.deepEqual(objectOf(chart, 'ExternalSecret'), {
      apiVersion: 'external-secrets.io/v1',
      kind: 'ExternalSecret',
      metadata: { name: 'argocd-sso', namespace: 'argocd' },
      spec: {
        refreshInterval: '15m',
        secretStoreRef: { name: 'aws', kind: 'SecretStore' },
        target: {
          name: 'argocd-sso',
          creationPolicy: 'Owner',
          template: { engineVersion: 'v2', type: 'Opaque', metadata: { labels: { 'app.kubernetes.io/part-of': 'argocd' } } },
        },
        data: [{ secretKey: 'oidc.clientSecret', remoteRef: { key: 'argocd/argocd-sso', property: 'oidc.clientSecret' } }],
      },
    });
  });

  it('fails when a key is repeated or nothing is fetched', () => {
    assert.throws(() => new ArgoCdExternalSecret(newChart(), 'S', { secretName: 's', store: { name: 'v' }, data: [] }), {
      message: 'test/S: data is []. Fetch at least one key from the store.',
    });
    assert.throws(
      () =>
        new ArgoCdExternalSecret(newChart(), 'S', {
          secretName: 's',
          store: { name: 'v' },
          data: [
            { secretKey: 'a', remoteKey: 'x' },
            { secretKey: 'a', remoteKey: 'y' },
          ],
        }),
      { message: 'test/S: data.secretKey is "a". Use each Secret key once (letters, digits, ".", "_" and "-").' },
    );
  });
});
