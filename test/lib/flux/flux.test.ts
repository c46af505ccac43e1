import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import * as fs from 'fs';
import { parseAllDocuments } from 'yaml';
import { dev, ENVIRONMENTS, prod, staging } from '../../../environments';
import { lockdownCheck, sectionPathCheck } from '../../../lib/flux/checks';
import { fluxServiceAccountName } from '../../../lib/flux/install';
import { FluxSettings } from '../../../lib/flux/settings';
import { Kustomization } from '../../../lib/flux/kustomization';
import { FluxSourceReference } from '../../../lib/flux/source';
import { EnvironmentConfig } from '../../../stacks/environment';
import { ManifestObject, RenderedManifest } from '../../../lib/platform/gitops-tree';
import { helmRelease, objectsOf, releaseValues, synthEnvironment, SynthResult } from '../../support/synth';
import { assertValidManifests } from '../../support/validate';
import { fluxFor, only, specOf, testEnvironment } from './support';

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

type Json = Record<string, any>;
const output = (r: SynthResult, name: string): Json => (r.tf.output[name].value as Json).flux as Json;
const fluxObjects = (r: SynthResult): ManifestObject[] => r.objects.map((o) => o.object).filter((o) => o.apiVersion.includes('.toolkit.fluxcd.io/'));
const plainManifests = (r: SynthResult, file: string): ManifestObject[] =>
  parseAllDocuments(r.files.get(file) ?? '').map((d) => d.toJS() as ManifestObject);
// The shipped Argo CD ingress names the shipped ClusterIssuer, which these Flux settings do not declare.
const withFlux = (flux: FluxSettings, overrides: Partial<EnvironmentConfig> = {}): EnvironmentConfig =>
  testEnvironment({ flux, argocd: { ...dev.argocd, ingress: undefined }, ...overrides });

describe('Flux module in the shipped environments', () => {
  for (const env of [dev, staging, prod]) {
    describe(env.name, () => {
      it('installs the pinned flux2 chart into flux-system with the lockdown and limits, without the chart\'s allow-all network policies', () => {
        const r = synth(env.name);
        const { tf } = r;
        const release = helmRelease(tf, 'flux2');
        assert.equal(release.chart, 'flux2');
        assert.equal(release.version, '2.18.3');
        assert.equal(release.repository, 'https://fluxcd-community.github.io/helm-charts');
        assert.equal(release.namespace, 'flux-system');
        assert.deepEqual(release.depends_on, ['kubernetes_namespace_v1.Platform_Namespace-flux-system_F8764411']);
        const values = releaseValues(release) as Json;
        assert.equal(values.installCRDs, true);
        assert.deepEqual(values.multitenancy, { enabled: true, defaultServiceAccount: 'default', privileged: true });
        // The security module's default-deny isolates flux-system; the chart's allow-all policies stay off.
        assert.deepEqual(values.policies, { create: false });
        assert.equal((r.tf.output.enterprise_gitops_status.value as Json).flux.network_policies, false);
        assert.equal(values.watchAllNamespaces, true);
        for (const controller of ['sourceController', 'kustomizeController', 'helmController', 'notificationController']) {
          assert.equal(values[controller].create, true, controller);
          assert.deepEqual(values[controller].resources, env.flux!.resources, controller);
        }
        assert.deepEqual(values.notificationController.webhookReceiver.ingress.hosts, [
          { host: `flux-webhook.${env.domain}`, paths: [{ path: '/', pathType: 'Prefix' }] },
        ]);
      });

      it('bootstraps the environment path through the bootstrap chart: GitRepository flux-system and infrastructure -> policies -> tenants', () => {
        const result = synth(env.name);
        const sync = result.objects.filter((o) => o.file === 'bootstrap/files/flux-sync.yaml').map((o) => o.object);
        assert.deepEqual(sync.map((o) => `${o.kind}/${o.metadata.name}`), [
          'GitRepository/flux-system',
          'Kustomization/infrastructure',
          'Kustomization/policies',
          'Kustomization/tenants',
          'Kustomization/cluster-issuers',
        ]);
        assert.deepEqual(specOf(sync[0]), {
          interval: env.flux!.intervals!.source,
          url: env.gitops.repoUrl,
          ref: { branch: env.gitops.revision },
          secretRef: { name: env.gitops.credentialsSecret },
        });
        const expectedDeps = [undefined, [{ name: 'infrastructure' }], [{ name: 'policies' }]];
        // The stages, then the ClusterIssuers once infrastructure (cert-manager's CRDs) is ready.
        sync.slice(1, 4).forEach((k, index) => {
          const spec = specOf(k);
          assert.equal(spec.path, `clusters/${env.name}/${k.metadata.name}`);
          assert.deepEqual(spec.sourceRef, { kind: 'GitRepository', name: 'flux-system' });
          assert.equal(spec.prune, env.syncPolicy.prune);
          assert.equal(spec.interval, env.flux!.intervals!.kustomization);
          assert.equal(spec.serviceAccountName, 'kustomize-controller');
          assert.equal(spec.wait, true);
          assert.deepEqual(spec.dependsOn, expectedDeps[index]);
        });
        assert.deepEqual(specOf(sync[4]).dependsOn, [{ name: 'infrastructure' }]);
        assert.equal(specOf(sync[4]).path, `clusters/${env.name}/cluster-config/cert-manager`);
      });

      it('never points a Kustomization at a missing path: every Flux section exists in the tree', () => {
        const { files } = synth(env.name);
        for (const section of ['infrastructure', 'policies', 'tenants']) {
          assert.ok(files.has(`${section}/README.md`), `${section}/README.md`);
        }
        assert.match(files.get('policies/README.md')!, /Reconciled by the Flux Kustomization `flux-system\/policies` after `flux-system\/infrastructure`/);
      });

      it('keeps the repository token out of every file: a Terraform Secret from a sensitive, write-only variable', () => {
        const { tf, files } = synth(env.name);
        const secrets = Object.values(tf.resource.kubernetes_secret_v1 ?? {}) as Json[];
        const secret = secrets.find((s) => s.metadata.namespace === 'flux-system')!;
        assert.deepEqual(secret.metadata.name, env.gitops.credentialsSecret);
        assert.equal(secret.metadata.namespace, 'flux-system');
        assert.deepEqual(secret.data_wo, { username: 'git', password: '${var.gitops_repo_token}' });
        assert.equal(secret.data, undefined);
        assert.equal(tf.variable?.gitops_repo_token?.sensitive, true);
        for (const [file, content] of files) assert.doesNotMatch(content, /var\.gitops_repo_token|ghp_|xox[bp]-|hooks\.slack\.com/, file);
      });

      it('puts tenants in the tenants section, depending on infrastructure', () => {
        const result = synth(env.name);
        const tenant = result.objects.filter((o) => o.file === 'tenants/team-a.yaml').map((o) => o.object);
        // One owner per object: Terraform creates the namespace team-a, the tenants section does not.
        assert.deepEqual(tenant.map((o) => o.kind), ['ServiceAccount', 'Role', 'RoleBinding', 'GitRepository', 'Kustomization', 'ExternalSecret']);
        const namespaces = Object.values(result.tf.resource.kubernetes_namespace_v1) as Json[];
        const teamA = namespaces.filter((n) => n.metadata.name === 'team-a');
        assert.equal(teamA.length, 1);
        assert.equal(teamA[0].metadata.labels['toolkit.fluxcd.io/tenant'], 'team-a');
        const terraformNamespaces = new Set(namespaces.map((n) => n.metadata.name));
        const alsoInTree = result.objects.filter((o) => o.object.kind === 'Namespace' && terraformNamespaces.has(o.object.metadata.name));
        assert.deepEqual(alsoInTree.map((o) => `${o.file}: ${o.object.metadata.name}`), [], 'no namespace is owned by Terraform and by the tree');
        const spec = specOf(only(tenant, 'Kustomization'));
        assert.equal(spec.path, `./clusters/${env.name}`);
        assert.equal(spec.targetNamespace, 'team-a');
        assert.equal(spec.serviceAccountName, 'team-a-reconciler');
        assert.deepEqual(spec.dependsOn, [{ name: 'infrastructure', namespace: 'flux-system' }]);
        assert.deepEqual(spec.healthChecks, [{ apiVersion: 'apps/v1', kind: 'Deployment', name: 'team-a-web-app', namespace: 'team-a' }]);
      });

      it('installs the add-ons from the internal chart mirror as HelmReleases in flux-system', () => {
        const result = synth(env.name);
        const repo = only(objectsOf(result, 'HelmRepository'), 'HelmRepository', 'platform-charts');
        assert.match(specOf(repo).url, /^https:\/\/gitlab\.company\.com\//);
        const releases = objectsOf(result, 'HelmRelease');
        assert.deepEqual(releases.map((r) => r.metadata.name).sort(), ['cert-manager', 'metrics-server']);
        for (const release of releases) {
          const spec = specOf(release);
          assert.equal(release.metadata.namespace, 'flux-system');
          assert.deepEqual(spec.chart.spec.sourceRef, { kind: 'HelmRepository', name: 'platform-charts' });
          assert.equal(spec.serviceAccountName, 'helm-controller');
          assert.deepEqual(spec.install.remediation, { retries: 3 });
          assert.deepEqual(spec.rollback, { cleanupOnFail: true });
          assert.equal(spec.interval, env.flux!.intervals!.helmRelease);
        }
        // No duplicate of what Terraform installs.
        const terraformCharts = Object.values(result.tf.resource.helm_release).map((r) => r.chart);
        for (const release of releases) assert.ok(!terraformCharts.includes(specOf(release).chart.spec.chart));
      });

      it('deploys the workload from a plain directory applied by its own Kustomization', () => {
        const result = synth(env.name);
        const kustomization = only(objectsOf(result, 'Kustomization'), 'Kustomization', 'workload-status-page');
        assert.equal(specOf(kustomization).path, `clusters/${env.name}/workloads/status-page`);
        assert.equal(result.files.get('workloads/status-page/kustomization.yaml'), 'apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n  - manifests.yaml\n');
        const workload = plainManifests(result, 'workloads/status-page/manifests.yaml');
        assert.deepEqual(workload.map((o) => `${o.kind}/${o.metadata.name}`), ['Namespace/status-page', 'ExternalSecret/ghcr-credentials', 'Deployment/status-page', 'Service/status-page']);
        const deployment = only(workload, 'Deployment');
        const pod = (deployment.spec as Json).template.spec;
        // The registry is private (dev and staging scan it with credentials): the kubelet pulls with
        // a docker-registry Secret the ExternalSecret beside it writes from the store.
        assert.deepEqual(pod.imagePullSecrets, [{ name: 'ghcr-credentials' }]);
        const pullSecret = only(workload, 'ExternalSecret');
        assert.equal(pullSecret.metadata.namespace, 'status-page');
        assert.deepEqual(specOf(pullSecret).data, [{ secretKey: '.dockerconfigjson', remoteRef: { key: 'flux/ghcr-credentials', property: '.dockerconfigjson' } }]);
        assert.deepEqual(specOf(pullSecret).target, { name: 'ghcr-credentials', creationPolicy: 'Owner', template: { engineVersion: 'v2', type: 'kubernetes.io/dockerconfigjson' } });
        assert.match(result.files.get('SECRETS.md')!, /\| `status-page\/ghcr-credentials` \| `\.dockerconfigjson` \| Deployment status-page\/status-page \|/);
        assert.equal(pod.securityContext.runAsNonRoot, true);
        assert.equal(pod.containers[0].securityContext.runAsNonRoot, true);
        assert.deepEqual(Object.keys(pod.containers[0].resources).sort(), ['limits', 'requests']);
        assert.equal(pod.containers[0].image, 'ghcr.io/company/status-page:v2.1.0');
      });

      it('writes only objects that validate strictly against their schemas', () => {
        const result = synth(env.name);
        const mine = result.objects.filter(
          (o) => o.object.apiVersion.includes('.toolkit.fluxcd.io/') || o.file.startsWith('tenants/') || o.file.startsWith('workloads/'),
        );
        assert.ok(mine.length >= 20, `${mine.length} objects`);
        assertValidManifests(mine.map((o) => o.object), `${env.name} Flux objects`);
        // The plain workload files are outside the charts: validate them here.
        assertValidManifests(plainManifests(result, 'workloads/status-page/manifests.yaml'), `${env.name} workload`);
      });

      it('holds no cross-namespace reference (the lockdown would reject it)', () => {
        const result = synth(env.name);
        const problems = lockdownCheck('flux-system').check(
          result.objects.map((o) => ({ ...o, section: 'infrastructure' }) as RenderedManifest),
          result.stack.platform,
        );
        assert.deepEqual(problems, []);
      });

      it('reports its part of the five status outputs from the real resources', () => {
        const result = synth(env.name);
        const patterns = output(result, 'gitops_patterns_status');
        assert.match(patterns.status, /^\$\{helm_release\.Flux_Install_[A-Z0-9]+\.status\}$/);
        assert.match(patterns.release, /^\$\{helm_release\.Flux_Install_[A-Z0-9]+\.name\}$/);
        assert.equal(patterns.chart_version, '2.18.3');
        assert.deepEqual(patterns.sync.source, {
          kind: 'GitRepository',
          name: 'flux-system',
          namespace: 'flux-system',
          url: env.gitops.repoUrl,
          ref: `branch ${env.gitops.revision}`,
          secret_ref: env.gitops.credentialsSecret,
        });
        assert.equal(patterns.sync.path, `clusters/${env.name}`);
        assert.deepEqual(patterns.sync.order, ['infrastructure', 'policies', 'tenants']);
        assert.deepEqual(patterns.sync.kustomizations.map((k: Json) => k.depends_on), [[], ['flux-system/infrastructure'], ['flux-system/policies']]);
        const enterprise = output(result, 'enterprise_gitops_status');
        assert.deepEqual(enterprise.tenants.map((t: Json) => [t.name, t.service_account, t.target_namespace]), [['team-a', 'team-a-reconciler', 'team-a']]);
        const multi = output(result, 'multi_environment_status');
        assert.equal(multi.revision, env.gitops.revision);
        assert.equal(multi.path, `clusters/${env.name}`);
        const automation = output(result, 'advanced_automation_status');
        assert.deepEqual(automation.kustomization_order, ['infrastructure', 'policies', 'tenants']);
        assert.equal(automation.image_automation.enabled, env.flux!.imageAutomation !== undefined);
        const security = output(result, 'gitops_security_status');
        assert.ok(security.secret_references.includes(`flux-system/${env.gitops.credentialsSecret}`));
      });
    });
  }

  it('dev: prune, short intervals, debug logs and image automation committing to develop (pre-releases included)', () => {
    const result = synth('dev');
    const infrastructure = only(fluxObjects(result), 'Kustomization', 'infrastructure');
    assert.equal(specOf(infrastructure).prune, true);
    assert.equal(specOf(infrastructure).interval, '5m');
    const values = releaseValues(helmRelease(result.tf, 'flux2')) as Json;
    assert.equal(values.logLevel, 'debug');
    assert.equal(values.imageAutomationController.create, true);
    assert.equal(values.imageReflectionController.create, true);
    const automation = only(fluxObjects(result), 'ImageUpdateAutomation');
    assert.deepEqual(specOf(automation).git.checkout, { ref: { branch: 'develop' } });
    assert.deepEqual(specOf(automation).git.push, { branch: 'develop' });
    assert.deepEqual(specOf(automation).update, { path: 'clusters/dev/workloads', strategy: 'Setters' });
    assert.deepEqual(specOf(only(fluxObjects(result), 'ImagePolicy')).policy, { semver: { range: '>=2.1.0-0 <3.0.0' } });
    assert.match(result.files.get('workloads/status-page/manifests.yaml')!, /image: ghcr\.io\/company\/status-page:v2\.1\.0 # \{"\$imagepolicy": "flux-system:status-page"\}/);
    assert.deepEqual(output(result, 'advanced_automation_status').image_automation.update_automation, {
      name: 'platform-workloads',
      checkout: 'branch develop',
      push_branch: 'develop',
      path: 'clusters/dev/workloads',
      interval: '1m',
    });
  });

  it('staging: releases only, committed to staging, with production-like intervals', () => {
    const result = synth('staging');
    assert.deepEqual(specOf(only(fluxObjects(result), 'ImagePolicy')).policy, { semver: { range: '>=2.1.0 <3.0.0' } });
    assert.deepEqual(specOf(only(fluxObjects(result), 'ImageUpdateAutomation')).git.push, { branch: 'staging' });
    assert.equal(specOf(only(fluxObjects(result), 'Kustomization', 'infrastructure')).interval, '10m');
  });

  it('prod: no prune, longer intervals, HA add-ons, more notifications and no automated image updates', () => {
    const result = synth('prod');
    const flux = fluxObjects(result);
    assert.equal(specOf(only(flux, 'Kustomization', 'infrastructure')).prune, false);
    assert.equal(specOf(only(flux, 'Kustomization', 'infrastructure')).interval, '30m');
    assert.equal(specOf(only(flux, 'GitRepository', 'flux-system')).interval, '5m');
    assert.equal(specOf(only(flux, 'Kustomization', 'team-a-apps')).prune, false);
    assert.deepEqual(flux.filter((o) => o.apiVersion.startsWith('image.toolkit.fluxcd.io/')), []);
    const values = releaseValues(helmRelease(result.tf, 'flux2')) as Json;
    assert.deepEqual([values.imageAutomationController, values.imageReflectionController], [{ create: false }, { create: false }]);
    assert.doesNotMatch(result.files.get('workloads/status-page/manifests.yaml')!, /\$imagepolicy/);
    assert.equal(specOf(only(flux, 'HelmRelease', 'cert-manager')).values.replicaCount, 2);
    // The start-up check job has requests and limits, as the workload-security policy (deny in prod) requires.
    assert.deepEqual(specOf(only(flux, 'HelmRelease', 'cert-manager')).values.startupapicheck, {
      resources: { requests: { cpu: '50m', memory: '128Mi' }, limits: { cpu: '500m', memory: '256Mi' } },
    });
    assert.deepEqual(flux.filter((o) => o.kind === 'Provider').map((o) => specOf(o).type), ['slack', 'msteams', 'generic', 'github']);
    assert.equal(specOf(only(flux, 'Alert', 'slack')).eventSeverity, 'info');
    assert.equal(specOf(only(flux, 'Alert', 'msteams')).eventSeverity, 'error');
    assert.equal(output(result, 'advanced_automation_status').image_automation.update_automation, null);
    assert.equal(output(result, 'multi_environment_status').prune, false);
  });

  it('dev and staging alert chat on failures only; every provider reads its address or token from a Secret', () => {
    for (const name of ['dev', 'staging']) {
      const flux = fluxObjects(synth(name));
      assert.equal(specOf(only(flux, 'Alert', 'slack')).eventSeverity, 'error');
      for (const provider of flux.filter((o) => o.kind === 'Provider')) {
        assert.ok(specOf(provider).secretRef.name, provider.metadata.name!);
        if (specOf(provider).type !== 'github') assert.equal(specOf(provider).address, undefined);
      }
    }
  });
});

describe('Flux module settings', () => {
  it('fails when production pushes automated image updates to the branch it deploys', () => {
    const environment = testEnvironment({
      ...prod,
      name: 'prod2',
      flux: { ...prod.flux, imageAutomation: {} },
    });
    assert.throws(() => fluxFor(environment), {
      message:
        'Environment "prod2": flux.imageAutomation.pushBranch is "main". Production must not receive automated image updates on the branch it deploys ("main"): push to another branch (e.g. "image-updates/prod2") and merge by pull request, or turn image automation off.',
    });
    // Pushing to a review branch is fine.
    const { flux } = fluxFor({ ...environment, flux: { ...prod.flux, imageAutomation: { pushBranch: 'image-updates/prod' } } });
    assert.equal(flux.imageUpdateAutomation?.pushBranch, 'image-updates/prod');
  });

  it('pulls a workload\'s image anonymously unless it names a pull secret, and rejects a pull secret that is not a Secret name', () => {
    const workload = { name: 'status-page', image: 'ghcr.io/company/status-page', tag: 'v2.1.0', port: 8080 };
    const { flux } = fluxFor(withFlux({ workloads: [workload] }));
    const objects = flux.workloads[0].directory.objects;
    assert.deepEqual(objects.map((o) => o.kind), ['Namespace', 'Deployment', 'Service']);
    assert.equal('imagePullSecrets' in (only(objects, 'Deployment').spec as Json).template.spec, false);
    assert.throws(() => fluxFor(withFlux({ workloads: [{ ...workload, imagePullSecret: 'Bad Name' }] })), {
      name: 'ConfigError',
      message: /imagePullSecret is "Bad Name"\. Give the name of a Kubernetes Secret/,
    });
  });

  it('fails on settings that cannot work together', () => {
    assert.throws(() => fluxFor(withFlux({ tenants: [{ name: 'team-a', repoUrl: 'https://github.com/company/a' }], watchAllNamespaces: false })), {
      message: 'Environment "test": flux.watchAllNamespaces is false. Tenants live in their own namespaces; keep watchAllNamespaces true or remove the tenants.',
    });
    assert.throws(() => fluxFor(withFlux({ imageAutomation: {} })), {
      message: 'Environment "test": flux.imageAutomation is {}. There is nothing to update: add flux.workloads or remove flux.imageAutomation.',
    });
    assert.throws(() => fluxFor(withFlux({ addons: [{ name: 'x', chart: 'x', version: '1.x', namespace: 'x' }] })), {
      message: 'Environment "test": flux.chartRepository is not set. Add-ons need a chart repository: set flux.chartRepository.url (an internal mirror).',
    });
    assert.throws(() => fluxFor(withFlux({ intervals: { kustomization: '10' } })), {
      message: 'Environment "test": flux.intervals.kustomization is "10". Use a Go duration such as "30s", "5m" or "1h30m".',
    });
    assert.throws(() => fluxFor(withFlux({ gitCredentials: 'terraform-variable' }, { gitops: { ...dev.gitops, credentialsSecret: undefined } })), {
      message: 'Environment "test": gitops.credentialsSecret is not set. flux.gitCredentials "terraform-variable" creates that Secret: name it in gitops.credentialsSecret.',
    });
    assert.throws(() => fluxFor(withFlux({ tenants: [{ name: 'Team A', repoUrl: 'https://github.com/company/a' }] })), {
      message:
        'Environment "test": flux.tenants[0].name is "Team A". Use a namespace name: a DNS label of lowercase letters, digits and "-", starting and ending with a letter or digit, at most 63 characters.',
    });
    assert.throws(
      () =>
        fluxFor(
          withFlux({
            chartRepository: { url: 'https://charts.example.com' },
            addons: [{ name: 'x', chart: 'x', version: 'newest', namespace: 'x' }],
          }),
        ),
      {
        message:
          'HelmReleaseChart: version is "newest". It is not a SemVer range ("newest" is not a comparator such as ">=1.2.0", "~1.2" or "1.x"); use an exact version ("45.7.1") or a range such as "45.x", "~45.7" or ">=45.0.0 <46.0.0".',
      },
    );
  });

  it('fails when the chart\'s network policies are asked for beside the security module\'s default-deny', () => {
    assert.throws(() => fluxFor(withFlux({ networkPolicies: true })), {
      message:
        'Environment "test": flux.networkPolicies is true. The flux2 chart\'s policies allow all egress and admit every namespace beside the security module\'s default-deny; remove flux.networkPolicies (the security module isolates flux-system).',
    });
    const alone = fluxFor(withFlux({}, { modules: ['flux'] }));
    assert.equal(alone.flux.install.networkPolicies, true, 'without the security module the chart isolates flux-system');
  });

  it('tells the deploy model which network policies the chart creates: none beside the security module, the chart\'s three alone', () => {
    const isolated = fluxFor(withFlux({}));
    assert.equal(isolated.flux.install.networkPolicies, false);
    assert.deepEqual(isolated.platform.chartFacts(isolated.flux.install.install)?.networkPolicies, []);
    const alone = fluxFor(withFlux({}, { modules: ['flux'] }));
    assert.deepEqual(
      alone.platform.chartFacts(alone.flux.install.install)?.networkPolicies?.map((p) => (p.metadata as { name: string }).name),
      ['allow-egress', 'allow-scraping', 'allow-webhooks'],
    );
  });

  it('the security module\'s flux-system policies admit what Flux needs', () => {
    const flux = synth('prod').objects.map((o) => o.object).filter((o) => o.kind === 'NetworkPolicy' && o.metadata.namespace === 'flux-system') as Json[];
    const byName = new Map(flux.map((p) => [p.metadata.name, p.spec]));
    assert.ok(byName.has('default-deny-all'));
    // source-controller serves artifacts (9090) to the other controllers, notification-controller takes their events.
    assert.deepEqual(byName.get('allow-same-namespace').ingress, [{ from: [{ podSelector: {} }] }]);
    assert.deepEqual(byName.get('allow-same-namespace').egress, [{ to: [{ podSelector: {} }] }]);
    const fromNamespace = (name: string): Json[] =>
      ['allow-ingress-controller', 'allow-metrics-scraping']
        .map((n) => byName.get(n))
        .filter((spec) => spec && spec.ingress[0].from[0].namespaceSelector.matchLabels['kubernetes.io/metadata.name'] === name);
    assert.deepEqual(fromNamespace('ingress-nginx')[0].ingress[0].ports, [{ protocol: 'TCP', port: 9292 }], 'the webhook receiver');
    assert.deepEqual(fromNamespace('monitoring')[0].ingress[0].ports, [{ protocol: 'TCP', port: 8080 }], 'metrics');
    assert.deepEqual(byName.get('allow-api-server-and-https').egress[0].ports.map((p: Json) => p.port), [443, 6443]);
  });

  it('works with the defaults: Secret credentials, no add-ons, no notifications, lockdown on', () => {
    const { flux, platform, manifests } = fluxFor(withFlux({}));
    assert.equal(flux.gitCredentials, undefined);
    assert.equal(flux.install.multiTenancyLockdown, true);
    assert.deepEqual(flux.install.controllers, ['sourceController', 'kustomizeController', 'helmController', 'notificationController']);
    assert.deepEqual(
      manifests().map((o) => `${o.kind}/${o.metadata.name}`),
      ['GitRepository/flux-system', 'Kustomization/infrastructure', 'Kustomization/policies', 'Kustomization/tenants'],
    );
    const kustomization = only(manifests(), 'Kustomization', 'infrastructure');
    assert.equal(specOf(kustomization).interval, '10m');
    assert.deepEqual(platform.sensitiveVariableNames, []);
  });

  it("reads its Secrets from a store handle of the team's own; without one they are prerequisites", () => {
    const environment = testEnvironment({ modules: ['flux'] });
    const { platform, flux, manifests } = fluxFor(environment, { secretStore: { name: 'team-vault', kind: 'ClusterSecretStore' } });
    assert.deepEqual(flux.secretStore, { name: 'team-vault', kind: 'ClusterSecretStore' });
    const externalSecrets = manifests().filter((o) => o.kind === 'ExternalSecret');
    assert.deepEqual(
      externalSecrets.map((o) => `${o.metadata.namespace}/${o.metadata.name}`).sort(),
      ['flux-system/flux-github-token', 'flux-system/flux-slack-webhook', 'flux-system/flux-webhook-token', 'flux-system/ghcr-credentials', 'flux-system/platform-charts-credentials', 'team-a/team-a-git-credentials'],
    );
    for (const o of externalSecrets) assert.deepEqual((o.spec as { secretStoreRef: unknown }).secretStoreRef, { name: 'team-vault', kind: 'ClusterSecretStore' }, String(o.metadata.name));
    assertValidManifests(externalSecrets);
    assert.ok(!platform.secrets.prerequisites.some((s) => s.name === 'flux-slack-webhook'));

    const without = fluxFor(environment);
    assert.equal(without.manifests().filter((o) => o.kind === 'ExternalSecret').length, 0);
    assert.ok(without.platform.secrets.prerequisites.some((s) => s.name === 'flux-slack-webhook'));
  });

  it('tells other modules which account their Flux objects in flux-system must use', () => {
    assert.equal(fluxServiceAccountName(dev, 'Kustomization'), 'kustomize-controller');
    assert.equal(fluxServiceAccountName(prod, 'HelmRelease'), 'helm-controller');
    assert.equal(fluxServiceAccountName({ flux: { multiTenancyLockdown: false } }, 'Kustomization'), undefined);
    assert.equal(fluxServiceAccountName({}, 'HelmRelease'), 'helm-controller');
  });

  it('decrypts with SOPS only in the sections listed, after the stage that creates the key', () => {
    const { manifests } = fluxFor(withFlux({ sopsKeySecret: 'sops-age', sopsSections: ['policies', 'tenants'] }));
    const decryption = (stage: string) => specOf(only(manifests(), 'Kustomization', stage)).decryption;
    assert.equal(decryption('infrastructure'), undefined);
    for (const stage of ['policies', 'tenants']) assert.deepEqual(decryption(stage), { provider: 'sops', secretRef: { name: 'sops-age' } });
    for (const env of [dev, staging, prod]) {
      assert.deepEqual(env.flux?.sopsSections, ['policies', 'tenants'], env.name);
      assert.equal(env.flux?.sopsKeySecret, env.security?.sops?.ageKeySecret, `${env.name}: the key the security module materialises`);
    }
  });

  it('fails when SOPS sections are not synced sections or have no key', () => {
    assert.throws(() => fluxFor(withFlux({ sopsKeySecret: 'sops-age', sopsSections: ['apps'] })), {
      message: 'Environment "test": flux.sopsSections is ["apps"]. List synced sections (infrastructure, policies, tenants).',
    });
    assert.throws(() => fluxFor(withFlux({ sopsSections: ['tenants'] })), { message: /flux\.sopsSections is \["tenants"\]\. Set flux\.sopsKeySecret/ });
  });

  it('without the lockdown the platform objects act as the controllers themselves', () => {
    const { manifests } = fluxFor(withFlux({ multiTenancyLockdown: false, sopsKeySecret: 'sops-age' }));
    const spec = specOf(only(manifests(), 'Kustomization', 'policies'));
    assert.equal(spec.serviceAccountName, undefined);
    assert.deepEqual(spec.decryption, { provider: 'sops', secretRef: { name: 'sops-age' } });
  });
});

describe('Flux synth-time checks', () => {
  const { platform: anyPlatform } = fluxFor(withFlux({}));
  const manifest = (object: Json, file = 'infrastructure/x.yaml'): RenderedManifest => ({ file, section: 'infrastructure', object: object as ManifestObject });

  it('lockdown: flags cross-namespace references and platform objects without a service account', () => {
    const problems = lockdownCheck('flux-system').check([
      manifest({
        apiVersion: 'helm.toolkit.fluxcd.io/v2',
        kind: 'HelmRelease',
        metadata: { name: 'kps', namespace: 'monitoring' },
        spec: { chart: { spec: { chart: 'kps', sourceRef: { kind: 'HelmRepository', name: 'prometheus-community', namespace: 'flux-system' } } } },
      }),
      manifest({ apiVersion: 'kustomize.toolkit.fluxcd.io/v1', kind: 'Kustomization', metadata: { name: 'apps', namespace: 'flux-system' }, spec: { sourceRef: { kind: 'GitRepository', name: 'flux-system' } } }),
      manifest({ apiVersion: 'notification.toolkit.fluxcd.io/v1beta3', kind: 'Alert', metadata: { name: 'a', namespace: 'flux-system' }, spec: { eventSources: [{ kind: 'Kustomization', name: '*', namespace: 'team-a' }] } }),
    ], anyPlatform);
    assert.deepEqual(problems, [
      'HelmRelease monitoring/kps (infrastructure/x.yaml): spec.chart.spec.sourceRef points to HelmRepository flux-system/prometheus-community, in another namespace; the lockdown forbids cross-namespace references. Move one of them into monitoring.',
      'Kustomization flux-system/apps (infrastructure/x.yaml): no spec.serviceAccountName, so under the lockdown it acts as flux-system/default, which may do nothing. Set serviceAccountName: kustomize-controller.',
      'Alert flux-system/a (infrastructure/x.yaml): spec.eventSources[0] points to Kustomization team-a/*, in another namespace; the lockdown forbids cross-namespace references. Move one of them into flux-system.',
    ]);
  });

  it('section paths: flags a Kustomization over a section with no objects and no marker', () => {
    const check = sectionPathCheck('clusters/dev', () => new Set(['infrastructure']));
    const kustomization = (name: string, path: string) =>
      manifest({ apiVersion: 'kustomize.toolkit.fluxcd.io/v1', kind: 'Kustomization', metadata: { name, namespace: 'flux-system' }, spec: { path } }, 'bootstrap/files/flux-sync.yaml');
    assert.deepEqual(
      check.check([
        kustomization('infrastructure', 'clusters/dev/infrastructure'),
        kustomization('apps', './clusters/dev/apps'),
        kustomization('other', 'clusters/dev/workloads/x'),
      ], anyPlatform),
      [
        'Kustomization flux-system/apps (bootstrap/files/flux-sync.yaml): spec.path clusters/dev/apps would not exist in Git: the apps section has no objects. Add objects to it or remove the Kustomization.',
      ],
    );
  });

  it('fails synthesis when an environment object breaks the lockdown', () => {
    const { platform } = fluxFor(withFlux({}));
    new Kustomization(platform.tree.chart('infrastructure', 'extra'), 'cross', {
      namespace: 'apps',
      source: FluxSourceReference.gitRepository('flux-system', 'flux-system'),
      serviceAccountName: 'apps',
    });
    assert.throws(() => platform.runManifestChecks(platform.tree.manifests()), {
      message:
        'Environment "test": 1 policy violation(s):\n  - [flux-multi-tenancy-lockdown] Kustomization apps/cross (infrastructure/extra.yaml): spec.sourceRef points to GitRepository flux-system/flux-system, in another namespace; the lockdown forbids cross-namespace references. Move one of them into apps.',
    });
  });

  it('flags the seed monitoring HelmRelease (in monitoring, its source in flux-system) under the lockdown', () => {
    const text = fs.readFileSync(`${__dirname}/fixtures/seed-001-helm-controller.yaml`, 'utf8');
    const seed = parseAllDocuments(text).map((d) => d.toJS() as ManifestObject);
    const problems = lockdownCheck('flux-system').check(seed.map((object) => manifest(object)), anyPlatform);
    assert.equal(problems.length, 1, 'the seed release in monitoring references flux-system: under the lockdown it must move');
  });
});
