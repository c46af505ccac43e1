import { ConfigError } from '../platform/errors';
import { checkNotificationName } from './notification-checks';
import { NotificationService } from './notification-service';
import { NotificationTemplate, NotificationTrigger } from './notification-template';
import { checkProps } from '../platform/config-boundary/props';

/** The Secret the notifications controller reads `$key` references from. */
export const NOTIFICATIONS_SECRET = 'argocd-notifications-secret';

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
    checkNotificationName('subscription.service', s.service);
    for (const trigger of s.triggers) {
      checkNotificationName('subscription.trigger', trigger);
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

    checkProps('NotificationsConfig', 'NotificationsConfigProps', props);
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
