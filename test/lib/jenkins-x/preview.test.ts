import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parse } from 'yaml';
import { GitUrl } from '../../../lib/jenkins-x/git-url';
import {
  jxPreviewValues,
  previewHelmfile,
  previewNamespacePattern,
  previewValues,
  resolvePreviewSettings,
} from '../../../lib/jenkins-x/preview';

describe('preview settings', () => {
  it('default to the jx-preview schedule, no drafts, no time to live', () => {
    assert.deepEqual(resolvePreviewSettings({}, 'here', 'previews'), {
      gcSchedule: '*/10 * * * *',
      cleanupDrafts: false,
      reaperSchedule: '15 * * * *',
      helmTimeoutSeconds: 600,
    });
  });

  it('turn a time to live into seconds', () => {
    assert.equal(resolvePreviewSettings({ ttl: '72h' }, 'here', 'previews').ttlSeconds, 259200);
    assert.equal(resolvePreviewSettings({ ttl: '1h30m' }, 'here', 'previews').ttlSeconds, 5400);
  });

  it('fail when the time to live is shorter than an hour or not hours and minutes', () => {
    for (const ttl of ['30m', '3d', '', '72']) {
      assert.throws(() => resolvePreviewSettings({ ttl }, 'Environment "dev"', 'jenkinsX.previews'), {
        message: `Environment "dev": jenkinsX.previews.ttl is ${JSON.stringify(ttl) === '""' ? 'empty' : JSON.stringify(ttl)}. Use hours and minutes of at least one hour, such as "72h" or "1h30m".`,
      });
    }
  });

  it('fail when a schedule is not a five-field cron expression', () => {
    assert.throws(() => resolvePreviewSettings({ gcSchedule: '@hourly' }, 'Environment "dev"', 'jenkinsX.previews'), {
      message: 'Environment "dev": jenkinsX.previews.gcSchedule is "@hourly". Use a five-field cron expression such as "*/10 * * * *".',
    });
  });
});

describe('preview files', () => {
  const settings = resolvePreviewSettings({ helmTimeoutSeconds: 900 }, 'here', 'previews');

  it('the helmfile deploys the application chart into the namespace jx-preview chose', () => {
    const helmfile = parse(previewHelmfile(settings));
    assert.deepEqual(helmfile.helmDefaults, { timeout: 900 });
    const [release] = helmfile.releases;
    assert.equal(release.chart, '../charts/{{ requiredEnv "APP_NAME" }}');
    assert.equal(release.namespace, '{{ requiredEnv "PREVIEW_NAMESPACE" }}');
    assert.equal(release.createNamespace, true);
    assert.deepEqual(release.values, ['jx-values.yaml', 'values.yaml.gotmpl']);
    assert.deepEqual(release.hooks[0].args.slice(-2), ['--to', '{{ requiredEnv "PREVIEW_NAMESPACE" }}']);
  });

  it('the values give each pull request its own host and the image it built', () => {
    const values = parse(previewValues());
    assert.equal(values.jxRequirements.ingress.namespaceSubDomain, '-pr{{ requiredEnv "PULL_NUMBER" }}.');
    assert.equal(values.image.tag, '{{ requiredEnv "VERSION" }}');
  });

  it('the jx-preview values set the garbage collector schedule and draft cleanup', () => {
    assert.deepEqual(parse(jxPreviewValues(resolvePreviewSettings({ gcSchedule: '*/5 * * * *', cleanupDrafts: true }, 'h', 'p'))), {
      gcJobs: { schedule: '*/5 * * * *', extraArgs: '--gc-drafts' },
    });
    assert.deepEqual(parse(jxPreviewValues(settings)), { gcJobs: { schedule: '*/10 * * * *', extraArgs: '' } });
  });

  it('the namespace pattern is the one jx-preview computes', () => {
    const repo = GitUrl.parse('https://github.com/Company/Orders.API.git', 'here', 'repo');
    assert.equal(previewNamespacePattern('jx', repo), 'jx-company-orders-api-pr-{number}');
  });
});
