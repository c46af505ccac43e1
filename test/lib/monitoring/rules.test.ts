import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  applicationRuleGroup,
  argoCdRuleGroup,
  fluxRuleGroup,
} from '../../../lib/monitoring/gitops-alerts';
import { PrometheusRule, RemediationAction, Rule, Severity } from '../../../lib/monitoring/rules';
import { validateManifest } from '../../support/validate';
import { assertPromQL, objects, testChart } from './support';

type RuleJson = { alert?: string; record?: string; expr: string; for?: string; labels?: Record<string, string>; annotations?: Record<string, string> };
type Spec = { groups: Array<{ name: string; interval?: string; rules: RuleJson[] }> };

function render(groups: Parameters<PrometheusRule['addGroup']>[0][]): Spec {
  const chart = testChart();
  new PrometheusRule(chart, 'Rules', { name: 'gitops-monitoring', groups });
  const [obj] = objects(chart);
  assert.deepEqual(validateManifest(obj), []);
  return obj.spec as Spec;
}

describe('PrometheusRule', () => {
  it('renders alerting and recording rules with severity and automation labels', () => {
    const chart = testChart();
    const rule = new PrometheusRule(chart, 'Rules', {
      name: 'app',
      labels: { team: 'platform' },
      groups: [
        {
          name: 'app.rules',
          interval: '1m',
          rules: [
            Rule.record({ record: 'job:up:sum', expr: 'sum by (job) (up)' }),
            Rule.alert({
              name: 'JobDown',
              expr: 'job:up:sum == 0',
              for: '5m',
              severity: Severity.CRITICAL,
              automation: RemediationAction.custom('auto-restart'),
              summary: 'Job {{ $labels.job }} is down',
              runbookUrl: 'https://runbooks.company.com/job-down',
              labels: { team: 'platform' },
            }),
          ],
        },
      ],
    });
    const [obj] = objects(chart);
    assert.equal(obj.apiVersion, 'monitoring.coreos.com/v1');
    assert.equal(obj.kind, 'PrometheusRule');
    assert.deepEqual(obj.metadata, { name: 'app', namespace: 'monitoring', labels: { team: 'platform' } });
    assert.deepEqual(obj.spec, {
      groups: [
        {
          name: 'app.rules',
          interval: '1m',
          rules: [
            { record: 'job:up:sum', expr: 'sum by (job) (up)' },
            {
              alert: 'JobDown',
              expr: 'job:up:sum == 0',
              for: '5m',
              labels: { team: 'platform', severity: 'critical', automation: 'auto-restart' },
              annotations: { summary: 'Job {{ $labels.job }} is down', runbook_url: 'https://runbooks.company.com/job-down' },
            },
          ],
        },
      ],
    });
    assert.deepEqual(validateManifest(obj), []);
    assert.deepEqual(rule.groupNames, ['app.rules']);
    assert.equal(rule.rules.filter((r) => r.isAlert).length, 1);
  });

  it('accepts groups added after construction', () => {
    const chart = testChart();
    const rule = new PrometheusRule(chart, 'Rules', { name: 'later' });
    rule.addGroup({ name: 'g', rules: [Rule.record({ record: 'a:b', expr: 'sum(up)' })] });
    assert.deepEqual((objects(chart)[0].spec as Spec).groups.map((g) => g.name), ['g']);
  });

  it('fails when a rule expression does not parse', () => {
    const chart = testChart();
    assert.throws(
      () =>
        new PrometheusRule(chart, 'Rules', {
          name: 'broken',
          groups: [{ name: 'g', rules: [Rule.alert({ name: 'Broken', expr: 'rate(x[5m] > 0', severity: Severity.WARNING, summary: 's' })] }],
        }),
      {
        name: 'ConfigError',
        message:
          'test/Rules: groups[0].rules[0].expr is "rate(x[5m] > 0". It is not valid PromQL (syntax error at character 14). Fix the expression; check it in the Prometheus UI or with promtool.',
      },
    );
  });

  it('fails on bad durations, names, labels and templates', () => {
    const alert = (extra: Partial<Parameters<typeof Rule.alert>[0]>) =>
      Rule.alert({ name: 'A', expr: 'up == 0', severity: Severity.WARNING, summary: 's', ...extra });
    const cases: Array<[ReturnType<typeof Rule.alert>, string]> = [
      [alert({ for: '5 minutes' }), 'test/R: groups[0].rules[0].for is "5 minutes". Use a Prometheus duration'],
      [alert({ name: 'has space' }), 'test/R: groups[0].rules[0].name is "has space". Name the alert in UpperCamelCase'],
      [alert({ summary: '' }), 'test/R: groups[0].rules[0].summary is empty. Give every alert a one-line summary'],
      [alert({ labels: { severity: 'critical' } }), 'test/R: groups[0].rules[0].labels.severity is "critical". Set severity with the "severity" prop'],
      [alert({ description: '{{ $labels.name }' }), 'test/R: groups[0].rules[0].annotations.description is "{{ $labels.name }". The template has unbalanced'],
      [alert({ labels: { 'bad-label': 'x' } }), 'test/R: groups[0].rules[0].labels is "bad-label". Label names are letters'],
      [Rule.record({ record: 'bad name', expr: 'up' }), 'test/R: groups[0].rules[0].record is "bad name". Use a valid metric name'],
    ];
    for (const [rule, message] of cases) {
      assert.throws(() => new PrometheusRule(testChart(), 'R', { name: 'r', groups: [{ name: 'g', rules: [rule] }] }), (e: Error) => {
        assert.ok(e.message.startsWith(message), `${e.message}\n  does not start with\n${message}`);
        return true;
      });
    }
  });

  it('fails on duplicate or empty groups and bad object names', () => {
    const r = Rule.record({ record: 'a:b', expr: 'up' });
    assert.throws(() => new PrometheusRule(testChart(), 'R', { name: 'r', groups: [{ name: 'g', rules: [r] }, { name: 'g', rules: [r] }] }), {
      message: 'test/R: groups[1].name is "g". Group names must be unique within a PrometheusRule.',
    });
    assert.throws(() => new PrometheusRule(testChart(), 'R', { name: 'r', groups: [{ name: 'g', rules: [] }] }), {
      message: 'test/R: groups[0].rules is []. Add at least one rule to group "g".',
    });
    assert.throws(() => new PrometheusRule(testChart(), 'R', { name: 'Bad_Name' }), {
      message: 'test/R: name is "Bad_Name". Use a lowercase DNS name such as "gitops-alerts".',
    });
    assert.throws(() => RemediationAction.custom('Auto Rollback'), { message: 'RemediationAction: automation is "Auto Rollback". Use lowercase words joined by "-", such as "auto-restart".' });
  });
});

describe('GitOps alert rules', () => {
  it('has the seeds alerts with their severities and durations', () => {
    const spec = render([argoCdRuleGroup(), fluxRuleGroup(), applicationRuleGroup()]);
    const summary = spec.groups.map((g) => [g.name, g.rules.map((r) => [r.alert, r.labels?.severity, r.for, r.labels?.automation ?? null])]);
    assert.deepEqual(summary, [
      [
        'argocd.rules',
        [
          ['ArgoCDAppSyncFailed', 'critical', '5m', null],
          ['ArgoCDAppHealthDegraded', 'warning', '10m', null],
          ['ApplicationOutOfSync', 'warning', '5m', null],
        ],
      ],
      [
        'flux.rules',
        [
          ['FluxReconciliationFailure', 'critical', '5m', null],
          ['FluxSuspendedResource', 'warning', '1h', null],
        ],
      ],
      [
        'application-alerts',
        [
          ['HighErrorRate', 'critical', '5m', 'auto-rollback'],
          ['HighMemoryUsage', 'warning', '10m', 'auto-scale'],
        ],
      ],
    ]);
  });

  it('keeps the seeds annotations (Prometheus templates survive verbatim)', () => {
    const spec = render([argoCdRuleGroup(), fluxRuleGroup(), applicationRuleGroup()]);
    const byName = new Map(spec.groups.flatMap((g) => g.rules).map((r) => [r.alert, r]));
    assert.equal(byName.get('ArgoCDAppSyncFailed')!.annotations!.description, 'Application {{ $labels.name }} sync failed in project {{ $labels.project }}');
    assert.equal(byName.get('ArgoCDAppHealthDegraded')!.annotations!.description, 'Application {{ $labels.name }} health status is {{ $labels.health_status }}');
    assert.equal(byName.get('ApplicationOutOfSync')!.annotations!.summary, 'Application {{ $labels.name }} is out of sync');
    assert.equal(byName.get('FluxSuspendedResource')!.annotations!.description, '{{ $labels.customresource_kind }}/{{ $labels.name }} has been suspended for over 1 hour');
    assert.equal(byName.get('HighErrorRate')!.annotations!.runbook_url, undefined, 'no runbook of an example organization by default');
    const linked = render([applicationRuleGroup({ errorRateRunbookUrl: 'https://runbooks.company.com/high-error-rate' })]);
    assert.equal(linked.groups[0].rules[0].annotations!.runbook_url, 'https://runbooks.company.com/high-error-rate');
  });

  it('uses the metrics the pinned controllers export', () => {
    const spec = render([argoCdRuleGroup(), fluxRuleGroup(), applicationRuleGroup()]);
    const expr = new Map(spec.groups.flatMap((g) => g.rules).map((r) => [r.alert, r.expr]));
    assert.equal(expr.get('ArgoCDAppSyncFailed'), 'sum by (namespace, name, project) (increase(argocd_app_sync_total{phase=~"Error|Failed"}[10m])) > 0');
    assert.equal(expr.get('ApplicationOutOfSync'), 'argocd_app_info{sync_status="OutOfSync"} > 0');
    assert.equal(expr.get('FluxReconciliationFailure'), 'gotk_resource_info{ready="False"} > 0');
    assert.equal(expr.get('FluxSuspendedResource'), 'gotk_resource_info{suspended="true"} > 0');
    assert.match(expr.get('HighErrorRate')!, /^sum by \(namespace, service\) \(rate\(http_requests_total\{status=~"5\.\."\}\[5m\]\)\) \/ sum by \(namespace, service\) \(rate\(http_requests_total\[5m\]\)\) > 0\.1$/);
    assert.match(expr.get('HighMemoryUsage')!, /container_spec_memory_limit_bytes\{container!="", container!="POD"\} > 0\) > 0\.9$/);
  });

  it('every expression is valid PromQL (official grammar)', () => {
    const spec = render([argoCdRuleGroup(), fluxRuleGroup(), applicationRuleGroup({ errorRatio: 0.05, memoryRatio: 0.8 })]);
    for (const rule of spec.groups.flatMap((g) => g.rules)) assertPromQL(rule.expr, rule.alert);
  });

  it('takes application thresholds and fails when they are not ratios', () => {
    const group = applicationRuleGroup({ errorRatio: 0.05, memoryRatio: 0.8 });
    assert.match(group.rules[0].expr, /> 0\.05$/);
    assert.match(group.rules[1].expr, /> 0\.8$/);
    assert.throws(() => applicationRuleGroup({ errorRatio: 5 }, 'Stack/Monitoring'), {
      message: 'Stack/Monitoring: applicationAlerts.errorRatio is 5. Use a ratio strictly between 0 and 1, such as 0.1.',
    });
  });
});
