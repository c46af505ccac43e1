import { Construct } from 'constructs';
import { CHARTS } from '../../platform/catalogue';
import { ControllerInstall, ControllerInstallProps } from '../../platform/controller-install';
import { ConfigError } from '../../platform/errors';
import { ServiceEndpoint, serviceUrl } from '../../platform/service-endpoint';
import { GrafanaDashboard } from '../dashboard';
import { ServiceMonitor } from '../scrape';
import { costDashboard, namespaceLabelMetricName } from './dashboard';

/**
 * The label the platform puts on every team namespace (the Argo CD module's
 * `Team` labels its namespaces, AppProject and ApplicationSet with it).
 */
export const DEFAULT_TEAM_LABEL = 'gitops.platform/team';

/** Settings of cost allocation (`EnvironmentConfig.monitoring.cost`). */
export interface CostAllocationOptions {
  /** Namespace of OpenCost. @default 'opencost' */
  readonly namespace?: string;
  /** Helm release name. @default 'opencost' */
  readonly releaseName?: string;
  /**
   * The namespace label costs are allocated by; kube-state-metrics exports it.
   * @default DEFAULT_TEAM_LABEL ('gitops.platform/team')
   */
  readonly teamLabel?: string;
  /**
   * Values of the `opencost` chart merged over the ones this install
   * computes, last: the escape hatch for a chart setting without a setting
   * here. Every path must exist in the chart's defaults; never a secret.
   * @default - none
   */
  readonly values?: Readonly<Record<string, unknown>>;
}

/** Options for {@link CostAllocation}. */
export interface CostAllocationProps extends CostAllocationOptions, ControllerInstallProps {
  /** The Prometheus OpenCost reads (the monitoring install's `prometheus`). */
  readonly prometheus: ServiceEndpoint;
}

const LABEL_KEY = /^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\/)?[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/;

/**
 * Cost allocation with OpenCost (pinned chart `opencost`): the exporter reads
 * the monitoring module's Prometheus (its Service, computed from the
 * monitoring install's namespace and release name), prices every
 * container's CPU and memory allocation, and serves the allocation API
 * (`/allocation?aggregate=label:<team label>`). Costs are allocated to teams
 * by a namespace label (by default the one the platform puts on team
 * namespaces), which kube-state-metrics exports in `kube_namespace_labels`.
 *
 * In the GitOps tree: a ServiceMonitor for the exporter's cost metrics and a
 * Grafana dashboard (cluster cost, cost by team and by namespace). The UI is
 * off (the dashboard and the API serve the numbers); the exporter runs
 * non-root with the default seccomp profile, so its namespace can enforce
 * Pod Security `restricted`. Its summary is `enterprise_gitops_status.cost`.
 */
export class CostAllocation extends ControllerInstall {
  /** The namespace label costs are allocated by. */
  public readonly teamLabel: string;
  /** The Prometheus OpenCost reads. */
  public readonly prometheus: ServiceEndpoint;
  /** The exporter's ServiceMonitor. */
  public readonly serviceMonitor: ServiceMonitor;
  /** The cost dashboard. */
  public readonly dashboard: GrafanaDashboard;
  /** The allocation API (in-cluster). */
  public readonly apiUrl: string;

  constructor(scope: Construct, id: string, props: CostAllocationProps) {
    // One exporter (the HA table's singleton).
    super(scope, id, props, { chart: CHARTS.opencost, defaultNamespace: 'opencost', releaseName: props.releaseName ?? 'opencost', role: 'singleton' });
    const platform = this.platform;
    const where = this.node.path;
    const release = this.releaseName;
    this.teamLabel = props.teamLabel ?? DEFAULT_TEAM_LABEL;
    if (typeof this.teamLabel !== 'string' || !LABEL_KEY.test(this.teamLabel)) {
      throw new ConfigError(where, 'teamLabel', this.teamLabel, 'Use a Kubernetes label key such as "gitops.platform/team".');
    }
    if (!props.prometheus) throw new ConfigError(where, 'prometheus', props.prometheus, 'Give the Prometheus Service OpenCost reads (the monitoring install\'s `prometheus`).');
    this.prometheus = props.prometheus;

    const podLabels = { 'app.kubernetes.io/name': 'opencost', 'app.kubernetes.io/instance': release };
    this.installChart({
      values: {
        podSecurityContext: { runAsNonRoot: true, runAsUser: 1000, runAsGroup: 1000, seccompProfile: { type: 'RuntimeDefault' } },
        opencost: {
          exporter: {
            defaultClusterId: platform.clusterName,
            resources: { requests: { cpu: '10m', memory: '128Mi' }, limits: { memory: '1Gi' } },
            securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] }, runAsNonRoot: true },
          },
          prometheus: {
            internal: { enabled: true, serviceName: this.prometheus.name, namespaceName: this.prometheus.namespace, port: this.prometheus.port },
          },
          ui: { enabled: false },
          mcp: { enabled: false },
        },
      },
      facts: {
        serviceAccounts: [release],
        services: [{ name: release, labels: podLabels, podLabels, ports: [{ name: 'http', port: 9003 }], metrics: ['node_', 'container_cpu_allocation', 'container_memory_allocation_bytes', 'pv_hourly_cost', 'kubecost_'] }],
      },
    });
    const exporter = { namespace: this.namespace, podLabels };
    platform.requireFlow({ from: exporter, to: { namespace: this.prometheus.namespace, podLabels: this.prometheus.podLabels }, port: this.prometheus.targetPort, why: 'OpenCost queries Prometheus for usage and allocation' });
    platform.requireFlow({ from: exporter, to: { namespace: 'kube-system', podLabels: { 'k8s-app': 'kube-dns' } }, port: 53, protocol: 'UDP', why: 'OpenCost resolves names' });
    platform.requireFlow({ from: exporter, to: { external: 'Kubernetes API server and cloud pricing APIs' }, port: 443, why: 'OpenCost lists nodes and workloads and reads list prices' });
    this.apiUrl = `http://${release}.${this.namespace}.svc.cluster.local:9003`;

    const chart = platform.tree.chart('infrastructure', 'monitoring-cost');
    this.serviceMonitor = new ServiceMonitor(chart, 'Metrics', {
      name: release,
      namespace: this.namespace,
      targetNamespaces: [this.namespace],
      matchLabels: podLabels,
      port: 'http',
      interval: '60s',
    });
    this.dashboard = new GrafanaDashboard(chart, 'Dashboard', { ...costDashboard(this.teamLabel), namespace: this.namespace });

    platform.status.set('enterprise_gitops_status', 'cost', {
      ...this.install.describe(),
      prometheus: serviceUrl(this.prometheus),
      team_label: this.teamLabel,
      team_metric_label: namespaceLabelMetricName(this.teamLabel),
      allocation_api: `${this.apiUrl}/allocation?window=30d&aggregate=label:${namespaceLabelMetricName(this.teamLabel).slice('label_'.length)}`,
      dashboard: this.dashboard.title,
    });
  }
}
