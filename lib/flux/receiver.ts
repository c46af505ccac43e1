import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { ConfigError } from '../platform/errors';
import { Receiver as ReceiverResource, ReceiverSpecResourcesKind, ReceiverSpecType } from '../imports/flux-notification';
import { FluxEventSource, eventSourcesJson } from './alert';
import { fluxIdentity, FluxObjectOptions } from './metadata';
import { checkOptionalDuration, checkSecretName } from './validation';
import { checkProps } from '../platform/config-boundary/props';

/** Which webhook a Receiver accepts and how it verifies it. */
export class ReceiverType {
  /**
   * GitHub webhooks, verified with the HMAC signature made from the Secret's
   * `token` (set the same value as the webhook secret in GitHub).
   */
  public static github(events: readonly string[] = ['ping', 'push']): ReceiverType {
    return new ReceiverType(ReceiverSpecType.GITHUB, checkEvents('github', events));
  }

  /** GitLab webhooks, verified with the `X-Gitlab-Token` header against the Secret's `token`. */
  public static gitlab(events: readonly string[] = ['Push Hook', 'Tag Push Hook']): ReceiverType {
    return new ReceiverType(ReceiverSpecType.GITLAB, checkEvents('gitlab', events));
  }

  /** Any caller that knows the webhook path (derived from the Secret's `token`). */
  public static generic(): ReceiverType {
    return new ReceiverType(ReceiverSpecType.GENERIC, []);
  }

  /** Any caller that signs the payload with HMAC using the Secret's `token`. */
  public static genericHmac(): ReceiverType {
    return new ReceiverType(ReceiverSpecType.GENERIC_HYPHEN_HMAC, []);
  }

  private constructor(
    /** The receiver type. */
    public readonly type: ReceiverSpecType,
    /** The events accepted (empty: all). */
    public readonly events: readonly string[],
  ) {}
}

function checkEvents(type: string, events: readonly string[]): readonly string[] {
  for (const event of events) {
    if (typeof event !== 'string' || event.trim() === '') {
      throw new ConfigError(`ReceiverType.${type}`, 'events', events, 'Give event names such as "push" or "ping".');
    }
  }
  return [...events];
}

/** Options for {@link Receiver}. */
export interface ReceiverProps extends FluxObjectOptions {
  /** The webhook type. */
  readonly type: ReceiverType;
  /** Name of the Secret with the webhook `token` (required: the token never appears in a manifest). */
  readonly secretRef: string;
  /** The objects reconciled when a webhook arrives (usually the GitRepository). */
  readonly resources: readonly FluxEventSource[];
  /**
   * How often the Receiver itself is reconciled.
   * @default - Flux's default (10m)
   */
  readonly interval?: string;
  /**
   * Stop receiving.
   * @default false
   */
  readonly suspend?: boolean;
}

/**
 * A Flux notification Receiver (`notification.toolkit.fluxcd.io/v1`): a
 * webhook endpoint (`/hook/<digest of token, name, namespace>` on the
 * notification-controller's webhook-receiver service) that triggers an
 * immediate reconciliation.
 */
export class Receiver extends Construct {
  /** The generated resource. */
  public readonly resource: ApiObject;
  public readonly name: string;
  public readonly namespace: string;
  /** The webhook type. */
  public readonly type: ReceiverType;

  constructor(scope: Construct, id: string, props: ReceiverProps) {
    super(scope, id);
    checkProps(this, 'ReceiverProps', props);
    const where = this.node.path;
    const identity = fluxIdentity(this, props);
    this.name = identity.name;
    this.namespace = identity.namespace;
    this.type = props.type;
    const resources = eventSourcesJson(where, 'resources', props.resources, this.namespace).map((r) => ({
      ...r,
      kind: r.kind as string as ReceiverSpecResourcesKind,
    }));
    this.resource = new ReceiverResource(this, 'Resource', {
      metadata: identity.metadata,
      spec: {
        type: props.type.type,
        events: props.type.events.length > 0 ? [...props.type.events] : undefined,
        secretRef: { name: checkSecretName(where, 'secretRef', props.secretRef) },
        resources,
        interval: checkOptionalDuration(where, 'interval', props.interval),
        suspend: props.suspend,
      },
    });
  }
}
