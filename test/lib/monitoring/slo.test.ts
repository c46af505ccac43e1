import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Severity } from '../../../lib/monitoring/rules';
import { ServiceLevelObjective, SloIndicator } from '../../../lib/monitoring/slo';
import { validateManifest } from '../../support/validate';
import { assertPromQL, objects, testChart } from './support';

type RuleJson = { alert?: string; record?: string; expr: string; labels: Record<string, string>; annotations?: Record<string, string> };
type Spec = { groups: Array<{ name: string; interval?: string; rules: RuleJson[] }> };

function slo(props: Partial<ConstructorParameters<typeof ServiceLevelObjective>[2]> = {}) {
  const chart = testChart();
  const construct = new ServiceLevelObjective(chart, 'Slo', {
    name: 'availability',
    indicator: SloIndicator.availability(),
    target: 0.999,
    ...props,
  });
  const [obj] = objects(chart);
  return { construct, obj, spec: obj.spec as Spec };
}

describe('ServiceLevelObjective', () => {
  it('records the error ratio over every alert window and the SLO window', () => {
    const { obj, spec } = slo({ groupBy: ['namespace', 'service'] });
    assert.equal(obj.metadata.name, 'slo-availability');
    assert.deepEqual(validateManifest(obj), []);
    const [recording] = spec.groups;
    assert.equal(recording.name, 'slo-availability.recording');
    assert.deepEqual(
      recording.rules.map((r) => r.record),
      [
        'slo:sli_error:ratio_rate5m',
        'slo:sli_error:ratio_rate30m',
        'slo:sli_error:ratio_rate1h',
        'slo:sli_error:ratio_rate2h',
        'slo:sli_error:ratio_rate6h',
        'slo:sli_error:ratio_rate1d',
        'slo:sli_error:ratio_rate3d',
        'slo:sli_error:ratio_rate30d',
        'slo:objective:ratio',
        'slo:error_budget:remaining_ratio',
      ],
    );
    assert.equal(
      recording.rules[2].expr,
      // A service that never answered 5xx has no error series: its errors count as 0, not as no data.
      '(sum by (namespace, service) (rate(http_requests_total{status=~"5.."}[1h])) or sum by (namespace, service) (rate(http_requests_total[1h])) * 0)' +
        ' / sum by (namespace, service) (rate(http_requests_total[1h]))',
    );
    assert.equal(recording.rules[7].expr, 'avg_over_time(slo:sli_error:ratio_rate5m{slo="availability"}[30d])');
    assert.equal(recording.rules[8].expr, 'vector(0.999)');
    assert.equal(recording.rules[9].expr, '1 - (slo:sli_error:ratio_rate30d{slo="availability"} / 0.001)');
    for (const rule of recording.rules) assert.deepEqual(rule.labels, { slo: 'availability' });
  });

  it('alerts on multi-window, multi-burn-rate (14.4x 1h/5m and 6x 6h/30m page; 3x 1d/2h and 1x 3d/6h ticket)', () => {
    const { construct, spec } = slo();
    assert.deepEqual(construct.burnRates, [
      { long: '1h', short: '5m', factor: 14.4, severity: 'critical' },
      { long: '6h', short: '30m', factor: 6, severity: 'critical' },
      { long: '1d', short: '2h', factor: 3, severity: 'warning' },
      { long: '3d', short: '6h', factor: 1, severity: 'warning' },
    ]);
    const [, alerts] = spec.groups;
    assert.equal(alerts.name, 'slo-availability.alerts');
    const [page, ticket] = alerts.rules;
    assert.equal(page.alert, 'SLOErrorBudgetBurn');
    assert.deepEqual(page.labels, { slo: 'availability', slo_window: '30d', severity: 'critical' });
    assert.equal(
      page.expr,
      '(slo:sli_error:ratio_rate1h{slo="availability"} / 0.001 > 14.4 and slo:sli_error:ratio_rate5m{slo="availability"} / 0.001 > 14.4)' +
        ' or (slo:sli_error:ratio_rate6h{slo="availability"} / 0.001 > 6 and slo:sli_error:ratio_rate30m{slo="availability"} / 0.001 > 6)',
    );
    assert.equal(ticket.labels.severity, 'warning');
    assert.match(ticket.expr, /ratio_rate1d\{slo="availability"\} \/ 0\.001 > 3 and .*ratio_rate3d\{slo="availability"\} \/ 0\.001 > 1 and/);
    assert.equal(page.annotations!.summary, 'SLO availability is burning its 30d error budget {{ printf "%.1f" $value }}x faster than sustainable');
    assert.equal(construct.errorBudget, 0.001);
  });

  it('scales burn-rate factors with the SLO window', () => {
    const { construct } = slo({ window: '28d' });
    assert.deepEqual(construct.burnRates.map((b) => b.factor), [13.44, 5.6, 2.8, 0.933333333333]);
  });

  it('turns "p95 under 0.5 s" into a latency SLI on the 0.5 bucket and records the quantile', () => {
    const { spec } = slo({ name: 'latency', indicator: SloIndicator.latency({ thresholdSeconds: 0.5, selector: 'job="web-app"' }), target: 0.95 });
    const recording = spec.groups[0].rules;
    assert.equal(
      recording[0].expr,
      '1 - (sum(rate(http_request_duration_seconds_bucket{job="web-app", le="0.5"}[5m])) / sum(rate(http_request_duration_seconds_count{job="web-app"}[5m])))',
    );
    const quantile = recording.find((r) => r.record === 'slo:latency_quantile_seconds:rate5m')!;
    assert.equal(quantile.expr, 'histogram_quantile(0.95, sum by (le) (rate(http_request_duration_seconds_bucket{job="web-app"}[5m])))');
    assert.deepEqual(quantile.labels, { slo: 'latency', quantile: '0.95' });
    assert.equal(spec.groups[1].rules[0].expr.includes('/ 0.05 > 14.4'), true);
  });

  it('matches both spellings of an integer bucket boundary', () => {
    const { spec } = slo({ name: 'latency', indicator: SloIndicator.latency({ thresholdSeconds: 1 }), target: 0.99 });
    assert.match(spec.groups[0].rules[0].expr, /le=~"1\(\\\\\.0\)\?"/);
  });

  it('every recorded and alerted expression is valid PromQL (official grammar)', () => {
    for (const indicator of [
      SloIndicator.availability({ selector: 'job="api"', errorSelector: 'code=~"5.."' }),
      SloIndicator.latency({ thresholdSeconds: 0.25 }),
      SloIndicator.latency({ thresholdSeconds: 2 }),
      SloIndicator.custom({ description: 'probe failures', errorRatio: (w) => `1 - avg(avg_over_time(probe_success[${w}]))` }),
    ]) {
      const { spec } = slo({ indicator, groupBy: ['service'] });
      for (const rule of spec.groups.flatMap((g) => g.rules)) assertPromQL(rule.expr, rule.record ?? rule.alert);
    }
  });

  it('takes custom burn-rate windows', () => {
    const { construct, spec } = slo({
      window: '7d',
      burnRateWindows: [{ long: '1h', short: '5m', budgetConsumed: 0.05, severity: Severity.CRITICAL }],
    });
    assert.deepEqual(construct.burnRates, [{ long: '1h', short: '5m', factor: 8.4, severity: 'critical' }]);
    assert.equal(spec.groups[1].rules.length, 1);
  });

  it('fails when the target is outside (0, 1)', () => {
    for (const target of [0, 1, 99.9, -0.5]) {
      assert.throws(() => slo({ target }), {
        name: 'ConfigError',
        message: `test/Slo: target is ${JSON.stringify(target)}. Use a ratio strictly between 0 and 1, such as 0.999 for 99.9%.`,
      });
    }
    // NaN is no number at all: the props check refuses it before the range check.
    assert.throws(() => slo({ target: Number.NaN }), { name: 'ConfigError', message: 'test/Slo: ServiceLevelObjectiveProps.target is NaN. Use a finite number.' });
  });

  it('fails on bad windows, names, thresholds and custom error ratios', () => {
    assert.throws(() => slo({ window: '30 days' }), /test\/Slo: window is "30 days"\. Use a Prometheus duration/);
    assert.throws(() => slo({ window: '2d' }), {
      message: 'test/Slo: window is "2d". The SLO window must be longer than every alert window (3d); use "30d" or longer windows.',
    });
    assert.throws(() => slo({ name: 'Availability' }), /test\/Slo: name is "Availability"\. Use a lowercase DNS label/);
    assert.throws(
      () => slo({ burnRateWindows: [{ long: '5m', short: '1h', budgetConsumed: 0.02, severity: Severity.CRITICAL }] }),
      /test\/Slo: burnRateWindows\[0\]\.short is "1h"\. The short window must be shorter than the long window \(5m\)\./,
    );
    assert.throws(() => SloIndicator.latency({ thresholdSeconds: 0 }), /SloIndicator.latency: thresholdSeconds is 0\./);
    assert.throws(
      () => slo({ indicator: SloIndicator.custom({ description: 'x', errorRatio: (w) => `rate(x[${w}]` }) }),
      /test\/Slo: indicator\.errorRatio\("5m"\) is "rate\(x\[5m\]"\. It is not valid PromQL/,
    );
  });
});
