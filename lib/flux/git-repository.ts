import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { ConfigError } from '../platform/errors';
import {
  GitRepository as GitRepositoryResource,
  GitRepositorySpecVerifyMode,
} from '../imports/flux-source';
import { fluxIdentity, FluxObjectOptions } from './metadata';
import { GitRef, IFluxSource, FluxSourceKind } from './source';
import { checkDuration, checkOptionalDuration, checkSecretName, checkUrl } from './validation';
import { checkProps } from '../platform/config-boundary/props';

/** Which commits source-controller verifies with the OpenPGP keys of a Secret. */
export class GitVerification {
  /** Verify the signature of the HEAD commit (Flux's default mode). */
  public static head(keysSecret: string): GitVerification {
    return new GitVerification(undefined, keysSecret);
  }

  /** Verify the signature of the checked-out tag. */
  public static tag(keysSecret: string): GitVerification {
    return new GitVerification(GitRepositorySpecVerifyMode.TAG, keysSecret);
  }

  /** Verify both the tag and the commit it points to. */
  public static tagAndHead(keysSecret: string): GitVerification {
    return new GitVerification(GitRepositorySpecVerifyMode.TAG_AND_HEAD, keysSecret);
  }

  private constructor(
    private readonly mode: GitRepositorySpecVerifyMode | undefined,
    /** The Secret holding the trusted public keys. */
    public readonly keysSecret: string,
  ) {
    checkSecretName('GitVerification', 'keysSecret', keysSecret);
  }

  /** The `verify` object. */
  public toJson(): { mode?: GitRepositorySpecVerifyMode; secretRef: { name: string } } {
    return { ...(this.mode ? { mode: this.mode } : {}), secretRef: { name: this.keysSecret } };
  }
}

/** Options for {@link GitRepository}. */
export interface GitRepositoryProps extends FluxObjectOptions {
  /** The repository URL (`https://`, `http://` or `ssh://`), without credentials. */
  readonly url: string;
  /**
   * The revision to check out.
   * @default - no ref; source-controller checks out the `master` branch
   */
  readonly ref?: GitRef;
  /**
   * How often the repository is fetched.
   * @default '1m'
   */
  readonly interval?: string;
  /**
   * Name of a Secret in the same namespace with the credentials
   * (`username`/`password` for HTTPS, `identity`/`known_hosts` for SSH).
   * @default - public repository, no credentials
   */
  readonly secretRef?: string;
  /**
   * `.gitignore`-style rules for files left out of the artifact.
   * @default - source-controller's defaults (VCS and CI files)
   */
  readonly ignore?: string;
  /**
   * Verify commit or tag signatures with OpenPGP keys.
   * @default - no verification
   */
  readonly verify?: GitVerification;
  /**
   * Timeout of Git operations (`ms`, `s` or `m` only).
   * @default - Flux's default (60s)
   */
  readonly timeout?: string;
  /**
   * Check out submodules as well.
   * @default false
   */
  readonly recurseSubmodules?: boolean;
  /**
   * Stop fetching.
   * @default false
   */
  readonly suspend?: boolean;
}

/** A Flux GitRepository (`source.toolkit.fluxcd.io/v1`). */
export class GitRepository extends Construct implements IFluxSource {
  /** The generated resource. */
  public readonly resource: ApiObject;
  public readonly sourceKind: FluxSourceKind = 'GitRepository';
  public readonly name: string;
  public readonly namespace: string;
  /** The repository URL. */
  public readonly url: string;
  /** The checked-out ref, if any. */
  public readonly ref?: GitRef;
  /** The credentials Secret, if any. */
  public readonly secretRef?: string;
  /** The fetch interval. */
  public readonly interval: string;

  constructor(scope: Construct, id: string, props: GitRepositoryProps) {
    super(scope, id);
    checkProps(this, 'GitRepositoryProps', props);
    const where = this.node.path;
    const identity = fluxIdentity(this, props);
    this.name = identity.name;
    this.namespace = identity.namespace;
    this.url = checkUrl(where, 'url', props.url, ['https', 'http', 'ssh']);
    if (this.url.startsWith('http://') && props.secretRef !== undefined) {
      throw new ConfigError(where, 'url', this.url, 'Credentials must not travel over plain HTTP; use an https:// or ssh:// URL.');
    }
    this.interval = checkDuration(where, 'interval', props.interval ?? '1m');
    this.ref = props.ref;
    this.secretRef = props.secretRef === undefined ? undefined : checkSecretName(where, 'secretRef', props.secretRef);
    if (props.ignore !== undefined && props.ignore.trim() === '') {
      throw new ConfigError(where, 'ignore', props.ignore, 'Leave ignore unset or give at least one rule.');
    }
    this.resource = new GitRepositoryResource(this, 'Resource', {
      metadata: identity.metadata,
      spec: {
        interval: this.interval,
        url: this.url,
        ref: this.ref?.toJson(),
        secretRef: this.secretRef ? { name: this.secretRef } : undefined,
        ignore: props.ignore,
        verify: props.verify?.toJson(),
        timeout: checkOptionalDuration(where, 'timeout', props.timeout, { allowHours: false }),
        recurseSubmodules: props.recurseSubmodules,
        suspend: props.suspend,
      },
    });
  }
}
