import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Testing } from 'cdktf';
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
