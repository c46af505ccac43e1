import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Size } from 'cdk8s';
import { Capability, Cpu, Probe } from 'cdk8s-plus-27';
import { AnalysisTemplate } from '../../../lib/delivery/analysis-template';
import { Rollout } from '../../../lib/delivery/rollout';
import { seedProductionCanary } from '../../../environments/seed/delivery';
import { CanaryStep } from '../../../lib/delivery/canary-step';
import { RolloutStrategy } from '../../../lib/delivery/strategy';
import { podSecurityViolations } from '../../support/pod-security';
import { assertValidManifests } from '../../support/validate';
import { at, objects, one, testChart } from './helpers';

const seedResources = {
  cpu: { request: Cpu.millis(500), limit: Cpu.millis(1000) },
  memory: { request: Size.mebibytes(256), limit: Size.mebibytes(512) },
};

describe('Rollout', () => {
  it('builds the seeds web-app canary (seed 001) with its Services and Istio objects', () => {
    const chart = testChart();
    const templates = [AnalysisTemplate.successRate(chart, 'SuccessRate')];
    // The seed names the Rollout "web-app-rollout"; here every object is named from "web-app".
    new Rollout(chart, 'WebApp', {
      name: 'web-app',
      replicas: 10,
      analysisTemplates: templates,
      container: { image: 'web-app:v1.2.3', portNumber: 8080, resources: seedResources },
      strategy: RolloutStrategy.canary({
        steps: [
          CanaryStep.setWeight(10), CanaryStep.pause('2m'),
          CanaryStep.setWeight(20), CanaryStep.pause('2m'),
          CanaryStep.analysis({ templates: ['success-rate'], args: { 'service-name': 'web-app-canary' } }),
          CanaryStep.setWeight(50), CanaryStep.pause('5m'),
          CanaryStep.setWeight(100), CanaryStep.pause('2m'),
        ],
      }),
    });
    const all = objects(chart);
    const rollout = one(all, 'Rollout', 'web-app');
    assert.equal(at(rollout, 'spec.replicas'), 10);
    assert.deepEqual(at(rollout, 'spec.selector'), { matchLabels: { app: 'web-app' } });
    assert.deepEqual(at(rollout, 'spec.template.metadata.labels'), { app: 'web-app' });
    const canary = at(rollout, 'spec.strategy.canary');
    assert.equal(at(canary, 'canaryService'), 'web-app-canary');
    assert.equal(at(canary, 'stableService'), 'web-app-stable');
    assert.deepEqual(at(canary, 'trafficRouting'), {
      istio: {
        virtualService: { name: 'web-app-vs', routes: ['primary'] },
        destinationRule: { name: 'web-app-dr', canarySubsetName: 'canary', stableSubsetName: 'stable' },
      },
    });
    assert.deepEqual(at(canary, 'steps'), [
      { setWeight: 10 }, { pause: { duration: '2m' } },
      { setWeight: 20 }, { pause: { duration: '2m' } },
      { analysis: { templates: [{ templateName: 'success-rate' }], args: [{ name: 'service-name', value: 'web-app-canary' }] } },
      { setWeight: 50 }, { pause: { duration: '5m' } },
      { setWeight: 100 }, { pause: { duration: '2m' } },
    ]);
    const container = at(rollout, 'spec.template.spec.containers.0');
    assert.equal(at(container, 'name'), 'web-app');
    assert.equal(at(container, 'image'), 'web-app:v1.2.3');
    assert.deepEqual(at(container, 'ports'), [{ containerPort: 8080 }]);
    assert.deepEqual(at(container, 'resources'), {
      limits: { cpu: '1000m', memory: '512Mi' },
      requests: { cpu: '500m', memory: '256Mi' },
    });
    for (const name of ['web-app', 'web-app-canary', 'web-app-stable']) {
      const service = one(all, 'Service', name);
      assert.deepEqual(at(service, 'spec.selector'), { app: 'web-app' });
      assert.deepEqual(at(service, 'spec.ports'), [{ name: 'http', port: 80, targetPort: 8080, protocol: 'TCP' }]);
    }
    one(all, 'VirtualService', 'web-app-vs');
    one(all, 'DestinationRule', 'web-app-dr');
    assertValidManifests(all, 'seed 001 rollout');
  });

  it('builds the seeds blue-green Rollout (seed 002) with active and preview Services', () => {
    const chart = testChart();
    const templates = [AnalysisTemplate.successRate(chart, 'S'), AnalysisTemplate.errorRate(chart, 'E')];
    new Rollout(chart, 'MyApp', {
      name: 'myapp',
      replicas: 3,
      analysisTemplates: templates,
      container: { name: 'app', image: 'myapp:v2.0.0', portNumber: 8080 },
      strategy: RolloutStrategy.blueGreen({
        activeService: 'myapp-active',
        previewService: 'myapp-preview',
        prePromotionAnalysis: { templates: ['success-rate'] },
        postPromotionAnalysis: { templates: ['error-rate'] },
      }),
    });
    const all = objects(chart);
    const rollout = one(all, 'Rollout', 'myapp');
    assert.deepEqual(at(rollout, 'spec.strategy'), {
      blueGreen: {
        activeService: 'myapp-active',
        previewService: 'myapp-preview',
        autoPromotionEnabled: false,
        scaleDownDelaySeconds: 30,
        // The templates declare `service-name`; it defaults to the Service each analysis watches.
        prePromotionAnalysis: { templates: [{ templateName: 'success-rate' }], args: [{ name: 'service-name', value: 'myapp-preview' }] },
        postPromotionAnalysis: { templates: [{ templateName: 'error-rate' }], args: [{ name: 'service-name', value: 'myapp-active' }] },
      },
    });
    assert.equal(at(rollout, 'spec.template.spec.containers.0.name'), 'app');
    one(all, 'Service', 'myapp-active');
    one(all, 'Service', 'myapp-preview');
    assert.equal(all.filter((o) => o.kind === 'VirtualService').length, 0);
    assertValidManifests(all, 'seed 002 rollout');
  });

  it('renders the pod container with cdk8s-plus: non-root, probes, requests and limits', () => {
    const chart = testChart();
    new Rollout(chart, 'Api', {
      name: 'api',
      container: {
        image: 'ghcr.io/company/api:v2.1.0',
        ports: [{ number: 8080, name: 'http' }],
        readiness: Probe.fromHttpGet('/api/health', { port: 8080 }),
        liveness: Probe.fromHttpGet('/api/health', { port: 8080 }),
        securityContext: { user: 10001, group: 10001 },
        resources: seedResources,
      },
      strategy: RolloutStrategy.rolling(),
    });
    const all = objects(chart);
    const rollout = one(all, 'Rollout', 'api');
    const container = at(rollout, 'spec.template.spec.containers.0');
    assert.deepEqual(at(container, 'securityContext'), {
      allowPrivilegeEscalation: false,
      capabilities: { drop: ['ALL'] },
      privileged: false,
      readOnlyRootFilesystem: true,
      runAsGroup: 10001,
      runAsNonRoot: true,
      runAsUser: 10001,
    });
    // Admitted by Pod Security "restricted" (prod's level), not only by baseline.
    assert.deepEqual(podSecurityViolations(at(rollout, 'spec.template.spec') as Record<string, unknown>, 'restricted'), []);
    assert.deepEqual(at(container, 'readinessProbe.httpGet'), { path: '/api/health', port: 8080, scheme: 'HTTP' });
    assert.deepEqual(at(container, 'livenessProbe.httpGet'), { path: '/api/health', port: 8080, scheme: 'HTTP' });
    assert.deepEqual(at(rollout, 'spec.template.spec.securityContext'), { runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } });
    assert.equal(at(one(all, 'Service', 'api'), 'spec.ports.0.targetPort'), 'http');
    assertValidManifests(all, 'rolling rollout');
  });

  it('fails when the container adds a capability Pod Security restricted forbids', () => {
    assert.throws(
      () =>
        new Rollout(testChart(), 'Web', {
          name: 'web',
          strategy: RolloutStrategy.rolling(),
          container: { image: 'web:v1', portNumber: 8080, securityContext: { capabilities: { add: [Capability.NET_ADMIN] } } },
        }),
      { message: 'test/Web: container.securityContext.capabilities.add is "CAP_NET_ADMIN". Pod Security "restricted" lets a container add only NET_BIND_SERVICE; remove the capability.' },
    );
  });

  it('prefixes names and references like a kustomize namePrefix, and adds annotations to every object', () => {
    const chart = testChart();
    const templates = [AnalysisTemplate.successRate(chart, 'S')];
    new Rollout(chart, 'Web', {
      name: 'web-app',
      namePrefix: 'prod-',
      namespace: 'prod',
      selectorLabels: { environment: 'prod' },
      annotations: { 'argocd.argoproj.io/sync-wave': '2' },
      analysisTemplates: templates,
      container: { image: 'web-app:v1.2.3', portNumber: 8080 },
      strategy: seedProductionCanary(),
    });
    const all = objects(chart).filter((o) => o.kind !== 'AnalysisTemplate');
    assert.deepEqual(all.map((o) => `${o.kind}/${o.metadata.namespace}/${o.metadata.name}`).sort(), [
      'DestinationRule/prod/prod-web-app-dr',
      'Rollout/prod/prod-web-app',
      'Service/prod/prod-web-app',
      'Service/prod/prod-web-app-canary',
      'Service/prod/prod-web-app-stable',
      'VirtualService/prod/prod-web-app-vs',
    ]);
    for (const object of all) {
      assert.equal((object.metadata.annotations as Record<string, string>)['argocd.argoproj.io/sync-wave'], '2');
    }
    const rollout = one(all, 'Rollout');
    assert.deepEqual(at(rollout, 'spec.selector.matchLabels'), { app: 'web-app', environment: 'prod' });
    assert.equal(at(rollout, 'spec.strategy.canary.canaryService'), 'prod-web-app-canary');
    assert.equal(at(rollout, 'spec.strategy.canary.steps.4.analysis.args.0.value'), 'prod-web-app-canary');
    const vs = one(all, 'VirtualService');
    assert.deepEqual(at(vs, 'spec.hosts'), ['prod-web-app']);
    assert.deepEqual(at(vs, 'spec.http.0.match'), [{ headers: { canary: { exact: 'true' } } }]);
    assertValidManifests(objects(chart), 'prefixed rollout');
  });

  it('fails when an analysis names an unknown template', () => {
    const chart = testChart();
    const templates = [AnalysisTemplate.successRate(chart, 'S')];
    assert.throws(
      () =>
        new Rollout(chart, 'Web', {
          name: 'web',
          analysisTemplates: templates,
          container: { image: 'web:v1.0.0', portNumber: 8080 },
          strategy: RolloutStrategy.canary({ steps: [CanaryStep.setWeight(10), CanaryStep.analysis({ templates: ['latency'] })] }),
        }),
      {
        name: 'ConfigError',
        message:
          'test/Web: strategy.canary.steps[1].analysis.templates is "latency". No AnalysisTemplate named "latency" is known to this Rollout (known: success-rate). Create it and pass it in analysisTemplates, or fix the name.',
      },
    );
  });

  it('fails when an analysis passes an argument no template declares', () => {
    const chart = testChart();
    assert.throws(
      () =>
        new Rollout(chart, 'Web', {
          name: 'web',
          analysisTemplates: [AnalysisTemplate.successRate(chart, 'S')],
          container: { image: 'web:v1.0.0', portNumber: 8080 },
          strategy: RolloutStrategy.canary({ steps: [CanaryStep.analysis({ templates: ['success-rate'], args: { threshold: '0.9' } })] }),
        }),
      { message: 'test/Web: strategy.canary.steps[0].analysis.args is "threshold". None of the templates (success-rate) declares this argument; remove it or fix its name.' },
    );
  });

  it('fails on an unpinned image', () => {
    for (const image of ['web-app:latest', 'web-app', 'registry:5000/web-app']) {
      assert.throws(
        () => new Rollout(testChart(), 'Web', { name: 'web', container: { image, portNumber: 8080 }, strategy: RolloutStrategy.rolling() }),
        {
          message: `test/Web: container.image is "${image}". Pin the image to an explicit version tag such as "ghcr.io/<owner>/web-app:v1.2.3" (never "latest"), or a digest.`,
        },
      );
    }
  });

  it('fails on a root container and on a container without a port', () => {
    assert.throws(
      () =>
        new Rollout(testChart(), 'Web', {
          name: 'web',
          container: { image: 'web:v1', portNumber: 8080, securityContext: { ensureNonRoot: false } },
          strategy: RolloutStrategy.rolling(),
        }),
      { message: 'test/Web: container.securityContext.ensureNonRoot is false. Platform policy: containers run as non-root; remove ensureNonRoot: false.' },
    );
    assert.throws(
      () => new Rollout(testChart(), 'Web', { name: 'web', container: { image: 'web:v1' }, strategy: RolloutStrategy.rolling() }),
      { message: 'test/Web: container.ports is []. Give the container a port (portNumber or ports) for its Services.' },
    );
  });
});
