import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ApiObject } from 'cdk8s';
import { App, TerraformOutput, TerraformStack, Testing } from 'cdktf';
import { dev } from '../../../environments/dev';
import { staging } from '../../../environments/staging';
import { ArgoCd } from '../../../lib/argocd/argocd';
import { ConfigError } from '../../../lib/platform/errors';
import { Platform } from '../../../lib/platform/platform';
import { validateEnvironment } from '../../../stacks/validate-environment';
import { GitOpsStack } from '../../../stacks/gitops-stack';
import { readTree } from '../../support/synth';

function tempDir(prefix: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

describe('Platform output', () => {
  it('writes the tree of a plain TerraformStack at synth, with no call from the app', () => {
    const dir = tempDir('plain-stack-');
    try {
      const app = Testing.app();
      const stack = new TerraformStack(app, 'team');
      const platform = new Platform(stack, 'Platform', {
        environment: validateEnvironment({ ...dev, name: 'team', modules: [] }),
        outputDirectory: dir,
      });
      new ApiObject(platform.tree.chart('apps', 'settings'), 'Settings', {
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: { name: 'settings', namespace: 'team' },
        data: { mode: 'blue' },
      });
      assert.deepEqual([...readTree(dir).keys()], [], 'nothing is written before synthesis');
      Testing.synth(stack);
      const files = readTree(dir);
      assert.ok(files.get('apps/settings.yaml')?.includes('kind: ConfigMap'), [...files.keys()].join(', '));
      assert.ok(files.has('kustomization.yaml'));
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('fails synthesis when a secret reaches the Terraform JSON, before cdk.tf.json is written (JSON and HCL)', () => {
    const dir = tempDir('terraform-secret-');
    try {
      const app = new App({ outdir: path.join(dir, 'cdktf.out'), stackTraces: false });
      const stack = new TerraformStack(app, 'team');
      new Platform(stack, 'Platform', {
        environment: validateEnvironment({ ...dev, name: 'team', modules: [] }),
        outputDirectory: path.join(dir, 'dist'),
      });
      new TerraformOutput(stack, 'leak', { value: ['gl', 'pat-', 'xxxxxxxxxxxxxxxxxxxx'].join('') });
      const message = /^Environment "team": cdk\.tf\.json output\.leak\.value is a redacted value \(it looks like a GitLab token\)\./;
      assert.throws(() => app.synth(), { message });
      assert.equal(fs.existsSync(path.join(dir, 'cdktf.out', 'stacks', 'team', 'cdk.tf.json')), false);
      assert.throws(() => Testing.synthHcl(stack), { message });
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('produces the stack\'s Terraform JSON once per synthesis: the secret check reads the JSON cdktf writes', () => {
    const dir = tempDir('terraform-once-');
    const original = TerraformStack.prototype.toTerraform;
    let calls = 0;
    TerraformStack.prototype.toTerraform = function (this: TerraformStack) {
      calls++;
      return original.call(this) as unknown;
    };
    try {
      const app = new App({ outdir: path.join(dir, 'cdktf.out'), stackTraces: false });
      new GitOpsStack(app, 'dev', { environment: dev, manifestDirectory: path.join(dir, 'dist') });
      app.synth();
      assert.equal(calls, 1);
      assert.ok(fs.existsSync(path.join(dir, 'cdktf.out', 'stacks', 'dev', 'cdk.tf.json')));
    } finally {
      TerraformStack.prototype.toTerraform = original;
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('fails when two platforms of one app would write the same directory', () => {
    const dir = tempDir('shared-dir-');
    try {
      const app = Testing.app();
      new Platform(new TerraformStack(app, 'a'), 'Platform', { environment: validateEnvironment(dev), outputDirectory: dir });
      assert.throws(
        () => new Platform(new TerraformStack(app, 'b'), 'Platform', { environment: validateEnvironment(staging), outputDirectory: `${dir}/` }),
        (error: unknown) =>
          error instanceof ConfigError &&
          error.message ===
            `Environment "staging": outputDirectory is ${JSON.stringify(`${dir}/`)}. The platform at a/Platform already writes its GitOps tree there, ` +
              'and the second tree would delete the first one\'s files. Give each environment its own name, or set a distinct outputDirectory (manifestDirectory on GitOpsStack).',
      );
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('fails when two stacks of one app synthesize environments of the same name to the default directory', () => {
    const app = new App({ outdir: tempDir('two-stacks-'), stackTraces: false });
    new GitOpsStack(app, 'dev-a', { environment: dev });
    assert.throws(() => new GitOpsStack(app, 'dev-b', { environment: dev }), /Environment "dev": outputDirectory is "dist\/dev"\. The platform at dev-a\/Platform already writes/);
  });

  it('allows the same directory in separate apps (each test or process has its own)', () => {
    const dir = tempDir('separate-apps-');
    try {
      for (let i = 0; i < 2; i++) {
        new Platform(new TerraformStack(Testing.app(), 'a'), 'Platform', { environment: validateEnvironment(dev), outputDirectory: dir });
      }
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('GitOpsStack.modules', () => {
  it('is typed per module and holds only the modules the environment turns on', () => {
    const dir = tempDir('modules-');
    try {
      const stack = new GitOpsStack(Testing.app(), 'dev', {
        environment: { ...dev, modules: ['argocd', 'security'] },
        manifestDirectory: dir,
      });
      const argocd: ArgoCd | undefined = stack.modules.argocd;
      assert.ok(argocd instanceof ArgoCd);
      assert.deepEqual(Object.keys(stack.modules), ['security', 'argocd']);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
