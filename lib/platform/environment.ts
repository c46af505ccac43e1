/**
 * The typed counterpart of a `terraform.tfvars` file: everything that differs
 * between dev, staging and prod lives in one `EnvironmentConfig`.
 */

import type { DeployModelSettings } from './deploy-model/facts';

/**
 * The names of the platform modules an environment can turn on (the
 * vocabulary of the status outputs; the modules themselves are composed
 * above lib/platform, in `GitOpsStack`).
 */
export const MODULE_NAMES = ['argocd', 'flux', 'jenkins-x', 'monitoring', 'security', 'delivery', 'recovery'] as const;

/** One of {@link MODULE_NAMES}. */
export type ModuleName = (typeof MODULE_NAMES)[number];

/** How critical an environment is; production gets the strictest rules. */
export type EnvironmentTier = 'development' | 'staging' | 'production';

/** How policy violations are treated in an environment. */
export const ENFORCEMENT_MODES = ['warn', 'dryrun', 'deny'] as const;

/** One of {@link ENFORCEMENT_MODES}. */
export type EnforcementMode = (typeof ENFORCEMENT_MODES)[number];

/** How Terraform and Helm reach the cluster. Give a kubeconfig, or a host. */
export interface ClusterConnection {
  /**
   * A human-readable cluster name, used in labels, outputs and Jenkins X requirements.
   * @default - the environment name
   */
  readonly name?: string;
  /**
   * Path to a kubeconfig file. Relative paths resolve against the Terraform working directory.
   * @default - none; `host` must be set instead
   */
  readonly kubeconfigPath?: string;
  /**
   * The kubeconfig context to use.
   * @default - the kubeconfig's current context
   */
  readonly kubeconfigContext?: string;
  /**
   * The API server URL (https). Credentials come from the sensitive Terraform
   * variables `cluster_token` and `cluster_ca_certificate`, never from config.
   * @default - none; `kubeconfigPath` must be set instead
   */
  readonly host?: string;
}

/** The Git repository the controllers sync from and the revision this environment tracks. */
export interface GitOpsRepository {
  /** The https URL of the GitOps repository. */
  readonly repoUrl: string;
  /** The branch, tag or commit this environment tracks (develop / staging / main in the seeds). */
  readonly revision: string;
  /**
   * The path of this environment inside the repository.
   * @default `clusters/<environment name>`
   */
  readonly path?: string;
  /**
   * Name of a Kubernetes Secret (in each controller's namespace) holding the
   * repository credentials. Never the credentials themselves.
   * @default - public repository, no credentials
   */
  readonly credentialsSecret?: string;
  /**
   * The revision of the repository credentials Terraform writes write-only
   * (`data_wo_revision` of the Argo CD and Flux Secrets). Terraform cannot see
   * a write-only value change: bump this to rotate `gitops_repo_token`, or after
   * changing `repoUrl`, so the Secrets are written again.
   * @default 1
   */
  readonly credentialsRevision?: number;
}

/** Replica counts and high availability. */
export interface Sizing {
  /** Run the controllers highly available (Argo CD `redis-ha`, anti-affinity, PDBs). */
  readonly highAvailability: boolean;
  /**
   * Replicas of each horizontally scalable controller component
   * (Argo CD server, application controller and repo server).
   */
  readonly controllerReplicas: number;
}

/** Retry with exponential backoff for failed syncs. */
export interface SyncRetry {
  /** Maximum number of retries; 0 disables retrying. */
  readonly limit: number;
  /** Initial backoff as a duration (`5s`). */
  readonly backoffDuration: string;
  /** Backoff multiplier. */
  readonly backoffFactor: number;
  /** Maximum backoff (`3m`). */
  readonly backoffMaxDuration: string;
}

/** Defaults for every Application / Kustomization that does not say otherwise. */
export interface SyncPolicyDefaults {
  /** Sync automatically when Git changes; `false` means manual sync. */
  readonly automated: boolean;
  /** Delete resources that are no longer in Git. Production requires `false` (manual approval). */
  readonly prune: boolean;
  /** Revert changes made to the cluster outside Git. */
  readonly selfHeal: boolean;
  /**
   * Allow a sync that would delete every resource of an application.
   * @default false
   */
  readonly allowEmpty?: boolean;
  /** Retry policy for failed syncs. */
  readonly retry: SyncRetry;
}

/**
 * The default local state path, relative to the stack directory
 * (`cdktf.out/stacks/<env>/`): `terraform-state/<env>.tfstate` in the project
 * folder, outside `cdktf.out/`, which a clean build deletes.
 */
export function defaultLocalStatePath(environment: string): string {
  return `../../../terraform-state/${environment}.tfstate`;
}

/**
 * Local state, with a path relative to the stack directory. Fine for a laptop
 * and a first deploy; a production-tier environment needs a remote backend
 * unless `allowInProduction` says otherwise.
 */
export interface LocalBackendConfig {
  readonly type: 'local';
  /**
   * Path of the state file relative to the stack directory
   * (`cdktf.out/stacks/<env>/`); it must lead out of `cdktf.out/`.
   * @default `../../../terraform-state/<environment>.tfstate` (see {@link defaultLocalStatePath})
   */
  readonly path?: string;
  /**
   * Accept local state in a production-tier environment (no locking, no
   * encryption, one machine's disk). Only for a throw-away production rehearsal.
   * @default false
   */
  readonly allowInProduction?: boolean;
}

/** Amazon S3 state, encrypted, with S3 native locking and/or a DynamoDB lock table. */
export interface S3BackendConfig {
  readonly type: 's3';
  readonly bucket: string;
  readonly key: string;
  readonly region: string;
  /**
   * Lock with a lock file next to the state (`use_lockfile`; Terraform 1.10+, OpenTofu 1.10+).
   * @default true
   */
  readonly useLockfile?: boolean;
  /**
   * A DynamoDB table for locking (the older mechanism; may be combined with the lock file).
   * @default - none
   */
  readonly dynamodbTable?: string;
  /** Server-side encryption of the state object. Production requires it. @default true */
  readonly encrypt?: boolean;
  /**
   * A KMS key (ARN or alias) for the state object's encryption.
   * @default - the bucket's default encryption key
   */
  readonly kmsKeyId?: string;
}

/** Google Cloud Storage state. */
export interface GcsBackendConfig {
  readonly type: 'gcs';
  readonly bucket: string;
  /** @default `gitops/<environment>` */
  readonly prefix?: string;
}

/** Azure Blob Storage state. */
export interface AzureBackendConfig {
  readonly type: 'azurerm';
  readonly resourceGroupName: string;
  readonly storageAccountName: string;
  readonly containerName: string;
  readonly key: string;
}

/** HCP Terraform (Terraform Cloud) workspace. */
export interface HcpBackendConfig {
  readonly type: 'hcp';
  readonly organization: string;
  readonly workspace: string;
  /** @default `app.terraform.io` */
  readonly hostname?: string;
}

/** Where Terraform keeps this environment's state. */
export type BackendConfig =
  | LocalBackendConfig
  | S3BackendConfig
  | GcsBackendConfig
  | AzureBackendConfig
  | HcpBackendConfig;

/** The ingress controller the cluster already runs. */
export interface IngressPrerequisite {
  /** Its IngressClass; every ingress the platform creates names it. */
  readonly className: string;
  /**
   * The namespace its controller runs in (NetworkPolicies admit traffic from it).
   * @default 'ingress-nginx'
   */
  readonly namespace?: string;
}

/** The StorageClasses the cluster already has. */
export interface StoragePrerequisite {
  /** Whether a default StorageClass exists (PersistentVolumeClaims that name no class use it). */
  readonly defaultClass: boolean;
  /**
   * StorageClasses that exist by name (the ones a storage setting names).
   * @default []
   */
  readonly classes?: readonly string[];
}

/** Istio on the cluster (sidecar injection, traffic routing of canaries). */
export interface IstioPrerequisite {
  /** Whether Istio (its CRDs and control plane) is installed. */
  readonly installed: boolean;
  /**
   * Whether Istio runs its CNI plugin, so injected pods need no `istio-init`
   * container with NET_ADMIN/NET_RAW (required under Pod Security baseline and restricted).
   */
  readonly cni: boolean;
}

/**
 * What the cluster must already have before `terraform apply`: the platform
 * installs none of it, and checks its configuration against it at synth.
 */
export interface ClusterPrerequisites {
  /**
   * The ingress controller (Argo CD's server, Flux's webhook receiver and Jenkins X
   * are exposed through ingresses), or `false` when the cluster has none.
   * @default { className: 'nginx', namespace: 'ingress-nginx' }
   */
  readonly ingress?: IngressPrerequisite | false;
  /**
   * The StorageClasses (persistent Prometheus and Grafana volumes).
   * @default { defaultClass: true, classes: [] }
   */
  readonly storage?: StoragePrerequisite;
  /**
   * Schedulable worker nodes. Pods with hard anti-affinity need one node each:
   * Argo CD's `redis-ha` (highly available) runs 3 Redis and 3 HAProxy pods so.
   * @default 1
   */
  readonly nodes?: number;
  /**
   * Istio.
   * @default { installed: false, cni: false }
   */
  readonly istio?: IstioPrerequisite;
}

/** {@link ClusterPrerequisites} with every default applied. */
export interface ResolvedPrerequisites {
  /** The ingress controller, or undefined when the cluster has none. */
  readonly ingress?: Required<IngressPrerequisite>;
  readonly storage: Required<StoragePrerequisite>;
  readonly nodes: number;
  readonly istio: IstioPrerequisite;
}

/** The cluster prerequisites of `env`, with the documented defaults. */
export function prerequisitesOf(env: Pick<PlatformEnvironment, 'prerequisites'>): ResolvedPrerequisites {
  const p = env.prerequisites ?? {};
  return {
    ingress: p.ingress === false ? undefined : { className: p.ingress?.className ?? 'nginx', namespace: p.ingress?.namespace ?? 'ingress-nginx' },
    storage: { defaultClass: p.storage?.defaultClass ?? true, classes: [...(p.storage?.classes ?? [])] },
    nodes: p.nodes ?? 1,
    istio: { installed: p.istio?.installed ?? false, cni: p.istio?.cni ?? false },
  };
}

/**
 * What every module of one environment shares: its name and tier, the
 * cluster, the GitOps repository, sizing, sync-policy defaults, policy
 * enforcement, the state backend and the cluster's prerequisites. The
 * environment config (`EnvironmentConfig`, composed in `stacks/`) adds the
 * modules and their settings.
 */
export interface PlatformEnvironment {
  /** Stack name and directory name (`dev`, `staging`, `prod`); lowercase DNS label. */
  readonly name: string;
  /** How critical the environment is. */
  readonly tier: EnvironmentTier;
  /** How to reach the cluster. */
  readonly cluster: ClusterConnection;
  /** The GitOps repository and revision. */
  readonly gitops: GitOpsRepository;
  /** Replicas and HA. */
  readonly sizing: Sizing;
  /** Sync-policy defaults for Applications and Kustomizations. */
  readonly syncPolicy: SyncPolicyDefaults;
  /** Policy enforcement mode (warn / dryrun in dev, deny in prod). */
  readonly policyEnforcement: EnforcementMode;
  /** Terraform state backend. */
  readonly backend: BackendConfig;
  /**
   * What the cluster already has (ingress controller, StorageClasses, nodes,
   * Istio); checked against the rest of the config at synth. See the README's
   * Prerequisites section.
   * @default - see {@link ClusterPrerequisites}: nginx ingress, a default StorageClass, 1 node, no Istio
   */
  readonly prerequisites?: ClusterPrerequisites;
  /**
   * The base DNS domain for ingress hosts (`argocd.<domain>`, `grafana.<domain>`).
   * Required as soon as an ingress host is derived from it (Argo CD's, Jenkins X's,
   * the Flux webhook receiver's) and not set itself.
   * @default - none
   */
  readonly domain?: string;
  /**
   * Labels added to every synthesized object.
   * @default - none besides the platform's own
   */
  readonly labels?: Readonly<Record<string, string>>;
  /**
   * What the deploy model cannot see in the environment itself: Secrets created
   * out of band, externally written paths, acknowledged violations (see `lib/platform/README.md`).
   * @default - none
   */
  readonly deployModel?: DeployModelSettings;
}

/** The keys of {@link PlatformEnvironment}, each once (the compiler checks the list is complete). */
export const PLATFORM_ENVIRONMENT_KEYS = [
  'name',
  'tier',
  'cluster',
  'gitops',
  'sizing',
  'syncPolicy',
  'policyEnforcement',
  'backend',
  'prerequisites',
  'domain',
  'labels',
  'deployModel',
] as const satisfies readonly (keyof PlatformEnvironment)[];

type MissingKey = Exclude<keyof PlatformEnvironment, (typeof PLATFORM_ENVIRONMENT_KEYS)[number]>;
const _complete: [MissingKey] extends [never] ? true : MissingKey = true;
void _complete;

/**
 * The part of a composed environment config that every module shares: the
 * {@link PlatformEnvironment} fields of `config`, without the module settings
 * a composition (such as `GitOpsStack`'s `EnvironmentConfig`) adds beside them.
 */
export function platformEnvironmentOf(config: PlatformEnvironment): PlatformEnvironment {
  const shared: Record<string, unknown> = {};
  for (const key of PLATFORM_ENVIRONMENT_KEYS) {
    if (config[key] !== undefined) shared[key] = config[key];
  }
  return shared as unknown as PlatformEnvironment;
}
