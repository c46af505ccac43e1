import { NotificationService } from './notification-service';
import { NotificationTemplate, NotificationTrigger, WebhookMessage } from './notification-template';

/** The four triggers the platform ships: deployed, sync succeeded, sync failed, health degraded. */
export function catalogueTriggers(): NotificationTrigger[] {
  return [
    NotificationTrigger.onDeployed(),
    NotificationTrigger.onSyncSucceeded(),
    NotificationTrigger.onSyncFailed(),
    NotificationTrigger.onHealthDegraded(),
  ];
}

interface TemplateText {
  readonly name: string;
  readonly message: string;
  readonly subject: string;
  readonly color: string;
  readonly fields: ReadonlyArray<readonly [string, string]>;
}

const APP_LINK = '{{.context.argocdUrl}}/applications/{{.app.metadata.name}}';

const TEXTS: readonly TemplateText[] = [
  {
    name: 'app-deployed',
    message: 'Application {{.app.metadata.name}} is now running new version.',
    subject: 'Application {{.app.metadata.name}} is now running new version',
    color: '#18be52',
    fields: [
      ['Sync Status', '{{.app.status.sync.status}}'],
      ['Repository', '{{.app.spec.source.repoURL}}'],
    ],
  },
  {
    name: 'app-sync-succeeded',
    message: 'Application {{.app.metadata.name}} sync succeeded',
    subject: 'Application {{.app.metadata.name}} sync succeeded',
    color: 'good',
    fields: [['Revision', '{{.app.status.sync.revision}}']],
  },
  {
    name: 'app-sync-failed',
    message: 'Application {{.app.metadata.name}} sync failed: {{.app.status.operationState.message}}',
    subject: 'Application {{.app.metadata.name}} sync failed',
    color: '#E96D76',
    fields: [
      ['Sync Status', '{{.app.status.sync.status}}'],
      ['Message', '{{.app.status.operationState.message}}'],
    ],
  },
  {
    name: 'app-health-degraded',
    message: 'Application {{.app.metadata.name}} has degraded.',
    subject: 'Application {{.app.metadata.name}} has degraded',
    color: '#f4c030',
    fields: [['Health Status', '{{.app.status.health.status}}']],
  },
];

/**
 * The templates the catalogue triggers send, for Slack, email and every
 * Teams webhook service given (a MessageCard body per webhook).
 */
export function catalogueTemplates(services: readonly NotificationService[] = []): NotificationTemplate[] {
  const webhooks = services.filter((s) => s.type === 'webhook').map((s) => s.name);
  return TEXTS.map((t) => {
    const card: WebhookMessage = {
      method: 'POST',
      body: `${JSON.stringify({
        '@type': 'MessageCard',
        '@context': 'https://schema.org/extensions',
        themeColor: t.color.startsWith('#') ? t.color.slice(1) : '2EB67D',
        summary: t.subject,
        text: `${t.message} [Open in Argo CD](${APP_LINK})`,
      })}`,
    };
    return new NotificationTemplate({
      name: t.name,
      message: t.message,
      emailSubject: t.subject,
      slackAttachments: [
        {
          title: '{{ .app.metadata.name}}',
          title_link: APP_LINK,
          color: t.color,
          fields: t.fields.map(([title, value]) => ({ title, value, short: true })),
        },
      ],
      ...(webhooks.length > 0 ? { webhooks: Object.fromEntries(webhooks.map((w) => [w, card])) } : {}),
    });
  });
}
