import { SecretV1 } from '@cdktf/provider-kubernetes/lib/secret-v1';
import { Construct } from 'constructs';
import { PlatformEnvironment } from '../platform/environment';
import { ConfigError } from '../platform/errors';
import { TreeSection } from '../platform/gitops-tree';
import { Platform } from '../platform/platform';
import { ServiceAccountHandle } from '../platform/references';
import { egressPortsOf } from '../platform/patterns';
import { Alert, FluxEventSource } from './alert';
import { lockdownCheck, sectionPathCheck } from './checks';
import { HelmRelease, HelmReleaseChart } from './helm-release';
import { HelmRepository } from './helm-repository';
import { ImagePolicy, ImagePolicyRule } from './image-policy';
import { ImageRepository } from './image-repository';
import { ImageUpdateAutomation } from './image-update-automation';
import { FluxInstall } from './install';
import { Decryption, Kustomization } from './kustomization';
import { Provider, ProviderType } from './notification-provider';
import { Receiver, ReceiverType } from './receiver';
import { FluxSettings } from './settings';
import { GitRef } from './source';
import { FluxSync } from './sync';
import { FluxTenant } from './tenant';
import { checkDuration, checkNamespace } from './validation';
import { FluxWorkload } from './workload';
import { isExactSemver, semverRangeProblem } from './semver';
import { acmeClusterIssuer } from './cluster-issuer';
import { ManifestDirectory } from './manifest-directory';
import { storeSecret } from '../platform/external-secrets/store-secret';
import { SecretStoreHandle } from '../platform/secrets';
import { tenantReconcilerRules } from '../platform/namespace-security';
import { checkProps } from '../platform/config-boundary/props';

/** The sections of the GitOps tree Flux reconciles, in order (Argo CD syncs `apps`). */
export const FLUX_SECTIONS: readonly TreeSection[] = ['infrastructure', 'policies', 'tenants'];

/** The module's default intervals. */
export const DEFAULT_FLUX_INTERVALS = { source: '1m', kustomization: '10m', helmRelease: '30m', image: '5m' } as const;

/** The default image automation commit author. */
export const DEFAULT_FLUX_AUTHOR = { name: 'fluxcdbot', email: 'fluxcdbot@users.noreply.github.com' } as const;

/**
 * Options for {@link Flux}: the environment's `flux` settings, plus what the
 * other modules tell it (which `GitOpsStack` wires).
 */
export interface FluxProps extends FluxSettings {
  /** The environment's platform. @default - `Platform.of(scope)` */
  readonly platform?: Platform;
  /**
   * Another module (security) isolates flux-system with NetworkPolicies of
   * its own: the chart's policies stay off (`networkPolicies: true` is an error).
   * @default false
   */
  readonly isolated?: boolean;
  /**
   * The secret store the infrastructure's and the tenants' Secrets come from (the security module's
   * `defaultStore`, or a store of your own).
   * @default - none: the Secrets it reads are prerequisites (SECRETS.md)
   */
  readonly secretStore?: SecretStoreHandle;
}

/**
 * The Flux module of an environment, from `EnvironmentConfig.flux`:
 *
 * - the `flux2` chart (Terraform `helm_release`), with the lockdown, network
 *   policies and controller resources of the environment;
 * - the sync objects in the bootstrap chart (`flux-sync`): the GitRepository
 *   `flux-system` of the environment's repository and revision, and the
 *   Kustomizations `infrastructure` → `policies` → `tenants` over the tree;
 * - in `infrastructure/`: the chart repository and add-on HelmReleases,
 *   notifications, the webhook receiver, image automation and the platform
 *   workloads' Kustomizations;
 * - in `tenants/`: one {@link FluxTenant} per team;
 * - its part of the five status outputs.
 */
export class Flux extends Construct {
  /** The controller install. */
  public readonly install: FluxInstall;
  /** The sync objects. */
  public readonly sync: FluxSync;
  /** The Terraform-managed credentials Secret, when `gitCredentials` is `terraform-variable`. */
  public readonly gitCredentials?: SecretV1;
  /** The chart repository of the add-ons, if any. */
  public readonly chartRepository?: HelmRepository;
  /** The add-on HelmReleases. */
  public readonly helmReleases: readonly HelmRelease[];
  /** The tenants. */
  public readonly tenants: readonly FluxTenant[];
  /** The platform workloads. */
  public readonly workloads: readonly FluxWorkload[];
  /** The ImageRepositories. */
  public readonly imageRepositories: readonly ImageRepository[];
  /** The ImagePolicies. */
  public readonly imagePolicies: readonly ImagePolicy[];
  /** The ImageUpdateAutomation, when image automation is on. */
  public readonly imageUpdateAutomation?: ImageUpdateAutomation;
  /** The notification Providers. */
  public readonly providers: readonly Provider[];
  /** The Alerts. */
  public readonly alerts: readonly Alert[];
  /** The webhook Receiver, if any. */
  public readonly receiver?: Receiver;
  /** The Kustomization applying the cert-manager ClusterIssuers after infrastructure, if any. */
  public readonly clusterIssuers?: Kustomization;
  /** The service accounts of the controllers that apply what Flux syncs (`Security.addGitOpsControllers`). */
  public readonly controllerAccounts: readonly ServiceAccountHandle[];
  /** The secret store its ExternalSecrets read from (the `secretStore` prop); undefined: the Secrets are prerequisites. */
  public readonly secretStore?: SecretStoreHandle;

  constructor(scope: Construct, id: string, props: FluxProps = {}) {
    super(scope, id);
    checkProps(this, 'FluxProps', props);
    const platform = props.platform ?? Platform.of(this);
    const env = platform.environment;
    const settings: FluxSettings = props;
    const where = `Environment "${env.name}"`;
    const intervals = {
      source: checkDuration(where, 'flux.intervals.source', settings.intervals?.source ?? DEFAULT_FLUX_INTERVALS.source),
      kustomization: checkDuration(where, 'flux.intervals.kustomization', settings.intervals?.kustomization ?? DEFAULT_FLUX_INTERVALS.kustomization),
      helmRelease: checkDuration(where, 'flux.intervals.helmRelease', settings.intervals?.helmRelease ?? DEFAULT_FLUX_INTERVALS.helmRelease),
      image: checkDuration(where, 'flux.intervals.image', settings.intervals?.image ?? DEFAULT_FLUX_INTERVALS.image),
    };
    validateSettings(where, env, settings);

    // Controllers.
    const imageAutomation = settings.imageAutomation;
    this.install = new FluxInstall(this, 'Install', {
      platform,
      values: settings.values,
      isolated: props.isolated ?? false,
      imageAutomation: imageAutomation !== undefined,
      multiTenancyLockdown: settings.multiTenancyLockdown,
      networkPolicies: settings.networkPolicies,
      watchAllNamespaces: settings.watchAllNamespaces,
      resources: settings.resources,
      logLevel: settings.logLevel,
      webhookReceiverHost: settings.webhookReceiver ? (settings.webhookReceiver.host ?? `flux-webhook.${platform.domainFor('The Flux webhook receiver\'s ingress host (flux-webhook.<domain>)', 'flux.webhookReceiver.host')}`) : undefined,
      egressPorts: egressPortsOf([
        env.gitops.repoUrl,
        ...(settings.chartRepository ? [settings.chartRepository.url] : []),
        ...(settings.tenants ?? []).map((t) => t.repoUrl),
      ]),
      webhookReceiverClusterIssuer: settings.webhookReceiver?.clusterIssuer,
      webhookReceiverIngressClassName: settings.webhookReceiver?.ingressClassName,
    });
    this.controllerAccounts = ['source-controller', 'kustomize-controller', 'helm-controller'].map((name) => ({ namespace: this.install.namespace, name }));
    const kustomizeAccount = this.install.reconcilerFor('Kustomization');
    const helmAccount = this.install.reconcilerFor('HelmRelease');

    // Repository credentials.
    const credentialsSecret = env.gitops.credentialsSecret;
    if (settings.gitCredentials === 'terraform-variable') {
      const token = platform.repositoryToken();
      this.gitCredentials = new SecretV1(this, 'GitCredentials', {
        metadata: {
          name: credentialsSecret ?? '',
          namespace: this.install.namespace,
          labels: { 'app.kubernetes.io/managed-by': 'terraform', 'app.kubernetes.io/part-of': 'gitops-platform' },
        },
        type: 'Opaque',
        // Write-only: the token never lands in the Terraform state. Bump the revision to rotate it.
        dataWo: { username: 'git', password: token.stringValue },
        dataWoRevision: env.gitops.credentialsRevision ?? 1,
        dependsOn: [platform.namespace(this.install.namespace)],
      });
      platform.addBootstrapDependency(this.gitCredentials);
    }
    if (credentialsSecret) {
      // The sync source must read the repository before anything is synced from it:
      // Terraform creates the Secret, or it exists before the deploy.
      platform.secrets.require({
        namespace: this.install.namespace,
        name: credentialsSecret,
        keys: ['password', 'username'],
        readBy: 'GitRepository flux-system/flux-system',
        producedBy: this.gitCredentials ? 'Terraform (`kubernetes_secret_v1`, write-only token from a sensitive variable)' : undefined,
      });
    }

    // Sync objects, installed by Terraform through the bootstrap chart.
    for (const section of settings.sopsSections ?? []) {
      if (!settings.sopsKeySecret || !FLUX_SECTIONS.includes(section)) {
        throw new ConfigError(where, 'flux.sopsSections', settings.sopsSections, settings.sopsKeySecret
          ? `List synced sections (${FLUX_SECTIONS.join(', ')}).`
          : 'Set flux.sopsKeySecret (the Secret with the age key) first.');
      }
    }
    const ref = GitRef.fromRevision(env.gitops.revision);
    this.sync = new FluxSync(platform.tree.bootstrapChart('flux-sync'), 'Sync', {
      url: env.gitops.repoUrl,
      ref,
      secretRef: credentialsSecret,
      namespace: this.install.namespace,
      sourceInterval: intervals.source,
      stages: FLUX_SECTIONS.map((section) => ({
        name: section,
        path: `${platform.repoPath}/${section}`,
        decrypt: settings.sopsSections === undefined || settings.sopsSections.includes(section),
      })),
      interval: intervals.kustomization,
      prune: env.syncPolicy.prune,
      // Destroy: the objects go (and are waited for) before the Flux controllers.
      deletionPolicy: settings.deletionPolicy ?? 'WaitForTermination',
      wait: true,
      timeout: '5m',
      retryInterval: env.syncPolicy.retry.backoffMaxDuration,
      serviceAccountName: kustomizeAccount,
      decryption: settings.sopsKeySecret ? Decryption.sops({ keySecret: settings.sopsKeySecret }) : undefined,
      // Manual sync (a standby holding its tree until promotion): nothing reconciles until `flux resume`.
      suspend: !env.syncPolicy.automated,
    });
    // Every synced section exists in Git even before it has objects: a
    // Kustomization never points at a missing path (see the README).
    const marked = new Set<string>();
    this.sync.kustomizations.forEach((k, index) => {
      const previous = this.sync.kustomizations[index - 1];
      platform.tree.addFile(
        `${k.name}/README.md`,
        `# ${k.name}\n\nReconciled by the Flux Kustomization \`${k.key}\`` +
          (previous ? ` after \`${previous.key}\`` : '') +
          ` from \`${k.path}\` (${ref.description} of ${env.gitops.repoUrl}).\n` +
          'Generated by gitops-platform-cdktf; edit the constructs, not these files.\n',
      );
      marked.add(k.name);
    });
    if (this.install.multiTenancyLockdown) platform.addManifestCheck(lockdownCheck(this.install.namespace));
    platform.addManifestCheck(sectionPathCheck(platform.repoPath, () => marked));

    this.secretStore = props.secretStore;
    const infrastructure = (name: string) => platform.tree.chart('infrastructure', name);
    // Every Secret the infrastructure objects read, from the environment's store
    // (an ExternalSecret in the same Kustomization), or a prerequisite.
    const fluxSecret = (name: string, keys: readonly string[], readBy: string, type?: string) =>
      storeSecret(platform, infrastructure('flux-secrets'), `Secret-${name}`, {
        name,
        namespace: this.install.namespace,
        keys,
        readBy,
        type,
        remoteKey: `flux/${name}`,
        store: this.secretStore,
      });

    // Add-ons from the chart repository.
    const releases: HelmRelease[] = [];
    if (settings.chartRepository) {
      const chartRepository = new HelmRepository(infrastructure('flux-sources'), 'ChartRepository', {
        name: 'platform-charts',
        namespace: this.install.namespace,
        url: settings.chartRepository.url,
        interval: settings.chartRepository.url.startsWith('oci://') ? undefined : '1h',
        secretRef: settings.chartRepository.secretRef,
      });
      this.chartRepository = chartRepository;
      if (settings.chartRepository.secretRef) {
        fluxSecret(settings.chartRepository.secretRef, ['password', 'username'], `HelmRepository ${this.install.namespace}/platform-charts`);
      }
      const byName = new Map<string, HelmRelease>();
      for (const addon of settings.addons ?? []) {
        const release = new HelmRelease(infrastructure('flux-addons'), `Addon-${addon.name}`, {
          name: addon.name,
          namespace: this.install.namespace,
          chart: HelmReleaseChart.fromSource(chartRepository, addon.chart, { version: addon.version }),
          interval: intervals.helmRelease,
          releaseName: addon.name,
          targetNamespace: addon.namespace,
          storageNamespace: addon.namespace,
          serviceAccountName: helmAccount,
          values: addon.values,
          install: { createNamespace: true, remediationRetries: 3, crds: 'CreateReplace' },
          upgrade: { remediationRetries: 3, remediateLastFailure: true, cleanupOnFail: true, crds: 'CreateReplace' },
          rollback: { cleanupOnFail: true },
          dependsOn: (addon.dependsOn ?? []).map((name) => {
            const dependency = byName.get(name);
            if (!dependency) {
              throw new ConfigError(where, `flux.addons.${addon.name}.dependsOn`, name, `List the add-on "${name}" before "${addon.name}" (add-ons can only depend on earlier ones).`);
            }
            return dependency;
          }),
          driftDetection: 'enabled',
        });
        byName.set(addon.name, release);
        releases.push(release);
      }
    }
    this.helmReleases = releases;

    // cert-manager ClusterIssuers: their CRD comes with the cert-manager add-on, so
    // they are applied by their own Kustomization once infrastructure is ready.
    const issuers = settings.clusterIssuers ?? [];
    if (issuers.length > 0) {
      const issuerDirectory = new ManifestDirectory(this, 'ClusterIssuers', {
        platform,
        directory: 'cluster-config/cert-manager',
        documents: issuers.map((issuer, i) => acmeClusterIssuer(`${where}: flux.clusterIssuers[${i}]`, issuer, {})),
      });
      this.clusterIssuers = new Kustomization(platform.tree.bootstrapChart('flux-sync'), 'ClusterIssuers', {
        name: 'cluster-issuers',
        namespace: this.install.namespace,
        source: this.sync.gitRepository,
        path: issuerDirectory.repoPath,
        interval: intervals.kustomization,
        retryInterval: env.syncPolicy.retry.backoffMaxDuration,
        prune: env.syncPolicy.prune,
        // Like the sections: on destroy the issuers go before the controllers.
        deletionPolicy: settings.deletionPolicy ?? 'WaitForTermination',
        wait: true,
        timeout: '5m',
        dependsOn: [this.sync.stage('infrastructure')],
        serviceAccountName: kustomizeAccount,
        ...(this.sync.suspended ? { suspend: true } : {}),
      });
    }
    if (settings.webhookReceiver) {
      const issuer = settings.webhookReceiver.clusterIssuer;
      platform.secrets.require({
        namespace: this.install.namespace,
        name: 'flux-webhook-tls',
        keys: ['tls.crt', 'tls.key'],
        type: 'kubernetes.io/tls',
        readBy: 'the webhook receiver ingress (ingress controller)',
        producedBy: issuer ? `cert-manager (ClusterIssuer \`${issuer}\`, ingress annotation)` : undefined,
      });
    }

    // Image automation and workloads.
    const repositories: ImageRepository[] = [];
    const policies: ImagePolicy[] = [];
    const workloads: FluxWorkload[] = [];
    for (const workload of settings.workloads ?? []) {
      let policy: ImagePolicy | undefined;
      if (imageAutomation) {
        const chart = infrastructure('flux-image-automation');
        const repository = new ImageRepository(chart, `ImageRepository-${workload.name}`, {
          name: workload.name,
          namespace: this.install.namespace,
          image: workload.image,
          interval: intervals.image,
          secretRef: imageAutomation.registrySecret,
        });
        const range = workload.semverRange ?? majorRange(where, workload.name, workload.tag, imageAutomation.preReleases ?? false);
        policy = new ImagePolicy(chart, `ImagePolicy-${workload.name}`, {
          name: workload.name,
          namespace: this.install.namespace,
          imageRepository: repository,
          policy: workloadPolicy(where, workload.name, range),
        });
        repositories.push(repository);
        policies.push(policy);
      }
      workloads.push(
        new FluxWorkload(this, `Workload-${workload.name}`, {
          platform,
          name: workload.name,
          image: workload.image,
          tag: workload.tag,
          port: workload.port,
          replicas: workload.replicas,
          resources: workload.resources,
          imagePolicy: policy,
          source: this.sync.gitRepository,
          interval: intervals.kustomization,
          prune: env.syncPolicy.prune,
          serviceAccountName: kustomizeAccount,
          kustomizationScope: infrastructure('flux-workloads'),
          imagePullSecret: workload.imagePullSecret,
          secretStore: this.secretStore,
        }),
      );
    }
    this.workloads = workloads;
    this.imageRepositories = repositories;
    if (imageAutomation?.registrySecret && repositories.length > 0) {
      fluxSecret(
        imageAutomation.registrySecret,
        ['.dockerconfigjson'],
        repositories.map((r) => `ImageRepository ${this.install.namespace}/${r.name}`).join(', '),
        'kubernetes.io/dockerconfigjson',
      );
    }
    this.imagePolicies = policies;
    if (imageAutomation && workloads.length > 0) {
      const author = imageAutomation.author ?? DEFAULT_FLUX_AUTHOR;
      this.imageUpdateAutomation = new ImageUpdateAutomation(infrastructure('flux-image-automation'), 'ImageUpdateAutomation', {
        name: 'platform-workloads',
        namespace: this.install.namespace,
        source: this.sync.gitRepository,
        interval: intervals.image,
        checkout: ref,
        commit: {
          authorName: author.name,
          authorEmail: author.email,
          messageTemplate:
            `chore(${env.name}): update images [automation {{ .AutomationObject.Name }}]\n\n` +
            '{{ range .Changed.Changes }}- {{ .OldValue }} -> {{ .NewValue }}\n{{ end }}',
        },
        push: { branch: imageAutomation.pushBranch ?? env.gitops.revision },
        updatePath: `${platform.repoPath}/workloads`,
      });
    }

    // Notifications (every address and token in a Secret).
    const providers: Provider[] = [];
    const alerts: Alert[] = [];
    const notifications = settings.notifications;
    if (notifications) {
      const chart = infrastructure('flux-notifications');
      const platformSources: FluxEventSource[] = [
        { kind: 'Kustomization', name: '*' },
        { kind: 'HelmRelease', name: '*' },
        { kind: 'GitRepository', name: '*' },
        { kind: 'HelmRepository', name: '*' },
        ...(imageAutomation ? ([{ kind: 'ImageUpdateAutomation', name: '*' }] as const) : []),
      ];
      const metadata = { environment: env.name, cluster: platform.clusterName };
      const add = (name: string, type: ProviderType, secretRef: string, severity: 'info' | 'error', sources: readonly FluxEventSource[]) => {
        const provider = new Provider(chart, `Provider-${name}`, { name, namespace: this.install.namespace, type, secretRef });
        providers.push(provider);
        // Chat and webhook providers read the URL from `address`; commit-status providers a `token`.
        fluxSecret(secretRef, [type.isCommitStatus ? 'token' : 'address'], `Provider ${this.install.namespace}/${name}`);
        alerts.push(
          new Alert(chart, `Alert-${name}`, {
            name,
            namespace: this.install.namespace,
            provider,
            eventSources: sources,
            eventSeverity: severity,
            eventMetadata: type.isCommitStatus ? undefined : metadata,
          }),
        );
      };
      if (notifications.slackChannel !== undefined) {
        add('slack', ProviderType.slack({ channel: notifications.slackChannel }), 'flux-slack-webhook', notifications.chatSeverity ?? 'error', platformSources);
      }
      if (notifications.msteams) {
        add('msteams', ProviderType.msteams(), 'flux-msteams-webhook', 'error', platformSources);
      }
      if (notifications.auditWebhook) {
        add('audit-webhook', ProviderType.genericWebhook(), 'flux-audit-webhook', 'info', [
          ...platformSources,
          ...(imageAutomation ? ([{ kind: 'ImagePolicy', name: '*' }] as const) : []),
        ]);
      }
      if (notifications.githubCommitStatus) {
        add('github-status', ProviderType.githubCommitStatus(env.gitops.repoUrl), 'flux-github-token', 'info', [{ kind: 'Kustomization', name: '*' }]);
      }
    }
    this.providers = providers;
    this.alerts = alerts;
    if (settings.webhookReceiver) {
      this.receiver = new Receiver(infrastructure('flux-notifications'), 'Receiver', {
        name: 'gitops-repository',
        namespace: this.install.namespace,
        type: ReceiverType.github(),
        secretRef: 'flux-webhook-token',
        resources: [{ kind: 'GitRepository', name: this.sync.gitRepository.name }],
      });
      fluxSecret('flux-webhook-token', ['token'], `Receiver ${this.install.namespace}/${this.receiver.name}`);
    }

    // Tenants, after infrastructure (as in the seeds).
    const infrastructureStage = this.sync.stage('infrastructure');
    this.tenants = (settings.tenants ?? []).map(
      (tenant) =>
        new FluxTenant(platform.tree.chart('tenants', tenant.name), 'Tenant', {
          name: tenant.name,
          repoUrl: tenant.repoUrl,
          ref: GitRef.branch(tenant.branch ?? 'main'),
          path: tenant.path ?? `./clusters/${env.name}`,
          sourceInterval: intervals.source,
          interval: intervals.kustomization,
          prune: env.syncPolicy.prune,
          healthChecks: (tenant.healthCheckDeployments ?? []).map((name) => ({
            apiVersion: 'apps/v1',
            kind: 'Deployment',
            name,
            namespace: tenant.name,
          })),
          dependsOn: [infrastructureStage],
          // Terraform owns the tenant namespace (created before Flux syncs, with
          // its Pod Security labels); the tenants section does not render it again.
          createNamespace: false,
          // One reconciler per tenant, least privilege: the tenant's workload kinds in its namespace only.
          rules: tenantReconcilerRules(),
        }),
    );
    for (const tenant of this.tenants) platform.namespace(tenant.name, tenant.namespaceLabels);
    for (const tenant of this.tenants) {
      const secretRef = tenant.gitRepository.secretRef;
      if (secretRef === undefined) continue;
      storeSecret(platform, platform.tree.chart('tenants', tenant.name), 'GitCredentials', {
        name: secretRef,
        namespace: tenant.name,
        keys: ['password', 'username'],
        readBy: `GitRepository ${tenant.name}/${tenant.gitRepository.name}`,
        remoteKey: `tenants/${tenant.name}/git-credentials`,
        store: this.secretStore,
      });
    }

    this.addStatus(platform, settings, intervals);
  }

  private addStatus(platform: Platform, settings: FluxSettings, intervals: { source: string; kustomization: string }): void {
    const source = this.sync.gitRepository;
    const kustomizations = this.sync.kustomizations.map((k) => ({
      name: k.name,
      path: k.path,
      depends_on: k.dependsOn,
      prune: k.prune,
      interval: k.interval,
    }));
    platform.status.set('gitops_patterns_status', 'flux', {
      ...this.install.install.describe(),
      multi_tenancy_lockdown: this.install.multiTenancyLockdown,
      controllers: [...this.install.controllers],
      sync: {
        source: {
          kind: source.sourceKind,
          name: source.name,
          namespace: source.namespace,
          url: source.url,
          ref: source.ref?.description ?? null,
          secret_ref: source.secretRef ?? null,
        },
        path: platform.repoPath,
        kustomizations,
        order: this.sync.kustomizations.map((k) => k.name),
      },
      sources: [
        { kind: source.sourceKind, name: source.name, url: source.url },
        ...(this.chartRepository ? [{ kind: this.chartRepository.sourceKind, name: this.chartRepository.name, url: this.chartRepository.url }] : []),
        ...this.tenants.map((t) => ({ kind: t.gitRepository.sourceKind, name: t.gitRepository.name, url: t.gitRepository.url })),
      ],
      helm_releases: this.helmReleases.map((r) => ({
        name: r.name,
        namespace: r.targetNamespace,
        chart: r.chart.chart,
        version: r.chart.version ?? null,
      })),
      workloads: this.workloads.map((w) => ({ name: w.name, image: w.imageReference, kustomization: w.kustomization.name, path: w.directory.repoPath })),
    });
    platform.status.set('enterprise_gitops_status', 'flux', {
      release: this.install.install.release.name,
      status: this.install.install.status,
      multi_tenancy_lockdown: this.install.multiTenancyLockdown,
      network_policies: this.install.networkPolicies,
      watch_all_namespaces: this.install.watchAllNamespaces,
      tenants: this.tenants.map((t) => ({
        name: t.name,
        namespace: t.name,
        repository: t.gitRepository.url,
        ref: t.gitRepository.ref?.description ?? null,
        path: t.kustomization.path ?? null,
        service_account: t.reconcilerName,
        role: t.role.name,
        kustomization: t.kustomization.name,
        target_namespace: t.kustomization.targetNamespace ?? null,
        depends_on: t.kustomization.dependsOn,
      })),
    });
    platform.status.set('multi_environment_status', 'flux', {
      revision: source.ref?.revision ?? null,
      ref: source.ref?.description ?? null,
      path: platform.repoPath,
      source_interval: intervals.source,
      kustomization_interval: intervals.kustomization,
      prune: this.sync.kustomizations.every((k) => k.prune),
    });
    platform.status.set('advanced_automation_status', 'flux', {
      image_automation: {
        enabled: this.imageUpdateAutomation !== undefined,
        repositories: this.imageRepositories.map((r) => ({ name: r.name, image: r.image, interval: r.interval })),
        policies: this.imagePolicies.map((p) => ({ name: p.name, policy: p.policy.description })),
        update_automation: this.imageUpdateAutomation
          ? {
              name: this.imageUpdateAutomation.name,
              checkout: this.imageUpdateAutomation.checkout?.description ?? null,
              push_branch: this.imageUpdateAutomation.pushBranch ?? null,
              path: this.imageUpdateAutomation.updatePath,
              interval: this.imageUpdateAutomation.interval,
            }
          : null,
      },
      notifications: {
        providers: this.providers.map((p) => ({ name: p.name, type: p.type.type, secret_ref: p.secretRef })),
        alerts: this.alerts.map((a) => ({ name: a.name, provider: a.provider.name, severity: a.eventSeverity })),
        receivers: this.receiver ? [{ name: this.receiver.name, type: this.receiver.type.type }] : [],
      },
      kustomization_order: this.sync.kustomizations.map((k) => k.name),
    });
    const secrets = new Set<string>();
    if (source.secretRef) secrets.add(`${source.namespace}/${source.secretRef}`);
    if (settings.sopsKeySecret) secrets.add(`${source.namespace}/${settings.sopsKeySecret}`);
    if (settings.chartRepository?.secretRef) secrets.add(`${source.namespace}/${settings.chartRepository.secretRef}`);
    if (settings.imageAutomation?.registrySecret) secrets.add(`${source.namespace}/${settings.imageAutomation.registrySecret}`);
    for (const p of this.providers) secrets.add(`${p.namespace}/${p.secretRef}`);
    if (this.receiver) secrets.add(`${this.receiver.namespace}/flux-webhook-token`);
    for (const t of this.tenants) if (t.gitRepository.secretRef) secrets.add(`${t.name}/${t.gitRepository.secretRef}`);
    platform.status.set('gitops_security_status', 'flux', {
      multi_tenancy_lockdown: this.install.multiTenancyLockdown,
      git_credentials: settings.gitCredentials ?? 'secret',
      secret_references: [...secrets].sort(),
    });
  }
}

/** The image policy of a workload, with an error that names the environment and the setting. */
function workloadPolicy(where: string, name: string, range: string): ImagePolicyRule {
  const problem = semverRangeProblem(range);
  if (problem) throw new ConfigError(where, `flux.workloads.${name}.semverRange`, range, `It is not a SemVer range (${problem}); use a range such as ">=1.0.0 <2.0.0" or "~2.1".`);
  return ImagePolicyRule.semver(range);
}

/** The default range of a workload: newer versions within the tag's major version. */
function majorRange(where: string, name: string, tag: string, preReleases: boolean): string {
  const version = tag.replace(/^v/, '');
  if (!isExactSemver(version)) {
    throw new ConfigError(where, `flux.workloads.${name}.semverRange`, undefined, `The tag "${tag}" is not a SemVer version; give semverRange explicitly.`);
  }
  const major = Number(version.split('.')[0]);
  return `>=${version}${preReleases && !version.includes('-') ? '-0' : ''} <${major + 1}.0.0`;
}

function validateSettings(where: string, env: PlatformEnvironment, settings: FluxSettings): void {
  const revision = env.gitops.revision;
  const tenants = settings.tenants ?? [];
  // Names become namespaces and file names: check them before anything is created.
  tenants.forEach((t, i) => checkNamespace(where, `flux.tenants[${i}].name`, t.name));
  (settings.workloads ?? []).forEach((w, i) => checkNamespace(where, `flux.workloads[${i}].name`, w.name));
  if (tenants.length > 0 && settings.watchAllNamespaces === false) {
    throw new ConfigError(where, 'flux.watchAllNamespaces', false, 'Tenants live in their own namespaces; keep watchAllNamespaces true or remove the tenants.');
  }
  for (const [field, list] of [
    ['flux.tenants', tenants.map((t) => t.name)],
    ['flux.workloads', (settings.workloads ?? []).map((w) => w.name)],
    ['flux.addons', (settings.addons ?? []).map((a) => a.name)],
  ] as const) {
    const seen = new Set<string>();
    for (const name of list) {
      if (seen.has(name)) throw new ConfigError(where, field, name, 'Each name can be used once.');
      seen.add(name);
    }
  }
  const issuers = settings.clusterIssuers ?? [];
  if (issuers.length > 0 && !(settings.addons ?? []).some((a) => a.chart === 'cert-manager')) {
    throw new ConfigError(where, 'flux.clusterIssuers', issuers.map((i) => i.name), 'ClusterIssuers need cert-manager: add the add-on certManagerAddon(...) to flux.addons.');
  }
  const issuerNames = issuers.map((i) => i.name);
  if (new Set(issuerNames).size !== issuerNames.length) {
    throw new ConfigError(where, 'flux.clusterIssuers', issuerNames, 'Each issuer name can be used once.');
  }
  const receiverIssuer = settings.webhookReceiver?.clusterIssuer;
  if (receiverIssuer !== undefined && !issuerNames.includes(receiverIssuer)) {
    throw new ConfigError(where, 'flux.webhookReceiver.clusterIssuer', receiverIssuer, `Name one of flux.clusterIssuers (${issuerNames.join(', ') || 'none configured'}).`);
  }
  if ((settings.addons ?? []).length > 0 && !settings.chartRepository) {
    throw new ConfigError(where, 'flux.chartRepository', undefined, 'Add-ons need a chart repository: set flux.chartRepository.url (an internal mirror).');
  }
  const automation = settings.imageAutomation;
  if (automation && (settings.workloads ?? []).length === 0) {
    throw new ConfigError(where, 'flux.imageAutomation', automation, 'There is nothing to update: add flux.workloads or remove flux.imageAutomation.');
  }
  if (automation && env.tier === 'production' && (automation.pushBranch ?? revision) === revision) {
    throw new ConfigError(
      where,
      'flux.imageAutomation.pushBranch',
      automation.pushBranch ?? revision,
      `Production must not receive automated image updates on the branch it deploys ("${revision}"): push to another branch (e.g. "image-updates/${env.name}") and merge by pull request, or turn image automation off.`,
    );
  }
  if (settings.gitCredentials !== undefined && !['secret', 'terraform-variable'].includes(settings.gitCredentials)) {
    throw new ConfigError(where, 'flux.gitCredentials', settings.gitCredentials, 'Use "secret" or "terraform-variable".');
  }
  if (settings.gitCredentials === 'terraform-variable' && env.gitops.credentialsSecret === undefined) {
    throw new ConfigError(where, 'gitops.credentialsSecret', undefined, 'flux.gitCredentials "terraform-variable" creates that Secret: name it in gitops.credentialsSecret.');
  }
}
