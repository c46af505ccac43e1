import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Testing } from 'cdktf';
import { CostAllocation, DEFAULT_TEAM_LABEL } from '../../../lib/monitoring/cost/opencost';
import { monitoringEndpoints } from '../../../lib/monitoring/install';
import { CHARTS } from '../../../lib/platform/catalogue';
import { GitOpsStack } from '../../../stacks/gitops-stack';
import { helmRelease, releaseValues } from '../../support/synth';
import { assertValidManifests } from '../../support/validate';
import { cachedShippedSynth, SHIPPED, testStack } from '../security/support';
import { assertPromQL } from './support';

type Json = Record<string, unknown>;

const synth = cachedShippedSynth();

describe('CostAllocation (OpenCost)', () => {
  for (const name of ['staging', 'prod']) {
    it(`${name}: installs the pinned chart reading the monitoring install's Prometheus`, () => {
      const { tf } = synth(name).result;
      const release = helmRelease(tf, 'opencost');
      assert.equal(release.chart, CHARTS.opencost.chart);
      assert.equal(release.version, '2.5.17');
      assert.equal(release.repository, 'https://opencost.github.io/opencost-helm-chart');
      const kps = helmRelease(tf, 'kube-prometheus-stack');
      const opencost = releaseValues(release).opencost as Json;
      assert.deepEqual((opencost.prometheus as Json).internal, { enabled: true, serviceName: `${String(kps.name)}-prometheus`, namespaceName: kps.namespace, port: 9090 });
      assert.deepEqual(opencost.ui, { enabled: false });
      assert.equal((opencost.exporter as Json).defaultClusterId, SHIPPED[name].cluster.name);
    });

    it(`${name}: allocates by the team label the platform puts on team namespaces, exported by kube-state-metrics`, () => {
      const { tf, objects } = synth(name).result;
      assert.equal(DEFAULT_TEAM_LABEL, 'gitops.platform/team');
      const teamNamespaces = objects.filter((o) => o.kind === 'Namespace' && (o.metadata.labels as Json | undefined)?.[DEFAULT_TEAM_LABEL] !== undefined);
      assert.ok(teamNamespaces.length > 0, 'the Argo CD teams label their namespaces');
      const ksm = releaseValues(helmRelease(tf, 'kube-prometheus-stack'))['kube-state-metrics'] as Json;
      assert.deepEqual(ksm.metricLabelsAllowlist, ['namespaces=[gitops.platform/team]']);
      const dashboard = objects.find((o) => o.kind === 'ConfigMap' && o.metadata.name === 'grafana-dashboard-gitops-cost-allocation')!;
      assert.equal(dashboard.metadata.namespace, 'opencost');
      const model = JSON.parse(Object.values((dashboard as Json).data as Json)[0] as string) as Json;
      const exprs = (model.panels as Json[]).flatMap((p) => (p.targets as Json[]).map((t) => String(t.expr)));
      for (const e of exprs) assertPromQL(e);
      assert.ok(exprs.some((e) => e.includes('kube_namespace_labels{label_gitops_platform_team!=""}')));
      const monitor = objects.find((o) => o.kind === 'ServiceMonitor' && o.metadata.name === 'opencost')!;
      assertValidManifests([monitor, dashboard], 'cost objects');
    });

    it(`${name}: reports the summary in enterprise_gitops_status.cost`, () => {
      const cost = (synth(name).result.tf.output.enterprise_gitops_status.value as Json).cost as Json;
      assert.equal(cost.chart_version, '2.5.17');
      assert.equal(cost.prometheus, 'http://kube-prometheus-stack-prometheus.monitoring.svc.cluster.local:9090');
      assert.equal(cost.team_label, 'gitops.platform/team');
      assert.equal(cost.allocation_api, 'http://opencost.opencost.svc.cluster.local:9003/allocation?window=30d&aggregate=label:gitops_platform_team');
      assert.equal(cost.dashboard, 'Cost Allocation');
    });
  }

  it('dev: no OpenCost and kube-state-metrics exports no namespace labels', () => {
    const { tf } = synth('dev').result;
    assert.throws(() => helmRelease(tf, 'opencost'));
    const ksm = releaseValues(helmRelease(tf, 'kube-prometheus-stack'))['kube-state-metrics'] as Json;
    assert.equal(ksm.metricLabelsAllowlist, undefined);
    assert.equal((tf.output.enterprise_gitops_status.value as Json).cost, undefined);
  });

  it('reads a Prometheus installed under another namespace and release', () => {
    const stack = new GitOpsStack(Testing.app(), 'dev', { environment: { ...SHIPPED.dev, modules: ['security'] }, manifestDirectory: `/tmp/cost-${process.pid}` });
    const cost = new CostAllocation(stack, 'Cost', { prometheus: monitoringEndpoints({ namespace: 'observability', releaseName: 'kps' }).prometheus });
    const values = cost.install.values.opencost as Json;
    assert.deepEqual((values.prometheus as Json).internal, { enabled: true, serviceName: 'kps-prometheus', namespaceName: 'observability', port: 9090 });
  });

  it('fails on a team label that is not a label key', () => {
    assert.throws(
      () => testStack(SHIPPED.staging, { monitoring: { ...SHIPPED.staging.monitoring, cost: { teamLabel: 'team name' } } }),
      /staging\/Monitoring\/Cost: teamLabel is "team name"\. Use a Kubernetes label key such as "gitops\.platform\/team"\./,
    );
  });
});
