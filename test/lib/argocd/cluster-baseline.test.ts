import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseAllDocuments } from 'yaml';
import { dev, prod } from '../../../environments';
import { ArgoCd } from '../../../lib/argocd';
import { synthEnvironment, SynthResult, trackedSynth } from '../../support/synth';
import { assertValidManifests } from '../../support/validate';

const synth = trackedSynth();

function baselineSource(result: SynthResult): { path: string } {
  const set = result.objects.find((o) => o.object.kind === 'ApplicationSet' && o.object.metadata.name === 'workload-baseline')!;
  return (set.object.spec as any).template.spec.source;
}

describe('ClusterBaseline', () => {
  it('the hub-spoke ApplicationSet syncs a baseline the tree holds: workload namespaces with Pod Security, default resources and ingress isolation', () => {
    const result = synth(prod);
    const source = baselineSource(result);
    assert.equal(source.path, 'clusters/prod/cluster-baseline');
    const directory = source.path.slice('clusters/prod/'.length);
    assert.match(result.files.get(`${directory}/kustomization.yaml`) ?? '', /resources:\n\s+- manifests.yaml/);
    const objects = parseAllDocuments(result.files.get(`${directory}/manifests.yaml`)!).map((d) => d.toJS());
    assertValidManifests(objects, 'cluster-baseline');
    assert.deepEqual(objects.map((o) => `${o.kind}/${o.metadata.name}`), [
      'Namespace/workloads',
      'LimitRange/default-container-resources',
      'NetworkPolicy/same-namespace-only',
    ]);
    assert.equal(objects[0].metadata.labels['pod-security.kubernetes.io/enforce'], 'restricted');
    assert.deepEqual(objects[1].spec.limits[0].default, { cpu: '500m', memory: '256Mi' });
    assert.deepEqual(objects[2].spec.ingress, [{ from: [{ podSelector: {} }] }]);
    assert.deepEqual((result.stack.modules.argocd as ArgoCd).baseline?.namespaces, ['workloads']);
  });

  it('enforces the environment tier\'s level (baseline outside production) in the namespaces given', () => {
    const result = synth({ ...dev, argocd: { ...dev.argocd, workloadNamespaces: ['apps', 'batch'] } });
    const objects = parseAllDocuments(result.files.get('cluster-baseline/manifests.yaml')!).map((d) => d.toJS());
    const namespaces = objects.filter((o) => o.kind === 'Namespace');
    assert.deepEqual(namespaces.map((n) => [n.metadata.name, n.metadata.labels['pod-security.kubernetes.io/enforce']]), [['apps', 'baseline'], ['batch', 'baseline']]);
  });

  it('with workloadBaselinePath, syncs that path and generates nothing', () => {
    // A path outside the environment's tree is another process's: the deploy model wants it declared.
    const result = synth({ ...prod, argocd: { ...prod.argocd, workloadBaselinePath: 'baselines/prod' }, deployModel: { externalPaths: ['baselines/prod'] } });
    assert.equal(baselineSource(result).path, 'baselines/prod');
    assert.equal([...result.files.keys()].some((f) => f.startsWith('cluster-baseline/')), false);
  });

  it('fails when the baseline path is outside the tree and not declared external', () => {
    assert.throws(() => synthEnvironment({ ...prod, argocd: { ...prod.argocd, workloadBaselinePath: 'baselines/prod' } }), /\[references\.path\] .*syncs "baselines\/prod" from the platform repository, outside this environment's tree/);
  });

  it('fails when a baseline namespace is a system namespace', () => {
    assert.throws(() => synth({ ...prod, argocd: { ...prod.argocd, workloadNamespaces: ['kube-system'] } }), {
      message: 'Environment "prod": argocd.workloadBaseline: namespaces is "kube-system". Use namespace names of your own (lowercase DNS labels, not default or kube-*).',
    });
  });
});
