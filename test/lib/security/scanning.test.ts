import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { CHARTS } from '../../../lib/platform/catalogue';
import { helmRelease, releaseValues } from '../../support/synth';
import { assertValidManifests } from '../../support/validate';
import { assertPromQL } from '../monitoring/support';
import { SHIPPED, testStack, TestStack } from './support';

type Json = Record<string, unknown>;

const synths = new Map<string, { t: TestStack; result: ReturnType<TestStack['synth']> }>();
function synth(name: string, overrides = {}): { t: TestStack; result: ReturnType<TestStack['synth']> } {
  const key = `${name}${JSON.stringify(overrides)}`;
  let entry = synths.get(key);
  if (!entry) {
    const t = testStack(SHIPPED[name], overrides);
    entry = { t, result: t.synth() };
    synths.set(key, entry);
  }
  return entry;
}
after(() => {
  for (const { t } of synths.values()) t.dispose();
});

/** The metric names Trivy Operator 0.32.0 registers (pkg/metrics/collector.go, prometheus.BuildFQName). */
const EXPORTED = ['trivy_image_vulnerabilities', 'trivy_image_exposedsecrets', 'trivy_resource_configaudits', 'trivy_role_rbacassessments'];

describe('TrivyOperator', () => {
  for (const name of ['staging', 'prod']) {
    it(`${name}: installs the pinned chart in trivy-system after its namespace, scanners on, node collector off, non-root`, () => {
      const { tf } = synth(name).result;
      const release = helmRelease(tf, 'trivy-operator');
      assert.equal(release.namespace, 'trivy-system');
      assert.equal(release.chart, CHARTS.trivyOperator.chart);
      assert.equal(release.version, '0.34.0');
      assert.equal(release.repository, 'https://aquasecurity.github.io/helm-charts');
      assert.deepEqual(release.depends_on, ['kubernetes_namespace_v1.Platform_Namespace-trivy-system_7DD44E7E']);
      const values = releaseValues(release);
      const operator = values.operator as Json;
      for (const scanner of ['vulnerabilityScannerEnabled', 'exposedSecretScannerEnabled', 'configAuditScannerEnabled', 'rbacAssessmentScannerEnabled', 'metricsFindingsEnabled']) assert.equal(operator[scanner], true, scanner);
      assert.equal(operator.infraAssessmentScannerEnabled, false);
      assert.equal(operator.clusterComplianceEnabled, false);
      assert.equal(operator.scanJobsConcurrentLimit, name === 'prod' ? 10 : 3);
      assert.equal((values.trivy as Json).severity, 'UNKNOWN,LOW,MEDIUM,HIGH,CRITICAL');
      for (const ctx of [values.podSecurityContext, (values.trivyOperator as Json).scanJobPodTemplatePodSecurityContext]) {
        assert.equal((ctx as Json).runAsNonRoot, true);
        assert.deepEqual((ctx as Json).seccompProfile, { type: 'RuntimeDefault' });
      }
    });

    it(`${name}: scrapes the operator, alerts on critical findings with the metrics the operator exports, ships a dashboard`, () => {
      const { objects } = synth(name).result;
      const mine = objects.filter((o) => o.metadata.namespace === 'trivy-system');
      assert.deepEqual(mine.map((o) => `${o.kind}/${o.metadata.name}`).sort(), [
        'ConfigMap/grafana-dashboard-gitops-security-scanning',
        'NetworkPolicy/allow-api-server-and-https',
        'NetworkPolicy/allow-dns',
        'NetworkPolicy/allow-metrics-scraping',
        'NetworkPolicy/allow-same-namespace',
        'NetworkPolicy/default-deny-all',
        'PrometheusRule/security-scanning',
        'ServiceMonitor/trivy-operator',
      ]);
      assertValidManifests(mine, `${name} scanning objects`);
      const monitor = mine.find((o) => o.kind === 'ServiceMonitor')!.spec as Json;
      assert.deepEqual(monitor.selector, { matchLabels: { 'app.kubernetes.io/instance': 'trivy-operator', 'app.kubernetes.io/name': 'trivy-operator' } });
      const rules = ((mine.find((o) => o.kind === 'PrometheusRule')!.spec as Json).groups as Json[]).flatMap((g) => g.rules as Json[]);
      assert.deepEqual(rules.map((r) => [r.alert, (r.labels as Json).severity]), [
        ['TrivyExposedSecret', 'critical'],
        ['TrivyCriticalVulnerability', 'warning'],
        ['TrivyCriticalMisconfiguration', 'warning'],
      ]);
      for (const r of rules) {
        assertPromQL(r.expr, String(r.alert));
        const metrics = [...String(r.expr).matchAll(/\b(trivy_[a-z_]+)\{/g)].map((m) => m[1]);
        assert.ok(metrics.length > 0 && metrics.every((m) => EXPORTED.includes(m)), `${String(r.alert)}: ${metrics.join(', ')}`);
        assert.match(String(r.expr), /severity="Critical"/);
      }
      const dashboard = mine.find((o) => o.kind === 'ConfigMap')!;
      assert.equal((dashboard.metadata.labels as Json).grafana_dashboard, '1');
      const model = JSON.parse(Object.values((dashboard as Json).data as Json)[0] as string) as Json;
      for (const p of model.panels as Json[]) for (const t of p.targets as Json[]) assertPromQL(t.expr, String(p.title));
    });

    it(`${name}: reports the scanner in gitops_security_status.scanning`, () => {
      const status = (synth(name).result.tf.output.gitops_security_status.value as Json).scanning as Json;
      assert.match(String(status.release), /^\$\{helm_release\.Security_Scanning_[A-Z0-9]+\.name\}$/);
      assert.equal(status.chart_version, '0.34.0');
      assert.match(String(status.status), /^\$\{helm_release\.Security_Scanning_[A-Z0-9]+\.status\}$/);
      assert.deepEqual(status.reports, ['VulnerabilityReport', 'ConfigAuditReport', 'ExposedSecretReport', 'RbacAssessmentReport', 'ClusterRbacAssessmentReport']);
      assert.deepEqual(status.alerts, ['TrivyExposedSecret', 'TrivyCriticalVulnerability', 'TrivyCriticalMisconfiguration']);
      assert.equal(status.dashboard, 'Security Scanning');
    });
  }

  it('dev: no scanner (no release, namespace or status)', () => {
    const { tf, objects } = synth('dev').result;
    assert.throws(() => helmRelease(tf, 'trivy-operator'));
    assert.equal(objects.filter((o) => o.metadata.namespace === 'trivy-system').length, 0);
    assert.equal((tf.output.gitops_security_status.value as Json).scanning, undefined);
  });

  it('fails on an unknown severity, naming the construct and the fix', () => {
    assert.throws(
      () => testStack(SHIPPED.staging, { security: { ...SHIPPED.staging.security, scanning: { severities: ['SEVERE' as never] } } }),
      /Environment "staging": security\.scanning\.severities\[0\] is "SEVERE"\. Use one of "UNKNOWN", "LOW", "MEDIUM", "HIGH", "CRITICAL"\.$/,
    );
  });
});
