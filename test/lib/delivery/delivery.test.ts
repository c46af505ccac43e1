import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import * as fs from 'fs';
import { parseAllDocuments } from 'yaml';
import { dev, ENVIRONMENTS, prod, staging } from '../../../environments';
import { environmentLabels } from '../../../lib/delivery/context';
import { CHARTS } from '../../../lib/platform/catalogue';
import { EnvironmentConfig } from '../../../stacks/environment';
import { ManifestObject } from '../../../lib/platform/gitops-tree';
import { Platform } from '../../../lib/platform/platform';
import { helmRelease, releaseValues, synthEnvironment, SynthResult, cachedSynth } from '../../support/synth';
import { assertValidManifests } from '../../support/validate';
import { at } from './helpers';

const synth = cachedSynth();
/** The shipped environments with the flux engine (same names, their own cache). */
const fluxSynth = cachedSynth();

/** The objects the delivery overlays build (what the checks read; not the Kustomize bases). */
function live(result: SynthResult, kind?: string): ManifestObject[] {
  return result.objects
    .filter((o) => /^apps\/delivery\/[a-z-]+\/overlays\/[a-z]+$/.test(o.file))
    .map((o) => o.object)
    .filter((o) => kind === undefined || o.kind === kind);
}

function rollout(result: SynthResult, service: string): ManifestObject {
  const name = `${result.stack.platform.environment.name}-${service}`;
  const found = live(result, 'Rollout').find((o) => o.metadata.name === name);
  assert.ok(found, `Rollout ${name}`);
  return found;
}

function deliveryStatus(result: SynthResult): Record<string, unknown> {
  return (result.tf.output.advanced_automation_status.value as Record<string, Record<string, unknown>>).delivery;
}

describe('Delivery in the shipped environments', () => {
  for (const env of [dev, staging, prod]) {
    describe(env.name, () => {
      it('installs the pinned argo-rollouts chart with its CRDs, non-root, after its namespace', () => {
        const { tf } = synth(env);
        const release = helmRelease(tf, 'argo-rollouts');
        assert.equal(release.chart, 'argo-rollouts');
        assert.equal(release.version, CHARTS.argoRollouts.version);
        assert.equal(release.repository, 'https://argoproj.github.io/argo-helm');
        assert.equal(release.namespace, 'argo-rollouts');
        assert.equal((release.depends_on as string[]).length, 1);
        assert.match((release.depends_on as string[])[0], /^kubernetes_namespace_v1\.Platform_Namespace-argo-rollouts_[0-9A-F]+$/);
        const values = releaseValues(release) as Record<string, Record<string, unknown>>;
        assert.equal(values.installCRDs, true);
        assert.equal(values.keepCRDs, true);
        assert.deepEqual(values.podSecurityContext, { runAsNonRoot: true });
        assert.deepEqual(at(values, 'controller.resources.limits'), { cpu: '500m', memory: '512Mi' });
      });

      it('builds a Rollout, its Services and (for the canary) its Istio objects from one overlay per service', () => {
        const result = synth(env);
        const files = [...new Set(live(result).map((o) => result.objects.find((x) => x.object === o)!.file))].sort();
        const components = env.name === 'dev' ? ['backend-api', 'database', 'frontend', 'worker-service'] : ['analysis', 'backend-api', 'database', 'frontend', 'worker-service'];
        assert.deepEqual(files, components.map((c) => `apps/delivery/${c}/overlays/${env.name}`));
        const names = live(result).map((o) => `${o.kind}/${o.metadata.name}`).sort();
        const p = `${env.name}-`;
        assert.deepEqual(names.filter((n) => !n.startsWith('AnalysisTemplate/')), [
          `DestinationRule/${p}frontend-dr`,
          `NetworkPolicy/${p}backend-api`,
          `NetworkPolicy/${p}database`,
          `NetworkPolicy/${p}frontend`,
          `NetworkPolicy/${p}worker-service`,
          `Rollout/${p}backend-api`,
          `Rollout/${p}database`,
          `Rollout/${p}frontend`,
          `Rollout/${p}worker-service`,
          `Service/${p}backend-api`,
          `Service/${p}backend-api-preview`,
          `Service/${p}database`,
          `Service/${p}frontend`,
          `Service/${p}frontend-canary`,
          `Service/${p}frontend-stable`,
          `Service/${p}worker-service`,
          `ServiceMonitor/${p}backend-api`,
          `ServiceMonitor/${p}database`,
          `ServiceMonitor/${p}frontend`,
          `ServiceMonitor/${p}worker-service`,
          `VirtualService/${p}frontend-vs`,
        ]);
        for (const object of live(result)) assert.equal(object.metadata.namespace, env.name, `${object.kind}/${object.metadata.name}`);
      });

      it('has Prometheus scrape every service through each of its Services, and lets Prometheus in on the port', () => {
        const result = synth(env);
        const p = `${env.name}-`;
        for (const service of ['backend-api', 'database', 'frontend', 'worker-service']) {
          const monitor = live(result, 'ServiceMonitor').find((o) => o.metadata.name === `${p}${service}`)!;
          const selector = { app: service, environment: env.name };
          assert.deepEqual(at(monitor, 'spec'), { endpoints: [{ interval: '30s', path: '/metrics', port: 'http' }], selector: { matchLabels: selector } });
          // The analysis queries select by the Service name: the monitor must match every Service of the Rollout.
          const services = live(result, 'Service').filter((o) => (o.metadata.labels as Record<string, string>).app === service);
          assert.ok(services.length >= 1);
          for (const svc of services) {
            const labels = svc.metadata.labels as Record<string, string>;
            for (const [k, v] of Object.entries(selector)) assert.equal(labels[k], v, `${svc.metadata.name} ${k}`);
            assert.deepEqual((at(svc, 'spec.ports') as Array<{ name: string }>).map((x) => x.name), ['http']);
          }
          const policy = live(result, 'NetworkPolicy').find((o) => o.metadata.name === `${p}${service}`)!;
          assert.deepEqual(at(policy, 'spec.podSelector'), { matchLabels: selector });
          assert.deepEqual(at(policy, 'spec.policyTypes'), ['Ingress']);
          const from = (ns: string) => ({ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': ns } } });
          assert.deepEqual(at(policy, 'spec.ingress'), [
            { from: [{ podSelector: {} }] },
            { from: [from('ingress-nginx'), from('istio-system')], ports: [{ port: 8080, protocol: 'TCP' }] },
            { from: [from('monitoring')], ports: [{ port: 8080, protocol: 'TCP' }] },
          ]);
        }
      });

      it('orders the services with Argo CD sync waves: database, backend-api, then frontend and worker-service', () => {
        const result = synth(env);
        const waves: Record<string, string> = {};
        for (const object of live(result)) {
          const wave = (object.metadata.annotations as Record<string, string>)['argocd.argoproj.io/sync-wave'];
          const service = object.kind === 'AnalysisTemplate' ? 'analysis' : String((object.metadata.labels as Record<string, string>).app);
          assert.ok(waves[service] === undefined || waves[service] === wave, `${service} objects share one wave`);
          waves[service] = wave;
        }
        assert.deepEqual(waves, {
          ...(env.name === 'dev' ? {} : { analysis: '-1' }),
          database: '0',
          'backend-api': '1',
          frontend: '2',
          'worker-service': '2',
        });
      });

      it('runs pinned images as non-root with requests and limits', () => {
        const result = synth(env);
        for (const object of live(result, 'Rollout')) {
          assert.equal(at(object, 'spec.template.spec.securityContext.runAsNonRoot'), true);
          for (const container of at(object, 'spec.template.spec.containers') as unknown[]) {
            assert.match(String(at(container, 'image')), /^ghcr\.io\/company\/[a-z-]+:v\d+\.\d+\.\d+$/);
            assert.equal(at(container, 'securityContext.runAsNonRoot'), true);
            for (const key of ['requests', 'limits']) {
              assert.ok(at(container, `resources.${key}.cpu`), `${object.metadata.name} ${key}.cpu`);
              assert.ok(at(container, `resources.${key}.memory`), `${object.metadata.name} ${key}.memory`);
            }
          }
        }
      });

      it('uses the seeds health check paths and strategies', () => {
        const result = synth(env);
        const probe = (service: string) => at(rollout(result, service), 'spec.template.spec.containers.0.readinessProbe.httpGet.path');
        assert.equal(probe('database'), '/health');
        assert.equal(probe('backend-api'), '/api/health');
        assert.equal(probe('frontend'), '/health');
        assert.equal(probe('worker-service'), '/worker/health');
        assert.equal(at(rollout(result, 'database'), 'spec.strategy.canary.steps'), undefined);
        assert.equal(at(rollout(result, 'backend-api'), 'spec.strategy.blueGreen.autoPromotionEnabled'), false);
        assert.equal(at(rollout(result, 'backend-api'), 'spec.strategy.blueGreen.previewService'), `${env.name}-backend-api-preview`);
        assert.equal(at(rollout(result, 'frontend'), 'spec.strategy.canary.trafficRouting.istio.virtualService.name'), `${env.name}-frontend-vs`);
      });

      it('creates the services namespace with Istio sidecar injection', () => {
        const { tf } = synth(env);
        const namespaces = Object.values(tf.resource.kubernetes_namespace_v1 ?? {}) as Array<{ metadata: { name: string; labels: Record<string, string> } }>;
        const ns = namespaces.find((n) => n.metadata.name === env.name);
        assert.ok(ns, `namespace ${env.name}`);
        assert.equal(ns.metadata.labels['istio-injection'], 'enabled');
      });

      it('keeps {{args.service-name}} in the synced AnalysisTemplates (plain YAML, not a Helm template)', (t) => {
        const { files } = synth(env);
        if (env.name === 'dev') {
          assert.equal([...files.keys()].some((f) => f.startsWith('apps/delivery/analysis/')), false);
          t.diagnostic('dev runs no analysis, so it has no AnalysisTemplates');
          return;
        }
        assert.match(files.get('apps/delivery/analysis/base/analysistemplate.yaml')!, /service="\{\{args\.service-name\}\}"/);
        assert.ok(![...files.keys()].some((f) => f.startsWith('bootstrap/') && f.includes('delivery')));
      });

      it('writes each service once: its overlay in the apps kustomization, no manifest file beside it', () => {
        const { files } = synth(env);
        const resources = (parseAllDocuments(files.get('apps/kustomization.yaml')!)[0].toJS() as { resources: string[] }).resources;
        const components = env.name === 'dev' ? ['backend-api', 'database', 'frontend', 'worker-service'] : ['analysis', 'backend-api', 'database', 'frontend', 'worker-service'];
        assert.deepEqual(resources.filter((r) => r.startsWith('delivery')), components.map((c) => `delivery/${c}/overlays/${env.name}`));
        assert.deepEqual([...files.keys()].filter((f) => /^apps\/delivery-/.test(f)), []);
        // One base and this environment's overlay per component, the base split per kind, the overlay's patches beside it.
        const overlay = parseAllDocuments(files.get(`apps/delivery/frontend/overlays/${env.name}/kustomization.yaml`)!)[0].toJS() as Record<string, unknown>;
        const patchFiles = ((overlay.patches ?? []) as Array<{ path: string }>).map((p) => p.path);
        assert.deepEqual(patchFiles, env.name === 'staging' ? [] : ['patch-rollout-frontend.yaml'], 'staging runs the base strategy; dev and prod patch it');
        assert.deepEqual(
          [...files.keys()].filter((f) => f.startsWith('apps/delivery/frontend/')),
          ['destinationrule', 'kustomization', 'kustomizeconfig', 'networkpolicy', 'rollout', 'service', 'servicemonitor', 'virtualservice']
            .map((f) => `apps/delivery/frontend/base/${f}.yaml`)
            .concat(['kustomization.yaml', ...patchFiles].map((f) => `apps/delivery/frontend/overlays/${env.name}/${f}`)),
        );
        // Argo CD orders the services by the sync wave the overlay puts on every object.
        assert.deepEqual(overlay.commonAnnotations, { 'argocd.argoproj.io/sync-wave': '2' });
      });

      it('validates every delivery object strictly, and the bases', () => {
        const result = synth(env);
        const mine = live(result);
        assert.equal(mine.filter((o) => o.kind === 'Rollout').length, 4);
        assert.ok(mine.length > 20);
        assertValidManifests(mine, `${env.name} delivery objects`);
        const bases = [...result.files]
          .filter(([file]) => /^apps\/delivery\/[a-z-]+\/base\/[a-z]+\.yaml$/.test(file) && !/\/(kustomization|kustomizeconfig)\.yaml$/.test(file))
          .flatMap(([, content]) => parseAllDocuments(content).map((d) => d.toJS() as ManifestObject));
        assert.equal(bases.length, mine.length, 'each base holds the objects its overlay builds');
        assertValidManifests(bases, `${env.name} Kustomize bases`);
      });


      it('writes the same base and overlay files with the flux engine, applied by Flux instead of the apps kustomization', () => {
        const result = synth(env);
        const flux = fluxSynth({ ...env, delivery: { ...env.delivery, engine: 'flux' } });
        const delivery = (files: ReadonlyMap<string, string>) => [...files].filter(([f]) => f.startsWith('apps/delivery/'));
        assert.deepEqual(delivery(flux.files), delivery(result.files));
        assert.deepEqual(live(flux), live(result), 'the checks read the same objects with either engine');
        const resources = (parseAllDocuments(flux.files.get('apps/kustomization.yaml')!)[0].toJS() as { resources: string[] }).resources;
        assert.deepEqual(resources.filter((r) => r.startsWith('delivery')), []);
      });
    });
  }

  it('dev runs single replicas, the newest tags and no analysis', () => {
    const result = synth(dev);
    for (const object of live(result, 'Rollout')) assert.equal(at(object, 'spec.replicas'), 1);
    assert.equal(live(result, 'AnalysisTemplate').length, 0);
    assert.deepEqual(
      (at(rollout(result, 'frontend'), 'spec.strategy.canary.steps') as unknown[]).map((s) => Object.keys(s as object)[0]),
      ['setWeight', 'pause', 'setWeight', 'pause', 'setWeight'],
    );
    assert.equal(at(rollout(result, 'backend-api'), 'spec.strategy.blueGreen.prePromotionAnalysis'), undefined);
    assert.equal(at(rollout(result, 'frontend'), 'spec.template.spec.containers.0.image'), 'ghcr.io/company/web-app:v1.3.0');
  });

  it('staging analyses the 10/50/100 canary and the blue-green promotion with two replicas', () => {
    const result = synth(staging);
    for (const object of live(result, 'Rollout')) assert.equal(at(object, 'spec.replicas'), 2);
    assert.deepEqual(live(result, 'AnalysisTemplate').map((o) => o.metadata.name).sort(), ['error-rate', 'preview-load', 'success-rate']);
    const steps = at(rollout(result, 'frontend'), 'spec.strategy.canary.steps') as unknown[];
    assert.deepEqual(steps.filter((s) => at(s, 'setWeight') !== undefined).map((s) => at(s, 'setWeight')), [10, 50, 100]);
    assert.deepEqual(steps.filter((s) => at(s, 'analysis') !== undefined).map((s) => at(s, 'analysis.args.0.value')), [
      'staging-frontend-canary',
      'staging-frontend-canary',
    ]);
    // The preview gets real requests from the load Job while its success rate is measured.
    assert.deepEqual(at(rollout(result, 'backend-api'), 'spec.strategy.blueGreen.prePromotionAnalysis'), {
      templates: [{ templateName: 'preview-load' }, { templateName: 'success-rate' }],
      args: [
        { name: 'request-path', value: '/api/health' },
        { name: 'service-name', value: 'staging-backend-api-preview' },
      ],
    });
  });

  it('prod runs the seeds full canary with analysis on 10 frontend replicas and HA elsewhere', () => {
    const result = synth(prod);
    assert.equal(at(rollout(result, 'frontend'), 'spec.replicas'), 10);
    for (const service of ['database', 'backend-api', 'worker-service']) assert.equal(at(rollout(result, service), 'spec.replicas'), 3);
    const steps = at(rollout(result, 'frontend'), 'spec.strategy.canary.steps');
    assert.deepEqual(steps, [
      { setWeight: 10 }, { pause: { duration: '2m' } },
      { setWeight: 20 }, { pause: { duration: '2m' } },
      { analysis: { templates: [{ templateName: 'success-rate' }], args: [{ name: 'service-name', value: 'prod-frontend-canary' }] } },
      { setWeight: 50 }, { pause: { duration: '5m' } },
      { setWeight: 100 }, { pause: { duration: '2m' } },
    ]);
    assert.equal(at(rollout(result, 'frontend'), 'spec.template.spec.containers.0.image'), 'ghcr.io/company/web-app:v1.2.3');
    const values = releaseValues(helmRelease(result.tf, 'argo-rollouts')) as Record<string, unknown>;
    assert.equal(at(values, 'controller.replicas'), 2);
    assert.deepEqual(at(values, 'controller.pdb'), { enabled: true, minAvailable: 1 });
    assert.equal(at(releaseValues(helmRelease(synth(dev).tf, 'argo-rollouts')), 'controller.replicas'), 1);
  });

  it('reports the delivery part of advanced_automation_status', () => {
    const result = synth(prod);
    const status = deliveryStatus(result);
    assert.deepEqual(Object.keys(status).sort(), [
      'analysis_enabled', 'analysis_templates', 'argo_rollouts', 'deployment_order', 'engine', 'namespace', 'promotion', 'services',
    ]);
    assert.match(String(at(status, 'argo_rollouts.release')), /^\$\{helm_release\.[A-Za-z0-9_]+\.name\}$/);
    assert.equal(at(status, 'argo_rollouts.namespace'), 'argo-rollouts');
    assert.equal(at(status, 'argo_rollouts.chart_version'), CHARTS.argoRollouts.version);
    assert.match(String(at(status, 'argo_rollouts.status')), /^\$\{helm_release\.[A-Za-z0-9_]+\.status\}$/);
    assert.deepEqual(status.analysis_templates, ['error-rate', 'preview-load', 'success-rate']);
    assert.deepEqual(status.deployment_order, ['database', 'backend-api', 'frontend', 'worker-service']);
    assert.deepEqual(at(status, 'services.frontend.strategy.weights'), [10, 20, 50, 100]);
    assert.equal(at(status, 'services.backend-api.strategy.kind'), 'blueGreen');
    assert.equal(at(status, 'services.database.strategy.kind'), 'rolling');
    assert.deepEqual(at(status, 'services.worker-service.depends_on'), ['backend-api', 'database']);
    assert.equal(at(status, 'services.worker-service.sync_wave'), 2);
    assert.equal(at(status, 'services.frontend.health_check'), '/health');
    assert.deepEqual(status.promotion, {
      model: 'branch',
      path: ['dev', 'staging', 'prod'],
      stage: 'prod',
      revision: 'main',
      promotes_from: 'staging',
      promotes_to: null,
    });
    const devStatus = deliveryStatus(synth(dev));
    assert.equal(devStatus.analysis_enabled, false);
    assert.deepEqual(devStatus.analysis_templates, []);
    assert.deepEqual(at(devStatus, 'promotion.promotes_to'), 'staging');
    assert.equal(at(devStatus, 'services.frontend.image'), 'ghcr.io/company/web-app:v1.3.0');
  });

  it('computes the overlays labels the way the platform does', () => {
    for (const env of ENVIRONMENTS) {
      assert.deepEqual(environmentLabels(env), synth(env).stack.platform.commonLabels);
      assert.ok(synth(env).stack.platform instanceof Platform);
    }
  });
});

describe('Delivery with the flux engine', () => {
  const fluxStaging: EnvironmentConfig = { ...staging, delivery: { ...staging.delivery, engine: 'flux' } };
  let result: SynthResult | undefined;
  const get = (): SynthResult => (result ??= synthEnvironment(fluxStaging));
  after(() => {
    if (result) fs.rmSync(result.directory, { recursive: true, force: true });
  });

  it('applies each overlay with a Flux Kustomization that depends on the services before it', () => {
    const r = get();
    const resources = (parseAllDocuments(r.files.get('apps/kustomization.yaml')!)[0].toJS() as { resources: string[] }).resources;
    assert.ok(resources.every((f) => !f.startsWith('delivery')), 'the apps section lists no overlay: Flux applies them');
    const order = r.objects.filter((o) => o.file === 'tenants/delivery-order.yaml').map((o) => o.object);
    const deps = Object.fromEntries(order.map((k) => [k.metadata.name, ((at(k, 'spec.dependsOn') as Array<{ name: string }> | undefined) ?? []).map((d) => d.name)]));
    assert.deepEqual(deps, {
      'delivery-analysis': [],
      'delivery-backend-api': ['delivery-analysis', 'delivery-database'],
      'delivery-database': [],
      'delivery-frontend': ['delivery-analysis', 'delivery-backend-api'],
      'delivery-worker-service': ['delivery-backend-api', 'delivery-database'],
    });
    const frontend = order.find((k) => k.metadata.name === 'delivery-frontend')!;
    assert.equal(at(frontend, 'spec.path'), './clusters/staging/apps/delivery/frontend/overlays/staging');
    assert.equal(at(frontend, 'spec.prune'), true);
    assert.equal(at(frontend, 'spec.sourceRef.name'), 'flux-system');
    assert.ok(r.files.has('apps/delivery/frontend/overlays/staging/kustomization.yaml'));
    assertValidManifests(order, 'flux delivery order');
  });

  it('reports the engine and the Kustomizations in the status', () => {
    const status = deliveryStatus(get());
    assert.equal(status.engine, 'flux');
    assert.equal(at(status, 'services.frontend.flux_kustomization'), 'delivery-frontend');
    assert.deepEqual(status.analysis_templates, ['error-rate', 'preview-load', 'success-rate']);
  });
});

describe('Delivery without services', () => {
  it('installs only Argo Rollouts and reports an empty delivery', () => {
    const env: EnvironmentConfig = { ...dev, modules: ['delivery'], delivery: undefined };
    const result = synthEnvironment(env);
    try {
      helmRelease(result.tf, 'argo-rollouts');
      assert.equal(result.objects.filter((o) => o.file.startsWith('apps/delivery')).length, 0);
      assert.equal([...result.files.keys()].filter((f) => f.startsWith('apps/delivery')).length, 0);
      const status = deliveryStatus(result);
      assert.deepEqual(status.deployment_order, []);
      assert.deepEqual(status.services, {});
      assert.equal(status.namespace, null);
      assert.deepEqual(status.promotion, { model: 'branch', path: ['dev'], stage: 'dev', revision: 'develop', promotes_from: null, promotes_to: null });
    } finally {
      fs.rmSync(result.directory, { recursive: true, force: true });
    }
  });
});

describe('Delivery settings errors', () => {
  const attempt = (env: EnvironmentConfig) => () => synthEnvironment(env);

  it('fails when the flux engine is chosen without the flux module', () => {
    const env: EnvironmentConfig = { ...dev, modules: ['argocd', 'delivery'], delivery: { ...dev.delivery, engine: 'flux' } };
    assert.throws(attempt(env), {
      name: 'ConfigError',
      message: 'Environment "dev": delivery.engine is "flux". Flux delivers the services only when the flux module is on: add "flux" to modules, or use "argocd".',
    });
  });

  it('fails on a release for a service that does not exist', () => {
    const env: EnvironmentConfig = { ...dev, delivery: { ...dev.delivery, releases: { ...dev.delivery!.releases, web: { tag: 'v1' } } } };
    assert.throws(attempt(env), {
      message: 'Environment "dev": delivery.releases is "web". No service is named "web" (services: backend-api, database, frontend, worker-service). Remove the release or fix its name.',
    });
  });

  it('fails on an unpinned release tag', () => {
    const env: EnvironmentConfig = { ...dev, delivery: { ...dev.delivery, releases: { frontend: { tag: 'latest' } } } };
    assert.throws(attempt(env), {
      message: 'Environment "dev": delivery.releases.frontend.tag is "latest". Pin an explicit version tag such as "v1.2.3" (never "latest").',
    });
  });

  it('fails on a service graph with a cycle', () => {
    const services = dev.delivery!.services!.map((s) => (s.name === 'database' ? { ...s, dependsOn: ['frontend'] } : s));
    const env: EnvironmentConfig = { ...dev, delivery: { ...dev.delivery, services } };
    assert.throws(attempt(env), {
      message: /^Environment "dev": services\.dependsOn is "backend-api -> database -> frontend -> backend-api"\. The dependencies form a cycle/,
    });
  });

  it('fails on a promotion path without the environment', () => {
    const env: EnvironmentConfig = { ...dev, delivery: { ...dev.delivery, promotion: { path: ['staging', 'prod'] } } };
    assert.throws(attempt(env), {
      message: 'Environment "dev": delivery.promotion.path is ["staging","prod"]. List each environment once, in promotion order, including "dev" (such as ["dev", "staging", "prod"]).',
    });
  });

  it('fails on requests above limits', () => {
    const env: EnvironmentConfig = {
      ...dev,
      delivery: { ...dev.delivery, releases: { frontend: { resources: { cpuRequest: '2', cpuLimit: '500m', memoryRequest: '128Mi', memoryLimit: '1Gi' } } } },
    };
    assert.throws(attempt(env), {
      message: 'Environment "dev": delivery.releases.frontend.resources.cpuRequest is "2". The request must not exceed the limit (500m).',
    });
  });
});
