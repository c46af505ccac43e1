import type { AlertRoutingProps } from './alert-routing';
import type { CostAllocationOptions } from './cost/opencost';
import type { ApplicationAlertOptions } from './gitops-alerts';
import type { ServiceLevelObjectiveOptions } from './slo';
import type { GrafanaAdmin, Storage } from './storage';

/** CPU and memory for one container. */
export interface ContainerResources {
  /** What the scheduler reserves. */
  readonly requests: { readonly cpu: string; readonly memory: string };
  /** The ceiling. */
  readonly limits: { readonly cpu: string; readonly memory: string };
}

/** Resources of the stack's components. Each defaults by environment tier. */
export interface MonitoringResources {
  /** Each Prometheus replica. @default - by tier */
  readonly prometheus?: ContainerResources;
  /** Each Alertmanager replica. @default - by tier */
  readonly alertmanager?: ContainerResources;
  /** Grafana. @default - by tier */
  readonly grafana?: ContainerResources;
  /** The Prometheus Operator. @default - by tier */
  readonly operator?: ContainerResources;
  /** kube-state-metrics. @default - by tier */
  readonly kubeStateMetrics?: ContainerResources;
  /** Each node-exporter. @default - by tier */
  readonly nodeExporter?: ContainerResources;
  /** Grafana's dashboard and data-source sidecars. @default - by tier */
  readonly sidecar?: ContainerResources;
}

/** Grafana settings. */
export interface GrafanaSettings {
  /** Where the admin password comes from. @default GrafanaAdmin.fromSensitiveVariable() */
  readonly admin?: GrafanaAdmin;
  /** Grafana's own storage (users, preferences; dashboards come from Git). @default Storage.persistent({ size: '10Gi' }) */
  readonly storage?: Storage;
}

/** Alertmanager routing: who is notified of what, and the remediation webhook. */
export type AlertingSettings = AlertRoutingProps;

/** Per-environment monitoring settings (`EnvironmentConfig.monitoring`). */
export interface MonitoringSettings {
  /** How long Prometheus keeps samples (a Prometheus duration). @default '10d' */
  readonly retention?: string;
  /** Prometheus storage. @default Storage.ephemeral() (samples are lost when the pod restarts) */
  readonly storage?: Storage;
  /** Prometheus replicas. @default 2 when `sizing.highAvailability`, else 1 */
  readonly prometheusReplicas?: number;
  /** Alertmanager replicas (they form a cluster and deduplicate). @default 3 when `sizing.highAvailability`, else 1 */
  readonly alertmanagerReplicas?: number;
  /** Grafana. @default - persistent 10Gi, admin password from the `grafana_admin_password` variable */
  readonly grafana?: GrafanaSettings;
  /** Alert routing. @default - critical and warning alerts to Slack, no remediation webhook */
  readonly alerting?: AlertingSettings;
  /** Service level objectives. @default DEFAULT_SLOS (availability 99.9%, p95 latency under 0.5 s, 30 days) */
  readonly slos?: readonly ServiceLevelObjectiveOptions[];
  /** Thresholds of the application alerts (`HighErrorRate`, `HighMemoryUsage`). @default - the seeds' thresholds */
  readonly applicationAlerts?: ApplicationAlertOptions;
  /** Container resources. @default - by tier */
  readonly resources?: MonitoringResources;
  /**
   * Values for the `kube-prometheus-stack` chart, merged over the module's own last: the
   * escape hatch for a setting without a prop. Every path must exist in the
   * chart's defaults at the pinned version; never a secret.
   * @default - none
   */
  readonly values?: Readonly<Record<string, unknown>>;
  /** Cost allocation by team with OpenCost, reading this Prometheus. @default - no cost allocation */
  readonly cost?: CostAllocationOptions;
}
