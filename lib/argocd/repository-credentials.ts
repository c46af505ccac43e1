import { SecretV1 } from '@cdktf/provider-kubernetes/lib/secret-v1';
import { Construct } from 'constructs';
import { ConfigError } from '../platform/errors';
import { Platform } from '../platform/platform';

/**
 * What the Secret is to Argo CD (its `argocd.argoproj.io/secret-type` label):
 * the credentials of one repository (`url` is the exact repository URL), or a
 * credential template (`url` is a prefix; every repository whose URL starts
 * with it and has no Secret of its own uses it).
 */
export type RepositoryCredentialsType = 'repository' | 'repo-creds';

/** Options for {@link RepositoryCredentials}. */
export interface RepositoryCredentialsProps {
  /** The environment's platform. @default - `Platform.of(scope)` */
  readonly platform?: Platform;
  /** Argo CD's namespace. */
  readonly namespace: string;
  /** Name of the Secret. */
  readonly secretName: string;
  /** The repository URL, or for `repo-creds` the URL prefix, the credentials are for. */
  readonly repoUrl: string;
  /** The Git user name that goes with the token. @default 'git' */
  readonly username?: string;
  /** A repository Secret or a credential template. @default 'repository' */
  readonly secretType?: RepositoryCredentialsType;
  /**
   * `data_wo_revision`: Terraform rewrites the Secret only when it changes.
   * @default 1
   */
  readonly revision?: number;
}

/**
 * An Argo CD repository Secret (`argocd.argoproj.io/secret-type: repository`)
 * or credential template (`repo-creds`), created by Terraform before Argo CD
 * syncs anything: the root app-of-apps cannot read a private repository whose
 * credentials would only arrive through that repository.
 *
 * Every key (`type`, `url`, `username`, `password`) is written write-only
 * (`data_wo` with `data_wo_revision`): terraform-provider-kubernetes 2.38
 * declares `data_wo` in conflict with `data`, and its create path writes only
 * `data_wo` when a revision is set, so a split would leave the Secret without
 * its `url`. The token is the sensitive, ephemeral variable `gitops_repo_token`:
 * it is in no synthesized file, plan or state.
 */
export class RepositoryCredentials extends Construct {
  /** The Secret resource. */
  public readonly secret: SecretV1;
  /** Its name. */
  public readonly secretName: string;
  /** The repository URL or URL prefix. */
  public readonly repoUrl: string;
  /** Repository Secret or credential template. */
  public readonly secretType: RepositoryCredentialsType;

  constructor(scope: Construct, id: string, props: RepositoryCredentialsProps) {
    super(scope, id);
    const platform = props.platform ?? Platform.of(this);
    const revision = props.revision ?? 1;
    if (!Number.isInteger(revision) || revision < 1) {
      throw new ConfigError(this.node.path, 'revision', revision, 'Use a whole number of at least 1 (data_wo_revision).');
    }
    const token = platform.repositoryToken();
    this.secretName = props.secretName;
    this.repoUrl = props.repoUrl;
    this.secretType = props.secretType ?? 'repository';
    this.secret = new SecretV1(this, 'Resource', {
      metadata: {
        name: props.secretName,
        namespace: props.namespace,
        labels: {
          'app.kubernetes.io/managed-by': 'terraform',
          'app.kubernetes.io/part-of': 'gitops-platform',
          'argocd.argoproj.io/secret-type': this.secretType,
        },
      },
      type: 'Opaque',
      // Every key write-only (see above). Bump gitops.credentialsRevision to rewrite them.
      dataWo: { type: 'git', url: props.repoUrl, username: props.username ?? 'git', password: token.stringValue },
      dataWoRevision: revision,
      dependsOn: [platform.namespace(props.namespace)],
    });
  }
}

/**
 * The credential-template prefix (`https://host/owner/`) of a repository URL,
 * or undefined when the URL has no owner segment.
 */
export function credentialsPrefix(repoUrl: string): string | undefined {
  const match = /^(https:\/\/[^/]+\/[^/]+\/)[^/]+/.exec(repoUrl);
  return match ? match[1] : undefined;
}
