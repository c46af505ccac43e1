import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import * as fs from 'fs';
import { parse } from 'yaml';
import { dev, prod } from '../../../environments';
import { catalogueTemplates, catalogueTriggers, NotificationService, NotificationsConfig, NotificationTemplate, NotificationTrigger } from '../../../lib/argocd';
import { subscriptionAnnotations } from '../../../lib/argocd/notifications';
import { helmRelease, releaseValues, synthEnvironment, SynthResult } from '../../support/synth';

function config(subscriptions = [{ service: 'slack', recipients: ['alerts'], triggers: ['on-sync-failed'] }]): NotificationsConfig {
  const services = [NotificationService.slack(), NotificationService.teamsWebhook()];
  return new NotificationsConfig({ services, templates: catalogueTemplates(services), triggers: catalogueTriggers(), subscriptions });
}

describe('NotificationService', () => {
  it('references every credential as a $key of the notifications Secret', () => {
    assert.equal(NotificationService.slack({ username: 'argocd' }).render(), 'token: $slack-token\nusername: argocd\n');
    const teams = NotificationService.teamsWebhook({ name: 'ops', urlKey: 'ops-url', headers: [{ name: 'Content-Type', value: 'application/json' }] });
    assert.equal(teams.key, 'service.webhook.ops');
    assert.equal(teams.render(), 'url: $ops-url\nheaders:\n  - name: Content-Type\n    value: application/json\n');
    const email = NotificationService.email({ host: 'smtp.company.com', port: 587, from: 'argocd@company.com' });
    assert.equal(email.key, 'service.email');
    assert.equal(email.name, 'email');
    assert.deepEqual(email.secretKeys, ['email-username', 'email-password']);
    assert.equal(email.render(), 'username: $email-username\npassword: $email-password\nhost: smtp.company.com\nport: 587\nfrom: argocd@company.com\n');
  });

  it('fails when a secret key or port is invalid', () => {
    assert.throws(() => NotificationService.slack({ tokenKey: 'slack token' }), {
      message: 'NotificationService: slack.tokenKey is "slack token". Use a Secret key (letters, digits, ".", "_" and "-").',
    });
    assert.throws(() => NotificationService.email({ host: 'smtp.company.com', port: 0 }), {
      message: 'NotificationService: email.port is 0. Use a TCP port such as 587.',
    });
  });
});

describe('NotificationTemplate and NotificationTrigger', () => {
  it('renders the message as a block, the attachments as JSON and webhook calls', () => {
    const t = new NotificationTemplate({
      name: 'x',
      message: 'App {{.app.metadata.name}}',
      slackAttachments: [{ title: '{{.app.metadata.name}}' }],
      webhooks: { teams: { body: '{"text":"{{.app.metadata.name}}"}' } },
    });
    assert.deepEqual(parse(t.render()), {
      message: 'App {{.app.metadata.name}}\n',
      slack: { attachments: '[\n  {\n    "title": "{{.app.metadata.name}}"\n  }\n]\n' },
      webhook: { teams: { method: 'POST', body: '{"text":"{{.app.metadata.name}}"}' } },
    });
  });

  it('ships the four catalogue triggers with their upstream conditions', () => {
    const triggers = catalogueTriggers();
    assert.deepEqual(triggers.map((t) => t.name), ['on-deployed', 'on-sync-succeeded', 'on-sync-failed', 'on-health-degraded']);
    assert.deepEqual(parse(NotificationTrigger.onDeployed().render()), [
      {
        description: 'Application is synced and healthy. Triggered once per commit.',
        when: "app.status.operationState != nil and app.status.operationState.phase in ['Succeeded'] and app.status.health.status == 'Healthy'",
        send: ['app-deployed'],
        oncePer: 'app.status.operationState?.syncResult?.revision',
      },
    ]);
    assert.deepEqual(parse(NotificationTrigger.onHealthDegraded({ send: ['custom'] }).render()), [
      { description: 'Application has degraded', when: "app.status.health.status == 'Degraded'", send: ['custom'] },
    ]);
  });

  it('fails when a template has no content or a trigger no condition', () => {
    assert.throws(() => new NotificationTemplate({ name: 'empty' }), {
      message: 'NotificationTemplate "empty": message is not set. Give the template a message, an email subject, Slack attachments or a webhook call.',
    });
    assert.throws(() => NotificationTrigger.custom('on-x', []), {
      message: 'NotificationTrigger "on-x": conditions is []. Give at least one condition with `when` and `send`.',
    });
  });
});

describe('NotificationsConfig', () => {
  it('renders the ConfigMap entries and the chart values without creating the Secret', () => {
    const c = config();
    const values = c.chartValues('https://argocd.example.com') as any;
    assert.equal(values.enabled, true);
    assert.equal(values.argocdUrl, 'https://argocd.example.com');
    assert.deepEqual(values.secret, { create: false, name: 'argocd-notifications-secret' });
    assert.deepEqual(Object.keys(values.notifiers), ['service.slack', 'service.webhook.teams']);
    assert.deepEqual(Object.keys(values.templates), ['template.app-deployed', 'template.app-sync-succeeded', 'template.app-sync-failed', 'template.app-health-degraded']);
    assert.deepEqual(Object.keys(values.triggers), ['trigger.on-deployed', 'trigger.on-sync-succeeded', 'trigger.on-sync-failed', 'trigger.on-health-degraded']);
    assert.deepEqual(values.subscriptions, [{ recipients: ['slack:alerts'], triggers: ['on-sync-failed'] }]);
    // The chart writes notifiers, templates and triggers into the ConfigMap as they are.
    assert.deepEqual({ ...values.notifiers, ...values.templates, ...values.triggers }, c.toConfigMapData());
    assert.deepEqual(c.secretKeys, ['slack-token', 'teams-webhook-url']);
    // Teams templates carry a webhook call for the teams service.
    assert.ok((parse(values.templates['template.app-sync-failed']) as any).webhook.teams.body.includes('{{.app.metadata.name}}'));
  });

  it('renders a subscription to a webhook service without a recipient', () => {
    assert.deepEqual(config([{ service: 'teams', triggers: ['on-sync-failed'] }] as never).subscriptionValues(), [
      { recipients: ['teams'], triggers: ['on-sync-failed'] },
    ]);
    assert.deepEqual(subscriptionAnnotations([{ service: 'teams', triggers: ['on-sync-failed'] }]), {
      'notifications.argoproj.io/subscribe.on-sync-failed.teams': '',
    });
  });

  it('fails when a trigger sends a template that does not exist', () => {
    assert.throws(
      () => new NotificationsConfig({ services: [NotificationService.slack()], templates: [], triggers: [NotificationTrigger.onSyncFailed()] }),
      { message: 'NotificationsConfig: trigger "on-sync-failed" send is "app-sync-failed". Add a template named "app-sync-failed" or send one of: (none).' },
    );
  });

  it('fails when a subscription names an unknown service or trigger, or has no recipient', () => {
    assert.throws(() => config([{ service: 'pagerduty', recipients: ['x'], triggers: ['on-sync-failed'] }]), {
      message: 'NotificationsConfig: subscriptions[0].service is "pagerduty". Use a configured service: slack, teams.',
    });
    assert.throws(() => config([{ service: 'slack', recipients: ['x'], triggers: ['on-created'] }]), {
      message: 'NotificationsConfig: subscriptions[0].triggers is "on-created". Use a configured trigger: on-deployed, on-sync-succeeded, on-sync-failed, on-health-degraded.',
    });
    assert.throws(() => config([{ service: 'slack', recipients: [], triggers: ['on-sync-failed'] }]), {
      message: 'NotificationsConfig: subscriptions[0].recipients is []. Name at least one slack recipient (a channel or an address).',
    });
  });

  it('fails when a template calls a webhook service that is not configured', () => {
    assert.throws(
      () =>
        new NotificationsConfig({
          services: [NotificationService.slack()],
          templates: catalogueTemplates([NotificationService.teamsWebhook()]),
          triggers: [],
        }),
      { message: 'NotificationsConfig: template "app-deployed" webhooks is "teams". Name a webhook service of this configuration (NotificationService.teamsWebhook).' },
    );
  });
});

/*
 * Do `{{.app.metadata.name}}` templates reach the cluster intact?
 *
 * The path is: module -> helm_release `values` (a YAML string in the
 * Terraform JSON) -> Helm -> the argo-cd chart's argocd-notifications-cm.
 * - Terraform interpolates only `${` and `%{` in strings; the values carry none.
 * - Helm never evaluates values; only templates under `templates/` run, and
 *   the argo-cd chart's argocd-configs/argocd-notifications-cm.yaml writes
 *   `.Values.notifications.notifiers/templates/triggers` with `toYaml` and no
 *   `tpl` (checked in argoproj/argo-helm at argo-cd-10.1.1, the newest tag in
 *   the snapshot available, where the file last changed in May 2024 and never
 *   used `tpl`; the catalogue pins 10.3.0). Values the chart does
 *   pass through `tpl` (server.ingress.*, extraObjects ...) must hold no `{{`.
 */
describe('notification templates through Terraform and Helm', () => {
  const results = new Map<string, SynthResult>();
  const synth = (name: 'dev' | 'prod') => {
    if (!results.has(name)) results.set(name, synthEnvironment(name === 'dev' ? dev : prod));
    return results.get(name)!;
  };
  after(() => {
    for (const r of results.values()) fs.rmSync(r.directory, { recursive: true, force: true });
  });

  it('the helm_release values hold the Go templates verbatim and no Terraform template sequence', () => {
    const { tf, stack } = synth('prod');
    const release = helmRelease(tf, 'argocd');
    const raw = (release.values as string[])[0];
    assert.ok(!raw.includes('${') && !raw.includes('%{'), 'values must not contain Terraform interpolation sequences');
    assert.ok(raw.includes('{{.app.metadata.name}}'));
    const values = releaseValues(release) as any;
    const argocd = (stack.modules.argocd as unknown as { notifications: NotificationsConfig }).notifications;
    const data = argocd.toConfigMapData();
    for (const [key, text] of Object.entries(values.notifications.templates as Record<string, string>)) {
      assert.equal(text, data[key], key);
    }
    assert.match(values.notifications.templates['template.app-deployed'], /Application \{\{\.app\.metadata\.name\}\} is now running new version\./);
  });

  it('only notification values carry {{ }}; nothing goes to a value the chart passes through tpl', () => {
    const values = releaseValues(helmRelease(synth('prod').tf, 'argocd'));
    const withBraces: string[] = [];
    const walk = (v: unknown, path: string[]): void => {
      if (typeof v === 'string' && v.includes('{{')) withBraces.push(path.join('.'));
      else if (Array.isArray(v)) v.forEach((x, i) => walk(x, [...path, String(i)]));
      else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) walk(x, [...path, k]);
    };
    walk(values, []);
    assert.ok(withBraces.length > 0);
    for (const path of withBraces) assert.match(path, /^notifications\.(templates|triggers)\./, path);
  });

  it('the dev values subscribe to deployments and failures; prod to failures and degradations only', () => {
    const devValues = releaseValues(helmRelease(synth('dev').tf, 'argocd')) as any;
    assert.deepEqual(devValues.notifications.subscriptions, [{ recipients: ['slack:gitops-dev'], triggers: ['on-deployed', 'on-sync-failed'] }]);
    const prodValues = releaseValues(helmRelease(synth('prod').tf, 'argocd')) as any;
    const prodTriggers = new Set((prodValues.notifications.subscriptions as Array<{ triggers: string[] }>).flatMap((s) => s.triggers));
    assert.deepEqual([...prodTriggers].sort(), ['on-health-degraded', 'on-sync-failed']);
  });
});
