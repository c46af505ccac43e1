import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { GitUrl } from '../../../lib/jenkins-x/git-url';

describe('GitUrl', () => {
  it('parses an https URL into server, owner and repository', () => {
    const url = GitUrl.parse('https://github.com/company/orders-api.git', 'here', 'repo');
    assert.equal(url.host, 'github.com');
    assert.equal(url.server, 'https://github.com');
    assert.equal(url.owner, 'company');
    assert.equal(url.repository, 'orders-api');
    assert.equal(url.httpsCloneUrl, 'https://github.com/company/orders-api.git');
    assert.equal(url.webUrl, 'https://github.com/company/orders-api');
    assert.equal(url.kind, 'github');
    assert.equal(url.providerName, 'github');
  });

  it('keeps GitLab group paths as the owner and recognises the server kind', () => {
    const url = GitUrl.parse('https://gitlab.company.com/platform/apps/storefront', 'here', 'repo');
    assert.equal(url.owner, 'platform/apps');
    assert.equal(url.repository, 'storefront');
    assert.equal(url.kind, 'gitlab');
    assert.equal(GitUrl.parse('https://bitbucket.org/team/app.git', 'here', 'repo').kind, 'bitbucketcloud');
    assert.equal(GitUrl.parse('https://bitbucket.company.com/scm/team/app.git', 'here', 'repo').kind, 'bitbucketserver');
    assert.equal(GitUrl.parse('https://git.company.com/team/app.git', 'here', 'repo').providerName, 'ghe');
  });

  it('accepts ssh forms unless https is required', () => {
    const scp = GitUrl.parse('git@github.com:company/orders-api.git', 'here', 'repo');
    assert.equal(scp.httpsCloneUrl, 'https://github.com/company/orders-api.git');
    const ssh = GitUrl.parse('ssh://git@github.com/company/orders-api.git', 'here', 'repo');
    assert.ok(ssh.sameRepository(scp));
    assert.throws(() => GitUrl.parse('git@github.com:company/orders-api.git', 'here', 'repo', true), {
      message:
        'here: repo is "git@github.com:company/orders-api.git". Use an https Git repository URL with an owner and a repository, such as "https://github.com/<owner>/<repository>.git".',
    });
  });

  it('derives a sibling repository on the same server and owner', () => {
    const sibling = GitUrl.parse('https://github.com/company/gitops-infrastructure', 'here', 'repo').sibling('jx3-dev-cluster');
    assert.equal(sibling.httpsCloneUrl, 'https://github.com/company/jx3-dev-cluster.git');
  });

  it('fails when the URL has no repository', () => {
    assert.throws(() => GitUrl.parse('https://github.com/company', 'Environment "dev"', 'jenkinsX.clusterRepository'), {
      message:
        'Environment "dev": jenkinsX.clusterRepository is "https://github.com/company". Use a Git repository URL (https://, ssh://git@ or git@host:) with an owner and a repository, such as "https://github.com/<owner>/<repository>.git".',
    });
  });

  it('fails on plain http, other schemes and bare names', () => {
    for (const bad of ['http://github.com/company/app.git', 'ftp://github.com/company/app.git', 'company/app', 'https://github.com/company/app with space']) {
      assert.throws(() => GitUrl.parse(bad, 'here', 'repo'), /^ConfigError: here: repo is /, bad);
    }
  });

  it('fails when the URL carries credentials, without repeating them', () => {
    assert.throws(() => GitUrl.parse('https://bot:ghp_secret@github.com/company/app.git', 'here', 'repo'), (err: Error) => {
      assert.equal(
        err.message,
        'here: repo is "https://***@github.com/company/app.git". Remove the credentials from the URL; the bot user and token come from sensitive Terraform variables. Use a URL such as "https://github.com/<owner>/<repository>.git".',
      );
      assert.ok(!err.message.includes('ghp_secret'));
      return true;
    });
  });

  it('fails when the URL is missing', () => {
    assert.throws(() => GitUrl.parse(undefined, 'here', 'repo'), {
      message: 'here: repo is not set. Give a Git repository URL such as "https://github.com/<owner>/<repository>.git".',
    });
  });
});
