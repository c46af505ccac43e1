import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parser } from '@prometheus-io/lezer-promql';
import { AnalysisMetric, AnalysisTemplate, DEFAULT_PROMETHEUS_ADDRESS } from '../../../lib/delivery/analysis-template';
import { toYamlDocuments } from '../../../lib/platform/yaml';
import { podSecurityViolations } from '../../support/pod-security';
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

/**
 * One measurement as Argo Rollouts judges it: the failure condition first,
 * then the success condition; with both set and neither met, Inconclusive;
 * with only a success condition, Failed. Expressions use expr's `len`,
 * `isNaN`, `&&`, `||` and `!`; indexing past the end of `result` is an error
 * (as in expr), which the measurement reports as Error.
 */
function measure(metric: { successCondition?: string; failureCondition?: string }, result: number[]): string {
  const evaluate = (condition: string): boolean => {
    const js = condition.replace(/len\(result\)/g, 'result.length').replace(/result\[(\d+)\]/g, 'item(result, $1)');
    const item = (list: number[], i: number): number => {
      if (i >= list.length) throw new Error(`index out of range: ${i} (array length is ${list.length})`);
      return list[i];
    };
    return Boolean(new Function('result', 'item', 'isNaN', `return (${js});`)(result, item, Number.isNaN));
  };
  try {
    if (metric.failureCondition && evaluate(metric.failureCondition)) return 'Failed';
    if (metric.successCondition && evaluate(metric.successCondition)) return 'Successful';
    return metric.successCondition && metric.failureCondition ? 'Inconclusive' : 'Failed';
  } catch {
    return 'Error';
  }
}

describe('AnalysisTemplate', () => {
  it('successRate is the seeds success-rate template, with no data inconclusive', () => {
    const chart = testChart();
    AnalysisTemplate.successRate(chart, 'SuccessRate');
    const template = one(objects(chart), 'AnalysisTemplate', 'success-rate');
    assert.equal(template.apiVersion, 'argoproj.io/v1alpha1');
    assert.deepEqual(at(template, 'spec.args'), [{ name: 'service-name' }]);
    assert.deepEqual(at(template, 'spec.metrics'), [
      {
        name: 'success-rate',
        interval: '30s',
        initialDelay: '1m',
        count: 5,
        successCondition: 'len(result) > 0 && !isNaN(result[0]) && result[0] >= 0.95',
        failureCondition: 'len(result) > 0 && !isNaN(result[0]) && result[0] < 0.95',
        failureLimit: 3,
        inconclusiveLimit: 2,
        provider: {
          prometheus: {
            address: 'http://prometheus.monitoring.svc.cluster.local:9090',
            query:
              '(sum(rate(http_requests_total{service="{{args.service-name}}",status!~"5.."}[2m])) or vector(0))\n' +
              '/\nsum(rate(http_requests_total{service="{{args.service-name}}"}[2m]))\n',
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
    assert.equal(at(metric, 'successCondition'), 'len(result) > 0 && (isNaN(result[0]) || result[0] <= 0.01)');
    assert.equal(at(metric, 'failureCondition'), 'len(result) > 0 && !isNaN(result[0]) && result[0] > 0.01');
    assert.equal(at(metric, 'provider.prometheus.address'), 'http://prom.example:9090');
    assert.match(String(at(metric, 'provider.prometheus.query')), /\(sum\(rate\(http_requests_total\{service="\{\{args\.service-name\}\}",status=~"5\.\."\}\[2m\]\)\) or vector\(0\)\)/);
  });

  it('judges every possible Prometheus result the way the metric means it, never erroring on an empty one', () => {
    const chart = testChart();
    const [success] = AnalysisTemplate.successRate(chart, 'S').metrics.map((m) => m.render());
    const [error] = AnalysisTemplate.errorRate(chart, 'E').metrics.map((m) => m.render());
    // [] = no request series (not scraped, never called); [NaN] = 0/0, no request in the window.
    assert.deepEqual(
      [[], [NaN], [0.99], [0.5], [0]].map((r) => measure(success, r)),
      ['Inconclusive', 'Inconclusive', 'Successful', 'Failed', 'Failed'],
    );
    assert.deepEqual(
      [[], [NaN], [0], [0.01], [0.5]].map((r) => measure(error, r)),
      ['Inconclusive', 'Successful', 'Successful', 'Successful', 'Failed'],
    );
    // What the seeds' bare condition does with an empty result: an error, which aborts the analysis.
    assert.equal(measure({ successCondition: 'result[0] >= 0.95' }, []), 'Error');
  });

  it('previewLoad sends real requests to the Service it is given, from a Job restricted Pod Security admits', () => {
    const chart = testChart();
    AnalysisTemplate.previewLoad(chart, 'Load', { namespace: 'prod' });
    const template = one(objects(chart), 'AnalysisTemplate', 'preview-load');
    assert.deepEqual(at(template, 'spec.args'), [{ name: 'service-name' }, { name: 'request-path', value: '/' }]);
    const metric = (at(template, 'spec.metrics') as unknown[])[0];
    assert.equal(at(metric, 'name'), 'preview-load');
    assert.equal(at(metric, 'failureLimit'), 0);
    const pod = at(metric, 'provider.job.spec.template') as Record<string, unknown>;
    // A sidecar that keeps running would keep the Job from completing.
    assert.deepEqual(at(pod, 'metadata.annotations'), { 'sidecar.istio.io/inject': 'false' });
    const container = at(pod, 'spec.containers.0') as Record<string, unknown>;
    assert.equal(container.image, 'docker.io/curlimages/curl:8.11.1');
    assert.deepEqual(container.env, [{ name: 'TARGET_URL', value: 'http://{{args.service-name}}{{args.request-path}}' }]);
    assert.match(String((container.command as string[])[2]), /curl -sS -o \/dev\/null --max-time 5 "\$TARGET_URL"/);
    assert.deepEqual(at(container, 'resources.limits'), { cpu: '100m', memory: '64Mi' });
    assert.deepEqual(podSecurityViolations(at(pod, 'spec') as Record<string, unknown>, 'restricted'), []);
    assert.equal(at(metric, 'provider.job.spec.activeDeadlineSeconds'), 300);
    assertValidManifests(objects(chart), 'preview load');
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
