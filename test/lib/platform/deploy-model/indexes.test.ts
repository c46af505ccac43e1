import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ApiObject } from 'cdk8s';
import { parse } from 'yaml';
import { LabelIndex, SelectorIndex, selectorMatches } from '../../../../lib/platform/deploy-model/rules/network';
import { buildInventory, Inventory } from '../../../../lib/platform/deploy-model/inventory';
import { GitOpsTree } from '../../../../lib/platform/gitops-tree';
import { recordDocuments, toYaml } from '../../../../lib/platform/yaml';
import { validateEnvironment } from '../../../../stacks/validate-environment';
import { chooser } from '../../../support/chooser';
import { FLUX_ROOT, fixtureEnvironment } from './support';

type Labels = Record<string, string>;

const KEYS = ['app', 'tier', 'team'];
const VALUES = ['a', 'b', 'c'];

function labels(pick: (n: number) => number): Labels {
  const out: Labels = {};
  for (const k of KEYS) if (pick(3) > 0) out[k] = VALUES[pick(VALUES.length)]!;
  return out;
}

function selector(pick: (n: number) => number): unknown {
  switch (pick(5)) {
    case 0:
      return undefined;
    case 1:
      return {};
    case 2:
      return { matchLabels: labels(pick) };
    case 3:
      return { matchExpressions: [{ key: KEYS[pick(KEYS.length)], operator: 'Exists' }] };
    default:
      return { matchLabels: labels(pick), matchExpressions: [{ key: KEYS[pick(KEYS.length)], operator: 'NotIn', values: [VALUES[pick(3)]] }] };
  }
}

describe('deploy model: label and selector indexes', () => {
  const pick = chooser(7);
  const items = Array.from({ length: 300 }, (_, i) => ({ i, labels: labels(pick), selector: selector(pick) }));
  const queries = Array.from({ length: 200 }, () => ({ labels: labels(pick), selector: selector(pick) }));

  it('LabelIndex: the candidates of a selector hold every item it selects, in order', () => {
    const index = new LabelIndex(items, (x) => x.labels);
    for (const q of queries) {
      const candidates = index.candidates(q.selector);
      const expected = items.filter((x) => selectorMatches(q.selector, x.labels));
      assert.deepEqual(candidates.filter((x) => selectorMatches(q.selector, x.labels)), expected);
      assert.deepEqual([...candidates].sort((a, b) => a.i - b.i), candidates, 'in the items\' order');
    }
  });

  it('LabelIndex: a selector with matchLabels only looks at items that carry one of its pairs', () => {
    const index = new LabelIndex(items, (x) => x.labels);
    const candidates = index.candidates({ matchLabels: { app: 'a', tier: 'b' } });
    assert.ok(candidates.length < items.length);
    assert.ok(candidates.every((x) => x.labels.app === 'a' || x.labels.tier === 'b'));
  });

  it('SelectorIndex: the items whose selector selects given labels are those a scan finds, in order', () => {
    const index = new SelectorIndex(items, (x) => x.selector);
    for (const q of queries) {
      assert.deepEqual(index.selecting(q.labels), items.filter((x) => selectorMatches(x.selector, q.labels)));
    }
  });
});

describe('deploy model: the tree\'s own documents', () => {
  /** The inventory of a fixture environment whose root Flux sync applies `apps/`, holding `files`. */
  const fluxInput = (files: ReadonlyMap<string, string>) => ({
    environment: validateEnvironment(fixtureEnvironment()),
    manifests: FLUX_ROOT.map((o) => ({ file: 'bootstrap/files/root.yaml', section: 'bootstrap' as const, object: o })),
    files,
    terraform: [],
    charts: [],
    flows: [],
  });
  const fluxNames = (inventory: Inventory) => inventory.objects.filter((d) => d.owner === 'flux').map((d) => d.object.metadata.name);

  it('reads a kustomization the tree wrote from its JSON document, not its text', () => {
    const object = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'settings', namespace: 'apps' } };
    const kustomization = { apiVersion: 'kustomize.config.k8s.io/v1beta1', kind: 'Kustomization', resources: ['settings.yaml'] };
    // The text is not what the document says: what the inventory holds shows which one was read.
    const input = fluxInput(new Map([
      ['apps/kustomization.yaml', 'resources: []\n'],
      ['apps/settings.yaml', toYaml(object)],
    ]));
    assert.deepEqual(fluxNames(buildInventory(input)), []);
    assert.deepEqual(fluxNames(buildInventory({ ...input, documents: new Map([['apps/kustomization.yaml', [kustomization]]]) })), ['settings']);
  });

  it('reads a file or kustomization the library wrote and recorded from its documents, and parses any other text', () => {
    const object = (name: string) => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: 'apps' } });
    const kustomization = { apiVersion: 'kustomize.config.k8s.io/v1beta1', kind: 'Kustomization', resources: ['recorded.yaml', 'plain.yaml'] };
    // The recorded texts are not what their documents say: what the inventory holds shows which one was read.
    const input = fluxInput(new Map([
      ['apps/kustomization.yaml', recordDocuments(toYaml({ ...kustomization, resources: [] }), [kustomization])],
      ['apps/recorded.yaml', recordDocuments(toYaml(object('in-the-text')), [object('recorded')])],
      ['apps/plain.yaml', toYaml(object('parsed'))],
    ]));
    assert.deepEqual(fluxNames(buildInventory(input)), ['recorded', 'parsed']);
  });

  it('renders the tree\'s kustomizations into the documents map when given one', () => {
    const tree = new GitOpsTree({ labels: {} });
    new ApiObject(tree.chart('apps', 'one'), 'Map', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'one' } });
    const documents = new Map<string, readonly unknown[]>();
    const files = tree.render({ chartName: 'c', chartVersion: '0.1.0' }, undefined, documents);
    assert.deepEqual([...documents.keys()].sort(), ['apps/kustomization.yaml', 'kustomization.yaml']);
    for (const [file, docs] of documents) assert.deepEqual(docs, [parse(files.get(file)!)], file);
  });
});
