import { ServiceEndpoint, serviceUrl } from './service-endpoint';

/**
 * The handles one module gives another. A producer exposes one, a consumer
 * takes it as a prop, and the composition (`GitOpsStack`, or a team's own
 * stack) wires them: no module imports another module.
 */

/** A Prometheus server's HTTP API inside the cluster (rollout analysis, reports, cost): its Service and URL. */
export interface PrometheusEndpoint extends ServiceEndpoint {
  /** The in-cluster URL (`http://<service>.<namespace>.svc.cluster.local:<port>`). */
  readonly url: string;
}

/** The handle of the Prometheus behind `service`. */
export function prometheusEndpoint(service: ServiceEndpoint): PrometheusEndpoint {
  return { ...service, url: serviceUrl(service) };
}

/**
 * A security scanner's metrics (the security module's Trivy Operator): the
 * monitoring module scrapes them, alerts on critical findings, ships a
 * dashboard, and tells the scanner what it created.
 */
export interface ScannerMetricsTarget {
  /** The scanner's namespace. */
  readonly namespace: string;
  /** Its Helm release (the metrics Service's name). */
  readonly release: string;
  /** The labels of its metrics Service and pods. */
  readonly podLabels: Readonly<Record<string, string>>;
  /** How long a critical finding stands before its alert fires. @default '15m' */
  readonly alertAfter?: string;
  /** Called by the monitoring module with the alerts and the dashboard it created. */
  readonly monitoredBy: (monitoring: { readonly alerts: readonly string[]; readonly dashboard: string }) => void;
}

/** A Kubernetes ServiceAccount, as `system:serviceaccount:<namespace>:<name>`. */
export interface ServiceAccountHandle {
  /** Its namespace. */
  readonly namespace: string;
  /** Its name. */
  readonly name: string;
}

/** The Kubernetes user name of a ServiceAccount (`system:serviceaccount:<ns>:<name>`). */
export function serviceAccountUser(account: ServiceAccountHandle): string {
  return `system:serviceaccount:${account.namespace}:${account.name}`;
}
