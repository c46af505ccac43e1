import assert from 'node:assert/strict';
import { parse } from 'yaml';
import { createHash } from 'node:crypto';
import { describe, it } from 'node:test';
import { App, Chart, Testing } from 'cdk8s';
import { ConfigError } from '../../../lib/platform/errors';
import { ClusterSecretStore, DatabaseCredentials, ExternalSecret, ExternalSecretCredentials, SealedSecret, SecretStore, SecretStoreProvider, SecretStoreRef, SopsAgeKey, SopsDecryption } from '../../../lib/security';
import { sealedValueProblem } from '../../../lib/security/secrets/sealed-secrets';
import { sopsConfig } from '../../../lib/security/secrets/sops';
import { validateManifest } from '../../support/validate';

type Json = Record<string, unknown>;

function chart(): Chart {
  return new Chart(Testing.app() as App, 'test', { disableResourceNameHashes: true });
}

function json(c: Chart): Json[] {
  const objects = c.toJson() as Json[];
  for (const o of objects) assert.deepEqual(validateManifest(o), [], `${String(o.kind)} is valid`);
  return objects;
}

/** A deterministic value with kubeseal's layout: 2-byte RSA length, RSA ciphertext, AES-GCM ciphertext + tag. */
function sealed(rsaBytes = 512, payload = 24, seed = 'x'): string {
  const bytes: number[] = [rsaBytes >> 8, rsaBytes & 0xff];
  let block: Buffer = Buffer.from(seed);
  while (bytes.length < 2 + rsaBytes + payload + 16) {
    block = createHash('sha256').update(block).digest();
    bytes.push(...block);
  }
  return Buffer.from(bytes.slice(0, 2 + rsaBytes + payload + 16)).toString('base64');
}

describe('SecretStoreProvider and stores', () => {
  it('renders the seeds Vault store with Kubernetes auth as a ClusterSecretStore', () => {
    const c = chart();
    const store = new ClusterSecretStore(c, 'Vault', {
      name: 'vault-backend',
      provider: SecretStoreProvider.vault({ server: 'https://vault.company.com', role: 'production-role' }),
    });
    const [obj] = json(c);
    assert.equal(obj.apiVersion, 'external-secrets.io/v1');
    assert.deepEqual(obj.spec, {
      provider: {
        vault: {
          server: 'https://vault.company.com',
          path: 'secret',
          version: 'v2',
          auth: { kubernetes: { mountPath: 'kubernetes', role: 'production-role', serviceAccountRef: { name: 'external-secrets-sa', namespace: 'external-secrets' } } },
        },
      },
    });
    assert.equal(store.ref.kind, 'ClusterSecretStore');
  });

  it('renders AWS Secrets Manager with the service-account JWT, namespaced or cluster-wide', () => {
    const c = chart();
    const provider = SecretStoreProvider.awsSecretsManager({ region: 'us-east-1' });
    new SecretStore(c, 'Ns', { name: 'aws-secretsmanager', namespace: 'team-a', provider });
    new ClusterSecretStore(c, 'Cluster', { name: 'aws-secretsmanager', provider, namespaces: ['team-a'] });
    const [ns, cluster] = json(c);
    assert.deepEqual((ns.spec as Json).provider, {
      aws: { service: 'SecretsManager', region: 'us-east-1', auth: { jwt: { serviceAccountRef: { name: 'external-secrets-sa' } } } },
    });
    assert.deepEqual((cluster.spec as Json).conditions, [{ namespaces: ['team-a'] }]);
    assert.deepEqual(provider.describe(), { provider: 'aws-secretsmanager', region: 'us-east-1', auth: 'jwt (service account external-secrets/external-secrets-sa)' });
  });

  it('fails when a store is given a bad server, role or region', () => {
    assert.throws(() => SecretStoreProvider.vault({ server: 'http://vault.company.com', role: 'r' }), /SecretStoreProvider.vault: server is "http:\/\/vault.company.com". Use the https:\/\/ URL of the Vault server/);
    assert.throws(() => SecretStoreProvider.vault({ server: 'https://vault.company.com', role: 'a role' }), /role is "a role"/);
    assert.throws(() => SecretStoreProvider.awsSecretsManager({ region: 'useast1' }), /region is "useast1". Use an AWS region such as "us-east-1"./);
  });
});

describe('ExternalSecret', () => {
  it('renders the seeds database credentials with the connection-string template', () => {
    const c = chart();
    const db = new DatabaseCredentials(c, 'Db', { namespace: 'production', remoteKey: 'database/production' });
    const [obj] = json(c);
    assert.equal(db.secretName, 'database-secret');
    assert.deepEqual(obj.metadata, { name: 'database-credentials', namespace: 'production' });
    const spec = obj.spec as Json;
    assert.equal(spec.refreshInterval, '1h');
    assert.deepEqual(spec.secretStoreRef, { name: 'vault-backend', kind: 'ClusterSecretStore' });
    assert.deepEqual(spec.target, {
      name: 'database-secret',
      creationPolicy: 'Owner',
      template: {
        engineVersion: 'v2',
        type: 'Opaque',
        data: {
          username: '{{ .username }}',
          password: '{{ .password }}',
          'connection-string': 'postgresql://{{ .username }}:{{ .password }}@{{ .host }}:5432/{{ .database }}',
        },
      },
    });
    assert.deepEqual(
      (spec.data as Json[]).map((d) => [d.secretKey, (d.remoteRef as Json).key, (d.remoteRef as Json).property]),
      ['username', 'password', 'host', 'database'].map((k) => [k, 'database/production', k]),
    );
  });

  it('fails when a credential field of a template is a literal', () => {
    assert.throws(
      () =>
        new ExternalSecret(chart(), 'Es', {
          name: 'x',
          namespace: 'team-a',
          data: [{ secretKey: 'password', remoteKey: 'k' }],
          template: { data: { password: 'hunter22' } },
        }),
      (e: unknown) => e instanceof ConfigError && /template\.data\.password is a redacted value \(it looks like a password in "password"\)\. Secret fields must come from the store/.test(e.message) && !e.message.includes('hunter22'),
    );
    assert.throws(() => new ExternalSecret(chart(), 'Es', { name: 'x', namespace: 'team-a', data: [] }), /data is \[\]. Fetch at least one value./);
    assert.throws(() => new ExternalSecret(chart(), 'Es', { name: 'x', namespace: 'team-a', data: [{ secretKey: 'a', remoteKey: 'k' }], refreshInterval: 'hourly' }), /refreshInterval is "hourly"/);
  });

  it('materialises repository, cluster, Git and token credentials as named Secrets', () => {
    const c = chart();
    const repo = ExternalSecretCredentials.argoCdRepository(c, 'Repo', { name: 'gitops-repo-credentials', url: 'https://github.com/company/gitops-infrastructure', remoteKey: 'git/gitops' });
    ExternalSecretCredentials.argoCdCluster(c, 'Cluster', { name: 'production-cluster', server: 'https://production-k8s-api.company.com', remoteKey: 'clusters/production' });
    const git = ExternalSecretCredentials.gitCredentials(c, 'Git', { name: 'team-a-git-credentials', namespace: 'team-a', remoteKey: 'git/team-a' });
    ExternalSecretCredentials.token(c, 'Slack', { name: 'slack-token', namespace: 'flux-system', remoteKey: 'notifications/slack', secretKey: 'token', store: SecretStoreRef.cluster('aws-secretsmanager') });
    const [r, cl, g, s] = json(c);
    assert.equal(repo.secretName, 'gitops-repo-credentials');
    assert.equal(repo.namespace, 'argocd');
    assert.deepEqual(((r.spec as Json).target as Json).template, {
      engineVersion: 'v2',
      type: 'Opaque',
      metadata: { labels: { 'argocd.argoproj.io/secret-type': 'repository' } },
      data: { type: 'git', url: 'https://github.com/company/gitops-infrastructure', username: '{{ .username }}', password: '{{ .password }}' },
    });
    const clusterData = (((cl.spec as Json).target as Json).template as Json).data as Json;
    assert.equal(clusterData.config, '{"bearerToken":"{{ .bearerToken }}","tlsClientConfig":{"insecure":false,"caData":"{{ .caData }}"}}');
    assert.equal(git.namespace, 'team-a');
    assert.equal(((g.spec as Json).target as Json).template, undefined);
    assert.deepEqual((s.spec as Json).secretStoreRef, { name: 'aws-secretsmanager', kind: 'ClusterSecretStore' });
    assert.throws(() => ExternalSecretCredentials.argoCdRepository(chart(), 'R', { name: 'r', url: 'git@github.com:company/x.git', remoteKey: 'k' }), /url is "git@github.com:company\/x.git". Use an https:\/\/ URL without credentials./);
  });
});

describe('SealedSecret', () => {
  it('accepts kubeseal ciphertext for 2048, 3072 and 4096-bit keys', () => {
    const c = chart();
    new SealedSecret(c, 'S', { name: 'mysecret', namespace: 'default', encryptedData: { password: sealed(512), token: sealed(256, 0) } });
    new SealedSecret(c, 'W', { name: 'wide', namespace: 'default', encryptedData: { a: sealed(384) }, scope: 'namespace-wide', secretLabels: { team: 'a' } });
    const [obj, wide] = json(c);
    assert.equal(obj.apiVersion, 'bitnami.com/v1alpha1');
    assert.deepEqual((obj.spec as Json).template, { type: 'Opaque', metadata: { name: 'mysecret', namespace: 'default' } });
    assert.deepEqual((wide.metadata as Json).annotations, { 'sealedsecrets.bitnami.com/namespace-wide': 'true' });
    assert.equal(sealedValueProblem(sealed(512)), undefined);
  });

  it('fails when given plaintext, without repeating it', () => {
    for (const [value, problem] of [
      ['mypassword', 'it is not base64 ciphertext (plaintext?)'],
      ['mypasswordab', 'it does not have the kubeseal ciphertext layout (base64-encoded plaintext?)'],
      ['my password!', 'it is not base64 ciphertext (plaintext?)'],
      [Buffer.from('correct horse battery staple').toString('base64'), 'it does not have the kubeseal ciphertext layout (base64-encoded plaintext?)'],
      ['AgBQ7H5K9...encrypted...', 'it is not base64 ciphertext (plaintext?)'],
      [sealed(512).slice(0, 400), 'it does not have the kubeseal ciphertext layout (base64-encoded plaintext?)'],
      ['', 'it is empty'],
    ] as const) {
      assert.throws(
        () => new SealedSecret(chart(), 'S', { name: 'mysecret', namespace: 'default', encryptedData: { password: value } }),
        (e: unknown) =>
          e instanceof ConfigError &&
          // Withheld either way; a value that looks like a password is said to be one.
          /^test\/S: encryptedData\.password is (a redacted value \(it looks like a password in "password"\)|"\(value withheld\)")\. /.test(e.message) &&
          e.message.includes(`It is not a sealed value: ${problem}. Seal it first: kubectl create secret generic mysecret`) &&
          (value === '' || !e.message.includes(value)),
        value,
      );
    }
    assert.throws(() => new SealedSecret(chart(), 'S', { name: 'm', namespace: 'd', encryptedData: {} }), /encryptedData is \{\}. Give at least one value sealed with kubeseal./);
  });
});

describe('SOPS', () => {
  it('exposes the Flux Kustomization decryption for the age key Secret', () => {
    assert.deepEqual(SopsDecryption.age('sops-age').toJson(), { provider: 'sops', secretRef: { name: 'sops-age' } });
    assert.deepEqual(SopsDecryption.age().toJson(), { provider: 'sops', secretRef: { name: 'sops-age' } });
    assert.throws(() => SopsDecryption.age('Sops Age'), /SopsDecryption.age: secretName is "Sops Age"/);
  });

  it('materialises the age key from the store into flux-system', () => {
    const c = chart();
    const key = new SopsAgeKey(c, 'Age', { remoteKey: 'flux/sops-age' });
    const [obj] = json(c);
    assert.deepEqual(obj.metadata, { name: 'sops-age', namespace: 'flux-system' });
    assert.deepEqual((obj.spec as Json).data, [{ secretKey: 'age.agekey', remoteRef: { key: 'flux/sops-age', property: 'age.agekey' } }]);
    assert.deepEqual(key.decryption.toJson(), { provider: 'sops', secretRef: { name: 'sops-age' } });
  });

  it('writes .sops.yaml creation rules for age recipients and refuses anything but a public key', () => {
    const recipient = `age1${'q'.repeat(58)}`;
    assert.equal(
      sopsConfig([recipient]),
      `creation_rules:\n  - path_regex: '.*\\.sops\\.yaml$'\n    encrypted_regex: '^(data|stringData)$'\n    age: ${recipient}\n`,
    );
    assert.deepEqual(parse(sopsConfig([recipient])), {
      creation_rules: [{ path_regex: '.*\\.sops\\.yaml$', encrypted_regex: '^(data|stringData)$', age: recipient }],
    });
    assert.throws(() => sopsConfig([`AGE-SECRET-KEY-1${'Q'.repeat(58)}`]), /ageRecipients\[0\] is "AGE-SECRET-KEY-1Q+". Use an age public key/);
  });
});
