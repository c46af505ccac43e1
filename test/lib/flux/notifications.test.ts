import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Alert } from '../../../lib/flux/alert';
import { Provider, ProviderType } from '../../../lib/flux/notification-provider';
import { Receiver, ReceiverType } from '../../../lib/flux/receiver';
import { newChart, objects, only, specOf } from './support';

describe('Provider', () => {
  it('renders Slack, Teams, generic webhook and GitHub commit status providers, addresses and tokens from Secrets', () => {
    const chart = newChart();
    new Provider(chart, 'slack', { type: ProviderType.slack({ channel: '#gitops' }), secretRef: 'slack-webhook' });
    new Provider(chart, 'msteams', { type: ProviderType.msteams(), secretRef: 'teams-webhook', timeout: '30s' });
    new Provider(chart, 'webhook', { type: ProviderType.genericWebhook(), secretRef: 'audit-webhook' });
    new Provider(chart, 'signed', { type: ProviderType.genericWebhook({ hmac: true }), secretRef: 'signed-webhook', certSecretRef: 'webhook-ca' });
    new Provider(chart, 'github-status', { type: ProviderType.githubCommitStatus('https://github.com/company/gitops-infrastructure'), secretRef: 'github-token' });
    const list = objects(chart);
    assert.equal(only(list, 'Provider', 'slack').apiVersion, 'notification.toolkit.fluxcd.io/v1beta3');
    assert.deepEqual(specOf(only(list, 'Provider', 'slack')), { type: 'slack', channel: '#gitops', secretRef: { name: 'slack-webhook' } });
    assert.deepEqual(specOf(only(list, 'Provider', 'msteams')), { type: 'msteams', secretRef: { name: 'teams-webhook' }, timeout: '30s' });
    assert.deepEqual(specOf(only(list, 'Provider', 'webhook')), { type: 'generic', secretRef: { name: 'audit-webhook' } });
    assert.deepEqual(specOf(only(list, 'Provider', 'signed')), {
      type: 'generic-hmac',
      secretRef: { name: 'signed-webhook' },
      certSecretRef: { name: 'webhook-ca' },
    });
    assert.deepEqual(specOf(only(list, 'Provider', 'github-status')), {
      type: 'github',
      address: 'https://github.com/company/gitops-infrastructure',
      secretRef: { name: 'github-token' },
    });
    // No webhook address in any manifest: only the repository URL of the commit-status provider.
    for (const provider of list) {
      const address = specOf(provider).address as string | undefined;
      assert.ok(address === undefined || address === 'https://github.com/company/gitops-infrastructure', provider.metadata.name);
    }
  });

  it('fails on a secret value instead of a Secret name, and on a repository URL with a token', () => {
    assert.throws(() => new Provider(newChart(), 'slack', { type: ProviderType.slack(), secretRef: 'https://hooks.slack.com/services/T000/B000/XXXX' }), {
      message:
        'test/slack: secretRef is "https://hooks.slack.com/services/T000/B000/XXXX". Give the name of a Kubernetes Secret (never the secret value itself): lowercase letters, digits, "-" and ".".',
    });
    assert.throws(() => ProviderType.githubCommitStatus('https://x-access-token:abc@github.com/company/repo'), {
      message:
        'ProviderType.githubCommitStatus: repositoryUrl is "https://***@github.com/company/repo". Remove the credentials from the URL; put them in a Secret and reference it with secretRef.',
    });
    assert.throws(() => ProviderType.githubCommitStatus('https://github.com/company'), {
      message: 'ProviderType.githubCommitStatus: repositoryUrl is "https://github.com/company". Use the repository URL, such as "https://github.com/<owner>/<repository>".',
    });
    assert.throws(() => ProviderType.slack({ channel: 'has spaces' }), {
      message: 'ProviderType.slack: channel is "has spaces". Use a channel name such as "#gitops-alerts".',
    });
  });
});

describe('Alert', () => {
  it('renders event sources (all or by name, with labels) and severity', () => {
    const chart = newChart();
    const slack = new Provider(chart, 'slack', { type: ProviderType.slack(), secretRef: 'slack-webhook' });
    new Alert(chart, 'platform', {
      provider: slack,
      eventSeverity: 'error',
      eventSources: [
        { kind: 'Kustomization', name: '*' },
        { kind: 'HelmRelease', name: '*', matchLabels: { tier: 'infra' } },
        { kind: 'GitRepository', name: 'team-a-apps', namespace: 'team-a' },
      ],
      exclusionList: ['.*no changes.*'],
      eventMetadata: { cluster: 'prod-cluster' },
    });
    new Alert(chart, 'defaults', { provider: slack, eventSources: [{ kind: 'ImageUpdateAutomation', name: '*' }] });
    const list = objects(chart);
    assert.deepEqual(specOf(only(list, 'Alert', 'platform')), {
      providerRef: { name: 'slack' },
      eventSeverity: 'error',
      eventSources: [
        { kind: 'Kustomization', name: '*' },
        { kind: 'HelmRelease', name: '*', matchLabels: { tier: 'infra' } },
        { kind: 'GitRepository', name: 'team-a-apps', namespace: 'team-a' },
      ],
      exclusionList: ['.*no changes.*'],
      eventMetadata: { cluster: 'prod-cluster' },
    });
    assert.deepEqual(specOf(only(list, 'Alert', 'defaults')), {
      providerRef: { name: 'slack' },
      eventSources: [{ kind: 'ImageUpdateAutomation', name: '*' }],
    });
  });

  it('fails without event sources, with an unknown kind, labels on a named source or a provider elsewhere', () => {
    const chart = newChart();
    const slack = new Provider(chart, 'slack', { type: ProviderType.slack(), secretRef: 'slack-webhook' });
    const github = new Provider(chart, 'github', { type: ProviderType.githubCommitStatus('https://github.com/company/repo'), secretRef: 'token' });
    assert.throws(() => new Alert(chart, 'a1', { provider: slack, eventSources: [] }), {
      message: 'test/a1: eventSources is []. List at least one event source, e.g. { kind: "Kustomization", name: "*" }.',
    });
    assert.throws(() => new Alert(chart, 'a2', { provider: slack, eventSources: [{ kind: 'Deployment' as 'Kustomization', name: 'web' }] }), {
      message:
        'test/a2: AlertProps.eventSources[0].kind is "Deployment". Use one of "Bucket", "GitRepository", "Kustomization", "HelmRelease", "HelmChart", "HelmRepository", "ImageRepository", "ImagePolicy", "ImageUpdateAutomation", "OCIRepository".',
    });
    assert.throws(() => new Alert(chart, 'a3', { provider: slack, eventSources: [{ kind: 'Kustomization', name: 'apps', matchLabels: { a: 'b' } }] }), {
      message: 'test/a3: eventSources[0].matchLabels is {"a":"b"}. matchLabels only applies with name "*".',
    });
    assert.throws(() => new Alert(chart, 'a4', { namespace: 'team-a', provider: slack, eventSources: [{ kind: 'Kustomization', name: '*' }] }), {
      message: 'test/a4: provider is "flux-system/slack". An Alert references a Provider in its own namespace (team-a); create the Provider there.',
    });
    assert.throws(() => new Alert(chart, 'a5', { provider: github, eventSources: [{ kind: 'HelmRelease', name: '*' }] }), {
      message: 'test/a5: eventSources is ["HelmRelease"]. Commit-status providers only understand Kustomization events; list Kustomizations only.',
    });
  });
});

describe('Receiver', () => {
  it('renders a GitHub webhook receiver with its token from a Secret', () => {
    const chart = newChart();
    new Receiver(chart, 'github', {
      type: ReceiverType.github(),
      secretRef: 'webhook-token',
      resources: [{ kind: 'GitRepository', name: 'flux-system' }],
    });
    new Receiver(chart, 'generic', { type: ReceiverType.generic(), secretRef: 'token', resources: [{ kind: 'OCIRepository', name: '*', matchLabels: { app: 'web' } }] });
    const list = objects(chart);
    assert.equal(only(list, 'Receiver', 'github').apiVersion, 'notification.toolkit.fluxcd.io/v1');
    assert.deepEqual(specOf(only(list, 'Receiver', 'github')), {
      type: 'github',
      events: ['ping', 'push'],
      secretRef: { name: 'webhook-token' },
      resources: [{ kind: 'GitRepository', name: 'flux-system' }],
    });
    assert.deepEqual(specOf(only(list, 'Receiver', 'generic')), {
      type: 'generic',
      secretRef: { name: 'token' },
      resources: [{ kind: 'OCIRepository', name: '*', matchLabels: { app: 'web' } }],
    });
  });

  it('fails without resources or with empty event names', () => {
    assert.throws(() => new Receiver(newChart(), 'r', { type: ReceiverType.github(), secretRef: 'token', resources: [] }), {
      message: 'test/r: resources is []. List at least one event source, e.g. { kind: "Kustomization", name: "*" }.',
    });
    assert.throws(() => ReceiverType.github(['push', '']), {
      message: 'ReceiverType.github: events is ["push",""]. Give event names such as "push" or "ping".',
    });
  });
});
