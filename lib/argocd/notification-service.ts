import { ConfigError } from '../platform/errors';
import { toYaml } from '../platform/yaml';
import { checkNotificationName, checkSecretKey } from './notification-checks';

/** Options for {@link NotificationService.slack}. */
export interface SlackServiceOptions {
  /** Key of the bot token in the notifications Secret. @default 'slack-token' */
  readonly tokenKey?: string;
  /** Display name of the bot. @default - the Slack app's name */
  readonly username?: string;
  /** Emoji or image URL shown as the bot icon. @default - the Slack app's icon */
  readonly icon?: string;
}

/** Options for {@link NotificationService.teamsWebhook}. */
export interface TeamsWebhookOptions {
  /** Service name: `service.webhook.<name>`, and the name subscriptions use. @default 'teams' */
  readonly name?: string;
  /** Key of the incoming-webhook URL in the notifications Secret (the URL is a credential). @default 'teams-webhook-url' */
  readonly urlKey?: string;
  /** HTTP headers sent with every call. @default [] */
  readonly headers?: ReadonlyArray<{ readonly name: string; readonly value: string }>;
}

/** Options for {@link NotificationService.email}. */
export interface EmailServiceOptions {
  /** Service name: `service.email.<name>`, and the name subscriptions use. @default - `service.email`, used as `email` */
  readonly name?: string;
  /** SMTP host. */
  readonly host: string;
  /** SMTP port. */
  readonly port: number;
  /** Sender address. @default - the SMTP user */
  readonly from?: string;
  /** Key of the SMTP user name in the notifications Secret. @default 'email-username' */
  readonly usernameKey?: string;
  /** Key of the SMTP password in the notifications Secret. @default 'email-password' */
  readonly passwordKey?: string;
}

/**
 * A notification service of the Argo CD notifications controller. Every
 * credential is a `$key` reference to the notifications Secret, never a value.
 */
export class NotificationService {
  /** Slack, with a bot token from the notifications Secret. */
  public static slack(options: SlackServiceOptions = {}): NotificationService {
    const tokenKey = checkSecretKey('slack.tokenKey', options.tokenKey ?? 'slack-token');
    return new NotificationService('slack', 'slack', 'service.slack', [tokenKey], {
      token: `$${tokenKey}`,
      ...(options.username !== undefined ? { username: options.username } : {}),
      ...(options.icon !== undefined ? { icon: options.icon } : {}),
    });
  }

  /** A Microsoft Teams incoming webhook, called as a generic webhook service. */
  public static teamsWebhook(options: TeamsWebhookOptions = {}): NotificationService {
    const name = checkNotificationName('teamsWebhook.name', options.name ?? 'teams');
    const urlKey = checkSecretKey('teamsWebhook.urlKey', options.urlKey ?? 'teams-webhook-url');
    return new NotificationService('webhook', name, `service.webhook.${name}`, [urlKey], {
      url: `$${urlKey}`,
      ...(options.headers && options.headers.length > 0 ? { headers: options.headers.map((h) => ({ ...h })) } : {}),
    });
  }

  /** Email over SMTP, with the user name and password from the notifications Secret. */
  public static email(options: EmailServiceOptions): NotificationService {
    const name = checkNotificationName('email.name', options.name ?? 'email');
    const key = options.name === undefined ? 'service.email' : `service.email.${name}`;
    const usernameKey = checkSecretKey('email.usernameKey', options.usernameKey ?? 'email-username');
    const passwordKey = checkSecretKey('email.passwordKey', options.passwordKey ?? 'email-password');
    if (!/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/i.test(options.host)) {
      throw new ConfigError('NotificationService', 'email.host', options.host, 'Use the SMTP host name, such as "smtp.gmail.com".');
    }
    if (!Number.isInteger(options.port) || options.port < 1 || options.port > 65535) {
      throw new ConfigError('NotificationService', 'email.port', options.port, 'Use a TCP port such as 587.');
    }
    return new NotificationService('email', name, key, [usernameKey, passwordKey], {
      username: `$${usernameKey}`,
      password: `$${passwordKey}`,
      host: options.host,
      port: options.port,
      ...(options.from !== undefined ? { from: options.from } : {}),
    });
  }

  private constructor(
    /** The service type. */
    public readonly type: 'slack' | 'webhook' | 'email',
    /** The name subscriptions use (`slack`, `teams`, `email`). */
    public readonly name: string,
    /** The key in argocd-notifications-cm (`service.slack`). */
    public readonly key: string,
    /** Keys this service reads from the notifications Secret. */
    public readonly secretKeys: readonly string[],
    private readonly config: Readonly<Record<string, unknown>>,
  ) {}

  /**
   * The TCP ports the notifications controller reaches for this service: the
   * SMTP port for email, HTTPS (443) for Slack and webhooks (a webhook URL is a
   * credential in the notifications Secret, so its port cannot be read here:
   * one on another port needs `argocd.egressPorts`).
   */
  public get egressPorts(): readonly number[] {
    return this.type === 'email' ? [this.config.port as number] : [443];
  }

  /** Where the notifications controller connects to deliver (for the network model). */
  public get endpoint(): { readonly host: string; readonly port: number } {
    if (this.type === 'email') return { host: String(this.config.host), port: Number(this.config.port) };
    if (this.type === 'slack') return { host: 'slack.com', port: 443 };
    return { host: `${this.name} webhook (URL from the notifications Secret)`, port: 443 };
  }

  /** The service configuration, as argocd-notifications-cm holds it. */
  public render(): string {
    return toYaml(this.config);
  }
}
