// The import rules of .dependency-cruiser.cjs, checked by dependency-cruiser:
// no cycles, lib/platform imports no module, a module imports only its own
// folder, lib/platform and lib/imports, and the library never imports the
// composition (stacks/) or the shipped environments.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, it } from 'node:test';

const ROOT = path.resolve(__dirname, '..');
const CLI = path.join(ROOT, 'node_modules', 'dependency-cruiser', 'bin', 'dependency-cruise.mjs');

interface CruiseResult {
  readonly summary: {
    readonly violations: ReadonlyArray<{ readonly from: string; readonly to: string; readonly rule: { readonly name: string } }>;
    readonly totalCruised: number;
  };
}

function cruise(cwd: string, config: string): CruiseResult {
  const out = execFileSync(process.execPath, [CLI, 'lib', 'stacks', 'environments', '--config', config, '--output-type', 'json'], {
    cwd,
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
  });
  return JSON.parse(out) as CruiseResult;
}

describe('architecture', () => {
  it('the library, the stacks and the environments keep every import rule', () => {
    const result = cruise(ROOT, '.dependency-cruiser.cjs');
    assert.ok(result.summary.totalCruised > 200, `cruised only ${result.summary.totalCruised} files`);
    assert.deepEqual(
      result.summary.violations.map((v) => `${v.rule.name}: ${v.from} -> ${v.to}`),
      [],
    );
  });

  it('fails when a module imports another module, platform imports a module, or imports form a cycle', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'architecture-'));
    try {
      const write = (file: string, text: string): void => {
        fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
        fs.writeFileSync(path.join(dir, file), text);
      };
      write('lib/platform/platform.ts', "import { SECTIONS } from '../flux/flux';\nexport const PLATFORM = SECTIONS;\n");
      write('lib/flux/flux.ts', "import { TOKEN } from '../argocd/argocd';\nexport const SECTIONS = [TOKEN];\n");
      write('lib/argocd/argocd.ts', "import { PLATFORM } from '../platform/platform';\nexport const TOKEN = 'token';\nexport const P = PLATFORM;\n");
      write('stacks/stack.ts', "import { TOKEN } from '../lib/argocd/argocd';\nexport const S = TOKEN;\n");
      write('environments/dev.ts', "import { S } from '../stacks/stack';\nexport const D = S;\n");
      write('tsconfig.json', JSON.stringify({ compilerOptions: { module: 'commonjs', target: 'es2022' } }));
      fs.copyFileSync(path.join(ROOT, '.dependency-cruiser.cjs'), path.join(dir, '.dependency-cruiser.cjs'));
      fs.symlinkSync(path.join(ROOT, 'node_modules'), path.join(dir, 'node_modules'));
      const rules = new Set(cruise(dir, '.dependency-cruiser.cjs').summary.violations.map((v) => `${v.rule.name}: ${v.from} -> ${v.to}`));
      for (const expected of [
        'platform-imports-no-module: lib/platform/platform.ts -> lib/flux/flux.ts',
        'modules-import-only-platform: lib/flux/flux.ts -> lib/argocd/argocd.ts',
      ]) {
        assert.ok(rules.has(expected), `expected "${expected}" among ${[...rules].join('; ')}`);
      }
      // The cycle platform -> flux -> argocd -> platform is reported once, at one of its edges.
      assert.ok([...rules].some((r) => r.startsWith('no-cycles: lib/')), `expected a cycle among ${[...rules].join('; ')}`);
      assert.ok(![...rules].some((r) => r.startsWith('modules-import-only-platform: lib/argocd/argocd.ts')), 'a module may import lib/platform');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
