import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isPinnedImage } from '../../../lib/jenkins-x/internal';
import { PipelineStep } from '../../../lib/jenkins-x/pipeline-step';
import { toJson_TaskSpecSteps } from '../../../lib/imports/tekton.dev';

describe('PipelineStep', () => {
  it('uses: takes every step of a catalog Task with an empty name, as in the seed', () => {
    const step = PipelineStep.uses('jenkins-x/jx3-pipeline-catalog/tasks/go/pullrequest.yaml@versionStream');
    assert.deepEqual(toJson_TaskSpecSteps(step.toStep()), {
      image: 'uses:jenkins-x/jx3-pipeline-catalog/tasks/go/pullrequest.yaml@versionStream',
      name: '',
    });
    assert.equal(step.usesRef, 'jenkins-x/jx3-pipeline-catalog/tasks/go/pullrequest.yaml@versionStream');
  });

  it('uses: picks one step by name, from a URL or a local file', () => {
    const step = PipelineStep.uses('https://raw.githubusercontent.com/jenkins-x/jx3-pipeline-catalog/main/tasks/go/pullrequest.yaml', { step: 'build-make-linux' });
    assert.equal(step.name, 'build-make-linux');
    assert.equal(PipelineStep.uses('.lighthouse/jenkins-x/lint.yaml').usesRef, '.lighthouse/jenkins-x/lint.yaml');
  });

  it('fromTemplate: a named step that takes its image from the step template', () => {
    const step = PipelineStep.fromTemplate('jx-variables', { requests: { cpu: '400m', memory: '600Mi' } });
    assert.deepEqual(toJson_TaskSpecSteps(step.toStep()), {
      name: 'jx-variables',
      computeResources: { requests: { cpu: '400m', memory: '600Mi' } },
    });
  });

  it('script: a plain step with a pinned image, sorted env and resources', () => {
    const step = PipelineStep.script('lint', {
      image: 'golangci/golangci-lint:v2.12.2-alpine',
      script: '#!/bin/sh\ngolangci-lint run\n',
      env: { GOFLAGS: '-mod=mod', CGO_ENABLED: '0' },
      resources: { requests: { cpu: '500m' }, limits: { memory: '1Gi' } },
    });
    assert.deepEqual(toJson_TaskSpecSteps(step.toStep()), {
      name: 'lint',
      image: 'golangci/golangci-lint:v2.12.2-alpine',
      script: '#!/bin/sh\ngolangci-lint run\n',
      env: [
        { name: 'CGO_ENABLED', value: '0' },
        { name: 'GOFLAGS', value: '-mod=mod' },
      ],
      computeResources: { requests: { cpu: '500m' }, limits: { memory: '1Gi' } },
    });
  });

  it('fails when a script image is not pinned', () => {
    for (const image of ['golang', 'golang:latest', 'registry.example.com:5000/golang']) {
      assert.throws(() => PipelineStep.script('build', { image, script: '#!/bin/sh\nmake\n' }), {
        message: `PipelineStep "build": image is "${image}". Pin the image to an explicit tag or digest, such as "golang:1.24.5" (never untagged or "latest").`,
      });
    }
  });

  it('fails when a script has no shebang', () => {
    assert.throws(() => PipelineStep.script('build', { image: 'golang:1.24.5', script: 'make\n' }), {
      message: 'PipelineStep "build": script is "make". Start the script with a shebang line such as "#!/bin/sh".',
    });
  });

  it('fails when a step name is not a DNS label', () => {
    assert.throws(() => PipelineStep.fromTemplate('Build_Step'), {
      message: 'PipelineStep: name is "Build_Step". Use a lowercase DNS label such as "unit-tests" (Tekton step names).',
    });
  });

  it('fails when a uses: reference is not a Task file', () => {
    assert.throws(() => PipelineStep.uses('jenkins-x/jx3-pipeline-catalog'), /^ConfigError: PipelineStep: uses is "jenkins-x\/jx3-pipeline-catalog"\. Reference a Task file/);
  });

  it('recognises pinned images', () => {
    assert.ok(isPinnedImage('ghcr.io/jenkins-x/jx-boot:3.17.80'));
    assert.ok(isPinnedImage(`golang@sha256:${'a'.repeat(64)}`));
    assert.ok(!isPinnedImage('localhost:5000/app'));
  });
});
