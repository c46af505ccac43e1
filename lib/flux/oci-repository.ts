import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { ConfigError } from '../platform/errors';
import {
  OciRepository as OciRepositoryResource,
  OciRepositorySpecLayerSelectorOperation,
  OciRepositorySpecProvider,
  OciRepositorySpecRef,
  OciRepositorySpecVerify,
  OciRepositorySpecVerifyProvider,
} from '../imports/flux-source';
import { fluxIdentity, FluxObjectOptions } from './metadata';
import { semverRangeProblem } from './semver';
import { IFluxSource, FluxSourceKind } from './source';
import { checkDuration, checkOptionalDuration, checkRegex, checkSecretName, checkUrl } from './validation';
import { checkProps } from '../platform/config-boundary/props';

/** Which artifact of an OCI repository Flux pulls. */
export class OciRef {
  /** A fixed tag. */
  public static tag(tag: string): OciRef {
    if (!/^[A-Za-z0-9_][A-Za-z0-9._-]{0,127}$/.test(tag) || tag === 'latest') {
      throw new ConfigError('OciRef', 'tag', tag, 'Use an explicit OCI tag such as "1.2.3" or "v1.2.3" (not "latest").');
    }
    return new OciRef({ tag });
  }

  /** The newest tag in a SemVer range, optionally among tags matching a regular expression. */
  public static semver(range: string, filter?: string): OciRef {
    const problem = semverRangeProblem(range);
    if (problem !== undefined) {
      throw new ConfigError('OciRef', 'semver', range, `It does not parse (${problem}); use a range such as ">=1.0.0 <2.0.0".`);
    }
    if (filter !== undefined) checkRegex('OciRef', 'semverFilter', filter);
    return new OciRef({ semver: range, semverFilter: filter });
  }

  /** An immutable digest (`sha256:<64 hex>`). */
  public static digest(digest: string): OciRef {
    if (!/^sha(256:[0-9a-f]{64}|384:[0-9a-f]{96}|512:[0-9a-f]{128})$/.test(digest)) {
      throw new ConfigError('OciRef', 'digest', digest, 'Use a digest such as "sha256:" followed by 64 lowercase hex characters.');
    }
    return new OciRef({ digest });
  }

  private constructor(private readonly json: OciRepositorySpecRef) {}

  /** The `ref` object. */
  public toJson(): OciRepositorySpecRef {
    return { ...this.json };
  }
}

/** An identity a keyless (OIDC) cosign signature must match. */
export interface OciOidcIdentity {
  /** Regular expression matching the OIDC issuer. */
  readonly issuer: string;
  /** Regular expression matching the certificate subject. */
  readonly subject: string;
}

/** Signature verification of an OCI artifact. */
export class OciVerification {
  /** Cosign with public keys from a Secret (`*.pub` keys). */
  public static cosignKeys(keysSecret: string): OciVerification {
    return new OciVerification({
      provider: OciRepositorySpecVerifyProvider.COSIGN,
      secretRef: { name: checkSecretName('OciVerification', 'keysSecret', keysSecret) },
    });
  }

  /** Keyless cosign: the signing certificate must match one of the identities. */
  public static cosignKeyless(identities: readonly OciOidcIdentity[]): OciVerification {
    if (identities.length === 0) {
      throw new ConfigError('OciVerification', 'identities', identities, 'Give at least one issuer/subject pair; keyless verification without identities trusts any signer.');
    }
    for (const identity of identities) {
      checkRegex('OciVerification', 'identities.issuer', identity.issuer);
      checkRegex('OciVerification', 'identities.subject', identity.subject);
    }
    return new OciVerification({
      provider: OciRepositorySpecVerifyProvider.COSIGN,
      matchOidcIdentity: identities.map((i) => ({ issuer: i.issuer, subject: i.subject })),
    });
  }

  /** Notation with the certificates and trust policy of a Secret. */
  public static notation(trustSecret: string): OciVerification {
    return new OciVerification({
      provider: OciRepositorySpecVerifyProvider.NOTATION,
      secretRef: { name: checkSecretName('OciVerification', 'trustSecret', trustSecret) },
    });
  }

  private constructor(private readonly json: OciRepositorySpecVerify) {}

  /** The `verify` object. */
  public toJson(): OciRepositorySpecVerify {
    return { ...this.json };
  }
}

/** The cloud identity an OCIRepository authenticates with. */
export type OciProvider = 'generic' | 'aws' | 'azure' | 'gcp';

/** Options for {@link OCIRepository}. */
export interface OCIRepositoryProps extends FluxObjectOptions {
  /** The artifact URL (`oci://registry/path`). */
  readonly url: string;
  /**
   * Which artifact to pull.
   * @default - the `latest` tag (Flux's default); prefer an explicit ref
   */
  readonly ref?: OciRef;
  /**
   * How often the registry is checked.
   * @default '5m'
   */
  readonly interval?: string;
  /**
   * Name of a docker-registry Secret with pull credentials.
   * @default - anonymous, or the provider's identity
   */
  readonly secretRef?: string;
  /**
   * Authenticate with a cloud identity instead of a Secret.
   * @default 'generic'
   */
  readonly provider?: OciProvider;
  /**
   * Name of a ServiceAccount whose image pull secrets are used.
   * @default - none
   */
  readonly serviceAccountName?: string;
  /**
   * Verify the artifact's signature.
   * @default - no verification
   */
  readonly verify?: OciVerification;
  /**
   * Select one layer by media type, and extract it (`extract`) or copy it as is (`copy`).
   * @default - the first layer, extracted
   */
  readonly layerSelector?: { readonly mediaType: string; readonly operation?: 'extract' | 'copy' };
  /**
   * `.gitignore`-style rules for files left out of the artifact.
   * @default - none
   */
  readonly ignore?: string;
  /**
   * Timeout of registry operations (`ms`, `s` or `m` only).
   * @default - Flux's default (60s)
   */
  readonly timeout?: string;
  /**
   * Stop checking.
   * @default false
   */
  readonly suspend?: boolean;
}

/** A Flux OCIRepository (`source.toolkit.fluxcd.io/v1`). */
export class OCIRepository extends Construct implements IFluxSource {
  /** The generated resource. */
  public readonly resource: ApiObject;
  public readonly sourceKind: FluxSourceKind = 'OCIRepository';
  public readonly name: string;
  public readonly namespace: string;
  /** The artifact URL. */
  public readonly url: string;

  constructor(scope: Construct, id: string, props: OCIRepositoryProps) {
    super(scope, id);
    checkProps(this, 'OCIRepositoryProps', props);
    const where = this.node.path;
    const identity = fluxIdentity(this, props);
    this.name = identity.name;
    this.namespace = identity.namespace;
    this.url = checkUrl(where, 'url', props.url, ['oci']);
    const provider = props.provider ?? 'generic';
    if (provider !== 'generic' && props.secretRef !== undefined) {
      throw new ConfigError(where, 'secretRef', props.secretRef, `The ${provider} provider authenticates with the cloud identity; remove secretRef or use provider "generic".`);
    }
    this.resource = new OciRepositoryResource(this, 'Resource', {
      metadata: identity.metadata,
      spec: {
        url: this.url,
        interval: checkDuration(where, 'interval', props.interval ?? '5m'),
        ref: props.ref?.toJson(),
        secretRef: props.secretRef === undefined ? undefined : { name: checkSecretName(where, 'secretRef', props.secretRef) },
        provider: props.provider === undefined ? undefined : (provider as OciRepositorySpecProvider),
        serviceAccountName: props.serviceAccountName,
        verify: props.verify?.toJson(),
        layerSelector: props.layerSelector
          ? {
              mediaType: props.layerSelector.mediaType,
              operation: props.layerSelector.operation as OciRepositorySpecLayerSelectorOperation | undefined,
            }
          : undefined,
        ignore: props.ignore,
        timeout: checkOptionalDuration(where, 'timeout', props.timeout, { allowHours: false }),
        suspend: props.suspend,
      },
    });
  }
}
