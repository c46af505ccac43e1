import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Construct } from 'constructs';
import { AlertRouting, AlertRoutingProps, GITOPS_TEMPLATE } from '../../../lib/monitoring/alert-routing';
import { Notifier } from '../../../lib/monitoring/notifier';
import { RemediationAction } from '../../../lib/monitoring/rules';

const secret = (key: string) => ({ name: 'alertmanager-notifications', key });
const slack = Notifier.slack({ channel: '#alerts', apiUrl: secret('slack-api-url') });
const pagerDuty = Notifier.pagerDuty({ routingKey: secret('pagerduty-routing-key') });
const email = Notifier.email({
  to: ['oncall@company.com', 'platform@company.com'],
  from: 'alertmanager@company.com',
  smarthost: 'smtp.company.com:587',
  authUsername: 'alertmanager@company.com',
  authPassword: { name: 'smtp-credentials', key: 'password' },
});

function routing(props: Partial<AlertRoutingProps> = {}): AlertRouting {
  return new AlertRouting(new Construct(undefined as unknown as Construct, 'Stack'), 'Routing', {
    critical: [pagerDuty, slack],
    warning: [slack, email],
    ...props,
  });
}

type Route = { receiver: string; matchers?: string[]; continue?: boolean; repeat_interval?: string; group_by?: string[] };

describe('AlertRouting', () => {
  it('routes critical and warning alerts to different receivers', () => {
    const config = routing().config as { route: Route & { routes: Route[] }; receivers: Array<Record<string, unknown>> };
    assert.equal(config.route.receiver, 'null');
    assert.deepEqual(config.route.group_by, ['alertname', 'namespace']);
    assert.deepEqual(
      config.route.routes.map((r) => [r.receiver, r.matchers, r.repeat_interval]),
      [
        ['null', ['alertname=~"Watchdog|InfoInhibitor"'], undefined],
        ['critical', ['severity="critical"'], '1h'],
        ['warning', ['severity="warning"'], '4h'],
      ],
    );
    const receivers = new Map(config.receivers.map((r) => [r.name as string, r]));
    assert.deepEqual(Object.keys(receivers.get('critical')!).sort(), ['name', 'pagerduty_configs', 'slack_configs']);
    assert.deepEqual(Object.keys(receivers.get('warning')!).sort(), ['email_configs', 'name', 'slack_configs']);
  });

  it('reads every credential from a mounted Secret file, never a value', () => {
    const r = routing();
    const config = r.config as { receivers: Array<Record<string, Array<Record<string, unknown>>>> };
    const critical = config.receivers.find((x) => (x.name as unknown) === 'critical')!;
    assert.deepEqual(critical.pagerduty_configs[0], {
      send_resolved: true,
      routing_key_file: '/etc/alertmanager/secrets/alertmanager-notifications/pagerduty-routing-key',
      description: '{{ template "gitops.title" . }}',
      severity: '{{ if .CommonLabels.severity }}{{ .CommonLabels.severity }}{{ else }}error{{ end }}',
    });
    assert.deepEqual(critical.slack_configs[0], {
      send_resolved: true,
      api_url_file: '/etc/alertmanager/secrets/alertmanager-notifications/slack-api-url',
      channel: '#alerts',
      title: '{{ template "gitops.title" . }}',
      text: '{{ template "gitops.text" . }}',
    });
    const warning = config.receivers.find((x) => (x.name as unknown) === 'warning')!;
    assert.deepEqual(warning.email_configs[0], {
      send_resolved: true,
      to: 'oncall@company.com, platform@company.com',
      from: 'alertmanager@company.com',
      smarthost: 'smtp.company.com:587',
      require_tls: true,
      auth_username: 'alertmanager@company.com',
      auth_password_file: '/etc/alertmanager/secrets/smtp-credentials/password',
      headers: { Subject: '{{ template "gitops.title" . }}' },
    });
    assert.deepEqual(r.secretNames, ['alertmanager-notifications', 'smtp-credentials']);
    assert.deepEqual(r.receivers, { critical: ['pagerduty', 'slack'], warning: ['slack', 'email'] });
    const text = JSON.stringify(r.config);
    assert.doesNotMatch(text, /"(api_url|routing_key|service_key|auth_password|url)":/);
  });

  it('sends auto-rollback and auto-scale alerts to the remediation webhook as a repository_dispatch, and still notifies people', () => {
    const r = routing({ remediation: { url: secret('remediation-url'), token: secret('remediation-token') } });
    const config = r.config as { route: { routes: Route[] }; receivers: Array<Record<string, unknown>> };
    const [, remediation, critical] = config.route.routes;
    assert.deepEqual(remediation, {
      receiver: 'remediation',
      matchers: ['automation=~"auto-rollback|auto-scale"'],
      group_by: ['alertname', 'automation', 'namespace', 'service', 'deployment', 'pod'],
      group_wait: '10s',
      group_interval: '5m',
      repeat_interval: '1h',
      continue: true,
    });
    assert.equal(critical.receiver, 'critical');
    const receiver = config.receivers.find((x) => x.name === 'remediation') as { webhook_configs: Array<Record<string, unknown>> };
    assert.deepEqual(receiver.webhook_configs, [
      {
        send_resolved: false,
        url_file: '/etc/alertmanager/secrets/alertmanager-notifications/remediation-url',
        max_alerts: 0,
        timeout: '30s',
        http_config: {
          authorization: { type: 'Bearer', credentials_file: '/etc/alertmanager/secrets/alertmanager-notifications/remediation-token' },
        },
        payload: {
          event_type: 'alert-triggered',
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
        },
      },
    ]);
    assert.equal(r.remediation!.eventType, 'alert-triggered');
    assert.deepEqual(r.receivers.remediation, ['webhook']);
  });

  it('sends Alertmanager\'s own payload to a custom relay and routes only the chosen actions', () => {
    const r = routing({
      remediation: { url: secret('relay-url'), repositoryDispatch: false, actions: [RemediationAction.AUTO_ROLLBACK] },
    });
    const config = r.config as { route: { routes: Route[] }; receivers: Array<{ name: string; webhook_configs?: Array<Record<string, unknown>> }> };
    assert.deepEqual(config.route.routes[1].matchers, ['automation=~"auto-rollback"']);
    const hook = config.receivers.find((x) => x.name === 'remediation')!.webhook_configs![0];
    assert.equal(hook.payload, undefined);
    assert.equal(hook.http_config, undefined);
  });

  it('ships the notification templates as a template file', () => {
    const r = routing();
    assert.deepEqual(Object.keys(r.templateFiles), ['gitops.tmpl']);
    assert.equal(r.templateFiles['gitops.tmpl'], GITOPS_TEMPLATE);
    assert.match(GITOPS_TEMPLATE, /^\{\{ define "gitops.title" \}\}/);
    assert.match(GITOPS_TEMPLATE, /\{\{ define "gitops.text" \}\}\{\{ range .Alerts \}\}/);
    assert.deepEqual((r.config as { templates: string[] }).templates, ['/etc/alertmanager/config/*.tmpl']);
  });

  it('fails when a receiver has no destination', () => {
    assert.throws(() => routing({ critical: [] }), {
      name: 'ConfigError',
      message:
        'Stack/Routing: critical is []. The critical receiver has no destination. Add at least one, such as Notifier.slack({ channel: "#alerts", apiUrl: { name: "alertmanager-notifications", key: "slack-api-url" } }).',
    });
    assert.throws(() => routing({ warning: [] }), /Stack\/Routing: warning is \[\]\. The warning receiver has no destination\./);
  });

  it('fails on bad destinations', () => {
    const cases: Array<[Notifier, string]> = [
      [Notifier.slack({ channel: 'alerts', apiUrl: secret('k') }), 'Stack/Routing: critical[0].channel is "alerts". Use a channel such as "#platform-alerts" (or "@user").'],
      [Notifier.slack({ channel: '#a', apiUrl: { name: 'Bad Name', key: 'k' } }), 'Stack/Routing: critical[0].secrets[0].name is "Bad Name". Reference a Secret by its name'],
      [Notifier.slack({ channel: '#a', apiUrl: secret('k'), text: 'cost ${var.x}' }), 'Stack/Routing: critical[0].text is "cost ${var.x}". Remove "${" and "%{": Terraform would interpolate them'],
      [Notifier.email({ to: [], from: 'a@b.co', smarthost: 'smtp:25' }), 'Stack/Routing: critical[0].to is []. List at least one e-mail address'],
      [Notifier.email({ to: ['a@b.co'], from: 'a@b.co', smarthost: 'smtp.company.com' }), 'Stack/Routing: critical[0].smarthost is "smtp.company.com". Use the SMTP server as host:port'],
      [Notifier.email({ to: ['a@b.co'], from: 'a@b.co', smarthost: 'smtp:25', authUsername: 'u' }), 'Stack/Routing: critical[0].authPassword is not set. Set both authUsername and authPassword'],
      [Notifier.webhook({ url: secret('u'), maxAlerts: -1 }), 'Stack/Routing: critical[0].maxAlerts is -1. Use a whole number of 0 or more'],
    ];
    for (const [notifier, message] of cases) {
      assert.throws(() => routing({ critical: [notifier] }), (e: Error) => {
        assert.ok(e.message.startsWith(message), `${e.message}\n  does not start with\n${message}`);
        return true;
      });
    }
  });

  it('fails on bad intervals and remediation settings', () => {
    assert.throws(() => routing({ criticalRepeatInterval: 'hourly' }), /Stack\/Routing: criticalRepeatInterval is "hourly"\. Use a Prometheus duration/);
    assert.throws(() => routing({ groupBy: ['alert-name'] }), /Stack\/Routing: groupBy is "alert-name"\./);
    assert.throws(() => routing({ remediation: { url: secret('u'), actions: [] } }), /Stack\/Routing: remediation\.actions is \[\]\. Route at least one action/);
    assert.throws(() => routing({ remediation: { url: secret('u'), eventType: 'alert triggered' } }), /Stack\/Routing: remediation\.eventType is "alert triggered"\./);
  });
});
