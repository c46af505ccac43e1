import { SEED_PROMOTION, SEED_SERVICES, seedProductionCanary } from '../lib/delivery/seed-services';
import { EnvironmentConfig } from '../lib/platform/environment';
import { ALL_MODULES, GITOPS_REPO_URL, SEED_RETRY } from './shared';

/**
 * Production: HA (3 replicas of the Argo CD server, application controller and
 * repo server, redis-ha), automated self-heal but no automated prune (manual
 * approval of deletions), policies denied.
 */
export const prod: EnvironmentConfig = {
  name: 'prod',
  tier: 'production',
  cluster: { name: 'prod-cluster', kubeconfigPath: '~/.kube/config', kubeconfigContext: 'prod-cluster' },
  gitops: { repoUrl: GITOPS_REPO_URL, revision: 'main', path: 'clusters/prod', credentialsSecret: 'gitops-repo-credentials' },
  modules: ALL_MODULES,
  sizing: { highAvailability: true, controllerReplicas: 3 },
  syncPolicy: { automated: true, prune: false, selfHeal: true, allowEmpty: false, retry: SEED_RETRY },
  policyEnforcement: 'deny',
  backend: { type: 'local', path: 'terraform.prod.tfstate' },
  domain: 'example.com',
  delivery: {
    // The seeds' full canary with analysis for the frontend (10 replicas), HA elsewhere.
    services: SEED_SERVICES,
    promotion: SEED_PROMOTION,
    releases: {
      database: { tag: 'v1.0.0', replicas: 3 },
      'backend-api': { tag: 'v2.1.0', replicas: 3 },
      frontend: { tag: 'v1.2.3', replicas: 10, strategy: seedProductionCanary() },
      'worker-service': { tag: 'v1.0.0', replicas: 3 },
    },
  },
};
