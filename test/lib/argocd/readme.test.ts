import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { describe, it } from 'node:test';
import * as fs from 'fs';
import * as path from 'path';

/**
 * test/readme.test.ts runs every ```ts example of lib/argocd/README.md; this
 * test also type-checks them (strict, with the project's compiler options),
 * so an example cannot drift from the API without failing.
 */
const root = path.resolve(__dirname, '../../..');
const README = path.join(root, 'lib/argocd/README.md');

function examples(): string[] {
  const text = fs.readFileSync(README, 'utf8');
  return [...text.matchAll(/^```ts\n([\s\S]*?)^```/gm)].map((m) => m[1]).filter((code) => !code.trimStart().startsWith('// not runnable'));
}

describe('lib/argocd/README.md', () => {
  it('has runnable examples for every part of the module', () => {
    const all = examples().join('\n');
    for (const name of ['Application', 'ApplicationSet', 'AppProject', 'Team', 'RbacPolicy', 'ClusterRegistration', 'NotificationsConfig', 'ImageUpdater', 'GitOpsStack']) {
      assert.match(all, new RegExp(`new ${name}\\(`), name);
    }
  });

  it('type-checks every example', () => {
    fs.mkdirSync(path.join(root, '.gen'), { recursive: true });
    const dir = fs.mkdtempSync(path.join(root, '.gen', 'argocd-readme-'));
    try {
      const entry = path.relative(dir, path.join(root, 'lib', 'index')).split(path.sep).join('/');
      const files = examples().map((code, i) => {
        const file = `example-${i}.ts`;
        fs.writeFileSync(path.join(dir, file), code.replace(/(['"])gitops-platform-cdktf\1/g, `'${entry}'`));
        return file;
      });
      fs.writeFileSync(
        path.join(dir, 'tsconfig.json'),
        JSON.stringify({ extends: path.join(root, 'tsconfig.json'), compilerOptions: { noEmit: true }, include: files }),
      );
      const tsc = path.join(root, 'node_modules', 'typescript', 'bin', 'tsc');
      const result = spawnSync(process.execPath, [tsc, '-p', path.join(dir, 'tsconfig.json')], { encoding: 'utf8' });
      assert.equal(result.status, 0, `README examples do not type-check:\n${result.stdout}${result.stderr}`);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
