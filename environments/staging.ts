import { SEED_PROMOTION, SEED_SERVICES } from '../lib/delivery/seed-services';
import { EnvironmentConfig } from '../lib/platform/environment';
import { ALL_MODULES, GITOPS_REPO_URL, SEED_RETRY } from './shared';

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
  delivery: {
    // Production-like rollouts with analysis, two replicas.
    services: SEED_SERVICES,
    promotion: SEED_PROMOTION,
    releases: {
      database: { tag: 'v1.0.1', replicas: 2 },
      'backend-api': { tag: 'v2.1.1', replicas: 2 },
      frontend: { tag: 'v1.3.0', replicas: 2 },
      'worker-service': { tag: 'v1.0.0', replicas: 2 },
    },
  },
};
