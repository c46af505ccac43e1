import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { TerraformStack, Testing } from 'cdktf';
import { CHARTS } from '../../../lib/platform/catalogue';
import { ChartInstall } from '../../../lib/platform/chart-install';
import { ConfigError } from '../../../lib/platform/errors';

function install(values: Record<string, unknown>): ChartInstall {
  const stack = new TerraformStack(Testing.app(), 'stack');
  return new ChartInstall(stack, 'Argo', { chart: CHARTS.argoCd, releaseName: 'argocd', namespace: 'argocd', values });
}

describe('ChartInstall', () => {
  it('renders the values as one YAML document with sorted keys', () => {
    const release = install({ server: { replicas: 2 }, controller: { replicas: 1 } }).release;
    assert.deepEqual(release.valuesInput, ['controller:\n  replicas: 1\nserver:\n  replicas: 2\n']);
  });

  it('fails when a value holds something Terraform would interpolate', () => {
    assert.throws(
      () => install({ server: { extraArgs: ['--cost=${var.x}'] } }),
      (error: unknown) => {
        assert.ok(error instanceof ConfigError);
        assert.equal(
          error.message,
          'stack: values is "${var.x}". Terraform would interpolate this in the Helm values; remove "${" / "%{" from the configuration.',
        );
        return true;
      },
    );
  });
});
