import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { dev, dr, ENVIRONMENTS, prod, staging } from '../../environments';
import { MODULE_NAMES } from '../../lib/platform/environment';
import { validateEnvironments } from '../../stacks/validate-environment';

describe('shipped environments', () => {
  it('are dev, staging and prod, in promotion order, then prod\'s standby dr, and valid', () => {
    assert.deepEqual(ENVIRONMENTS.map((e) => e.name), ['dev', 'staging', 'prod', 'dr']);
    validateEnvironments(ENVIRONMENTS);
  });

  it('turn every module on, recovery only in prod and its standby', () => {
    for (const env of [prod, dr]) assert.deepEqual([...env.modules].sort(), [...MODULE_NAMES].sort(), env.name);
    for (const env of [dev, staging]) assert.deepEqual([...env.modules].sort(), MODULE_NAMES.filter((m) => m !== 'recovery').sort(), env.name);
  });

  it('track develop, staging and main from one https repository; dr tracks prod\'s revision', () => {
    assert.deepEqual(ENVIRONMENTS.map((e) => e.gitops.revision), ['develop', 'staging', 'main', 'main']);
    assert.equal(new Set(ENVIRONMENTS.map((e) => e.gitops.repoUrl)).size, 1);
    for (const env of ENVIRONMENTS) assert.match(env.gitops.repoUrl, /^https:\/\//);
  });

  it('dev runs single replicas and prunes automatically', () => {
    assert.deepEqual(dev.sizing, { highAvailability: false, controllerReplicas: 1 });
    assert.equal(dev.syncPolicy.automated, true);
    assert.equal(dev.syncPolicy.prune, true);
    assert.equal(dev.policyEnforcement, 'warn');
  });

  it('staging dry-runs policies', () => {
    assert.equal(staging.policyEnforcement, 'dryrun');
    assert.equal(staging.tier, 'staging');
  });

  it('prod is HA with 3 replicas, self-heals and leaves pruning to a manual approval', () => {
    assert.deepEqual(prod.sizing, { highAvailability: true, controllerReplicas: 3 });
    assert.equal(prod.syncPolicy.prune, false);
    assert.equal(prod.syncPolicy.selfHeal, true);
    assert.equal(prod.policyEnforcement, 'deny');
    assert.equal(prod.tier, 'production');
  });

  it('dr stands in for prod: prod\'s revision and config, its own cluster, path and state, sync held, prod\'s backups read-only', () => {
    assert.equal(dr.tier, 'production');
    assert.equal(dr.gitops.revision, prod.gitops.revision);
    assert.equal(dr.gitops.repoUrl, prod.gitops.repoUrl);
    assert.equal(dr.gitops.path, 'clusters/dr');
    assert.notEqual(dr.cluster.kubeconfigContext, prod.cluster.kubeconfigContext);
    assert.equal(dr.syncPolicy.automated, false);
    assert.deepEqual({ ...dr.syncPolicy, automated: true }, prod.syncPolicy);
    assert.deepEqual(dr.sizing, prod.sizing);
    assert.equal(dr.policyEnforcement, prod.policyEnforcement);
    assert.deepEqual(dr.backend, { ...prod.backend, key: 'gitops/dr.tfstate' });
    assert.deepEqual(dr.recovery?.storage, prod.recovery?.storage);
    assert.deepEqual(dr.recovery?.schedules, prod.recovery?.schedules);
    assert.deepEqual(dr.recovery?.standby, { for: 'prod', schedule: 'platform' });
    assert.equal(prod.recovery?.standby, undefined);
    // Production's services under production's names and namespace.
    assert.equal(dr.delivery?.namespace, 'prod');
    assert.equal(dr.delivery?.namePrefix, 'prod-');
    assert.deepEqual(dr.delivery?.releases, prod.delivery?.releases);
  });

  it('use the seeds retry policy', () => {
    for (const env of ENVIRONMENTS) {
      assert.deepEqual(env.syncPolicy.retry, { limit: 5, backoffDuration: '5s', backoffFactor: 2, backoffMaxDuration: '3m' });
    }
  });
});
