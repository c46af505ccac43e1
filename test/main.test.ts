import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { after, before, describe, it } from 'node:test';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { parseAllDocuments } from 'yaml';
import { readTree } from './support/synth';
import { findSecrets } from './support/secrets';
import { output, run, tool } from './support/tools';

const root = path.resolve(__dirname, '..');
const cdktf = JSON.parse(fs.readFileSync(path.join(root, 'cdktf.json'), 'utf8')) as { app: string };

interface Run {
  readonly base: string;
  readonly stdout: string;
  readonly tf: Map<string, string>;
  readonly dist: Map<string, string>;
}

/** Runs the cdktf app command exactly as `cdktf synth` does, into a fresh directory. */
function runApp(): Run {
  const base = fs.mkdtempSync(path.join(os.tmpdir(), 'gitops-app-'));
  const result = spawnSync(cdktf.app, {
    cwd: root,
    shell: true,
    encoding: 'utf8',
    env: {
      ...process.env,
      CHECKPOINT_DISABLE: '1',
      CDKTF_OUTDIR: path.join(base, 'cdktf.out'),
      GITOPS_OUTDIR: path.join(base, 'dist'),
    },
  });
  assert.equal(result.status, 0, `app failed:\n${result.stderr}`);
  return {
    base,
    stdout: result.stdout,
    tf: readTree(path.join(base, 'cdktf.out')),
    dist: readTree(path.join(base, 'dist')),
  };
}

describe('the app (main.ts)', () => {
  let first: Run;
  let second: Run;
  before(() => {
    first = runApp();
    second = runApp();
  });
  after(() => {
    for (const run of [first, second]) if (run) fs.rmSync(run.base, { recursive: true, force: true });
  });

  it('writes one Terraform stack per environment and a GitOps tree for each', () => {
    for (const env of ['dev', 'staging', 'prod']) {
      assert.ok(first.tf.has(`stacks/${env}/cdk.tf.json`), `cdktf.out/stacks/${env}/cdk.tf.json`);
      assert.ok(first.dist.has(`${env}/kustomization.yaml`), `dist/${env}/kustomization.yaml`);
      assert.ok(first.dist.has(`${env}/bootstrap/Chart.yaml`), `dist/${env}/bootstrap/Chart.yaml`);
    }
    assert.ok(first.tf.has('manifest.json'));
  });

  it('prints a summary line per stack', () => {
    const lines = first.stdout.trim().split('\n');
    for (const env of ['dev', 'staging', 'prod']) {
      assert.ok(
        lines.some((l) => new RegExp(`^${env}: \\d+ Terraform resources, 5 outputs -> .*cdk\\.tf\\.json; \\d+ manifests \\+ \\d+ bootstrap objects in \\d+ files -> .*${env}/$`).test(l)),
        `no summary line for ${env} in:\n${first.stdout}`,
      );
    }
  });

  it('is deterministic: two synths give byte-identical files', () => {
    assert.deepEqual([...second.tf.keys()], [...first.tf.keys()]);
    assert.deepEqual([...second.dist.keys()], [...first.dist.keys()]);
    for (const [file, content] of first.tf) assert.equal(second.tf.get(file), content, `cdktf.out/${file} differs`);
    for (const [file, content] of first.dist) assert.equal(second.dist.get(file), content, `dist/${file} differs`);
  });

  it('writes no secret material and no machine paths', () => {
    const problems: string[] = [];
    for (const [tree, files] of [['cdktf.out', first.tf], ['dist', first.dist]] as const) {
      for (const [file, content] of files) {
        problems.push(...findSecrets(`${tree}/${file}`, content));
        if (content.includes(first.base) || content.includes(os.homedir() + '/') || content.includes(root)) {
          problems.push(`${tree}/${file}: contains an absolute path of this machine`);
        }
      }
    }
    assert.deepEqual(problems, []);
  });

  it('builds each environment tree with kustomize', (t) => {
    const kustomize = tool('kustomize');
    if (!kustomize.path) {
      t.skip(kustomize.skip || 'kustomize is not available');
      return;
    }
    for (const env of ['dev', 'staging', 'prod', 'dr']) {
      const result = run(kustomize.path, ['build', path.join(first.base, 'dist', env)]);
      assert.equal(result.status, 0, `kustomize build dist/${env} failed:\n${output(result)}`);
      assert.match(result.stdout, /kind: Rollout/);
    }
  });

  it('puts no plain Secret with data into the tree', () => {
    for (const [file, content] of first.dist) {
      if (!file.endsWith('.yaml') || file.includes('/templates/')) continue;
      for (const doc of parseAllDocuments(content)) {
        const obj = doc.toJS() as { kind?: string; data?: unknown; stringData?: unknown } | null;
        if (obj?.kind === 'Secret') {
          assert.ok(obj.data === undefined && obj.stringData === undefined, `dist/${file} has a Secret with data`);
        }
      }
    }
  });
});
