import type { EnforcementMode } from '../platform/environment';
import type { PolicyExemption } from './policies/exemption';
import type { PolicyId } from './policies/ids';
import type { InternalAnnotation } from './policies/internal-load-balancer';
import type { FalcoOptions } from './runtime/falco';
import type { TrivyOperatorOptions } from './scanning/trivy-operator';

/** Vault with Kubernetes auth, as a ClusterSecretStore (seed 001 `vault-backend`). */
export interface VaultStoreSettings {
  /** The Vault server URL (https). */
  readonly server: string;
  /**
   * The KV mount path.
   * @default 'secret'
   */
  readonly path?: string;
  /**
   * The KV engine version.
   * @default 'v2'
   */
  readonly version?: 'v1' | 'v2';
  /**
   * Where the Kubernetes auth method is mounted in Vault.
   * @default 'kubernetes'
   */
  readonly authMountPath?: string;
  /** The Vault role the operator's service account logs in as (`production-role`). */
  readonly role: string;
  /**
   * The store name.
   * @default 'vault-backend'
   */
  readonly name?: string;
}

/** AWS Secrets Manager with a service-account JWT (IRSA), as a ClusterSecretStore (seed 002). */
export interface AwsStoreSettings {
  /** The AWS region. */
  readonly region: string;
  /**
   * The IAM role the operator's service account assumes: the store authenticates
   * with that account's JWT (IRSA), which AWS exchanges for this role only when
   * the account carries `eks.amazonaws.com/role-arn`. Not a secret.
   */
  readonly roleArn: string;
  /**
   * The store name.
   * @default 'aws-secretsmanager'
   */
  readonly name?: string;
}

/** The seed's database credentials (an ExternalSecret with a connection-string template). */
export interface DatabaseCredentialsSettings {
  /** The namespace of the ExternalSecret and the Secret it writes. */
  readonly namespace: string;
  /** The key of the credentials in the store (`database/production`). */
  readonly remoteKey: string;
  /**
   * The Secret to write.
   * @default 'database-secret'
   */
  readonly secretName?: string;
}

/** SOPS decryption for Flux. */
export interface SopsSettings {
  /**
   * The Secret in `flux-system` holding the age private key (`age.agekey`).
   * @default 'sops-age'
   */
  readonly ageKeySecret?: string;
  /**
   * The key of the age private key in the default secret store. When set, an
   * ExternalSecret materialises the Secret; otherwise it is created out of band
   * (`kubectl create secret generic sops-age --from-file=age.agekey=...`).
   * @default - created out of band
   */
  readonly ageKeyRemoteKey?: string;
  /**
   * The age public keys (`age1...`) files are encrypted for; written to a
   * `.sops.yaml` at the root of the environment's tree.
   * @default - no `.sops.yaml`
   */
  readonly ageRecipients?: readonly string[];
}

/** A namespace whose Pod Security level differs from the environment's default, with the reason. */
export interface PodSecurityException {
  /** The level to enforce. */
  readonly level: 'privileged' | 'baseline' | 'restricted';
  /** Why (shown in the status output). */
  readonly reason: string;
}

/** A team tenant: a namespace with least-privilege roles. */
export interface TenantSettings {
  /** The tenant (and namespace) name. */
  readonly name: string;
  /**
   * Groups (OIDC) with read and sync-level access in the namespace.
   * @default []
   */
  readonly developerGroups?: readonly string[];
  /**
   * Groups with read-only access in the namespace.
   * @default []
   */
  readonly viewerGroups?: readonly string[];
  /**
   * The tenant's own Vault store: a namespaced SecretStore in the tenant's
   * namespace that logs in to Vault as the tenant's service account, so the
   * tenant's ExternalSecrets read only what the tenant's Vault role allows
   * (seed 001's `vault-backend` in its namespace). The security module's
   * ExternalSecrets in that namespace (`databaseCredentials`) read from it.
   * Needs `security.vault`.
   * @default - the tenant's ExternalSecrets read from the environment's default store
   */
  readonly secretStore?: TenantSecretStoreSettings;
}

/** A tenant's own Vault SecretStore (see {@link TenantSettings.secretStore}). */
export interface TenantSecretStoreSettings {
  /**
   * The Vault Kubernetes-auth role the tenant's service account logs in as;
   * bind it in Vault to that service account in the tenant's namespace, with
   * a policy for the tenant's paths only.
   */
  readonly vaultRole: string;
  /**
   * The store name.
   * @default 'vault-backend'
   */
  readonly name?: string;
  /**
   * The service account (created in the tenant's namespace) whose token logs in.
   * @default 'external-secrets-sa'
   */
  readonly serviceAccount?: string;
}

/** The weekly compliance report job (seed 001). */
export interface ComplianceReportSettings {
  /**
   * The image that runs the report script: fully qualified (registry host first),
   * pinned to a tag or digest, with python3 (3.8 or later).
   * @default DEFAULT_COMPLIANCE_REPORTER_IMAGE (the official Python image, pinned by digest)
   */
  readonly image?: string;
  /**
   * Cron schedule.
   * @default '0 6 * * 1' (Mondays 06:00)
   */
  readonly schedule?: string;
  /** The e-mail addresses the report goes to; required when the report runs (the monitoring module is on). */
  readonly recipients?: readonly string[];
  /**
   * The Prometheus the report queries for firing critical alerts.
   * @default - the monitoring module's Prometheus (the report runs only when monitoring is on)
   */
  readonly prometheusUrl?: string;
}

/** Per-environment security settings (`EnvironmentConfig.security`). */
export interface SecuritySettings {
  /**
   * URL prefixes every Argo CD and Flux source must start with (https or oci, ending in `/`):
   * the organization's Git hosts and owners. Required.
   */
  readonly allowedRepositories?: readonly string[];
  /**
   * The labels every GitOps delivery object must carry.
   * @default ['app.kubernetes.io/managed-by', 'app.kubernetes.io/part-of', <reviewLabel>]
   */
  readonly requiredLabels?: readonly string[];
  /**
   * The label recording the security review; its value comes from
   * `EnvironmentConfig.labels[reviewLabel]` (see the README). Required in production.
   * @default - none (no review label is required)
   */
  readonly reviewLabel?: string;
  /**
   * Per-policy enforcement, overriding `EnvironmentConfig.policyEnforcement`.
   * Production cannot go below `deny`.
   * @default {}
   */
  readonly policyModes?: Readonly<Partial<Record<PolicyId, EnforcementMode>>>;
  /**
   * Documented exceptions (`PolicyExemption.forObject(...)`, `PolicyExemption.forNamespace(...)`).
   * @default []
   */
  readonly exemptions?: readonly PolicyExemption[];
  /**
   * Annotations that make a LoadBalancer internal.
   * @default DEFAULT_INTERNAL_ANNOTATIONS (Azure, AWS, GCP)
   */
  readonly internalLoadBalancerAnnotations?: readonly InternalAnnotation[];
  /**
   * The Vault ClusterSecretStore.
   * @default - none
   */
  readonly vault?: VaultStoreSettings;
  /**
   * The AWS Secrets Manager ClusterSecretStore.
   * @default - none
   */
  readonly aws?: AwsStoreSettings;
  /**
   * The store ExternalSecrets use by default.
   * @default 'vault' when configured, else 'aws'
   */
  readonly defaultStore?: 'vault' | 'aws';
  /**
   * The seed's database credentials.
   * @default - none
   */
  readonly databaseCredentials?: DatabaseCredentialsSettings;
  /**
   * SOPS decryption for Flux.
   * @default - `sops-age`, created out of band
   */
  readonly sops?: SopsSettings;
  /**
   * Namespaces whose Pod Security level differs from the default (restricted
   * in production, baseline elsewhere).
   * @default DEFAULT_POD_SECURITY_EXCEPTIONS (monitoring, falco-system and velero: privileged; jx and jx-git-operator: baseline)
   */
  readonly podSecurityExceptions?: Readonly<Record<string, PodSecurityException>>;
  /**
   * The namespace of the ingress controller (allowed to reach UIs and webhook receivers).
   * @default - `prerequisites.ingress.namespace` ('ingress-nginx')
   */
  readonly ingressNamespace?: string;
  /**
   * CIDRs the controllers may reach on 443/6443 (API server, Git, registries, Vault).
   * @default ['0.0.0.0/0']
   */
  readonly egressCidrs?: readonly string[];
  /**
   * Team tenants with least-privilege roles.
   * @default []
   */
  readonly tenants?: readonly TenantSettings[];
  /**
   * The namespace of Falco.
   * @default 'falco-system'
   */
  readonly falcoNamespace?: string;
  /**
   * Falco with the GitOps rules and falcosidekick forwarding to Alertmanager.
   * @default - no Falco (no namespace, no rules)
   */
  readonly falco?: FalcoOptions;
  /**
   * Security scanning with Trivy Operator (vulnerability, exposed-secret and
   * configuration-audit reports; alerts and a dashboard with monitoring).
   * @default - no scanner
   */
  readonly scanning?: TrivyOperatorOptions;
  /**
   * The weekly compliance report (runs when the monitoring module is on; `recipients` is required then).
   * @default - the seed's job
   */
  readonly complianceReport?: ComplianceReportSettings;
  /**
   * Gatekeeper replicas.
   * @default - 3 when highly available, else 1
   */
  readonly gatekeeperReplicas?: number;
  /**
   * Values for the security module's charts (`gatekeeper`, `external-secrets`,
   * `sealed-secrets`), each merged over the module's own last: the escape
   * hatch for a setting without a prop. Every path must exist in the chart's
   * defaults at the pinned version; never a secret.
   * @default - none
   */
  readonly values?: {
    readonly gatekeeper?: Readonly<Record<string, unknown>>;
    readonly externalSecrets?: Readonly<Record<string, unknown>>;
    readonly sealedSecrets?: Readonly<Record<string, unknown>>;
  };
}
