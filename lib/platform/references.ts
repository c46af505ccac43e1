/**
 * The handles one module gives another. A producer exposes one, a consumer
 * takes it as a prop, and the composition (`GitOpsStack`, or a team's own
 * stack) wires them: no module imports another module.
 */

/** A Prometheus server's HTTP API inside the cluster (rollout analysis, reports). */
export interface PrometheusEndpoint {
  /** The namespace Prometheus runs in (NetworkPolicies admit its scrapes and queries). */
  readonly namespace: string;
  /** The Service in front of it. */
  readonly serviceName: string;
  /** The Service's port. */
  readonly port: number;
  /** The in-cluster URL (`http://<service>.<namespace>.svc.cluster.local:<port>`). */
  readonly url: string;
}

/** The handle of the Prometheus behind `serviceName` in `namespace`. */
export function prometheusEndpoint(namespace: string, serviceName: string, port = 9090): PrometheusEndpoint {
  return { namespace, serviceName, port, url: `http://${serviceName}.${namespace}.svc.cluster.local:${port}` };
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
