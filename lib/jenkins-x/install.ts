import { SecretV1 } from '@cdktf/provider-kubernetes/lib/secret-v1';
import { Construct } from 'constructs';
import { CHARTS } from '../platform/catalogue';
import { ChartInstall } from '../platform/chart-install';
import { ControllerInstall, ControllerInstallProps } from '../platform/controller-install';
import { ConfigError } from '../platform/errors';
import { GitUrl } from './git-url';
import { GO_DURATION } from '../platform/patterns';

/** The sensitive Terraform variable with the Git user of the Jenkins X bot. */
export const GIT_USERNAME_VARIABLE = 'jenkins_x_git_username';
/** The sensitive Terraform variable with the bot's Git token (a personal access token). */
export const GIT_TOKEN_VARIABLE = 'jenkins_x_git_token';
/** The Secret jx-git-operator reads the cluster repository and its credentials from. */
export const JX_BOOT_SECRET = 'jx-boot';

/** Options for {@link JenkinsXInstall}. */
export interface JenkinsXInstallProps extends ControllerInstallProps {
  /** The cluster repository the operator polls (https). */
  readonly clusterRepository: GitUrl;
  /**
   * Namespace of the git operator.
   * @default 'jx-git-operator'
   */
  readonly namespace?: string;
  /**
   * The development namespace, where Jenkins X runs and its CRDs' release is recorded.
   * @default 'jx'
   */
  readonly devNamespace?: string;
  /**
   * How often the operator polls the repository (Go duration).
   * @default '20s'
   */
  readonly pollInterval?: string;
  /**
   * A ClusterRole (true) or a Role in the operator's namespace (false).
   * @default true
   */
  readonly clusterWideRbac?: boolean;
  /**
   * Strict RBAC: least privilege for the operator, and the repository's
   * `.jx/git-operator/resources/` are not applied.
   * @default false
   */
  readonly strictRbac?: boolean;
  /**
   * Let the chart create the boot job's service account (`jx-boot-job`) and its ClusterRoleBinding.
   * @default true
   */
  readonly bootServiceAccount?: boolean;
  /**
   * Annotations of the boot service account (cloud workload identity).
   * @default {}
   */
  readonly bootServiceAccountAnnotations?: Readonly<Record<string, string>>;
  /**
   * `data_wo_revision` of the `jx-boot` Secret; bump it to rotate the bot token.
   * @default 1
   */
  readonly credentialsRevision?: number;
}


/**
 * Installs Jenkins X 3 the way `jx admin operator` does: the `jx-git-operator`
 * chart, pointed at the cluster Git repository, which runs the boot job of
 * that repository on every commit. The bot's Git user and token come from
 * sensitive, ephemeral Terraform variables and are written write-only into the
 * `jx-boot` Secret the operator reads (label `git-operator.jenkins.io/kind:
 * git-operator`), which Terraform creates instead of the chart (its `url`
 * value is left unset): they are in no file, plan or state.
 *
 * The `jenkins-x-crds` chart is installed first, as the same release the boot
 * job manages (`jenkins-x-crds` in the development namespace, the version the
 * jx3 version stream pins), so the `Environment` and `SourceRepository` objects
 * in the GitOps tree apply before the first boot job has finished.
 */
export class JenkinsXInstall extends ControllerInstall {
  /** The jenkins-x-crds release. */
  public readonly crds: ChartInstall;
  /** The `jx-boot` Secret with the cluster repository's URL and the bot's credentials. */
  public readonly bootSecret: SecretV1;
  /** The development namespace. */
  public readonly devNamespace: string;
  /** The cluster repository. */
  public readonly clusterRepository: GitUrl;

  constructor(scope: Construct, id: string, props: JenkinsXInstallProps) {
    // The git operator is a single writer: one instance by design (the HA table).
    super(scope, id, props, { chart: CHARTS.jxGitOperator, defaultNamespace: 'jx-git-operator', releaseName: 'jx-git-operator', role: 'singleton' });
    const platform = this.platform;
    this.devNamespace = props.devNamespace ?? 'jx';
    this.clusterRepository = props.clusterRepository;
    const pollInterval = props.pollInterval ?? '20s';
    if (!GO_DURATION.test(pollInterval)) {
      throw new ConfigError(this.node.path, 'pollInterval', pollInterval, 'Use a Go duration such as "20s" or "1m".');
    }
    const strict = props.strictRbac ?? false;
    const bootServiceAccount = props.bootServiceAccount ?? true;
    if (strict && !bootServiceAccount) {
      throw new ConfigError(
        this.node.path,
        'bootServiceAccount',
        false,
        'Strict RBAC stops the operator from creating the boot job\'s service account from the repository: keep bootServiceAccount on, or turn strict RBAC off.',
      );
    }

    const devNs = platform.namespace(this.devNamespace);
    this.crds = new ChartInstall(this, 'Crds', {
      chart: CHARTS.jenkinsXCrds,
      releaseName: 'jenkins-x-crds',
      namespace: this.devNamespace,
      dependsOn: [devNs],
    });
    platform.addController(this.crds, {
      crdKinds: ['jenkins.io/Environment', 'jenkins.io/SourceRepository', 'jenkins.io/PipelineActivity', 'jenkins.io/Release', 'jenkins.io/Plugin'],
    });

    const username = platform.sensitiveVariable(GIT_USERNAME_VARIABLE, 'Git user of the Jenkins X bot that clones the cluster repository.', { ephemeral: true });
    const token = platform.sensitiveVariable(GIT_TOKEN_VARIABLE, 'Git token (personal access token) of the Jenkins X bot.', { ephemeral: true });
    const revision = props.credentialsRevision ?? 1;
    if (!Number.isInteger(revision) || revision < 1) {
      throw new ConfigError(this.node.path, 'credentialsRevision', revision, 'Use a whole number of at least 1 (data_wo_revision).');
    }
    // What the chart would render from its url/username/password values (set_sensitive
    // keeps those in the state); every key write-only instead.
    this.bootSecret = new SecretV1(this, 'BootSecret', {
      metadata: {
        name: JX_BOOT_SECRET,
        namespace: this.namespace,
        labels: {
          'app.kubernetes.io/managed-by': 'terraform',
          'app.kubernetes.io/part-of': 'gitops-platform',
          'git-operator.jenkins.io/kind': 'git-operator',
        },
      },
      type: 'Opaque',
      dataWo: { url: this.clusterRepository.httpsCloneUrl, username: username.stringValue, password: token.stringValue },
      dataWoRevision: revision,
      dependsOn: [this.namespaceResource],
    });
    this.installChart({
      dependsOn: [this.crds.release, this.bootSecret],
      values: {
        image: { tag: CHARTS.jxGitOperator.appVersion },
        env: { POLL_DURATION: pollInterval },
        rbac: { cluster: props.clusterWideRbac ?? true, strict },
        serviceAccount: { create: true, name: 'jx-git-operator' },
        bootServiceAccount: {
          enabled: bootServiceAccount,
          annotations: { ...(props.bootServiceAccountAnnotations ?? {}) },
        },
        resources: {
          requests: { cpu: '80m', memory: '128Mi' },
          limits: { cpu: '100m', memory: '256Mi' },
        },
      },
      facts: {
        serviceAccounts: ['jx-git-operator', ...(bootServiceAccount ? ['jx-boot-job'] : [])],
        secrets: ['jx-boot'],
      },
    });
  }

  /** The release status reported by Helm (`deployed`). */
  public get status(): string {
    return this.install.status;
  }
}
