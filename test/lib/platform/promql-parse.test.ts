import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parser } from '@prometheus-io/lezer-promql';
import { parsePromQL } from '../../../lib/platform/promql-parse';
import { metricNames } from '../../../lib/platform/deploy-model/rules/metrics';
import { promqlSyntaxError } from '../../../lib/monitoring/promql';

describe('parsePromQL', () => {
  const valid = [
    'sum by (namespace) (rate(http_requests_total{status=~"5.."}[5m])) / sum by (namespace) (rate(http_requests_total[5m]))',
    'histogram_quantile(0.95, sum by (le) (rate(http_request_duration_seconds_bucket[5m])))',
    '{__name__="argocd_app_info", sync_status="OutOfSync"} > 0',
    'up == 0 and on (job) absent(kube_pod_info)',
  ];

  it('gives a valid text no problem and its metric names, sorted, each once', () => {
    assert.deepEqual(parsePromQL(valid[0]!), { metricNames: ['http_requests_total'] });
    assert.deepEqual(parsePromQL(valid[1]!).metricNames, ['http_request_duration_seconds_bucket']);
    assert.deepEqual(parsePromQL(valid[2]!).metricNames, ['argocd_app_info']);
    assert.deepEqual(parsePromQL(valid[3]!).metricNames, ['kube_pod_info', 'up']);
  });

  it('reads names from the strict tree of a valid text: the same tree the error-recovering parser builds', () => {
    // The deploy model read names from the error-recovering parser's tree; for a text without errors both are one tree.
    const strict = parser.configure({ strict: true });
    for (const text of valid) assert.equal(strict.parse(text).toString(), parser.parse(text).toString(), text);
  });

  it('parses a text once per process, for the syntax check and the metric names alike', () => {
    const text = 'sum(rate(parsed_once_total[1m]))';
    const first = parsePromQL(text);
    assert.equal(parsePromQL([...text].join('')), first, 'a copy of the text finds the same result');
    assert.equal(promqlSyntaxError(text), undefined);
    assert.deepEqual(metricNames(text), ['parsed_once_total']);
    assert.equal(parsePromQL(text), first);
  });

  it('reports where a broken text stops parsing, and still names its metrics', () => {
    const broken = 'rate(requests_total{job="a"}[5m]';
    assert.deepEqual(parsePromQL(broken).problem, { position: 32, message: 'syntax error at character 32' });
    assert.deepEqual(parsePromQL(broken).metricNames, ['requests_total']);
  });

  it('reads template arguments in the deploy model as any value', () => {
    assert.deepEqual(metricNames('sum(rate(http_requests_total{service="{{args.service-name}}"}[{{args.interval}}]))'), ['http_requests_total']);
  });
});
