import { EnvironmentConfig } from '../lib/platform/environment';
import { ALL_MODULES, GITOPS_REPO_URL, REVIEWED_LABELS, SEED_RETRY, sharedSecurity } from './shared';

/** Staging: production-like sizing without HA, automated sync with prune, policies in dry-run. */
export const staging: EnvironmentConfig = {
  name: 'staging',
  tier: 'staging',
  cluster: { name: 'staging-cluster', kubeconfigPath: '~/.kube/config', kubeconfigContext: 'staging-cluster' },
  gitops: { repoUrl: GITOPS_REPO_URL, revision: 'staging', path: 'clusters/staging', credentialsSecret: 'gitops-repo-credentials' },
  modules: ALL_MODULES,
  sizing: { highAvailability: false, controllerReplicas: 2 },
  syncPolicy: { automated: true, prune: true, selfHeal: true, allowEmpty: false, retry: SEED_RETRY },
  policyEnforcement: 'dryrun',
  backend: { type: 'local', path: 'terraform.staging.tfstate' },
  domain: 'staging.example.com',
  labels: REVIEWED_LABELS,
  security: sharedSecurity('staging-role', 'database/staging'),
};
