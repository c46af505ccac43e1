import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { dev, ENVIRONMENTS, prod, staging } from '../../environments';
import { MODULE_NAMES } from '../../lib/platform/environment';
import { validateEnvironments } from '../../stacks/validate-environment';

describe('shipped environments', () => {
  it('are dev, staging and prod, in promotion order, and valid', () => {
    assert.deepEqual(ENVIRONMENTS.map((e) => e.name), ['dev', 'staging', 'prod']);
    validateEnvironments(ENVIRONMENTS);
  });

  it('turn every module on', () => {
    for (const env of ENVIRONMENTS) assert.deepEqual([...env.modules].sort(), [...MODULE_NAMES].sort(), env.name);
  });

  it('track develop, staging and main from one https repository', () => {
    assert.deepEqual(ENVIRONMENTS.map((e) => e.gitops.revision), ['develop', 'staging', 'main']);
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

  it('use the seeds retry policy', () => {
    for (const env of ENVIRONMENTS) {
      assert.deepEqual(env.syncPolicy.retry, { limit: 5, backoffDuration: '5s', backoffFactor: 2, backoffMaxDuration: '3m' });
    }
  });
});
