/**
 * Runs every TypeScript example of lib/flux/README.md (except fragments marked
 * "not runnable"), importing the library from this checkout instead of the
 * package name, and checks what they print.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { after, describe, it, mock } from 'node:test';
import * as fs from 'fs';
import { builtinModules } from 'module';
import * as os from 'os';
import * as path from 'path';

const README = path.resolve(__dirname, '..', '..', '..', 'lib', 'flux', 'README.md');
const LIBRARY = path.resolve(__dirname, '..', '..', '..', 'lib', 'index.ts');

function examples(): Array<{ title: string; code: string }> {
  const text = fs.readFileSync(README, 'utf8');
  const out: Array<{ title: string; code: string }> = [];
  let title = '';
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    if (lines[i].startsWith('### ')) title = lines[i].slice(4);
    if (lines[i] === '```ts') {
      const start = i + 1;
      while (lines[++i] !== '```');
      const code = lines.slice(start, i).join('\n');
      if (!code.startsWith('// not runnable')) out.push({ title, code });
    }
  }
  return out;
}

/** Points bare imports at this checkout (the library) or at resolved dependency paths. */
function localize(code: string): string {
  return code.replace(/from '([^'.][^']*)'/g, (whole, specifier: string) => {
    if (specifier === 'gitops-platform-cdktf') return `from '${LIBRARY}'`;
    if (builtinModules.includes(specifier)) return whole;
    return `from '${require.resolve(specifier)}'`;
  });
}

const directory = fs.mkdtempSync(path.join(os.tmpdir(), 'flux-readme-'));
after(() => {
  fs.rmSync(directory, { recursive: true, force: true });
  fs.rmSync(path.join(os.tmpdir(), 'flux-readme-cdktf.out'), { recursive: true, force: true });
  fs.rmSync(path.join(os.tmpdir(), 'flux-readme-dist'), { recursive: true, force: true });
});

describe('lib/flux/README.md examples', () => {
  const list = examples();

  it('has the examples the module documents', () => {
    assert.deepEqual(list.map((e) => e.title), [
      "Sources and the seeds' per-cluster ordering",
      "The seeds' kube-prometheus-stack, with the Grafana password from a Secret",
      'Image automation and the setter marker',
      'Notifications and a webhook receiver',
      "A tenant, as the seeds' team-a",
      'The module in your own environment',
    ]);
  });

  it('type-checks every example (strict, with the project compiler options)', () => {
    const root = path.resolve(__dirname, '..', '..', '..');
    fs.mkdirSync(path.join(root, '.gen'), { recursive: true });
    const dir = fs.mkdtempSync(path.join(root, '.gen', 'flux-readme-'));
    try {
      const entry = path.relative(dir, path.join(root, 'lib', 'index')).split(path.sep).join('/');
      const files = list.map((example, i) => {
        const file = `example-${i}.ts`;
        fs.writeFileSync(path.join(dir, file), example.code.replace(/'gitops-platform-cdktf'/g, `'${entry}'`));
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

  const expectations: Record<string, RegExp[]> = {
    "Sources and the seeds' per-cluster ordering": [/name: apps\n  namespace: flux-system\nspec:\n  dependsOn:\n    - name: infrastructure/, /kind: OCIRepository/],
    "The seeds' kube-prometheus-stack, with the Grafana password from a Secret": [
      /targetPath: grafana\.adminPassword/,
      /values\.adminPassword is "\(redacted\)"\. Never put a secret in Helm values/,
    ],
    'Image automation and the setter marker': [/image: docker\.io\/org\/myapp:v1\.0\.0 # \{"\$imagepolicy": "flux-system:myapp"\}/],
    'Notifications and a webhook receiver': [/kind: Receiver/, /type: generic-hmac/],
    "A tenant, as the seeds' team-a": [/serviceAccountName: team-a-reconciler/, /toolkit\.fluxcd\.io\/tenant: team-a/],
    'The module in your own environment': [/environment: 'qa'/, /bootstrapObjects: 4/],
  };

  for (const [index, example] of list.entries()) {
    it(`runs: ${example.title}`, async () => {
      const file = path.join(directory, `example-${index}.ts`);
      fs.writeFileSync(file, localize(example.code));
      const log = mock.method(console, 'log', () => undefined);
      try {
        await import(file);
      } finally {
        log.mock.restore();
      }
      const printed = log.mock.calls.map((c) => c.arguments.map((a) => (typeof a === 'string' ? a : JSON.stringify(a, null, 1).replace(/"(\w+)":/g, '$1:').replace(/"/g, "'"))).join(' ')).join('\n');
      for (const pattern of expectations[example.title] ?? []) assert.match(printed, pattern, example.title);
    });
  }
});
