import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { describe, it } from 'node:test';
import * as fs from 'fs';
import * as path from 'path';

/**
 * Every ```ts example in README.md, lib/<module>/README.md and docs/*.md runs: the package
 * import is pointed at lib/index.ts and the example runs in a scratch directory
 * under .gen/ (ignored by git), so it resolves the project's dependencies.
 * A block that starts with `// not runnable` is skipped (config fragments).
 */
const root = path.resolve(__dirname, '..');
const PACKAGE = 'gitops-platform-cdktf';

function readmes(): string[] {
  const files = ['README.md'];
  for (const dir of fs.readdirSync(path.join(root, 'lib')).sort()) {
    if (fs.existsSync(path.join(root, 'lib', dir, 'README.md'))) files.push(`lib/${dir}/README.md`);
  }
  for (const doc of fs.readdirSync(path.join(root, 'docs')).sort()) {
    if (doc.endsWith('.md')) files.push(`docs/${doc}`);
  }
  return files;
}

function examples(file: string): Array<{ line: number; code: string }> {
  const text = fs.readFileSync(path.join(root, file), 'utf8');
  const out: Array<{ line: number; code: string }> = [];
  const fence = /^```ts\n([\s\S]*?)^```/gm;
  let match: RegExpExecArray | null;
  while ((match = fence.exec(text)) !== null) {
    const code = match[1];
    if (code.trimStart().startsWith('// not runnable')) continue;
    out.push({ line: text.slice(0, match.index).split('\n').length, code });
  }
  return out;
}

describe('README examples run', () => {
  for (const file of readmes()) {
    for (const example of examples(file)) {
      it(`${file}:${example.line}`, () => {
        fs.mkdirSync(path.join(root, '.gen'), { recursive: true });
        const dir = fs.mkdtempSync(path.join(root, '.gen', 'readme-example-'));
        try {
          const entry = path.join(root, 'lib', 'index.ts').split(path.sep).join('/');
          const code = example.code.replace(new RegExp(`(['"])${PACKAGE}(/[^'"]*)?\\1`, 'g'), (_m, q: string, sub?: string) =>
            sub ? `${q}${path.join(root, sub).split(path.sep).join('/')}${q}` : `${q}${entry}${q}`,
          );
          const script = path.join(dir, 'example.ts');
          fs.writeFileSync(script, code);
          const result = spawnSync(process.execPath, ['--import', 'tsx', script], {
            cwd: dir,
            encoding: 'utf8',
            env: {
              ...process.env,
              CHECKPOINT_DISABLE: '1',
              CDKTF_OUTDIR: path.join(dir, 'cdktf.out'),
              GITOPS_OUTDIR: path.join(dir, 'dist'),
            },
          });
          assert.equal(result.status, 0, `example failed:\n${result.stderr}\n${result.stdout}`);
        } finally {
          fs.rmSync(dir, { recursive: true, force: true });
        }
      });
    }
  }
});
