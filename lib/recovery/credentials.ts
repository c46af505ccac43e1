import { ConfigError } from '../platform/errors';

/** The service-account annotation EKS reads for IAM roles for service accounts (IRSA). */
export const IRSA_ROLE_ANNOTATION = 'eks.amazonaws.com/role-arn';

/** The Secret the `fromSecretStore` credentials are written to, in the Velero namespace. */
export const VELERO_CREDENTIALS_SECRET = 'velero-credentials';

/** The key of the credentials file in that Secret (what the chart mounts as `/credentials/cloud`). */
export const VELERO_CREDENTIALS_KEY = 'cloud';

const AWS_ROLE_ARN = /^arn:aws[a-z-]*:iam::[0-9]{12}:role\/[A-Za-z0-9+=,.@_/-]+$/;
const ANNOTATION_KEY = /^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\/)?[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/;

type Source =
  | { readonly kind: 'service-account'; readonly annotations: Readonly<Record<string, string>> }
  | { readonly kind: 'secret-store'; readonly remoteKey: string };

/**
 * How Velero authenticates to the object store. Never a key in the
 * configuration: an IAM role its service account assumes, or a credentials
 * file that an ExternalSecret fetches from the environment's secret store.
 */
export class BackupCredentials {
  /** IRSA: the Velero service account assumes `roleArn` (`eks.amazonaws.com/role-arn`). */
  public static irsa(roleArn: string): BackupCredentials {
    return new BackupCredentials({ kind: 'service-account', annotations: { [IRSA_ROLE_ANNOTATION]: roleArn } });
  }

  /**
   * Workload identity through service-account annotations of your choosing
   * (`azure.workload.identity/client-id`, `iam.gke.io/gcp-service-account`).
   */
  public static workloadIdentity(annotations: Readonly<Record<string, string>>): BackupCredentials {
    return new BackupCredentials({ kind: 'service-account', annotations: { ...annotations } });
  }

  /**
   * A credentials file (AWS shared-credentials format) stored under `remoteKey`
   * in the environment's secret store, property `cloud`; an ExternalSecret in
   * the tree writes it to `velero/velero-credentials`.
   */
  public static fromSecretStore(remoteKey: string): BackupCredentials {
    return new BackupCredentials({ kind: 'secret-store', remoteKey });
  }

  private constructor(private readonly source: Source) {}

  /** The service-account annotations (empty for a Secret). */
  public get serviceAccountAnnotations(): Readonly<Record<string, string>> {
    return this.source.kind === 'service-account' ? this.source.annotations : {};
  }

  /** The store key of the credentials file (undefined for a service-account role). */
  public get remoteKey(): string | undefined {
    return this.source.kind === 'secret-store' ? this.source.remoteKey : undefined;
  }

  /** `service-account` or `secret-store`. */
  public get kind(): 'service-account' | 'secret-store' {
    return this.source.kind;
  }

  /** Checks the role ARN, annotations or store key; `field` names the setting in errors. */
  public validate(where: string, field: string): void {
    if (this.source.kind === 'secret-store') {
      if (typeof this.source.remoteKey !== 'string' || !/^[A-Za-z0-9][A-Za-z0-9._/-]*$/.test(this.source.remoteKey)) {
        throw new ConfigError(where, `${field}.remoteKey`, this.source.remoteKey, 'Name the key of the credentials in the secret store, such as "velero/credentials".');
      }
      return;
    }
    const entries = Object.entries(this.source.annotations);
    if (entries.length === 0) {
      throw new ConfigError(where, `${field}.annotations`, {}, 'Give the annotation that binds the cloud role, such as { "eks.amazonaws.com/role-arn": "arn:aws:iam::111122223333:role/velero" }.');
    }
    for (const [key, value] of entries) {
      if (!ANNOTATION_KEY.test(key) || typeof value !== 'string' || value.length === 0) {
        throw new ConfigError(where, `${field}.annotations.${key}`, value, 'Use an annotation key and a non-empty value.');
      }
      if (key === IRSA_ROLE_ANNOTATION && !AWS_ROLE_ARN.test(value)) {
        throw new ConfigError(where, `${field}.annotations.${key}`, value, 'Use the ARN of the IAM role Velero assumes, such as "arn:aws:iam::111122223333:role/velero".');
      }
    }
  }

  /** A summary for the outputs. */
  public describe(): Record<string, unknown> {
    return this.source.kind === 'secret-store'
      ? { type: 'secret-store', secret: VELERO_CREDENTIALS_SECRET, remote_key: this.source.remoteKey }
      : { type: 'service-account', annotations: Object.keys(this.source.annotations).sort() };
  }
}
