import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { TriggerConfig } from '../../../lib/jenkins-x/triggers';

describe('TriggerConfig', () => {
  it('writes presubmits and postsubmits with Lighthouse field names', () => {
    const triggers = new TriggerConfig(
      [{ name: 'pr', source: 'pullrequest.yaml', runIfChanged: '^src/' }],
      [{ name: 'release', source: 'release.yaml' }],
    );
    assert.deepEqual(triggers.toJson(), {
      apiVersion: 'config.lighthouse.jenkins-x.io/v1alpha1',
      kind: 'TriggerConfig',
      spec: {
        presubmits: [{ name: 'pr', context: 'pr', always_run: true, optional: false, run_if_changed: '^src/', source: 'pullrequest.yaml' }],
        postsubmits: [{ name: 'release', context: 'release', source: 'release.yaml', branches: ['^main$', '^master$'] }],
      },
    });
  });

  it('keeps only the keys Lighthouse knows', () => {
    const json = new TriggerConfig(
      [{ name: 'lint', source: 'lint.yaml', context: 'lint', alwaysRun: false, optional: true }],
      [{ name: 'release', source: 'release.yaml', branches: ['^release-.*$'] }],
    ).toJson() as { spec: { presubmits: object[]; postsubmits: object[] } };
    const presubmitKeys = new Set(['name', 'context', 'always_run', 'optional', 'run_if_changed', 'source']);
    const postsubmitKeys = new Set(['name', 'context', 'source', 'branches']);
    for (const p of json.spec.presubmits) for (const k of Object.keys(p)) assert.ok(presubmitKeys.has(k), k);
    for (const p of json.spec.postsubmits) for (const k of Object.keys(p)) assert.ok(postsubmitKeys.has(k), k);
  });

  it('fails when two jobs share a name', () => {
    assert.throws(() => new TriggerConfig([{ name: 'pr', source: 'a.yaml' }], [{ name: 'pr', source: 'b.yaml' }]), {
      message: 'TriggerConfig: postsubmits[0].name is "pr". Give every job its own name.',
    });
  });

  it('fails when a source is not a file next to triggers.yaml', () => {
    assert.throws(() => new TriggerConfig([{ name: 'pr', source: '../pullrequest.yaml' }], []), {
      message: 'TriggerConfig: presubmits[0].source is "../pullrequest.yaml". Name a PipelineRun file in the same folder, such as "pullrequest.yaml".',
    });
  });

  it('fails when a branch expression does not compile', () => {
    assert.throws(() => new TriggerConfig([], [{ name: 'release', source: 'release.yaml', branches: ['^main($'] }]), {
      message: 'TriggerConfig: postsubmits[0].branches[0] is "^main($". Use a valid regular expression, such as "^main$".',
    });
  });
});
