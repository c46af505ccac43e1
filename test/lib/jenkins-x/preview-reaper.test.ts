import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { describe, it } from 'node:test';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Chart } from 'cdk8s';
import { PREVIEW_REAPER_IMAGE, PreviewReaper, reaperScript } from '../../../lib/jenkins-x/preview-reaper';
import { validateManifest } from '../../support/validate';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

function render(): Json[] {
  const chart = new Chart(new App(), 'test');
  new PreviewReaper(chart, 'Reaper', { ttlSeconds: 259200, schedule: '15 * * * *' });
  return chart.toJson();
}

describe('PreviewReaper', () => {
  it('renders a CronJob with its service account and the least RBAC it needs', () => {
    const objects = render();
    assert.deepEqual(objects.map((o) => `${o.kind}/${o.metadata.name}`), [
      'ServiceAccount/jx-preview-reaper',
      'Role/jx-preview-reaper',
      'RoleBinding/jx-preview-reaper',
      'ClusterRole/jx-preview-reaper',
      'ClusterRoleBinding/jx-preview-reaper',
      'CronJob/jx-preview-reaper',
    ]);
    const role = objects.find((o) => o.kind === 'Role')!;
    assert.deepEqual(role.rules, [{ apiGroups: ['preview.jenkins.io'], resources: ['previews'], verbs: ['get', 'list', 'delete'] }]);
    const clusterRole = objects.find((o) => o.kind === 'ClusterRole')!;
    assert.deepEqual(clusterRole.rules, [{ apiGroups: [''], resources: ['namespaces'], verbs: ['get', 'delete'] }]);
    for (const obj of objects) assert.deepEqual(validateManifest(obj), [], obj.kind);
  });

  it('runs non-root with requests, limits and a pinned image', () => {
    const cron = render().find((o) => o.kind === 'CronJob')!;
    const pod = cron.spec.jobTemplate.spec.template.spec;
    assert.equal(cron.spec.schedule, '15 * * * *');
    assert.equal(cron.spec.concurrencyPolicy, 'Forbid');
    assert.equal(pod.securityContext.runAsNonRoot, true);
    const [container] = pod.containers;
    assert.equal(container.image, PREVIEW_REAPER_IMAGE);
    assert.equal(container.securityContext.runAsNonRoot, true);
    assert.equal(container.securityContext.readOnlyRootFilesystem, true);
    assert.deepEqual(container.resources, { requests: { cpu: '50m', memory: '64Mi' }, limits: { cpu: '200m', memory: '256Mi' } });
    assert.deepEqual(container.env, [
      { name: 'HOME', value: '/tmp' },
      { name: 'PREVIEW_NAMESPACE', value: 'jx' },
      { name: 'TTL_SECONDS', value: '259200' },
    ]);
  });

  it('fails when the time to live is under an hour', () => {
    assert.throws(() => new PreviewReaper(new Chart(new App(), 'test'), 'Reaper', { ttlSeconds: 600, schedule: '* * * * *' }), {
      message: 'test/Reaper: ttlSeconds is 600. Use a whole number of seconds, at least 3600.',
    });
  });

  it('fails when the image is not pinned', () => {
    assert.throws(
      () => new PreviewReaper(new Chart(new App(), 'test'), 'Reaper', { ttlSeconds: 3600, schedule: '* * * * *', image: 'ghcr.io/jenkins-x-plugins/jx-preview' }),
      { message: 'test/Reaper: image is "ghcr.io/jenkins-x-plugins/jx-preview". Pin the image to an explicit tag or digest.' },
    );
  });

  it('its script deletes expired preview namespaces and Previews only', (t) => {
    if (spawnSync('date', ['-u', '-d', '@0', '+%Y']).status !== 0) {
      t.skip('no date command that understands -d @seconds here');
      return;
    }
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'reaper-'));
    try {
      const log = path.join(dir, 'calls.log');
      const listing = path.join(dir, 'previews.txt');
      fs.writeFileSync(
        listing,
        [
          'old-pr 2000-01-01T00:00:00Z jx-company-orders-api-pr-1',
          'new-pr 2999-01-01T00:00:00Z jx-company-orders-api-pr-2',
          'odd 2000-01-01T00:00:00Z kube-system',
          '',
        ].join('\n'),
      );
      const kubectl = path.join(dir, 'kubectl');
      fs.writeFileSync(kubectl, `#!/bin/sh\nprintf '%s\\n' "$*" >> "${log}"\nif [ "$1" = get ]; then cat "${listing}"; fi\n`, { mode: 0o755 });
      const result = spawnSync('/bin/sh', ['-c', reaperScript()], {
        encoding: 'utf8',
        env: { PATH: `${dir}:${process.env.PATH}`, PREVIEW_NAMESPACE: 'jx', TTL_SECONDS: '3600' },
      });
      assert.equal(result.status, 0, result.stderr);
      const calls = fs.readFileSync(log, 'utf8').trim().split('\n');
      assert.match(calls[0], /^get previews\.preview\.jenkins\.io --namespace jx -o jsonpath=/);
      assert.deepEqual(calls.slice(1), [
        'delete namespace jx-company-orders-api-pr-1 --ignore-not-found --wait=false',
        'delete previews.preview.jenkins.io old-pr --namespace jx --ignore-not-found',
      ]);
      assert.match(result.stdout, /preview odd: namespace "kube-system" is not a preview namespace, left alone/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
