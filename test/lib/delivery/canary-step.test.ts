import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CanaryStep, TrafficRouting } from '../../../lib/delivery/canary-step';

describe('CanaryStep', () => {
  it('builds setWeight, pause with and without duration, and analysis steps', () => {
    assert.equal(CanaryStep.setWeight(10).describe(), 'setWeight 10');
    assert.equal(CanaryStep.pause('2m').describe(), 'pause 2m');
    assert.equal(CanaryStep.pause().describe(), 'pause until promoted');
    assert.equal(CanaryStep.analysis({ templates: ['success-rate'] }).describe(), 'analysis success-rate');
  });

  it('turns a traffic split into weight, pause and analysis steps', () => {
    const steps = CanaryStep.trafficSplit([10, 50, 100], { pause: '1m', analysis: { templates: ['success-rate'] } });
    assert.deepEqual(steps.map((s) => s.describe()), [
      'setWeight 10', 'pause 1m', 'analysis success-rate',
      'setWeight 50', 'pause 1m', 'analysis success-rate',
      'setWeight 100',
    ]);
  });

  it('fails when a weight is outside 0-100', () => {
    assert.throws(() => CanaryStep.setWeight(120), {
      name: 'ConfigError',
      message: 'CanaryStep.setWeight: weight is 120. Use a whole percentage from 0 to 100.',
    });
    assert.throws(() => CanaryStep.setWeight(-5), { message: /weight is -5\. Use a whole percentage from 0 to 100\./ });
    assert.throws(() => CanaryStep.setWeight(12.5), { message: /weight is 12\.5\./ });
  });

  it('fails when a pause duration is not a duration', () => {
    assert.throws(() => CanaryStep.pause('two minutes'), {
      message: 'CanaryStep.pause: duration is "two minutes". Use a duration such as "30s", "2m" or "1h", or leave it out to pause until promoted.',
    });
  });

  it('fails when an analysis names no template', () => {
    assert.throws(() => CanaryStep.analysis({ templates: [] }), {
      message: 'CanaryStep.analysis: templates is []. Name at least one AnalysisTemplate, such as ["success-rate"].',
    });
  });
});

describe('TrafficRouting', () => {
  it('defaults Istio routing to the primary route and the stable and canary subsets', () => {
    const routing = TrafficRouting.istio();
    assert.equal(routing.kind, 'istio');
    assert.deepEqual(routing.istio, { routeName: 'primary', stableSubset: 'stable', canarySubset: 'canary', canaryHeader: undefined });
    assert.equal(TrafficRouting.none().istio, undefined);
  });

  it('fails on subsets with one name and on a bad header', () => {
    assert.throws(() => TrafficRouting.istio({ stableSubset: 'v1', canarySubset: 'v1' }), {
      message: 'TrafficRouting.istio: canarySubset is "v1". The stable and canary subsets need different names.',
    });
    assert.throws(() => TrafficRouting.istio({ canaryHeader: { name: 'X-Canary', value: 'true' } }), {
      message: /canaryHeader is \{"name":"X-Canary","value":"true"\}\. Use a lowercase header name/,
    });
  });
});
