import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parser } from '@prometheus-io/lezer-promql';
import { AnalysisMetric, AnalysisTemplate, DEFAULT_PROMETHEUS_ADDRESS } from '../../../lib/delivery/analysis-template';
import { toYamlDocuments } from '../../../lib/platform/yaml';
import { assertValidManifests } from '../../support/validate';
import { at, objects, one, testChart } from './helpers';

/** Parses PromQL (with the analysis arguments filled in); returns the syntax errors' positions. */
function promqlErrors(query: string): number[] {
  const text = query.replace(/\{\{args\.[^}]+\}\}/g, 'web-app-canary');
  const errors: number[] = [];
  parser.parse(text).iterate({
    enter: (node) => {
      if (node.type.isError) errors.push(node.from);
    },
  });
  return errors;
}

describe('AnalysisTemplate', () => {
  it('successRate is the seeds success-rate template', () => {
    const chart = testChart();
    AnalysisTemplate.successRate(chart, 'SuccessRate');
    const template = one(objects(chart), 'AnalysisTemplate', 'success-rate');
    assert.equal(template.apiVersion, 'argoproj.io/v1alpha1');
    assert.deepEqual(at(template, 'spec.args'), [{ name: 'service-name' }]);
    assert.deepEqual(at(template, 'spec.metrics'), [
      {
        name: 'success-rate',
        interval: '30s',
        count: 5,
        successCondition: 'result[0] >= 0.95',
        failureLimit: 3,
        provider: {
          prometheus: {
            address: 'http://prometheus.monitoring.svc.cluster.local:9090',
            query:
              'sum(rate(http_requests_total{service="{{args.service-name}}",status!~"5.."}[2m])) /\n' +
              'sum(rate(http_requests_total{service="{{args.service-name}}"}[2m]))\n',
          },
        },
      },
    ]);
  });

  it('errorRate measures the share of 5xx responses, tolerating no traffic', () => {
    const chart = testChart();
    AnalysisTemplate.errorRate(chart, 'ErrorRate', { threshold: 0.01, address: 'http://prom.example:9090' });
    const template = one(objects(chart), 'AnalysisTemplate', 'error-rate');
    const metric = (at(template, 'spec.metrics') as unknown[])[0];
    assert.equal(at(metric, 'successCondition'), 'isNaN(result[0]) || result[0] <= 0.01');
    assert.equal(at(metric, 'provider.prometheus.address'), 'http://prom.example:9090');
    assert.match(String(at(metric, 'provider.prometheus.query')), /status=~"5\.\."/);
  });

  it('writes {{args.service-name}} verbatim into the YAML', () => {
    const chart = testChart();
    AnalysisTemplate.successRate(chart, 'SuccessRate');
    const yaml = toYamlDocuments(objects(chart));
    assert.match(yaml, /service="\{\{args\.service-name\}\}"/);
  });

  it('has queries that parse as PromQL', () => {
    const chart = testChart();
    const templates = [AnalysisTemplate.successRate(chart, 'S'), AnalysisTemplate.errorRate(chart, 'E')];
    for (const metric of templates.flatMap((t) => t.metrics)) {
      assert.deepEqual(promqlErrors(metric.query), [], `${metric.name}: ${metric.query}`);
    }
    assert.notDeepEqual(promqlErrors('sum(rate(http_requests_total[2m]'), []);
  });

  it('validates strictly against the AnalysisTemplate CRD', () => {
    const chart = testChart();
    AnalysisTemplate.successRate(chart, 'S', { namespace: 'apps' });
    AnalysisTemplate.errorRate(chart, 'E', { namespace: 'apps' });
    assertValidManifests(objects(chart), 'analysis templates');
  });

  it('takes custom Prometheus metrics with arguments', () => {
    const chart = testChart();
    const template = new AnalysisTemplate(chart, 'Latency', {
      name: 'latency',
      args: [{ name: 'service-name' }, { name: 'quantile', value: '0.99' }],
      metrics: [
        AnalysisMetric.prometheus({
          name: 'p99',
          query: 'histogram_quantile({{args.quantile}}, sum(rate(http_request_duration_seconds_bucket{service="{{args.service-name}}"}[5m])) by (le))',
          successCondition: 'result[0] < 0.5',
          interval: '1m',
          count: 3,
          failureLimit: 1,
        }),
      ],
    });
    assert.deepEqual(template.requiredArgs, ['service-name']);
    assert.deepEqual(template.metrics[0].argumentNames, ['quantile', 'service-name']);
    const json = one(objects(chart), 'AnalysisTemplate', 'latency');
    assert.equal(at(json, 'spec.metrics.0.provider.prometheus.address'), DEFAULT_PROMETHEUS_ADDRESS);
    assertValidManifests(objects(chart), 'latency template');
  });

  it('fails when a query uses an argument the template does not declare', () => {
    const chart = testChart();
    assert.throws(
      () =>
        new AnalysisTemplate(chart, 'Bad', {
          name: 'bad',
          metrics: [AnalysisMetric.prometheus({ name: 'm', query: 'up{service="{{args.service-name}}"}', successCondition: 'result[0] == 1' })],
        }),
      {
        name: 'ConfigError',
        message: 'test/Bad: metrics.m.query is "{{args.service-name}}". The template declares no argument "service-name": add { name: "service-name" } to args, or fix the query.',
      },
    );
  });

  it('fails when a metric has no condition, a bad count or a bad interval', () => {
    assert.throws(() => AnalysisMetric.prometheus({ name: 'm', query: 'up' }), {
      message: 'AnalysisMetric.prometheus: successCondition is not set. Give a successCondition (such as "result[0] >= 0.95") or a failureCondition.',
    });
    assert.throws(() => AnalysisMetric.prometheus({ name: 'm', query: 'up', successCondition: 'true', count: 0 }), {
      message: /count is 0\. Use a whole number of measurements, at least 1\./,
    });
    assert.throws(() => AnalysisMetric.prometheus({ name: 'm', query: 'up', successCondition: 'true', interval: 'often' }), {
      message: /interval is "often"\. Use a duration such as "30s" or "1m"\./,
    });
  });

  it('fails on a threshold outside 0-1', () => {
    assert.throws(() => AnalysisTemplate.successRate(testChart(), 'S', { threshold: 95 }), {
      message: 'AnalysisTemplate: threshold is 95. Use a ratio from 0 to 1, such as 0.95.',
    });
  });
});
