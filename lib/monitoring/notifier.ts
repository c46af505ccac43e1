import { ConfigError } from '../platform/errors';
import { checkDuration } from './promql';
import { checkTemplate } from './rules';

/** Where the Prometheus Operator mounts the Secrets listed in `alertmanagerSpec.secrets`. */
export const ALERTMANAGER_SECRETS_DIR = '/etc/alertmanager/secrets';

/** One key of a Kubernetes Secret in the monitoring namespace. Never the value itself. */
export interface SecretKey {
  /** The Secret's name. */
  readonly name: string;
  /** The key inside the Secret. */
  readonly key: string;
}

/** The path at which Alertmanager reads a Secret key (`<dir>/<secret>/<key>`). */
export function secretFile(secret: SecretKey): string {
  return `${ALERTMANAGER_SECRETS_DIR}/${secret.name}/${secret.key}`;
}

/** The name of the template that titles every notification (defined in `gitops.tmpl`). */
export const TITLE_TEMPLATE = '{{ template "gitops.title" . }}';
/** The name of the template that renders the alert list (defined in `gitops.tmpl`). */
export const TEXT_TEMPLATE = '{{ template "gitops.text" . }}';

/** Options for {@link Notifier.slack}. */
export interface SlackNotifierOptions {
  /** The Secret key holding the Slack incoming-webhook URL (read with `api_url_file`). */
  readonly apiUrl: SecretKey;
  /** The channel (`#platform-alerts`). */
  readonly channel: string;
  /** Message title (an Alertmanager template). @default the shared `gitops.title` template */
  readonly title?: string;
  /** Message text (an Alertmanager template). @default the shared `gitops.text` template */
  readonly text?: string;
  /** Notify when alerts resolve. @default true */
  readonly sendResolved?: boolean;
}

/** Options for {@link Notifier.pagerDuty}. */
export interface PagerDutyNotifierOptions {
  /** The Secret key holding the Events API v2 integration (routing) key (read with `routing_key_file`). */
  readonly routingKey: SecretKey;
  /** Incident description (an Alertmanager template). @default the shared `gitops.title` template */
  readonly description?: string;
  /** Notify when alerts resolve (closes the incident). @default true */
  readonly sendResolved?: boolean;
}

/** Options for {@link Notifier.email}. */
export interface EmailNotifierOptions {
  /** Recipient addresses. */
  readonly to: readonly string[];
  /** Sender address. */
  readonly from: string;
  /** SMTP server as `host:port`. */
  readonly smarthost: string;
  /** SMTP user name. @default - no authentication */
  readonly authUsername?: string;
  /** The Secret key holding the SMTP password (read with `auth_password_file`). @default - no authentication */
  readonly authPassword?: SecretKey;
  /** Require STARTTLS. @default true */
  readonly requireTls?: boolean;
  /** Notify when alerts resolve. @default true */
  readonly sendResolved?: boolean;
}

/** Options for {@link Notifier.webhook}. */
export interface WebhookNotifierOptions {
  /** The Secret key holding the endpoint URL (read with `url_file`). */
  readonly url: SecretKey;
  /** The Secret key holding a bearer token sent as `Authorization: Bearer` (read with `credentials_file`). @default - none */
  readonly bearerToken?: SecretKey;
  /** A JSON body to send instead of Alertmanager's own (string leaves are Alertmanager templates). @default - Alertmanager's webhook payload */
  readonly payload?: Readonly<Record<string, unknown>>;
  /** Alerts per message (0 = all). @default 0 */
  readonly maxAlerts?: number;
  /** Request timeout (a duration). @default - none */
  readonly timeout?: string;
  /** Notify when alerts resolve. @default true */
  readonly sendResolved?: boolean;
}

/** The kinds of Alertmanager receivers a {@link Notifier} configures. */
export type NotifierType = 'slack' | 'pagerduty' | 'email' | 'webhook';

/**
 * One notification destination of an Alertmanager receiver. Credentials are
 * never in the configuration: every URL, key and password is a Secret key
 * that Alertmanager reads from a mounted file (`api_url_file`,
 * `routing_key_file`, `auth_password_file`, `url_file`, `credentials_file`).
 */
export class Notifier {
  /** A Slack channel through an incoming webhook. */
  public static slack(options: SlackNotifierOptions): Notifier {
    return new Notifier('slack', options, [options.apiUrl]);
  }

  /** A PagerDuty service through the Events API v2. */
  public static pagerDuty(options: PagerDutyNotifierOptions): Notifier {
    return new Notifier('pagerduty', options, [options.routingKey]);
  }

  /** E-mail through an SMTP server. */
  public static email(options: EmailNotifierOptions): Notifier {
    return new Notifier('email', options, options.authPassword ? [options.authPassword] : []);
  }

  /** An HTTP endpoint that receives a POST per notification. */
  public static webhook(options: WebhookNotifierOptions): Notifier {
    return new Notifier('webhook', options, options.bearerToken ? [options.url, options.bearerToken] : [options.url]);
  }

  private constructor(
    /** The kind of destination. */
    public readonly type: NotifierType,
    private readonly options:
      | SlackNotifierOptions
      | PagerDutyNotifierOptions
      | EmailNotifierOptions
      | WebhookNotifierOptions,
    /** The Secret keys this destination reads. */
    public readonly secrets: readonly SecretKey[],
  ) {}

  /** The Alertmanager receiver field this destination goes into (`slack_configs` ...). */
  public get configKey(): string {
    return `${this.type}_configs`;
  }

  /** Checks the options; `field` prefixes the field names in errors. */
  public validate(where: string, field: string): void {
    for (const [i, secret] of this.secrets.entries()) checkSecretKey(where, `${field}.secrets[${i}]`, secret);
    switch (this.type) {
      case 'slack': {
        const o = this.options as SlackNotifierOptions;
        if (typeof o.channel !== 'string' || !/^[#@][^\s]+$/.test(o.channel)) {
          throw new ConfigError(where, `${field}.channel`, o.channel, 'Use a channel such as "#platform-alerts" (or "@user").');
        }
        for (const key of ['title', 'text'] as const) if (o[key] !== undefined) checkNotificationTemplate(where, `${field}.${key}`, o[key]!);
        return;
      }
      case 'pagerduty': {
        const o = this.options as PagerDutyNotifierOptions;
        if (o.description !== undefined) checkNotificationTemplate(where, `${field}.description`, o.description);
        return;
      }
      case 'email': {
        const o = this.options as EmailNotifierOptions;
        if (!Array.isArray(o.to) || o.to.length === 0 || !o.to.every(isEmail)) {
          throw new ConfigError(where, `${field}.to`, o.to, 'List at least one e-mail address (name@host).');
        }
        if (!isEmail(o.from)) throw new ConfigError(where, `${field}.from`, o.from, 'Use a sender e-mail address (name@host).');
        if (typeof o.smarthost !== 'string' || !/^[A-Za-z0-9.-]+:[0-9]{1,5}$/.test(o.smarthost)) {
          throw new ConfigError(where, `${field}.smarthost`, o.smarthost, 'Use the SMTP server as host:port, such as "<smtp host>:587".');
        }
        if ((o.authUsername === undefined) !== (o.authPassword === undefined)) {
          throw new ConfigError(where, `${field}.authPassword`, o.authPassword, 'Set both authUsername and authPassword (a Secret key), or neither.');
        }
        return;
      }
      case 'webhook': {
        const o = this.options as WebhookNotifierOptions;
        if (o.maxAlerts !== undefined && (!Number.isInteger(o.maxAlerts) || o.maxAlerts < 0)) {
          throw new ConfigError(where, `${field}.maxAlerts`, o.maxAlerts, 'Use a whole number of 0 or more (0 sends every alert).');
        }
        if (o.timeout !== undefined) checkDuration(where, `${field}.timeout`, o.timeout);
        if (o.payload !== undefined) {
          for (const leaf of stringLeaves(o.payload)) checkNotificationTemplate(where, `${field}.payload`, leaf);
        }
        return;
      }
    }
  }

  /** The destination as Alertmanager configuration (credentials as file paths). */
  public render(): Record<string, unknown> {
    switch (this.type) {
      case 'slack': {
        const o = this.options as SlackNotifierOptions;
        return {
          send_resolved: o.sendResolved ?? true,
          api_url_file: secretFile(o.apiUrl),
          channel: o.channel,
          title: o.title ?? TITLE_TEMPLATE,
          text: o.text ?? TEXT_TEMPLATE,
        };
      }
      case 'pagerduty': {
        const o = this.options as PagerDutyNotifierOptions;
        return {
          send_resolved: o.sendResolved ?? true,
          routing_key_file: secretFile(o.routingKey),
          description: o.description ?? TITLE_TEMPLATE,
          severity: '{{ if .CommonLabels.severity }}{{ .CommonLabels.severity }}{{ else }}error{{ end }}',
        };
      }
      case 'email': {
        const o = this.options as EmailNotifierOptions;
        return {
          send_resolved: o.sendResolved ?? true,
          to: o.to.join(', '),
          from: o.from,
          smarthost: o.smarthost,
          require_tls: o.requireTls ?? true,
          ...(o.authUsername ? { auth_username: o.authUsername, auth_password_file: secretFile(o.authPassword!) } : {}),
          headers: { Subject: TITLE_TEMPLATE },
        };
      }
      case 'webhook': {
        const o = this.options as WebhookNotifierOptions;
        return {
          send_resolved: o.sendResolved ?? true,
          url_file: secretFile(o.url),
          max_alerts: o.maxAlerts ?? 0,
          ...(o.timeout ? { timeout: o.timeout } : {}),
          ...(o.bearerToken
            ? { http_config: { authorization: { type: 'Bearer', credentials_file: secretFile(o.bearerToken) } } }
            : {}),
          ...(o.payload ? { payload: o.payload } : {}),
        };
      }
    }
  }
}

/** Checks a Secret key reference (DNS name, valid key). */
export function checkSecretKey(where: string, field: string, secret: SecretKey | undefined): void {
  if (!secret || typeof secret.name !== 'string' || !/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/.test(secret.name)) {
    throw new ConfigError(where, `${field}.name`, secret?.name, 'Reference a Secret by its name (a lowercase DNS name), such as "alertmanager-notifications".');
  }
  if (typeof secret.key !== 'string' || !/^[-._a-zA-Z0-9]+$/.test(secret.key)) {
    throw new ConfigError(where, `${field}.key`, secret.key, 'Reference a key of the Secret (letters, digits, "-", "_", "."), such as "slack-api-url".');
  }
}

/**
 * Checks notification template text: balanced `{{ }}`, and no `${` or `%{`,
 * which Terraform would interpolate in the Helm values it sends.
 */
export function checkNotificationTemplate(where: string, field: string, text: string): void {
  checkTemplate(where, field, text);
  if (/[$%]\{/.test(text)) {
    throw new ConfigError(where, field, text, 'Remove "${" and "%{": Terraform would interpolate them in the Helm values. Use Alertmanager\'s {{ }} templates.');
  }
}

function isEmail(value: unknown): boolean {
  return typeof value === 'string' && /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(value);
}

function stringLeaves(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.flatMap(stringLeaves);
  if (value !== null && typeof value === 'object') return Object.values(value).flatMap(stringLeaves);
  return [];
}
