import { Construct } from 'constructs';
import { CHARTS } from '../platform/catalogue';
import { SensitiveValue } from '../platform/chart-install';
import { ControllerInstall, ControllerInstallProps } from '../platform/controller-install';
import { ChartFacts, ChartService } from '../platform/deploy-model/facts';
import { ConfigError } from '../platform/errors';
import { prerequisitesOf } from '../platform/environment';
import { AdminAccount } from './admin-account';
import { NotificationsConfig } from './notifications';
import { RbacPolicy } from './rbac';
import { ArgoCdComponent, componentResources, renderResources, ResourceRequirements } from './resources';
import { ArgoCdIngressSettings } from './settings';
import { ArgoCdSso } from './sso';

/** The namespace Argo CD runs in unless its install says otherwise. */
export const ARGOCD_NAMESPACE = 'argocd';

/** Options for {@link ArgoCdInstall}. */
export interface ArgoCdInstallProps extends ControllerInstallProps {
  /** Namespace of Argo CD. @default 'argocd' */
  readonly namespace?: string;
  /** Helm release name. @default 'argocd' */
  readonly releaseName?: string;
  /** The server's ingress. @default - `argocd.<domain>`, TLS secret `argocd-server-tls`, the class of `prerequisites.ingress` */
  readonly ingress?: ArgoCdIngressSettings;
  /** The local admin account. @default AdminAccount.disabled() */
  readonly admin?: AdminAccount;
  /** Single sign-on. @default - none */
  readonly sso?: ArgoCdSso;
  /** The global RBAC policy. @default RbacPolicy.readOnly() (authenticated users read, nothing more) */
  readonly rbac?: RbacPolicy;
  /** Notifications. @default - the notifications controller is not deployed */
  readonly notifications?: NotificationsConfig;
  /** Requests and limits per component. @default - sized by the environment's tier */
  readonly resources?: Readonly<Partial<Record<ArgoCdComponent, ResourceRequirements>>>;
  /**
   * Create the components' metrics Services (a Prometheus scrapes them through ServiceMonitors).
   * @default false
   */
  readonly metrics?: boolean;
  /**
   * TCP ports Argo CD reaches outside the cluster besides 443/6443 (Git over
   * SSH, a cluster or Git host on its own port); the notification services'
   * ports are added.
   * @default []
   */
  readonly egressPorts?: readonly number[];
}

/**
 * Installs Argo CD with the `argo-cd` chart: replicas and `redis-ha` from
 * the environment's sizing (PodDisruptionBudgets when highly available),
 * requests and limits per component, the server behind an ingress with TLS,
 * the admin account disabled or with a bcrypt hash from a sensitive
 * variable, SSO, the RBAC policy and the notifications configuration.
 */
export class ArgoCdInstall extends ControllerInstall {
  /** The server's host name. */
  public readonly host: string;
  /** The TLS Secret of the ingress. */
  public readonly tlsSecretName: string;
  /** The admin account. */
  public readonly admin: AdminAccount;
  /** The RBAC policy. */
  public readonly rbac: RbacPolicy;
  /** SSO, if configured. */
  public readonly sso?: ArgoCdSso;
  /** Requests and limits per component, as installed. */
  public readonly resources: Readonly<Record<ArgoCdComponent, ResourceRequirements>>;

  constructor(scope: Construct, id: string, props: ArgoCdInstallProps = {}) {
    // The server, repo server and application controller scale out (the HA table).
    super(scope, id, props, { chart: CHARTS.argoCd, defaultNamespace: ARGOCD_NAMESPACE, releaseName: props.releaseName ?? 'argocd', role: 'scaled' });
    const platform = this.platform;
    const env = platform.environment;
    const where = this.node.path;
    const ingress = props.ingress ?? {};
    this.host = ingress.host ?? `argocd.${platform.domainFor('The Argo CD server\'s ingress host (argocd.<domain>)', 'argocd.ingress.host')}`;
    if (!/^([a-z0-9]([-a-z0-9]*[a-z0-9])?\.)+[a-z]{2,}$/.test(this.host)) {
      throw new ConfigError(where, 'ingress.host', this.host, 'Use a DNS host name: lowercase labels of letters, digits and "-", joined by dots, such as "argocd." followed by your domain.');
    }
    this.tlsSecretName = ingress.tlsSecretName ?? 'argocd-server-tls';
    if (!/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/.test(this.tlsSecretName)) {
      throw new ConfigError(where, 'ingress.tlsSecretName', this.tlsSecretName, 'Use the name of a kubernetes.io/tls Secret.');
    }
    this.admin = props.admin ?? AdminAccount.disabled();
    this.rbac = props.rbac ?? RbacPolicy.readOnly();
    this.sso = props.sso;
    const resources = componentResources(env.tier, props.resources);
    for (const [component, r] of Object.entries(resources)) renderResources(where, `resources.${component}`, r);
    this.resources = resources;

    const ingressClassName = ingress.className ?? prerequisitesOf(env).ingress?.className;
    if (ingressClassName === undefined) {
      throw new ConfigError(where, 'ingress.className', undefined, 'The server is exposed through an ingress, and prerequisites.ingress says the cluster has no ingress controller: install one and name its IngressClass there.');
    }
    // Replicas and disruption budgets from the HA table (README, "High availability").
    const replicas = this.replicas;
    const ha = env.sizing.highAvailability;
    const pdb = this.disruptionBudget ? { pdb: { enabled: true, minAvailable: 1 } } : {};

    const sensitiveValues: SensitiveValue[] = [];
    const secretValues: Record<string, unknown> = {};
    if (this.admin.enabled) {
      const variable = platform.sensitiveVariable(
        this.admin.variableName!,
        `Bcrypt hash of the Argo CD admin password (${env.name}); generate it with "argocd account bcrypt".`,
      );
      sensitiveValues.push({ path: 'configs.secret.argocdServerAdminPassword', variable });
      if (this.admin.passwordMtime) secretValues.argocdServerAdminPasswordMtime = this.admin.passwordMtime;
    }
    const url = this.url;
    // The monitoring module scrapes the components' metrics Services through
    // ServiceMonitors of its own; the chart creates those Services on request.
    const metrics = props.metrics ? { metrics: { enabled: true } } : {};

    this.installChart({
      sensitiveValues,
      egressPorts: [...(props.egressPorts ?? []), ...(props.notifications?.services ?? []).flatMap((s) => s.egressPorts)].filter((p) => p !== 443),
      values: {
        global: { domain: this.host },
        // Destroy: the chart's default, pinned: the CRDs outlive the release.
        crds: { keep: true },
        configs: {
          cm: {
            'admin.enabled': this.admin.enabled,
            'users.anonymous.enabled': false,
            'exec.enabled': false,
            ...(this.sso ? this.sso.configMapEntries() : {}),
          },
          // TLS ends at the ingress; the server speaks plain HTTP behind it.
          params: { 'server.insecure': true },
          rbac: this.rbac.toConfigMapData(),
          ...(Object.keys(secretValues).length > 0 ? { secret: secretValues } : {}),
        },
        controller: { replicas, resources: resources.controller, ...pdb, ...metrics },
        server: {
          replicas,
          resources: resources.server,
          ...pdb,
          ...metrics,
          ingress: {
            enabled: true,
            ingressClassName: ingressClassName,
            hostname: this.host,
            ...(ingress.annotations && Object.keys(ingress.annotations).length > 0 ? { annotations: { ...ingress.annotations } } : {}),
            // The chart's `tls: true` hard-codes argocd-server-tls; extraTls names the configured Secret.
            tls: false,
            extraTls: [{ hosts: [this.host], secretName: this.tlsSecretName }],
          },
        },
        repoServer: { replicas, resources: resources.repoServer, ...pdb, ...metrics },
        applicationSet: { replicas: this.replicasOf('standby', undefined, 'applicationSet.replicas'), resources: resources.applicationSet, ...metrics },
        notifications: props.notifications
          ? { ...props.notifications.chartValues(url), resources: resources.notifications, ...metrics }
          : { enabled: false },
        dex: { enabled: this.sso?.dexEnabled ?? false, resources: resources.dex },
        redis: { resources: resources.redis },
        'redis-ha': ha
          ? {
              enabled: true,
              redis: { resources: resources.redis },
              sentinel: { resources: resources.redis },
              haproxy: { resources: resources.redis },
            }
          : { enabled: false },
      },
      facts: argoCdChartFacts(this.releaseName, props.metrics ?? false, this.sso?.dexEnabled ?? false),
    });
    const argo = (component: string): { namespace: string; podLabels: Record<string, string> } => ({
      namespace: this.namespace,
      podLabels: { 'app.kubernetes.io/name': `argocd-${component}` },
    });
    const dns = { namespace: 'kube-system', podLabels: { 'k8s-app': 'kube-dns' } };
    const apiServer = { external: 'Kubernetes API server' };
    const git = { external: `Git (${env.gitops.repoUrl})` };
    for (const c of ['application-controller', 'repo-server', 'server', 'applicationset-controller']) {
      platform.requireFlow({ from: argo(c), to: dns, port: 53, protocol: 'UDP', why: `argocd-${c} resolves names` });
    }
    platform.requireFlow({ from: argo('repo-server'), to: git, port: 443, why: 'the repo server clones the GitOps repository' });
    platform.requireFlow({ from: argo('applicationset-controller'), to: git, port: 443, why: 'the ApplicationSet git generators read the repositories' });
    platform.requireFlow({ from: argo('application-controller'), to: apiServer, port: 443, why: 'the application controller applies and watches resources' });
    platform.requireFlow({ from: argo('server'), to: apiServer, port: 443, why: 'the API server of Argo CD reads applications' });
    for (const service of props.notifications?.services ?? []) {
      const { host, port } = service.endpoint;
      platform.requireFlow({ from: argo('notifications-controller'), to: { external: host }, port, why: `notifications are delivered to ${service.name}` });
    }
  }

  /** The URL of the Argo CD UI and API. */
  public get url(): string {
    return `https://${this.host}`;
  }
}

/**
 * What the argo-cd chart creates with the values above (the deploy model's
 * chart facts): service accounts, Secrets, CRDs and the metrics Services the
 * monitoring module's ServiceMonitors select.
 */
function argoCdChartFacts(release: string, metrics: boolean, dex: boolean): ChartFacts {
  const metricsService = (name: string, component: string, serviceName: string, port: number, exported: readonly string[]): ChartService => ({
    name,
    labels: { 'app.kubernetes.io/name': serviceName, 'app.kubernetes.io/component': component, 'app.kubernetes.io/instance': release },
    podLabels: { 'app.kubernetes.io/name': `argocd-${component}` },
    ports: [{ name: 'http-metrics', port }],
    metrics: exported,
  });
  return {
    serviceAccounts: [
      'argocd-application-controller', 'argocd-server', 'argocd-repo-server', 'argocd-applicationset-controller', 'argocd-notifications-controller',
      ...(dex ? ['argocd-dex-server'] : []),
    ],
    secrets: ['argocd-secret', 'argocd-redis'],
    crdKinds: ['argoproj.io/Application', 'argoproj.io/ApplicationSet', 'argoproj.io/AppProject'],
    services: [
      { name: 'argocd-server', podLabels: { 'app.kubernetes.io/name': 'argocd-server' }, ports: [{ name: 'http', port: 80, targetPort: 8080 }, { name: 'https', port: 443, targetPort: 8080 }] },
      { name: 'argocd-repo-server', podLabels: { 'app.kubernetes.io/name': 'argocd-repo-server' }, ports: [{ name: 'tcp-repo-server', port: 8081 }] },
      ...(metrics
        ? [
            metricsService('argocd-application-controller-metrics', 'application-controller', 'argocd-metrics', 8082, ['argocd_app_', 'argocd_cluster_', 'argocd_kubectl_']),
            metricsService('argocd-server-metrics', 'server', 'argocd-server-metrics', 8083, ['argocd_redis_']),
            metricsService('argocd-repo-server-metrics', 'repo-server', 'argocd-repo-server-metrics', 8084, ['argocd_git_']),
            metricsService('argocd-applicationset-controller-metrics', 'applicationset-controller', 'argocd-metrics', 8080, ['argocd_appset_']),
            metricsService('argocd-notifications-controller-metrics', 'notifications-controller', 'argocd-metrics', 9001, ['argocd_notifications_']),
          ]
        : []),
    ],
  };
}
