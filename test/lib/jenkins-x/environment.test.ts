import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { App, Chart } from 'cdk8s';
import { JenkinsXEnvironment } from '../../../lib/jenkins-x/environment';
import { GitUrl } from '../../../lib/jenkins-x/git-url';
import { PromotionStrategy } from '../../../lib/jenkins-x/promotion';
import { validateManifest } from '../../support/validate';

const repo = GitUrl.parse('https://github.com/company/jx3-dev-cluster.git', 'test', 'repo');

function chart(): Chart {
  return new Chart(new App(), 'test');
}

describe('JenkinsXEnvironment', () => {
  it('renders a jenkins.io/v1 Environment with namespace, repository and promotion strategy', () => {
    const c = chart();
    new JenkinsXEnvironment(c, 'Staging', { key: 'staging', namespace: 'jx-staging', promotion: PromotionStrategy.auto(), repository: repo, order: 100 });
    const [env] = c.toJson();
    assert.deepEqual(env, {
      apiVersion: 'jenkins.io/v1',
      kind: 'Environment',
      metadata: { name: 'staging', namespace: 'jx', labels: { env: 'staging', team: 'jx' } },
      spec: {
        kind: 'Permanent',
        label: 'Staging',
        namespace: 'jx-staging',
        promotionStrategy: 'Auto',
        order: 100,
        source: { url: 'https://github.com/company/jx3-dev-cluster.git', ref: 'main' },
      },
    });
    assert.deepEqual(validateManifest(env), []);
  });

  it('renders the development environment with Lighthouse webhooks and a remote cluster flag when asked', () => {
    const c = chart();
    new JenkinsXEnvironment(c, 'Dev', { key: 'dev', kind: 'Development', namespace: 'jx', promotion: PromotionStrategy.never(), repository: repo, branch: 'master' });
    new JenkinsXEnvironment(c, 'Prod', {
      key: 'production', namespace: 'jx-production', promotion: PromotionStrategy.manual(), repository: repo, remoteCluster: true, label: 'Live',
    });
    const [dev, prod] = c.toJson();
    assert.equal(dev.spec.kind, 'Development');
    assert.equal(dev.spec.webHookEngine, 'Lighthouse');
    assert.equal(dev.spec.promotionStrategy, 'Never');
    assert.equal(dev.spec.source.ref, 'master');
    assert.equal(prod.spec.remoteCluster, true);
    assert.equal(prod.spec.label, 'Live');
    for (const obj of [dev, prod]) assert.deepEqual(validateManifest(obj), []);
  });

  it('fails when the development environment is a promotion target', () => {
    assert.throws(
      () => new JenkinsXEnvironment(chart(), 'Dev', { key: 'dev', kind: 'Development', namespace: 'jx', promotion: PromotionStrategy.auto(), repository: repo }),
      { message: 'test/Dev: promotion is "Auto". The development environment is never a promotion target: use PromotionStrategy.never().' },
    );
  });

  it('fails when the namespace is not a DNS label', () => {
    assert.throws(
      () => new JenkinsXEnvironment(chart(), 'Staging', { key: 'staging', namespace: 'JX_Staging', promotion: PromotionStrategy.auto(), repository: repo }),
      { message: 'test/Staging: namespace is "JX_Staging". Use a lowercase DNS label such as "staging".' },
    );
  });
});
