/**
 * Benchmark: wall time and peak memory of
 *   1. synthesizing every environment through the cdktf app command (cdktf.json "app"),
 *   2. the type check (`tsc --noEmit`).
 * Each is run several times; the median wall time and the highest peak RSS are printed.
 * Targets (2 cores): synth <= 1.0 s and <= 300 MB; tsc <= 10 s.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

const root = path.resolve(__dirname, '..');
const runs = Number(process.env.BENCH_RUNS ?? 5);

interface Measure {
  readonly wallMs: number;
  readonly peakMb: number;
}

function measure(command: string, env: Record<string, string>): Measure {
  const rssFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'bench-')), 'rss');
  const start = process.hrtime.bigint();
  const result = spawnSync(command, {
    cwd: root,
    shell: true,
    stdio: ['ignore', 'ignore', 'pipe'],
    env: {
      ...process.env,
      ...env,
      CHECKPOINT_DISABLE: '1',
      PEAK_RSS_FILE: rssFile,
      NODE_OPTIONS: `--require ${path.join(root, 'scripts', 'peak-rss.cjs')}`,
    },
  });
  const wallMs = Number(process.hrtime.bigint() - start) / 1e6;
  if (result.status !== 0) {
    throw new Error(`"${command}" failed (exit ${result.status}):\n${result.stderr.toString()}`);
  }
  const peaks = fs.readFileSync(rssFile, 'utf8').trim().split('\n').map(Number);
  fs.rmSync(path.dirname(rssFile), { recursive: true, force: true });
  return { wallMs, peakMb: Math.max(...peaks) / 1024 };
}

function report(label: string, command: string, env: Record<string, string>, targetMs: number, targetMb?: number): boolean {
  const results: Measure[] = [];
  for (let i = 0; i < runs; i++) results.push(measure(command, env));
  const walls = results.map((r) => r.wallMs).sort((a, b) => a - b);
  const median = walls[Math.floor(walls.length / 2)];
  const peak = Math.max(...results.map((r) => r.peakMb));
  const ok = median <= targetMs && (targetMb === undefined || peak <= targetMb);
  console.log(
    `${label.padEnd(34)} median ${(median / 1000).toFixed(2)} s (min ${(walls[0] / 1000).toFixed(2)}, max ${(walls[walls.length - 1] / 1000).toFixed(2)}) ` +
      `peak ${peak.toFixed(0)} MB  target <= ${(targetMs / 1000).toFixed(1)} s${targetMb ? ` and ${targetMb} MB` : ''}  ${ok ? 'OK' : 'OVER'}`,
  );
  return ok;
}

const cdktf = JSON.parse(fs.readFileSync(path.join(root, 'cdktf.json'), 'utf8')) as { app: string };
const outRoot = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-out-'));
console.log(`${runs} runs each, ${os.cpus().length} cores, node ${process.version}`);
const synthOk = report('synth all environments (app cmd)', cdktf.app, {
  CDKTF_OUTDIR: path.join(outRoot, 'cdktf.out'),
  GITOPS_OUTDIR: path.join(outRoot, 'dist'),
}, 1000, 300);
const tscOk = report('tsc --noEmit', `${path.join(root, 'node_modules', '.bin', 'tsc')} --noEmit`, {}, 10000);
fs.rmSync(outRoot, { recursive: true, force: true });
console.log(synthOk && tscOk ? "all targets met" : "some targets missed (see OVER above)");
