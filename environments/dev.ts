import { AdminAccount, ArgoCdSso, DexConnector, NotificationService } from '../lib/argocd';
import { certManagerAddon, metricsServerAddon } from '../lib/flux';
import { Notifier, Storage } from '../lib/monitoring';
import { SEED_PROMOTION, SEED_SERVICES } from './seed/delivery';
import { seedRbacPolicy } from './seed/rbac';
import { EnvironmentConfig } from '../stacks/environment';
import { BuildPack, SecretStorage } from '../lib/jenkins-x';
import { CORE_MODULES, APPLICATION_ALERTS, externalSecretsRoleArn, FLUX_CHART_MIRROR, GITOPS_REPO_URL, LETSENCRYPT_ISSUER, REVIEWED_LABELS, SEED_RETRY, sharedSecurity, TEAM_A_TENANT, SOPS_DECRYPTION } from './shared';

/** Development: single replicas, automated sync with prune, policies only warn. */
export const dev: EnvironmentConfig = {
  name: 'dev',
  tier: 'development',
  cluster: { name: 'dev-cluster', kubeconfigPath: '~/.kube/config', kubeconfigContext: 'dev-cluster' },
  gitops: { repoUrl: GITOPS_REPO_URL, revision: 'develop', path: 'clusters/dev', credentialsSecret: 'gitops-repo-credentials' },
  modules: CORE_MODULES,
  sizing: { highAvailability: false, controllerReplicas: 1 },
  syncPolicy: { automated: true, prune: true, selfHeal: true, allowEmpty: false, retry: SEED_RETRY },
  policyEnforcement: 'warn',
  backend: { type: 'local' },
  prerequisites: { ingress: { className: 'nginx', namespace: 'ingress-nginx' }, storage: { defaultClass: true }, nodes: 2, istio: { installed: true, cni: true } },
  domain: 'dev.example.com',
  flux: {
    // Short intervals and debug logs; image updates (pre-releases included) committed straight to develop.
    ...SOPS_DECRYPTION,
    intervals: { source: '1m', kustomization: '5m', helmRelease: '5m', image: '1m' },
    resources: { requests: { cpu: '50m', memory: '64Mi' }, limits: { cpu: '500m', memory: '512Mi' } },
    logLevel: 'debug',
    gitCredentials: 'terraform-variable',
    chartRepository: FLUX_CHART_MIRROR,
    addons: [certManagerAddon({ version: '>=1.19.0 <1.20.0' }), metricsServerAddon({ version: '>=3.13.0 <3.14.0' })],
    notifications: { slackChannel: '#gitops-dev', chatSeverity: 'error', githubCommitStatus: true },
    clusterIssuers: [LETSENCRYPT_ISSUER],
    webhookReceiver: { clusterIssuer: LETSENCRYPT_ISSUER.name },
    tenants: [TEAM_A_TENANT],
    // A private registry (image automation scans it with credentials): the kubelet pulls with them too.
    workloads: [{ name: 'status-page', image: 'ghcr.io/company/status-page', tag: 'v2.1.0', port: 8080, imagePullSecret: 'ghcr-credentials' }],
    imageAutomation: { preReleases: true, registrySecret: 'ghcr-credentials' },
  },
  jenkinsX: {
    // Development: quickstart applications with a preview environment per pull request.
    secretStorage: SecretStorage.local(),
    ingress: { tls: { enabled: true, email: 'platform-team@example.com', production: false } },
    applications: [
      { name: 'orders-api', repository: 'https://github.com/company/orders-api.git', buildPack: BuildPack.go(), quickstart: 'go-http' },
      { name: 'storefront', repository: 'https://github.com/company/storefront.git', buildPack: BuildPack.javascript(), quickstart: 'node-http' },
    ],
    previews: { ttl: '72h', gcSchedule: '*/10 * * * *', cleanupDrafts: true },
  },
  argocd: {
    // TLS for the default host (argocd.<domain>, Secret argocd-server-tls) from the shared issuer.
    ingress: { annotations: { 'cert-manager.io/cluster-issuer': LETSENCRYPT_ISSUER.name } },
    // Local admin for break-glass access; its bcrypt hash is the sensitive variable argocd_admin_password_bcrypt.
    admin: AdminAccount.bcryptFromVariable(),
    sso: ArgoCdSso.dex([
      DexConnector.github({
        clientId: 'argocd-dev',
        clientSecret: { secretName: 'argocd-sso', key: 'dex.github.clientSecret' },
        orgs: [{ name: 'company' }],
      }),
    ]),
    // The seed's roles over this environment's projects (the seed's "development" and "production").
    rbac: seedRbacPolicy({ developerProjects: ['platform', 'team-a'], viewerProjects: ['platform', 'team-a'] }),
    notifications: {
      services: [NotificationService.slack()],
      subscriptions: [{ service: 'slack', recipients: ['gitops-dev'], triggers: ['on-deployed', 'on-sync-failed'] }],
    },
    clusters: [{ name: 'dev-apps', server: 'https://dev-apps.k8s.company.com', labels: { region: 'eu-west-1' } }],
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
    // Short retention on an emptyDir: dev metrics are disposable.
    retention: '3d',
    storage: Storage.ephemeral(),
    grafana: { storage: Storage.ephemeral() },
    alerting: {
      critical: [Notifier.slack({ channel: '#alerts-dev', apiUrl: { name: 'alertmanager-notifications', key: 'slack-api-url' } })],
      warning: [Notifier.slack({ channel: '#alerts-dev', apiUrl: { name: 'alertmanager-notifications', key: 'slack-api-url' } })],
      remediation: {
        url: { name: 'alertmanager-notifications', key: 'remediation-url' },
        token: { name: 'alertmanager-notifications', key: 'remediation-token' },
      },
    },
  },
  labels: REVIEWED_LABELS,
  security: sharedSecurity('development-role', 'database/development', externalSecretsRoleArn('dev')),
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
