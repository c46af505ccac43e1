import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { parse } from 'yaml';
import { ENVIRONMENTS } from '../../environments';
import { tool } from '../support/tools';
import { synthEnvironment } from '../support/synth';

const root = path.resolve(__dirname, '../..');
const githubDir = path.join(root, 'templates/github-actions');
const gitlabFile = path.join(root, 'templates/gitlab/gitops-platform.gitlab-ci.yml');
const scripts = (JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts;

type Job = { if?: string; needs?: string | string[]; environment?: unknown; env?: Record<string, string>; strategy?: { matrix?: Record<string, unknown>; 'max-parallel'?: number }; steps?: Array<Record<string, unknown>>; permissions?: Record<string, string> };
const reusable = parse(fs.readFileSync(path.join(githubDir, 'gitops-platform.yml'), 'utf8')) as { on: { workflow_call: { inputs: Record<string, { default?: string }>; secrets: Record<string, unknown> } }; jobs: Record<string, Job> };
const run = (job: Job): string => (job.steps ?? []).map((s) => String(s.run ?? '')).join('\n');

/** The sensitive variables the shipped stacks declare (TF_VAR_<name>). */
function declaredVariables(): string[] {
  const names = new Set<string>();
  for (const env of ENVIRONMENTS) for (const name of Object.keys(synthEnvironment(env).tf.variable ?? {})) names.add(name);
  return [...names].sort();
}

describe('the GitHub Actions templates', () => {
  it('are a reusable workflow (workflow_call) and a caller that runs it on pull requests, main and a schedule', () => {
    assert.ok(reusable.on.workflow_call);
    assert.equal(reusable.on.workflow_call.inputs.environments.default, JSON.stringify(ENVIRONMENTS.map((e) => e.name)));
    const caller = parse(fs.readFileSync(path.join(githubDir, 'platform.yml'), 'utf8')) as { on: Record<string, unknown>; jobs: Record<string, { uses: string; with: Record<string, string> }> };
    assert.deepEqual(Object.keys(caller.on).sort(), ['pull_request', 'push', 'schedule', 'workflow_dispatch']);
    assert.equal(caller.jobs.pipeline.uses, './.github/workflows/gitops-platform.yml');
    assert.equal(caller.jobs.drift.with.mode, 'drift');
  });

  it('has the jobs of the pipeline: test, synth, scan, plan per environment, apply from main with approval, drift', () => {
    assert.deepEqual(Object.keys(reusable.jobs), ['test', 'synth', 'scan', 'plan', 'apply', 'drift']);
    assert.match(run(reusable.jobs.test), /npm ci\nnpm test/);
    assert.match(run(reusable.jobs.synth), /npm run synth/);
    assert.match(run(reusable.jobs.scan), /config[\s\\]+--exit-code 1 --severity HIGH,CRITICAL dist\//);
    assert.match(run(reusable.jobs.scan), /cdktf\.out\/stacks\//);
    for (const job of ['plan', 'apply', 'drift']) {
      assert.equal(reusable.jobs[job].strategy?.matrix?.environment, '${{ fromJSON(inputs.environments) }}', job);
    }
    assert.match(run(reusable.jobs.plan), /plan -input=false -lock-timeout=5m -out=tfplan/);
    // Apply: only a push to main, one environment at a time, each behind its GitHub environment's protection rules.
    assert.match(reusable.jobs.apply.if ?? '', /github\.ref == 'refs\/heads\/main'/);
    assert.equal(reusable.jobs.apply.environment, '${{ matrix.environment }}');
    assert.equal(reusable.jobs.apply.strategy?.['max-parallel'], 1);
    assert.match(run(reusable.jobs.apply), /output -json > "\$GITHUB_WORKSPACE\/outputs-\$STACK\.json"/);
    assert.match(run(reusable.jobs.apply), /npm run check-outputs -- "\$STACK" "outputs-\$STACK\.json"/);
    assert.match(run(reusable.jobs.apply), /npm run publish-tree -- "\$STACK" --repo gitops --source-commit "\$GITHUB_SHA" --push/);
    // Drift: exit code 2 of plan -detailed-exitcode raises an alert and fails the run.
    assert.match(run(reusable.jobs.drift), /plan -input=false -lock=false -no-color -detailed-exitcode/);
    const alert = reusable.jobs.drift.steps!.find((s) => s.if === "steps.plan.outputs.exitcode == '2'");
    assert.ok(alert);
    assert.match(String(alert.run), /gh issue create[\s\S]*exit 1/);
    assert.equal(reusable.jobs.drift.permissions?.issues, 'write');
  });

  it('gives plan, apply and drift exactly the TF_VAR_ variables the stacks declare, from secrets', () => {
    const expected = declaredVariables().map((v) => `TF_VAR_${v}`);
    for (const job of ['plan', 'apply', 'drift']) {
      const env = reusable.jobs[job].env ?? {};
      const tfVars = Object.keys(env).filter((k) => k.startsWith('TF_VAR_')).sort();
      assert.deepEqual(tfVars, expected, job);
      for (const name of tfVars) assert.match(env[name], /^\$\{\{ secrets\.[A-Z_]+ \}\}$/, `${job} ${name}`);
    }
    for (const job of ['test', 'synth', 'scan']) {
      assert.equal(JSON.stringify(reusable.jobs[job]).includes('secrets.'), false, `${job} sees no secret`);
    }
  });

  it('runs only npm scripts that exist', () => {
    const all = [...fs.readdirSync(githubDir).map((f) => path.join(githubDir, f)), gitlabFile].map((f) => fs.readFileSync(f, 'utf8')).join('\n');
    const used = [...all.matchAll(/npm run ([a-z-]+)/g)].map((m) => m[1]);
    assert.ok(used.length >= 3);
    for (const script of used) assert.ok(scripts[script], `npm run ${script}`);
  });

  it('pass actionlint', (t) => {
    const actionlint = tool('actionlint');
    if (actionlint.skip) {
      t.skip(actionlint.skip);
      return;
    }
    // actionlint checks workflows where GitHub runs them: .github/workflows of a repository.
    const project = fs.mkdtempSync(path.join(os.tmpdir(), 'actionlint-'));
    fs.mkdirSync(path.join(project, '.git'));
    fs.mkdirSync(path.join(project, '.github/workflows'), { recursive: true });
    for (const file of fs.readdirSync(githubDir)) fs.copyFileSync(path.join(githubDir, file), path.join(project, '.github/workflows', file));
    const lint = spawnSync(actionlint.path!, ['-no-color', '-oneline'], { cwd: project, encoding: 'utf8' });
    assert.equal(lint.status, 0, lint.stdout + lint.stderr);

    // And it does find faults: an input that does not exist.
    const broken = path.join(project, '.github/workflows/gitops-platform.yml');
    fs.writeFileSync(broken, fs.readFileSync(broken, 'utf8').replace('inputs.terraform-version', 'inputs.terraform_version'));
    const failing = spawnSync(actionlint.path!, ['-no-color', '-oneline'], { cwd: project, encoding: 'utf8' });
    assert.equal(failing.status, 1);
    assert.match(failing.stdout, /property "terraform_version" is not defined/);
  });
});

describe('the GitLab CI template', () => {
  const gitlab = parse(fs.readFileSync(gitlabFile, 'utf8')) as Record<string, { stage?: string; extends?: string[]; script?: string[]; rules?: Array<{ if: string }>; environment?: { name: string }; before_script?: string[] }> & { stages: string[] };

  it('has the same stages, the TF_VAR_ variables the stacks declare, and a drift job on schedule', () => {
    assert.deepEqual(gitlab.stages, ['test', 'synth', 'scan', 'plan', 'apply', 'drift']);
    const exported = (gitlab['.tf-credentials'].before_script ?? []).map((l) => /^export (TF_VAR_[a-z_]+)=/.exec(l)?.[1]).filter(Boolean).sort();
    assert.deepEqual(exported, declaredVariables().map((v) => `TF_VAR_${v}`));
    assert.equal(gitlab.apply.environment?.name, '$STACK');
    assert.match(gitlab.apply.rules?.[0].if ?? '', /\$CI_COMMIT_BRANCH == \$CI_DEFAULT_BRANCH/);
    assert.ok(gitlab.drift.script?.some((l) => l.includes('-detailed-exitcode')));
    assert.equal(gitlab.drift.rules?.[0].if, '$DRIFT_CHECK == "true"');
    for (const job of ['plan', 'apply', 'drift']) assert.ok(gitlab[job].extends?.includes('.environments'), job);
  });
});
