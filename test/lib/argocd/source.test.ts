import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ApplicationSource } from '../../../lib/argocd';

describe('ApplicationSource', () => {
  it('git() renders a directory source, with recurse/include/exclude only when set', () => {
    assert.deepEqual(ApplicationSource.git({ repoUrl: 'https://github.com/company/apps', path: 'web' }).toSpec(), {
      repoUrl: 'https://github.com/company/apps',
      path: 'web',
    });
    const s = ApplicationSource.git({
      repoUrl: 'https://github.com/company/apps',
      path: 'web',
      targetRevision: 'main',
      recurse: true,
      exclude: '*.md',
    });
    assert.deepEqual(s.toSpec().directory, { recurse: true, exclude: '*.md' });
    assert.equal(s.kind, 'git');
  });

  it('helmChart() pins a chart version and renders values as a YAML string', () => {
    const s = ApplicationSource.helmChart({
      repoUrl: 'https://charts.bitnami.com/bitnami',
      chart: 'nginx',
      version: '15.0.0',
      helm: { values: { replicaCount: 2 }, valueFiles: ['values-prod.yaml'], parameters: [{ name: 'a.b', value: 'true', forceString: true }] },
    });
    assert.deepEqual(s.toSpec(), {
      repoUrl: 'https://charts.bitnami.com/bitnami',
      chart: 'nginx',
      targetRevision: '15.0.0',
      helm: {
        valueFiles: ['values-prod.yaml'],
        parameters: [{ name: 'a.b', value: 'true', forceString: true }],
        values: 'replicaCount: 2\n',
      },
    });
  });

  it('kustomize() renders images, name prefix/suffix, labels, annotations and namespace', () => {
    const s = ApplicationSource.kustomize({
      repoUrl: 'https://github.com/company/apps',
      path: 'overlays/prod',
      kustomize: {
        images: ['web=registry.company.com/web:v2.1.0', 'registry.company.com:5000/api:v1.0.0'],
        namePrefix: 'prod-',
        nameSuffix: '-v2',
        commonLabels: { tier: 'web' },
        commonAnnotations: { owner: 'team-a' },
        namespace: 'web',
      },
    });
    assert.deepEqual(s.toSpec().kustomize, {
      images: ['web=registry.company.com/web:v2.1.0', 'registry.company.com:5000/api:v1.0.0'],
      namePrefix: 'prod-',
      nameSuffix: '-v2',
      commonLabels: { tier: 'web' },
      commonAnnotations: { owner: 'team-a' },
      namespace: 'web',
    });
  });

  it('ref() names a values repository and helm value files reference it', () => {
    const values = ApplicationSource.ref({ repoUrl: 'https://github.com/company/values', targetRevision: 'main', ref: 'values' });
    assert.deepEqual(values.toSpec(), { repoUrl: 'https://github.com/company/values', targetRevision: 'main', ref: 'values' });
    const chart = ApplicationSource.helmChart({
      repoUrl: 'https://charts.bitnami.com/bitnami',
      chart: 'redis',
      version: '18.0.0',
      helm: { valueFiles: ['$values/redis/prod.yaml'] },
    });
    assert.deepEqual(chart.referencedRefs, ['values']);
  });

  it('accepts ApplicationSet parameters in URLs and paths', () => {
    assert.doesNotThrow(() => ApplicationSource.git({ repoUrl: '{{repo}}', path: '{{path}}' }));
  });

  it('fails when the repository URL is not https/ssh/oci', () => {
    assert.throws(() => ApplicationSource.git({ repoUrl: 'http://github.com/company/apps', path: 'web' }), {
      message: 'ApplicationSource: repoUrl is "http://github.com/company/apps". Use an https://, ssh://, git@host:path or oci:// repository URL.',
    });
  });

  it('fails when the URL carries credentials, without echoing them', () => {
    assert.throws(() => ApplicationSource.git({ repoUrl: 'https://user:pw@github.com/company/apps', path: 'web' }), {
      message: 'ApplicationSource: repoUrl is "https://***@github.com/company/apps". Remove the credentials from the URL; Argo CD reads them from a repository Secret.',
    });
  });

  it('fails when a chart version is a range', () => {
    assert.throws(() => ApplicationSource.helmChart({ repoUrl: 'https://charts.bitnami.com/bitnami', chart: 'nginx', version: '15.x' }), {
      message: 'ApplicationSource: version is "15.x". Pin an exact chart version such as "15.0.0" (no ranges).',
    });
  });

  it('fails when a kustomize image has no tag or uses latest', () => {
    for (const image of ['myapp', 'myapp:latest']) {
      assert.throws(
        () => ApplicationSource.kustomize({ repoUrl: 'https://github.com/company/apps', path: 'x', kustomize: { images: [image] } }),
        { message: `ApplicationSource: kustomize.images is "${image}". Use "name:tag" or "name=newName:tag" with an explicit tag (not latest).` },
      );
    }
  });

  it('fails when a path is absolute', () => {
    assert.throws(() => ApplicationSource.git({ repoUrl: 'https://github.com/company/apps', path: '/web' }), {
      message: 'ApplicationSource: path is "/web". Use a path relative to the repository root, such as "apps/web".',
    });
  });
});
