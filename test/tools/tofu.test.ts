/**
 * Every synthesized stack meets the real helm and kubernetes providers:
 * OpenTofu (built by scripts/tools.sh) runs `tofu init -backend=false` with a
 * CLI configuration whose only provider source is the local filesystem mirror,
 * then `tofu validate`, in a scratch copy of each stack. The providers' own
 * schemas and validators judge cdk.tf.json: zero errors.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { after, before, describe, it } from 'node:test';
import { ENVIRONMENTS } from '../../environments';
import { providerMirror, tool } from '../support/tools';

type Json = Record<string, unknown>;
interface Diagnostic {
  severity: string;
  summary: string;
  detail?: string;
  address?: string;
  range?: { filename: string; start: { line: number } };
}

const root = path.resolve(__dirname, '../..');
const tofu = tool('tofu');
const mirror = providerMirror();
const skip = tofu.skip || mirror.skip;

let scratch = '';

function run(cwd: string, args: readonly string[]): { status: number | null; stdout: string; out: string } {
  const result = spawnSync(tofu.path!, args, {
    cwd,
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
    timeout: 300_000,
    env: {
      PATH: process.env.PATH,
      HOME: scratch,
      TF_CLI_CONFIG_FILE: path.join(scratch, 'tofurc'),
      TF_IN_AUTOMATION: '1',
      CHECKPOINT_DISABLE: '1',
    },
  });
  if (result.error) throw result.error;
  return { status: result.status, stdout: result.stdout, out: `${result.stdout}\n${result.stderr}`.trim() };
}

/** A scratch copy of a stack's cdk.tf.json, initialised from the mirror only. */
function initialised(env: string, tf: Json): string {
  const dir = fs.mkdtempSync(path.join(scratch, `${env}-`));
  fs.writeFileSync(path.join(dir, 'cdk.tf.json'), JSON.stringify(tf, null, 2));
  const init = run(dir, ['init', '-backend=false', '-input=false', '-no-color']);
  assert.equal(init.status, 0, `tofu init (${env}):\n${init.out}`);
  return dir;
}

function validate(dir: string): Diagnostic[] {
  const result = run(dir, ['validate', '-json', '-no-color']);
  const parsed = JSON.parse(result.stdout) as { valid: boolean; diagnostics: Diagnostic[] };
  return parsed.diagnostics;
}

function describeDiagnostic(d: Diagnostic): string {
  return `${d.severity}: ${d.summary}${d.address ? ` (${d.address})` : ''}${d.range ? ` at ${d.range.filename}:${d.range.start.line}` : ''}${d.detail ? `: ${d.detail}` : ''}`;
}

const stacks = new Map<string, Json>();

describe('the synthesized stacks under tofu validate with the real providers', { skip }, () => {
  before(() => {
    scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'gitops-tofu-'));
    fs.writeFileSync(path.join(scratch, 'tofurc'), `provider_installation {\n  filesystem_mirror {\n    path = ${JSON.stringify(mirror.path)}\n  }\n}\n`);
    const out = path.join(scratch, 'synth');
    fs.mkdirSync(out);
    const app = spawnSync(process.execPath, ['scripts/run-app.cjs'], {
      cwd: root,
      encoding: 'utf8',
      env: { ...process.env, CHECKPOINT_DISABLE: '1', CDKTF_OUTDIR: path.join(out, 'cdktf.out'), GITOPS_OUTDIR: path.join(out, 'dist') },
    });
    assert.equal(app.status, 0, app.stderr);
    for (const env of ENVIRONMENTS) {
      stacks.set(env.name, JSON.parse(fs.readFileSync(path.join(out, 'cdktf.out/stacks', env.name, 'cdk.tf.json'), 'utf8')) as Json);
    }
  });

  after(() => {
    if (scratch) fs.rmSync(scratch, { recursive: true, force: true });
  });

  for (const env of ENVIRONMENTS) {
    it(`${env.name}: tofu init from the mirror and tofu validate report no error`, () => {
      const dir = initialised(env.name, stacks.get(env.name)!);
      const diagnostics = validate(dir);
      for (const warning of diagnostics.filter((d) => d.severity === 'warning')) console.log(`tofu validate ${env.name}: ${describeDiagnostic(warning)}`);
      assert.deepEqual(diagnostics.filter((d) => d.severity === 'error').map(describeDiagnostic), []);
    });
  }

  it('installs exactly the provider versions the stacks pin', () => {
    const dir = initialised('pins', stacks.get(ENVIRONMENTS[0].name)!);
    const lock = fs.readFileSync(path.join(dir, '.terraform.lock.hcl'), 'utf8');
    const pinned = (stacks.get(ENVIRONMENTS[0].name)!.terraform as { required_providers: Record<string, { version: string }> }).required_providers;
    for (const [name, { version }] of Object.entries(pinned)) {
      assert.match(lock, new RegExp(`provider "[^"]*/hashicorp/${name}" \\{\\n\\s+version\\s+= "${version.replace(/\./g, '\\.')}"`), lock);
    }
  });

  it('fails on what the providers reject: an unknown helm_release argument', () => {
    const tf = structuredClone(stacks.get(ENVIRONMENTS[0].name)!) as { resource: Record<string, Record<string, Json>> };
    const [first] = Object.values(tf.resource.helm_release);
    first.chart_values = 'x';
    const errors = validate(initialised('broken', tf as unknown as Json)).filter((d) => d.severity === 'error');
    assert.equal(errors.length, 1, errors.map(describeDiagnostic).join('\n'));
    assert.match(errors[0].summary + (errors[0].detail ?? ''), /chart_values/);
  });
});
