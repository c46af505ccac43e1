/**
 * The library as another team meets it: packed, installed from the tarball into
 * a copy of examples/consumer, type-checked with a strict consumer tsconfig,
 * compiled with tsc and run with plain node, and synthesized by `cdktf synth`
 * through cdktf init's default app command (`npx ts-node main.ts`).
 */
import assert from 'node:assert/strict';
import { spawnSync, SpawnSyncReturns } from 'node:child_process';
import { after, before, describe, it } from 'node:test';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { readTree } from '../support/synth';

const root = path.resolve(__dirname, '..', '..');
const example = path.join(root, 'examples', 'consumer');
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';

function run(command: string, args: readonly string[], cwd: string, env: NodeJS.ProcessEnv = {}): SpawnSyncReturns<string> {
  return spawnSync(command, args, {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, CHECKPOINT_DISABLE: '1', npm_config_update_notifier: 'false', ...env },
    maxBuffer: 64 * 1024 * 1024,
  });
}

function ok(result: SpawnSyncReturns<string>, what: string): string {
  assert.equal(result.status, 0, `${what} failed (${result.status}):\n${result.stdout}\n${result.stderr}`);
  return result.stdout;
}

/** `path(line,col): error TSxxxx: ...` diagnostics, by file. */
function diagnostics(output: string): string[] {
  return output.split('\n').filter((line) => /^\S[^(]*\(\d+,\d+\): error TS\d+/.test(line));
}

describe('the example consumer (examples/consumer)', { timeout: 600_000 }, () => {
  let work: string;
  let consumer: string;

  before(() => {
    work = fs.mkdtempSync(path.join(os.tmpdir(), 'gitops-consumer-'));
    const packed = ok(run(npm, ['pack', '--silent', '--pack-destination', work], root), 'npm pack');
    const tarball = path.join(work, packed.trim().split('\n').pop()!);
    consumer = path.join(work, 'consumer');
    fs.cpSync(example, consumer, {
      recursive: true,
      filter: (source) => !/[\\/](node_modules|build|cdktf\.out|dist)$/.test(source),
    });
    const manifest = JSON.parse(fs.readFileSync(path.join(consumer, 'package.json'), 'utf8'));
    manifest.dependencies['gitops-platform-cdktf'] = `file:${tarball}`;
    fs.writeFileSync(path.join(consumer, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`);
    ok(run(npm, ['install', '--no-audit', '--no-fund', '--prefer-offline', '--ignore-scripts'], consumer), 'npm install');
  });

  after(() => {
    if (work) fs.rmSync(work, { recursive: true, force: true });
  });

  it('installs the compiled library only: JavaScript and declarations, no TypeScript sources', () => {
    const installed = path.join(consumer, 'node_modules', 'gitops-platform-cdktf');
    const files = [...readTree(installed).keys()];
    assert.ok(files.includes('build/lib/index.js') && files.includes('build/lib/index.d.ts'), files.slice(0, 20).join(', '));
    const sources = files.filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts'));
    assert.deepEqual(sources, []);
    assert.deepEqual(files.filter((f) => /^(test|environments|scripts|schemas|examples)\//.test(f) || f === 'main.ts'), []);
    const nested = path.join(installed, 'node_modules');
    const peers = (fs.existsSync(nested) ? fs.readdirSync(nested) : []).filter((d) => ['cdktf', 'constructs', 'cdk8s', 'cdk8s-plus-27', '@cdktf'].includes(d));
    assert.deepEqual(peers, [], 'the peers resolve to the consumer\'s single copy');
  });

  it('type-checks under a strict consumer tsconfig, with no error in the library\'s declarations', () => {
    const result = run(process.execPath, [require.resolve('typescript/bin/tsc', { paths: [consumer] }), '-p', '.', '--noEmit', '--skipLibCheck', 'false'], consumer);
    const ours = diagnostics(`${result.stdout}${result.stderr}`).filter(
      (line) => line.startsWith('node_modules/gitops-platform-cdktf/') || !line.startsWith('node_modules/'),
    );
    assert.deepEqual(ours, []);
  });

  it('compiles with tsc and synthesizes with plain node: the whole platform and a team\'s own stack', () => {
    ok(run(process.execPath, [require.resolve('typescript/bin/tsc', { paths: [consumer] }), '-p', '.'], consumer), 'tsc');
    const out = path.join(work, 'node-run');
    fs.mkdirSync(out, { recursive: true });
    ok(run(process.execPath, ['build/main.js'], consumer, { CDKTF_OUTDIR: path.join(out, 'cdktf.out'), GITOPS_OUTDIR: path.join(out, 'dist') }), 'node build/main.js');
    const tf = readTree(path.join(out, 'cdktf.out'));
    assert.ok(tf.has('stacks/qa/cdk.tf.json') && tf.has('stacks/payments/cdk.tf.json'), [...tf.keys()].join(', '));
    const qa = JSON.parse(tf.get('stacks/qa/cdk.tf.json')!) as { resource: Record<string, Record<string, { chart?: string }>> };
    const charts = Object.values(qa.resource.helm_release ?? {}).map((r) => r.chart).sort();
    assert.deepEqual(charts.filter((c) => c === 'argo-cd' || c === 'kube-prometheus-stack'), ['argo-cd', 'kube-prometheus-stack']);
    assert.equal(charts.includes('flux2'), false, 'flux is off in qa');
    const dist = readTree(path.join(out, 'dist'));
    const payments = [...dist.keys()].filter((f) => f.startsWith('payments/')).sort();
    assert.deepEqual(payments.filter((f) => f.endsWith('payments.yaml')), ['payments/apps/payments.yaml', 'payments/tenants/payments.yaml']);
    const apps = dist.get('payments/apps/payments.yaml')!;
    for (const kind of ['AppProject', 'ApplicationSet', 'Rollout', 'AnalysisTemplate', 'PrometheusRule']) assert.match(apps, new RegExp(`^kind: ${kind}$`, 'm'), kind);
    assert.match(dist.get('payments/tenants/payments.yaml')!, /^kind: HelmRelease$/m);
  });

  it('explains a refused setting from the installed package, which reads its schemas and loads ajv only then', () => {
    // The schema documents and ajv are loaded on the first refused value: the package must carry the JSON files.
    // Runs after the test that compiles the example to build/.
    const script = [
      "const { App } = require('cdktf');",
      "const { GitOpsStack, runApp } = require('gitops-platform-cdktf');",
      "const { qa } = require('./build/qa');",
      "runApp(() => { new GitOpsStack(new App(), 'qa', { environment: qa, manifestDirectry: 'out' }); });",
    ].join('\n');
    const out = path.join(work, 'refused');
    fs.mkdirSync(out, { recursive: true });
    const result = run(process.execPath, ['-e', script], consumer, { CDKTF_OUTDIR: path.join(out, 'cdktf.out'), GITOPS_OUTDIR: path.join(out, 'dist') });
    assert.equal(result.status, 1, `${result.stdout}${result.stderr}`);
    assert.match(result.stderr, /^qa: GitOpsStackProps\.manifestDirectry is "out"\. Unknown setting: it would be ignored\. Did you mean "manifestDirectory"\?/m);
    assert.doesNotMatch(result.stderr, /\n\s+at /, 'one message, no stack trace');
  });

  it('synthesizes through `cdktf synth` with cdktf init\'s default app command (npx ts-node main.ts)', () => {
    const cdktf = path.join(root, 'node_modules', '.bin', 'cdktf');
    const out = path.join(work, 'cdktf-run');
    fs.mkdirSync(out, { recursive: true });
    ok(run(cdktf, ['synth', '--output', path.join(out, 'cdktf.out')], consumer, { GITOPS_OUTDIR: path.join(out, 'dist') }), 'cdktf synth');
    assert.ok(fs.existsSync(path.join(out, 'cdktf.out', 'stacks', 'payments', 'cdk.tf.json')));
    assert.ok(fs.existsSync(path.join(out, 'dist', 'payments', 'apps', 'payments.yaml')));
  });
});
