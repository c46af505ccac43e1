import { SEED_PROMOTION, SEED_SERVICES } from '../lib/delivery/seed-services';
import { EnvironmentConfig } from '../lib/platform/environment';
import { ALL_MODULES, GITOPS_REPO_URL, SEED_RETRY } from './shared';

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
  delivery: {
    // Fewer replicas, newest tags, no analysis (fast feedback).
    services: SEED_SERVICES,
    promotion: SEED_PROMOTION,
    analysis: false,
    releases: {
      database: { tag: 'v1.0.1', replicas: 1 },
      'backend-api': { tag: 'v2.2.0', replicas: 1 },
      frontend: { tag: 'v1.3.0', replicas: 1 },
      'worker-service': { tag: 'v1.1.0', replicas: 1 },
    },
  },
};
