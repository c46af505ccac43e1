import { ConfigError } from '../platform/errors';
import { toYaml } from '../platform/yaml';
import { checkNotificationName } from './notification-checks';
import { checkProps } from '../platform/config-boundary/props';

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

    checkProps('NotificationTemplate', 'NotificationTemplateProps', props);
    this.name = checkNotificationName('template.name', props.name);
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
    this.name = checkNotificationName('trigger.name', name);
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
