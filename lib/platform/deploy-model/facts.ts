/**
 * What the deploy model knows besides the rendered objects: what each pinned
 * chart creates, the network flows the platform needs, and what the cluster
 * must already have. Modules contribute these through the {@link Platform}
 * (`addController(install, facts)`, `requireFlow(...)`); the environment
 * declares prerequisites in `EnvironmentConfig.deployModel`.
 */

/** A port of a {@link ChartService}. */
export interface ChartServicePort {
  /** The Service port. */
  readonly port: number;
  /** The port name (what ServiceMonitor endpoints name). @default - unnamed */
  readonly name?: string;
  /** The container port behind it. @default - `port` */
  readonly targetPort?: number;
}

/** A Service a chart creates, with the labels of the pods behind it. */
export interface ChartService {
  /** The Service name. */
  readonly name: string;
  /**
   * Its namespace.
   * @default - the release namespace
   */
  readonly namespace?: string;
  /**
   * The labels of the Service itself (what ServiceMonitors select).
   * @default {}
   */
  readonly labels?: Readonly<Record<string, string>>;
  /** The ports it serves. */
  readonly ports: readonly ChartServicePort[];
  /**
   * The labels of its pods (for NetworkPolicy selectors and PodMonitors).
   * @default - unknown: only selectors that select every pod match them
   */
  readonly podLabels?: Readonly<Record<string, string>>;
  /**
   * Metric name prefixes its pods export (`kube_`, `node_`, `argocd_`).
   * @default []
   */
  readonly metrics?: readonly string[];
  /**
   * The chart scrapes it with its own ServiceMonitor; otherwise its metrics
   * count only when a ServiceMonitor of the tree selects it.
   * @default false
   */
  readonly monitoredByChart?: boolean;
  /**
   * This Service's pods are the Prometheus that scrapes the environment's
   * ServiceMonitors and PodMonitors (the source of derived scrape flows).
   * @default false
   */
  readonly scrapes?: boolean;
}

/** Pods a chart runs that other objects select (PodMonitors, NetworkPolicies). */
export interface ChartPods {
  /** @default - the release namespace */
  readonly namespace?: string;
  /** Their labels. */
  readonly labels: Readonly<Record<string, string>>;
  /** Named container ports (`{ name: 'http-prom', port: 8080 }`). */
  readonly ports: readonly ChartServicePort[];
  /**
   * Metric name prefixes they export (counted when a PodMonitor of the tree scrapes them).
   * @default []
   */
  readonly metrics?: readonly string[];
}

/**
 * What one pinned chart is known to create, as read from the chart's
 * templates at the catalogued version with the values the module sets.
 * Kept small: only what other objects of the environment refer to.
 */
export interface ChartFacts {
  /**
   * Namespaces it creates besides the release namespace.
   * @default []
   */
  readonly namespaces?: readonly string[];
  /**
   * Service accounts, as `name` (release namespace) or `namespace/name`.
   * @default []
   */
  readonly serviceAccounts?: readonly string[];
  /**
   * Annotations of its service accounts, by `name` or `namespace/name` (IRSA, workload identity).
   * @default {}
   */
  readonly serviceAccountAnnotations?: Readonly<Record<string, Readonly<Record<string, string>>>>;
  /**
   * Secrets, as `name` (release namespace) or `namespace/name`.
   * @default []
   */
  readonly secrets?: readonly string[];
  /**
   * Secrets its pods need that the chart does not create (`namespace/name` or `name`),
   * checked like any other Secret reference.
   * @default []
   */
  readonly consumesSecrets?: readonly string[];
  /**
   * The custom resource kinds its CRDs define, as `group/Kind`.
   * @default []
   */
  readonly crdKinds?: readonly string[];
  /**
   * Services, with their ports and pods.
   * @default []
   */
  readonly services?: readonly ChartService[];
  /**
   * Pods without a Service the tree selects.
   * @default []
   */
  readonly pods?: readonly ChartPods[];
  /**
   * Labels the chart's hooks put on namespaces, by namespace (`''` is the release namespace).
   * @default {}
   */
  readonly namespaceLabels?: Readonly<Record<string, readonly string[]>>;
  /**
   * NetworkPolicies the chart creates (with the values the module sets), as objects.
   * @default []
   */
  readonly networkPolicies?: readonly Readonly<Record<string, unknown>>[];
  /**
   * Namespaced objects the chart keeps reconciled as its own (by
   * `kind/namespace/name`), for the one-owner rule.
   * @default []
   */
  readonly objects?: readonly string[];
}

/** One end of a {@link RequiredFlow}. */
export type FlowEndpoint =
  /** Pods of a namespace, optionally only those with these labels. */
  | { readonly namespace: string; readonly podLabels?: Readonly<Record<string, string>> }
  /** A destination outside the pod network: Git hosts, webhooks, SMTP, the API server. */
  | { readonly external: string; readonly cidr?: string };

/** A connection the platform needs to work; checked against the NetworkPolicies at both ends. */
export interface RequiredFlow {
  /** The client pods. */
  readonly from: FlowEndpoint;
  /** The server. */
  readonly to: FlowEndpoint;
  /** The destination port. */
  readonly port: number;
  /** @default 'TCP' */
  readonly protocol?: 'TCP' | 'UDP';
  /** Why the platform needs it (shown in the report). */
  readonly why: string;
}

/** A Secret the cluster must have before the platform is applied, created out of band. */
export interface PrerequisiteSecret {
  /** Its namespace. */
  readonly namespace: string;
  /** Its name. */
  readonly name: string;
  /** What it holds and who creates it (the deploy guide lists it). */
  readonly why: string;
}

/** A violation the environment knowingly ships with, until it is fixed. */
export interface AcknowledgedViolation {
  /** The rule id (`references.secret`). */
  readonly rule: string;
  /** The object, as the report names it (`Kustomization/flux-system/infrastructure`). */
  readonly object: string;
  /** Why it is accepted for now, and the tracking reference. */
  readonly reason: string;
}

/** `EnvironmentConfig.deployModel`: what the deploy model cannot see in the environment itself. */
export interface DeployModelSettings {
  /**
   * Secrets created out of band before `terraform apply` (the deploy guide names each).
   * @default []
   */
  readonly prerequisiteSecrets?: readonly PrerequisiteSecret[];
  /**
   * Repository paths synced from this repository that another process writes
   * (relative to the repository root, `workloads/baseline`).
   * @default []
   */
  readonly externalPaths?: readonly string[];
  /**
   * Set by the model from `prerequisites.istio.cni`, not by a config: the
   * cluster runs Istio with its CNI plugin, so injected pods need no
   * privileged `istio-init` container.
   * @default - from the environment's prerequisites
   */
  readonly istioCni?: boolean;
  /**
   * Violations that do not fail synthesis under `deny`; still reported.
   * @default []
   */
  readonly acknowledged?: readonly AcknowledgedViolation[];
}

/** One problem the deploy model found. */
export interface DeployViolation {
  /** The rule id (`podSecurity.runAsNonRoot`). */
  readonly rule: string;
  /** The object, `Kind/namespace/name`. */
  readonly object: string;
  /** Where it comes from: a tree file, a Terraform resource or a chart release. */
  readonly source: string;
  /** What is wrong. */
  readonly message: string;
  /** How to fix it. */
  readonly fix: string;
}
