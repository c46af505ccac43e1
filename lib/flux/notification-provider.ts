import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { ConfigError } from '../platform/errors';
import { Provider as ProviderResource, ProviderSpecType } from '../imports/flux-notification';
import { fluxIdentity, FluxObjectOptions } from './metadata';
import { checkOptionalDuration, checkSecretName, checkUrl } from './validation';
import { checkProps } from '../platform/config-boundary/props';

/**
 * What a notification Provider posts to. Webhook-style providers (Slack,
 * Microsoft Teams, a generic webhook) take their address only from the
 * Secret's `address` key: a webhook URL embeds a token, so no factory
 * accepts one. Commit-status providers take the repository URL (public, no
 * credentials) and the token from the Secret's `token` key.
 */
export class ProviderType {
  /**
   * Slack: the Secret holds `address`, an incoming-webhook URL (or the
   * `chat.postMessage` API URL together with a bot `token`; then give `channel`).
   */
  public static slack(options: { readonly channel?: string; readonly username?: string } = {}): ProviderType {
    if (options.channel !== undefined && !/^[#@]?[a-z0-9][-a-z0-9_.]{0,79}$/i.test(options.channel)) {
      throw new ConfigError('ProviderType.slack', 'channel', options.channel, 'Use a channel name such as "#gitops-alerts".');
    }
    return new ProviderType(ProviderSpecType.SLACK, { channel: options.channel, username: options.username }, 'address');
  }

  /** Microsoft Teams: the Secret holds `address` (a Teams workflow / incoming-webhook URL). */
  public static msteams(): ProviderType {
    return new ProviderType(ProviderSpecType.MSTEAMS, {}, 'address');
  }

  /**
   * A generic webhook: events are POSTed as JSON to the Secret's `address`
   * (with optional `headers`). `hmac: true` signs the payload with the
   * Secret's `token` (`generic-hmac`).
   */
  public static genericWebhook(options: { readonly hmac?: boolean } = {}): ProviderType {
    return new ProviderType(options.hmac ? ProviderSpecType.GENERIC_HYPHEN_HMAC : ProviderSpecType.GENERIC, {}, options.hmac ? 'address, token' : 'address');
  }

  /**
   * GitHub commit status: Kustomization events mark the reconciled commit of
   * `repositoryUrl` (`https://github.com/<owner>/<repo>`); the Secret holds
   * `token` (a PAT or GitHub App credentials).
   */
  public static githubCommitStatus(repositoryUrl: string): ProviderType {
    checkUrl('ProviderType.githubCommitStatus', 'repositoryUrl', repositoryUrl, ['https']);
    if (!/^https:\/\/[^/]+\/[^/]+\/[^/]+?(\.git)?$/.test(repositoryUrl)) {
      throw new ConfigError('ProviderType.githubCommitStatus', 'repositoryUrl', repositoryUrl, 'Use the repository URL, such as "https://github.com/<owner>/<repository>".');
    }
    return new ProviderType(ProviderSpecType.GITHUB, { address: repositoryUrl }, 'token');
  }

  private constructor(
    /** The provider type. */
    public readonly type: ProviderSpecType,
    private readonly fields: { readonly address?: string; readonly channel?: string; readonly username?: string },
    /** The keys the Secret must hold, for docs and outputs. */
    public readonly secretKeys: string,
  ) {}

  /** Whether this provider reports Git commit statuses (its alerts should only watch Kustomizations). */
  public get isCommitStatus(): boolean {
    return this.type === ProviderSpecType.GITHUB;
  }

  /** The non-secret spec fields. */
  public toJson(): { type: ProviderSpecType; address?: string; channel?: string; username?: string } {
    return { type: this.type, ...this.fields };
  }
}

/** Options for {@link Provider}. */
export interface ProviderProps extends FluxObjectOptions {
  /** What to post to. */
  readonly type: ProviderType;
  /**
   * Name of the Secret with the address and/or token (required: addresses
   * and tokens never appear in a manifest).
   */
  readonly secretRef: string;
  /**
   * Name of a Secret with a CA certificate for the endpoint.
   * @default - system trust store
   */
  readonly certSecretRef?: string;
  /**
   * Timeout of a post (`ms`, `s` or `m` only).
   * @default - Flux's default (15s)
   */
  readonly timeout?: string;
  /**
   * Stop posting.
   * @default false
   */
  readonly suspend?: boolean;
}

/** A Flux notification Provider (`notification.toolkit.fluxcd.io/v1beta3`). */
export class Provider extends Construct {
  /** The generated resource. */
  public readonly resource: ApiObject;
  public readonly name: string;
  public readonly namespace: string;
  /** The provider type. */
  public readonly type: ProviderType;
  /** The Secret with the address / token. */
  public readonly secretRef: string;

  constructor(scope: Construct, id: string, props: ProviderProps) {
    super(scope, id);
    checkProps(this, 'ProviderProps', props);
    const where = this.node.path;
    const identity = fluxIdentity(this, props);
    this.name = identity.name;
    this.namespace = identity.namespace;
    this.type = props.type;
    this.secretRef = checkSecretName(where, 'secretRef', props.secretRef);
    this.resource = new ProviderResource(this, 'Resource', {
      metadata: identity.metadata,
      spec: {
        ...props.type.toJson(),
        secretRef: { name: this.secretRef },
        certSecretRef:
          props.certSecretRef === undefined ? undefined : { name: checkSecretName(where, 'certSecretRef', props.certSecretRef) },
        timeout: checkOptionalDuration(where, 'timeout', props.timeout, { allowHours: false }),
        suspend: props.suspend,
      },
    });
  }
}
