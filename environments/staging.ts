import { AdminAccount, ArgoCdSso, NotificationService } from '../lib/argocd';
import { certManagerAddon, metricsServerAddon } from '../lib/flux';
import { Notifier, Storage } from '../lib/monitoring';
import { SEED_PROMOTION, SEED_SERVICES } from './seed/delivery';
import { seedRbacPolicy } from './seed/rbac';
import { EnvironmentConfig } from '../stacks/environment';
import { BuildPack, SecretStorage } from '../lib/jenkins-x';
import { CORE_MODULES, APPLICATION_ALERTS, externalSecretsRoleArn, FLUX_CHART_MIRROR, GITOPS_REPO_URL, LETSENCRYPT_ISSUER, REVIEWED_LABELS, SEED_RETRY, sharedSecurity, TEAM_A_TENANT, SOPS_DECRYPTION } from './shared';

/** Staging: production-like sizing without HA, automated sync with prune, policies in dry-run. */
export const staging: EnvironmentConfig = {
  name: 'staging',
  tier: 'staging',
  cluster: { name: 'staging-cluster', kubeconfigPath: '~/.kube/config', kubeconfigContext: 'staging-cluster' },
  gitops: { repoUrl: GITOPS_REPO_URL, revision: 'staging', path: 'clusters/staging', credentialsSecret: 'gitops-repo-credentials' },
  modules: CORE_MODULES,
  sizing: { highAvailability: false, controllerReplicas: 2 },
  syncPolicy: { automated: true, prune: true, selfHeal: true, allowEmpty: false, retry: SEED_RETRY },
  policyEnforcement: 'dryrun',
  backend: { type: 'local' },
  prerequisites: { ingress: { className: 'nginx', namespace: 'ingress-nginx' }, storage: { defaultClass: true }, nodes: 3, istio: { installed: true, cni: true } },
  domain: 'staging.example.com',
  flux: {
    // Production-like intervals; releases only (no pre-releases) committed to staging.
    ...SOPS_DECRYPTION,
    intervals: { source: '2m', kustomization: '10m', helmRelease: '30m', image: '5m' },
    resources: { requests: { cpu: '100m', memory: '128Mi' }, limits: { cpu: '1', memory: '1Gi' } },
    gitCredentials: 'terraform-variable',
    chartRepository: FLUX_CHART_MIRROR,
    addons: [certManagerAddon({ version: '>=1.19.0 <1.20.0' }), metricsServerAddon({ version: '>=3.13.0 <3.14.0' })],
    notifications: { slackChannel: '#gitops-staging', chatSeverity: 'error', githubCommitStatus: true },
    clusterIssuers: [LETSENCRYPT_ISSUER],
    webhookReceiver: { clusterIssuer: LETSENCRYPT_ISSUER.name },
    tenants: [TEAM_A_TENANT],
    // A private registry (image automation scans it with credentials): the kubelet pulls with them too.
    workloads: [{ name: 'status-page', image: 'ghcr.io/company/status-page', tag: 'v2.1.0', port: 8080, replicas: 2, imagePullSecret: 'ghcr-credentials' }],
    imageAutomation: { registrySecret: 'ghcr-credentials' },
  },
  jenkinsX: {
    // Staging: the same applications, imported, without previews; secrets in Vault.
    secretStorage: SecretStorage.vault(),
    ingress: { tls: { enabled: true, email: 'platform-team@example.com' } },
    applications: [
      { name: 'orders-api', repository: 'https://github.com/company/orders-api.git', buildPack: BuildPack.go() },
      { name: 'storefront', repository: 'https://github.com/company/storefront.git', buildPack: BuildPack.javascript() },
    ],
  },
  argocd: {
    // TLS for the default host (argocd.<domain>, Secret argocd-server-tls) from the shared issuer.
    ingress: { annotations: { 'cert-manager.io/cluster-issuer': LETSENCRYPT_ISSUER.name } },
    admin: AdminAccount.bcryptFromVariable(),
    sso: ArgoCdSso.oidc({
      name: 'Okta',
      issuer: 'https://company.okta.com/oauth2/default',
      clientId: 'argocd-staging',
      clientSecret: { secretName: 'argocd-sso', key: 'oidc.clientSecret' },
    }),
    // The seed's roles over this environment's projects (the seed's "development" and "production").
    rbac: seedRbacPolicy({ developerProjects: ['team-a'], viewerProjects: ['platform', 'team-a'] }),
    notifications: {
      services: [
        NotificationService.slack(),
        NotificationService.teamsWebhook({ headers: [{ name: 'Content-Type', value: 'application/json' }] }),
      ],
      subscriptions: [
        { service: 'slack', recipients: ['gitops-staging'], triggers: ['on-sync-succeeded', 'on-sync-failed', 'on-health-degraded'] },
        { service: 'teams', triggers: ['on-sync-failed'] },
      ],
    },
    clusters: [{ name: 'staging-eu-west', server: 'https://staging-eu-west.k8s.company.com', labels: { region: 'eu-west-1' } }],
    teams: [
      {
        name: 'team-a',
        repoUrl: 'https://github.com/company/team-a-applications',
        namespaces: ['team-a-frontend', 'team-a-backend'],
        developerGroups: ['company:team-a-developers'],
        adminGroups: ['company:team-a-admins'],
        imageConstraint: '^1.0',
        imageRegistry: 'registry.company.com/team-a',
      },
    ],
  },
  monitoring: {
    applicationAlerts: APPLICATION_ALERTS,
    // OpenCost allocates the cluster's cost to teams (gitops.platform/team on their namespaces).
    cost: {},
    retention: '15d',
    storage: Storage.persistent({ size: '50Gi' }),
    grafana: { storage: Storage.persistent({ size: '10Gi' }) },
    alerting: {
      critical: [
        Notifier.slack({ channel: '#alerts-staging', apiUrl: { name: 'alertmanager-notifications', key: 'slack-api-url' } }),
        Notifier.email({
          to: ['platform-team@company.com'],
          from: 'alertmanager@company.com',
          smarthost: 'smtp.company.com:587',
          authUsername: 'alertmanager@company.com',
          authPassword: { name: 'alertmanager-notifications', key: 'smtp-password' },
        }),
      ],
      warning: [Notifier.slack({ channel: '#alerts-staging', apiUrl: { name: 'alertmanager-notifications', key: 'slack-api-url' } })],
      remediation: {
        url: { name: 'alertmanager-notifications', key: 'remediation-url' },
        token: { name: 'alertmanager-notifications', key: 'remediation-token' },
      },
    },
  },
  labels: REVIEWED_LABELS,
  security: {
    ...sharedSecurity('staging-role', 'database/staging', externalSecretsRoleArn('staging')),
    // Trivy Operator scans every workload (vulnerabilities, exposed secrets, configuration);
    // Falco watches system calls and audit events, falcosidekick forwards to Alertmanager.
    scanning: {},
    falco: {},
  },
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
