import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { describe, it } from 'node:test';

const root = path.resolve(__dirname, '..', '..');

describe('the test processes\' temporary folder (test/support/private-tmp.ts)', () => {
  it('puts what a process makes in os.tmpdir() into a folder of its own, children included, and removes it on exit', () => {
    const system = fs.mkdtempSync(path.join(os.tmpdir(), 'private-tmp-check-'));
    try {
      // The child sees `system` as the temporary folder before the hook loads, as a test process sees the system's.
      const script = [
        "const fs = require('fs'), os = require('os'), path = require('path'), { execFileSync } = require('child_process');",
        "const made = fs.mkdtempSync(path.join(os.tmpdir(), 'cdktf.outdir.'));",
        "fs.writeFileSync(path.join(made, 'cdk.tf.json'), '{}');",
        "const child = execFileSync(process.execPath, ['-e', 'process.stdout.write(require(\"os\").tmpdir())'], { encoding: 'utf8' });",
        'console.log(JSON.stringify({ tmp: os.tmpdir(), made, child, exists: fs.existsSync(made) }));',
      ].join('\n');
      const result = spawnSync(process.execPath, ['--import', 'tsx', '--import', './test/support/private-tmp.ts', '-e', script], {
        cwd: root,
        encoding: 'utf8',
        env: { ...process.env, TMPDIR: system, TMP: system, TEMP: system },
      });
      assert.equal(result.status, 0, result.stderr);
      const seen = JSON.parse(result.stdout.trim().split('\n').pop()!) as { tmp: string; made: string; child: string; exists: boolean };
      assert.equal(path.dirname(seen.tmp), system);
      assert.match(path.basename(seen.tmp), /^gitops-test-/);
      assert.equal(path.dirname(seen.made), seen.tmp);
      assert.equal(seen.exists, true);
      assert.equal(seen.child, seen.tmp, 'a process the test starts inherits the folder');
      // Only tsx's compile cache stays, which tsx placed before the hook loaded (and reuses across runs).
      const left = fs.readdirSync(system).filter((name) => !/^tsx-/.test(name));
      assert.deepEqual(left, [], 'nothing else is left in the system temporary folder after the process exits');
    } finally {
      fs.rmSync(system, { recursive: true, force: true });
    }
  });
});
