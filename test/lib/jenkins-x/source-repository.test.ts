import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { App, Chart } from 'cdk8s';
import { GitUrl } from '../../../lib/jenkins-x/git-url';
import { JenkinsXSourceRepository } from '../../../lib/jenkins-x/source-repository';
import { validateManifest } from '../../support/validate';

describe('JenkinsXSourceRepository', () => {
  it('renders a jenkins.io/v1 SourceRepository named <owner>-<repository>', () => {
    const chart = new Chart(new App(), 'test');
    const repo = GitUrl.parse('git@github.com:Company/Orders_API.git', 'test', 'repo');
    const source = new JenkinsXSourceRepository(chart, 'Orders', { repository: repo, description: 'orders' });
    assert.equal(source.name, 'company-orders-api');
    const [obj] = chart.toJson();
    assert.deepEqual(obj, {
      apiVersion: 'jenkins.io/v1',
      kind: 'SourceRepository',
      metadata: { name: 'company-orders-api', namespace: 'jx', labels: { owner: 'Company', repository: 'Orders_API', provider: 'github' } },
      spec: {
        description: 'orders',
        org: 'Company',
        repo: 'Orders_API',
        provider: 'https://github.com',
        providerKind: 'github',
        providerName: 'github',
        httpCloneURL: 'https://github.com/Company/Orders_API.git',
        url: 'https://github.com/Company/Orders_API',
      },
    });
    assert.deepEqual(validateManifest(obj), []);
  });

  it('turns a GitLab group path into a valid name and label', () => {
    const chart = new Chart(new App(), 'test');
    const repo = GitUrl.parse('https://gitlab.company.com/platform/apps/storefront.git', 'test', 'repo');
    new JenkinsXSourceRepository(chart, 'Storefront', { repository: repo, namespace: 'jenkins-x' });
    const [obj] = chart.toJson();
    assert.equal(obj.metadata.name, 'platform-apps-storefront');
    assert.equal(obj.metadata.namespace, 'jenkins-x');
    assert.equal(obj.metadata.labels.owner, 'platform-apps');
    assert.equal(obj.spec.providerKind, 'gitlab');
    assert.deepEqual(validateManifest(obj), []);
  });
});
