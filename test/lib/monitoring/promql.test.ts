import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  checkDuration,
  checkPromQL,
  durationSeconds,
  isPrometheusDuration,
  isValidPromQL,
  promqlSyntaxError,
  quoteLabelValue,
} from '../../../lib/monitoring/promql';

describe('PromQL checks', () => {
  it('accepts the seeds expressions', () => {
    for (const expr of [
      'argocd_app_sync_total{phase="Failed"} > 0',
      'argocd_app_health_status{health_status!="Healthy"} > 0',
      'gotk_reconcile_condition{type="Ready",status="False"} > 0',
      'gotk_suspend_status > 0',
      'argocd_app_sync_status != 1',
      'rate(http_requests_total{status=~"5.."}[5m]) > 0.1',
      'container_memory_usage_bytes / container_spec_memory_limit_bytes > 0.9',
      'rate(http_requests_total{status!~"5.."}[5m]) / rate(http_requests_total[5m])',
      'histogram_quantile(0.95, rate(http_request_duration_seconds_bucket[5m]))',
      'sum by (sync_status) (argocd_app_info)',
    ]) {
      assert.equal(promqlSyntaxError(expr), undefined, expr);
    }
  });

  it('reports where an expression stops parsing', () => {
    assert.deepEqual(promqlSyntaxError('rate(x[5m]'), { position: 10, message: 'syntax error at character 10' });
    assert.deepEqual(promqlSyntaxError('sum(x) by'), { position: 9, message: 'syntax error at character 9' });
    assert.deepEqual(promqlSyntaxError('  '), { position: 0, message: 'the expression is empty' });
    assert.equal(isValidPromQL('up{job="a"'), false);
    assert.equal(isValidPromQL('rate(x[5x])'), false);
    assert.equal(isValidPromQL('notafunction(up)'), false);
  });

  it('fails when an expression does not parse, naming the field and the spot', () => {
    assert.throws(() => checkPromQL('Stack/Rules', 'groups[0].rules[1].expr', 'sum(rate(x[5m])'), {
      name: 'ConfigError',
      message:
        'Stack/Rules: groups[0].rules[1].expr is "sum(rate(x[5m])". It is not valid PromQL (syntax error at character 15). Fix the expression; check it in the Prometheus UI or with promtool.',
    });
    assert.equal(checkPromQL('w', 'f', 'up == 0'), 'up == 0');
  });

  it('knows Prometheus durations', () => {
    for (const ok of ['30d', '1h30m', '90s', '0', '2w', '1y', '500ms']) assert.equal(isPrometheusDuration(ok), true, ok);
    for (const bad of ['', '30 days', '1.5h', 'd', '30D', '-1h', 30]) assert.equal(isPrometheusDuration(bad), false, String(bad));
    assert.equal(durationSeconds('30d'), 2592000);
    assert.equal(durationSeconds('1h30m'), 5400);
    assert.equal(durationSeconds('1w2d'), 777600);
  });

  it('fails when a duration is not a Prometheus duration', () => {
    assert.throws(() => checkDuration('Environment "dev"', 'monitoring.retention', '30 days'), {
      message:
        'Environment "dev": monitoring.retention is "30 days". Use a Prometheus duration: a number with a unit among y, w, d, h, m, s, ms, such as "30d", "12h" or "1h30m".',
    });
  });

  it('quotes label values', () => {
    assert.equal(quoteLabelValue('a"b\\c'), '"a\\"b\\\\c"');
  });
});
