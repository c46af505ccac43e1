/**
 * Per-environment Flux settings (`EnvironmentConfig.flux`). Every field is
 * optional; the defaults are the module's (see `lib/flux/README.md`).
 */

import type { TreeSection } from '../platform/gitops-tree';
import type { KustomizationDeletionPolicy } from './kustomization';

/** Reconcile intervals (Go durations). */
export interface FluxIntervals {
  /** GitRepository / HelmRepository fetch interval. @default '1m' */
  readonly source?: string;
  /** Kustomization reconcile interval (drift correction). @default '10m' */
  readonly kustomization?: string;
  /** HelmRelease reconcile interval. @default '30m' */
  readonly helmRelease?: string;
  /** ImageRepository scans and ImageUpdateAutomation runs. @default '5m' */
  readonly image?: string;
}

/** CPU and memory of one container (Kubernetes quantities). */
export interface FluxResourceQuantities {
  /** CPU (`100m`, `1`). */
  readonly cpu: string;
  /** Memory (`64Mi`, `1Gi`). */
  readonly memory: string;
}

/** Requests and limits of every Flux controller. */
export interface FluxControllerResources {
  /** Requests. */
  readonly requests: FluxResourceQuantities;
  /** Limits. */
  readonly limits: FluxResourceQuantities;
}

/** How the credentials of the environment's GitOps repository reach Flux. */
export type FluxGitCredentials =
  /** A Secret named `gitops.credentialsSecret` already exists in flux-system (ExternalSecret, SealedSecret, operator). */
  | 'secret'
  /**
   * Terraform creates that Secret from the sensitive variable `gitops_repo_token`
   * (username `git`), so the bootstrap is self-contained.
   */
  | 'terraform-variable';

/** A chart repository the platform's infrastructure HelmReleases come from. */
export interface FluxChartRepositorySettings {
  /** The repository URL (an internal mirror, https or oci). */
  readonly url: string;
  /**
   * Name of the Secret (in flux-system) with the repository credentials.
   * @default - public repository
   */
  readonly secretRef?: string;
}

/** An infrastructure add-on installed by a HelmRelease in the `infrastructure` section. */
export interface FluxAddon {
  /** The release name (also the HelmRelease name). */
  readonly name: string;
  /** The chart name in the chart repository. */
  readonly chart: string;
  /** The chart version: exact or a SemVer range (`>=1.16.0 <1.17.0`). */
  readonly version: string;
  /** The namespace the add-on runs in (created by the release). */
  readonly namespace: string;
  /**
   * Chart values (never secrets).
   * @default {}
   */
  readonly values?: Readonly<Record<string, unknown>>;
  /**
   * Other add-ons (by name) that must be ready first.
   * @default []
   */
  readonly dependsOn?: readonly string[];
}

/** Where Flux sends its events. Every address and token is in a Secret in flux-system. */
export interface FluxNotificationSettings {
  /**
   * Post to this Slack channel; the webhook URL is in the Secret `flux-slack-webhook` (`address`).
   * @default - no Slack
   */
  readonly slackChannel?: string;
  /**
   * Post failures to Microsoft Teams; the webhook URL is in the Secret `flux-msteams-webhook` (`address`).
   * @default false
   */
  readonly msteams?: boolean;
  /**
   * Post every event to a generic webhook (audit trail); the URL is in the Secret `flux-audit-webhook` (`address`).
   * @default false
   */
  readonly auditWebhook?: boolean;
  /**
   * Report each Kustomization's result as a commit status on the GitOps
   * repository (GitHub); the token is in the Secret `flux-github-token` (`token`).
   * @default false
   */
  readonly githubCommitStatus?: boolean;
  /**
   * The severity sent to chat (Slack): `info` for every event, `error` for failures only.
   * @default 'error'
   */
  readonly chatSeverity?: 'info' | 'error';
}

/** A GitHub webhook Receiver that triggers an immediate fetch of the GitOps repository. */
export interface FluxReceiverSettings {
  /**
   * The host of the webhook ingress (TLS from the Secret `flux-webhook-tls`).
   * @default `flux-webhook.<environment domain>`
   */
  readonly host?: string;
  /**
   * The ClusterIssuer (one of `clusterIssuers`) that issues `flux-webhook-tls`.
   * @default - none: `flux-webhook-tls` is a prerequisite
   */
  readonly clusterIssuer?: string;
  /**
   * The ingress class of the webhook ingress.
   * @default 'nginx'
   */
  readonly ingressClassName?: string;
}

/**
 * A cert-manager ClusterIssuer with an ACME account (Let's Encrypt by default)
 * that solves HTTP-01 challenges through the ingress class. Needs the
 * `cert-manager` add-on.
 */
export interface FluxClusterIssuerSettings {
  /** The issuer's name, as ingresses name it (`cert-manager.io/cluster-issuer`). */
  readonly name: string;
  /** The ACME account's e-mail (expiry notices). */
  readonly email: string;
  /**
   * The ACME directory.
   * @default 'https://acme-v02.api.letsencrypt.org/directory'
   */
  readonly server?: string;
  /**
   * The ingress class that serves HTTP-01 challenges.
   * @default 'nginx'
   */
  readonly ingressClassName?: string;
}

/** A team tenant (its own namespace, repository and reconciler). */
export interface FluxTenantSettings {
  /** The tenant name and namespace. */
  readonly name: string;
  /** The tenant's repository. */
  readonly repoUrl: string;
  /**
   * The branch of the tenant repository.
   * @default 'main'
   */
  readonly branch?: string;
  /**
   * The directory of the tenant repository for this cluster.
   * @default `./clusters/<environment name>`
   */
  readonly path?: string;
  /**
   * Deployments (in the tenant namespace) whose readiness makes the tenant ready.
   * @default []
   */
  readonly healthCheckDeployments?: readonly string[];
}

/** A platform workload deployed by Flux from the tree (`workloads/<name>`). */
export interface FluxWorkloadSettings {
  /** The workload name (Deployment, Service and namespace). */
  readonly name: string;
  /** The image repository (`ghcr.io/<owner>/api-service`). */
  readonly image: string;
  /** The image tag deployed (automation starts from it and moves it forward). */
  readonly tag: string;
  /** The container port. */
  readonly port: number;
  /**
   * Replicas.
   * @default 1
   */
  readonly replicas?: number;
  /**
   * Container requests and limits.
   * @default - 100m/128Mi requests, 500m/256Mi limits
   */
  readonly resources?: FluxControllerResources;
  /**
   * The SemVer range image automation may move the tag within.
   * @default - the tag's major version (`>=2.1.0 <3.0.0` for `v2.1.0`)
   */
  readonly semverRange?: string;
  /**
   * A docker-registry Secret in the workload's namespace to pull a private
   * image with; with a secret store, an ExternalSecret writes it from the
   * store key `flux/<name>` (seed 002's `regcred`).
   * @default - pulled anonymously
   */
  readonly imagePullSecret?: string;
}

/** Image automation: scan registries, pick tags, commit them to Git. */
export interface FluxImageAutomationSettings {
  /**
   * The branch commits are pushed to. In production it must differ from the
   * tracked revision (updates arrive by pull request, never directly).
   * @default - the environment's `gitops.revision`
   */
  readonly pushBranch?: string;
  /**
   * The commit author.
   * @default { name: 'fluxcdbot', email: 'fluxcdbot@users.noreply.github.com' }
   */
  readonly author?: { readonly name: string; readonly email: string };
  /**
   * Name of a docker-registry Secret (in flux-system) for scanning private registries.
   * @default - anonymous scans
   */
  readonly registrySecret?: string;
  /**
   * Also consider pre-release tags (`2.2.0-rc.1`), for development environments.
   * @default false
   */
  readonly preReleases?: boolean;
}

/** Per-environment Flux settings (`EnvironmentConfig.flux`). */
export interface FluxSettings {
  /** Reconcile intervals. @default - see {@link FluxIntervals} */
  readonly intervals?: FluxIntervals;
  /**
   * Requests and limits of every controller.
   * @default - 100m/64Mi requests, 1/1Gi limits
   */
  readonly resources?: FluxControllerResources;
  /** Controller log level. @default 'info' */
  readonly logLevel?: 'debug' | 'info' | 'error';
  /**
   * Multi-tenancy lockdown: no cross-namespace references, and objects without
   * a `serviceAccountName` act as the `default` account of their namespace.
   * @default true
   */
  readonly multiTenancyLockdown?: boolean;
  /**
   * The flux2 chart's own NetworkPolicies for flux-system (allow-egress lets every
   * pod reach anywhere, allow-scraping and allow-webhooks admit every namespace).
   * With the security module on, its default-deny policies isolate flux-system
   * and this must stay false: the chart's allow-all rules would void them.
   * @default - true without the security module, false with it
   */
  readonly networkPolicies?: boolean;
  /**
   * What the sync Kustomizations (`infrastructure`, `policies`, `tenants`) do with
   * their objects when they are deleted, which happens when `terraform destroy`
   * removes the bootstrap release. `WaitForTermination` deletes them and holds the
   * bootstrap release's uninstall until they are gone, so their Flux finalizers run
   * while the Flux controllers still do and no namespace is left terminating.
   * `Orphan` (or `MirrorPrune` without prune) leaves them in the cluster: remove
   * them before destroying (see the README's Destroy section).
   * @default 'WaitForTermination'
   */
  readonly deletionPolicy?: KustomizationDeletionPolicy;
  /** Reconcile objects in every namespace (required for tenants). @default true */
  readonly watchAllNamespaces?: boolean;
  /** How the GitOps repository credentials reach Flux. @default 'secret' */
  readonly gitCredentials?: FluxGitCredentials;
  /**
   * Decrypt SOPS-encrypted files of the synced sections with the key in this
   * Secret (in flux-system).
   * @default - no decryption
   */
  readonly sopsKeySecret?: string;
  /**
   * The synced sections that decrypt with `sopsKeySecret`. Leave out the
   * section whose ExternalSecret creates the key (`infrastructure` when the
   * security module materialises it): Flux needs the Secret before it applies
   * a decrypting stage.
   * @default - every synced section
   */
  readonly sopsSections?: readonly TreeSection[];
  /** Where the add-on charts come from. @default - no chart repository (no add-ons) */
  readonly chartRepository?: FluxChartRepositorySettings;
  /** Infrastructure add-ons (HelmReleases). @default [] */
  readonly addons?: readonly FluxAddon[];
  /** Notifications. @default - none */
  readonly notifications?: FluxNotificationSettings;
  /**
   * cert-manager ClusterIssuers, applied by the Kustomization `cluster-issuers`
   * once `infrastructure` (with the `cert-manager` add-on and its CRDs) is ready.
   * @default []
   */
  readonly clusterIssuers?: readonly FluxClusterIssuerSettings[];
  /** A GitHub webhook receiver for the GitOps repository. @default - none (Flux polls) */
  readonly webhookReceiver?: FluxReceiverSettings;
  /** Team tenants. @default [] */
  readonly tenants?: readonly FluxTenantSettings[];
  /** Platform workloads deployed from `workloads/`. @default [] */
  readonly workloads?: readonly FluxWorkloadSettings[];
  /**
   * Image automation of the workloads.
   * @default - off
   */
  readonly imageAutomation?: FluxImageAutomationSettings;
  /**
   * Values for the `flux2` chart, merged over the module's own last: the
   * escape hatch for a setting without a prop. Every path must exist in the
   * chart's defaults at the pinned version; never a secret.
   * @default - none
   */
  readonly values?: Readonly<Record<string, unknown>>;
}
