import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import * as fs from 'fs';
import { dev, prod, staging } from '../../../environments';
import { IstioCanaryRouting, ROLLOUT_IGNORE_DIFFERENCES } from '../../../lib/delivery/istio';
import { EnvironmentConfig } from '../../../stacks/environment';
import { ManifestObject } from '../../../lib/platform/gitops-tree';
import { pinnedImagesPolicy } from '../../../lib/security/policies/pinned-images';
import { workloadSecurityPolicy } from '../../../lib/security/policies/workload-security';
import { podSecurityViolations } from '../../support/pod-security';
import { synthEnvironment, SynthResult } from '../../support/synth';
import { assertValidManifests, validateManifest } from '../../support/validate';
import { at, objects, one, testChart } from './helpers';

describe('IstioCanaryRouting', () => {
  it('routes 100% to the stable subset and 0% to the canary subset of one host', () => {
    const chart = testChart();
    new IstioCanaryRouting(chart, 'Frontend', {
      virtualServiceName: 'frontend-vs',
      destinationRuleName: 'frontend-dr',
      host: 'frontend',
      namespace: 'prod',
    });
    const all = objects(chart);
    const vs = one(all, 'VirtualService', 'frontend-vs');
    assert.equal(vs.apiVersion, 'networking.istio.io/v1');
    assert.deepEqual(at(vs, 'spec'), {
      hosts: ['frontend'],
      http: [
        {
          name: 'primary',
          route: [
            { destination: { host: 'frontend', subset: 'stable' }, weight: 100 },
            { destination: { host: 'frontend', subset: 'canary' }, weight: 0 },
          ],
        },
      ],
    });
    const dr = one(all, 'DestinationRule', 'frontend-dr');
    assert.deepEqual(at(dr, 'spec'), { host: 'frontend', subsets: [{ name: 'stable' }, { name: 'canary' }] });
    assertValidManifests(all, 'istio objects');
  });

  it('sends a header to the canary ahead of the weighted route (seed 003)', () => {
    const chart = testChart();
    new IstioCanaryRouting(chart, 'Frontend', {
      virtualServiceName: 'frontend-canary',
      destinationRuleName: 'frontend',
      host: 'frontend',
      canaryHeader: { name: 'canary', value: 'true' },
    });
    const vs = one(objects(chart), 'VirtualService');
    assert.deepEqual(at(vs, 'spec.http.0'), {
      name: 'primary-canary-header',
      match: [{ headers: { canary: { exact: 'true' } } }],
      route: [{ destination: { host: 'frontend', subset: 'canary' } }],
    });
    assert.equal(at(vs, 'spec.http.1.name'), 'primary');
    assertValidManifests(objects(chart), 'istio header route');
  });

  it('is checked against the Istio CEL rules (a zero route timeout is rejected, as by the API server)', () => {
    const chart = testChart();
    new IstioCanaryRouting(chart, 'X', { virtualServiceName: 'x', destinationRuleName: 'x', host: 'x' });
    const vs = one(objects(chart), 'VirtualService');
    const withTimeout = { ...vs, spec: { ...(vs.spec as object), http: [{ ...(at(vs, 'spec.http.0') as object), timeout: '0s' }] } };
    assert.deepEqual(validateManifest(withTimeout), [
      "spec.http[0].timeout: must be a valid duration greater than 1ms (rule: duration(self) >= duration('1ms'))",
    ]);
  });

  it('fails when the subsets share a name', () => {
    assert.throws(
      () => new IstioCanaryRouting(testChart(), 'X', { virtualServiceName: 'x', destinationRuleName: 'x', host: 'x', stableSubset: 'v1', canarySubset: 'v1' }),
      { message: 'test/X: canarySubset is "v1". The stable and canary subsets need different names.' },
    );
  });

  it('tells Argo CD which fields Argo Rollouts changes', () => {
    assert.deepEqual(ROLLOUT_IGNORE_DIFFERENCES.map((d) => d.kind), ['VirtualService', 'DestinationRule']);
  });
});

/**
 * What Istio's sidecar injector adds to a pod (istio-discovery chart,
 * `files/injection-template.yaml`, at the chart's default values: interception
 * mode REDIRECT, `capNetBindService` off, `global.proxy.resources` and
 * `global.proxy_init.resources` set). With the CNI plugin the init container
 * is `istio-validation`, running as the proxy's user 1337; without it,
 * `istio-init` runs as root with NET_ADMIN and NET_RAW.
 */
function injectedContainers(cni: boolean): { initContainers: Array<Record<string, unknown>>; containers: Array<Record<string, unknown>> } {
  const proxyResources = { requests: { cpu: '100m', memory: '128Mi' }, limits: { cpu: '2000m', memory: '1024Mi' } };
  const initResources = { requests: { cpu: '10m', memory: '10Mi' }, limits: { cpu: '2000m', memory: '1024Mi' } };
  const init = cni
    ? {
        name: 'istio-validation',
        image: 'docker.io/istio/proxyv2:1.27.3',
        resources: initResources,
        securityContext: {
          allowPrivilegeEscalation: false, privileged: false, capabilities: { drop: ['ALL'] },
          readOnlyRootFilesystem: true, runAsGroup: 1337, runAsUser: 1337, runAsNonRoot: true,
        },
      }
    : {
        name: 'istio-init',
        image: 'docker.io/istio/proxyv2:1.27.3',
        resources: initResources,
        securityContext: {
          allowPrivilegeEscalation: false, privileged: false, capabilities: { add: ['NET_ADMIN', 'NET_RAW'], drop: ['ALL'] },
          readOnlyRootFilesystem: false, runAsGroup: 0, runAsNonRoot: false, runAsUser: 0,
        },
      };
  const proxy = {
    name: 'istio-proxy',
    image: 'docker.io/istio/proxyv2:1.27.3',
    ports: [{ containerPort: 15090, name: 'http-envoy-prom', protocol: 'TCP' }],
    resources: proxyResources,
    securityContext: {
      allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] }, privileged: false,
      readOnlyRootFilesystem: true, runAsGroup: 1337, runAsNonRoot: true, runAsUser: 1337,
    },
  };
  return { initContainers: [init], containers: [proxy] };
}

/** The pod a prod Rollout's ReplicaSet creates, after Istio injected it: what Pod Security and Gatekeeper see. */
function injectedPod(cni: boolean): ManifestObject {
  const result = prodSynth();
  const rollout = result.objects.find((o) => o.object.kind === 'Rollout' && o.object.metadata.name === 'prod-backend-api')!.object;
  const spec = at(rollout, 'spec.template.spec') as { containers: unknown[] };
  const injected = injectedContainers(cni);
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'prod-backend-api-7d9c-abcde', namespace: 'prod' },
    spec: { ...spec, initContainers: injected.initContainers, containers: [...spec.containers, ...injected.containers] },
  } as unknown as ManifestObject;
}

let prodResult: SynthResult | undefined;
function prodSynth(): SynthResult {
  prodResult ??= synthEnvironment(prod);
  return prodResult;
}
after(() => {
  if (prodResult) fs.rmSync(prodResult.directory, { recursive: true, force: true });
});

describe('Istio sidecar injection', () => {
  const attempt = (env: EnvironmentConfig) => () => synthEnvironment(env);
  const namespaceLabels = (result: SynthResult, name: string): Record<string, string> =>
    Object.values(result.tf.resource.kubernetes_namespace_v1).map((r) => r.metadata as { name: string; labels: Record<string, string> }).find((n) => n.name === name)!.labels;

  it('is on in every shipped environment, which declares Istio with its CNI plugin', () => {
    for (const env of [dev, staging, prod]) {
      assert.deepEqual(env.prerequisites?.istio, { installed: true, cni: true }, env.name);
    }
    assert.equal(namespaceLabels(prodSynth(), 'prod')['istio-injection'], 'enabled');
  });

  it('fails when the namespace enforces restricted and Istio runs without its CNI plugin', () => {
    assert.throws(attempt({ ...prod, prerequisites: { ...prod.prerequisites, istio: { installed: true, cni: false } } }), {
      name: 'ConfigError',
      message:
        'Environment "prod": prerequisites.istio.cni is false. Namespace "prod" enforces Pod Security "restricted", which refuses the istio-init container ' +
        'Istio injects without its CNI plugin (NET_ADMIN, NET_RAW, user 0): install Istio with the CNI plugin (istio-cni) and set prerequisites.istio.cni to true, ' +
        'or set delivery.sidecarInjection to false.',
    });
  });

  it('fails under baseline too (dev), since baseline refuses NET_ADMIN', () => {
    assert.throws(attempt({ ...dev, prerequisites: { ...dev.prerequisites, istio: { installed: true, cni: false } } }), {
      message: /^Environment "dev": prerequisites\.istio\.cni is false\. Namespace "dev" enforces Pod Security "baseline"/,
    });
  });

  it('fails when a canary routes through Istio and Istio is not a prerequisite', () => {
    assert.throws(attempt({ ...dev, prerequisites: { ...dev.prerequisites, istio: undefined } }), {
      message:
        'Environment "dev": prerequisites.istio.installed is false. The canaries of frontend route traffic through Istio (VirtualService, DestinationRule), ' +
        'whose CRDs must exist before the root app syncs: install Istio first and set prerequisites.istio.installed to true, or use TrafficRouting.none().',
    });
  });

  it('fails when injection is asked for without Istio', () => {
    const services = dev.delivery!.services!.filter((s) => s.name !== 'frontend').map((s) => ({ ...s, dependsOn: (s.dependsOn ?? []).filter((d) => d !== 'frontend') }));
    const env: EnvironmentConfig = { ...dev, prerequisites: { ...dev.prerequisites, istio: undefined }, delivery: { ...dev.delivery, services, releases: {}, sidecarInjection: true } };
    assert.throws(attempt(env), { message: /^Environment "dev": prerequisites\.istio\.installed is false\. delivery\.sidecarInjection is on, but nothing injects sidecars without Istio/ });
  });

  it('leaves the namespace without injection when it is turned off, even without the CNI plugin', () => {
    const env: EnvironmentConfig = { ...prod, prerequisites: { ...prod.prerequisites, istio: { installed: true, cni: false } }, delivery: { ...prod.delivery, sidecarInjection: false } };
    const result = synthEnvironment(env);
    try {
      assert.equal(namespaceLabels(result, 'prod')['istio-injection'], undefined);
    } finally {
      fs.rmSync(result.directory, { recursive: true, force: true });
    }
  });

  it('fails on a CNI plugin without Istio', () => {
    assert.throws(attempt({ ...dev, prerequisites: { ...dev.prerequisites, istio: { installed: false, cni: true } } }), {
      message: 'Environment "dev": prerequisites.istio.cni is true. The Istio CNI plugin is part of an Istio install: set istio.installed to true, or cni to false.',
    });
  });

  it('with the CNI plugin, the injected pod passes Pod Security restricted and the Gatekeeper workload policies', () => {
    const pod = injectedPod(true);
    assert.deepEqual(podSecurityViolations(pod.spec as Record<string, unknown>, 'restricted'), []);
    for (const policy of [workloadSecurityPolicy(), pinnedImagesPolicy()]) {
      assert.ok(policy.appliesTo(pod), policy.id);
      assert.deepEqual(policy.evaluate(pod), [], policy.id);
    }
  });

  it('without it, istio-init is refused by both: root with NET_ADMIN and NET_RAW', () => {
    const pod = injectedPod(false);
    assert.deepEqual(podSecurityViolations(pod.spec as Record<string, unknown>, 'baseline'), [
      'capabilities: istio-init adds NET_ADMIN',
      'capabilities: istio-init adds NET_RAW',
    ]);
    assert.deepEqual(workloadSecurityPolicy().evaluate(pod).map((f) => f.detail), [
      'container "istio-init" (initContainers) does not set runAsNonRoot: true',
      'container "istio-init" (initContainers) runs as user 0 (root)',
    ]);
  });
});
