import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parse } from 'yaml';
import { BuildPack } from '../../../lib/jenkins-x/build-pack';
import { LighthousePipeline } from '../../../lib/jenkins-x/pipeline-run';
import { PipelineStep } from '../../../lib/jenkins-x/pipeline-step';
import { validateManifest } from '../../support/validate';
import { embeddedTektonObjects } from './tekton';

/** The seed's `.lighthouse/jenkins-x/pullrequest.yaml` (002_28818d6c690aa107.txt). */
const SEED_PULLREQUEST = `apiVersion: tekton.dev/v1beta1
kind: PipelineRun
metadata:
  name: pullrequest
spec:
  pipelineSpec:
    tasks:
    - name: from-build-pack
      taskSpec:
        steps:
        - image: uses:jenkins-x/jx3-pipeline-catalog/tasks/go/pullrequest.yaml@versionStream
          name: ""
`;

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

describe('LighthousePipeline', () => {
  it('writes a tekton.dev/v1 PipelineRun with one build pack task', () => {
    const pr = LighthousePipeline.pullRequest(BuildPack.go()).toJson() as Json;
    assert.equal(pr.apiVersion, 'tekton.dev/v1');
    assert.equal(pr.kind, 'PipelineRun');
    assert.deepEqual(pr.metadata, { name: 'pullrequest' });
    assert.deepEqual(pr.spec.taskRunTemplate, { serviceAccountName: 'tekton-bot' });
    assert.deepEqual(pr.spec.timeouts, { pipeline: '12h0m0s' });
    assert.equal(pr.spec.pipelineSpec.tasks.length, 1);
    assert.equal(pr.spec.pipelineSpec.tasks[0].name, 'from-build-pack');
  });

  it('lays a language pack out as the catalog does: uses: step template, clone step, named steps', () => {
    const task = (LighthousePipeline.pullRequest(BuildPack.go()).toJson() as Json).spec.pipelineSpec.tasks[0].taskSpec;
    assert.deepEqual(task.stepTemplate, {
      computeResources: { requests: { cpu: '400m', memory: '600Mi' } },
      image: 'uses:jenkins-x/jx3-pipeline-catalog/tasks/go/pullrequest.yaml@versionStream',
      workingDir: '/workspace/source',
    });
    assert.deepEqual(task.steps, [
      { image: 'uses:jenkins-x/jx3-pipeline-catalog/tasks/git-clone/git-clone-pr.yaml@versionStream', name: '' },
      { name: 'jx-variables' },
      { name: 'build-make-linux' },
      { name: 'check-registry' },
      { name: 'build-container-build' },
      { name: 'promote-jx-preview' },
    ]);
  });

  it('contains the seed pullrequest.yaml step for a pack that runs every step', () => {
    const seed = parse(SEED_PULLREQUEST) as Json;
    const ours = LighthousePipeline.pullRequest(BuildPack.fromCatalog('go')).toJson() as Json;
    assert.equal(ours.metadata.name, seed.metadata.name);
    const seedTask = seed.spec.pipelineSpec.tasks[0];
    const ourTask = ours.spec.pipelineSpec.tasks[0];
    assert.equal(ourTask.name, seedTask.name);
    assert.deepEqual(ourTask.taskSpec.steps[1], seedTask.taskSpec.steps[0]);
    // The catalog's pack Tasks no longer clone the source themselves: the clone step comes first.
    assert.equal(ourTask.taskSpec.steps[0].image, 'uses:jenkins-x/jx3-pipeline-catalog/tasks/git-clone/git-clone-pr.yaml@versionStream');
    assert.equal(ourTask.taskSpec.stepTemplate.image, undefined);
  });

  it('drops the preview step when previews are off', () => {
    const names = LighthousePipeline.pullRequest(BuildPack.javascript(), { previews: false }).steps.map((s) => s.name);
    assert.deepEqual(names, ['', 'jx-variables', 'build-npm-install', 'build-npm-test', 'check-registry', 'build-container-build']);
    assert.equal(LighthousePipeline.pullRequest(BuildPack.javascript(), { previews: false }).deploysPreview, false);
    assert.equal(LighthousePipeline.pullRequest(BuildPack.javascript()).deploysPreview, true);
  });

  it('appends extra steps and applies resources, service account and timeout', () => {
    const lint = PipelineStep.script('lint', { image: 'golangci/golangci-lint:v2.12.2-alpine', script: '#!/bin/sh\ngolangci-lint run\n' });
    const pr = LighthousePipeline.pullRequest(BuildPack.go(), {
      extraSteps: [lint],
      resources: { requests: { cpu: '1', memory: '2Gi' }, limits: { cpu: '2', memory: '4Gi' } },
      serviceAccountName: 'builder',
      timeout: '2h',
    }).toJson() as Json;
    const task = pr.spec.pipelineSpec.tasks[0].taskSpec;
    assert.equal(task.steps[task.steps.length - 1].name, 'lint');
    assert.deepEqual(task.stepTemplate.computeResources, { requests: { cpu: '1', memory: '2Gi' }, limits: { cpu: '2', memory: '4Gi' } });
    assert.deepEqual(pr.spec.taskRunTemplate, { serviceAccountName: 'builder' });
    assert.deepEqual(pr.spec.timeouts, { pipeline: '2h' });
  });

  it('writes the release pipeline from the release Task and the plain clone Task', () => {
    const release = LighthousePipeline.release(BuildPack.go()).toJson() as Json;
    const task = release.spec.pipelineSpec.tasks[0].taskSpec;
    assert.equal(release.metadata.name, 'release');
    assert.equal(task.stepTemplate.image, 'uses:jenkins-x/jx3-pipeline-catalog/tasks/go/release.yaml@versionStream');
    assert.equal(task.steps[0].image, 'uses:jenkins-x/jx3-pipeline-catalog/tasks/git-clone/git-clone.yaml@versionStream');
    assert.ok(task.steps.some((s: Json) => s.name === 'promote-jx-promote'));
  });

  it('validates strictly: the PipelineRun against the Tekton CRD, its inline spec against Pipeline and Task v1', () => {
    const lint = PipelineStep.script('lint', { image: 'golangci/golangci-lint:v2.12.2-alpine', script: '#!/bin/sh\ngolangci-lint run\n' });
    const packs = [BuildPack.go(), BuildPack.javascript(), BuildPack.typescript(), BuildPack.python(), BuildPack.fromCatalog('rust')];
    for (const pack of packs) {
      for (const pipeline of [LighthousePipeline.pullRequest(pack, { extraSteps: [lint] }), LighthousePipeline.release(pack)]) {
        const run = pipeline.toJson();
        assert.deepEqual(validateManifest(run), [], `${pack.name} ${pipeline.name}`);
        for (const embedded of embeddedTektonObjects(run)) {
          assert.deepEqual(validateManifest(embedded), [], `${pack.name} ${pipeline.name} ${embedded.kind}`);
        }
      }
    }
  });

  it('the seed file itself validates as v1beta1; Tekton v1 rejects the catalog v1beta1 field names this module translates', () => {
    const seed = parse(SEED_PULLREQUEST) as Json;
    assert.deepEqual(validateManifest(seed), []);
    for (const embedded of embeddedTektonObjects(seed)) assert.deepEqual(validateManifest(embedded), [], embedded.kind);
    // What `jx project import` copies from the catalog (v1beta1 names), read as v1:
    const v1beta1Style = {
      apiVersion: 'tekton.dev/v1',
      kind: 'PipelineRun',
      metadata: { name: 'pullrequest' },
      spec: {
        pipelineSpec: { tasks: [{ name: 'from-build-pack', resources: {}, taskSpec: { stepTemplate: { name: '', resources: {} }, steps: [{ name: 'jx-variables', resources: {} }] } }] },
        serviceAccountName: 'tekton-bot',
        timeout: '12h0m0s',
      },
    };
    const runProblems = validateManifest(v1beta1Style).join('\n');
    assert.match(runProblems, /spec.*serviceAccountName/);
    assert.match(runProblems, /spec.*timeout/);
    const embeddedProblems = embeddedTektonObjects(v1beta1Style).flatMap((o) => validateManifest(o)).join('\n');
    assert.match(embeddedProblems, /tasks\[0\].*resources/);
    assert.match(embeddedProblems, /stepTemplate.*name/);
    assert.match(embeddedProblems, /steps\[0\].*resources/);
  });

  it('fails when previews are off for a pack that runs every step', () => {
    assert.throws(() => LighthousePipeline.pullRequest(BuildPack.fromCatalog('rust'), { previews: false }), {
      message:
        'LighthousePipeline "pullrequest": previews is false. BuildPack "rust" runs every step of its Task, including promote-jx-preview; list its pull request steps (pullRequestSteps) without promote-jx-preview to turn previews off.',
    });
  });

  it('fails when two steps share a name', () => {
    const again = PipelineStep.script('check-registry', { image: 'alpine:3.22', script: '#!/bin/sh\ntrue\n' });
    assert.throws(() => LighthousePipeline.pullRequest(BuildPack.go(), { extraSteps: [again] }), {
      message: 'LighthousePipeline "pullrequest": steps is "check-registry". Give every step its own name (Tekton rejects duplicate step names).',
    });
  });

  it('fails when the timeout is not a duration', () => {
    assert.throws(() => LighthousePipeline.release(BuildPack.go(), { timeout: '12 hours' }), {
      message: 'LighthousePipeline "release": timeout is "12 hours". Use a Go duration such as "12h0m0s" or "90m".',
    });
  });
});
