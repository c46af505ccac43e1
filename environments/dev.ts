import { EnvironmentConfig } from '../lib/platform/environment';
import { ALL_MODULES, GITOPS_REPO_URL, REVIEWED_LABELS, SEED_RETRY, sharedSecurity } from './shared';

/** Development: single replicas, automated sync with prune, policies only warn. */
export const dev: EnvironmentConfig = {
  name: 'dev',
  tier: 'development',
  cluster: { name: 'dev-cluster', kubeconfigPath: '~/.kube/config', kubeconfigContext: 'dev-cluster' },
  gitops: { repoUrl: GITOPS_REPO_URL, revision: 'develop', path: 'clusters/dev', credentialsSecret: 'gitops-repo-credentials' },
  modules: ALL_MODULES,
  sizing: { highAvailability: false, controllerReplicas: 1 },
  syncPolicy: { automated: true, prune: true, selfHeal: true, allowEmpty: false, retry: SEED_RETRY },
  policyEnforcement: 'warn',
  backend: { type: 'local', path: 'terraform.dev.tfstate' },
  domain: 'dev.example.com',
  labels: REVIEWED_LABELS,
  security: sharedSecurity('development-role', 'database/development'),
};
