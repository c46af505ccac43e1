import { deliveryReferencesOf } from '../../../stacks/modules';
import assert from 'node:assert/strict';
import { App, Chart } from 'cdk8s';
import { describe, it } from 'node:test';
import { parseAllDocuments } from 'yaml';
import { prod } from '../../../environments';
import { deliveryContext } from '../../../lib/delivery/context';
import { AnalysisTemplate } from '../../../lib/delivery/analysis-template';
import { BASE_LABELS, buildOverlay, environmentSelector, jsonPatch, KUSTOMIZE_CONFIG, OverlayOptions, serviceKustomize, serviceOverlay, SYNC_WAVE } from '../../../lib/delivery/overlays';
import { Rollout } from '../../../lib/delivery/rollout';
import { CanaryStep, TrafficRouting } from '../../../lib/delivery/canary-step';
import { DEFAULT_SERVICE_RESOURCES, ResolvedService, serviceRolloutProps, standardAnalysisTemplates } from '../../../lib/delivery/service';
import { RolloutStrategy } from '../../../lib/delivery/strategy';
import { ManifestObject } from '../../../lib/platform/gitops-tree';
import { assertValidManifests } from '../../support/validate';
import { assertSameObjects, at, kustomizeBuildFiles, kustomizeMissing, objects, testChart } from './helpers';

const ctx = deliveryContext(prod, deliveryReferencesOf(prod));
const frontend = ctx.services.find((s) => s.definition.name === 'frontend')!;
const files = serviceKustomize(frontend, { environment: 'prod', namespace: 'prod', namePrefix: 'prod-', labels: ctx.labels, wave: 2 }, ctx.prometheusAddress);

function yaml(file: string): Record<string, unknown> {
  return parseAllDocuments(files.get(file)!)[0].toJS() as Record<string, unknown>;
}

describe('jsonPatch', () => {
  it('adds, removes and replaces keys; patches equal-length arrays item by item; replaces other arrays', () => {
    assert.deepEqual(jsonPatch({ a: 1, b: { c: [1, 2], d: 'x' }, e: 1 }, { a: 2, b: { c: [1, 3], f: true }, g: [1] }), [
      { op: 'replace', path: '/a', value: 2 },
      { op: 'replace', path: '/b/c/1', value: 3 },
      { op: 'remove', path: '/b/d' },
      { op: 'add', path: '/b/f', value: true },
      { op: 'remove', path: '/e' },
      { op: 'add', path: '/g', value: [1] },
    ]);
    assert.deepEqual(jsonPatch({ s: [1, 2] }, { s: [1] }), [{ op: 'replace', path: '/s', value: [1] }]);
    assert.deepEqual(jsonPatch({ 'a/b': 1 }, { 'a/b': 2 }), [{ op: 'replace', path: '/a~1b', value: 2 }]);
    assert.deepEqual(jsonPatch({ a: { b: 1 } }, { a: { b: 1 } }), []);
  });
});

describe('serviceKustomize', () => {
  it('writes a base with the service as defined and the kustomize configuration for Rollouts', () => {
    // One file per kind, as the seeds' bases list deployment.yaml and service.yaml.
    const kinds = ['destinationrule.yaml', 'rollout.yaml', 'service.yaml', 'virtualservice.yaml'];
    assert.deepEqual([...files.keys()].sort(), [
      'base/destinationrule.yaml',
      'base/kustomization.yaml',
      'base/kustomizeconfig.yaml',
      'base/rollout.yaml',
      'base/service.yaml',
      'base/virtualservice.yaml',
      'overlays/prod/kustomization.yaml',
      'overlays/prod/patch-rollout-frontend.yaml',
    ]);
    assert.deepEqual(yaml('base/kustomization.yaml'), {
      apiVersion: 'kustomize.config.k8s.io/v1beta1',
      kind: 'Kustomization',
      resources: kinds,
      configurations: ['kustomizeconfig.yaml'],
    });
    assert.equal(files.get('base/kustomizeconfig.yaml'), KUSTOMIZE_CONFIG);
    const base = kinds.flatMap((file) => parseAllDocuments(files.get(`base/${file}`)!).map((d) => d.toJS() as ManifestObject));
    for (const file of kinds) {
      const inFile = parseAllDocuments(files.get(`base/${file}`)!).map((d) => (d.toJS() as ManifestObject).kind.toLowerCase());
      assert.deepEqual([...new Set(inFile)], [file.replace(/\.yaml$/, '')]);
    }
    assert.deepEqual(base.filter((o) => o.kind === 'Service').map((o) => o.metadata.name), ['frontend', 'frontend-canary', 'frontend-stable']);
    const rollout = base.find((o) => o.kind === 'Rollout')!;
    assert.equal(rollout.metadata.name, 'frontend');
    assert.equal(rollout.metadata.namespace, undefined);
    assert.equal(at(rollout, 'spec.replicas'), 1);
    assert.equal(at(rollout, 'spec.template.spec.containers.0.image'), 'ghcr.io/company/web-app:v1.2.3');
    assert.deepEqual((at(rollout, 'spec.strategy.canary.steps') as unknown[]).filter((s) => at(s, 'setWeight') !== undefined).map((s) => at(s, 'setWeight')), [10, 50, 100]);
    assertValidManifests(base, 'frontend base');
  });

  it('writes an overlay with namespace, name prefix, labels, sync wave, image tag, replicas and a strategy patch', () => {
    const overlay = yaml('overlays/prod/kustomization.yaml');
    assert.deepEqual(overlay.resources, ['../../base']);
    assert.equal(overlay.namespace, 'prod');
    assert.equal(overlay.namePrefix, 'prod-');
    assert.deepEqual(overlay.commonLabels, { environment: 'prod' });
    assert.deepEqual(overlay.labels, [{ pairs: ctx.labels, includeSelectors: false }]);
    assert.deepEqual(overlay.commonAnnotations, { 'argocd.argoproj.io/sync-wave': '2' });
    assert.deepEqual(overlay.images, [{ name: 'ghcr.io/company/web-app', newTag: 'v1.2.3' }]);
    assert.deepEqual(overlay.replicas, [{ name: 'frontend', count: 10 }]);
    // The JSON patch in a file beside the kustomization, as the seeds' overlays keep theirs (patches.yaml).
    const patches = overlay.patches as Array<{ target: Record<string, string>; path: string }>;
    assert.equal(patches.length, 1);
    assert.equal(patches[0].path, 'patch-rollout-frontend.yaml');
    assert.deepEqual(patches[0].target, { group: 'argoproj.io', version: 'v1alpha1', kind: 'Rollout', name: 'frontend' });
    const ops = yaml(`overlays/prod/${patches[0].path}`) as unknown as Array<{ op: string; path: string; value: unknown[] }>;
    assert.deepEqual(ops.map((o) => [o.op, o.path]), [['replace', '/spec/strategy/canary/steps']]);
    assert.equal(ops[0].value.length, 9);
  });

  it('renders a service the environment runs with the base strategy and resources once, with no patch', (t) => {
    const strategy = RolloutStrategy.rolling();
    const render = t.mock.method(strategy, 'render');
    const service: ResolvedService = {
      definition: { name: 'api', image: 'ghcr.io/company/api:v1.0.0', healthCheckPath: '/health', strategy },
      repository: 'ghcr.io/company/api',
      baseTag: 'v1.0.0',
      tag: 'v1.1.0',
      replicas: 3,
      strategy,
      resources: DEFAULT_SERVICE_RESOURCES,
      wave: 0,
      dependsOn: [],
    };
    const plain = serviceKustomize(service, { environment: 'dev', namespace: 'dev', namePrefix: 'dev-', labels: ctx.labels, wave: 0 }, ctx.prometheusAddress);
    assert.equal(render.mock.callCount(), 1);
    assert.deepEqual([...plain.keys()].filter((file) => file.startsWith('overlays/')), ['overlays/dev/kustomization.yaml']);
    const overlay = parseAllDocuments(plain.get('overlays/dev/kustomization.yaml')!)[0].toJS() as Record<string, unknown>;
    assert.equal(overlay.patches, undefined);
    assert.deepEqual(overlay.images, [{ name: 'ghcr.io/company/api', newTag: 'v1.1.0' }]);
    assert.deepEqual(overlay.replicas, [{ name: 'api', count: 3 }]);
  });

  it('builds the standard AnalysisTemplates the Rollouts may name once per Prometheus address, not once per service', (t) => {
    const errorRate = t.mock.method(AnalysisTemplate, 'errorRate');
    const address = 'http://prometheus-once.monitoring.svc:9090';
    const options = { environment: 'prod', namespace: 'prod', namePrefix: 'prod-', labels: ctx.labels, wave: 2 };
    const first = serviceKustomize(frontend, options, address);
    const second = serviceKustomize(frontend, options, address);
    assert.equal(errorRate.mock.callCount(), 1);
    assert.deepEqual(second, first);
    assert.deepEqual(first, serviceKustomize(frontend, options, ctx.prometheusAddress));
  });

  it('builds with kustomize into prefixed, namespaced objects whose references follow the prefix', (t) => {
    const missing = kustomizeMissing();
    if (missing) {
      t.diagnostic(missing);
      t.skip(missing);
      return;
    }
    const built = kustomizeBuildFiles(files, 'overlays/prod');
    assertValidManifests(built, 'built frontend overlay');
    const rollout = built.find((o) => o.kind === 'Rollout')!;
    assert.equal(rollout.metadata.name, 'prod-frontend');
    assert.equal(rollout.metadata.namespace, 'prod');
    assert.equal(at(rollout, 'spec.replicas'), 10);
    assert.deepEqual(at(rollout, 'spec.selector.matchLabels'), { app: 'frontend', environment: 'prod' });
    assert.deepEqual(at(rollout, 'spec.template.metadata.labels'), { app: 'frontend', environment: 'prod' });
    assert.equal(at(rollout, 'spec.strategy.canary.canaryService'), 'prod-frontend-canary');
    assert.equal(at(rollout, 'spec.strategy.canary.trafficRouting.istio.virtualService.name'), 'prod-frontend-vs');
    assert.equal(at(rollout, 'spec.strategy.canary.trafficRouting.istio.destinationRule.name'), 'prod-frontend-dr');
    assert.equal(at(rollout, 'spec.strategy.canary.steps.4.analysis.args.0.value'), 'prod-frontend-canary');
    assert.equal(at(rollout, 'spec.strategy.canary.steps.4.analysis.templates.0.templateName'), 'success-rate');
    const vs = built.find((o) => o.kind === 'VirtualService')!;
    assert.deepEqual(at(vs, 'spec.hosts'), ['prod-frontend']);
    assert.equal(at(vs, 'spec.http.1.route.0.destination.host'), 'prod-frontend');
    assert.equal(at(built.find((o) => o.kind === 'DestinationRule'), 'spec.host'), 'prod-frontend');
    const canary = built.find((o) => o.kind === 'Service' && o.metadata.name === 'prod-frontend-canary')!;
    assert.deepEqual(at(canary, 'spec.selector'), { app: 'frontend', environment: 'prod' });
  });
});

/** A service as the delivery context resolves it, with the base's values unless given. */
function service(name: string, options: Partial<ResolvedService> & { base?: RolloutStrategy }): ResolvedService {
  const base = options.base ?? options.strategy ?? RolloutStrategy.rolling();
  return {
    definition: { name, image: `ghcr.io/company/${name}:v1.0.0`, healthCheckPath: '/healthz', strategy: base },
    repository: `ghcr.io/company/${name}`,
    baseTag: 'v1.0.0',
    tag: 'v1.0.0',
    replicas: 1,
    strategy: base,
    resources: DEFAULT_SERVICE_RESOURCES,
    wave: 0,
    dependsOn: [],
    ...options,
  };
}

const address = 'http://prometheus.monitoring.svc:9090';
const steps = [CanaryStep.setWeight(20), CanaryStep.analysis({ templates: ['success-rate'] }), CanaryStep.setWeight(100)];
const overlayCases: Array<{ what: string; service: ResolvedService; options: OverlayOptions; unlikeDirectBuild?: (object: ManifestObject) => ManifestObject }> = [
  {
    what: 'a canary routed by Istio with analysis, its steps and tag changed in the environment',
    service: service('web', {
      base: RolloutStrategy.canary({ steps, trafficRouting: TrafficRouting.istio({ routeName: 'main', canaryHeader: { name: 'x-canary', value: 'always' } }) }),
      strategy: RolloutStrategy.canary({ steps: [CanaryStep.setWeight(10), ...steps], trafficRouting: TrafficRouting.istio({ routeName: 'main', canaryHeader: { name: 'x-canary', value: 'always' } }) }),
      tag: 'v1.1.0',
      replicas: 4,
    }),
    options: { environment: 'prod', namespace: 'prod', namePrefix: 'prod-', labels: { team: 'web', 'gitops.platform/environment': 'prod' }, wave: 2, metrics: { prometheusNamespace: 'monitoring' }, ingress: { fromNamespaces: ['ingress-nginx'] } },
  },
  {
    what: 'a blue-green with analyses before and after promotion, unchanged in the environment',
    service: service('api', {
      strategy: RolloutStrategy.blueGreen({
        previewService: 'api-preview',
        prePromotionAnalysis: { templates: ['success-rate'] },
        postPromotionAnalysis: { templates: ['success-rate'], args: { 'service-name': 'api-preview' } },
      }),
    }),
    options: { environment: 'staging', namespace: 'apps', namePrefix: 'staging-', labels: {}, wave: 0, metrics: { prometheusNamespace: 'observability' } },
  },
  {
    what: 'a canary without traffic routing, named Services and an argument naming the stable Service, its resources changed',
    service: service('worker', {
      strategy: RolloutStrategy.canary({
        steps: [CanaryStep.setWeight(50), CanaryStep.analysis({ templates: ['success-rate'], args: { 'service-name': 'worker-main' } })],
        trafficRouting: TrafficRouting.none(),
        canaryService: 'worker-next',
        stableService: 'worker-main',
      }),
      resources: { cpuRequest: '100m', cpuLimit: '200m', memoryRequest: '64Mi', memoryLimit: '128Mi' },
      replicas: 0,
    }),
    options: { environment: 'dev', namespace: 'dev', namePrefix: 'dev-', labels: { environment: 'dev' }, wave: 5, ingress: { fromNamespaces: [] } },
  },
  {
    what: 'a rolling update with no name prefix, no scraping and no network policy',
    service: service('db', { tag: 'v2.0.0' }),
    options: { environment: 'dr', namespace: 'data', namePrefix: '', labels: { tier: 'data' }, wave: -3 },
  },
  {
    what: 'platform labels that name the environment and the app otherwise',
    service: service('web', { strategy: RolloutStrategy.blueGreen({ previewService: 'web-preview' }) }),
    options: { environment: 'qa', namespace: 'qa', namePrefix: 'qa-', labels: { environment: 'elsewhere', app: 'shop' }, wave: 1 },
    // A Rollout built directly keeps its own `app` label over its chart's;
    // kustomize's `labels` replace it on the metadata (not on the selectors).
    unlikeDirectBuild: (object) => ({ ...object, metadata: { ...object.metadata, labels: { ...(object.metadata.labels as object), app: 'shop' } } }),
  },
];

/** The service's objects as a Rollout built directly with the environment's values (and the base's labels) renders them. */
function renderedInEnvironment(s: ResolvedService, options: OverlayOptions): ManifestObject[] {
  const app = new App({ outdir: '.', recordConstructMetadata: false });
  const templates = standardAnalysisTemplates(new Chart(app, 'templates'), { address });
  // The base's labels stay, under the overlay's.
  const inEnvironment = new Chart(app, 'environment', { disableResourceNameHashes: true, labels: { ...BASE_LABELS, ...options.labels } });
  new Rollout(inEnvironment, 'Rollout', serviceRolloutProps(s, {
    namePrefix: options.namePrefix,
    namespace: options.namespace,
    selectorLabels: environmentSelector(options.environment),
    annotations: { [SYNC_WAVE]: String(options.wave) },
    tag: s.tag,
    replicas: s.replicas,
    strategy: s.strategy,
    resources: s.resources,
    analysisTemplates: templates,
    metrics: options.metrics,
    ingress: options.ingress,
  }));
  return objects(inEnvironment);
}

describe('buildOverlay', () => {
  for (const { what, service: s, options, unlikeDirectBuild } of overlayCases) {
    it(`gives what a Rollout built in the environment renders: ${what}`, () => {
      const built = serviceOverlay(s, options, address).objects;
      const direct = renderedInEnvironment(s, options).map(unlikeDirectBuild ?? ((o) => o));
      // The same objects, in the same order, with the same key order.
      assert.equal(JSON.stringify(built, null, 1), JSON.stringify(direct, null, 1));
      assertValidManifests(built, what);
    });

    it(`gives what the real kustomize builds: ${what}`, (t) => {
      const missing = kustomizeMissing();
      if (missing) {
        t.skip(missing);
        return;
      }
      const { files: overlayFiles, objects: built } = serviceOverlay(s, options, address);
      assertSameObjects(kustomizeBuildFiles(overlayFiles, `overlays/${options.environment}`), built, what);
      if (options.labels.environment !== undefined) {
        // `commonLabels` win over `labels` on the metadata; the selectors carry only them.
        for (const object of built) assert.equal(at(object, 'metadata.labels.environment'), options.environment, `${object.kind}/${object.metadata.name}`);
      }
    });
  }

  it('leaves the base objects as they were', () => {
    const { service: s, options } = overlayCases[0];
    const chart = testChart();
    new Rollout(chart, 'Rollout', serviceRolloutProps(s, { namePrefix: '', selectorLabels: {}, annotations: {}, tag: s.baseTag, replicas: 1, strategy: s.strategy, resources: s.resources, analysisTemplates: standardAnalysisTemplates(chart, { address }) }));
    const rendered = objects(chart).filter((o) => o.kind !== 'AnalysisTemplate');
    const before = JSON.stringify(rendered);
    buildOverlay(rendered, options, { images: [{ name: s.repository, newTag: 'v9.9.9' }], replicas: [{ name: 'web', count: 3 }] });
    assert.equal(JSON.stringify(rendered), before);
  });

  it('refuses a kind it has no rules for, rather than leave it unchanged', () => {
    const configMap = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'settings' }, data: {} };
    assert.throws(() => buildOverlay([configMap], overlayCases[0].options, { images: [], replicas: [] }), /buildOverlay: a service's base holds no ConfigMap/);
  });
});
