import * as path from 'path';
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import * as fs from 'fs';
import { parseAllDocuments } from 'yaml';
import { dev, ENVIRONMENTS, prod, staging } from '../../environments';
import { BOOTSTRAP_CHART } from '../../lib/platform/bootstrap';
import { STATUS_OUTPUTS } from '../../lib/platform/status';
import { helmRelease, objectsOf, releaseValues, synthEnvironment, SynthResult } from '../support/synth';
import { assertValidManifests } from '../support/validate';
import { assertValidConstraints, isConstraint } from '../lib/security/constraints';

const results = new Map<string, SynthResult>();
function synth(name: string): SynthResult {
  let result = results.get(name);
  if (!result) {
    result = synthEnvironment(ENVIRONMENTS.find((e) => e.name === name)!);
    results.set(name, result);
  }
  return result;
}
after(() => {
  for (const r of results.values()) fs.rmSync(r.directory, { recursive: true, force: true });
});

describe('GitOpsStack', () => {
  for (const env of [dev, staging, prod]) {
    describe(env.name, () => {
      it('configures the kubernetes and helm providers from the kubeconfig (helm 3.x object syntax)', () => {
        const { tf } = synth(env.name);
        assert.deepEqual(tf.provider?.kubernetes, [
          { config_path: '~/.kube/config', config_context: env.cluster.kubeconfigContext },
        ]);
        assert.deepEqual(tf.provider?.helm, [
          { kubernetes: { config_path: '~/.kube/config', config_context: env.cluster.kubeconfigContext } },
        ]);
      });

      it('keeps state outside cdktf.out/: local at a relative path out of the build folder, prod in S3 with a lock and encryption', () => {
        const { tf } = synth(env.name);
        if (env.tier === 'production') {
          assert.deepEqual(tf.terraform.backend, {
            s3: { bucket: 'company-gitops-terraform-state', key: 'gitops/prod.tfstate', region: 'us-east-1', encrypt: true, use_lockfile: true },
          });
        } else {
          assert.deepEqual(tf.terraform.backend, { local: { path: `../../../terraform-state/${env.name}.tfstate` } });
          // cdk.tf.json sits in cdktf.out/stacks/<env>/: the state resolves to <project>/terraform-state/.
          assert.equal(path.posix.join('cdktf.out/stacks', env.name, `../../../terraform-state/${env.name}.tfstate`), `terraform-state/${env.name}.tfstate`);
        }
      });

      it('installs the pinned argo-cd chart into the argocd namespace after the namespace', () => {
        const { tf } = synth(env.name);
        const release = helmRelease(tf, 'argocd');
        assert.equal(release.chart, 'argo-cd');
        assert.equal(release.namespace, 'argocd');
        assert.match(String(release.version), /^\d+\.\d+\.\d+$/);
        assert.equal(release.repository, 'https://argoproj.github.io/argo-helm');
        assert.equal(release.atomic, true);
        assert.deepEqual(release.depends_on, ['kubernetes_namespace_v1.Platform_Namespace-argocd_6BFCA5C2']);
      });

      it('installs the bootstrap chart from a relative asset after every controller release, namespace and repository Secret', () => {
        const { tf, files } = synth(env.name);
        const bootstrap = helmRelease(tf, BOOTSTRAP_CHART.chartName);
        assert.match(String(bootstrap.chart), /^assets\/[^/]+\/[0-9A-F]+$/i);
        const controllerIds = [
          ...Object.entries(tf.resource.helm_release)
            .filter(([, r]) => r.name !== BOOTSTRAP_CHART.chartName)
            .map(([id]) => `helm_release.${id}`),
          ...Object.keys(tf.resource.kubernetes_namespace_v1).map((id) => `kubernetes_namespace_v1.${id}`),
          // The repository Secrets the sync objects read; the others (Grafana's, jx-boot) come before their release.
          ...Object.entries(tf.resource.kubernetes_secret_v1 ?? {})
            .filter(([, secret]) => ['argocd', 'flux-system'].includes((secret.metadata as { namespace: string }).namespace))
            .map(([id]) => `kubernetes_secret_v1.${id}`),
        ].sort();
        assert.deepEqual([...(bootstrap.depends_on as string[])].sort(), controllerIds);
        assert.ok(files.has('bootstrap/Chart.yaml'));
        assert.equal(
          files.get('bootstrap/templates/manifests.yaml'),
          '{{- range $path, $_ := .Files.Glob "files/*.yaml" }}\n---\n{{ $.Files.Get $path }}\n{{- end }}\n',
        );
      });

      it('synthesizes only manifests that validate strictly against their upstream schemas', () => {
        const { objects } = synth(env.name);
        assert.ok(objects.length > 0);
        // Gatekeeper constraint kinds have no CRD file: each is validated against the
        // parameter schema of its own ConstraintTemplate (test/lib/security/constraints.ts).
        const all = objects.map((o) => o.object);
        assertValidManifests(
          all.filter((o) => !isConstraint(o)),
          `${env.name} manifests`,
        );
        assertValidConstraints(
          all.filter((o) => isConstraint(o)),
          all.filter((o) => o.kind === 'ConstraintTemplate'),
          `${env.name} constraints`,
        );
      });

      it('writes files that read back (YAML 1.1 and 1.2) as exactly the rendered objects', () => {
        const result = synth(env.name);
        // The overlay objects are built by kustomize from their overlays (test/lib/delivery/kustomize.test.ts).
        const rendered = result.stack.platform.tree.manifests().filter((m) => !m.overlay);
        for (const version of ['1.1', '1.2'] as const) {
          const read = rendered.map((m) => m.file).filter((f, i, all) => all.indexOf(f) === i)
            .flatMap((file) => parseAllDocuments(result.files.get(file)!, { version }).map((d) => d.toJS()));
          assert.deepEqual(read, rendered.map((m) => JSON.parse(JSON.stringify(m.object))));
        }
      });

      it('creates no kubernetes_manifest resource (custom resources go through the bootstrap chart)', () => {
        const { tf } = synth(env.name);
        assert.equal(tf.resource.kubernetes_manifest, undefined);
      });

      it('exposes the five status outputs with structured values', () => {
        const { tf } = synth(env.name);
        assert.deepEqual(Object.keys(tf.output).sort(), [...STATUS_OUTPUTS].sort());
        for (const name of STATUS_OUTPUTS) {
          const value = tf.output[name].value as Record<string, unknown>;
          assert.equal(value.environment, env.name, `${name}.environment`);
        }
        const patterns = tf.output.gitops_patterns_status.value as Record<string, Record<string, unknown>>;
        assert.deepEqual(patterns.repository, {
          url: env.gitops.repoUrl,
          revision: env.gitops.revision,
          path: `clusters/${env.name}`,
        });
        assert.match(String(patterns.argocd.status), /^\$\{helm_release\.[A-Za-z0-9_]+\.status\}$/);
        const multi = tf.output.multi_environment_status.value as Record<string, unknown>;
        assert.equal(multi.revision, env.gitops.revision);
        assert.equal(multi.tier, env.tier);
        assert.deepEqual(multi.prerequisites, {
          ingress_class: 'nginx',
          ingress_namespace: 'ingress-nginx',
          default_storage_class: true,
          storage_classes: env.name === 'prod' ? ['fast-ssd'] : [],
          nodes: env.name === 'dev' ? 2 : 3,
          istio: { installed: true, cni: true },
        });
        assert.equal((tf.terraform as Record<string, unknown>).required_version, '>= 1.11');
        const enterprise = tf.output.enterprise_gitops_status.value as Record<string, unknown>;
        assert.deepEqual(enterprise.modules_enabled, [...env.modules]);
      });

      it('writes the root app-of-apps with the seeds sync options and retry', () => {
        const result = synth(env.name);
        const [root] = objectsOf(result, 'Application', `${env.name}-root`);
        const spec = root.spec as Record<string, Record<string, unknown>>;
        assert.equal(spec.source.repoURL, env.gitops.repoUrl);
        assert.equal(spec.source.targetRevision, env.gitops.revision);
        assert.equal(spec.source.path, `clusters/${env.name}/apps`);
        // The seeds' options, plus respecting the Rollout-managed fields the delivery module lists.
        assert.deepEqual(spec.syncPolicy.syncOptions, ['CreateNamespace=true', 'PrunePropagationPolicy=foreground', 'PruneLast=true', 'RespectIgnoreDifferences=true']);
        assert.deepEqual((spec as unknown as { ignoreDifferences: Array<{ kind: string }> }).ignoreDifferences.map((d) => d.kind), ['VirtualService', 'DestinationRule']);
        assert.deepEqual(spec.syncPolicy.retry, { limit: 5, backoff: { duration: '5s', factor: 2, maxDuration: '3m' } });
        assert.deepEqual(root.metadata.finalizers, ['resources-finalizer.argocd.argoproj.io']);
        const file = result.objects.find((o) => o.object === root)!.file;
        assert.equal(file, 'bootstrap/files/argocd-root.yaml');
      });
    });
  }

  it('dev prunes automatically and runs single replicas without redis-ha', () => {
    const result = synth('dev');
    const [root] = objectsOf(result, 'Application', 'dev-root');
    assert.deepEqual((root.spec as Record<string, Record<string, unknown>>).syncPolicy.automated, {
      allowEmpty: false,
      prune: true,
      selfHeal: true,
    });
    const values = releaseValues(helmRelease(result.tf, 'argocd')) as Record<string, Record<string, unknown>>;
    assert.equal(values.server.replicas, 1);
    assert.equal(values.controller.replicas, 1);
    assert.equal(values.repoServer.replicas, 1);
    assert.deepEqual(values['redis-ha'], { enabled: false });
  });

  it('prod is highly available and does not prune automatically', () => {
    const result = synth('prod');
    const [root] = objectsOf(result, 'Application', 'prod-root');
    assert.deepEqual((root.spec as Record<string, Record<string, unknown>>).syncPolicy.automated, {
      allowEmpty: false,
      prune: false,
      selfHeal: true,
    });
    const values = releaseValues(helmRelease(result.tf, 'argocd')) as Record<string, Record<string, unknown>>;
    assert.equal(values.server.replicas, 3);
    assert.equal(values.controller.replicas, 3);
    assert.equal(values.repoServer.replicas, 3);
    assert.equal(values['redis-ha'].enabled, true);
  });

  it('tracks develop / staging / main as in the seeds', () => {
    assert.deepEqual(
      ENVIRONMENTS.map((e) => [e.name, e.gitops.revision]),
      [
        ['dev', 'develop'],
        ['staging', 'staging'],
        ['prod', 'main'],
        // prod's standby tracks prod's revision.
        ['dr', 'main'],
      ],
    );
  });
});

describe('GitOpsStack prerequisites', () => {
  it('every ingress the controllers create names the IngressClass the cluster has, and NetworkPolicies admit its namespace', () => {
    const env = { ...dev, prerequisites: { ...dev.prerequisites, ingress: { className: 'traefik', namespace: 'traefik' } } };
    const result = synthEnvironment(env);
    try {
      const argocd = releaseValues(helmRelease(result.tf, 'argocd')) as Record<string, any>;
      assert.equal(argocd.server.ingress.ingressClassName, 'traefik');
      const flux = releaseValues(helmRelease(result.tf, 'flux2')) as Record<string, any>;
      assert.equal(flux.notificationController.webhookReceiver.ingress.ingressClassName, 'traefik');
      const admitted = objectsOf(result, 'NetworkPolicy', 'allow-ingress-controller').map(
        (p) => (p as any).spec.ingress[0].from[0].namespaceSelector.matchLabels['kubernetes.io/metadata.name'],
      );
      assert.ok(admitted.length > 0);
      assert.deepEqual([...new Set(admitted)], ['traefik']);
    } finally {
      fs.rmSync(result.directory, { recursive: true, force: true });
    }
  });
});
