import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { GitRepository } from '../../../lib/flux/git-repository';
import { HelmRelease, HelmReleaseChart, PostRenderer, ValuesReference } from '../../../lib/flux/helm-release';
import { HelmRepository } from '../../../lib/flux/helm-repository';
import { OCIRepository, OciRef } from '../../../lib/flux/oci-repository';
import { KustomizePatch } from '../../../lib/flux/patch';
import { newChart, objects, only, specOf } from './support';

describe('HelmRelease', () => {
  it('renders chart, values, valuesFrom, remediation, rollback and post-renderers', () => {
    const chart = newChart();
    const repo = new HelmRepository(chart, 'prometheus-community', { url: 'https://prometheus-community.github.io/helm-charts' });
    const crds = new HelmRelease(chart, 'crds', { namespace: 'monitoring', chart: HelmReleaseChart.fromSource(repo, 'prometheus-operator-crds', { version: '>=20.0.0' }) });
    new HelmRelease(chart, 'monitoring', {
      namespace: 'monitoring',
      chart: HelmReleaseChart.fromSource(repo, 'kube-prometheus-stack', { version: '45.x', interval: '1h' }),
      interval: '5m',
      values: { grafana: { persistence: { enabled: true } } },
      valuesFrom: [
        ValuesReference.configMap('monitoring-values'),
        ValuesReference.secret('grafana-admin-credentials', { valuesKey: 'password', targetPath: 'grafana.adminPassword' }),
      ],
      install: { remediationRetries: 3, createNamespace: true, crds: 'CreateReplace' },
      upgrade: { remediationRetries: 3, remediationStrategy: 'rollback', remediateLastFailure: true, cleanupOnFail: true, force: false },
      rollback: { cleanupOnFail: true, force: true, recreate: false, timeout: '10m' },
      postRenderers: [
        PostRenderer.kustomize({
          patches: [KustomizePatch.jsonPatch([{ op: 'remove', path: '/spec/replicas' }], { kind: 'Deployment', name: 'grafana' })],
          images: [{ name: 'grafana/grafana', newTag: '11.0.0' }],
        }),
      ],
      targetNamespace: 'observability',
      storageNamespace: 'observability',
      releaseName: 'kps',
      serviceAccountName: 'helm-controller',
      dependsOn: [crds],
      timeout: '15m',
      maxHistory: 5,
      driftDetection: 'warn',
    });
    assert.deepEqual(specOf(only(objects(chart), 'HelmRelease', 'monitoring')), {
      interval: '5m',
      chart: {
        spec: {
          chart: 'kube-prometheus-stack',
          version: '45.x',
          interval: '1h',
          sourceRef: { kind: 'HelmRepository', name: 'prometheus-community', namespace: 'flux-system' },
        },
      },
      values: { grafana: { persistence: { enabled: true } } },
      valuesFrom: [
        { kind: 'ConfigMap', name: 'monitoring-values' },
        { kind: 'Secret', name: 'grafana-admin-credentials', valuesKey: 'password', targetPath: 'grafana.adminPassword' },
      ],
      install: { remediation: { retries: 3 }, createNamespace: true, crds: 'CreateReplace' },
      upgrade: { remediation: { retries: 3, strategy: 'rollback', remediateLastFailure: true }, cleanupOnFail: true, force: false },
      rollback: { cleanupOnFail: true, force: true, recreate: false, timeout: '10m' },
      postRenderers: [
        {
          kustomize: {
            patches: [{ patch: '- op: remove\n  path: /spec/replicas\n', target: { kind: 'Deployment', name: 'grafana' } }],
            images: [{ name: 'grafana/grafana', newTag: '11.0.0' }],
          },
        },
      ],
      targetNamespace: 'observability',
      storageNamespace: 'observability',
      releaseName: 'kps',
      serviceAccountName: 'helm-controller',
      dependsOn: [{ name: 'crds' }],
      timeout: '15m',
      maxHistory: 5,
      driftDetection: { mode: 'warn' },
    });
  });

  it('takes charts from Git by path and from an OCIRepository by chartRef', () => {
    const chart = newChart();
    const git = new GitRepository(chart, 'charts-repo', { url: 'https://github.com/company/charts' });
    const oci = new OCIRepository(chart, 'podinfo', { url: 'oci://ghcr.io/stefanprodan/charts/podinfo', ref: OciRef.semver('6.x') });
    new HelmRelease(chart, 'from-git', { chart: HelmReleaseChart.fromSource(git, './charts/web', { reconcileStrategy: 'Revision', valuesFiles: ['values.yaml', 'values-prod.yaml'] }) });
    new HelmRelease(chart, 'from-oci', { namespace: 'apps', chart: HelmReleaseChart.fromOciRepository(oci) });
    const list = objects(chart);
    assert.deepEqual(specOf(only(list, 'HelmRelease', 'from-git')).chart, {
      spec: {
        chart: './charts/web',
        valuesFiles: ['values.yaml', 'values-prod.yaml'],
        reconcileStrategy: 'Revision',
        sourceRef: { kind: 'GitRepository', name: 'charts-repo' },
      },
    });
    const fromOci = specOf(only(list, 'HelmRelease', 'from-oci'));
    assert.deepEqual(fromOci.chartRef, { kind: 'OCIRepository', name: 'podinfo', namespace: 'flux-system' });
    assert.equal(fromOci.chart, undefined);
  });

  it('fails when the chart version range does not parse', () => {
    const repo = new HelmRepository(newChart(), 'charts', { url: 'https://charts.example.com' });
    assert.throws(() => HelmReleaseChart.fromSource(repo, 'nginx', { version: '15.x.y' }), {
      message:
        'HelmReleaseChart: version is "15.x.y". It is not a SemVer range ("15.x.y" is not a version such as "1.2.3", "1.2" or "1.x"); use an exact version ("45.7.1") or a range such as "45.x", "~45.7" or ">=45.0.0 <46.0.0".',
    });
    assert.throws(() => HelmReleaseChart.fromSource(repo, 'nginx', { version: 'latest' }), {
      message:
        'HelmReleaseChart: version is "latest". It is not a SemVer range ("latest" is not a comparator such as ">=1.2.0", "~1.2" or "1.x"); use an exact version ("45.7.1") or a range such as "45.x", "~45.7" or ">=45.0.0 <46.0.0".',
    });
  });

  it('fails on a literal secret in values, naming the path and the valuesFrom fix', () => {
    const repo = new HelmRepository(newChart(), 'charts', { url: 'https://charts.example.com' });
    assert.throws(
      () =>
        new HelmRelease(newChart(), 'grafana', {
          chart: HelmReleaseChart.fromSource(repo, 'grafana'),
          values: { grafana: { adminPassword: '${GRAFANA_ADMIN_PASSWORD}', persistence: { enabled: true } } },
        }),
      {
        message:
          'test/grafana: values.grafana.adminPassword is "(redacted)". Never put a secret in Helm values: take it from a Secret with valuesFrom, e.g. ValuesReference.secret("<secret>", { valuesKey: "<key>", targetPath: "grafana.adminPassword" }).',
      },
    );
  });

  it('accepts keys that only name where a secret is', () => {
    const chart = newChart();
    const repo = new HelmRepository(chart, 'charts', { url: 'https://charts.example.com' });
    new HelmRelease(chart, 'grafana', {
      chart: HelmReleaseChart.fromSource(repo, 'grafana'),
      values: { admin: { existingSecret: 'grafana-admin', passwordKey: 'password', userKey: 'user' } },
    });
    assert.equal(objects(chart).length, 2);
  });

  it('fails on bad sources, retries, names and self-dependency', () => {
    const chart = newChart();
    const repo = new HelmRepository(chart, 'charts', { url: 'https://charts.example.com' });
    const git = new GitRepository(chart, 'git', { url: 'https://github.com/company/charts' });
    const oci = new OCIRepository(chart, 'oci', { url: 'oci://ghcr.io/x/y' });
    assert.throws(() => HelmReleaseChart.fromSource(oci, 'y'), {
      message: 'HelmReleaseChart: source is "OCIRepository/oci". An OCIRepository holds one chart: use HelmReleaseChart.fromOciRepository(source).',
    });
    assert.throws(() => HelmReleaseChart.fromSource(git, './charts/web', { version: '1.x' }), {
      message: 'HelmReleaseChart: version is "1.x". A chart from a GitRepository is versioned by the source revision; remove version (or use reconcileStrategy "Revision").',
    });
    assert.throws(() => HelmReleaseChart.fromOciRepository(repo), {
      message: 'HelmReleaseChart: source is "HelmRepository/charts". fromOciRepository takes an OCIRepository; use fromSource for Helm, Git and Bucket sources.',
    });
    assert.throws(() => new HelmRelease(chart, 'r1', { chart: HelmReleaseChart.fromSource(repo, 'x'), install: { remediationRetries: 1.5 } }), {
      message: 'test/r1: install.remediationRetries is 1.5. Use a whole number of retries (0 or more, or -1 to retry forever).',
    });
    assert.throws(() => new HelmRelease(chart, 'r2', { chart: HelmReleaseChart.fromSource(repo, 'x'), releaseName: 'a'.repeat(54) }), {
      message: `test/r2: releaseName is "${'a'.repeat(54)}". Helm release names are at most 53 characters.`,
    });
    assert.throws(() => new HelmRelease(chart, 'r3', { chart: HelmReleaseChart.fromSource(repo, 'x'), dependsOn: [{ name: 'r3' }] }), {
      message: 'test/r3: dependsOn is "flux-system/r3". A HelmRelease cannot depend on itself; remove this dependency.',
    });
    assert.throws(() => new HelmRelease(chart, 'r4', { chart: HelmReleaseChart.fromSource(repo, 'x'), interval: '1d' }), {
      message: 'test/r4: interval is "1d". Use a Go duration such as "30s", "5m" or "1h30m".',
    });
    assert.throws(() => ValuesReference.secret('creds', { targetPath: 'a b' }), {
      message: 'ValuesReference: targetPath is "a b". Use a dotted values path such as "grafana.adminPassword" or "servers[0].token".',
    });
    assert.throws(() => PostRenderer.kustomize({}), {
      message: 'PostRenderer: kustomize is {}. Give at least one patch or image override.',
    });
  });
});
