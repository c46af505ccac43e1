import { Chart } from 'cdk8s';
import { Lazy } from 'cdktf';
import { Construct } from 'constructs';
import { ChartInstall } from '../platform/chart-install';
import { ModuleName } from '../platform/environment';
import { ConfigError } from '../platform/errors';
import { Platform } from '../platform/platform';
import { PrometheusEndpoint, ScannerMetricsTarget } from '../platform/references';
import { scanningDashboard, scanningRuleGroup } from './scanning-alerts';
import { AlertRouting } from './alert-routing';
import { GrafanaDashboard } from './dashboard';
import { DashboardDefinition, gitOpsOverview, MODULE_DASHBOARDS } from './dashboards';
import { applicationRuleGroup, argoCdRuleGroup, fluxRuleGroup } from './gitops-alerts';
import { MonitoringInstall } from './install';
import { Notifier } from './notifier';
import { PrometheusRule, RuleGroupOptions } from './rules';
import { ArgoCdScrapeTargets, FluxScrapeTargets, PodMonitor, ServiceMonitor } from './scrape';
import { AlertingSettings, MonitoringSettings } from './settings';
import { ServiceLevelObjective, ServiceLevelObjectiveOptions, SloIndicator } from './slo';
import { NotificationSecrets } from './notification-secrets';
import { CostAllocation, DEFAULT_TEAM_LABEL } from './cost/opencost';
import { secretStoreRefOf, storeProducer } from '../platform/external-secrets/store-secret';
import { SecretStoreHandle } from '../platform/secrets';
import { checkProps } from '../platform/config-boundary/props';

/**
 * The seeds' objectives: availability 99.9% (share of non-5xx responses) and
 * latency p95 under 0.5 s (95% of requests faster than 0.5 s), each over 30
 * days, computed per namespace and service.
 */
export const DEFAULT_SLOS: readonly ServiceLevelObjectiveOptions[] = [
  {
    name: 'availability',
    indicator: SloIndicator.availability(),
    target: 0.999,
    window: '30d',
    groupBy: ['namespace', 'service'],
  },
  {
    name: 'latency',
    indicator: SloIndicator.latency({ thresholdSeconds: 0.5 }),
    target: 0.95,
    window: '30d',
    groupBy: ['namespace', 'service'],
  },
];

/** The Secret holding notification credentials unless settings say otherwise. */
export const DEFAULT_NOTIFICATION_SECRET = 'alertmanager-notifications';

/** Critical and warning alerts to Slack, reading the webhook URL from `alertmanager-notifications`. */
export const DEFAULT_ALERTING: AlertingSettings = {
  critical: [Notifier.slack({ channel: '#platform-alerts', apiUrl: { name: DEFAULT_NOTIFICATION_SECRET, key: 'slack-api-url' } })],
  warning: [Notifier.slack({ channel: '#platform-alerts', apiUrl: { name: DEFAULT_NOTIFICATION_SECRET, key: 'slack-api-url' } })],
};

/**
 * Options for {@link Monitoring}: the environment's `monitoring` settings,
 * plus what the other modules tell it (which `GitOpsStack` wires).
 */
export interface MonitoringProps extends MonitoringSettings {
  /** The environment's platform. @default - `Platform.of(scope)` */
  readonly platform?: Platform;
  /** Namespace of the stack and of the synced rules, monitors and dashboards. @default 'monitoring' */
  readonly namespace?: string;
  /**
   * Argo CD's release (`ArgoCd.install.install`): its alerts, ServiceMonitors
   * and dashboard. Give it the `metrics` prop too, so its chart serves them.
   * @default - none: no Argo CD alerts, monitors or dashboard
   */
  readonly argoCd?: ChartInstall;
  /**
   * Flux's release (`Flux.install.install`): its alerts, PodMonitors, object
   * state metrics and dashboard.
   * @default - none: no Flux alerts, monitors or dashboard
   */
  readonly flux?: ChartInstall;
  /**
   * A security scanner's metrics (`Security.scanning.metrics`): scraped, with
   * alerts on critical findings and a dashboard, in the scanner's namespace.
   * @default - none
   */
  readonly securityScanner?: ScannerMetricsTarget;
  /**
   * The modules whose dashboard to ship besides the GitOps overview.
   * @default - none
   */
  readonly moduleDashboards?: readonly ModuleName[];
  /**
   * The secret store Alertmanager's receiver Secrets come from (the security module's
   * `defaultStore`, or a store of your own).
   * @default - none: the Secrets it reads are prerequisites (SECRETS.md)
   */
  readonly secretStore?: SecretStoreHandle;
}

/**
 * The monitoring module of an environment:
 * - kube-prometheus-stack, installed by Terraform (see {@link MonitoringInstall});
 * - Alertmanager routing with a remediation webhook (see {@link AlertRouting});
 * - in the GitOps tree's `infrastructure/` section: the GitOps and
 *   application PrometheusRules, one PrometheusRule per SLO, ServiceMonitors
 *   for Argo CD and PodMonitors for Flux (when those modules are on), and a
 *   dashboard ConfigMap for the GitOps overview and for every enabled module;
 * - cost allocation by team with OpenCost (`cost`, see {@link CostAllocation});
 * - its part of the status outputs.
 */
export class Monitoring extends Construct {
  /** The kube-prometheus-stack release. */
  public readonly install: MonitoringInstall;
  /** Alertmanager routing. */
  public readonly routing: AlertRouting;
  /** The ExternalSecrets of the receivers' Secrets, when the security module is on. */
  public readonly notificationSecrets?: NotificationSecrets;
  /** The rule objects (GitOps, application, SLOs, added ones). */
  public readonly rules: PrometheusRule[] = [];
  /** The SLOs. */
  public readonly slos: ServiceLevelObjective[] = [];
  /** The dashboards. */
  public readonly dashboards: GrafanaDashboard[] = [];
  /** ServiceMonitors created. */
  public readonly serviceMonitors: ServiceMonitor[] = [];
  /** PodMonitors created. */
  public readonly podMonitors: PodMonitor[] = [];
  /** The namespace. */
  public readonly namespace: string;
  /** The Prometheus it installs: give it to rollout analysis and reports. */
  public readonly prometheus: PrometheusEndpoint;
  /** Cost allocation (when `monitoring.cost` is set). */
  public readonly cost?: CostAllocation;
  /** The secret store its ExternalSecrets read from (the `secretStore` prop); undefined: the Secrets are prerequisites. */
  public readonly secretStore?: SecretStoreHandle;
  private readonly platform: Platform;
  private readonly rulesChart: Chart;
  private readonly dashboardsChart: Chart;

  constructor(scope: Construct, id: string, props: MonitoringProps = {}) {
    super(scope, id);
    checkProps(this, 'MonitoringProps', props);
    const platform = props.platform ?? Platform.of(this);
    this.platform = platform;
    const settings: MonitoringSettings = props;
    this.namespace = props.namespace ?? 'monitoring';

    this.routing = new AlertRouting(this, 'Routing', settings.alerting ?? DEFAULT_ALERTING);
    this.install = new MonitoringInstall(this, 'Install', {
      platform,
      values: settings.values,
      routing: this.routing,
      namespace: this.namespace,
      retention: settings.retention,
      storage: settings.storage,
      prometheusReplicas: settings.prometheusReplicas,
      alertmanagerReplicas: settings.alertmanagerReplicas,
      grafanaAdmin: settings.grafana?.admin,
      grafanaStorage: settings.grafana?.storage,
      resources: settings.resources,
      fluxMetrics: props.flux !== undefined,
      namespaceLabelMetrics: settings.cost ? [settings.cost.teamLabel ?? DEFAULT_TEAM_LABEL] : [],
    });
    this.prometheus = this.install.prometheus;
    if (settings.cost) this.cost = new CostAllocation(this, 'Cost', { platform, ...settings.cost, prometheus: this.install.prometheus });

    // The receivers' Secrets come from the secret store when the stack gives
    // one; otherwise they are prerequisites (SECRETS.md).
    const store = this.secretStore = props.secretStore;
    const byName = new Map<string, string[]>();
    for (const ref of this.routing.secretKeys) byName.set(ref.name, [...(byName.get(ref.name) ?? []), ref.key]);
    for (const [name, keys] of byName) {
      const remoteKey = `monitoring/${name}`;
      platform.secrets.require({ namespace: this.namespace, name, keys, readBy: `Alertmanager ${this.namespace} (receivers)`, remoteKey, producedBy: store ? storeProducer(store, remoteKey) : undefined });
    }
    if (store && this.routing.secretKeys.length > 0) {
      this.notificationSecrets = new NotificationSecrets(platform.tree.chart('infrastructure', 'monitoring-secrets'), 'Secrets', {
        secretKeys: this.routing.secretKeys,
        namespace: this.namespace,
        store: secretStoreRefOf(store),
      });
    }

    this.rulesChart = platform.tree.chart('infrastructure', 'monitoring-rules');
    this.dashboardsChart = platform.tree.chart('infrastructure', 'monitoring-dashboards');
    const argocd = props.argoCd !== undefined;
    const flux = props.flux !== undefined;

    const gitopsGroups: RuleGroupOptions[] = [];
    if (argocd) gitopsGroups.push(argoCdRuleGroup());
    if (flux) gitopsGroups.push(fluxRuleGroup());
    if (gitopsGroups.length > 0) this.addRules('gitops-monitoring', gitopsGroups);
    this.addRules('application-alerts', [applicationRuleGroup(settings.applicationAlerts, this.node.path)]);
    for (const slo of settings.slos ?? DEFAULT_SLOS) this.addSlo(slo);

    if (argocd || flux) {
      const scrapeChart = platform.tree.chart('infrastructure', 'monitoring-scrape');
      if (argocd) {
        const argo = props.argoCd;
        const targets = new ArgoCdScrapeTargets(scrapeChart, 'ArgoCd', {
          namespace: this.namespace,
          argoCdNamespace: argo?.namespace,
          releaseName: argo?.release.nameInput,
        });
        this.serviceMonitors.push(...targets.monitors);
      }
      if (flux) {
        const fluxInstall = props.flux;
        const targets = new FluxScrapeTargets(scrapeChart, 'Flux', { namespace: this.namespace, fluxNamespace: fluxInstall?.namespace });
        this.podMonitors.push(...targets.monitors);
      }
    }

    const overview = gitOpsOverview({ argocd, flux });
    if (overview) this.addDashboard(overview);
    for (const module of props.moduleDashboards ?? []) this.addDashboard(MODULE_DASHBOARDS[module]());

    if (props.securityScanner) this.monitorScanner(props.securityScanner);

    this.setStatus();
  }

  /** The scanner's ServiceMonitor, alert rules and dashboard, in its namespace (`infrastructure/security-scanning.yaml`). */
  private monitorScanner(target: ScannerMetricsTarget): void {
    const chart = this.platform.tree.chart('infrastructure', 'security-scanning');
    // The scanner's objects: not counted among the monitoring module's own (its status lists those).
    new ServiceMonitor(chart, 'Metrics', {
      name: target.release,
      namespace: target.namespace,
      targetNamespaces: [target.namespace],
      matchLabels: { ...target.podLabels },
      port: 'metrics',
      interval: '60s',
    });
    const rule = new PrometheusRule(chart, 'Alerts', { name: 'security-scanning', namespace: target.namespace, groups: [scanningRuleGroup({ for: target.alertAfter })] });
    const dashboard = new GrafanaDashboard(chart, 'Dashboard', { ...scanningDashboard(), namespace: target.namespace });
    target.monitoredBy({ alerts: rule.rules.filter((r) => r.isAlert).map((r) => r.name), dashboard: dashboard.title });
  }

  /** Adds a PrometheusRule with the given groups to the tree. */
  public addRules(name: string, groups: readonly RuleGroupOptions[]): PrometheusRule {
    const rule = this.inTree(() => new PrometheusRule(this.rulesChart, name, { name, namespace: this.namespace, groups }));
    this.rules.push(rule);
    return rule;
  }

  /** Adds an SLO (recording rules, error budget and burn-rate alerts). */
  public addSlo(options: ServiceLevelObjectiveOptions): ServiceLevelObjective {
    const slo = this.inTree(
      () => new ServiceLevelObjective(this.rulesChart, `slo-${options.name}`, { ...options, namespace: this.namespace }),
    );
    this.slos.push(slo);
    this.rules.push(slo.rule);
    return slo;
  }

  /** Adds a dashboard ConfigMap for the Grafana sidecar. */
  public addDashboard(definition: DashboardDefinition): GrafanaDashboard {
    const dashboard = this.inTree(
      () => new GrafanaDashboard(this.dashboardsChart, definition.uid, { ...definition, namespace: this.namespace }),
    );
    this.dashboards.push(dashboard);
    return dashboard;
  }

  /**
   * Runs `make`, which creates constructs in a GitOps tree chart; a
   * ConfigError names this module's path (and so the environment) before
   * the chart path.
   */
  private inTree<T>(make: () => T): T {
    try {
      return make();
    } catch (error) {
      if (error instanceof ConfigError && !error.message.startsWith(this.node.path)) {
        error.message = `${this.node.path} (${error.message.slice(0, error.where.length)})${error.message.slice(error.where.length)}`;
      }
      throw error;
    }
  }

  private setStatus(): void {
    const status = this.platform.status;
    const install = this.install;
    status.set('enterprise_gitops_status', 'monitoring', {
      ...install.install.describe(),
      retention: install.retention,
      storage: install.storage.describe(),
      prometheus_replicas: install.prometheusReplicas,
      alertmanager_replicas: install.alertmanagerReplicas,
      grafana: { storage: install.grafanaStorage.describe(), admin: install.grafanaAdmin.describe() },
      receivers: this.routing.receivers,
      rule_groups: Lazy.listValue({ produce: () => this.rules.flatMap((r) => r.groupNames) }),
      alert_rules: Lazy.numberValue({ produce: () => this.rules.flatMap((r) => r.rules).filter((r) => r.isAlert).length }),
      dashboards: Lazy.listValue({ produce: () => this.dashboards.map((d) => d.title) }),
      slos: Lazy.anyValue({
        produce: () =>
          this.slos.map((s) => ({
            name: s.name,
            indicator: s.indicator.kind,
            target: s.target,
            window: s.window,
            error_budget: s.errorBudget,
          })),
      }),
      scrape_targets: Lazy.anyValue({
        produce: () => ({
          service_monitors: this.serviceMonitors.map((m) => m.name),
          pod_monitors: this.podMonitors.map((m) => m.name),
        }),
      }),
    });
    status.set('advanced_automation_status', 'monitoring', {
      remediation_webhook: this.routing.remediation !== undefined,
      event_type: this.routing.remediation?.eventType ?? null,
      actions: (this.routing.remediation?.actions ?? []).map((a) => a.value),
      automated_alerts: Lazy.anyValue({
        produce: () =>
          this.rules
            .flatMap((r) => r.rules)
            .filter((r) => r.automation !== undefined)
            .map((r) => ({ alert: r.name, automation: r.automation!.value })),
      }),
      slo_burn_rate_alerts: Lazy.listValue({ produce: () => this.slos.map((s) => s.name) }),
    });
    status.set('gitops_security_status', 'monitoring', {
      alertmanager_secrets: [...this.routing.secretNames],
      grafana_admin: install.grafanaAdmin.describe(),
    });
  }
}
