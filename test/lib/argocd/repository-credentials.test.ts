import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import * as fs from 'fs';
import { dev, prod } from '../../../environments';
import { EnvironmentConfig } from '../../../stacks/environment';
import { synthEnvironment, SynthResult } from '../../support/synth';

type Json = Record<string, Record<string, unknown>>;
const made: SynthResult[] = [];
function synth(env: EnvironmentConfig): SynthResult {
  const r = synthEnvironment(env);
  made.push(r);
  return r;
}
after(() => made.forEach((r) => fs.rmSync(r.directory, { recursive: true, force: true })));

describe('RepositoryCredentials', () => {
  for (const env of [dev, prod]) {
    it(`${env.name}: Terraform writes the Argo CD repository Secret with a write-only token`, () => {
      const { tf, files } = synth(env);
      const secrets = Object.values(tf.resource.kubernetes_secret_v1 ?? {}) as Json[];
      const secret = secrets.find((s) => s.metadata.namespace === 'argocd' && (s.metadata.labels as Record<string, string>)['argocd.argoproj.io/secret-type'] === 'repository');
      assert.ok(secret, 'a Secret in argocd');
      assert.equal(secret.metadata.name, env.gitops.credentialsSecret);
      assert.equal((secret.metadata.labels as Record<string, string>)['argocd.argoproj.io/secret-type'], 'repository');
      // terraform-provider-kubernetes 2.38: data_wo ConflictsWith data, and create writes only data_wo.
      assert.equal(secret.data, undefined);
      assert.deepEqual(secret.data_wo, { type: 'git', url: env.gitops.repoUrl, username: 'git', password: '${var.gitops_repo_token}' });
      assert.equal(secret.data_wo_revision, 1);
      assert.equal(tf.variable?.gitops_repo_token?.sensitive, true);
      assert.equal(tf.variable?.gitops_repo_token?.ephemeral, true);
      assert.equal((tf.terraform as Record<string, unknown>).required_version, '>= 1.11');
      for (const [file, content] of files) assert.doesNotMatch(content, /gitops_repo_token/, file);
    });

    it(`${env.name}: a credential template covers the team repositories under the GitOps repository's owner`, () => {
      const { tf } = synth(env);
      const secrets = Object.values(tf.resource.kubernetes_secret_v1 ?? {}) as Json[];
      const template = secrets.find((s) => (s.metadata.labels as Record<string, string>)['argocd.argoproj.io/secret-type'] === 'repo-creds');
      assert.ok(template, 'a repo-creds Secret');
      assert.equal(template.metadata.namespace, 'argocd');
      assert.equal(template.metadata.name, `${env.gitops.credentialsSecret}-template`);
      assert.equal((template.data_wo as Record<string, string>).url, 'https://github.com/company/');
      for (const team of env.argocd?.teams ?? []) assert.ok(team.repoUrl.startsWith('https://github.com/company/'), team.repoUrl);
      const argocd = (tf.output.gitops_security_status.value as Record<string, any>).argocd;
      assert.deepEqual(argocd.repository_credentials.without_credentials, []);
      const bootstrap = Object.values(tf.resource.helm_release).find((r) => r.name === 'gitops-bootstrap') as Record<string, unknown>;
      assert.ok((bootstrap.depends_on as string[]).some((d) => d.includes('CredentialTemplate')), 'the bootstrap release waits for the template');
    });
  }

  it('gives no template to team repositories of another owner, and reports them', () => {
    const teams = (dev.argocd?.teams ?? []).map((t) => ({ ...t, repoUrl: 'https://gitlab.other.com/team-a/apps' }));
    const { tf } = synth({ ...dev, name: 'elsewhere', modules: ['argocd'], argocd: { ...dev.argocd, teams } });
    const secrets = Object.values(tf.resource.kubernetes_secret_v1 ?? {}) as Json[];
    assert.equal(secrets.filter((s) => (s.metadata.labels as Record<string, string>)['argocd.argoproj.io/secret-type'] === 'repo-creds').length, 0);
    const argocd = (tf.output.gitops_security_status.value as Record<string, any>).argocd;
    assert.deepEqual(argocd.repository_credentials.without_credentials, ['https://gitlab.other.com/team-a/apps']);
  });

  it('rewrites the write-only keys when gitops.credentialsRevision is bumped', () => {
    const { tf } = synth({ ...dev, name: 'rotated', modules: ['argocd', 'flux'], gitops: { ...dev.gitops, credentialsRevision: 3 } });
    const secrets = Object.values(tf.resource.kubernetes_secret_v1 ?? {}) as Json[];
    assert.ok(secrets.length >= 2);
    for (const s of secrets) assert.equal(s.data_wo_revision, 3);
  });

  it('is not created for a public repository (no credentialsSecret)', () => {
    const { tf } = synth({
      ...dev,
      name: 'public',
      modules: ['argocd'],
      gitops: { repoUrl: dev.gitops.repoUrl, revision: 'develop' },
    });
    assert.equal(tf.resource.kubernetes_secret_v1, undefined);
    assert.equal(tf.variable?.gitops_repo_token, undefined);
  });
});
