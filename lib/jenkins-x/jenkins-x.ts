import { Chart } from 'cdk8s';
import { Lazy } from 'cdktf';
import { Construct } from 'constructs';
import { ConfigError } from '../platform/errors';
import { Platform } from '../platform/platform';
import { JenkinsXApplication, JenkinsXApplicationOptions } from './application';
import { BuildPack } from './build-pack';
import { JenkinsXEnvironment } from './environment';
import { GitUrl } from './git-url';
import { GIT_TOKEN_VARIABLE, GIT_USERNAME_VARIABLE, JenkinsXInstall } from './install';
import { JX_PREVIEW_VALUES, jxPreviewValues, resolvePreviewSettings, ResolvedPreviewSettings } from './preview';
import { PreviewReaper } from './preview-reaper';
import { PromotionStrategy } from './promotion';
import { ClusterRequirements, REQUIREMENTS_FILE } from './requirements';
import { DNS_LABEL } from './internal';
import { resolveClusterRepository, resolveEnvironments, resolveIngress, ResolvedJenkinsXEnvironment } from './resolve';
import { SecretStorage } from './secret-storage';
import { CLUSTER_PROVIDERS, JenkinsXSettings } from './settings';
import { JenkinsXSourceRepository } from './source-repository';
import { checkProps } from '../platform/config-boundary/props';

/** Where the files of the cluster repository go in the tree (not synced: copy them to the repository's root). */
export const CLUSTER_REPOSITORY_DIR = 'jenkins-x/cluster-repository';

/** Options for {@link JenkinsX}. */
export interface JenkinsXProps extends JenkinsXSettings {
  /** The environment's platform. @default - `Platform.of(scope)` */
  readonly platform?: Platform;
}

/**
 * The Jenkins X module of an environment:
 * - the `jx-git-operator` release pointed at the cluster repository (and the
 *   `jenkins-x-crds` release), installed by Terraform;
 * - the cluster repository's `jx-requirements.yml` (and `jx-preview` values),
 *   written to `jenkins-x/cluster-repository/` in the tree;
 * - `Environment` objects for dev and every promotion target, and
 *   `SourceRepository` objects, in `infrastructure/jenkins-x.yaml`;
 * - for every application, its `.lighthouse/jenkins-x/` pipelines and
 *   triggers and its preview helmfile, in `jenkins-x/applications/<name>/`;
 * - with a preview time to live, the reaper that enforces it.
 */
export class JenkinsX extends Construct {
  /** The git operator and CRD releases. */
  public readonly install: JenkinsXInstall;
  /** The cluster repository. */
  public readonly clusterRepository: GitUrl;
  /** The development namespace. */
  public readonly devNamespace: string;
  /** The environments, development first. */
  public readonly environments: readonly JenkinsXEnvironment[];
  /** The cluster requirements written to `jx-requirements.yml`. */
  public readonly requirements: ClusterRequirements;
  /** The preview settings, when previews are on. */
  public readonly previews?: ResolvedPreviewSettings;
  /** The preview reaper, when previews have a time to live. */
  public readonly previewReaper?: PreviewReaper;
  /** The tree chart of the module's Kubernetes objects (`infrastructure/jenkins-x.yaml`). */
  public readonly chart: Chart;
  private readonly platform: Platform;
  private readonly apps: JenkinsXApplication[] = [];
  private readonly sourceRepositoryNames = new Set<string>();

  constructor(scope: Construct, id: string, props: JenkinsXProps = {}) {
    super(scope, id);
    checkProps(this, 'JenkinsXProps', props);
    const platform = props.platform ?? Platform.of(this);
    this.platform = platform;
    const env = platform.environment;
    const settings: JenkinsXSettings = props;
    const where = `Environment "${env.name}"`;

    this.clusterRepository = resolveClusterRepository(settings, platform, where);
    const branch = settings.clusterRepositoryBranch ?? 'main';
    if (!/^[A-Za-z0-9._/-]+$/.test(branch)) {
      throw new ConfigError(where, 'jenkinsX.clusterRepositoryBranch', branch, 'Use a branch name such as "main".');
    }
    this.devNamespace = settings.devNamespace ?? 'jx';
    if (!DNS_LABEL.test(this.devNamespace)) {
      throw new ConfigError(where, 'jenkinsX.devNamespace', this.devNamespace, 'Use a lowercase DNS label such as "jx".');
    }
    const provider = settings.provider ?? 'kubernetes';
    if (!(CLUSTER_PROVIDERS as readonly string[]).includes(provider)) {
      throw new ConfigError(where, 'jenkinsX.provider', provider, `Use one of ${CLUSTER_PROVIDERS.join(', ')}.`);
    }
    const targets = resolveEnvironments(settings, this.clusterRepository, this.devNamespace, where);
    const ingress = resolveIngress(settings, () => platform.domainFor('Jenkins X\'s ingress (jx-requirements.yml)', 'jenkinsX.ingress.domain'), where);
    const secretStorage = settings.secretStorage ?? SecretStorage.local();
    if (!(secretStorage instanceof SecretStorage)) {
      throw new ConfigError(where, 'jenkinsX.secretStorage', secretStorage, 'Use SecretStorage.local(), .vault(), .googleSecretManager(), .awsSecretsManager() or .azureKeyVault().');
    }
    if (settings.previews !== undefined) {
      this.previews = resolvePreviewSettings(settings.previews, where, 'jenkinsX.previews');
    }

    const operator = settings.gitOperator ?? {};
    this.install = new JenkinsXInstall(this, 'Install', {
      values: settings.values,
      platform,
      clusterRepository: this.clusterRepository,
      devNamespace: this.devNamespace,
      pollInterval: operator.pollInterval,
      clusterWideRbac: operator.rbac?.clusterWide,
      strictRbac: operator.rbac?.strict,
      bootServiceAccount: operator.bootServiceAccount?.enabled,
      bootServiceAccountAnnotations: operator.bootServiceAccount?.annotations,
      credentialsRevision: operator.credentialsRevision,
    });

    // The Kubernetes side, synced by Flux with the other add-ons.
    this.chart = platform.tree.chart('infrastructure', 'jenkins-x');
    const dev = new JenkinsXEnvironment(this.chart, 'Environment-dev', {
      key: 'dev',
      kind: 'Development',
      namespace: this.devNamespace,
      resourceNamespace: this.devNamespace,
      promotion: PromotionStrategy.never(),
      repository: this.clusterRepository,
      branch,
      label: 'Development',
    });
    this.environments = [
      dev,
      ...targets.map(
        (t) =>
          new JenkinsXEnvironment(this.chart, `Environment-${t.key}`, {
            key: t.key,
            namespace: t.namespace,
            resourceNamespace: this.devNamespace,
            promotion: t.promotion,
            repository: t.repository,
            branch,
            order: t.order,
            label: t.label,
            remoteCluster: t.remoteCluster,
          }),
      ),
    ];
    for (const repository of [this.clusterRepository, ...targets.filter((t) => t.remoteCluster).map((t) => t.repository)]) {
      const name = JenkinsXSourceRepository.nameFor(repository);
      if (this.sourceRepositoryNames.has(name)) continue;
      this.sourceRepositoryNames.add(name);
      new JenkinsXSourceRepository(this.chart, `SourceRepository-${name}`, {
        repository,
        namespace: this.devNamespace,
        description: `the cluster repository of ${repository.sameRepository(this.clusterRepository) ? platform.clusterName : 'a remote cluster'}`,
      });
    }

    // The cluster repository's files.
    this.requirements = new ClusterRequirements({
      clusterName: platform.clusterName,
      provider,
      clusterRepository: this.clusterRepository,
      registry: settings.registry,
      environments: [
        { key: 'dev', namespace: this.devNamespace, promotion: 'Never' },
        ...targets.map((t) => ({
          key: t.key,
          namespace: t.namespace,
          promotion: t.promotion.value,
          remoteRepository: t.remoteCluster ? t.repository : undefined,
        })),
      ],
      ingress,
      secretStorage: secretStorage.value,
    });
    platform.tree.addFile(`${CLUSTER_REPOSITORY_DIR}/${REQUIREMENTS_FILE}`, this.requirements.toYaml());
    if (this.previews) {
      platform.tree.addFile(`${CLUSTER_REPOSITORY_DIR}/${JX_PREVIEW_VALUES}`, jxPreviewValues(this.previews));
      if (this.previews.ttlSeconds !== undefined) {
        this.previewReaper = new PreviewReaper(this.chart, 'PreviewReaper', {
          ttlSeconds: this.previews.ttlSeconds,
          schedule: this.previews.reaperSchedule,
          namespace: this.devNamespace,
        });
      }
    }

    (settings.applications ?? []).forEach((app, i) => this.registerApplication(app, where, `jenkinsX.applications[${i}]`));
    this.addStatus(targets, secretStorage, operator.rbac?.clusterWide ?? true, operator.rbac?.strict ?? false, operator.bootServiceAccount?.enabled ?? true);
  }

  /** Registers an application: its SourceRepository, pipelines, triggers and preview files. */
  public addApplication(options: JenkinsXApplicationOptions): JenkinsXApplication {
    return this.registerApplication(options, this.node.path, `applications["${String(options.name)}"]`);
  }

  /** The registered applications, in registration order. */
  public get applications(): readonly JenkinsXApplication[] {
    return this.apps;
  }

  private registerApplication(options: JenkinsXApplicationOptions, where: string, field: string): JenkinsXApplication {
    if (typeof options.name !== 'string' || !DNS_LABEL.test(options.name)) {
      throw new ConfigError(where, `${field}.name`, options.name, 'Use a lowercase DNS label such as "orders-api".');
    }
    if (this.apps.some((a) => a.name === options.name)) {
      throw new ConfigError(where, `${field}.name`, options.name, 'Give every application its own name.');
    }
    if (options.repository === undefined || options.repository === '') {
      throw new ConfigError(
        where,
        `${field}.repository`,
        options.repository,
        `Give the application's Git repository URL, such as "${this.clusterRepository.sibling(options.name).httpsCloneUrl}".`,
      );
    }
    const repository = GitUrl.parse(options.repository, where, `${field}.repository`);
    if (!(options.buildPack instanceof BuildPack)) {
      throw new ConfigError(where, `${field}.buildPack`, options.buildPack, 'Choose a build pack, such as BuildPack.go() or BuildPack.fromCatalog("rust").');
    }
    if (options.previews === true && !this.previews) {
      throw new ConfigError(where, `${field}.previews`, true, 'Configure jenkinsX.previews (time to live, cleanup) to turn previews on.');
    }
    const sourceName = JenkinsXSourceRepository.nameFor(repository);
    if (this.sourceRepositoryNames.has(sourceName)) {
      throw new ConfigError(where, `${field}.repository`, options.repository, 'This repository is already registered; register each repository once.');
    }
    this.sourceRepositoryNames.add(sourceName);
    const app = new JenkinsXApplication(this, `Application-${options.name}`, {
      ...options,
      platform: this.platform,
      chart: this.chart,
      devNamespace: this.devNamespace,
      previewSettings: this.previews,
    });
    this.apps.push(app);
    return app;
  }

  private addStatus(
    targets: readonly ResolvedJenkinsXEnvironment[],
    secretStorage: SecretStorage,
    clusterWide: boolean,
    strict: boolean,
    bootServiceAccount: boolean,
  ): void {
    const status = this.platform.status;
    const environments = this.environments.map((e) => ({
      key: e.key,
      namespace: e.namespace,
      promotion_strategy: e.promotion.value,
      repository: e.repository.httpsCloneUrl,
    }));
    status.set('gitops_patterns_status', 'jenkins_x', {
      ...this.install.install.describe(),
      crds: { release: this.install.crds.release.name, chart_version: this.install.crds.chart.version, status: this.install.crds.status },
      cluster_repository: { url: this.clusterRepository.httpsCloneUrl, requirements: `${CLUSTER_REPOSITORY_DIR}/${REQUIREMENTS_FILE}` },
      environments,
    });
    status.set('multi_environment_status', 'jenkins_x', {
      dev_namespace: this.devNamespace,
      environments: this.environments.map((e) => ({
        key: e.key,
        namespace: e.namespace,
        promotion_strategy: e.promotion.value,
        remote_cluster: targets.find((t) => t.key === e.key)?.remoteCluster ?? false,
      })),
    });
    status.set('advanced_automation_status', 'jenkins_x', {
      promotion: {
        automatic: this.environments.filter((e) => e.promotion.isAutomatic).map((e) => e.key),
        manual: this.environments.filter((e) => e.promotion.value === 'Manual').map((e) => e.key),
      },
      applications: Lazy.anyValue({
        produce: () =>
          this.apps.map((a) => ({
            name: a.name,
            repository: a.repository.httpsCloneUrl,
            pipelines: [a.pullRequestPipeline.fileName, a.releasePipeline.fileName],
            preview_namespace: a.previewNamespace ?? null,
          })),
      }),
      pipeline_runs: Lazy.numberValue({ produce: () => this.apps.length * 2 }),
      previews: this.previews
        ? {
            enabled: true,
            ttl: this.previews.ttl ?? null,
            gc_schedule: this.previews.gcSchedule,
            cleanup_drafts: this.previews.cleanupDrafts,
            reaper: this.previewReaper ? this.previewReaper.cronJob.name : null,
          }
        : { enabled: false },
    });
    status.set('gitops_security_status', 'jenkins_x', {
      git_credentials: { username_variable: GIT_USERNAME_VARIABLE, token_variable: GIT_TOKEN_VARIABLE },
      rbac: { cluster_wide: clusterWide, strict },
      boot_service_account: bootServiceAccount,
      secret_storage: secretStorage.value,
    });
  }
}
