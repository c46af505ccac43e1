import type { JenkinsXApplicationOptions } from './application';
import type { PreviewSettings } from './preview';
import type { PromotionStrategy } from './promotion';
import type { SecretStorage } from './secret-storage';

/** The `cluster.provider` values of `jx-requirements.yml` this module supports. */
export const CLUSTER_PROVIDERS = ['kubernetes', 'gke', 'eks', 'aks', 'kind', 'minikube'] as const;

/** One of {@link CLUSTER_PROVIDERS}. */
export type ClusterProvider = (typeof CLUSTER_PROVIDERS)[number];

/** A Jenkins X environment releases are promoted to (the development environment is always there). */
export interface JenkinsXEnvironmentOptions {
  /** The environment key (`staging`, `production`); a lowercase DNS label, not `dev`. */
  readonly key: string;
  /**
   * The namespace the environment's applications run in.
   * @default `jx-<key>`
   */
  readonly namespace?: string;
  /**
   * How releases reach it. A production environment cannot be `Auto`.
   * @default - `PromotionStrategy.manual()` for production, `PromotionStrategy.auto()` otherwise
   */
  readonly promotion?: PromotionStrategy;
  /**
   * Whether this is a production environment (promotion must be manual).
   * @default - true when the key is `production` or `prod`
   */
  readonly production?: boolean;
  /**
   * The cluster repository of a remote cluster that hosts this environment.
   * @default - this cluster's repository (the environment runs in this cluster)
   */
  readonly repository?: string;
  /**
   * Promotion order (lower first).
   * @default - 100 for the first environment, 200 for the second, ...
   */
  readonly order?: number;
  /**
   * A human-readable label.
   * @default - the key, capitalised
   */
  readonly label?: string;
}

/** TLS of the Jenkins X ingresses (certificates from cert-manager and Let's Encrypt). */
export interface JenkinsXTlsSettings {
  /** Serve the Jenkins X hosts over TLS (needs `email`). @default false */
  readonly enabled?: boolean;
  /** The e-mail Let's Encrypt registers certificates for; required when TLS is on. @default - none */
  readonly email?: string;
  /** Use Let's Encrypt's production issuer (trusted certificates) rather than its staging issuer. @default true */
  readonly production?: boolean;
}

/** Ingress of the Jenkins X hosts (Lighthouse hook, pipelines visualizer, previews). */
export interface JenkinsXIngressSettings {
  /** The DNS domain. @default - the environment's domain */
  readonly domain?: string;
  /** What goes between a service name and the domain (`hook-jx.<domain>`). @default '-jx.' */
  readonly namespaceSubDomain?: string;
  /** Create DNS records with external-dns. @default false */
  readonly externalDns?: boolean;
  /** TLS. @default - no TLS (as the jx3 templates start) */
  readonly tls?: JenkinsXTlsSettings;
}

/** RBAC of the git operator. */
export interface JenkinsXRbacSettings {
  /** A ClusterRole (true) or a Role in the operator's namespace (false). @default true */
  readonly clusterWide?: boolean;
  /**
   * Strict mode: the operator gets only the permissions it needs itself and
   * does not apply the resources of the cluster repository's
   * `.jx/git-operator/resources/` (so the boot service account must come from the chart).
   * @default false
   */
  readonly strict?: boolean;
}

/** The service account the boot job runs as. */
export interface JenkinsXBootServiceAccountSettings {
  /** Let the chart create the `jx-boot-job` service account and its binding. @default true */
  readonly enabled?: boolean;
  /**
   * Annotations of the service account (cloud workload identity, such as
   * `iam.gke.io/gcp-service-account` or `eks.amazonaws.com/role-arn`).
   * @default {}
   */
  readonly annotations?: Readonly<Record<string, string>>;
}

/** The jx-git-operator install. */
export interface JenkinsXGitOperatorSettings {
  /** How often the operator polls the cluster repository (Go duration). @default '20s' */
  readonly pollInterval?: string;
  /** RBAC. @default - cluster-wide, not strict */
  readonly rbac?: JenkinsXRbacSettings;
  /** The boot job's service account. @default - created by the chart, no annotations */
  readonly bootServiceAccount?: JenkinsXBootServiceAccountSettings;
  /**
   * `data_wo_revision` of the `jx-boot` Secret: its keys are write-only, so
   * Terraform rewrites them only when this changes. Bump it to rotate the bot token.
   * @default 1
   */
  readonly credentialsRevision?: number;
}

/** Per-environment Jenkins X settings (`EnvironmentConfig.jenkinsX`). */
export interface JenkinsXSettings {
  /**
   * The cluster Git repository the git operator polls and boots from (a jx3
   * cluster repository, created from a jx3 template such as
   * `jx3-gitops-repositories/jx3-kubernetes`). An https URL.
   * @default `jx3-<cluster name>.git` next to the GitOps repository (same server and owner)
   */
  readonly clusterRepository?: string;
  /**
   * The branch of the cluster repository the environments track.
   * @default 'main'
   */
  readonly clusterRepositoryBranch?: string;
  /** The cluster provider in `jx-requirements.yml`. @default 'kubernetes' */
  readonly provider?: ClusterProvider;
  /** The container registry host images are pushed to. @default - not set (Jenkins X's default for the provider) */
  readonly registry?: string;
  /**
   * The namespace of the development environment, where Jenkins X runs.
   * @default 'jx'
   */
  readonly devNamespace?: string;
  /**
   * The environments releases are promoted to, in promotion order.
   * @default - `staging` (Auto, namespace jx-staging) and `production` (Manual, namespace jx-production)
   */
  readonly environments?: readonly JenkinsXEnvironmentOptions[];
  /** Ingress domain and TLS. @default - the environment's domain, no TLS */
  readonly ingress?: JenkinsXIngressSettings;
  /** Where Jenkins X keeps secrets. @default SecretStorage.local() */
  readonly secretStorage?: SecretStorage;
  /** The git operator install. @default - see {@link JenkinsXGitOperatorSettings} */
  readonly gitOperator?: JenkinsXGitOperatorSettings;
  /** Applications built by Jenkins X (created from a quickstart or imported). @default [] */
  readonly applications?: readonly JenkinsXApplicationOptions[];
  /** Preview environments of pull requests. @default - previews off */
  readonly previews?: PreviewSettings;
  /**
   * Values for the `jx-git-operator` chart, merged over the module's own last: the
   * escape hatch for a setting without a prop. Every path must exist in the
   * chart's defaults at the pinned version; never a secret.
   * @default - none
   */
  readonly values?: Readonly<Record<string, unknown>>;
}
