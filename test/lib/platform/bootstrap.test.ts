import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { writeTree } from '../../../lib/platform/bootstrap';
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
