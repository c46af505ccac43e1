import { Notifier, Storage } from '../lib/monitoring';
import { EnvironmentConfig } from '../lib/platform/environment';
import { PromotionStrategy, SecretStorage } from '../lib/jenkins-x';
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
  jenkinsX: {
    // Production: every promotion is manual, no pipelines or previews run here,
    // and the git operator runs with strict RBAC.
    secretStorage: SecretStorage.vault(),
    ingress: { tls: { enabled: true, email: 'platform-team@example.com' } },
    environments: [
      { key: 'staging', promotion: PromotionStrategy.manual() },
      { key: 'production', promotion: PromotionStrategy.manual() },
    ],
    gitOperator: { rbac: { strict: true } },
  },
  monitoring: {
    // The seeds' production values: 30 days on 100Gi of fast-ssd, Grafana on 10Gi.
    // Replicas follow sizing.highAvailability: 2 Prometheus, 3 Alertmanager.
    retention: '30d',
    storage: Storage.persistent({ size: '100Gi', storageClassName: 'fast-ssd' }),
    grafana: { storage: Storage.persistent({ size: '10Gi', storageClassName: 'fast-ssd' }) },
    alerting: {
      critical: [
        Notifier.pagerDuty({ routingKey: { name: 'alertmanager-notifications', key: 'pagerduty-routing-key' } }),
        Notifier.slack({ channel: '#alerts-prod', apiUrl: { name: 'alertmanager-notifications', key: 'slack-api-url' } }),
      ],
      warning: [
        Notifier.slack({ channel: '#alerts-prod', apiUrl: { name: 'alertmanager-notifications', key: 'slack-api-url' } }),
        Notifier.email({
          to: ['platform-team@company.com'],
          from: 'alertmanager@company.com',
          smarthost: 'smtp.company.com:587',
          authUsername: 'alertmanager@company.com',
          authPassword: { name: 'alertmanager-notifications', key: 'smtp-password' },
        }),
      ],
      remediation: {
        url: { name: 'alertmanager-notifications', key: 'remediation-url' },
        token: { name: 'alertmanager-notifications', key: 'remediation-token' },
      },
    },
  },
};
