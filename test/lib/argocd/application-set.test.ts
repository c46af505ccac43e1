import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ApplicationSet, ApplicationSetGenerator, ApplicationSource, IN_CLUSTER, SyncPolicy } from '../../../lib/argocd';
import { newChart, objectOf } from './support';

const list = ApplicationSetGenerator.list([
  { cluster: 'staging', url: 'https://staging.k8s.company.com' },
  { cluster: 'production', url: 'https://prod.k8s.company.com' },
]);

describe('ApplicationSetGenerator', () => {
  it('list() provides the keys every element has, plus values.<key>', () => {
    const g = ApplicationSetGenerator.list([{ a: '1', b: '2' }, { a: '3' }], { values: { team: 'a' } });
    assert.deepEqual(g.parameters, ['a', 'values.team']);
    assert.deepEqual(g.toSpec(), { list: { elements: [{ a: '1', b: '2' }, { a: '3' }], values: { team: 'a' } } });
  });

  it('gitDirectories() provides path, path.basename, path.basenameNormalized and path[n]', () => {
    const g = ApplicationSetGenerator.gitDirectories({
      repoUrl: 'https://github.com/company/addons',
      revision: 'main',
      directories: ['addons/*', { path: 'addons/legacy', exclude: true }],
    });
    for (const p of ['path', 'path.basename', 'path.basenameNormalized', 'path[0]', 'path[12]']) assert.ok(g.provides(p), p);
    assert.equal(g.provides('path.filename'), false);
    assert.deepEqual(g.toSpec(), {
      git: {
        repoUrl: 'https://github.com/company/addons',
        revision: 'main',
        directories: [{ path: 'addons/*' }, { path: 'addons/legacy', exclude: true }],
      },
    });
  });

  it('gitDirectories() prefixes path parameters with pathParamPrefix', () => {
    const g = ApplicationSetGenerator.gitDirectories({
      repoUrl: 'https://github.com/company/addons',
      revision: 'main',
      directories: ['addons/*'],
      pathParamPrefix: 'addon',
    });
    assert.ok(g.provides('addon.path.basename'));
    assert.equal(g.provides('path.basename'), false);
  });

  it('gitFiles() provides the declared file keys and the file path parameters', () => {
    const g = ApplicationSetGenerator.gitFiles({
      repoUrl: 'https://github.com/company/clusters',
      revision: 'main',
      files: ['clusters/*/config.json'],
      fileParameters: ['cluster.name', 'cluster.path'],
    });
    for (const p of ['cluster.name', 'cluster.path', 'path', 'path.filename', 'path[1]']) assert.ok(g.provides(p), p);
    assert.equal(g.provides('cluster.region'), false);
  });

  it('clusters() provides name, server and the cluster Secret labels', () => {
    const g = ApplicationSetGenerator.clusters({
      selector: { matchLabels: { environment: 'production' }, matchExpressions: [{ key: 'region', operator: 'In', values: ['us-east-1'] }] },
    });
    for (const p of ['name', 'nameNormalized', 'server', 'metadata.labels.region']) assert.ok(g.provides(p), p);
    assert.deepEqual(g.toSpec(), {
      clusters: {
        selector: { matchLabels: { environment: 'production' }, matchExpressions: [{ key: 'region', operator: 'In', values: ['us-east-1'] }] },
      },
    });
  });

  it('fails when a list has no elements', () => {
    assert.throws(() => ApplicationSetGenerator.list([]), { message: 'ApplicationSetGenerator: list.elements is []. Give at least one element.' });
  });

  it('fails when every directory is excluded', () => {
    assert.throws(
      () => ApplicationSetGenerator.gitDirectories({ repoUrl: 'https://github.com/company/a', revision: 'main', directories: [{ path: 'x', exclude: true }] }),
      { message: 'ApplicationSetGenerator: gitDirectories.directories is [{"path":"x","exclude":true}]. Include at least one directory; excludes only narrow the includes.' },
    );
  });
});

describe('ApplicationSet', () => {
  it('renders generators and the template, and lists the template parameters', () => {
    const chart = newChart();
    const set = new ApplicationSet(chart, 'Web', {
      name: 'web',
      generators: [list],
      template: {
        name: 'web-{{cluster}}',
        project: 'platform',
        source: ApplicationSource.git({ repoUrl: 'https://github.com/company/web', targetRevision: 'main', path: 'envs/{{cluster}}' }),
        destination: { server: '{{url}}', namespace: 'web' },
        syncPolicy: SyncPolicy.automated({ selfHeal: true }),
        labels: { tier: 'web' },
      },
      preserveResourcesOnDeletion: true,
    });
    assert.deepEqual(set.templateParameters, ['cluster', 'url']);
    const obj = objectOf(chart, 'ApplicationSet') as any;
    assert.deepEqual(obj.spec.syncPolicy, { preserveResourcesOnDeletion: true });
    assert.deepEqual(obj.spec.template.metadata, {
      name: 'web-{{cluster}}',
      labels: { tier: 'web' },
      finalizers: ['resources-finalizer.argocd.argoproj.io'],
    });
    assert.deepEqual(obj.spec.template.spec.destination, { server: '{{url}}', namespace: 'web' });
  });

  it('fails when the template uses a parameter no generator provides', () => {
    assert.throws(
      () =>
        new ApplicationSet(newChart(), 'Addons', {
          name: 'addons',
          generators: [list],
          template: {
            name: '{{path.basename}}',
            source: ApplicationSource.git({ repoUrl: 'https://github.com/company/addons', path: '{{path}}' }),
            destination: { server: IN_CLUSTER, namespace: '{{path.basename}}' },
          },
        }),
      {
        message:
          'test/Addons: template is "{{path}}". The list generator does not provide "path" (it provides cluster, url). Use one of those, or change the generator.',
      },
    );
  });

  it('checks the template against every generator', () => {
    const dirs = ApplicationSetGenerator.gitDirectories({ repoUrl: 'https://github.com/company/a', revision: 'main', directories: ['apps/*'] });
    assert.throws(
      () =>
        new ApplicationSet(newChart(), 'Mixed', {
          name: 'mixed',
          generators: [dirs, list],
          template: {
            name: '{{path.basename}}',
            source: ApplicationSource.git({ repoUrl: 'https://github.com/company/a', path: 'apps' }),
            destination: { server: IN_CLUSTER },
          },
        }),
      /The list generator does not provide "path.basename"/,
    );
  });

  it('fails when the template name has no parameter', () => {
    assert.throws(
      () =>
        new ApplicationSet(newChart(), 'Web', {
          name: 'web',
          generators: [list],
          template: { name: 'web', source: ApplicationSource.git({ repoUrl: 'https://github.com/company/web', path: 'web' }), destination: { server: '{{url}}' } },
        }),
      { message: 'test/Web: template.name is "web". Put a parameter in the name (such as "myapp-{{environment}}") so each generated Application is unique.' },
    );
  });

  it('fails when there is no generator', () => {
    assert.throws(
      () =>
        new ApplicationSet(newChart(), 'Web', {
          name: 'web',
          generators: [],
          template: { name: 'web-{{x}}', source: ApplicationSource.git({ repoUrl: 'https://github.com/company/web', path: 'web' }), destination: { server: IN_CLUSTER } },
        }),
      { message: 'test/Web: generators is []. Give at least one generator (list, gitDirectories, gitFiles or clusters).' },
    );
  });

  it('reports template errors with the ApplicationSet path', () => {
    assert.throws(
      () =>
        new ApplicationSet(newChart(), 'Web', {
          name: 'web',
          generators: [list],
          template: { name: 'web-{{cluster}}', source: ApplicationSource.git({ repoUrl: 'https://github.com/company/web', path: 'web' }), destination: {} },
        }),
      { message: 'test/Web template: destination is {}. Set exactly one of destination.server (an API URL) or destination.name (a registered cluster).' },
    );
  });
});
