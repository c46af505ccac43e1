import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Testing } from 'cdktf';
import { ENVIRONMENTS } from '../../../../environments';
import { formatViolation } from '../../../../lib/platform/deploy-model/model';
import { GitOpsStack } from '../../../../stacks/gitops-stack';
import { synthEnvironment } from '../../../support/synth';

/**
 * Runs the deploy model on each shipped environment and records what it finds
 * (test diagnostics and the environment's policies/DEPLOY-REPORT.md).
 */
describe('deploy model on the shipped environments', () => {
  for (const env of ENVIRONMENTS) {
    it(`${env.name}: synthesizes, writes DEPLOY-REPORT.md and reports every finding`, (t) => {
      const { stack, files } = synthEnvironment(env);
      const result = stack.output.deployModel!;
      const report = files.get('policies/DEPLOY-REPORT.md');
      assert.ok(report, 'the report is written beside POLICY-REPORT.md');
      assert.match(report, new RegExp(`^# Deploy report: ${env.name}$`, 'm'));
      for (const v of result.violations) assert.ok(report.includes(`- ${formatViolation(v)}`), formatViolation(v));
      for (const v of result.acknowledged) assert.ok(report.includes(`- ${formatViolation(v)} Acknowledged: ${v.reason}`));
      // Under deny, synthesis got here only because nothing is left unacknowledged.
      if (result.failsSynth) assert.deepEqual(result.violations.map(formatViolation), []);
      t.diagnostic(`${env.name}: ${result.violations.length} violation(s), ${result.acknowledged.length} acknowledged, ${result.staleAcknowledgements.length} stale acknowledgement(s)`);
      for (const v of [...result.violations, ...result.acknowledged]) t.diagnostic(formatViolation(v));
    });
  }

  it('prod fails synthesis under deny when its findings are not acknowledged', () => {
    const prod = ENVIRONMENTS.find((e) => e.name === 'prod')!;
    const acknowledged = synthEnvironment(prod).stack.output.deployModel!.acknowledged;
    const app = Testing.app();
    const stack = new GitOpsStack(app, 'prod', { environment: { ...prod, deployModel: { ...prod.deployModel, acknowledged: [] } }, manifestDirectory: `${process.env.TMPDIR ?? '/tmp'}/deploy-model-prod-unacknowledged` });
    if (acknowledged.length === 0) {
      stack.writeManifests();
      return;
    }
    assert.throws(() => stack.writeManifests(), (err: Error) => {
      assert.match(err.message, new RegExp(`^Environment "prod": the deploy model found ${acknowledged.length} violation\\(s\\) \\(policyEnforcement "deny"\\):`));
      for (const v of acknowledged) assert.ok(err.message.includes(formatViolation(v)), formatViolation(v));
      return true;
    });
  });
});
