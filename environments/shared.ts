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
