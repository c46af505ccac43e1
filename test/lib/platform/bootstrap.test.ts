import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Lazy, TerraformOutput, Testing } from 'cdktf';
import { parse, parseAllDocuments } from 'yaml';
import { ENVIRONMENTS } from '../../../environments';
import { writeTree, writtenValues } from '../../../lib/platform/bootstrap';
import { ChartInstall } from '../../../lib/platform/chart-install';
import { recordedDocuments } from '../../../lib/platform/yaml';
import { GitOpsStack } from '../../../stacks/gitops-stack';
import { readTree } from '../../support/synth';

describe('writeTree', () => {
  /** Runs `test` with a fresh temporary folder, removed afterwards. */
  const inTempDir = (test: (dir: string) => void): void => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'write-tree-'));
    try {
      test(dir);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  };

  it('leaves the directory holding exactly the given files', () => {
    inTempDir((dir) => {
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
    });
  });

  it('removes every folder left with no file, deepest first, and keeps the others', () => {
    inTempDir((dir) => {
      writeTree(dir, new Map([
        ['a/b/c/one.yaml', '1\n'],
        ['a/b/two.yaml', '2\n'],
        ['a/d/three.yaml', '3\n'],
        ['x/y/z/four.yaml', '4\n'],
      ]));
      fs.mkdirSync(path.join(dir, 'empty', 'inside'), { recursive: true });
      writeTree(dir, new Map([['a/b/two.yaml', '2\n']]));
      assert.deepEqual([...readTree(dir)], [['a/b/two.yaml', '2\n']]);
      assert.deepEqual(fs.readdirSync(dir).sort(), ['a'], 'x/y/z and a folder an earlier run left empty are gone');
      assert.deepEqual(fs.readdirSync(path.join(dir, 'a')), ['b']);
      assert.deepEqual(fs.readdirSync(path.join(dir, 'a', 'b')), ['two.yaml']);
      writeTree(dir, new Map());
      assert.equal(fs.existsSync(dir), false, 'a tree with no file leaves no folder');
    });
  });

  it('writes a path with an empty or "." segment where path.join puts it, beside plain paths in the same folders', () => {
    inTempDir((dir) => {
      writeTree(dir, new Map([
        ['a//one.yaml', '1\n'],
        ['./a/two.yaml', '2\n'],
        ['a/./b/three.yaml', '3\n'],
        ['a/b/four.yaml', '4\n'],
        ['.hidden/x..y.yaml', '5\n'],
      ]));
      assert.deepEqual([...readTree(dir)].sort(), [
        ['.hidden/x..y.yaml', '5\n'],
        ['a/b/four.yaml', '4\n'],
        ['a/b/three.yaml', '3\n'],
        ['a/one.yaml', '1\n'],
        ['a/two.yaml', '2\n'],
      ]);
      // The second run finds them all in place and removes nothing it wrote.
      writeTree(dir, new Map([['a//one.yaml', '1\n'], ['a/./b/three.yaml', '3\n']]));
      assert.deepEqual([...readTree(dir)].sort(), [['a/b/three.yaml', '3\n'], ['a/one.yaml', '1\n']]);
    });
  });

  it('writes a new tree with one directory read and one mkdir per folder', (t) => {
    inTempDir((temp) => {
      const dir = path.join(temp, 'out');
      // The module object itself: the namespace import above only has getters to its functions.
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const nodeFs = require('node:fs') as typeof fs;
      const reads = t.mock.method(nodeFs, 'readdirSync');
      const mkdirs = t.mock.method(nodeFs, 'mkdirSync');
      try {
        const files = new Map<string, string>();
        for (const service of ['frontend', 'backend']) {
          for (const kind of ['rollout', 'service', 'kustomization']) files.set(`apps/delivery/${service}/base/${kind}.yaml`, `${kind}\n`);
          files.set(`apps/delivery/${service}/overlays/dev/kustomization.yaml`, 'k\n');
        }
        writeTree(dir, files);
        assert.equal(reads.mock.callCount(), 1, 'only the root is read, and it does not exist');
        // out (made with its parents), apps, delivery, and per service: itself, base, overlays, overlays/dev.
        assert.equal(mkdirs.mock.callCount(), 3 + 2 * 4);
        t.mock.restoreAll();
        assert.deepEqual([...readTree(dir)].sort(), [...files].sort());
      } finally {
        t.mock.restoreAll();
      }
    });
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

  for (const environment of ENVIRONMENTS) {
    it(`${environment.name}: every text the library recorded reads back as the documents it was recorded with`, () => {
      const stack = new GitOpsStack(Testing.app(), environment.name, { environment, manifestDirectory: os.tmpdir() });
      const texts = [
        ...stack.platform.tree.render({ chartName: 'c', chartVersion: '0.1.0' }).values(),
        ...stack.platform.controllerReleases.flatMap((install) => (config(install).values as string[] | undefined) ?? []),
      ];
      let recorded = 0;
      for (const text of texts) {
        const documents = recordedDocuments(text);
        if (!documents) continue;
        recorded++;
        assert.deepStrictEqual(JSON.parse(JSON.stringify(documents)), parseAllDocuments(text).map((d) => d.toJS() as unknown), text.slice(0, 200));
      }
      // The chart values, the cluster baseline and the workloads' manifest files.
      assert.ok(recorded >= stack.platform.controllerReleases.length + 1, `${recorded} recorded texts`);
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
