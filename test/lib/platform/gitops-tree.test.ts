import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ApiObject, DependencyGraph } from 'cdk8s';
import { Construct } from 'constructs';
import { parse } from 'yaml';
import { buildInventory, refOf } from '../../../lib/platform/deploy-model/inventory';
import { GitOpsTree } from '../../../lib/platform/gitops-tree';
import { toYaml } from '../../../lib/platform/yaml';
import { validateEnvironment } from '../../../stacks/validate-environment';
import { FLUX_ROOT, fixtureEnvironment } from './deploy-model/support';

const BOOTSTRAP = { chartName: 'bootstrap', chartVersion: '0.1.0' };

/** A tree with one written chart and one chart delivered by its overlay (files of a real base and overlay). */
function tree(listed?: boolean): GitOpsTree {
  const t = new GitOpsTree({ labels: {} });
  new ApiObject(t.chart('apps', 'plain'), 'cm', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'plain', namespace: 'web' } });
  const chart = t.overlayChart('apps', 'web', { directory: 'web/overlays/test', ...(listed === undefined ? {} : { listed }) });
  new ApiObject(chart, 'cm', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'test-web', namespace: 'web', labels: { environment: 'test' } } });
  t.addFile('apps/web/base/kustomization.yaml', toYaml({ apiVersion: 'kustomize.config.k8s.io/v1beta1', kind: 'Kustomization', resources: ['configmap.yaml'] }));
  t.addFile('apps/web/base/configmap.yaml', toYaml({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'web' } }));
  t.addFile('apps/web/overlays/test/kustomization.yaml', toYaml({
    apiVersion: 'kustomize.config.k8s.io/v1beta1', kind: 'Kustomization', resources: ['../../base'], namespace: 'web', namePrefix: 'test-', commonLabels: { environment: 'test' },
  }));
  return t;
}

describe('GitOpsTree.addFile', () => {
  it('refuses a path outside the environment directory or in bootstrap/, or with an empty or "." segment, and takes names that only hold dots', () => {
    const t = new GitOpsTree({ labels: {} });
    for (const path of ['/etc/x', '..', '../x', 'a/..', 'a/../b', 'a/b/../../c', 'bootstrap/x.yaml', '', 'a//b.yaml', './a.yaml', 'a/./b.yaml', 'a/', '.']) {
      assert.throws(() => t.addFile(path, 'x\n'), /Use a relative path inside the environment directory, outside bootstrap\//, path);
    }
    for (const path of ['a/..b/c.yaml', 'a/b../c.yaml', '.../x.yaml', 'a/.hidden', 'bootstrapped/x.yaml']) t.addFile(path, 'x\n');
    assert.throws(() => t.addFile('a/.hidden', 'y\n'), /Each file can be added once/);
  });
});

describe('GitOpsTree.overlayChart', () => {
  it('gives the checks the chart objects with the overlay directory as their file, and writes no file for them', () => {
    const t = tree();
    const manifests = t.manifests();
    const overlay = manifests.filter((m) => m.overlay);
    assert.deepEqual(overlay.map((m) => [m.file, m.object.metadata.name, m.overlay]), [['apps/web/overlays/test', 'test-web', { listed: true }]]);
    const files = t.render(BOOTSTRAP, manifests);
    assert.deepEqual([...files.keys()], [
      'apps/kustomization.yaml',
      'apps/plain.yaml',
      'apps/web/base/configmap.yaml',
      'apps/web/base/kustomization.yaml',
      'apps/web/overlays/test/kustomization.yaml',
      'kustomization.yaml',
    ]);
    assert.deepEqual(parse(files.get('apps/kustomization.yaml')!).resources, ['plain.yaml', 'web/overlays/test']);
  });

  it('leaves an unlisted overlay out of the section, for a sync object that names it', () => {
    const files = tree(false).render(BOOTSTRAP);
    assert.deepEqual(parse(files.get('apps/kustomization.yaml')!).resources, ['plain.yaml']);
  });

  it('lets the deploy model read the built objects where a sync reaches the overlay, not the base files', () => {
    const t = tree();
    const manifests = t.manifests();
    const documents = new Map<string, readonly unknown[]>();
    const files = t.render(BOOTSTRAP, manifests, documents);
    const inventory = buildInventory({
      environment: validateEnvironment(fixtureEnvironment()),
      manifests: [...manifests, ...FLUX_ROOT.map((object) => ({ file: 'bootstrap/files/root.yaml', section: 'bootstrap' as const, object }))],
      files,
      documents,
      terraform: [],
      charts: [],
      flows: [],
    });
    const synced = inventory.objects.filter((o) => o.owner === 'flux').map((o) => `${refOf(o.object)} ${o.source} ${JSON.stringify(o.object.metadata.labels ?? {})}`);
    assert.deepEqual(synced.sort(), [
      'ConfigMap/web/plain apps/plain.yaml {}',
      'ConfigMap/web/test-web apps/web/overlays/test {"environment":"test"}',
    ]);
    assert.deepEqual(inventory.unsynced, []);
  });

  it('fails on a directory outside the section', () => {
    assert.throws(() => new GitOpsTree({ labels: {} }).overlayChart('apps', 'web', { directory: '../web' }), {
      name: 'ConfigError',
      message: 'GitOpsTree: overlay directory is "../web". Use a relative path inside the section, such as "delivery/frontend/overlays/prod".',
    });
  });
});

describe('GitOpsTree.addOverlay', () => {
  const built = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'test-web', namespace: 'web', labels: { environment: 'test' } } };

  it('gives the checks the objects as an overlay chart holding them would, in the order of the names', () => {
    const fromChart = tree();
    const given = new GitOpsTree({ labels: {} });
    new ApiObject(given.chart('apps', 'plain'), 'cm', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'plain', namespace: 'web' } });
    given.addOverlay('apps', 'web', { directory: 'web/overlays/test/' }, [built]);
    for (const [file, content] of fromChart.render(BOOTSTRAP)) if (file.startsWith('apps/web/')) given.addFile(file, content);
    assert.deepEqual(given.manifests(), fromChart.manifests());
    assert.deepEqual(given.render(BOOTSTRAP), fromChart.render(BOOTSTRAP));
    // Sorted by name among the charts, as charts are.
    given.addOverlay('apps', 'another', { directory: 'another/overlays/test', listed: false }, [{ ...built, metadata: { name: 'another' } }]);
    assert.deepEqual(given.manifests().map((m) => [m.file, m.object.metadata.name, m.overlay]), [
      ['apps/another/overlays/test', 'another', { listed: false }],
      ['apps/plain.yaml', 'plain', undefined],
      ['apps/web/overlays/test', 'test-web', { listed: true }],
    ]);
  });

  it('keeps a name for one chart or one set of objects', () => {
    const t = new GitOpsTree({ labels: {} });
    t.chart('apps', 'web');
    t.addOverlay('apps', 'api', { directory: 'api/overlays/test' }, [built]);
    assert.throws(() => t.addOverlay('apps', 'web', { directory: 'web/overlays/test' }, [built]), {
      message: 'GitOpsTree: chart name is "apps/web". The name is in use already; choose another name.',
    });
    assert.throws(() => t.addOverlay('apps', 'api', { directory: 'api/overlays/test' }, [built]), { message: /chart name is "apps\/api"\. The name is in use already/ });
    assert.throws(() => t.chart('apps', 'api'), {
      message: 'GitOpsTree: chart name is "apps/api". The name holds overlay objects (addOverlay), not a chart; choose another name.',
    });
    assert.throws(() => t.addOverlay('apps', 'Web', { directory: 'web/overlays/test' }, [built]), { message: /chart name is "Web"\. Use a lowercase DNS label/ });
    assert.throws(() => t.addOverlay('apps', 'up', { directory: 'a/../b' }, [built]), { message: /overlay directory is "a\/\.\.\/b"/ });
  });

  it('lists the objects given and the charts\' API objects, unrendered, in objectIds()', () => {
    const t = tree();
    t.addOverlay('apps', 'given', { directory: 'given/overlays/test' }, [{ apiVersion: 'argoproj.io/v1alpha1', kind: 'Rollout', metadata: { name: 'test-api', namespace: 'api' } }]);
    const toJson = ApiObject.prototype.toJson;
    ApiObject.prototype.toJson = () => assert.fail('objectIds() renders no object');
    try {
      assert.deepEqual(t.objectIds(), [
        { apiVersion: 'v1', kind: 'ConfigMap', name: 'plain', namespace: 'web' },
        { apiVersion: 'v1', kind: 'ConfigMap', name: 'test-web', namespace: 'web' },
        { apiVersion: 'argoproj.io/v1alpha1', kind: 'Rollout', name: 'test-api', namespace: 'api' },
      ]);
    } finally {
      ApiObject.prototype.toJson = toJson;
    }
  });
});

const configMap = (scope: Construct, name: string): ApiObject =>
  new ApiObject(scope, name, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: 'team' } });

const names = (t: GitOpsTree, file: string): string[] =>
  t
    .manifests()
    .filter((m) => m.file === file)
    .map((m) => m.object.metadata.name!);

describe('GitOpsTree rendering order', () => {
  it('renders a chart without dependencies in construct order, without building a dependency graph', () => {
    const t = new GitOpsTree({ labels: {} });
    const chart = t.chart('apps', 'plain');
    configMap(chart, 'b');
    const group = new Construct(chart, 'group');
    configMap(group, 'c');
    configMap(chart, 'a');
    const topology = DependencyGraph.prototype.topology;
    let graphs = 0;
    DependencyGraph.prototype.topology = function (this: DependencyGraph) {
      graphs++;
      return topology.call(this);
    };
    try {
      assert.deepEqual(names(t, 'apps/plain.yaml'), ['b', 'c', 'a']);
      assert.equal(graphs, 0);
    } finally {
      DependencyGraph.prototype.topology = topology;
    }
  });

  it('renders an object after the objects it depends on, in its chart and across charts', () => {
    const t = new GitOpsTree({ labels: {} });
    const chart = t.chart('apps', 'ordered');
    const b = configMap(chart, 'b');
    const a = configMap(chart, 'a');
    configMap(chart, 'c');
    b.addDependency(a);
    const other = t.chart('apps', 'other');
    const group = new Construct(other, 'group');
    configMap(group, 'e');
    const d = configMap(other, 'd');
    group.node.addDependency(d);
    assert.deepEqual(names(t, 'apps/ordered.yaml'), ['a', 'b', 'c']);
    assert.deepEqual(names(t, 'apps/other.yaml'), ['d', 'e']);
  });
});
