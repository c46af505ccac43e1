import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CanaryStep, TrafficRouting } from '../../../lib/delivery/canary-step';
import { RolloutStrategy } from '../../../lib/delivery/strategy';

const noArgs = () => [];
const plain = { name: 'web-app', rename: (n: string) => n, analysisArgs: noArgs };

describe('RolloutStrategy.canary', () => {
  it('renders the steps, the canary and stable Services and Istio routing', () => {
    const strategy = RolloutStrategy.canary({
      steps: [CanaryStep.setWeight(10), CanaryStep.pause('2m'), CanaryStep.setWeight(50), CanaryStep.pause()],
    });
    const rendered = strategy.render(plain);
    assert.deepEqual(rendered.services, [
      { name: 'web-app', role: 'root' },
      { name: 'web-app-canary', role: 'canary' },
      { name: 'web-app-stable', role: 'stable' },
    ]);
    assert.deepEqual(rendered.istio, {
      virtualService: 'web-app-vs',
      destinationRule: 'web-app-dr',
      host: 'web-app',
      routeName: 'primary',
      stableSubset: 'stable',
      canarySubset: 'canary',
      canaryHeader: undefined,
    });
    const canary = rendered.spec.canary!;
    assert.equal(canary.canaryService, 'web-app-canary');
    assert.equal(canary.stableService, 'web-app-stable');
    assert.deepEqual(canary.trafficRouting, {
      istio: {
        virtualService: { name: 'web-app-vs', routes: ['primary'] },
        destinationRule: { name: 'web-app-dr', canarySubsetName: 'canary', stableSubsetName: 'stable' },
      },
    });
    assert.equal(canary.steps!.length, 4);
    assert.equal(canary.steps![0].setWeight, 10);
    assert.equal(canary.steps![1].pause!.duration!.value, '2m');
    assert.deepEqual(canary.steps![3].pause, {});
    assert.deepEqual(strategy.weights, [10, 50]);
  });

  it('prefixes every generated name', () => {
    const rendered = RolloutStrategy.canary({ steps: [CanaryStep.setWeight(20)] }).render({ ...plain, rename: (n) => `prod-${n}` });
    assert.deepEqual(rendered.services.map((s) => s.name), ['prod-web-app', 'prod-web-app-canary', 'prod-web-app-stable']);
    assert.equal(rendered.istio!.virtualService, 'prod-web-app-vs');
    assert.equal(rendered.istio!.host, 'prod-web-app');
  });

  it('splits by replicas without a traffic router', () => {
    const rendered = RolloutStrategy.canary({ steps: [CanaryStep.setWeight(20)], trafficRouting: TrafficRouting.none() }).render(plain);
    assert.equal(rendered.istio, undefined);
    assert.equal(rendered.spec.canary!.trafficRouting, undefined);
  });

  it('fails when canary weights do not rise', () => {
    assert.throws(
      () => RolloutStrategy.canary({ steps: [CanaryStep.setWeight(50), CanaryStep.pause('1m'), CanaryStep.setWeight(20)] }),
      {
        name: 'ConfigError',
        message:
          'RolloutStrategy.canary: steps[2].setWeight is 20. Canary weights must rise from step to step; the previous weight is 50. Use a weight above 50.',
      },
    );
    assert.throws(() => RolloutStrategy.canary({ steps: [CanaryStep.setWeight(30), CanaryStep.setWeight(30)] }), {
      message: /steps\[1\]\.setWeight is 30\. Canary weights must rise/,
    });
  });

  it('fails without steps', () => {
    assert.throws(() => RolloutStrategy.canary({ steps: [] }), {
      message: 'RolloutStrategy.canary: steps is []. Give at least one step, or use RolloutStrategy.rolling() for a plain rolling update.',
    });
  });

  it('fails when the canary and stable Services share a name', () => {
    assert.throws(() => RolloutStrategy.canary({ steps: [CanaryStep.setWeight(10)], canaryService: 'x', stableService: 'x' }), {
      message: 'RolloutStrategy.canary: stableService is "x". The canary and stable Services need different names.',
    });
  });

  it('leaves the analysis out on request', () => {
    const strategy = RolloutStrategy.canary({
      steps: CanaryStep.trafficSplit([10, 100], { analysis: { templates: ['success-rate'] } }),
    });
    assert.equal(strategy.hasAnalysis, true);
    assert.deepEqual(strategy.analysisTemplateNames, ['success-rate']);
    const quiet = strategy.withoutAnalysis();
    assert.equal(quiet.hasAnalysis, false);
    assert.deepEqual(quiet.steps.map((s) => s.describe()), ['setWeight 10', 'pause 2m', 'setWeight 100']);
  });

  it('returns a strategy without analysis as it is, so an environment that does not analyse keeps the base strategy', () => {
    const rolling = RolloutStrategy.rolling();
    assert.equal(rolling.withoutAnalysis(), rolling);
    const canary = RolloutStrategy.canary({ steps: CanaryStep.trafficSplit([10, 100]) });
    assert.equal(canary.withoutAnalysis(), canary);
  });
});

describe('RolloutStrategy.blueGreen', () => {
  it('renders active and preview Services, manual promotion and pre/post-promotion analysis', () => {
    const calls: Array<[string, string]> = [];
    const strategy = RolloutStrategy.blueGreen({
      previewService: 'myapp-preview',
      activeService: 'myapp-active',
      prePromotionAnalysis: { templates: ['success-rate'] },
      postPromotionAnalysis: { templates: ['error-rate'] },
    });
    const rendered = strategy.render({
      name: 'myapp',
      rename: (n) => n,
      analysisArgs: (field, _options, service) => {
        calls.push([field, service]);
        return [];
      },
    });
    const bg = rendered.spec.blueGreen!;
    assert.equal(bg.activeService, 'myapp-active');
    assert.equal(bg.previewService, 'myapp-preview');
    assert.equal(bg.autoPromotionEnabled, false);
    assert.deepEqual(bg.prePromotionAnalysis!.templates, [{ templateName: 'success-rate' }]);
    assert.deepEqual(bg.postPromotionAnalysis!.templates, [{ templateName: 'error-rate' }]);
    assert.deepEqual(calls, [
      ['strategy.blueGreen.prePromotionAnalysis', 'myapp-preview'],
      ['strategy.blueGreen.postPromotionAnalysis', 'myapp-active'],
    ]);
    assert.deepEqual(rendered.services, [
      { name: 'myapp-active', role: 'active' },
      { name: 'myapp-preview', role: 'preview' },
    ]);
    assert.deepEqual(strategy.describe(), {
      kind: 'blueGreen',
      auto_promotion: false,
      pre_promotion_analysis: ['success-rate'],
      post_promotion_analysis: ['error-rate'],
      scale_down_delay_seconds: 30,
    });
  });

  it('defaults the active Service to the Rollout name', () => {
    const rendered = RolloutStrategy.blueGreen({ previewService: 'api-preview' }).render({ ...plain, name: 'api' });
    assert.equal(rendered.spec.blueGreen!.activeService, 'api');
  });

  it('fails without a preview Service', () => {
    const message =
      'RolloutStrategy.blueGreen: previewService is not set. A blue-green Rollout needs a preview Service to test the new version before it is promoted: set previewService, such as "backend-api-preview".';
    assert.throws(() => RolloutStrategy.blueGreen({} as never), { name: 'ConfigError', message });
    assert.throws(() => RolloutStrategy.blueGreen({ previewService: '' }), { message: /previewService is empty\. A blue-green Rollout needs a preview Service/ });
  });

  it('fails when the preview Service is the active Service', () => {
    assert.throws(() => RolloutStrategy.blueGreen({ previewService: 'api', activeService: 'api' }), {
      message: 'RolloutStrategy.blueGreen: previewService is "api". The active and preview Services need different names.',
    });
  });
});

describe('RolloutStrategy.rolling', () => {
  it('is a canary without steps behind one Service', () => {
    const rendered = RolloutStrategy.rolling().render(plain);
    assert.deepEqual(rendered.services, [{ name: 'web-app', role: 'root' }]);
    assert.equal(rendered.spec.canary!.steps, undefined);
    assert.equal(rendered.spec.canary!.maxSurge!.value, '25%');
    assert.equal(rendered.spec.canary!.maxUnavailable!.value, 0);
  });

  it('fails on a surge that is not a count or percentage', () => {
    assert.throws(() => RolloutStrategy.rolling({ maxSurge: 'lots' }), {
      message: 'RolloutStrategy.rolling: maxSurge is "lots". Use a whole number of pods or a percentage such as "25%".',
    });
  });
});
