import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Bucket, BucketProvider } from '../../../lib/flux/bucket';
import { GitRepository, GitVerification } from '../../../lib/flux/git-repository';
import { HelmRepository } from '../../../lib/flux/helm-repository';
import { OCIRepository, OciRef, OciVerification } from '../../../lib/flux/oci-repository';
import { FluxSourceReference, GitRef } from '../../../lib/flux/source';
import { newChart, objects, only, specOf } from './support';

describe('GitRef', () => {
  it('renders branch, tag, semver, commit and reference names', () => {
    assert.deepEqual(GitRef.branch('main').toJson(), { branch: 'main' });
    assert.deepEqual(GitRef.tag('v1.2.3').toJson(), { tag: 'v1.2.3' });
    assert.deepEqual(GitRef.semver('>=1.0.0 <2.0.0').toJson(), { semver: '>=1.0.0 <2.0.0' });
    const sha = 'a'.repeat(40);
    assert.deepEqual(GitRef.commit(sha).toJson(), { commit: sha });
    assert.deepEqual(GitRef.commit(sha, 'main').toJson(), { branch: 'main', commit: sha });
    assert.deepEqual(GitRef.refName('refs/pull/42/head').toJson(), { name: 'refs/pull/42/head' });
  });

  it('reads an environment revision as a branch, tag, commit or reference', () => {
    assert.deepEqual(GitRef.fromRevision('develop').toJson(), { branch: 'develop' });
    assert.deepEqual(GitRef.fromRevision('release/1.2').toJson(), { branch: 'release/1.2' });
    assert.deepEqual(GitRef.fromRevision('v1.2.3').toJson(), { tag: 'v1.2.3' });
    assert.deepEqual(GitRef.fromRevision('b'.repeat(40)).toJson(), { commit: 'b'.repeat(40) });
    assert.deepEqual(GitRef.fromRevision('refs/heads/main').toJson(), { name: 'refs/heads/main' });
    assert.equal(GitRef.fromRevision('main').description, 'branch main');
    assert.equal(GitRef.fromRevision('main').revision, 'main');
  });

  it('fails when a semver ref does not parse', () => {
    assert.throws(() => GitRef.semver('1.0.0 <'), {
      message: 'GitRef: semver is "1.0.0 <". It does not parse ("<" is not a comparator such as ">=1.2.0", "~1.2" or "1.x"); use a range such as ">=1.0.0 <2.0.0" or "~1.4".',
    });
  });

  it('fails when a commit is not a full hash or a branch is not a ref name', () => {
    assert.throws(() => GitRef.commit('abc123'), {
      message: 'GitRef: commit is "abc123". Use a full lowercase commit hash (40 hex characters for SHA-1, 64 for SHA-256).',
    });
    assert.throws(() => GitRef.branch('feature..x'), {
      message: 'GitRef: branch is "feature..x". Use a Git branch or tag name such as "main", "release/1.2" or "v1.2.3".',
    });
  });
});

describe('GitRepository', () => {
  it('renders url, ref, secretRef, ignore, verification and defaults', () => {
    const chart = newChart();
    const repo = new GitRepository(chart, 'Repo', {
      name: 'myapp',
      url: 'https://github.com/org/myapp',
      ref: GitRef.tag('v1.0.0'),
      secretRef: 'git-credentials',
      ignore: '/*\n!/charts/\n',
      verify: GitVerification.tag('maintainer-keys'),
      timeout: '90s',
    });
    const object = only(objects(chart), 'GitRepository');
    assert.equal(object.apiVersion, 'source.toolkit.fluxcd.io/v1');
    assert.deepEqual(object.metadata, { name: 'myapp', namespace: 'flux-system' });
    assert.deepEqual(object.spec, {
      interval: '1m',
      url: 'https://github.com/org/myapp',
      ref: { tag: 'v1.0.0' },
      secretRef: { name: 'git-credentials' },
      ignore: '/*\n!/charts/\n',
      verify: { mode: 'Tag', secretRef: { name: 'maintainer-keys' } },
      timeout: '90s',
    });
    assert.equal(repo.sourceKind, 'GitRepository');
    assert.equal(repo.namespace, 'flux-system');
  });

  it('verifies HEAD by default mode and both with tagAndHead', () => {
    const chart = newChart();
    new GitRepository(chart, 'a', { url: 'ssh://git@github.com/org/a', verify: GitVerification.head('keys') });
    new GitRepository(chart, 'b', { url: 'https://github.com/org/b', verify: GitVerification.tagAndHead('keys') });
    const list = objects(chart);
    assert.deepEqual(specOf(only(list, 'GitRepository', 'a')).verify, { secretRef: { name: 'keys' } });
    assert.deepEqual(specOf(only(list, 'GitRepository', 'b')).verify, { mode: 'TagAndHEAD', secretRef: { name: 'keys' } });
  });

  it('fails when the URL carries credentials or is not git', () => {
    assert.throws(() => new GitRepository(newChart(), 'repo', { url: 'https://user:token@github.com/org/app' }), {
      message: 'test/repo: url is "https://***@github.com/org/app". Remove the credentials from the URL; put them in a Secret and reference it with secretRef.',
    });
    assert.throws(() => new GitRepository(newChart(), 'repo', { url: 'ftp://example.com/repo' }), {
      message: 'test/repo: url is "ftp://example.com/repo". Use a https:// or http:// or ssh:// URL.',
    });
    assert.throws(() => new GitRepository(newChart(), 'repo', { url: 'http://git.local/repo', secretRef: 'creds' }), {
      message: 'test/repo: url is "http://git.local/repo". Credentials must not travel over plain HTTP; use an https:// or ssh:// URL.',
    });
  });

  it('fails when the interval is not a duration, or the timeout has hours', () => {
    assert.throws(() => new GitRepository(newChart(), 'repo', { url: 'https://github.com/org/app', interval: '5 minutes' }), {
      message: 'test/repo: interval is "5 minutes". Use a Go duration such as "30s", "5m" or "1h30m".',
    });
    assert.throws(() => new GitRepository(newChart(), 'repo', { url: 'https://github.com/org/app', interval: '0s' }), {
      message: 'test/repo: interval is "0s". A zero duration never fires; use a positive duration such as "30s", "5m" or "1h30m".',
    });
    assert.throws(() => new GitRepository(newChart(), 'repo', { url: 'https://github.com/org/app', timeout: '1h' }), {
      message: 'test/repo: timeout is "1h". Use a Go duration such as "30s", "90s" or "5m" (no hours).',
    });
  });

  it('fails when the name from the construct id is not an object name', () => {
    assert.throws(() => new GitRepository(newChart(), 'MyRepo', { url: 'https://github.com/org/app' }), {
      message:
        'test/MyRepo: name (from the construct id) is "MyRepo". Use a Kubernetes object name: lowercase letters, digits, "-" and ".", starting and ending with a letter or digit, at most 253 characters.',
    });
  });
});

describe('HelmRepository', () => {
  it('renders an HTTP repository with a 1h default interval', () => {
    const chart = newChart();
    new HelmRepository(chart, 'bitnami', { url: 'https://charts.bitnami.com/bitnami', secretRef: 'bitnami-creds', passCredentials: true });
    assert.deepEqual(only(objects(chart), 'HelmRepository').spec, {
      url: 'https://charts.bitnami.com/bitnami',
      interval: '1h',
      secretRef: { name: 'bitnami-creds' },
      passCredentials: true,
    });
  });

  it('renders an OCI repository with type oci and no interval', () => {
    const chart = newChart();
    const repo = new HelmRepository(chart, 'podinfo', { url: 'oci://ghcr.io/stefanprodan/charts', secretRef: 'ghcr' });
    assert.equal(repo.isOci, true);
    assert.deepEqual(only(objects(chart), 'HelmRepository').spec, {
      type: 'oci',
      url: 'oci://ghcr.io/stefanprodan/charts',
      secretRef: { name: 'ghcr' },
    });
  });

  it('fails on passCredentials with OCI and on other schemes', () => {
    assert.throws(() => new HelmRepository(newChart(), 'r', { url: 'oci://ghcr.io/x', passCredentials: true }), {
      message: 'test/r: passCredentials is true. passCredentials applies to HTTP repositories only; remove it.',
    });
    assert.throws(() => new HelmRepository(newChart(), 'r', { url: 's3://bucket/charts' }), {
      message: 'test/r: url is "s3://bucket/charts". Use a https:// or http:// or oci:// URL.',
    });
  });
});

describe('OCIRepository', () => {
  it('renders tag, semver with filter, digest refs and verification', () => {
    const chart = newChart();
    new OCIRepository(chart, 'manifests', {
      url: 'oci://ghcr.io/company/manifests/app',
      ref: OciRef.semver('>=1.0.0 <2.0.0', '.*-rc.*'),
      secretRef: 'ghcr',
      verify: OciVerification.cosignKeyless([{ issuer: '^https://token.actions.githubusercontent.com$', subject: '^https://github.com/company/.*$' }]),
      layerSelector: { mediaType: 'application/vnd.cncf.helm.chart.content.v1.tar+gzip', operation: 'copy' },
    });
    new OCIRepository(chart, 'pinned', { url: 'oci://ghcr.io/company/x', ref: OciRef.digest(`sha256:${'c'.repeat(64)}`), verify: OciVerification.cosignKeys('cosign-pub') });
    new OCIRepository(chart, 'tagged', { url: 'oci://ghcr.io/company/y', ref: OciRef.tag('1.2.3'), provider: 'aws', verify: OciVerification.notation('notation-trust') });
    const list = objects(chart);
    assert.deepEqual(only(list, 'OCIRepository', 'manifests').spec, {
      url: 'oci://ghcr.io/company/manifests/app',
      interval: '5m',
      ref: { semver: '>=1.0.0 <2.0.0', semverFilter: '.*-rc.*' },
      secretRef: { name: 'ghcr' },
      verify: {
        provider: 'cosign',
        matchOIDCIdentity: [{ issuer: '^https://token.actions.githubusercontent.com$', subject: '^https://github.com/company/.*$' }],
      },
      layerSelector: { mediaType: 'application/vnd.cncf.helm.chart.content.v1.tar+gzip', operation: 'copy' },
    });
    assert.deepEqual(specOf(only(list, 'OCIRepository', 'pinned')).ref, { digest: `sha256:${'c'.repeat(64)}` });
    assert.deepEqual(specOf(only(list, 'OCIRepository', 'pinned')).verify, { provider: 'cosign', secretRef: { name: 'cosign-pub' } });
    assert.deepEqual(specOf(only(list, 'OCIRepository', 'tagged')).verify, { provider: 'notation', secretRef: { name: 'notation-trust' } });
    assert.equal(specOf(only(list, 'OCIRepository', 'tagged')).provider, 'aws');
  });

  it('fails on a non-oci URL, latest, a bad digest and a cloud provider with a secret', () => {
    assert.throws(() => new OCIRepository(newChart(), 'o', { url: 'https://ghcr.io/x' }), {
      message: 'test/o: url is "https://ghcr.io/x". Use a oci:// URL.',
    });
    assert.throws(() => OciRef.tag('latest'), { message: 'OciRef: tag is "latest". Use an explicit OCI tag such as "1.2.3" or "v1.2.3" (not "latest").' });
    assert.throws(() => OciRef.digest('sha256:abc'), {
      message: 'OciRef: digest is "sha256:abc". Use a digest such as "sha256:" followed by 64 lowercase hex characters.',
    });
    assert.throws(() => new OCIRepository(newChart(), 'o', { url: 'oci://x.io/y', provider: 'gcp', secretRef: 's' }), {
      message: 'test/o: secretRef is "s". The gcp provider authenticates with the cloud identity; remove secretRef or use provider "generic".',
    });
    assert.throws(() => OciVerification.cosignKeyless([]), {
      message: 'OciVerification: identities is []. Give at least one issuer/subject pair; keyless verification without identities trusts any signer.',
    });
  });
});

describe('Bucket', () => {
  it('renders generic and cloud buckets', () => {
    const chart = newChart();
    new Bucket(chart, 'minio', { bucketName: 'manifests', endpoint: 'minio.example.com:9000', provider: BucketProvider.generic('minio-credentials'), prefix: 'prod/' });
    new Bucket(chart, 's3', { bucketName: 'company-manifests', endpoint: 's3.amazonaws.com', region: 'eu-west-1', provider: BucketProvider.aws({ serviceAccountName: 'flux-s3' }) });
    const list = objects(chart);
    assert.deepEqual(only(list, 'Bucket', 'minio').spec, {
      bucketName: 'manifests',
      endpoint: 'minio.example.com:9000',
      provider: 'generic',
      prefix: 'prod/',
      interval: '5m',
      secretRef: { name: 'minio-credentials' },
    });
    assert.deepEqual(only(list, 'Bucket', 's3').spec, {
      bucketName: 'company-manifests',
      endpoint: 's3.amazonaws.com',
      provider: 'aws',
      region: 'eu-west-1',
      interval: '5m',
      serviceAccountName: 'flux-s3',
    });
  });

  it('fails on an endpoint with a scheme, a bad bucket name, and a secret with workload identity', () => {
    assert.throws(() => new Bucket(newChart(), 'b', { bucketName: 'ok-name', endpoint: 'https://s3.amazonaws.com' }), {
      message:
        'test/b: endpoint is "https://s3.amazonaws.com". Use a host name with an optional port, without scheme or path, such as "s3.amazonaws.com" or "<minio host>:9000".',
    });
    assert.throws(() => new Bucket(newChart(), 'b', { bucketName: 'A_B', endpoint: 's3.amazonaws.com' }), {
      message: 'test/b: bucketName is "A_B". Use a bucket name of 3-63 lowercase letters, digits, "." and "-".',
    });
    assert.throws(() => BucketProvider.gcp({ credentialsSecret: 'key', serviceAccountName: 'sa' }), {
      message: 'BucketProvider: serviceAccountName is "sa". Use either a credentials Secret or a ServiceAccount (workload identity), not both.',
    });
  });
});

describe('FluxSourceReference', () => {
  it('references sources created elsewhere', () => {
    const ref = FluxSourceReference.gitRepository('platform', 'flux-system');
    assert.deepEqual([ref.sourceKind, ref.name, ref.namespace], ['GitRepository', 'platform', 'flux-system']);
    assert.throws(() => FluxSourceReference.bucket('b', 'Bad_NS'), {
      message:
        'FluxSourceReference Bucket: namespace is "Bad_NS". Use a namespace name: a DNS label of lowercase letters, digits and "-", starting and ending with a letter or digit, at most 63 characters.',
    });
  });
});
