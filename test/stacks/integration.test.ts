import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import * as fs from 'fs';
import { dev, prod, staging } from '../../environments';
import { EnvironmentConfig } from '../../stacks/environment';
import { kubePrometheusEndpoint } from '../../lib/monitoring/install';

/** The Prometheus the monitoring module installs with its default namespace and release. */
const PLATFORM_PROMETHEUS_URL = kubePrometheusEndpoint().url;
import { helmRelease, objectsOf, releaseValues, synthEnvironment, SynthResult } from '../support/synth';

/** Wiring between modules: each module adapts to the others that are on. */
const made: SynthResult[] = [];
function synth(env: EnvironmentConfig): SynthResult {
  const result = synthEnvironment(env);
  made.push(result);
  return result;
}
after(() => {
  for (const r of made) fs.rmSync(r.directory, { recursive: true, force: true });
});

type Json = Record<string, Record<string, unknown>>;
const COMPONENTS = ['controller', 'server', 'repoServer', 'applicationSet', 'notifications'];

describe('module wiring', () => {
  const full = synth(dev);
  const withoutMonitoring = synth({ ...dev, name: 'nomon', modules: dev.modules.filter((m) => m !== 'monitoring' && m !== 'delivery') });

  it('turns on the Argo CD metrics Services that the monitoring ServiceMonitors select', () => {
    const values = releaseValues(helmRelease(full.tf, 'argocd')) as Json;
    for (const component of COMPONENTS) assert.deepEqual(values[component].metrics, { enabled: true }, component);
    assert.ok(objectsOf(full, 'ServiceMonitor').length >= COMPONENTS.length);
    const off = releaseValues(helmRelease(withoutMonitoring.tf, 'argocd')) as Json;
    for (const component of COMPONENTS) assert.equal(off[component].metrics, undefined, component);
    assert.equal(objectsOf(withoutMonitoring, 'ServiceMonitor').length, 0);
  });

  it('points rollout analysis at the Prometheus the monitoring module installs', () => {
    const templates = objectsOf(full, 'AnalysisTemplate');
    if (templates.length === 0) return; // dev ships no analysis; staging and prod do (see below)
    for (const t of templates) assert.match(JSON.stringify(t.spec), new RegExp(PLATFORM_PROMETHEUS_URL.replace(/[.]/g, '\\.')));
  });

  it('uses the installed Prometheus in staging analysis and in the compliance report', () => {
    const result = synth(staging);
    const templates = objectsOf(result, 'AnalysisTemplate');
    assert.ok(templates.length > 0);
    for (const t of templates) {
      const metrics = (t.spec as { metrics: Array<{ provider: { prometheus?: { address: string } } }> }).metrics;
      for (const m of metrics) if (m.provider.prometheus) assert.equal(m.provider.prometheus.address, PLATFORM_PROMETHEUS_URL);
    }
    const [report] = objectsOf(result, 'CronJob').filter((c) => JSON.stringify(c).includes('PROMETHEUS_URL'));
    assert.ok(report, 'the compliance report CronJob');
    assert.match(JSON.stringify(report), new RegExp(`"PROMETHEUS_URL","value":"${PLATFORM_PROMETHEUS_URL.replace(/[.]/g, '\\.')}"`));
  });

  it("hands the security module's secret store to every module that reads Secrets from it", () => {
    const result = synth(prod);
    const modules = result.stack.modules;
    const store = modules.security?.defaultStore;
    assert.ok(store, 'prod configures a store');
    // The same handle, not a copy or a lookup: createModules passes security.defaultStore.
    assert.equal(modules.argocd?.secretStore, store);
    assert.equal(modules.flux?.secretStore, store);
    assert.equal(modules.monitoring?.secretStore, store);
    assert.equal(modules.recovery?.secretStore, store);
    const readers = new Set<string>();
    for (const { file, object } of result.objects) {
      if (object.kind !== 'ExternalSecret') continue;
      // A tenant's database credentials come from the tenant's own store; everything else reads the environment's store.
      const own: { readonly name: string; readonly kind: string } | undefined =
        object.metadata.name === 'database-credentials' ? modules.security?.tenantStores.get(object.metadata.namespace ?? '')?.ref : undefined;
      const expected: { name: string; kind: string } = own ? { name: own.name, kind: own.kind } : { name: store.name, kind: store.kind };
      assert.deepEqual((object.spec as { secretStoreRef: unknown }).secretStoreRef, expected, `${file} ${object.metadata.name}`);
      readers.add(file);
    }
    for (const file of ['apps/argocd-secrets.yaml', 'infrastructure/flux-secrets.yaml', 'infrastructure/monitoring-secrets.yaml']) assert.ok(readers.has(file), file);
  });
});
