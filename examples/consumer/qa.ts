import { EnvironmentConfig } from 'gitops-platform-cdktf';

/**
 * The whole platform for a QA cluster, with only the modules this team runs:
 * Argo CD syncs the tree and the monitoring stack watches it; Flux, Jenkins X,
 * the security module and progressive delivery stay off.
 */
export const qa: EnvironmentConfig = {
  name: 'qa',
  tier: 'staging',
  cluster: { name: 'qa-cluster', kubeconfigPath: '~/.kube/config', kubeconfigContext: 'qa' },
  gitops: { repoUrl: 'https://git.acme.test/platform/gitops', revision: 'qa', path: 'clusters/qa' },
  modules: ['argocd', 'monitoring'],
  sizing: { highAvailability: false, controllerReplicas: 1 },
  syncPolicy: {
    automated: true,
    prune: true,
    selfHeal: true,
    retry: { limit: 3, backoffDuration: '10s', backoffFactor: 2, backoffMaxDuration: '2m' },
  },
  policyEnforcement: 'warn',
  backend: { type: 'local' },
  domain: 'qa.acme.test',
};
