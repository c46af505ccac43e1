import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Application, ApplicationSource, IN_CLUSTER, ImageUpdatePolicy, SyncPolicy, WriteBack } from '../../../lib/argocd';
import { IMAGE_UPDATES_LABEL } from '../../../lib/argocd/image-updater';
import { RESOURCES_FINALIZER } from '../../../lib/argocd/application';
import { newChart, objectOf } from './support';

const git = ApplicationSource.git({ repoUrl: 'https://github.com/company/apps', targetRevision: 'main', path: 'web' });

describe('Application', () => {
  it('defaults: argocd namespace, default project, resources finalizer, no sync policy', () => {
    const chart = newChart();
    new Application(chart, 'Web', { name: 'web', source: git, destination: { server: IN_CLUSTER, namespace: 'web' } });
    const app = objectOf(chart, 'Application') as any;
    assert.equal(app.apiVersion, 'argoproj.io/v1alpha1');
    assert.equal(app.metadata.namespace, 'argocd');
    assert.deepEqual(app.metadata.finalizers, [RESOURCES_FINALIZER]);
    assert.equal(app.spec.project, 'default');
    assert.equal(app.spec.syncPolicy, undefined);
    assert.deepEqual(app.spec.source, { repoURL: 'https://github.com/company/apps', targetRevision: 'main', path: 'web' });
  });

  it('renders multiple sources (a chart with values from a ref source)', () => {
    const chart = newChart();
    new Application(chart, 'Redis', {
      name: 'redis',
      sources: [
        ApplicationSource.helmChart({
          repoUrl: 'https://charts.bitnami.com/bitnami',
          chart: 'redis',
          version: '18.0.0',
          helm: { valueFiles: ['$values/redis/prod.yaml'] },
        }),
        ApplicationSource.ref({ repoUrl: 'https://github.com/company/values', targetRevision: 'main', ref: 'values' }),
      ],
      destination: { name: 'prod-us-east', namespace: 'redis' },
    });
    const app = objectOf(chart, 'Application') as any;
    assert.equal(app.spec.source, undefined);
    assert.deepEqual(app.spec.sources, [
      { repoURL: 'https://charts.bitnami.com/bitnami', chart: 'redis', targetRevision: '18.0.0', helm: { valueFiles: ['$values/redis/prod.yaml'] } },
      { repoURL: 'https://github.com/company/values', targetRevision: 'main', ref: 'values' },
    ]);
    assert.deepEqual(app.spec.destination, { name: 'prod-us-east', namespace: 'redis' });
  });

  it('writes the sync wave, notification and image-updater annotations and the image-updates label', () => {
    const chart = newChart();
    new Application(chart, 'Web', {
      name: 'web',
      source: git,
      destination: { server: IN_CLUSTER, namespace: 'web' },
      syncWave: -1,
      annotations: { 'company.com/owner': 'team-a' },
      notifications: [
        { triggers: ['on-sync-failed', 'on-health-degraded'], service: 'slack', recipients: ['alerts', 'team-a'] },
        { triggers: ['on-sync-failed'], service: 'teams' },
      ],
      imageUpdates: new ImageUpdatePolicy({
        images: [{ alias: 'web', image: 'registry.company.com/web', constraint: '1.2.x' }],
        writeBack: WriteBack.git({ branch: 'main', target: 'kustomization' }),
      }),
      syncPolicy: SyncPolicy.automated({ prune: true }),
    });
    const app = objectOf(chart, 'Application') as any;
    assert.deepEqual(app.metadata.annotations, {
      'company.com/owner': 'team-a',
      'argocd.argoproj.io/sync-wave': '-1',
      'notifications.argoproj.io/subscribe.on-sync-failed.slack': 'alerts;team-a',
      'notifications.argoproj.io/subscribe.on-health-degraded.slack': 'alerts;team-a',
      'notifications.argoproj.io/subscribe.on-sync-failed.teams': '',
      'argocd-image-updater.argoproj.io/image-list': 'web=registry.company.com/web:1.2.x',
      'argocd-image-updater.argoproj.io/web.update-strategy': 'semver',
      'argocd-image-updater.argoproj.io/write-back-method': 'git',
      'argocd-image-updater.argoproj.io/git-branch': 'main',
      'argocd-image-updater.argoproj.io/write-back-target': 'kustomization',
    });
    assert.deepEqual(app.metadata.labels, { [IMAGE_UPDATES_LABEL]: 'enabled' });
    assert.deepEqual(app.spec.syncPolicy, { automated: { prune: true } });
  });

  it('omits the finalizer when cascadeDelete is false', () => {
    const chart = newChart();
    new Application(chart, 'Web', { name: 'web', source: git, destination: { server: IN_CLUSTER }, cascadeDelete: false });
    assert.equal(objectOf(chart, 'Application').metadata.finalizers, undefined);
  });

  it('fails when the destination is neither a server nor a cluster name', () => {
    assert.throws(() => new Application(newChart(), 'Web', { name: 'web', source: git, destination: { namespace: 'web' } }), {
      message:
        'test/Web: destination is {"namespace":"web"}. Set exactly one of destination.server (an API URL) or destination.name (a registered cluster).',
    });
  });

  it('fails when the destination is both a server and a cluster name', () => {
    assert.throws(
      () => new Application(newChart(), 'Web', { name: 'web', source: git, destination: { server: IN_CLUSTER, name: 'in-cluster' } }),
      /destination is \{"server":"https:\/\/kubernetes.default.svc","name":"in-cluster"\}\. Set exactly one/,
    );
  });

  it('fails when the destination server is not an https URL', () => {
    assert.throws(() => new Application(newChart(), 'Web', { name: 'web', source: git, destination: { server: 'kubernetes.default.svc' } }), {
      message: 'test/Web: destination.server is "kubernetes.default.svc". Use the https:// URL of the API server, such as "https://kubernetes.default.svc".',
    });
  });

  it('fails when both or neither of source and sources are set', () => {
    assert.throws(() => new Application(newChart(), 'Web', { name: 'web', destination: { server: IN_CLUSTER } }), {
      message: 'test/Web: source is not set. Set exactly one of source or sources.',
    });
    assert.throws(() => new Application(newChart(), 'Web', { name: 'web', source: git, sources: [git], destination: { server: IN_CLUSTER } }), {
      message: 'test/Web: source is "both source and sources". Set exactly one of source or sources.',
    });
  });

  it('fails when a value file points into a source no one names', () => {
    const chartSource = ApplicationSource.helmChart({
      repoUrl: 'https://charts.bitnami.com/bitnami',
      chart: 'redis',
      version: '18.0.0',
      helm: { valueFiles: ['$values/redis.yaml'] },
    });
    assert.throws(() => new Application(newChart(), 'Redis', { name: 'redis', sources: [chartSource], destination: { server: IN_CLUSTER } }), {
      message:
        "test/Redis: sources is \"$values\". A value file points into source \"values\", which no source names: add ApplicationSource.ref({ ref: 'values', ... }).",
    });
  });

  it('fails when an ignored difference has no field', () => {
    assert.throws(
      () => new Application(newChart(), 'Web', { name: 'web', source: git, destination: { server: IN_CLUSTER }, ignoreDifferences: [{ group: 'apps', kind: 'Deployment' }] }),
      { message: 'test/Web: ignoreDifferences[0] is {"group":"apps","kind":"Deployment"}. Give jsonPointers, jqPathExpressions or managedFieldsManagers.' },
    );
  });

  it('fails when the name is not a Kubernetes name', () => {
    assert.throws(() => new Application(newChart(), 'Web', { name: 'Web_App', source: git, destination: { server: IN_CLUSTER } }), {
      message: 'test/Web: name is "Web_App". Use a lowercase name such as "web-app-production".',
    });
  });
});
