import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { describe, it } from 'node:test';
import * as path from 'path';
import { ConfigError, PolicyViolationError } from '../../lib/platform/errors';
import { runApp } from '../../stacks/run-app';

const root = path.resolve(__dirname, '..', '..');

function capture(main: () => void): { ok: boolean; messages: string[]; codes: number[] } {
  const messages: string[] = [];
  const codes: number[] = [];
  const ok = runApp(main, { error: (m) => messages.push(m), setExitCode: (c) => codes.push(c) });
  return { ok, messages, codes };
}

describe('runApp', () => {
  it('runs the entry function and leaves the exit code alone', () => {
    let ran = false;
    const result = capture(() => {
      ran = true;
    });
    assert.deepEqual(result, { ok: true, messages: [], codes: [] });
    assert.ok(ran);
  });

  it('prints a ConfigError once, as its message, and sets exit code 1', () => {
    const result = capture(() => {
      throw new ConfigError('Environment "prod"', 'gitops.path', 'clusters/prod/', 'Use a relative path without a trailing slash.');
    });
    assert.deepEqual(result, {
      ok: false,
      messages: ['Environment "prod": gitops.path is "clusters/prod/". Use a relative path without a trailing slash.'],
      codes: [1],
    });
  });

  it('prints policy violations under deny once and sets exit code 1', () => {
    const result = capture(() => {
      throw new PolicyViolationError('prod', ['[policy:pinned-images] Deployment/a/web: image "web:latest". Pin a tag.']);
    });
    assert.equal(result.messages.length, 1);
    assert.equal(result.messages[0], 'Environment "prod": 1 policy violation(s):\n  - [policy:pinned-images] Deployment/a/web: image "web:latest". Pin a tag.');
    assert.deepEqual(result.codes, [1]);
  });

  it('rethrows any other error: a defect keeps its stack trace', () => {
    assert.throws(() => capture(() => {
      throw new TypeError('boom');
    }), TypeError);
  });

  it('fails a real process with the message alone on stderr and no Node stack trace', () => {
    const script = [
      `const { runApp } = require(${JSON.stringify(path.join(root, 'stacks', 'run-app.ts'))});`,
      `const { ConfigError } = require(${JSON.stringify(path.join(root, 'lib', 'platform', 'errors.ts'))});`,
      `runApp(() => { throw new ConfigError('Environment "dev"', 'sizing.controllerReplicas', 0, 'Set at least 1.'); });`,
    ].join('\n');
    const result = spawnSync(process.execPath, ['--import', 'tsx', '-e', script], { cwd: root, encoding: 'utf8' });
    assert.equal(result.status, 1);
    assert.equal(result.stdout, '');
    assert.equal(result.stderr, 'Environment "dev": sizing.controllerReplicas is 0. Set at least 1.\n');
  });
});

describe('runApp with construct validations', () => {
  it('prints the validation errors that cdk8s and cdktf collect once, without a trace', () => {
    const messages: string[] = [];
    const codes: number[] = [];
    const message = 'Validation failed with the following errors:\n  [tenants/t/Kustomization] dependsOn is "flux-system/infrastructure". Create it.';
    const ok = runApp(() => {
      throw new Error(message);
    }, { error: (m) => messages.push(m), setExitCode: (c) => codes.push(c) });
    assert.equal(ok, false);
    assert.deepEqual(messages, [message]);
    assert.deepEqual(codes, [1]);
  });
});
