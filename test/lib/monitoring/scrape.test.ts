import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ArgoCdScrapeTargets, FluxScrapeTargets, PodMonitor, ServiceMonitor } from '../../../lib/monitoring/scrape';
import { validateManifest } from '../../support/validate';
import { objects, testChart } from './support';

describe('scrape targets', () => {
  it('selects the argo-cd chart metrics Services of one release', () => {
    const chart = testChart();
    new ArgoCdScrapeTargets(chart, 'Argo', { argoCdNamespace: 'gitops', releaseName: 'argo' });
    const objs = objects(chart);
    assert.deepEqual(objs.map((o) => [o.kind, o.metadata.name]), [
      ['ServiceMonitor', 'argocd-application-controller'],
      ['ServiceMonitor', 'argocd-server'],
      ['ServiceMonitor', 'argocd-repo-server'],
      ['ServiceMonitor', 'argocd-applicationset-controller'],
      ['ServiceMonitor', 'argocd-notifications-controller'],
    ]);
    assert.deepEqual(objs[1].spec, {
      namespaceSelector: { matchNames: ['gitops'] },
      selector: {
        matchLabels: {
          'app.kubernetes.io/name': 'argocd-server-metrics',
          'app.kubernetes.io/component': 'server',
          'app.kubernetes.io/instance': 'argo',
        },
      },
      endpoints: [{ port: 'http-metrics', path: '/metrics', interval: '30s' }],
    });
    assert.equal((objs[0].spec as { selector: { matchLabels: Record<string, string> } }).selector.matchLabels['app.kubernetes.io/name'], 'argocd-metrics');
    for (const o of objs) assert.deepEqual(validateManifest(o), [], o.metadata.name);
  });

  it('scrapes every Flux controller pod on http-prom', () => {
    const chart = testChart();
    new FluxScrapeTargets(chart, 'Flux');
    const objs = objects(chart);
    assert.equal(objs.length, 6);
    assert.deepEqual(objs[0].metadata.name, 'flux-source-controller');
    assert.deepEqual(objs[0].spec, {
      namespaceSelector: { matchNames: ['flux-system'] },
      selector: { matchLabels: { app: 'source-controller' } },
      podMetricsEndpoints: [{ port: 'http-prom', path: '/metrics', interval: '30s' }],
    });
    for (const o of objs) assert.deepEqual(validateManifest(o), [], o.metadata.name);
  });

  it('fails on monitors that would scrape everything or nothing', () => {
    assert.throws(() => new ServiceMonitor(testChart(), 'M', { name: 'm', targetNamespaces: ['a'], matchLabels: {}, port: 'p' }), {
      message: 'test/M: matchLabels is {}. Select the targets by at least one label; an empty selector scrapes everything.',
    });
    assert.throws(() => new PodMonitor(testChart(), 'M', { name: 'm', targetNamespaces: [], matchLabels: { a: 'b' }, port: 'p' }), {
      message: 'test/M: targetNamespaces is []. Name the namespaces of the targets, such as ["argocd"].',
    });
    assert.throws(() => new PodMonitor(testChart(), 'M', { name: 'm', targetNamespaces: ['a'], matchLabels: { a: 'b' }, port: 'p', interval: '30' }), /test\/M: interval is "30"\./);
  });
});
