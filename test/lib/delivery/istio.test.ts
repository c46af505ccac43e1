import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { IstioCanaryRouting, ROLLOUT_IGNORE_DIFFERENCES } from '../../../lib/delivery/istio';
import { assertValidManifests, validateManifest } from '../../support/validate';
import { at, objects, one, testChart } from './helpers';

describe('IstioCanaryRouting', () => {
  it('routes 100% to the stable subset and 0% to the canary subset of one host', () => {
    const chart = testChart();
    new IstioCanaryRouting(chart, 'Frontend', {
      virtualServiceName: 'frontend-vs',
      destinationRuleName: 'frontend-dr',
      host: 'frontend',
      namespace: 'prod',
    });
    const all = objects(chart);
    const vs = one(all, 'VirtualService', 'frontend-vs');
    assert.equal(vs.apiVersion, 'networking.istio.io/v1');
    assert.deepEqual(at(vs, 'spec'), {
      hosts: ['frontend'],
      http: [
        {
          name: 'primary',
          route: [
            { destination: { host: 'frontend', subset: 'stable' }, weight: 100 },
            { destination: { host: 'frontend', subset: 'canary' }, weight: 0 },
          ],
        },
      ],
    });
    const dr = one(all, 'DestinationRule', 'frontend-dr');
    assert.deepEqual(at(dr, 'spec'), { host: 'frontend', subsets: [{ name: 'stable' }, { name: 'canary' }] });
    assertValidManifests(all, 'istio objects');
  });

  it('sends a header to the canary ahead of the weighted route (seed 003)', () => {
    const chart = testChart();
    new IstioCanaryRouting(chart, 'Frontend', {
      virtualServiceName: 'frontend-canary',
      destinationRuleName: 'frontend',
      host: 'frontend',
      canaryHeader: { name: 'canary', value: 'true' },
    });
    const vs = one(objects(chart), 'VirtualService');
    assert.deepEqual(at(vs, 'spec.http.0'), {
      name: 'primary-canary-header',
      match: [{ headers: { canary: { exact: 'true' } } }],
      route: [{ destination: { host: 'frontend', subset: 'canary' } }],
    });
    assert.equal(at(vs, 'spec.http.1.name'), 'primary');
    assertValidManifests(objects(chart), 'istio header route');
  });

  it('is checked against the Istio CEL rules (a zero route timeout is rejected, as by the API server)', () => {
    const chart = testChart();
    new IstioCanaryRouting(chart, 'X', { virtualServiceName: 'x', destinationRuleName: 'x', host: 'x' });
    const vs = one(objects(chart), 'VirtualService');
    const withTimeout = { ...vs, spec: { ...(vs.spec as object), http: [{ ...(at(vs, 'spec.http.0') as object), timeout: '0s' }] } };
    assert.deepEqual(validateManifest(withTimeout), [
      "spec.http[0].timeout: must be a valid duration greater than 1ms (rule: duration(self) >= duration('1ms'))",
    ]);
  });

  it('fails when the subsets share a name', () => {
    assert.throws(
      () => new IstioCanaryRouting(testChart(), 'X', { virtualServiceName: 'x', destinationRuleName: 'x', host: 'x', stableSubset: 'v1', canarySubset: 'v1' }),
      { message: 'test/X: canarySubset is "v1". The stable and canary subsets need different names.' },
    );
  });

  it('tells Argo CD which fields Argo Rollouts changes', () => {
    assert.deepEqual(ROLLOUT_IGNORE_DIFFERENCES.map((d) => d.kind), ['VirtualService', 'DestinationRule']);
  });
});
