import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { ConfigError } from '../platform/errors';
import { HelmRepository as HelmRepositoryResource, HelmRepositorySpecType } from '../imports/flux-source';
import { fluxIdentity, FluxObjectOptions } from './metadata';
import { IFluxSource, FluxSourceKind } from './source';
import { checkDuration, checkOptionalDuration, checkSecretName, checkUrl } from './validation';
import { checkProps } from '../platform/config-boundary/props';

/** Options for {@link HelmRepository}. */
export interface HelmRepositoryProps extends FluxObjectOptions {
  /**
   * The repository URL: `https://` (or `http://`) for a classic chart index,
   * `oci://` for an OCI registry (the type follows from the scheme).
   */
  readonly url: string;
  /**
   * How often the index is fetched (HTTP repositories only; OCI charts are
   * fetched by their HelmChart/HelmRelease).
   * @default '1h' for HTTP repositories, none for OCI
   */
  readonly interval?: string;
  /**
   * Name of a Secret with `username`/`password` (or a docker config for OCI).
   * @default - public repository, no credentials
   */
  readonly secretRef?: string;
  /**
   * Name of a Secret with a CA / client certificate (`ca.crt`, `tls.crt`, `tls.key`).
   * @default - system trust store
   */
  readonly certSecretRef?: string;
  /**
   * Send the credentials to hosts other than the repository's (charts served from a CDN).
   * @default false
   */
  readonly passCredentials?: boolean;
  /**
   * Timeout of index downloads (`ms`, `s` or `m` only).
   * @default - Flux's default (60s)
   */
  readonly timeout?: string;
  /**
   * Stop fetching.
   * @default false
   */
  readonly suspend?: boolean;
}

/** A Flux HelmRepository (`source.toolkit.fluxcd.io/v1`), HTTP or OCI. */
export class HelmRepository extends Construct implements IFluxSource {
  /** The generated resource. */
  public readonly resource: ApiObject;
  public readonly sourceKind: FluxSourceKind = 'HelmRepository';
  public readonly name: string;
  public readonly namespace: string;
  /** The repository URL. */
  public readonly url: string;
  /** Whether this is an OCI registry. */
  public readonly isOci: boolean;

  constructor(scope: Construct, id: string, props: HelmRepositoryProps) {
    super(scope, id);
    checkProps(this, 'HelmRepositoryProps', props);
    const where = this.node.path;
    const identity = fluxIdentity(this, props);
    this.name = identity.name;
    this.namespace = identity.namespace;
    this.url = checkUrl(where, 'url', props.url, ['https', 'http', 'oci']);
    this.isOci = this.url.startsWith('oci://');
    if (this.url.startsWith('http://') && props.secretRef !== undefined) {
      throw new ConfigError(where, 'url', this.url, 'Credentials must not travel over plain HTTP; use an https:// URL.');
    }
    if (this.isOci && props.passCredentials !== undefined) {
      throw new ConfigError(where, 'passCredentials', props.passCredentials, 'passCredentials applies to HTTP repositories only; remove it.');
    }
    const interval = this.isOci
      ? checkOptionalDuration(where, 'interval', props.interval)
      : checkDuration(where, 'interval', props.interval ?? '1h');
    this.resource = new HelmRepositoryResource(this, 'Resource', {
      metadata: identity.metadata,
      spec: {
        type: this.isOci ? HelmRepositorySpecType.OCI : undefined,
        url: this.url,
        interval,
        secretRef: props.secretRef === undefined ? undefined : { name: checkSecretName(where, 'secretRef', props.secretRef) },
        certSecretRef:
          props.certSecretRef === undefined ? undefined : { name: checkSecretName(where, 'certSecretRef', props.certSecretRef) },
        passCredentials: props.passCredentials,
        timeout: checkOptionalDuration(where, 'timeout', props.timeout, { allowHours: false }),
        suspend: props.suspend,
      },
    });
  }
}
