/**
 * An in-cluster Service another module's pods talk to (Prometheus,
 * Alertmanager): a typed handle its owner exposes, so a consumer computes the
 * URL and the network flow from the owner's own namespace and release name
 * rather than from a literal.
 */
export interface ServiceEndpoint {
  /** The Service's namespace. */
  readonly namespace: string;
  /** The Service's name. */
  readonly name: string;
  /** The Service port. */
  readonly port: number;
  /** The container port behind it (what NetworkPolicies and flows name). */
  readonly targetPort: number;
  /** The labels of the pods behind it (for NetworkPolicy selectors and flows). */
  readonly podLabels: Readonly<Record<string, string>>;
}

/** The cluster-local http URL of `endpoint` (`http://<name>.<namespace>.svc.cluster.local:<port>`). */
export function serviceUrl(endpoint: ServiceEndpoint): string {
  return `http://${endpoint.name}.${endpoint.namespace}.svc.cluster.local:${endpoint.port}`;
}
