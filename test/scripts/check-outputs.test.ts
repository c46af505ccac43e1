import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { findSecrets } from '../support/secrets';

const root = path.resolve(__dirname, '../..');
const fixtures = path.join(__dirname, 'fixtures/outputs');

/** Runs `npm run check-outputs -- <args>` the way a CI job does (the script behind it, without npm's banner). */
function checkOutputs(...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const run = spawnSync(process.execPath, ['--import', 'tsx', 'scripts/check-outputs.ts', ...args], { cwd: root, encoding: 'utf8' });
  return { status: run.status, stdout: run.stdout, stderr: run.stderr };
}

describe('npm run check-outputs', () => {
  it('is the script package.json runs', () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
    assert.equal(pkg.scripts['check-outputs'], 'node --import tsx scripts/check-outputs.ts');
  });

  it('accepts a good dev deploy recorded with cdktf output --outputs-file', () => {
    const run = checkOutputs('dev', path.join(fixtures, 'dev.outputs-file.json'));
    assert.equal(run.status, 0, run.stdout + run.stderr);
    assert.equal(run.stdout, 'dev: the status outputs meet the contract and the development rules\n');
  });

  it('accepts good staging, prod and dr deploys recorded with terraform output -json', () => {
    for (const env of ['staging', 'prod', 'dr']) {
      const run = checkOutputs(env, path.join(fixtures, `${env}.output-json.json`));
      assert.equal(run.status, 0, run.stdout + run.stderr);
      assert.match(run.stdout, new RegExp(`^${env}: the status outputs meet the contract and the (staging|production) rules\\n$`));
    }
  });

  it('prints one line per failed production rule and exits 1', () => {
    const run = checkOutputs('prod', path.join(fixtures, 'prod.bad.output-json.json'));
    assert.equal(run.status, 1);
    assert.deepEqual(run.stdout.trimEnd().split('\n'), [
      'prod: controllers deployed: enterprise_gitops_status.controllers[3] (argocd) status is "failed"; every controller release must be "deployed"',
      'prod: controllers deployed: advanced_automation_status.bootstrap (gitops-bootstrap) status is "pending-upgrade"; the bootstrap release must be "deployed"',
      'prod: production no automated prune: gitops_patterns_status.argocd.app_of_apps.prune is true; the root application must not prune automatically',
      'prod: production policies deny: gitops_security_status.policy_enforcement is "warn"; expected "deny"',
      'prod: production no local admin: gitops_security_status.argocd.admin_enabled is true; the Argo CD admin account must be disabled (SSO only)',
      'prod: production HA replicas: enterprise_gitops_status.high_availability is false; expected true',
      'prod: production HA replicas: enterprise_gitops_status.controller_replicas is 1; expected at least 2',
      'prod: production HA replicas: gitops_patterns_status.argocd.replicas is 1; expected at least 2',
    ]);
  });

  it('fails a standby that writes backups or syncs, and a primary that only reads', () => {
    const dr = JSON.parse(fs.readFileSync(path.join(fixtures, 'dr.output-json.json'), 'utf8')) as Record<string, { value: Record<string, any> }>;
    const recovery = dr.multi_environment_status!.value.recovery;
    recovery.backup_location.access_mode = 'ReadWrite';
    recovery.sync_held = false;
    const file = path.join(fs.mkdtempSync(path.join(require('os').tmpdir(), 'check-outputs-')), 'dr.json');
    fs.writeFileSync(file, JSON.stringify(dr));
    const run = checkOutputs('dr', file);
    assert.equal(run.status, 1);
    assert.deepEqual(run.stdout.trimEnd().split('\n'), [
      'dr: recovery: multi_environment_status.recovery.backup_location.access_mode is "ReadWrite"; a standby must only read its primary\'s backups',
      'dr: recovery: multi_environment_status.recovery.sync_held is false; a standby holds its sync until it is promoted',
    ]);
    const prod = JSON.parse(fs.readFileSync(path.join(fixtures, 'prod.output-json.json'), 'utf8')) as Record<string, { value: Record<string, any> }>;
    prod.multi_environment_status!.value.recovery.backup_location.access_mode = 'ReadOnly';
    fs.writeFileSync(file, JSON.stringify(prod));
    assert.deepEqual(checkOutputs('prod', file).stdout.trimEnd().split('\n'), [
      'prod: recovery: multi_environment_status.recovery.backup_location.access_mode is "ReadOnly"; a primary writes its backups',
    ]);
    fs.rmSync(path.dirname(file), { recursive: true, force: true });
  });

  it('prints one line per break of the contract and exits 1', () => {
    const run = checkOutputs('staging', path.join(fixtures, 'staging.broken.outputs-file.json'));
    assert.equal(run.status, 1);
    assert.deepEqual(run.stdout.trimEnd().split('\n'), [
      'staging: contract: gitops_patterns_status.repository.url: missing',
      'staging: contract: enterprise_gitops_status.controllers[0].status: missing',
      'staging: contract: multi_environment_status.backend: expected one of local, s3, gcs, azurerm, hcp, found "consul"',
      'staging: contract: gitops_security_status: missing',
    ]);
  });

  it('applies the production rules only to production: the good dev outputs fail them when checked as prod', () => {
    const devOutputs = JSON.parse(fs.readFileSync(path.join(fixtures, 'dev.outputs-file.json'), 'utf8')) as { dev: unknown };
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'outputs-')), 'outputs.json');
    fs.writeFileSync(file, JSON.stringify({ prod: devOutputs.dev }));
    const run = checkOutputs('prod', file);
    assert.equal(run.status, 1);
    const lines = run.stdout.trimEnd().split('\n');
    assert.ok(lines.includes('prod: same environment: gitops_patterns_status.environment is "dev"; expected "prod"'), lines.join('\n'));
    assert.ok(lines.includes('prod: production policies deny: gitops_security_status.policy_enforcement is "warn"; expected "deny"'));
    assert.ok(lines.includes('prod: production no automated prune: advanced_automation_status.sync_policy.prune is true; production must not prune automatically'));
  });

  it('names the stacks a cdktf outputs file holds when the environment is not among them', () => {
    const run = checkOutputs('prod', path.join(fixtures, 'dev.outputs-file.json'));
    assert.equal(run.status, 2);
    assert.match(run.stderr, /^prod: .*dev\.outputs-file\.json: the outputs file holds the outputs of "dev", not of "prod"\n$/);
  });

  it('prints its usage for an unknown environment', () => {
    const run = checkOutputs('qa', path.join(fixtures, 'dev.outputs-file.json'));
    assert.equal(run.status, 2);
    assert.equal(run.stderr, 'usage: npm run check-outputs -- <dev|staging|prod|dr> <outputs.json>\n');
  });

  it('the recorded files hold no secret material', () => {
    for (const file of fs.readdirSync(fixtures)) {
      const text = fs.readFileSync(path.join(fixtures, file), 'utf8');
      assert.deepEqual(findSecrets(file, text), []);
      assert.doesNotMatch(text, /"sensitive": true/, file);
    }
  });
});
