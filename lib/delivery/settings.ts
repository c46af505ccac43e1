import type { RolloutStrategy } from './strategy';

/** CPU and memory requests and limits, as Kubernetes quantities. */
export interface ResourceSettings {
  /** CPU request (`100m`, `0.5`, `1`). */
  readonly cpuRequest: string;
  /** CPU limit. */
  readonly cpuLimit: string;
  /** Memory request (`128Mi`, `1Gi`). */
  readonly memoryRequest: string;
  /** Memory limit. */
  readonly memoryLimit: string;
}

/**
 * One service of the delivery graph, the same in every environment (the
 * seeds' `deployment-config.yaml` entry): what it runs, what it depends on,
 * how it is rolled out and how its health is checked. It renders as the
 * service's Kustomize base.
 */
export interface DeliveryServiceDefinition {
  /** The service's name (a lowercase DNS label). */
  readonly name: string;
  /** The container image, pinned to a tag (`ghcr.io/<owner>/frontend:v1.0.0`); environments choose their own tag. */
  readonly image: string;
  /** The container port. @default 8080 */
  readonly port?: number;
  /** The HTTP path of the readiness and liveness probes (`/health`). */
  readonly healthCheckPath: string;
  /** Services that must be deployed and healthy first. @default [] */
  readonly dependsOn?: readonly string[];
  /** How the service is rolled out. */
  readonly strategy: RolloutStrategy;
  /** Pod replicas of the base. @default 1 */
  readonly replicas?: number;
  /**
   * Requests and limits of the base.
   * @default { cpuRequest: '100m', cpuLimit: '500m', memoryRequest: '128Mi', memoryLimit: '256Mi' }
   */
  readonly resources?: ResourceSettings;
}

/** What one environment runs of a service: its image tag, replicas and any overrides. */
export interface ServiceRelease {
  /** The image tag. @default - the tag of the definition's image */
  readonly tag?: string;
  /** Pod replicas. @default - the definition's replicas */
  readonly replicas?: number;
  /** A strategy for this environment only. @default - the definition's strategy */
  readonly strategy?: RolloutStrategy;
  /** Requests and limits for this environment only. @default - the definition's resources */
  readonly resources?: ResourceSettings;
}

/** Who deploys the services: Argo CD (sync waves) or Flux (Kustomizations with `dependsOn`). */
export type DeliveryEngine = 'argocd' | 'flux';

/** How a change moves from one environment to the next. */
export type PromotionModel = 'branch' | 'tag';

/** The promotion path the environments share. */
export interface PromotionSettings {
  /** Environment names in promotion order (`['dev', 'staging', 'prod']`). */
  readonly path: readonly string[];
  /**
   * `branch`: each environment tracks its branch (its `gitops.revision`) and
   * promotion merges one branch into the next (develop → staging → main).
   * `tag`: promotion pins a SemVer tag; the last environment accepts only
   * release versions (no pre-release).
   * @default 'branch'
   */
  readonly model?: PromotionModel;
}

/** Per-environment delivery settings (`EnvironmentConfig.delivery`). */
export interface DeliverySettings {
  /** The services and their dependencies. @default [] (only Argo Rollouts is installed) */
  readonly services?: readonly DeliveryServiceDefinition[];
  /** What this environment runs of each service, by service name. @default {} */
  readonly releases?: Readonly<Record<string, ServiceRelease>>;
  /**
   * Run the strategies' analyses (canary analysis steps, blue-green pre- and
   * post-promotion analysis). Off leaves them out (and the templates).
   * @default true
   */
  readonly analysis?: boolean;
  /** The namespace the services run in. @default - the environment's name */
  readonly namespace?: string;
  /** Prefix of every service object's name (the overlays' `namePrefix`). @default '<environment name>-' */
  readonly namePrefix?: string;
  /**
   * The Prometheus server the analysis queries.
   * @default - the monitoring module's Prometheus when it is on, else 'http://prometheus.monitoring.svc.cluster.local:9090'
   */
  readonly prometheusAddress?: string;
  /**
   * Who deploys the services. `argocd`: the objects are in the `apps` section
   * with sync waves in dependency order. `flux`: one Flux Kustomization per
   * service applies its overlay, with `dependsOn` (requires the flux module).
   * @default 'argocd'
   */
  readonly engine?: DeliveryEngine;
  /** The Flux GitRepository the Kustomizations read (engine `flux`). @default 'flux-system' */
  readonly fluxSourceName?: string;
  /** The promotion path. @default - this environment alone, branch-based */
  readonly promotion?: PromotionSettings;
  /**
   * Label the namespace `istio-injection: enabled`, so Istio injects its
   * sidecar into the services' pods. Requires `prerequisites.istio.installed`,
   * and under Pod Security `baseline` or `restricted` also
   * `prerequisites.istio.cni` (the injected `istio-init` needs NET_ADMIN,
   * NET_RAW and root without it).
   * @default - on when `prerequisites.istio.installed`
   */
  readonly sidecarInjection?: boolean;
  /**
   * Namespaces besides the services' own that may reach the services' pods on
   * their port (the services' NetworkPolicies): the ingress controller and the
   * Istio ingress gateway.
   * @default - `security.ingressNamespace` (`ingress-nginx`), and `istio-system` when Istio is installed
   */
  readonly ingressNamespaces?: readonly string[];
  /** Replicas of the Argo Rollouts controller. @default - 2 when highly available, else 1 */
  readonly controllerReplicas?: number;
  /** Install the Argo Rollouts dashboard. @default false */
  readonly dashboard?: boolean;
  /**
   * Values for the `argo-rollouts` chart, merged over the module's own last: the
   * escape hatch for a setting without a prop. Every path must exist in the
   * chart's defaults at the pinned version; never a secret.
   * @default - none
   */
  readonly values?: Readonly<Record<string, unknown>>;
}
