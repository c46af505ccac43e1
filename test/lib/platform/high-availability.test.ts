import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parse } from 'yaml';
import { dev, prod } from '../../../environments';
import { HA_TABLE, hasDisruptionBudget, mergeValues, replicasFor } from '../../../lib/platform/high-availability';
import { EnvironmentConfig } from '../../../stacks/environment';
import { synthEnvironment } from '../../support/synth';

describe('the HA table', () => {
  const single = { highAvailability: false, controllerReplicas: 1 };
  const ha = { highAvailability: true, controllerReplicas: 3 };

  it('gives each role its replicas with and without high availability', () => {
    assert.deepEqual(
      Object.keys(HA_TABLE).map((role) => [role, replicasFor(single, role as keyof typeof HA_TABLE), replicasFor(ha, role as keyof typeof HA_TABLE)]),
      [
        ['scaled', 1, 3],
        ['standby', 1, 2],
        ['redundant', 1, 2],
        ['quorum', 1, 3],
        ['singleton', 1, 1],
      ],
    );
    assert.equal(hasDisruptionBudget(ha, 'scaled'), true);
    assert.equal(hasDisruptionBudget(single, 'scaled'), false);
    assert.equal(hasDisruptionBudget(ha, 'quorum'), false);
  });

  it('is what the installs of dev and prod run', () => {
    const releases = (env: EnvironmentConfig) => {
      const tf = synthEnvironment(env).tf;
      return Object.fromEntries(
        Object.values(tf.resource.helm_release).map((r) => [r.name as string, r.values ? parse((r.values as string[])[0]) : {}]),
      ) as Record<string, Record<string, any>>;
    };
    for (const env of [dev, prod]) {
      const r = releases(env);
      const s = env.sizing;
      assert.equal(r.argocd.server.replicas, replicasFor(s, 'scaled'), `${env.name} argocd server`);
      assert.equal(r.argocd.applicationSet.replicas, replicasFor(s, 'standby'), `${env.name} applicationSet`);
      assert.equal(r.argocd.server.pdb?.enabled ?? false, hasDisruptionBudget(s, 'scaled'), `${env.name} argocd pdb`);
      assert.equal(r['argo-rollouts'].controller.replicas, replicasFor(s, 'standby'), `${env.name} argo-rollouts`);
      assert.equal(r['external-secrets'].replicaCount, replicasFor(s, 'standby'), `${env.name} external-secrets`);
      assert.equal(r.gatekeeper.replicas, env.security?.gatekeeperReplicas ?? replicasFor(s, 'quorum'), `${env.name} gatekeeper`);
      assert.equal(r['kube-prometheus-stack'].prometheus.prometheusSpec.replicas, env.monitoring?.prometheusReplicas ?? replicasFor(s, 'redundant'), `${env.name} prometheus`);
      assert.equal(r['kube-prometheus-stack'].alertmanager.alertmanagerSpec.replicas, env.monitoring?.alertmanagerReplicas ?? replicasFor(s, 'quorum'), `${env.name} alertmanager`);
    }
  });
});

describe('the values escape hatch', () => {
  it('merges objects key by key and replaces anything else', () => {
    assert.deepEqual(
      mergeValues({ a: { b: 1, c: [1, 2] }, d: 'x' }, { a: { c: [3], e: true }, d: null }),
      { a: { b: 1, c: [3], e: true }, d: null },
    );
    assert.deepEqual(mergeValues({ a: 1 }, undefined), { a: 1 });
  });

  it('reaches every controller install, merged last over the module own values', () => {
    const env: EnvironmentConfig = {
      ...prod,
      argocd: { ...prod.argocd, values: { server: { replicas: 7 } }, imageUpdater: { ...prod.argocd?.imageUpdater, values: { metrics: { enabled: false } } } },
      monitoring: { ...prod.monitoring, values: { prometheus: { prometheusSpec: { scrapeInterval: '15s' } } } },
      delivery: { ...prod.delivery, values: { controller: { replicas: 5 } } },
      flux: { ...prod.flux, values: { logLevel: 'debug' } },
      jenkinsX: { ...prod.jenkinsX, values: { resources: { limits: { memory: '1Gi' } } } },
      security: {
        ...prod.security,
        values: { gatekeeper: { auditInterval: 120 }, externalSecrets: { replicaCount: 4 }, sealedSecrets: { resources: { limits: { memory: '512Mi' } } } },
      },
    };
    const releases = Object.fromEntries(
      Object.values(synthEnvironment(env).tf.resource.helm_release).map((r) => [r.name as string, r.values ? parse((r.values as string[])[0]) : {}]),
    ) as Record<string, Record<string, any>>;
    // The override wins; what the module sets beside it stays.
    assert.equal(releases.argocd.server.replicas, 7);
    assert.ok(releases.argocd.server.resources, 'argocd server resources kept');
    assert.equal(releases['argocd-image-updater'].metrics.enabled, false);
    assert.equal(releases['kube-prometheus-stack'].prometheus.prometheusSpec.scrapeInterval, '15s');
    assert.equal(releases['kube-prometheus-stack'].prometheus.prometheusSpec.retention, prod.monitoring?.retention ?? '10d');
    assert.equal(releases['argo-rollouts'].controller.replicas, 5);
    assert.ok(releases['argo-rollouts'].controller.resources, 'argo-rollouts resources kept');
    assert.equal(releases.flux2.logLevel, 'debug');
    assert.equal(releases['jx-git-operator'].resources.limits.memory, '1Gi');
    assert.ok(releases['jx-git-operator'].resources.requests, 'jx requests kept');
    assert.equal(releases.gatekeeper.auditInterval, 120);
    assert.equal(releases['external-secrets'].replicaCount, 4);
    assert.equal(releases['sealed-secrets'].resources.limits.memory, '512Mi');
  });
});
