import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { GitRepository } from '../../../lib/flux/git-repository';
import { HelmRepository } from '../../../lib/flux/helm-repository';
import { Decryption, Kustomization, SubstitutionSource } from '../../../lib/flux/kustomization';
import { KustomizePatch } from '../../../lib/flux/patch';
import { FluxSourceReference, GitRef } from '../../../lib/flux/source';
import { FluxSync } from '../../../lib/flux/sync';
import { newChart, objects, only, specOf } from './support';

const source = FluxSourceReference.gitRepository('flux-system', 'flux-system');

describe('Kustomization', () => {
  it('renders every field it supports', () => {
    const chart = newChart();
    const infra = new Kustomization(chart, 'infra', { name: 'infrastructure', source, path: './infrastructure', prune: true });
    new Kustomization(chart, 'apps', {
      name: 'apps',
      source,
      path: './apps/production',
      interval: '5m',
      retryInterval: '1m',
      prune: true,
      wait: true,
      timeout: '3m',
      dependsOn: [infra],
      healthChecks: [{ apiVersion: 'apps/v1', kind: 'Deployment', name: 'web', namespace: 'web' }],
      targetNamespace: 'web',
      serviceAccountName: 'apps-reconciler',
      decryption: Decryption.sops({ keySecret: 'sops-age' }),
      postBuild: {
        substitute: { cluster_name: 'prod-cluster', replicas: '3' },
        substituteFrom: [SubstitutionSource.configMap('cluster-settings'), SubstitutionSource.secret('cluster-secrets', { optional: true })],
      },
      patches: [KustomizePatch.jsonPatch([{ op: 'replace', path: '/spec/replicas', value: 3 }], { kind: 'Deployment', name: 'web' })],
      images: [{ name: 'web', newTag: 'v1.2.3' }],
      commonMetadata: { labels: { team: 'web' } },
      force: false,
    });
    const spec = specOf(only(objects(chart), 'Kustomization', 'apps'));
    assert.deepEqual(spec, {
      interval: '5m',
      retryInterval: '1m',
      path: './apps/production',
      prune: true,
      wait: true,
      timeout: '3m',
      sourceRef: { kind: 'GitRepository', name: 'flux-system' },
      dependsOn: [{ name: 'infrastructure' }],
      healthChecks: [{ apiVersion: 'apps/v1', kind: 'Deployment', name: 'web', namespace: 'web' }],
      targetNamespace: 'web',
      serviceAccountName: 'apps-reconciler',
      decryption: { provider: 'sops', secretRef: { name: 'sops-age' } },
      postBuild: {
        substitute: { cluster_name: 'prod-cluster', replicas: '3' },
        substituteFrom: [
          { kind: 'ConfigMap', name: 'cluster-settings' },
          { kind: 'Secret', name: 'cluster-secrets', optional: true },
        ],
      },
      patches: [
        { patch: '- op: replace\n  path: /spec/replicas\n  value: 3\n', target: { kind: 'Deployment', name: 'web' } },
      ],
      images: [{ name: 'web', newTag: 'v1.2.3' }],
      commonMetadata: { labels: { team: 'web' } },
      force: false,
    });
  });

  it('defaults to a 10m interval, no prune and the source root', () => {
    const chart = newChart();
    const k = new Kustomization(chart, 'plain', { source });
    assert.deepEqual(specOf(only(objects(chart), 'Kustomization')), {
      interval: '10m',
      prune: false,
      sourceRef: { kind: 'GitRepository', name: 'flux-system' },
    });
    assert.equal(k.key, 'flux-system/plain');
  });

  it('names the source namespace and dependency namespace only when they differ', () => {
    const chart = newChart();
    const repo = new GitRepository(chart, 'team-repo', { namespace: 'team-a', url: 'https://github.com/company/team-a' });
    new Kustomization(chart, 'infrastructure', { source });
    new Kustomization(chart, 'team', { namespace: 'team-a', source: repo, dependsOn: [{ name: 'infrastructure', namespace: 'flux-system' }] });
    new Kustomization(chart, 'cross', { source: repo });
    const list = objects(chart);
    assert.deepEqual(specOf(only(list, 'Kustomization', 'team')).sourceRef, { kind: 'GitRepository', name: 'team-repo' });
    assert.deepEqual(specOf(only(list, 'Kustomization', 'team')).dependsOn, [{ name: 'infrastructure', namespace: 'flux-system' }]);
    assert.deepEqual(specOf(only(list, 'Kustomization', 'cross')).sourceRef, { kind: 'GitRepository', name: 'team-repo', namespace: 'team-a' });
  });

  it('adds dependencies and health checks after construction, once each', () => {
    const chart = newChart();
    const a = new Kustomization(chart, 'a', { source });
    const b = new Kustomization(chart, 'b', { source });
    b.addDependsOn(a, { name: 'a' });
    b.addHealthCheck({ kind: 'HelmRelease', name: 'cert-manager' });
    assert.deepEqual(b.dependsOn, ['flux-system/a']);
    const spec = specOf(only(objects(chart), 'Kustomization', 'b'));
    assert.deepEqual(spec.dependsOn, [{ name: 'a' }]);
    assert.deepEqual(spec.healthChecks, [{ kind: 'HelmRelease', name: 'cert-manager' }]);
  });

  it('builds the seeds infrastructure -> apps ordering per cluster with FluxSync', () => {
    const chart = newChart();
    const sync = new FluxSync(chart, 'production', {
      url: 'https://github.com/org/fleet-infra',
      ref: GitRef.branch('main'),
      stages: [
        { name: 'infrastructure', path: './infrastructure/production', interval: '10m' },
        { name: 'apps', path: './apps/production', interval: '5m' },
      ],
      prune: true,
    });
    assert.deepEqual(sync.kustomizations.map((k) => [k.name, k.dependsOn]), [
      ['infrastructure', []],
      ['apps', ['flux-system/infrastructure']],
    ]);
    assert.equal(sync.stage('apps').path, './apps/production');
    assert.throws(() => sync.stage('policies'), {
      message: 'test/production: stage is "policies". No such stage; the stages are infrastructure, apps.',
    });
  });

  it('fails when it depends on itself', () => {
    const chart = newChart();
    const k = new Kustomization(chart, 'apps', { source });
    assert.throws(() => k.addDependsOn(k), {
      message: 'test/apps: dependsOn is "flux-system/apps". A Kustomization cannot depend on itself; remove this dependency.',
    });
    assert.throws(() => new Kustomization(chart, 'loop', { source, dependsOn: [{ name: 'loop' }] }), {
      message: 'test/loop: dependsOn is "flux-system/loop". A Kustomization cannot depend on itself; remove this dependency.',
    });
  });

  it('fails when it depends on an unknown Kustomization (when the app is rendered)', () => {
    const chart = newChart();
    new Kustomization(chart, 'infrastructure', { source });
    new Kustomization(chart, 'apps', { source, dependsOn: [{ name: 'infra' }] });
    assert.throws(() => objects(chart), {
      message:
        'Validation failed with the following errors:\n  [test/apps] test/apps: dependsOn is "flux-system/infra". No Kustomization with that namespace and name exists in this app (known: flux-system/apps, flux-system/infrastructure). Create it, fix the name, or mark the reference external: true if another repository creates it.',
    });
  });

  it('accepts a dependency created elsewhere when marked external', () => {
    const chart = newChart();
    new Kustomization(chart, 'apps', { source, dependsOn: [{ name: 'infrastructure', namespace: 'flux-system', external: true }] });
    assert.deepEqual(specOf(only(objects(chart), 'Kustomization')).dependsOn, [{ name: 'infrastructure' }]);
  });

  it('fails on a dependency cycle, naming the cycle once', () => {
    const chart = newChart();
    const a = new Kustomization(chart, 'a', { source });
    const b = new Kustomization(chart, 'b', { source, dependsOn: [a] });
    const c = new Kustomization(chart, 'c', { source, dependsOn: [b] });
    a.addDependsOn(c);
    assert.throws(() => objects(chart), {
      message:
        'Validation failed with the following errors:\n  [test/a] test/a: dependsOn is ["flux-system/c"]. The Kustomizations depend on each other in a cycle: flux-system/a -> flux-system/c -> flux-system/b -> flux-system/a. Remove one of these dependencies.',
    });
  });

  it('fails on two Kustomizations with the same namespace and name', () => {
    const chart = newChart();
    new Kustomization(chart, 'one', { name: 'apps', source });
    new Kustomization(chart, 'two', { name: 'apps', source });
    assert.throws(() => objects(chart), {
      message:
        'Validation failed with the following errors:\n  [test/two] test/two: name is "flux-system/apps". Another Kustomization has the same namespace and name (test/one); rename one of them.',
    });
  });

  it('fails when an interval is not a duration', () => {
    assert.throws(() => new Kustomization(newChart(), 'apps', { source, interval: '10 min' }), {
      message: 'test/apps: interval is "10 min". Use a Go duration such as "30s", "5m" or "1h30m".',
    });
    assert.throws(() => new Kustomization(newChart(), 'apps', { source, retryInterval: 'soon' }), {
      message: 'test/apps: retryInterval is "soon". Use a Go duration such as "30s", "5m" or "1h30m".',
    });
  });

  it('fails on a HelmRepository source, a bad path, a literal secret variable and an empty postBuild', () => {
    const chart = newChart();
    const helm = new HelmRepository(chart, 'charts', { url: 'https://charts.example.com' });
    assert.throws(() => new Kustomization(chart, 'k1', { source: helm }), {
      message: 'test/k1: source is "HelmRepository/charts". A Kustomization builds from a GitRepository, OCIRepository or Bucket; a HelmRepository feeds a HelmRelease.',
    });
    assert.throws(() => new Kustomization(chart, 'k2', { source, path: '../other' }), {
      message: 'test/k2: path is "../other". Use a relative path inside the source, such as "./deploy/production" or "clusters/dev" (no "..", no leading "/").',
    });
    assert.throws(() => new Kustomization(chart, 'k3', { source, postBuild: { substitute: { DB_PASSWORD: 'hunter2' } } }), {
      message: 'test/k3: postBuild.substitute.DB_PASSWORD is "(redacted)". Never put a secret in a manifest: move it to a Secret and list it in postBuild.substituteFrom.',
    });
    assert.throws(() => new Kustomization(chart, 'k4', { source, postBuild: {} }), {
      message: 'test/k4: postBuild is {}. Give substitute variables or substituteFrom sources, or leave postBuild unset.',
    });
    assert.throws(() => new Kustomization(chart, 'k5', { source, postBuild: { substitute: { '1st': 'x' } } }), {
      message: 'test/k5: postBuild.substitute.1st is "1st". Use a variable name of letters, digits and "_", not starting with a digit.',
    });
  });

  it('fails on patches and images that cannot apply', () => {
    assert.throws(() => KustomizePatch.jsonPatch([{ op: 'add', path: 'spec/replicas', value: 1 }], { kind: 'Deployment' }), {
      message: 'KustomizePatch: operations[0].path is "spec/replicas". Use a JSON pointer starting with "/", such as "/spec/replicas".',
    });
    assert.throws(() => KustomizePatch.jsonPatch([{ op: 'remove', path: '/spec/replicas' }], {}), {
      message: 'KustomizePatch: target is {}. Select the objects to patch, at least by kind or name.',
    });
    assert.throws(() => KustomizePatch.jsonPatch([{ op: 'replace', path: '/spec/replicas' }], { kind: 'Deployment' }), {
      message: 'KustomizePatch: operations[0].value is not set. A "replace" operation needs a value.',
    });
    assert.throws(() => new Kustomization(newChart(), 'k', { source, images: [{ name: 'web', newTag: 'latest' }] }), {
      message: 'test/k: images[0].newTag is "latest". Pin an explicit tag such as "v1.2.3".',
    });
    assert.deepEqual(
      KustomizePatch.strategicMerge({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web' }, spec: { replicas: 2 } }).toJson(),
      { patch: 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  replicas: 2\n' },
    );
  });

  it('fails on SOPS decryption without keys', () => {
    assert.throws(() => Decryption.sops({}), {
      message: 'Decryption: sops is {}. Give keySecret (a Secret with the SOPS private key) or serviceAccountName (cloud KMS identity).',
    });
  });
});
