import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { ConfigError } from '../platform/errors';
import { Bucket as BucketResource, BucketSpecProvider } from '../imports/flux-source';
import { fluxIdentity, FluxObjectOptions } from './metadata';
import { IFluxSource, FluxSourceKind } from './source';
import { checkDuration, checkOptionalDuration, checkSecretName } from './validation';

/** Where a Bucket lives and how Flux authenticates to it. */
export class BucketProvider {
  /**
   * An S3-compatible endpoint (MinIO, Ceph ...) with `accesskey`/`secretkey`
   * from a Secret.
   */
  public static generic(credentialsSecret?: string): BucketProvider {
    return new BucketProvider(BucketSpecProvider.GENERIC, credentialsSecret, undefined);
  }

  /** Amazon S3, with IAM credentials from a Secret or the controller's identity (IRSA / pod identity). */
  public static aws(options: { readonly credentialsSecret?: string; readonly serviceAccountName?: string } = {}): BucketProvider {
    return new BucketProvider(BucketSpecProvider.AWS, options.credentialsSecret, options.serviceAccountName);
  }

  /** Google Cloud Storage, with a service-account key Secret or workload identity. */
  public static gcp(options: { readonly credentialsSecret?: string; readonly serviceAccountName?: string } = {}): BucketProvider {
    return new BucketProvider(BucketSpecProvider.GCP, options.credentialsSecret, options.serviceAccountName);
  }

  /** Azure Blob Storage, with a Secret or workload identity. */
  public static azure(options: { readonly credentialsSecret?: string; readonly serviceAccountName?: string } = {}): BucketProvider {
    return new BucketProvider(BucketSpecProvider.AZURE, options.credentialsSecret, options.serviceAccountName);
  }

  private constructor(
    /** The provider name. */
    public readonly provider: BucketSpecProvider,
    /** The credentials Secret, if any. */
    public readonly credentialsSecret: string | undefined,
    /** The ServiceAccount for workload identity, if any. */
    public readonly serviceAccountName: string | undefined,
  ) {
    if (credentialsSecret !== undefined) checkSecretName('BucketProvider', 'credentialsSecret', credentialsSecret);
    if (credentialsSecret !== undefined && serviceAccountName !== undefined) {
      throw new ConfigError('BucketProvider', 'serviceAccountName', serviceAccountName, 'Use either a credentials Secret or a ServiceAccount (workload identity), not both.');
    }
  }
}

/** Options for {@link Bucket}. */
export interface BucketProps extends FluxObjectOptions {
  /** The bucket name. */
  readonly bucketName: string;
  /** The endpoint host (`s3.amazonaws.com`, `<minio host>:9000`), without a scheme. */
  readonly endpoint: string;
  /**
   * The provider and credentials.
   * @default BucketProvider.generic()
   */
  readonly provider?: BucketProvider;
  /**
   * The bucket region.
   * @default - none (the provider's default)
   */
  readonly region?: string;
  /**
   * Only objects under this key prefix.
   * @default - the whole bucket
   */
  readonly prefix?: string;
  /**
   * How often the bucket is listed.
   * @default '5m'
   */
  readonly interval?: string;
  /**
   * `.gitignore`-style rules for objects left out of the artifact.
   * @default - none
   */
  readonly ignore?: string;
  /**
   * Talk plain HTTP to the endpoint (test setups only).
   * @default false
   */
  readonly insecure?: boolean;
  /**
   * Timeout of bucket operations (`ms`, `s` or `m` only).
   * @default - Flux's default (60s)
   */
  readonly timeout?: string;
  /**
   * Stop listing.
   * @default false
   */
  readonly suspend?: boolean;
}

/** A Flux Bucket (`source.toolkit.fluxcd.io/v1`). */
export class Bucket extends Construct implements IFluxSource {
  /** The generated resource. */
  public readonly resource: ApiObject;
  public readonly sourceKind: FluxSourceKind = 'Bucket';
  public readonly name: string;
  public readonly namespace: string;

  constructor(scope: Construct, id: string, props: BucketProps) {
    super(scope, id);
    const where = this.node.path;
    const identity = fluxIdentity(this, props);
    this.name = identity.name;
    this.namespace = identity.namespace;
    if (!/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(props.bucketName)) {
      throw new ConfigError(where, 'bucketName', props.bucketName, 'Use a bucket name of 3-63 lowercase letters, digits, "." and "-".');
    }
    if (!/^[A-Za-z0-9.-]+(:[0-9]{1,5})?$/.test(props.endpoint)) {
      throw new ConfigError(where, 'endpoint', props.endpoint, 'Use a host name with an optional port, without scheme or path, such as "s3.amazonaws.com" or "<minio host>:9000".');
    }
    const provider = props.provider ?? BucketProvider.generic();
    if (provider.provider === BucketSpecProvider.GENERIC && provider.serviceAccountName !== undefined) {
      throw new ConfigError(where, 'provider', 'generic', 'The generic provider has no workload identity; use a credentials Secret.');
    }
    this.resource = new BucketResource(this, 'Resource', {
      metadata: identity.metadata,
      spec: {
        bucketName: props.bucketName,
        endpoint: props.endpoint,
        provider: provider.provider,
        region: props.region,
        prefix: props.prefix,
        interval: checkDuration(where, 'interval', props.interval ?? '5m'),
        secretRef: provider.credentialsSecret === undefined ? undefined : { name: provider.credentialsSecret },
        serviceAccountName: provider.serviceAccountName,
        ignore: props.ignore,
        insecure: props.insecure,
        timeout: checkOptionalDuration(where, 'timeout', props.timeout, { allowHours: false }),
        suspend: props.suspend,
      },
    });
  }
}
