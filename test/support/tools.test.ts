import assert from 'node:assert/strict';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { describe, it } from 'node:test';
import { tool } from './tools';

describe('verification tools', () => {
  const empty = fs.mkdtempSync(path.join(os.tmpdir(), 'gitops-no-tools-'));

  it('skips a missing tool with one line naming it and how to get it', () => {
    const result = tool('gator', empty, {});
    assert.equal(result.path, undefined);
    assert.equal(result.skip, 'gator not available; to run it: Gatekeeper gator: install Go, then `bash scripts/tools.sh` builds it from tools/gator/go.mod');
  });

  it('fails on a missing tool when CI=true', () => {
    assert.throws(() => tool('promtool', empty, { CI: 'true' }), /promtool not available.*CI=true requires every verification tool/);
  });

  it('finds a linked tool', () => {
    fs.symlinkSync(process.execPath, path.join(empty, 'helm'));
    assert.deepEqual(tool('helm', empty, { CI: 'true' }), { path: fs.realpathSync(process.execPath), skip: false });
  });
});
