import { Construct } from 'constructs';
import { ConfigError } from '../platform/errors';
import { storeProducer } from '../platform/external-secrets/store-secret';
import { egressPortsOf } from '../platform/patterns';
import { Platform } from '../platform/platform';
import { ServiceAccountHandle } from '../platform/references';
import { AdminAccount } from './admin-account';
import { AppProject } from './app-project';
import { Application, IN_CLUSTER } from './application';
import { ApplicationSet } from './application-set';
import { ClusterRegistration } from './cluster';
import { ClusterBaseline } from './cluster-baseline';
import { ArgoCdExternalSecret, SecretStoreReference } from './external-secret';
import { ApplicationSetGenerator } from './generators';
import { IMAGE_UPDATES_LABEL, ImageUpdatePolicy, ImageUpdater, UpdateStrategy, WriteBack } from './image-updater';
import { ImageUpdaterInstall } from './image-updater-install';
import { ArgoCdInstall } from './install';
import { catalogueTemplates, catalogueTriggers } from './notification-catalogue';
import { NotificationService } from './notification-service';
import { NOTIFICATIONS_SECRET, NotificationsConfig } from './notifications';
import { RbacPolicy } from './rbac';
import { ApplicationSource } from './source';
import { DEFAULT_SYNC_OPTIONS, SyncPolicy } from './sync-policy';
import { Team } from './team';
import { credentialsPrefix, RepositoryCredentials } from './repository-credentials';
import { ArgoCdSettings } from './settings';
import { checkProps } from '../platform/config-boundary/props';

/** Label put on registered workload clusters; hub-spoke ApplicationSets select on it. */
export const CLUSTER_ROLE_LABEL = 'gitops.platform/cluster-role';

/** A field another controller manages in objects Argo CD syncs (`spec.ignoreDifferences[]`). */
export interface IgnoredDifference {
  /** The object's API group. */
  readonly group: string;
  /** The object's kind. */
  readonly kind: string;
  /** jq path expressions of the managed fields. */
  readonly jqPathExpressions: readonly string[];
}

/**
 * Options for {@link ArgoCd}: the environment's `argocd` settings, plus what
 * the other modules tell it (which `GitOpsStack` wires).
 */
export interface ArgoCdProps extends ArgoCdSettings {
  /** The environment's platform. @default - `Platform.of(scope)` */
  readonly platform?: Platform;
  /**
   * Ask the chart for the components' metrics Services, for a Prometheus
   * (the monitoring module's ServiceMonitors) to scrape.
   * @default false
   */
  readonly metrics?: boolean;
  /**
   * Another reconciler (Flux) owns the tree's `infrastructure/`, `policies/`
   * and `tenants/` sections: the root app syncs `apps/` only.
   * @default false - the root app syncs the environment's whole path
   */
  readonly appsOnly?: boolean;
  /**
   * cert-manager and its ClusterIssuers run in the cluster (Flux's add-ons):
   * an ingress annotated with a ClusterIssuer gets its TLS Secret from it.
   * @default false - the TLS Secret is a prerequisite (SECRETS.md)
   */
  readonly certManager?: boolean;
  /**
   * Fields other controllers manage in what the root app syncs (Argo Rollouts'
   * canary weights and subset labels, `Delivery.ignoreDifferences`): the root
   * app ignores them and syncs with `RespectIgnoreDifferences=true`.
   * @default - none
   */
  readonly ignoreDifferences?: readonly IgnoredDifference[];
}

/**
 * The Argo CD module of an environment, from `EnvironmentConfig.argocd`:
 * the install (HA, ingress, SSO, RBAC, notifications), the root
 * app-of-apps in the bootstrap chart, the `platform` project, the teams,
 * the registered workload clusters with a hub-spoke ApplicationSet, the
 * credentials as ExternalSecrets, and Image Updater.
 */
export class ArgoCd extends Construct {
  /** The controller install. */
  public readonly install: ArgoCdInstall;
  /** The root app-of-apps. */
  public readonly rootApplication: Application;
  /** The sync policy of platform applications in this environment. */
  public readonly syncPolicy: SyncPolicy;
  /** The notifications configuration. */
  public readonly notifications: NotificationsConfig;
  /** Every AppProject created (platform, then teams). */
  public readonly projects: readonly AppProject[];
  /** The teams. */
  public readonly teams: readonly Team[];
  /** The registered workload clusters. */
  public readonly clusters: readonly ClusterRegistration[];
  /** Every ApplicationSet created. */
  public readonly applicationSets: readonly ApplicationSet[];
  /** The baseline every workload cluster gets, when generated (there are clusters and no `workloadBaselinePath`). */
  public readonly baseline?: ClusterBaseline;
  /** Image Updater's install, when enabled. */
  public readonly imageUpdater?: ImageUpdaterInstall;
  /** The GitOps repository Secret Terraform creates, when `gitops.credentialsSecret` is set. */
  public readonly repositoryCredentials?: RepositoryCredentials;
  /**
   * The credential template (`repo-creds`) for the team repositories under the
   * GitOps repository's owner, when a team's repository is there.
   */
  public readonly credentialTemplate?: RepositoryCredentials;
  /**
   * Team repositories the platform gives Argo CD no credentials for (another
   * host or owner, or no `gitops.credentialsSecret`): public, or a prerequisite.
   */
  public readonly repositoriesWithoutCredentials: readonly string[];
  /** The ExternalSecrets that write Argo CD's credentials. */
  public readonly externalSecrets: readonly ArgoCdExternalSecret[];
  /** The service account that applies what Argo CD syncs (`Security.addGitOpsControllers`). */
  public readonly controllerAccounts: readonly ServiceAccountHandle[];
  /** The secret store its ExternalSecrets read from (the `secretStore` prop); undefined: the Secrets are prerequisites. */
  public readonly secretStore?: SecretStoreReference;

  constructor(scope: Construct, id: string, props: ArgoCdProps = {}) {
    super(scope, id);
    checkProps(this, 'ArgoCdProps', props);
    const platform = props.platform ?? Platform.of(this);
    const env = platform.environment;
    try {
      const settings: ArgoCdSettings = props;
      // The store the stack passes (the security module's) or the settings name;
      // without a store the credentials are prerequisites (SECRETS.md).
      const store = this.secretStore = settings.secretStore;
      this.syncPolicy = SyncPolicy.fromDefaults(env.syncPolicy);

      const services = settings.notifications?.services ?? [NotificationService.slack()];
      this.notifications = new NotificationsConfig({
        services,
        templates: catalogueTemplates(services),
        triggers: catalogueTriggers(),
        subscriptions: settings.notifications?.subscriptions ?? [],
      });

      this.install = new ArgoCdInstall(this, 'Install', {
        platform,
        values: settings.values,
        metrics: props.metrics ?? false,
        ingress: settings.ingress,
        admin: settings.admin ?? AdminAccount.disabled(),
        sso: settings.sso,
        // By default authenticated users read, nothing more: roles and group
        // bindings name the organization's identity provider, so they are the environment's.
        rbac: settings.rbac ?? RbacPolicy.readOnly(),
        notifications: this.notifications,
        resources: settings.resources,
        // Git hosts and workload clusters on other ports than 443.
        egressPorts: egressPortsOf([
          env.gitops.repoUrl,
          ...(settings.teams ?? []).map((t) => t.repoUrl),
          ...(settings.clusters ?? []).map((c) => c.server),
        ]),
      });
      const namespace = this.install.namespace;
      this.controllerAccounts = [{ namespace, name: 'argocd-application-controller' }];
      // cert-manager and the ClusterIssuers come with Flux; without it the TLS Secret is a prerequisite.
      const issuer = props.certManager ? settings.ingress?.annotations?.['cert-manager.io/cluster-issuer'] : undefined;
      platform.secrets.require({
        namespace,
        name: this.install.tlsSecretName,
        keys: ['tls.crt', 'tls.key'],
        type: 'kubernetes.io/tls',
        readBy: `the Argo CD server ingress (${this.install.url})`,
        producedBy: issuer ? `cert-manager (ClusterIssuer \`${issuer}\`, ingress annotation)` : undefined,
      });

      // The GitOps repository's credentials, before Argo CD reads it.
      // Team repositories under the same owner (https://host/owner/) share a
      // credential template; others need credentials of their own (README).
      const teamRepos = [...new Set((settings.teams ?? []).map((t) => t.repoUrl))].filter((u) => u !== env.gitops.repoUrl).sort();
      const prefix = credentialsPrefix(env.gitops.repoUrl);
      const covered = env.gitops.credentialsSecret && prefix ? teamRepos.filter((u) => u.startsWith(prefix)) : [];
      this.repositoriesWithoutCredentials = teamRepos.filter((u) => !covered.includes(u));
      if (env.gitops.credentialsSecret) {
        this.repositoryCredentials = new RepositoryCredentials(this, 'RepositoryCredentials', {
          platform,
          namespace,
          secretName: env.gitops.credentialsSecret,
          repoUrl: env.gitops.repoUrl,
          revision: env.gitops.credentialsRevision,
        });
        platform.addBootstrapDependency(this.repositoryCredentials.secret);
        if (covered.length > 0 && prefix) {
          this.credentialTemplate = new RepositoryCredentials(this, 'CredentialTemplate', {
            platform,
            namespace,
            secretName: `${env.gitops.credentialsSecret}-template`,
            repoUrl: prefix,
            secretType: 'repo-creds',
            revision: env.gitops.credentialsRevision,
          });
          platform.addBootstrapDependency(this.credentialTemplate.secret);
        }
      }

      // Credentials: ExternalSecrets synced by Argo CD itself, never Secrets with data.
      const secretsChart = platform.tree.chart('apps', 'argocd-secrets');
      const record = (name: string, keys: readonly string[], readBy: string, remoteKey: string): void =>
        platform.secrets.require({
          namespace,
          name,
          keys,
          readBy,
          remoteKey,
          producedBy: store ? storeProducer(store, remoteKey) : undefined,
        });
      const externalSecrets: ArgoCdExternalSecret[] = [];
      const notificationsKey = settings.notifications?.remoteKey ?? 'argocd/notifications';
      if (this.notifications.secretKeys.length > 0) {
        record(NOTIFICATIONS_SECRET, this.notifications.secretKeys, `argocd-notifications-controller (${namespace})`, notificationsKey);
        if (store) {
          externalSecrets.push(
            new ArgoCdExternalSecret(secretsChart, 'NotificationsSecret', {
              secretName: NOTIFICATIONS_SECRET,
              namespace,
              store,
              data: this.notifications.secretKeys.map((key) => ({ secretKey: key, remoteKey: notificationsKey, property: key })),
            }),
          );
        }
      }
      const ssoSecrets = new Map<string, string[]>();
      for (const ref of settings.sso?.secretReferences ?? []) {
        ssoSecrets.set(ref.secretName, [...new Set([...(ssoSecrets.get(ref.secretName) ?? []), ref.key])]);
      }
      for (const [secretName, keys] of [...ssoSecrets.entries()].sort()) {
        record(secretName, keys, `argocd-server SSO (${namespace}/argocd-cm)`, `argocd/${secretName}`);
        if (!store) continue;
        externalSecrets.push(
          new ArgoCdExternalSecret(secretsChart, `SsoSecret-${secretName}`, {
            secretName,
            namespace,
            store,
            data: keys.map((key) => ({ secretKey: key, remoteKey: `argocd/${secretName}`, property: key })),
          }),
        );
      }

      // Hub-spoke: workload clusters registered from the secret store.
      const clustersChart = platform.tree.chart('apps', 'argocd-clusters');
      this.clusters = (settings.clusters ?? []).map(
        (c) =>
          new ClusterRegistration(clustersChart, `Cluster-${c.name}`, {
            name: c.name,
            server: c.server,
            namespace,
            labels: { ...(c.labels ?? {}), environment: env.name, [CLUSTER_ROLE_LABEL]: 'workload' },
            credentials: store ? { store, remoteKey: c.remoteKey ?? `clusters/${c.name}` } : undefined,
          }),
      );
      for (const c of settings.clusters ?? []) {
        record(c.name, ['config', 'name', 'server'], `Argo CD cluster registration (${c.server})`, c.remoteKey ?? `clusters/${c.name}`);
      }
      externalSecrets.push(...this.clusters.flatMap((c) => (c.externalSecret ? [c.externalSecret] : [])));
      this.externalSecrets = externalSecrets;

      const projectsChart = platform.tree.chart('apps', 'argocd-projects');
      const platformProject = new AppProject(projectsChart, 'PlatformProject', {
        name: 'platform',
        namespace,
        description: `Platform applications of the ${env.name} environment, synced from ${platform.repoPath}.`,
        sourceRepos: [env.gitops.repoUrl],
        destinations: [
          { server: IN_CLUSTER, namespace: '*' },
          ...this.clusters.map((c) => ({ server: c.server, namespace: '*' })),
        ],
        clusterResourceWhitelist: [{ group: '*', kind: '*' }],
      });

      const imageUpdaterSettings = settings.imageUpdater ?? {};
      const teamPolicy = (constraint: string | undefined, registry: string | undefined, i: number): ImageUpdatePolicy | undefined => {
        if (constraint === undefined) return undefined;
        if (registry === undefined) {
          throw new ConfigError(
            `Environment "${env.name}"`,
            `argocd.teams[${i}].imageRegistry`,
            registry,
            'Image updates (imageConstraint) watch the team\'s images: give the registry prefix they are pushed to (the image is <prefix>/<app>), or leave imageConstraint out.',
          );
        }
        return new ImageUpdatePolicy({
          images: [{ alias: 'app', image: `${registry}/{{path.basename}}`, constraint, strategy: UpdateStrategy.semver() }],
          writeBack: WriteBack.git({ branch: imageUpdaterSettings.writeBackBranch }),
        });
      };
      this.teams = (settings.teams ?? []).map(
        (t, i) =>
          new Team(this, `Team-${t.name}`, {
            name: t.name,
            appsScope: platform.tree.chart('apps', `argocd-team-${t.name}`),
            namespacesScope: platform.tree.chart('tenants', `argocd-team-${t.name}`),
            repoUrl: t.repoUrl,
            revision: env.gitops.revision,
            appsPath: t.appsPath,
            namespaces: t.namespaces,
            developerGroups: t.developerGroups,
            adminGroups: t.adminGroups,
            argocdNamespace: namespace,
            syncPolicy: this.syncPolicy,
            imageUpdates: imageUpdaterSettings.enabled === false ? undefined : teamPolicy(t.imageConstraint, t.imageRegistry, i),
          }),
      );
      this.projects = [platformProject, ...this.teams.map((t) => t.project)];
      // Every project the RBAC policy grants exists (Argo CD creates `default` itself).
      this.install.rbac.checkProjects(`Environment "${env.name}": argocd`, ['default', ...this.projects.map((p) => p.name)]);

      const applicationSets: ApplicationSet[] = this.teams.map((t) => t.applicationSet);
      if (this.clusters.length > 0) {
        // What every workload cluster gets: the generated baseline, or the repository's own.
        this.baseline = settings.workloadBaselinePath === undefined ? new ClusterBaseline({ platform, namespaces: settings.workloadNamespaces }) : undefined;
        const baselinePath = this.baseline?.repoPath ?? settings.workloadBaselinePath!;
        applicationSets.push(
          new ApplicationSet(platform.tree.chart('apps', 'argocd-applicationsets'), 'WorkloadBaseline', {
            name: 'workload-baseline',
            namespace,
            generators: [
              ApplicationSetGenerator.clusters({
                selector: { matchLabels: { [CLUSTER_ROLE_LABEL]: 'workload', environment: env.name } },
              }),
            ],
            template: {
              name: 'baseline-{{name}}',
              project: 'platform',
              source: ApplicationSource.git({
                repoUrl: env.gitops.repoUrl,
                targetRevision: env.gitops.revision,
                path: baselinePath,
              }),
              destination: { server: '{{server}}', namespace: 'kube-system' },
              syncPolicy: this.syncPolicy,
              labels: { [CLUSTER_ROLE_LABEL]: 'workload' },
            },
          }),
        );
      }
      this.applicationSets = applicationSets;

      if (imageUpdaterSettings.enabled !== false) {
        this.imageUpdater = new ImageUpdaterInstall(this, 'ImageUpdater', {
          values: imageUpdaterSettings.values,
          platform,
          namespace,
          resources: imageUpdaterSettings.resources,
          dependsOn: [this.install.install],
        });
        new ImageUpdater(platform.tree.chart('apps', 'argocd-image-updater'), 'ImageUpdater', {
          name: 'platform-image-updates',
          namespace,
          applications: [{ namePattern: '*', matchLabels: { [IMAGE_UPDATES_LABEL]: 'enabled' } }],
        });
      }

      // With Flux on, Flux owns infrastructure/, policies/ and tenants/; Argo CD owns apps/.
      const path = props.appsOnly ? `${platform.repoPath}/apps` : platform.repoPath;
      // Argo Rollouts moves the canary weights and subset labels of the Istio
      // objects in apps/ while a rollout runs: the root app must not revert them.
      const ignored = props.ignoreDifferences ?? [];
      const rollouts = ignored.length > 0;
      this.rootApplication = new Application(platform.tree.bootstrapChart('argocd-root'), 'Root', {
        name: `${env.name}-root`,
        namespace,
        project: 'default',
        source: ApplicationSource.git({ repoUrl: env.gitops.repoUrl, targetRevision: env.gitops.revision, path }),
        destination: { server: IN_CLUSTER, namespace },
        syncPolicy: rollouts
          ? SyncPolicy.fromDefaults(env.syncPolicy, [...DEFAULT_SYNC_OPTIONS, 'RespectIgnoreDifferences=true'])
          : this.syncPolicy,
        ...(rollouts
          ? { ignoreDifferences: ignored.map((d) => ({ group: d.group, kind: d.kind, jqPathExpressions: [...d.jqPathExpressions] })) }
          : {}),
        labels: { 'app.kubernetes.io/component': 'app-of-apps' },
      });

      this.addStatus(platform, path, store);
    } catch (error) {
      // Objects of the GitOps tree live in cdk8s charts, whose paths do not name the environment.
      if (error instanceof ConfigError && !error.message.startsWith('Environment "') && !error.message.startsWith(this.node.path)) {
        error.message = `Environment "${env.name}": argocd settings: ${error.message}`;
      }
      throw error;
    }
  }

  private addStatus(platform: Platform, rootPath: string, store: SecretStoreReference | undefined): void {
    const env = platform.environment;
    const install = this.install;
    platform.status.set('gitops_patterns_status', 'argocd', {
      ...install.install.describe(),
      app_of_apps: {
        name: this.rootApplication.name,
        path: rootPath,
        automated: this.syncPolicy.isAutomated,
        prune: this.syncPolicy.prunes,
        self_heal: this.syncPolicy.selfHeals,
      },
      high_availability: env.sizing.highAvailability,
      replicas: env.sizing.controllerReplicas,
      url: install.url,
      application_sets: this.applicationSets.map((a) => a.name),
      notifications: {
        services: this.notifications.services.map((s) => s.name),
        triggers: this.notifications.triggers.map((t) => t.name),
        subscriptions: this.notifications.subscriptionValues(),
      },
      image_updater: this.imageUpdater ? this.imageUpdater.install.describe() : null,
    });
    platform.status.set('enterprise_gitops_status', 'argocd', {
      projects: this.projects.map((p) => p.name),
      teams: this.teams.map((t) => ({ name: t.name, project: t.project.name, namespaces: t.namespaces, application_set: t.applicationSet.name })),
      rbac_roles: install.rbac.roleNames,
      rbac_group_bindings: install.rbac.bindings.length,
      sso: install.sso ? { type: install.sso.type, provider: install.sso.provider } : null,
    });
    platform.status.set('multi_environment_status', 'argocd', {
      clusters_registered: this.clusters.length,
      clusters: this.clusters.map((c) => ({ name: c.name, server: c.server, labels: c.labels })),
      hub: { name: platform.clusterName, server: IN_CLUSTER },
    });
    platform.status.set('gitops_security_status', 'argocd', {
      admin_enabled: install.admin.enabled,
      admin_password_variable: install.admin.variableName ?? null,
      sso: install.sso ? install.sso.type : 'none',
      rbac_default_policy: install.rbac.defaultRole !== undefined ? `role:${install.rbac.defaultRole}` : '',
      rbac_scopes: [...install.rbac.scopes],
      secret_store: store ? { name: store.name, kind: store.kind ?? 'ClusterSecretStore' } : null,
      credentials_from_secret_store: this.externalSecrets.map((s) => s.secretName),
      repository_credentials: {
        repository: this.repositoryCredentials ? { secret: this.repositoryCredentials.secretName, url: this.repositoryCredentials.repoUrl } : null,
        template: this.credentialTemplate ? { secret: this.credentialTemplate.secretName, url_prefix: this.credentialTemplate.repoUrl } : null,
        without_credentials: [...this.repositoriesWithoutCredentials],
      },
      ingress_tls_secret: install.tlsSecretName,
    });
  }
}
