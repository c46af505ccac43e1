import { MODULE_NAMES, ModuleName, SyncRetry } from '../lib/platform/environment';
import type { SecuritySettings } from '../lib/security/settings';
import type { FluxSettings } from '../lib/flux/settings';

/** The GitOps repository every shipped environment syncs from. */
export const GITOPS_REPO_URL = 'https://github.com/company/gitops-infrastructure';

/** Every module: production and its standby turn them all on. */
export const ALL_MODULES: readonly ModuleName[] = [...MODULE_NAMES];

/**
 * Every module but recovery: dev and staging keep no backups (they are
 * rebuilt from Git and hold no data worth a restore).
 */
export const CORE_MODULES: readonly ModuleName[] = MODULE_NAMES.filter((m) => m !== 'recovery');

/** The seeds' retry policy: 5 retries, backoff 5s doubling up to 3m. */
export const SEED_RETRY: SyncRetry = {
  limit: 5,
  backoffDuration: '5s',
  backoffFactor: 2,
  backoffMaxDuration: '3m',
};

/**
 * The security review that approved the shipped platform configuration. Every
 * object gets it as the `security.company.com/reviewed` label (through
 * `EnvironmentConfig.labels`); bump it in the pull request that passes the next
 * security review (the environment files are owned by the security team).
 */
export const SECURITY_REVIEW_REFERENCE = 'SEC-1042';

/** The label key that records the security review (`security.reviewLabel`). */
export const REVIEW_LABEL = 'security.company.com/reviewed';

/** The labels every shipped environment puts on every object. */
export const REVIEWED_LABELS: Readonly<Record<string, string>> = {
  [REVIEW_LABEL]: SECURITY_REVIEW_REFERENCE,
};

/** The seeds' allowed repository prefixes: the company's GitHub organization and its GitLab. */
export const ALLOWED_REPOSITORIES: readonly string[] = ['https://github.com/company/', 'https://gitlab.company.com/'];

/** Who gets the weekly compliance report. */
export const COMPLIANCE_REPORT_RECIPIENTS: readonly string[] = ['compliance@company.com', 'security@company.com'];

/**
 * Security settings shared by the shipped environments (seeds 001/002): Vault
 * with Kubernetes auth as the default store, AWS Secrets Manager with the
 * service-account JWT (IRSA, the role given per environment), the seed's
 * database credentials and team-a tenant, the SOPS age key from Vault, the
 * company's repositories and review label, and the compliance report's recipients.
 */
export function sharedSecurity(vaultRole: string, databaseKey: string, awsRoleArn: string): SecuritySettings {
  return {
    allowedRepositories: ALLOWED_REPOSITORIES,
    reviewLabel: REVIEW_LABEL,
    complianceReport: { recipients: COMPLIANCE_REPORT_RECIPIENTS },
    vault: { server: 'https://vault.company.com', path: 'secret', version: 'v2', authMountPath: 'kubernetes', role: vaultRole },
    aws: { region: 'us-east-1', roleArn: awsRoleArn },
    defaultStore: 'vault',
    databaseCredentials: { namespace: 'team-a', remoteKey: databaseKey },
    sops: { ageKeySecret: 'sops-age', ageKeyRemoteKey: 'flux/sops-age' },
    // team-a's ExternalSecrets (its database credentials) log in to Vault as team-a.
    tenants: [{ name: 'team-a', developerGroups: ['company:developers'], viewerGroups: ['company:production-support'], secretStore: { vaultRole: `team-a-${vaultRole}` } }],
  };
}

/** The company's AWS account, whose IAM roles the environments' operators assume (IRSA). */
export const AWS_ACCOUNT_ID = '111122223333';

/** The IAM role the External Secrets operator of `environment` assumes. */
export function externalSecretsRoleArn(environment: string): string {
  return `arn:aws:iam::${AWS_ACCOUNT_ID}:role/gitops-${environment}-external-secrets`;
}

/** The internal Helm chart mirror the Flux add-ons come from (GitLab package registry). */
export const FLUX_CHART_MIRROR = {
  url: 'https://gitlab.company.com/api/v4/projects/platform%2Fhelm-charts/packages/helm/stable',
  secretRef: 'platform-charts-credentials',
} as const;

/**
 * The ClusterIssuer every shipped environment creates (cert-manager add-on):
 * Let's Encrypt, HTTP-01 through the nginx ingress class. The Argo CD ingress
 * and the Flux webhook receiver get their TLS Secrets from it.
 */
export const LETSENCRYPT_ISSUER = { name: 'letsencrypt-prod', email: 'platform-team@example.com', ingressClassName: 'nginx' } as const;

/** The seeds' team-a tenant: its own repository, reconciled into its own namespace. */
export const TEAM_A_TENANT = {
  name: 'team-a',
  repoUrl: 'https://github.com/company/team-a-applications',
  branch: 'main',
  healthCheckDeployments: ['team-a-web-app'],
} as const;

/** The application alerts of every shipped environment: the seeds' thresholds, with the company's runbook. */
export const APPLICATION_ALERTS = { errorRateRunbookUrl: 'https://runbooks.company.com/high-error-rate' } as const;

/** The S3 bucket that holds production's Terraform state (versioned, encrypted, public access blocked). */
export const PROD_STATE_BUCKET = 'company-gitops-terraform-state';

/**
 * SOPS-encrypted files in the policies and tenants sections are decrypted by
 * Flux with the age key (seed 002): the key's Secret `sops-age` comes from the
 * ExternalSecret of the security module (`security.sops`), applied by the
 * infrastructure stage, which therefore does not decrypt.
 */
export const SOPS_DECRYPTION = { sopsKeySecret: 'sops-age', sopsSections: ['policies', 'tenants'] } as const satisfies Pick<FluxSettings, 'sopsKeySecret' | 'sopsSections'>;

/** The IAM role the Velero server of `environment` assumes (IRSA). */
export function veleroRoleArn(environment: string): string {
  return `arn:aws:iam::${AWS_ACCOUNT_ID}:role/gitops-${environment}-velero`;
}

/**
 * Where production's Velero keeps its backups (versioned, encrypted, in
 * production's region); its standby reads the same folder.
 */
export const PROD_BACKUP_STORAGE = { bucket: 'company-gitops-velero-backups', prefix: 'prod', region: 'us-east-1' } as const;

/** The namespaces team-a's ApplicationSet creates (not known to the platform until they are synced). */
export const TEAM_A_APP_NAMESPACES: readonly string[] = ['team-a-frontend', 'team-a-backend'];
