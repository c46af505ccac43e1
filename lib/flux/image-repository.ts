import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { ConfigError } from '../platform/errors';
import { ImageRepository as ImageRepositoryResource, ImageRepositorySpecProvider } from '../imports/flux-image';
import { fluxIdentity, FluxObjectOptions } from './metadata';
import { checkDuration, checkName, checkOptionalDuration, checkRegex, checkSecretName } from './validation';
import { checkProps } from '../platform/config-boundary/props';

const IMAGE_COMPONENT = /^[a-z0-9]+((\.|_|__|-+)[a-z0-9]+)*$/;
const REGISTRY = /^([A-Za-z0-9]([-A-Za-z0-9]*[A-Za-z0-9])?)(\.[A-Za-z0-9]([-A-Za-z0-9]*[A-Za-z0-9])?)*(:[0-9]{1,5})?$/;

/** Checks an image repository name without tag or digest (`ghcr.io/<owner>/api`, `docker.io/<owner>/app`). */
export function checkImageName(where: string, field: string, image: string): string {
  const parts = typeof image === 'string' ? image.split('/') : [];
  const hasRegistry = parts.length > 1 && (parts[0].includes('.') || parts[0].includes(':') || parts[0] === 'localhost');
  const path = hasRegistry ? parts.slice(1) : parts;
  if (
    parts.length === 0 ||
    image.includes('@') ||
    /:\/\//.test(image) ||
    (hasRegistry && !REGISTRY.test(parts[0])) ||
    path.length === 0 ||
    !path.every((p) => IMAGE_COMPONENT.test(p))
  ) {
    throw new ConfigError(
      where,
      field,
      image,
      'Use an image repository without scheme, tag or digest, such as "ghcr.io/<owner>/api-service" or "docker.io/<owner>/myapp".',
    );
  }
  return image;
}

/** Options for {@link ImageRepository}. */
export interface ImageRepositoryProps extends FluxObjectOptions {
  /** The image repository to scan (`ghcr.io/<owner>/api-service`), without tag. */
  readonly image: string;
  /**
   * How often the registry is scanned for tags.
   * @default '5m'
   */
  readonly interval?: string;
  /**
   * Name of a docker-registry Secret with pull credentials.
   * @default - anonymous, or the provider's identity
   */
  readonly secretRef?: string;
  /**
   * Authenticate with a cloud identity (`aws`, `azure`, `gcp`).
   * @default 'generic'
   */
  readonly provider?: 'generic' | 'aws' | 'azure' | 'gcp';
  /**
   * Name of a ServiceAccount whose image pull secrets are used.
   * @default - none
   */
  readonly serviceAccountName?: string;
  /**
   * Name of a Secret with a CA / client certificate for the registry.
   * @default - system trust store
   */
  readonly certSecretRef?: string;
  /**
   * Regular expressions of tags to ignore.
   * @default - Flux's default (signature tags, `^.*\.sig$`)
   */
  readonly exclusionList?: readonly string[];
  /**
   * Timeout of registry operations (`ms`, `s` or `m` only).
   * @default - Flux's default
   */
  readonly timeout?: string;
  /**
   * Stop scanning.
   * @default false
   */
  readonly suspend?: boolean;
}

/** A Flux ImageRepository (`image.toolkit.fluxcd.io/v1`): scans a registry for tags. */
export class ImageRepository extends Construct {
  /** The generated resource. */
  public readonly resource: ApiObject;
  public readonly name: string;
  public readonly namespace: string;
  /** The scanned image. */
  public readonly image: string;
  /** The scan interval. */
  public readonly interval: string;

  constructor(scope: Construct, id: string, props: ImageRepositoryProps) {
    super(scope, id);
    checkProps(this, 'ImageRepositoryProps', props);
    const where = this.node.path;
    const identity = fluxIdentity(this, props);
    this.name = identity.name;
    this.namespace = identity.namespace;
    this.image = checkImageName(where, 'image', props.image);
    this.interval = checkDuration(where, 'interval', props.interval ?? '5m');
    for (const pattern of props.exclusionList ?? []) checkRegex(where, 'exclusionList', pattern);
    if (props.provider !== undefined && props.provider !== 'generic' && props.secretRef !== undefined) {
      throw new ConfigError(where, 'secretRef', props.secretRef, `The ${props.provider} provider authenticates with the cloud identity; remove secretRef or use provider "generic".`);
    }
    this.resource = new ImageRepositoryResource(this, 'Resource', {
      metadata: identity.metadata,
      spec: {
        image: this.image,
        interval: this.interval,
        secretRef: props.secretRef === undefined ? undefined : { name: checkSecretName(where, 'secretRef', props.secretRef) },
        provider: props.provider as ImageRepositorySpecProvider | undefined,
        serviceAccountName:
          props.serviceAccountName === undefined ? undefined : checkName(where, 'serviceAccountName', props.serviceAccountName),
        certSecretRef:
          props.certSecretRef === undefined ? undefined : { name: checkSecretName(where, 'certSecretRef', props.certSecretRef) },
        exclusionList: props.exclusionList && props.exclusionList.length > 0 ? [...props.exclusionList] : undefined,
        timeout: checkOptionalDuration(where, 'timeout', props.timeout, { allowHours: false }),
        suspend: props.suspend,
      },
    });
  }
}
