import { ConfigError } from '../platform/errors';
import { toYaml } from '../platform/yaml';

/** The Secret the notifications controller reads `$key` references from. */
export const NOTIFICATIONS_SECRET = 'argocd-notifications-secret';

const KEY = /^[-._a-zA-Z0-9]+$/;
const NAME = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

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
    const tokenKey = checkKey('slack.tokenKey', options.tokenKey ?? 'slack-token');
    return new NotificationService('slack', 'slack', 'service.slack', [tokenKey], {
      token: `$${tokenKey}`,
      ...(options.username !== undefined ? { username: options.username } : {}),
      ...(options.icon !== undefined ? { icon: options.icon } : {}),
    });
  }

  /** A Microsoft Teams incoming webhook, called as a generic webhook service. */
  public static teamsWebhook(options: TeamsWebhookOptions = {}): NotificationService {
    const name = checkName('teamsWebhook.name', options.name ?? 'teams');
    const urlKey = checkKey('teamsWebhook.urlKey', options.urlKey ?? 'teams-webhook-url');
    return new NotificationService('webhook', name, `service.webhook.${name}`, [urlKey], {
      url: `$${urlKey}`,
      ...(options.headers && options.headers.length > 0 ? { headers: options.headers.map((h) => ({ ...h })) } : {}),
    });
  }

  /** Email over SMTP, with the user name and password from the notifications Secret. */
  public static email(options: EmailServiceOptions): NotificationService {
    const name = checkName('email.name', options.name ?? 'email');
    const key = options.name === undefined ? 'service.email' : `service.email.${name}`;
    const usernameKey = checkKey('email.usernameKey', options.usernameKey ?? 'email-username');
    const passwordKey = checkKey('email.passwordKey', options.passwordKey ?? 'email-password');
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

  /** The service configuration, as argocd-notifications-cm holds it. */
  public render(): string {
    return toYaml(this.config);
  }
}

/** A webhook call made by a template for one webhook service. */
export interface WebhookMessage {
  /** HTTP method. @default 'POST' */
  readonly method?: string;
  /** Path appended to the service URL. @default - none */
  readonly path?: string;
  /** Request body (Go template). */
  readonly body: string;
}

/** Options for {@link NotificationTemplate}. */
export interface NotificationTemplateProps {
  /** Template name (`app-deployed`); the key is `template.<name>`. */
  readonly name: string;
  /** The message (Go template, `{{.app.metadata.name}}`); written as a block ending in a newline. @default - none */
  readonly message?: string;
  /** Email subject. @default - none */
  readonly emailSubject?: string;
  /** Slack attachments (written as JSON). @default - none */
  readonly slackAttachments?: ReadonlyArray<Readonly<Record<string, unknown>>>;
  /** Calls per webhook service name (`teams`). @default {} */
  readonly webhooks?: Readonly<Record<string, WebhookMessage>>;
}

/** A notification template: the message per service, as Go templates Argo CD evaluates. */
export class NotificationTemplate {
  /** The template name. */
  public readonly name: string;
  /** The key in argocd-notifications-cm (`template.<name>`). */
  public readonly key: string;
  /** Webhook service names this template calls. */
  public readonly webhookServices: readonly string[];
  private readonly props: NotificationTemplateProps;

  constructor(props: NotificationTemplateProps) {
    this.name = checkName('template.name', props.name);
    if (props.message === undefined && props.emailSubject === undefined && !props.slackAttachments && !props.webhooks) {
      throw new ConfigError(`NotificationTemplate "${props.name}"`, 'message', undefined, 'Give the template a message, an email subject, Slack attachments or a webhook call.');
    }
    this.key = `template.${this.name}`;
    this.webhookServices = Object.keys(props.webhooks ?? {});
    this.props = props;
  }

  /** The template, as argocd-notifications-cm holds it. */
  public render(): string {
    const p = this.props;
    const message = p.message === undefined ? undefined : p.message.endsWith('\n') ? p.message : `${p.message}\n`;
    const body: Record<string, unknown> = {
      ...(message !== undefined ? { message } : {}),
      ...(p.emailSubject !== undefined ? { email: { subject: p.emailSubject } } : {}),
      ...(p.slackAttachments ? { slack: { attachments: `${JSON.stringify(p.slackAttachments, null, 2)}\n` } } : {}),
      ...(p.webhooks && Object.keys(p.webhooks).length > 0
        ? {
            webhook: Object.fromEntries(
              Object.entries(p.webhooks).map(([service, call]) => [
                service,
                { method: call.method ?? 'POST', ...(call.path !== undefined ? { path: call.path } : {}), body: call.body },
              ]),
            ),
          }
        : {}),
    };
    return toYaml(body);
  }
}

/** One condition of a trigger. */
export interface TriggerCondition {
  /** The condition (an expr expression over `app`). */
  readonly when: string;
  /** Templates sent when it holds. */
  readonly send: readonly string[];
  /** Send once per value of this expression (`app.status.sync.revision`). @default - every time */
  readonly oncePer?: string;
  /** Description shown in the UI. @default - none */
  readonly description?: string;
}

/** Options for the catalogue triggers ({@link NotificationTrigger.onDeployed} ...). */
export interface TriggerOptions {
  /** Templates to send. @default - the matching catalogue template (`app-deployed` ...) */
  readonly send?: readonly string[];
  /** Replace the catalogue condition. @default - the upstream catalogue's condition */
  readonly when?: string;
  /** Send once per value of this expression. @default - the catalogue's (on-deployed: once per revision) */
  readonly oncePer?: string;
}

const OPERATION_DONE = 'app.status.operationState != nil';

/** A notification trigger: when to send which templates. */
export class NotificationTrigger {
  /** The application synced and is healthy (once per revision). */
  public static onDeployed(options: TriggerOptions = {}): NotificationTrigger {
    return NotificationTrigger.catalogue('on-deployed', options, {
      description: 'Application is synced and healthy. Triggered once per commit.',
      when: `${OPERATION_DONE} and app.status.operationState.phase in ['Succeeded'] and app.status.health.status == 'Healthy'`,
      send: ['app-deployed'],
      oncePer: 'app.status.operationState?.syncResult?.revision',
    });
  }

  /** A sync succeeded. */
  public static onSyncSucceeded(options: TriggerOptions = {}): NotificationTrigger {
    return NotificationTrigger.catalogue('on-sync-succeeded', options, {
      description: 'Application syncing has succeeded',
      when: `${OPERATION_DONE} and app.status.operationState.phase in ['Succeeded']`,
      send: ['app-sync-succeeded'],
    });
  }

  /** A sync failed or errored. */
  public static onSyncFailed(options: TriggerOptions = {}): NotificationTrigger {
    return NotificationTrigger.catalogue('on-sync-failed', options, {
      description: 'Application syncing has failed',
      when: `${OPERATION_DONE} and app.status.operationState.phase in ['Error', 'Failed']`,
      send: ['app-sync-failed'],
    });
  }

  /** The application's health became Degraded. */
  public static onHealthDegraded(options: TriggerOptions = {}): NotificationTrigger {
    return NotificationTrigger.catalogue('on-health-degraded', options, {
      description: 'Application has degraded',
      when: "app.status.health.status == 'Degraded'",
      send: ['app-health-degraded'],
    });
  }

  /** A trigger with your own conditions. */
  public static custom(name: string, conditions: readonly TriggerCondition[]): NotificationTrigger {
    return new NotificationTrigger(name, conditions);
  }

  private static catalogue(name: string, options: TriggerOptions, base: TriggerCondition): NotificationTrigger {
    const custom = options.when !== undefined;
    return new NotificationTrigger(name, [
      {
        when: options.when ?? base.when,
        send: options.send ?? base.send,
        // A replaced condition keeps only what was asked for: no catalogue description or oncePer.
        ...(options.oncePer !== undefined ? { oncePer: options.oncePer } : !custom && base.oncePer ? { oncePer: base.oncePer } : {}),
        ...(!custom && base.description ? { description: base.description } : {}),
      },
    ]);
  }

  /** The trigger name (`on-deployed`). */
  public readonly name: string;
  /** The key in argocd-notifications-cm (`trigger.<name>`). */
  public readonly key: string;
  private readonly conditions: readonly TriggerCondition[];

  private constructor(name: string, conditions: readonly TriggerCondition[]) {
    this.name = checkName('trigger.name', name);
    if (conditions.length === 0) {
      throw new ConfigError(`NotificationTrigger "${name}"`, 'conditions', [], 'Give at least one condition with `when` and `send`.');
    }
    for (const [i, c] of conditions.entries()) {
      if (typeof c.when !== 'string' || c.when.trim() === '') {
        throw new ConfigError(`NotificationTrigger "${name}"`, `conditions[${i}].when`, c.when, 'Give the condition as an expression, such as "app.status.health.status == \'Degraded\'".');
      }
      if (c.send.length === 0) {
        throw new ConfigError(`NotificationTrigger "${name}"`, `conditions[${i}].send`, [], 'Name at least one template to send.');
      }
    }
    this.key = `trigger.${this.name}`;
    this.conditions = conditions;
  }

  /** Every template the trigger sends. */
  public get templates(): string[] {
    return [...new Set(this.conditions.flatMap((c) => c.send))];
  }

  /** The trigger, as argocd-notifications-cm holds it. */
  public render(): string {
    return toYaml(
      this.conditions.map((c) => ({
        ...(c.description !== undefined ? { description: c.description } : {}),
        when: c.when,
        send: [...c.send],
        ...(c.oncePer !== undefined ? { oncePer: c.oncePer } : {}),
      })),
    );
  }
}

/** Who is told about which triggers through which service. */
export interface NotificationSubscription {
  /** Trigger names (`on-sync-failed`). */
  readonly triggers: readonly string[];
  /** The service name (`slack`, `teams`, `email`). */
  readonly service: string;
  /** Recipients of that service: Slack channels, email addresses; a webhook service takes none. @default [] */
  readonly recipients?: readonly string[];
}

/** The annotations that subscribe one Application (`notifications.argoproj.io/subscribe.<trigger>.<service>`). */
export function subscriptionAnnotations(subscriptions: readonly NotificationSubscription[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const s of subscriptions) {
    checkName('subscription.service', s.service);
    for (const trigger of s.triggers) {
      checkName('subscription.trigger', trigger);
      out[`notifications.argoproj.io/subscribe.${trigger}.${s.service}`] = (s.recipients ?? []).join(';');
    }
  }
  return out;
}

/** Options for {@link NotificationsConfig}. */
export interface NotificationsConfigProps {
  /** Services (Slack, Teams webhook, email). */
  readonly services: readonly NotificationService[];
  /** Templates. */
  readonly templates: readonly NotificationTemplate[];
  /** Triggers. */
  readonly triggers: readonly NotificationTrigger[];
  /** Default subscriptions, applied to every Application. @default [] */
  readonly subscriptions?: readonly NotificationSubscription[];
}

/**
 * The notifications configuration of an Argo CD instance: services,
 * templates, triggers and default subscriptions, checked against each other.
 * It renders the data of `argocd-notifications-cm` and the argo-cd chart's
 * `notifications` values; credentials stay `$key` references to the
 * notifications Secret, whose keys {@link NotificationsConfig.secretKeys} lists.
 */
export class NotificationsConfig {
  /** The services. */
  public readonly services: readonly NotificationService[];
  /** The templates. */
  public readonly templates: readonly NotificationTemplate[];
  /** The triggers. */
  public readonly triggers: readonly NotificationTrigger[];
  /** The default subscriptions. */
  public readonly subscriptions: readonly NotificationSubscription[];

  constructor(props: NotificationsConfigProps) {
    const where = 'NotificationsConfig';
    unique(where, 'services', props.services.map((s) => s.key));
    unique(where, 'templates', props.templates.map((t) => t.name));
    unique(where, 'triggers', props.triggers.map((t) => t.name));
    const templateNames = new Set(props.templates.map((t) => t.name));
    const serviceNames = new Map(props.services.map((s) => [s.name, s]));
    for (const trigger of props.triggers) {
      for (const template of trigger.templates) {
        if (!templateNames.has(template)) {
          throw new ConfigError(where, `trigger "${trigger.name}" send`, template, `Add a template named "${template}" or send one of: ${[...templateNames].join(', ') || '(none)'}.`);
        }
      }
    }
    for (const template of props.templates) {
      for (const service of template.webhookServices) {
        const s = serviceNames.get(service);
        if (!s || s.type !== 'webhook') {
          throw new ConfigError(where, `template "${template.name}" webhooks`, service, 'Name a webhook service of this configuration (NotificationService.teamsWebhook).');
        }
      }
    }
    validateSubscriptions(where, props.subscriptions ?? [], this.triggerNames(props.triggers), serviceNames);
    this.services = props.services;
    this.templates = props.templates;
    this.triggers = props.triggers;
    this.subscriptions = props.subscriptions ?? [];
  }

  /** Checks that an Application's subscriptions name known triggers and services. */
  public checkSubscriptions(where: string, subscriptions: readonly NotificationSubscription[]): void {
    validateSubscriptions(where, subscriptions, this.triggerNames(this.triggers), new Map(this.services.map((s) => [s.name, s])));
  }

  /** Keys the notifications Secret must hold, sorted. */
  public get secretKeys(): string[] {
    return [...new Set(this.services.flatMap((s) => s.secretKeys))].sort();
  }

  /** The service, template and trigger entries of `argocd-notifications-cm`. */
  public toConfigMapData(): Record<string, string> {
    return {
      ...Object.fromEntries(this.services.map((s) => [s.key, s.render()])),
      ...Object.fromEntries(this.templates.map((t) => [t.key, t.render()])),
      ...Object.fromEntries(this.triggers.map((t) => [t.key, t.render()])),
    };
  }

  /** The default subscriptions, as the chart's `notifications.subscriptions` list. */
  public subscriptionValues(): Array<{ recipients: string[]; triggers: string[] }> {
    return this.subscriptions.map((s) => ({
      recipients: (s.recipients ?? []).length > 0 ? (s.recipients ?? []).map((r) => `${s.service}:${r}`) : [s.service],
      triggers: [...s.triggers],
    }));
  }

  /**
   * The argo-cd chart's `notifications` values. The chart writes `notifiers`,
   * `templates` and `triggers` into argocd-notifications-cm with `toYaml` and
   * no `tpl`, so the Go templates in them reach the cluster unchanged. The
   * Secret is not created by the chart: an ExternalSecret owns it.
   */
  public chartValues(argocdUrl: string): Record<string, unknown> {
    const data = this.toConfigMapData();
    const pick = (prefix: string): Record<string, string> =>
      Object.fromEntries(Object.entries(data).filter(([k]) => k.startsWith(prefix)));
    return {
      enabled: true,
      argocdUrl,
      secret: { create: false, name: NOTIFICATIONS_SECRET },
      notifiers: pick('service.'),
      templates: pick('template.'),
      triggers: pick('trigger.'),
      ...(this.subscriptions.length > 0 ? { subscriptions: this.subscriptionValues() } : {}),
    };
  }

  private triggerNames(triggers: readonly NotificationTrigger[]): Set<string> {
    return new Set(triggers.map((t) => t.name));
  }
}

function validateSubscriptions(
  where: string,
  subscriptions: readonly NotificationSubscription[],
  triggers: ReadonlySet<string>,
  services: ReadonlyMap<string, NotificationService>,
): void {
  for (const [i, s] of subscriptions.entries()) {
    const service = services.get(s.service);
    if (!service) {
      throw new ConfigError(where, `subscriptions[${i}].service`, s.service, `Use a configured service: ${[...services.keys()].join(', ') || '(none)'}.`);
    }
    if (s.triggers.length === 0) {
      throw new ConfigError(where, `subscriptions[${i}].triggers`, [], 'Subscribe to at least one trigger.');
    }
    for (const trigger of s.triggers) {
      if (!triggers.has(trigger)) {
        throw new ConfigError(where, `subscriptions[${i}].triggers`, trigger, `Use a configured trigger: ${[...triggers].join(', ') || '(none)'}.`);
      }
    }
    if (service.type !== 'webhook' && (s.recipients ?? []).length === 0) {
      throw new ConfigError(where, `subscriptions[${i}].recipients`, [], `Name at least one ${s.service} recipient (a channel or an address).`);
    }
  }
}

function unique(where: string, field: string, names: readonly string[]): void {
  const seen = new Set<string>();
  for (const name of names) {
    if (seen.has(name)) throw new ConfigError(where, field, name, 'Each name can be used once.');
    seen.add(name);
  }
}

function checkKey(field: string, key: string): string {
  if (!KEY.test(key)) {
    throw new ConfigError('NotificationService', field, key, 'Use a Secret key (letters, digits, ".", "_" and "-").');
  }
  return key;
}

function checkName(field: string, name: string): string {
  if (typeof name !== 'string' || !NAME.test(name)) {
    throw new ConfigError('Notifications', field, name, 'Use a lowercase name such as "on-sync-failed" or "slack".');
  }
  return name;
}
