import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import * as fs from 'fs';
import { dev, prod } from '../../../environments';
import { EnvironmentConfig } from '../../../lib/platform/environment';
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
      const secret = secrets.find((s) => s.metadata.namespace === 'argocd');
      assert.ok(secret, 'a Secret in argocd');
      assert.equal(secret.metadata.name, env.gitops.credentialsSecret);
      assert.equal((secret.metadata.labels as Record<string, string>)['argocd.argoproj.io/secret-type'], 'repository');
      assert.deepEqual(secret.data, { type: 'git', url: env.gitops.repoUrl, username: 'git' });
      assert.deepEqual(secret.data_wo, { password: '${var.gitops_repo_token}' });
      assert.equal(tf.variable?.gitops_repo_token?.sensitive, true);
      for (const [file, content] of files) assert.doesNotMatch(content, /gitops_repo_token/, file);
    });
  }

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
