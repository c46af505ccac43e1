import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Testing } from 'cdktf';
import { dev } from '../../../environments';
import { CHARTS } from '../../../lib/platform/catalogue';
import { helmRelease, releaseValues, TerraformJson } from '../../support/synth';
import { envWith, makeStack } from './helpers';

function synth(settings: Parameters<typeof envWith>[0] = dev.jenkinsX): TerraformJson {
  return JSON.parse(Testing.synth(makeStack(envWith(settings)))) as TerraformJson;
}

describe('JenkinsXInstall', () => {
  it('installs the pinned jx-git-operator chart into its namespace, after the CRDs', () => {
    const tf = synth();
    const release = helmRelease(tf, 'jx-git-operator');
    assert.equal(release.chart, 'jx-git-operator');
    assert.equal(release.version, CHARTS.jxGitOperator.version);
    assert.equal(release.repository, 'https://jenkins-x-charts.github.io/repo');
    assert.equal(release.namespace, 'jx-git-operator');
    assert.deepEqual(release.depends_on, [
      'kubernetes_namespace_v1.Platform_Namespace-jx-git-operator_C4D44B92',
      'helm_release.JenkinsX_Install_Crds_BB230BCF',
      'kubernetes_secret_v1.JenkinsX_Install_BootSecret_B375D53C',
    ]);
  });

  it('points the operator at the cluster repository, with the image pinned and the boot service account', () => {
    const values = releaseValues(helmRelease(synth(), 'jx-git-operator'));
    assert.deepEqual(values, {
      bootServiceAccount: { annotations: {}, enabled: true },
      env: { POLL_DURATION: '20s' },
      image: { tag: '0.2.4' },
      rbac: { cluster: true, strict: false },
      resources: { limits: { cpu: '100m', memory: '256Mi' }, requests: { cpu: '80m', memory: '128Mi' } },
      serviceAccount: { create: true, name: 'jx-git-operator' },
    });
  });

  it('writes the Git user and bot token write-only into the jx-boot Secret, never into Helm values or the state', () => {
    const tf = synth();
    const release = helmRelease(tf, 'jx-git-operator');
    // set_sensitive values live in the state; the chart's url/username/password stay unset.
    assert.equal(release.set_sensitive, undefined);
    const secrets = Object.entries(tf.resource.kubernetes_secret_v1 ?? {}).filter(([, s]) => (s.metadata as Record<string, unknown>).name === 'jx-boot');
    assert.equal(secrets.length, 1);
    const [id, secret] = secrets[0];
    assert.deepEqual(secret.metadata, {
      name: 'jx-boot',
      namespace: 'jx-git-operator',
      labels: { 'app.kubernetes.io/managed-by': 'terraform', 'app.kubernetes.io/part-of': 'gitops-platform', 'git-operator.jenkins.io/kind': 'git-operator' },
    });
    assert.equal(secret.data, undefined);
    assert.deepEqual(secret.data_wo, {
      url: 'https://github.com/company/jx3-dev-cluster.git',
      username: '${var.jenkins_x_git_username}',
      password: '${var.jenkins_x_git_token}',
    });
    assert.equal(secret.data_wo_revision, 1);
    assert.ok((release.depends_on as string[]).includes(`kubernetes_secret_v1.${id}`), 'the operator starts after its Secret');
    for (const name of ['jenkins_x_git_username', 'jenkins_x_git_token']) {
      assert.equal(tf.variable?.[name]?.sensitive, true, name);
      assert.equal(tf.variable?.[name]?.ephemeral, true, name);
      assert.equal(tf.variable?.[name]?.default, undefined, name);
    }
    const values = String((release.values as string[])[0]);
    assert.ok(!/password|token|username/.test(values));
  });

  it('installs the jenkins-x-crds release the boot job manages, in the jx namespace', () => {
    const release = helmRelease(synth(), 'jenkins-x-crds');
    assert.equal(release.version, '3.0.12');
    assert.equal(release.namespace, 'jx');
    assert.equal(release.values, undefined);
  });

  it('passes RBAC, poll interval and workload identity settings through', () => {
    const values = releaseValues(
      helmRelease(
        synth({
          gitOperator: {
            pollInterval: '1m',
            rbac: { clusterWide: false, strict: true },
            bootServiceAccount: { annotations: { 'iam.gke.io/gcp-service-account': 'jx-boot@project.iam.gserviceaccount.com' } },
          },
        }),
        'jx-git-operator',
      ),
    );
    assert.deepEqual(values.rbac, { cluster: false, strict: true });
    assert.deepEqual(values.env, { POLL_DURATION: '1m' });
    assert.deepEqual(values.bootServiceAccount, {
      enabled: true,
      annotations: { 'iam.gke.io/gcp-service-account': 'jx-boot@project.iam.gserviceaccount.com' },
    });
  });

  it('fails when strict RBAC has no boot service account', () => {
    assert.throws(() => makeStack(envWith({ gitOperator: { rbac: { strict: true }, bootServiceAccount: { enabled: false } } })), {
      message:
        "dev/JenkinsX/Install: bootServiceAccount is false. Strict RBAC stops the operator from creating the boot job's service account from the repository: keep bootServiceAccount on, or turn strict RBAC off.",
    });
  });

  it('fails when the poll interval is not a duration', () => {
    assert.throws(() => makeStack(envWith({ gitOperator: { pollInterval: 'often' } })), {
      message: 'dev/JenkinsX/Install: pollInterval is "often". Use a Go duration such as "20s" or "1m".',
    });
  });
});
