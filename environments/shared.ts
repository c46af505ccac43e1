import { MODULE_NAMES, ModuleName, SyncRetry } from '../lib/platform/environment';

/** The GitOps repository every shipped environment syncs from. */
export const GITOPS_REPO_URL = 'https://github.com/company/gitops-infrastructure';

/** Every module: the shipped environments turn them all on. */
export const ALL_MODULES: readonly ModuleName[] = [...MODULE_NAMES];

/** The seeds' retry policy: 5 retries, backoff 5s doubling up to 3m. */
export const SEED_RETRY: SyncRetry = {
  limit: 5,
  backoffDuration: '5s',
  backoffFactor: 2,
  backoffMaxDuration: '3m',
};

/** The internal Helm chart mirror the Flux add-ons come from (GitLab package registry). */
export const FLUX_CHART_MIRROR = {
  url: 'https://gitlab.company.com/api/v4/projects/platform%2Fhelm-charts/packages/helm/stable',
  secretRef: 'platform-charts-credentials',
} as const;

/** The seeds' team-a tenant: its own repository, reconciled into its own namespace. */
export const TEAM_A_TENANT = {
  name: 'team-a',
  repoUrl: 'https://github.com/company/team-a-applications',
  branch: 'main',
  healthCheckDeployments: ['team-a-web-app'],
} as const;
