import { AdminAccount, ArgoCdSso, NotificationService } from '../lib/argocd';
import { certManagerAddon, metricsServerAddon } from '../lib/flux';
import { Notifier, Storage } from '../lib/monitoring';
import { SEED_PROMOTION, SEED_SERVICES, seedProductionCanary } from './seed/delivery';
import { seedRbacPolicy } from './seed/rbac';
import { EnvironmentConfig } from '../stacks/environment';
import { PromotionStrategy, SecretStorage } from '../lib/jenkins-x';
import { BackupCredentials } from '../lib/recovery/credentials';
import { ALL_MODULES, APPLICATION_ALERTS, externalSecretsRoleArn, FLUX_CHART_MIRROR, GITOPS_REPO_URL, LETSENCRYPT_ISSUER, PROD_BACKUP_STORAGE, PROD_STATE_BUCKET, REVIEWED_LABELS, SEED_RETRY, sharedSecurity, TEAM_A_APP_NAMESPACES, TEAM_A_TENANT, SOPS_DECRYPTION, veleroRoleArn } from './shared';

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
  // Remote, encrypted, locked state (S3 native lock file); docs/deploy.md creates the bucket.
  backend: { type: 's3', bucket: PROD_STATE_BUCKET, key: 'gitops/prod.tfstate', region: 'us-east-1', encrypt: true, useLockfile: true },
  // HA: redis-ha's hard anti-affinity needs 3 nodes; Prometheus and Grafana use fast-ssd.
  prerequisites: { ingress: { className: 'nginx', namespace: 'ingress-nginx' }, storage: { defaultClass: true, classes: ['fast-ssd'] }, nodes: 3, istio: { installed: true, cni: true } },
  domain: 'example.com',
  flux: {
    // Longer intervals, HA add-ons, every event to chat, failures to Teams, an audit webhook;
    // no image automation: the tag below is promoted to main by pull request.
    ...SOPS_DECRYPTION,
    intervals: { source: '5m', kustomization: '30m', helmRelease: '1h', image: '10m' },
    resources: { requests: { cpu: '200m', memory: '256Mi' }, limits: { cpu: '2', memory: '2Gi' } },
    gitCredentials: 'terraform-variable',
    chartRepository: FLUX_CHART_MIRROR,
    addons: [
      certManagerAddon({ version: '>=1.19.0 <1.20.0', replicas: 2 }),
      metricsServerAddon({ version: '>=3.13.0 <3.14.0', replicas: 2 }),
    ],
    notifications: { slackChannel: '#gitops-prod', chatSeverity: 'info', msteams: true, auditWebhook: true, githubCommitStatus: true },
    clusterIssuers: [LETSENCRYPT_ISSUER],
    webhookReceiver: { clusterIssuer: LETSENCRYPT_ISSUER.name },
    tenants: [TEAM_A_TENANT],
    // A private registry (dev and staging scan it with credentials): the kubelet pulls with them too.
    workloads: [{ name: 'status-page', image: 'ghcr.io/company/status-page', tag: 'v2.1.0', port: 8080, replicas: 3, imagePullSecret: 'ghcr-credentials' }],
  },
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
  argocd: {
    ingress: {
      host: 'argocd.example.com',
      tlsSecretName: 'argocd-example-com-tls',
      annotations: { 'cert-manager.io/cluster-issuer': LETSENCRYPT_ISSUER.name },
    },
    // No local admin in production: SSO only.
    admin: AdminAccount.disabled(),
    sso: ArgoCdSso.oidc({
      name: 'Okta',
      issuer: 'https://company.okta.com/oauth2/default',
      clientId: 'argocd-prod',
      clientSecret: { secretName: 'argocd-sso', key: 'oidc.clientSecret' },
    }),
    // Users without a group binding get nothing in production.
    // The seed's roles over this environment's projects: developers may not sync in production.
    rbac: seedRbacPolicy({ defaultRole: undefined, developerProjects: [], viewerProjects: ['platform', 'team-a'] }),
    notifications: {
      services: [
        NotificationService.slack(),
        NotificationService.teamsWebhook({ headers: [{ name: 'Content-Type', value: 'application/json' }] }),
        NotificationService.email({ host: 'smtp.company.com', port: 587, from: 'argocd@company.com' }),
      ],
      subscriptions: [
        { service: 'slack', recipients: ['prod-alerts'], triggers: ['on-sync-failed', 'on-health-degraded'] },
        { service: 'teams', triggers: ['on-sync-failed', 'on-health-degraded'] },
        { service: 'email', recipients: ['oncall@company.com'], triggers: ['on-sync-failed', 'on-health-degraded'] },
      ],
    },
    clusters: [
      { name: 'prod-us-east', server: 'https://prod-us-east.k8s.company.com', labels: { region: 'us-east-1' } },
      { name: 'prod-eu-west', server: 'https://prod-eu-west.k8s.company.com', labels: { region: 'eu-west-1' } },
    ],
    teams: [
      {
        name: 'team-a',
        repoUrl: 'https://github.com/company/team-a-applications',
        namespaces: ['team-a-frontend', 'team-a-backend'],
        developerGroups: ['company:team-a-developers'],
        adminGroups: ['company:team-a-admins'],
        imageConstraint: '~1.0',
        imageRegistry: 'registry.company.com/team-a',
      },
    ],
    // New tags are pushed to a side branch and reach main through a reviewed pull request.
    imageUpdater: { writeBackBranch: 'main:image-updates' },
  },
  monitoring: {
    applicationAlerts: APPLICATION_ALERTS,
    // OpenCost allocates the cluster's cost to teams (gitops.platform/team on their namespaces).
    cost: {},
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
  labels: REVIEWED_LABELS,
  security: {
    ...sharedSecurity('production-role', 'database/production', externalSecretsRoleArn('prod')),
    // Trivy Operator scans every workload (vulnerabilities, exposed secrets, configuration);
    // Falco watches system calls and audit events, falcosidekick forwards to Alertmanager.
    scanning: {},
    falco: {},
  },
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
  recovery: {
    // Nightly backups of the platform's namespaces with their volumes, kept 30 days;
    // the standby (environments/dr.ts) restores from the same folder.
    storage: PROD_BACKUP_STORAGE,
    credentials: BackupCredentials.irsa(veleroRoleArn('prod')),
    schedules: [{ name: 'platform', cron: '0 2 * * *', ttl: '720h', extraNamespaces: TEAM_A_APP_NAMESPACES }],
  },
};
