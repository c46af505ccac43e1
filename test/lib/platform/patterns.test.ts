import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { credentialFreeHttpsUrl, egressPortsOf } from '../../../lib/platform/patterns';

describe('egressPortsOf', () => {
  it('needs nothing beyond 443 for https and oci URLs', () => {
    assert.deepEqual(egressPortsOf(['https://github.com/company/gitops', 'oci://ghcr.io/company/charts']), []);
  });

  it('opens 22 for Git over SSH, in both spellings, and an explicit SSH port', () => {
    assert.deepEqual(egressPortsOf(['git@github.com:company/apps.git', 'ssh://git@gitlab.company.com/apps.git']), [22]);
    assert.deepEqual(egressPortsOf(['ssh://git@gitlab.company.com:2222/apps.git']), [2222]);
  });

  it('opens an explicit port, sorted and once', () => {
    assert.deepEqual(egressPortsOf(['https://k8s.company.com:6443', 'https://git.company.com:8443/a', 'https://k8s2.company.com:6443']), [6443, 8443]);
  });
});

describe('credentialFreeHttpsUrl', () => {
  it('parses an https URL without credentials, and nothing else', () => {
    assert.equal(credentialFreeHttpsUrl('https://vault.internal:8200')?.port, '8200');
    for (const value of ['http://minio:9000', 'https://user:pass@vault.internal', 'https://token@vault.internal', 'vault.internal', '', undefined, 42]) {
      assert.equal(credentialFreeHttpsUrl(value), undefined, String(value));
    }
  });
});
