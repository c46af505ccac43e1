import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { dev, prod, staging } from '../../../environments';
import { SloIndicator } from '../../../lib/monitoring/slo';
import { Storage } from '../../../lib/monitoring/storage';
import { EnvironmentConfig } from '../../../stacks/environment';
import { ManifestObject } from '../../../lib/platform/gitops-tree';
import { findSecrets } from '../../support/secrets';
import { helmRelease, objectsOf, releaseValues, synthEnvironment, SynthResult, cachedSynth } from '../../support/synth';
import { assertValidManifests } from '../../support/validate';
import { assertPromQL } from './support';

const synth = cachedSynth();

const MONITORING_FILES = ['infrastructure/monitoring-dashboards.yaml', 'infrastructure/monitoring-rules.yaml', 'infrastructure/monitoring-scrape.yaml'];

type Values = {
  prometheus: { prometheusSpec: Record<string, unknown> };
  alertmanager: { tplConfig: boolean; config: { route: { routes: Array<{ receiver: string; matchers: string[] }> }; receivers: Array<Record<string, unknown>> }; templateFiles: Record<string, string>; alertmanagerSpec: Record<string, unknown> };
  grafana: Record<string, unknown> & { persistence: Record<string, unknown>; sidecar: { dashboards: Record<string, unknown> } };
  'kube-state-metrics': Record<string, unknown>;
};
const values = (r: SynthResult) => releaseValues(helmRelease(r.tf, 'kube-prometheus-stack')) as unknown as Values;
// Cost allocation's objects (infrastructure/monitoring-cost.yaml, in the OpenCost namespace) are covered by cost.test.ts.
const monitoringObjects = (r: SynthResult) =>
  r.objects.filter((o) => o.file.startsWith('infrastructure/monitoring-') && o.file !== 'infrastructure/monitoring-cost.yaml').map((o) => o.object);

describe('Monitoring in the shipped environments', () => {
  for (const env of [dev, staging, prod]) {
    describe(env.name, () => {
      it('installs the pinned kube-prometheus-stack into the monitoring namespace', () => {
        const release = helmRelease(synth(env).tf, 'kube-prometheus-stack');
        assert.equal(release.chart, 'kube-prometheus-stack');
        assert.equal(release.version, '88.3.0');
        assert.equal(release.repository, 'https://prometheus-community.github.io/helm-charts');
        assert.equal(release.namespace, 'monitoring');
        assert.equal(release.atomic, true);
        const [nsId, ns] = Object.entries(synth(env).tf.resource.kubernetes_namespace_v1).find(([id]) => id.startsWith('Platform_Namespace-monitoring_'))! as [string, { metadata: { labels: Record<string, string> } }];
        assert.deepEqual(release.depends_on, [`kubernetes_namespace_v1.${nsId}`, 'kubernetes_secret_v1.Monitoring_Install_GrafanaAdmin_A41438D9']);
        assert.equal(ns.metadata.labels['pod-security.kubernetes.io/enforce'], 'privileged');
      });

      it('takes the Grafana admin password from a sensitive variable, written write-only into a Secret, never a Helm value or the state', () => {
        const { tf } = synth(env);
        const release = helmRelease(tf, 'kube-prometheus-stack');
        // set_sensitive values are kept in the state: the password reaches Grafana through a Secret instead.
        assert.equal(release.set_sensitive, undefined);
        assert.equal(tf.variable!.grafana_admin_password.sensitive, true);
        assert.equal(tf.variable!.grafana_admin_password.ephemeral, true);
        const grafana = values(synth(env)).grafana;
        assert.equal(grafana.adminPassword, undefined);
        assert.deepEqual(grafana.admin, { existingSecret: 'grafana-admin-credentials', userKey: 'admin-user', passwordKey: 'admin-password' });
        const [id, secret] = Object.entries(tf.resource.kubernetes_secret_v1).find(([, s]) => (s.metadata as { name: string }).name === 'grafana-admin-credentials')!;
        assert.equal((secret.metadata as { namespace: string }).namespace, 'monitoring');
        assert.equal(secret.data, undefined);
        assert.deepEqual(secret.data_wo, { 'admin-user': 'admin', 'admin-password': '${var.grafana_admin_password}' });
        assert.equal(secret.data_wo_revision, 1);
        assert.ok((release.depends_on as string[]).includes(`kubernetes_secret_v1.${id}`), 'Grafana starts after its Secret');
      });

      it('selects every rule and monitor and wires the dashboard sidecar', () => {
        const v = values(synth(env));
        for (const key of ['rule', 'serviceMonitor', 'podMonitor', 'probe', 'scrapeConfig']) {
          assert.equal(v.prometheus.prometheusSpec[`${key}SelectorNilUsesHelmValues`], false, key);
        }
        assert.deepEqual(v.prometheus.prometheusSpec.externalLabels, { environment: env.name, cluster: env.cluster.name });
        assert.deepEqual(v.grafana.sidecar.dashboards, {
          enabled: true,
          label: 'grafana_dashboard',
          labelValue: '1',
          searchNamespace: 'ALL',
          folderAnnotation: 'grafana_folder',
          provider: { foldersFromFilesStructure: true, allowUiUpdates: false },
        });
      });

      it('keeps the Alertmanager templates intact: no tpl, {{ }} verbatim, nothing for Terraform to interpolate', () => {
        const release = helmRelease(synth(env).tf, 'kube-prometheus-stack');
        const raw = (release.values as string[])[0];
        const v = values(synth(env));
        assert.equal(v.alertmanager.tplConfig, false);
        assert.match(v.alertmanager.templateFiles['gitops.tmpl'], /^\{\{ define "gitops.title" \}\}\[\{\{ .Status \| toUpper \}\}/);
        assert.match(raw, /\{\{ template "gitops.title" \. \}\}/);
        assert.match(raw, /alert: ['"]\{\{ \.CommonLabels\.alertname \}\}['"]/);
        assert.doesNotMatch(raw, /[$%]\{/);
      });

      it('reads notification credentials from the mounted Secret and routes remediation to the webhook', () => {
        const v = values(synth(env));
        assert.deepEqual(v.alertmanager.alertmanagerSpec.secrets, ['alertmanager-notifications']);
        const routes = v.alertmanager.config.route.routes.map((r) => [r.receiver, r.matchers]);
        assert.deepEqual(routes, [
          ['null', ['alertname=~"Watchdog|InfoInhibitor"']],
          ['remediation', ['automation=~"auto-rollback|auto-scale"']],
          ['critical', ['severity="critical"']],
          ['warning', ['severity="warning"']],
        ]);
        const hook = (v.alertmanager.config.receivers.find((r) => r.name === 'remediation')!.webhook_configs as Array<Record<string, unknown>>)[0];
        assert.equal(hook.url_file, '/etc/alertmanager/secrets/alertmanager-notifications/remediation-url');
        assert.equal((hook.payload as Record<string, unknown>).event_type, 'alert-triggered');
      });

      it('puts rules, monitors and dashboards in the infrastructure section', () => {
        const r = synth(env);
        for (const file of MONITORING_FILES) assert.ok(r.files.has(file), file);
        assert.match(r.files.get('infrastructure/kustomization.yaml')!, /- monitoring-rules\.yaml/);
        const kinds = monitoringObjects(r).map((o) => `${o.kind}/${o.metadata.name}`).sort();
        assert.deepEqual(kinds.filter((k) => k.startsWith('PrometheusRule/')), [
          'PrometheusRule/application-alerts',
          'PrometheusRule/gitops-monitoring',
          'PrometheusRule/slo-availability',
          'PrometheusRule/slo-latency',
        ]);
        assert.equal(kinds.filter((k) => k.startsWith('ServiceMonitor/')).length, 5);
        assert.equal(kinds.filter((k) => k.startsWith('PodMonitor/')).length, 6);
        assert.deepEqual(kinds.filter((k) => k.startsWith('ConfigMap/')), [
          'ConfigMap/grafana-dashboard-gitops-argocd',
          'ConfigMap/grafana-dashboard-gitops-delivery',
          'ConfigMap/grafana-dashboard-gitops-flux',
          'ConfigMap/grafana-dashboard-gitops-jenkins-x',
          'ConfigMap/grafana-dashboard-gitops-monitoring',
          'ConfigMap/grafana-dashboard-gitops-overview',
          ...(env.modules.includes('recovery') ? ['ConfigMap/grafana-dashboard-gitops-recovery'] : []),
          'ConfigMap/grafana-dashboard-gitops-security',
        ]);
        for (const o of monitoringObjects(r)) {
          assert.equal(o.metadata.namespace, 'monitoring');
          assert.equal((o.metadata.labels as Record<string, string>)['gitops.platform/environment'], env.name);
        }
      });

      it('every monitoring manifest validates strictly against its CRD or the core schema', () => {
        assertValidManifests(monitoringObjects(synth(env)), `${env.name} monitoring`);
      });

      it('every rule and dashboard query in the tree is valid PromQL (official grammar)', () => {
        const r = synth(env);
        let count = 0;
        for (const rule of objectsOf(r, 'PrometheusRule')) {
          for (const group of (rule.spec as { groups: Array<{ rules: Array<{ expr: string }> }> }).groups) {
            for (const x of group.rules) {
              assertPromQL(x.expr, `${rule.metadata.name}`);
              count++;
            }
          }
        }
        for (const cm of objectsOf(r, 'ConfigMap').filter((c) => (c.metadata.labels as Record<string, string>).grafana_dashboard === '1')) {
          for (const json of Object.values(cm.data as Record<string, string>)) {
            for (const panel of (JSON.parse(json) as { panels: Array<{ targets: Array<{ expr: string }> }> }).panels) {
              for (const t of panel.targets) {
                assertPromQL(t.expr, `${cm.metadata.name}`);
                count++;
              }
            }
          }
        }
        // Staging and prod add the scanning alerts and dashboard (3 + 8) and the cost dashboard (6); the recovery dashboard (prod, dr) 6 more.
        assert.equal(count, (env.name === 'dev' ? 77 : 77 + 11 + 6) + (env.modules.includes('recovery') ? 6 : 0));
      });

      it('writes no secret material', () => {
        const r = synth(env);
        const problems = [...MONITORING_FILES.flatMap((f) => findSecrets(f, r.files.get(f)!)), ...findSecrets('cdk.tf.json', JSON.stringify(r.tf))];
        assert.deepEqual(problems, []);
      });

      it('reports its part of the status outputs from the real resources', () => {
        const { tf } = synth(env);
        const m = (tf.output.enterprise_gitops_status.value as Record<string, Record<string, unknown>>).monitoring;
        assert.match(String(m.status), /^\$\{helm_release\.[A-Za-z0-9_]+\.status\}$/);
        assert.match(String(m.release), /^\$\{helm_release\.[A-Za-z0-9_]+\.name\}$/);
        assert.equal(m.chart_version, '88.3.0');
        assert.equal(m.retention, env.monitoring!.retention);
        assert.deepEqual(m.rule_groups, [
          'argocd.rules',
          'flux.rules',
          'application-alerts',
          'slo-availability.recording',
          'slo-availability.alerts',
          'slo-latency.recording',
          'slo-latency.alerts',
        ]);
        assert.equal(m.alert_rules, 11);
        assert.deepEqual(m.dashboards, [
          'GitOps Overview', 'Argo CD', 'Flux', 'Jenkins X', 'Monitoring and SLOs', 'Security and Policies', 'Progressive Delivery',
          ...(env.modules.includes('recovery') ? ['Backups and Recovery'] : []),
        ]);
        assert.deepEqual(m.slos, [
          { name: 'availability', indicator: 'availability', target: 0.999, window: '30d', error_budget: 0.001 },
          { name: 'latency', indicator: 'latency', target: 0.95, window: '30d', error_budget: 0.05 },
        ]);
        const automation = (tf.output.advanced_automation_status.value as Record<string, Record<string, unknown>>).monitoring;
        assert.deepEqual(automation.automated_alerts, [
          { alert: 'HighErrorRate', automation: 'auto-rollback' },
          { alert: 'HighMemoryUsage', automation: 'auto-scale' },
        ]);
        assert.equal(automation.remediation_webhook, true);
        const security = (tf.output.gitops_security_status.value as Record<string, Record<string, unknown>>).monitoring;
        assert.deepEqual(security, {
          alertmanager_secrets: ['alertmanager-notifications'],
          grafana_admin: { source: 'terraform-variable', variable: 'grafana_admin_password', secret: 'grafana-admin-credentials' },
        });
      });
    });
  }

  it('dev keeps 3 days on an emptyDir, single replicas, Grafana without a volume, Slack only', () => {
    const v = values(synth(dev));
    assert.equal(v.prometheus.prometheusSpec.retention, '3d');
    assert.equal(v.prometheus.prometheusSpec.storageSpec, undefined);
    assert.equal(v.prometheus.prometheusSpec.replicas, 1);
    assert.equal(v.alertmanager.alertmanagerSpec.replicas, 1);
    assert.deepEqual(v.grafana.persistence, { enabled: false });
    const receivers = new Map(v.alertmanager.config.receivers.map((r) => [r.name, Object.keys(r).filter((k) => k !== 'name').sort()]));
    assert.deepEqual(receivers.get('critical'), ['slack_configs']);
    assert.deepEqual(receivers.get('warning'), ['slack_configs']);
    assert.deepEqual((v.prometheus.prometheusSpec.resources as Record<string, unknown>).limits, { cpu: '1', memory: '2Gi' });
  });

  it('staging keeps 15 days on 50Gi and e-mails critical alerts too', () => {
    const v = values(synth(staging));
    assert.equal(v.prometheus.prometheusSpec.retention, '15d');
    assert.deepEqual(v.prometheus.prometheusSpec.storageSpec, {
      volumeClaimTemplate: { spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '50Gi' } } } },
    });
    assert.deepEqual(v.grafana.persistence, { enabled: true, size: '10Gi' });
    const critical = v.alertmanager.config.receivers.find((r) => r.name === 'critical')!;
    assert.deepEqual(Object.keys(critical).sort(), ['email_configs', 'name', 'slack_configs']);
  });

  it('prod keeps 30 days on 100Gi of fast-ssd, runs HA replicas and pages PagerDuty for critical alerts', () => {
    const v = values(synth(prod));
    assert.equal(v.prometheus.prometheusSpec.retention, '30d');
    assert.deepEqual(v.prometheus.prometheusSpec.storageSpec, {
      volumeClaimTemplate: { spec: { storageClassName: 'fast-ssd', accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '100Gi' } } } },
    });
    assert.equal(v.prometheus.prometheusSpec.replicas, 2);
    assert.equal(v.alertmanager.alertmanagerSpec.replicas, 3);
    assert.deepEqual(v.grafana.persistence, { enabled: true, size: '10Gi', storageClassName: 'fast-ssd' });
    const critical = v.alertmanager.config.receivers.find((r) => r.name === 'critical') as Record<string, Array<Record<string, unknown>>>;
    assert.equal(critical.pagerduty_configs[0].routing_key_file, '/etc/alertmanager/secrets/alertmanager-notifications/pagerduty-routing-key');
    const warning = v.alertmanager.config.receivers.find((r) => r.name === 'warning')!;
    assert.equal(warning.pagerduty_configs, undefined);
    assert.deepEqual((v.prometheus.prometheusSpec.resources as Record<string, unknown>).limits, { cpu: '4', memory: '8Gi' });
    const m = (synth(prod).tf.output.enterprise_gitops_status.value as Record<string, Record<string, unknown>>).monitoring;
    assert.deepEqual(m.storage, { persistent: true, size: '100Gi', storage_class: 'fast-ssd' });
    assert.deepEqual(m.receivers, { critical: ['pagerduty', 'slack'], warning: ['slack', 'email'], remediation: ['webhook'] });
  });

  it('exports Flux object state through kube-state-metrics when Flux is on', () => {
    const ksm = values(synth(dev))['kube-state-metrics'] as { customResourceState: { enabled: boolean; config: { spec: { resources: Array<{ groupVersionKind: { kind: string } }> } } }; rbac: { extraRules: Array<{ verbs: string[] }> } };
    assert.equal(ksm.customResourceState.enabled, true);
    assert.ok(ksm.customResourceState.config.spec.resources.some((r) => r.groupVersionKind.kind === 'Kustomization'));
    assert.deepEqual(ksm.rbac.extraRules[0].verbs, ['list', 'watch']);
  });
});

describe('Monitoring follows the other modules', () => {
  const only = (name: string, modules: EnvironmentConfig['modules']): EnvironmentConfig => ({ ...dev, name, modules });

  it('without Argo CD and Flux: no GitOps rules, monitors, overview or Flux metrics', () => {
    const r = synth(only('solo', ['monitoring']));
    assert.equal(r.files.has('infrastructure/monitoring-scrape.yaml'), false);
    assert.deepEqual(objectsOf(r, 'PrometheusRule').map((o) => o.metadata.name).sort(), ['application-alerts', 'slo-availability', 'slo-latency']);
    assert.deepEqual(objectsOf(r, 'ConfigMap').map((o) => o.metadata.name), ['grafana-dashboard-gitops-monitoring']);
    assert.equal((values(r)['kube-state-metrics'] as Record<string, unknown>).customResourceState, undefined);
    assertValidManifests(r.objects.map((o) => o.object), 'solo');
  });

  it('with Argo CD only: ServiceMonitors for its release, no PodMonitors, no Flux rules', () => {
    const r = synth(only('argo', ['argocd', 'monitoring']));
    assert.equal(objectsOf(r, 'ServiceMonitor').length, 5);
    assert.equal(objectsOf(r, 'PodMonitor').length, 0);
    const [gitops] = objectsOf(r, 'PrometheusRule', 'gitops-monitoring');
    assert.deepEqual((gitops.spec as { groups: Array<{ name: string }> }).groups.map((g) => g.name), ['argocd.rules']);
    const [controller] = objectsOf(r, 'ServiceMonitor', 'argocd-application-controller') as ManifestObject[];
    assert.deepEqual((controller.spec as { namespaceSelector: unknown }).namespaceSelector, { matchNames: ['argocd'] });
  });
});

describe('Monitoring settings errors', () => {
  const bad = (monitoring: EnvironmentConfig['monitoring']): EnvironmentConfig => ({ ...dev, name: 'bad', monitoring });

  it('fails when the retention is not a Prometheus duration', () => {
    assert.throws(() => synthEnvironment(bad({ retention: '30 days' })), {
      name: 'ConfigError',
      message: 'bad/Monitoring/Install: retention is "30 days". Use a Prometheus duration: a number with a unit among y, w, d, h, m, s, ms, such as "30d", "12h" or "1h30m".',
    });
  });

  it('fails on a bad storage size, replica count, SLO target or empty receiver', () => {
    assert.throws(() => synthEnvironment(bad({ storage: Storage.persistent({ size: '100GB' }) })), /bad\/Monitoring\/Install: storage\.size is "100GB"\. Use a Kubernetes quantity such as "100Gi"\./);
    assert.throws(() => synthEnvironment(bad({ prometheusReplicas: 0 })), /^ConfigError: Environment "bad": monitoring\.prometheusReplicas is 0\. Use a replica count: a whole number from 1 to 100\.$/);
    assert.throws(
      () => synthEnvironment(bad({ slos: [{ name: 'availability', indicator: SloIndicator.availability(), target: 99.9 }] })),
      { name: 'ConfigError', message: 'bad/Monitoring (infrastructure-monitoring-rules/slo-availability): target is 99.9. Use a ratio strictly between 0 and 1, such as 0.999 for 99.9%.' },
    );
    assert.throws(() => synthEnvironment(bad({ alerting: { critical: [], warning: [] } })), /bad\/Monitoring\/Routing: critical is \[\]\. The critical receiver has no destination\./);
  });
});
