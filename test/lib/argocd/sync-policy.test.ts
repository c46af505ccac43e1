import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SyncPolicy } from '../../../lib/argocd';
import { DEFAULT_SYNC_OPTIONS } from '../../../lib/argocd/sync-policy';

describe('SyncPolicy', () => {
  it('manual() renders no automated block', () => {
    assert.deepEqual(SyncPolicy.manual().toJson(), {});
    assert.equal(SyncPolicy.manual().isAutomated, false);
  });

  it('automated() writes only the fields given (automated: {} for none)', () => {
    assert.deepEqual(SyncPolicy.automated().toJson(), { automated: {} });
    assert.deepEqual(SyncPolicy.automated({ prune: true, selfHeal: true }).toJson(), { automated: { prune: true, selfHeal: true } });
    const p = SyncPolicy.automated({ prune: false, selfHeal: true, allowEmpty: false });
    assert.deepEqual(p.toJson().automated, { prune: false, selfHeal: true, allowEmpty: false });
    assert.equal(p.prunes, false);
    assert.equal(p.selfHeals, true);
  });

  it('renders sync options and retry with backoff', () => {
    const p = SyncPolicy.manual({
      syncOptions: DEFAULT_SYNC_OPTIONS,
      retry: { limit: 5, backoffDuration: '5s', backoffFactor: 2, backoffMaxDuration: '3m' },
    });
    assert.deepEqual(p.toJson(), {
      syncOptions: ['CreateNamespace=true', 'PrunePropagationPolicy=foreground', 'PruneLast=true'],
      retry: { limit: 5, backoff: { duration: '5s', factor: 2, maxDuration: '3m' } },
    });
  });

  it('renders a retry without backoff when only the limit is given', () => {
    assert.deepEqual(SyncPolicy.automated({}, { retry: { limit: 0 } }).toJson(), { automated: {}, retry: { limit: 0 } });
  });

  it('follows the environment defaults', () => {
    const retry = { limit: 5, backoffDuration: '5s', backoffFactor: 2, backoffMaxDuration: '3m' };
    const prod = SyncPolicy.fromDefaults({ automated: true, prune: false, selfHeal: true, retry });
    assert.deepEqual(prod.toJson().automated, { prune: false, selfHeal: true, allowEmpty: false });
    assert.deepEqual(prod.syncOptions, DEFAULT_SYNC_OPTIONS);
    const manual = SyncPolicy.fromDefaults({ automated: false, prune: false, selfHeal: false, retry });
    assert.equal(manual.isAutomated, false);
  });

  it('fails when the retry limit is below 0', () => {
    assert.throws(() => SyncPolicy.automated({}, { retry: { limit: -1 } }), {
      message: 'SyncPolicy: retry.limit is -1. Use a whole number of 0 or more (0 disables retries).',
    });
  });

  it('fails when a backoff duration or factor is malformed', () => {
    assert.throws(() => SyncPolicy.manual({ retry: { limit: 1, backoffDuration: '5 seconds' } }), {
      message: 'SyncPolicy: retry.backoffDuration is "5 seconds". Use a duration such as "5s", "3m" or "1h".',
    });
    assert.throws(() => SyncPolicy.manual({ retry: { limit: 1, backoffFactor: 0.5 } }), {
      message: 'SyncPolicy: retry.backoffFactor is 0.5. Use a number of at least 1.',
    });
  });

  it('fails when a sync option is not Name=value', () => {
    assert.throws(() => SyncPolicy.manual({ syncOptions: ['CreateNamespace'] }), {
      message: 'SyncPolicy: syncOptions is "CreateNamespace". Write each sync option as Name=value, such as "CreateNamespace=true".',
    });
  });
});
