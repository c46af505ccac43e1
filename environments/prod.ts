import { EnvironmentConfig } from '../lib/platform/environment';
import { ALL_MODULES, GITOPS_REPO_URL, REVIEWED_LABELS, SEED_RETRY, sharedSecurity } from './shared';

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
  labels: REVIEWED_LABELS,
  security: sharedSecurity('production-role', 'database/production'),
};
