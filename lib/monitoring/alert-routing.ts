import { Construct } from 'constructs';
import { ConfigError } from '../platform/errors';
import { checkNotificationTemplate, Notifier, SecretKey } from './notifier';
import { checkDuration } from './promql';
import { RemediationAction } from './rules';
import { checkProps } from '../platform/config-boundary/props';

/** Options for {@link RemediationWebhook}. */
export interface RemediationWebhookOptions {
  /**
   * The Secret key holding the endpoint URL (read with `url_file`). For the
   * seeds' GitHub Actions flow: `https://api.github.com/repos/<owner>/<repo>/dispatches`.
   */
  readonly url: SecretKey;
  /**
   * The Secret key holding the bearer token (for GitHub, a token allowed to
   * create repository dispatch events). @default - no Authorization header
   */
  readonly token?: SecretKey;
  /** The `repository_dispatch` event type the workflow listens to. @default 'alert-triggered' */
  readonly eventType?: string;
  /** The actions routed to the webhook. @default [RemediationAction.AUTO_ROLLBACK, RemediationAction.AUTO_SCALE] */
  readonly actions?: readonly RemediationAction[];
  /**
   * Send a GitHub `repository_dispatch` body (`event_type` + `client_payload`);
   * `false` sends Alertmanager's own webhook JSON, for a relay of your own.
   * @default true
   */
  readonly repositoryDispatch?: boolean;
}

/** The labels a remediation notification is grouped by, so they are in `.CommonLabels`. */
export const REMEDIATION_GROUP_BY: readonly string[] = ['alertname', 'automation', 'namespace', 'service', 'deployment', 'pod'];

/**
 * Alert-driven remediation: alerts labelled `automation: <action>` go to a
 * webhook that starts the self-healing workflow (the seeds'
 * `repository_dispatch` → `Self-Healing Automation` GitHub workflow).
 *
 * By default the webhook body is GitHub's `repository_dispatch` request:
 * `{"event_type": "alert-triggered", "client_payload": {"alert": ..., "severity": ...}}`,
 * rendered by Alertmanager's webhook `payload` templates, so the seeds'
 * workflow reads `github.event.client_payload.alert` unchanged. Resolved
 * notifications are never sent (a resolution must not trigger a rollback).
 */
export class RemediationWebhook {
  /** The `repository_dispatch` event type. */
  public readonly eventType: string;
  /** The actions routed to the webhook. */
  public readonly actions: readonly RemediationAction[];
  /** The notifier that calls the endpoint. */
  public readonly notifier: Notifier;

  constructor(where: string, options: RemediationWebhookOptions) {
    this.eventType = options.eventType ?? 'alert-triggered';
    if (!/^[A-Za-z0-9][A-Za-z0-9_.-]{0,99}$/.test(this.eventType)) {
      throw new ConfigError(where, 'remediation.eventType', this.eventType, 'Use the event type your workflow listens to, such as "alert-triggered".');
    }
    this.actions = options.actions ?? [RemediationAction.AUTO_ROLLBACK, RemediationAction.AUTO_SCALE];
    if (this.actions.length === 0) {
      throw new ConfigError(where, 'remediation.actions', [], 'Route at least one action (RemediationAction.AUTO_ROLLBACK, AUTO_SCALE, or a custom one), or leave remediation out.');
    }
    const dispatch = options.repositoryDispatch ?? true;
    this.notifier = Notifier.webhook({
      url: options.url,
      bearerToken: options.token,
      sendResolved: false,
      maxAlerts: 0,
      timeout: '30s',
      payload: dispatch
        ? {
            event_type: this.eventType,
            client_payload: {
              alert: '{{ .CommonLabels.alertname }}',
              severity: '{{ .CommonLabels.severity }}',
              automation: '{{ .CommonLabels.automation }}',
              namespace: '{{ .CommonLabels.namespace }}',
              target: '{{ or .CommonLabels.deployment .CommonLabels.service .CommonLabels.pod }}',
              environment: '{{ .CommonLabels.environment }}',
              firing: '{{ len .Alerts.Firing }}',
              summary: '{{ .CommonAnnotations.summary }}',
              source: '{{ .ExternalURL }}',
            },
          }
        : undefined,
    });
    this.notifier.validate(where, 'remediation');
  }

  /** The label matcher selecting the routed actions (`automation=~"auto-rollback|auto-scale"`). */
  public get matcher(): string {
    return `${RemediationAction.LABEL}=~"${this.actions.map((a) => a.value).join('|')}"`;
  }
}

/** Options for {@link AlertRouting}. */
export interface AlertRoutingProps {
  /** Destinations of `severity: critical` alerts (PagerDuty in production). At least one. */
  readonly critical: readonly Notifier[];
  /** Destinations of `severity: warning` alerts (chat, e-mail). At least one. */
  readonly warning: readonly Notifier[];
  /** Alert-driven remediation. @default - none */
  readonly remediation?: RemediationWebhookOptions;
  /** Labels alerts are grouped by. @default ['alertname', 'namespace'] */
  readonly groupBy?: readonly string[];
  /** How often a still-firing critical alert is re-sent. @default '1h' */
  readonly criticalRepeatInterval?: string;
  /** How often a still-firing warning is re-sent. @default '4h' */
  readonly warningRepeatInterval?: string;
}

/** Receiver names used in the routing tree. */
export const RECEIVERS = { critical: 'critical', warning: 'warning', remediation: 'remediation', none: 'null' } as const;

/**
 * Alertmanager's routing tree and receivers, as kube-prometheus-stack's
 * `alertmanager.config`: critical and warning alerts go to different
 * receivers with different repeat intervals, critical alerts inhibit
 * warnings about the same thing, and alerts asking for remediation are
 * also sent to the remediation webhook (`continue: true`, people are still
 * notified). `Watchdog` and `InfoInhibitor` go nowhere.
 */
export class AlertRouting extends Construct {
  /** The Alertmanager configuration (`alertmanager.yaml`). */
  public readonly config: Record<string, unknown>;
  /** The template files, by name (`gitops.tmpl`). */
  public readonly templateFiles: Readonly<Record<string, string>>;
  /** The Secrets Alertmanager must mount, sorted. */
  public readonly secretNames: readonly string[];
  /** Every Secret key the receivers read, sorted and without duplicates. */
  public readonly secretKeys: readonly SecretKey[];
  /** The remediation webhook, when configured. */
  public readonly remediation?: RemediationWebhook;
  /** The receiver names and the destination types of each. */
  public readonly receivers: Readonly<Record<string, readonly string[]>>;

  constructor(scope: Construct, id: string, props: AlertRoutingProps) {
    super(scope, id);
    checkProps(this, 'AlertRoutingProps', props);
    const where = this.node.path;
    for (const severity of ['critical', 'warning'] as const) {
      const notifiers = props[severity];
      if (!Array.isArray(notifiers) || notifiers.length === 0) {
        throw new ConfigError(
          where,
          severity,
          notifiers,
          `The ${severity} receiver has no destination. Add at least one, such as Notifier.slack({ channel: "#alerts", apiUrl: { name: "alertmanager-notifications", key: "slack-api-url" } }).`,
        );
      }
      notifiers.forEach((n, i) => n.validate(where, `${severity}[${i}]`));
    }
    const groupBy = props.groupBy ?? ['alertname', 'namespace'];
    for (const label of groupBy) {
      if (!/^[a-zA-Z_][a-zA-Z0-9_]*$/.test(label) && label !== '...') {
        throw new ConfigError(where, 'groupBy', label, 'Group by label names, such as ["alertname", "namespace"].');
      }
    }
    const criticalRepeat = checkDuration(where, 'criticalRepeatInterval', props.criticalRepeatInterval ?? '1h');
    const warningRepeat = checkDuration(where, 'warningRepeatInterval', props.warningRepeatInterval ?? '4h');
    this.remediation = props.remediation ? new RemediationWebhook(where, props.remediation) : undefined;

    const receivers: Array<Record<string, unknown>> = [
      { name: RECEIVERS.none },
      receiver(RECEIVERS.critical, props.critical),
      receiver(RECEIVERS.warning, props.warning),
    ];
    const receiverTypes: Record<string, string[]> = {
      [RECEIVERS.critical]: props.critical.map((n) => n.type),
      [RECEIVERS.warning]: props.warning.map((n) => n.type),
    };
    const routes: Array<Record<string, unknown>> = [
      { receiver: RECEIVERS.none, matchers: ['alertname=~"Watchdog|InfoInhibitor"'] },
    ];
    if (this.remediation) {
      receivers.push(receiver(RECEIVERS.remediation, [this.remediation.notifier]));
      receiverTypes[RECEIVERS.remediation] = ['webhook'];
      routes.push({
        receiver: RECEIVERS.remediation,
        matchers: [this.remediation.matcher],
        group_by: [...REMEDIATION_GROUP_BY],
        group_wait: '10s',
        group_interval: '5m',
        repeat_interval: '1h',
        continue: true,
      });
    }
    routes.push(
      { receiver: RECEIVERS.critical, matchers: ['severity="critical"'], repeat_interval: criticalRepeat },
      { receiver: RECEIVERS.warning, matchers: ['severity="warning"'], repeat_interval: warningRepeat },
    );

    this.config = {
      global: { resolve_timeout: '5m' },
      route: {
        receiver: RECEIVERS.none,
        group_by: [...groupBy],
        group_wait: '30s',
        group_interval: '5m',
        repeat_interval: '12h',
        routes,
      },
      inhibit_rules: [
        { source_matchers: ['severity="critical"'], target_matchers: ['severity=~"warning|info"'], equal: ['namespace', 'alertname'] },
        { source_matchers: ['severity="warning"'], target_matchers: ['severity="info"'], equal: ['namespace', 'alertname'] },
        { source_matchers: ['alertname="InfoInhibitor"'], target_matchers: ['severity="info"'], equal: ['namespace'] },
      ],
      receivers,
      templates: ['/etc/alertmanager/config/*.tmpl'],
    };
    this.templateFiles = { 'gitops.tmpl': GITOPS_TEMPLATE };
    checkNotificationTemplate(where, 'templateFiles["gitops.tmpl"]', GITOPS_TEMPLATE);
    const notifiers = [...props.critical, ...props.warning, ...(this.remediation ? [this.remediation.notifier] : [])];
    this.secretNames = [...new Set(notifiers.flatMap((n) => n.secrets.map((s) => s.name)))].sort();
    const keys = new Map<string, SecretKey>();
    for (const ref of notifiers.flatMap((n) => n.secrets)) keys.set(`${ref.name}/${ref.key}`, { name: ref.name, key: ref.key });
    this.secretKeys = [...keys.keys()].sort().map((k) => keys.get(k)!);
    this.receivers = receiverTypes;
  }
}

function receiver(name: string, notifiers: readonly Notifier[]): Record<string, unknown> {
  const out: Record<string, unknown> = { name };
  for (const notifier of notifiers) {
    const list = (out[notifier.configKey] as unknown[] | undefined) ?? [];
    list.push(notifier.render());
    out[notifier.configKey] = list;
  }
  return out;
}

/**
 * The notification templates every receiver uses: a title with status,
 * count, alert name, severity and environment, and a text listing each
 * alert's summary, description and runbook. Passed to Alertmanager verbatim
 * (kube-prometheus-stack's `templateFiles` are not run through Helm's `tpl`).
 */
export const GITOPS_TEMPLATE = [
  '{{ define "gitops.title" }}[{{ .Status | toUpper }}{{ if eq .Status "firing" }}:{{ .Alerts.Firing | len }}{{ end }}] {{ .CommonLabels.alertname }} ({{ .CommonLabels.severity }}, {{ .CommonLabels.environment }}){{ end }}',
  '{{ define "gitops.text" }}{{ range .Alerts }}*{{ .Annotations.summary }}*',
  '{{ if .Annotations.description }}{{ .Annotations.description }}',
  '{{ end }}{{ if .Annotations.runbook_url }}Runbook: {{ .Annotations.runbook_url }}',
  '{{ end }}{{ if .Labels.automation }}Remediation: {{ .Labels.automation }}',
  '{{ end }}{{ end }}{{ end }}',
  '',
].join('\n');
