import { SecretV1 } from '@cdktf/provider-kubernetes/lib/secret-v1';
import { Construct } from 'constructs';
import { Platform } from '../platform/platform';

/** The sensitive Terraform variable holding the GitOps repository token (shared with Flux). */
export const GITOPS_REPO_TOKEN_VARIABLE = 'gitops_repo_token';

/** Options for {@link RepositoryCredentials}. */
export interface RepositoryCredentialsProps {
  /** The environment's platform. @default - `Platform.of(scope)` */
  readonly platform?: Platform;
  /** Argo CD's namespace. */
  readonly namespace: string;
  /** Name of the Secret. */
  readonly secretName: string;
  /** The repository URL the credentials are for. */
  readonly repoUrl: string;
  /** The Git user name that goes with the token. @default 'git' */
  readonly username?: string;
}

/**
 * The Argo CD repository Secret (`argocd.argoproj.io/secret-type: repository`)
 * for the environment's GitOps repository, created by Terraform before Argo CD
 * syncs anything: the root app-of-apps cannot read a private repository whose
 * credentials would only arrive through that repository. The token is the
 * sensitive variable `gitops_repo_token`, written write-only (`data_wo`), so it
 * is neither in a synthesized file nor in the Terraform state.
 */
export class RepositoryCredentials extends Construct {
  /** The Secret resource. */
  public readonly secret: SecretV1;
  /** Its name. */
  public readonly secretName: string;

  constructor(scope: Construct, id: string, props: RepositoryCredentialsProps) {
    super(scope, id);
    const platform = props.platform ?? Platform.of(this);
    const token = platform.sensitiveVariable(
      GITOPS_REPO_TOKEN_VARIABLE,
      `Token that Argo CD and Flux use to read ${props.repoUrl} (and Flux image automation to push to it).`,
    );
    this.secretName = props.secretName;
    this.secret = new SecretV1(this, 'Resource', {
      metadata: {
        name: props.secretName,
        namespace: props.namespace,
        labels: {
          'app.kubernetes.io/managed-by': 'terraform',
          'app.kubernetes.io/part-of': 'gitops-platform',
          'argocd.argoproj.io/secret-type': 'repository',
        },
      },
      type: 'Opaque',
      // Non-secret fields as plain data; the token write-only. Bump the revision to rotate it.
      data: { type: 'git', url: props.repoUrl, username: props.username ?? 'git' },
      dataWo: { password: token.stringValue },
      dataWoRevision: 1,
      dependsOn: [platform.namespace(props.namespace)],
    });
  }
}
