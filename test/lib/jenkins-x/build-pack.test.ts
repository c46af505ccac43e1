import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { BuildPack, PREVIEW_STEP } from '../../../lib/jenkins-x/build-pack';

describe('BuildPack', () => {
  it('references the pack Tasks of the jx3 pipeline catalog at the version stream', () => {
    const pack = BuildPack.go();
    assert.equal(pack.taskRef('pullrequest'), 'jenkins-x/jx3-pipeline-catalog/tasks/go/pullrequest.yaml@versionStream');
    assert.equal(pack.taskRef('release'), 'jenkins-x/jx3-pipeline-catalog/tasks/go/release.yaml@versionStream');
    assert.equal(pack.gitCloneRef('pullrequest'), 'jenkins-x/jx3-pipeline-catalog/tasks/git-clone/git-clone-pr.yaml@versionStream');
    assert.equal(pack.gitCloneRef('release'), 'jenkins-x/jx3-pipeline-catalog/tasks/git-clone/git-clone.yaml@versionStream');
  });

  it('lists the catalog packs steps, the preview step last in pull requests', () => {
    for (const pack of [BuildPack.go(), BuildPack.javascript(), BuildPack.typescript(), BuildPack.python()]) {
      const pr = pack.stepNames('pullrequest')!;
      assert.equal(pr[0], 'jx-variables', pack.name);
      assert.equal(pr[pr.length - 1], PREVIEW_STEP, pack.name);
      assert.ok(pack.stepNames('release')!.includes('promote-jx-promote'), pack.name);
    }
    assert.deepEqual(BuildPack.go().stepNames('pullrequest'), ['jx-variables', 'build-make-linux', 'check-registry', 'build-container-build', 'promote-jx-preview']);
  });

  it('runs every step of the Task for a catalog pack without step lists', () => {
    const pack = BuildPack.fromCatalog('rust');
    assert.equal(pack.stepNames('pullrequest'), undefined);
    assert.equal(pack.stepNames('release'), undefined);
  });

  it('takes another catalog and revision', () => {
    const pack = BuildPack.go({ catalog: 'company/pipeline-catalog', ref: 'v1.2.0' });
    assert.equal(pack.taskRef('pullrequest'), 'company/pipeline-catalog/tasks/go/pullrequest.yaml@v1.2.0');
  });

  it('fails when a step list is empty', () => {
    assert.throws(() => BuildPack.fromCatalog('go', { pullRequestSteps: [] }), {
      message: 'BuildPack "go": pullRequestSteps is []. List at least one step, or leave it out to run every step of the Task.',
    });
  });

  it('fails when the catalog is not owner/name', () => {
    assert.throws(() => BuildPack.go({ catalog: 'https://github.com/jenkins-x/jx3-pipeline-catalog' }), {
      message:
        'BuildPack "go": catalog is "https://github.com/jenkins-x/jx3-pipeline-catalog". Use "owner/name", such as "jenkins-x/jx3-pipeline-catalog".',
    });
  });

  it('fails when the pack name is not a folder name', () => {
    assert.throws(() => BuildPack.fromCatalog('go/../x'), /^ConfigError: BuildPack "go\/..\/x": name is "go\/..\/x"\. Use the name of a folder/);
  });
});
