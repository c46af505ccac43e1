import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Lazy, TerraformOutput, Testing } from 'cdktf';
import { parse } from 'yaml';
import { ENVIRONMENTS } from '../../../environments';
import { writeTree, writtenValues } from '../../../lib/platform/bootstrap';
import { ChartInstall } from '../../../lib/platform/chart-install';
import { GitOpsStack } from '../../../stacks/gitops-stack';
import { readTree } from '../../support/synth';

describe('writeTree', () => {
  it('leaves the directory holding exactly the given files', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'write-tree-'));
    try {
      writeTree(dir, new Map([
        ['apps/a.yaml', 'a: 1\n'],
        ['old/stale.yaml', 'x: 1\n'],
        ['keep.yaml', 'k: 1\n'],
      ]));
      const keepStat = fs.statSync(path.join(dir, 'keep.yaml')).mtimeMs;
      writeTree(dir, new Map([
        ['apps/a.yaml', 'a: 2\n'],
        ['keep.yaml', 'k: 1\n'],
        ['new/b.yaml', 'b: 1\n'],
      ]));
      assert.deepEqual([...readTree(dir)].sort(), [
        ['apps/a.yaml', 'a: 2\n'],
        ['keep.yaml', 'k: 1\n'],
        ['new/b.yaml', 'b: 1\n'],
      ]);
      assert.equal(fs.existsSync(path.join(dir, 'old')), false, 'emptied folders are removed');
      assert.equal(fs.statSync(path.join(dir, 'keep.yaml')).mtimeMs, keepStat, 'unchanged files are not rewritten');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('writtenValues', () => {
  const config = (install: ChartInstall): Record<string, unknown> =>
    (install.release.toTerraform() as { resource: Record<string, Record<string, Record<string, unknown>>> })
      .resource.helm_release[install.release.friendlyUniqueId];

  for (const environment of ENVIRONMENTS) {
    it(`${environment.name}: every controller release's values are what its values document parses to`, () => {
      const stack = new GitOpsStack(Testing.app(), environment.name, { environment, manifestDirectory: os.tmpdir() });
      assert.ok(stack.platform.controllerReleases.length > 0);
      for (const install of stack.platform.controllerReleases) {
        const documents = (config(install).values as string[] | undefined) ?? [];
        const parsed = Object.assign({}, ...documents.map((d) => parse(d) as object)) as unknown;
        assert.deepStrictEqual(writtenValues(install, config(install)), parsed, install.node.path);
      }
    });
  }

  it('gives nothing when the release\'s values were overridden, so the model parses them', () => {
    const stack = new GitOpsStack(Testing.app(), 'dev', { environment: ENVIRONMENTS[0]!, manifestDirectory: os.tmpdir() });
    const install = stack.platform.controllerReleases[0]!;
    install.release.addOverride('values', ['replicas: 2\n']);
    assert.equal(writtenValues(install, config(install)), undefined);
  });
});

describe('the Terraform JSON secret check', () => {
  // Built from parts, so this file holds no token.
  const TOKEN = ['ghp', '_', 'A'.repeat(18), '1234567890abcdefgh'].join('');
  const MESSAGE =
    'Environment "dev": cdk.tf.json output.Leak.value is a redacted value (it looks like a GitHub token). Secrets never go into the Terraform JSON or the GitOps tree: pass them as a sensitive Terraform variable (TF_VAR_..., set_sensitive), or keep them in the secret store and reference them with an ExternalSecret, or commit them encrypted as a SealedSecret.';

  /** Synthesizes dev with an output whose value is `value`: the error, how often the value was resolved, the files written. */
  const synth = (value: string, hclOutput = false): { error?: string; resolved: number; written: string[] } => {
    const work = fs.mkdtempSync(path.join(os.tmpdir(), 'tf-secrets-'));
    let resolved = 0;
    let error: string | undefined;
    try {
      const app = new App({ outdir: path.join(work, 'out'), stackTraces: false, hclOutput });
      const stack = new GitOpsStack(app, 'dev', { environment: ENVIRONMENTS[0]!, manifestDirectory: path.join(work, 'dist') });
      new TerraformOutput(stack, 'Leak', { value: Lazy.stringValue({ produce: () => ((resolved += 1), value) }) });
      try {
        app.synth();
      } catch (e) {
        error = (e as Error).message;
      }
      const stackDir = path.join(work, 'out', 'stacks', 'dev');
      const written = fs.existsSync(stackDir) ? fs.readdirSync(stackDir).filter((f) => f.startsWith('cdk.tf')) : [];
      return { ...(error !== undefined ? { error } : {}), resolved, written };
    } finally {
      fs.rmSync(work, { recursive: true, force: true });
    }
  };

  it('fails synthesis before cdk.tf.json (or cdk.tf) is written', () => {
    for (const hclOutput of [false, true]) {
      const result = synth(`token ${TOKEN}`, hclOutput);
      assert.equal(result.error, MESSAGE);
      assert.deepEqual(result.written, []);
    }
  });

  it('checks the JSON cdktf makes for the file instead of resolving the stack again', () => {
    // cdktf resolves each element once to prepare the stack and once for the file.
    assert.deepEqual(synth('a harmless value'), { resolved: 2, written: ['cdk.tf.json'] });
  });
});
