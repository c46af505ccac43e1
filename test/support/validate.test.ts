import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  assertValidManifests,
  droppedPatterns,
  knownCustomKinds,
  scanCelRules,
  skippedCelRules,
  validateAgainstSchema,
  validateManifest,
} from './validate';

type Manifest = Record<string, unknown>;

function application(syncPolicy: Record<string, unknown>): Manifest {
  return {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Application',
    metadata: { name: 'guestbook', namespace: 'argocd', labels: { 'app.kubernetes.io/part-of': 'platform' } },
    spec: {
      project: 'default',
      source: { repoURL: 'https://github.com/argoproj/argocd-example-apps', path: 'guestbook', targetRevision: 'HEAD' },
      destination: { server: 'https://kubernetes.default.svc', namespace: 'guestbook' },
      syncPolicy,
    },
  };
}

function helmRelease(spec: Record<string, unknown>): Manifest {
  return { apiVersion: 'helm.toolkit.fluxcd.io/v2', kind: 'HelmRelease', metadata: { name: 'podinfo', namespace: 'flux-system' }, spec: { interval: '10m', ...spec } };
}

const chart = { spec: { chart: 'podinfo', version: '6.x', sourceRef: { kind: 'HelmRepository', name: 'podinfo' } } };

function deployment(container: Record<string, unknown>): Manifest {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web', namespace: 'apps', labels: { app: 'web' } },
    spec: {
      replicas: 2,
      selector: { matchLabels: { app: 'web' } },
      template: {
        metadata: { labels: { app: 'web' }, annotations: { 'prometheus.io/scrape': 'true' } },
        spec: {
          serviceAccountName: 'web',
          securityContext: { runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } },
          containers: [
            {
              name: 'web',
              image: 'nginx:1.27',
              ports: [{ name: 'http', containerPort: 8080 }],
              env: [{ name: 'POD_NAME', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } }],
              readinessProbe: { httpGet: { path: '/healthz', port: 'http' }, periodSeconds: 10 },
              resources: { requests: { cpu: '100m', memory: '64Mi' }, limits: { cpu: 1, memory: '128Mi' } },
              ...container,
            },
          ],
          volumes: [{ name: 'config', configMap: { name: 'web' } }],
        },
      },
    },
  };
}

function problemsOf(obj: Manifest): string[] {
  return validateManifest(obj);
}

describe('validateManifest: custom resources', () => {
  it('accepts a valid Argo CD Application', () => {
    assert.deepEqual(problemsOf(application({ automated: { prune: true, selfHeal: true }, syncOptions: ['CreateNamespace=true'] })), []);
  });

  it('rejects an unknown field under spec.syncPolicy, naming its path', () => {
    const problems = problemsOf(application({ automated: { prune: true }, autoSync: true }));
    assert.equal(problems.length, 1, problems.join('\n'));
    assert.match(problems[0] ?? '', /^spec\.syncPolicy\.autoSync: unknown field/);
  });

  it('rejects a wrong primitive type and a missing required field', () => {
    const app = application({ automated: { prune: 'yes' } });
    delete (app.spec as Manifest).destination;
    const problems = problemsOf(app);
    assert.ok(problems.some((p) => p.startsWith('spec.syncPolicy.automated.prune: must be boolean')), problems.join('\n'));
    assert.ok(problems.includes('spec.destination: required field missing'), problems.join('\n'));
  });

  it('rejects a Flux HelmRelease with both chart and chartRef by its CEL rule', () => {
    const problems = problemsOf(helmRelease({ chart, chartRef: { kind: 'OCIRepository', name: 'podinfo' } }));
    assert.equal(problems.length, 1, problems.join('\n'));
    assert.match(problems[0] ?? '', /^spec: either chart or chartRef must be set/);
  });

  it('accepts a Flux HelmRelease with just chart', () => {
    assert.deepEqual(problemsOf(helmRelease({ chart, values: { replicaCount: 2, ingress: { enabled: false } } })), []);
  });

  it('evaluates CEL rules on integers and on items of a list', () => {
    const agent = {
      apiVersion: 'monitoring.coreos.com/v1alpha1',
      kind: 'PrometheusAgent',
      metadata: { name: 'agent', namespace: 'monitoring' },
      spec: { mode: 'DaemonSet', shards: 2 },
    };
    assert.match(problemsOf(agent).join('\n'), /^spec: .*self\.shards > 1/m);
    assert.deepEqual(problemsOf({ ...agent, spec: { mode: 'DaemonSet' } }), []);
    const route = {
      apiVersion: 'networking.istio.io/v1',
      kind: 'VirtualService',
      metadata: { name: 'web', namespace: 'apps' },
      spec: { hosts: ['web'], http: [{ route: [{ destination: { host: 'web' } }], timeout: '10s' }, { route: [{ destination: { host: 'web' } }], timeout: '0.5ms' }] },
    };
    const problems = problemsOf(route);
    assert.equal(problems.length, 1, problems.join('\n'));
    assert.match(problems[0] ?? '', /^spec\.http\[1\]\.timeout: .*duration\(self\) >= duration\('1ms'\)/);
  });

  it('accepts a PrometheusRule with a valid rule (the (?i) pattern does not crash)', () => {
    const rule = {
      apiVersion: 'monitoring.coreos.com/v1',
      kind: 'PrometheusRule',
      metadata: { name: 'platform', namespace: 'monitoring' },
      spec: {
        groups: [
          {
            name: 'argocd',
            partial_response_strategy: 'WARN',
            rules: [{ alert: 'ArgoAppOutOfSync', expr: 'argocd_app_info{sync_status!="Synced"} == 1', for: '15m', labels: { severity: 'warning' } }],
          },
        ],
      },
    };
    assert.deepEqual(problemsOf(rule), []);
    const bad = structuredClone(rule);
    ((bad.spec.groups[0] as Manifest).partial_response_strategy as string) = 'ignore';
    assert.match(problemsOf(bad)[0] ?? '', /partial_response_strategy: must match pattern/);
  });

  it('checks metadata as ObjectMeta', () => {
    const app = application({});
    app.metadata = { name: 'Guest_Book', namespace: 'argocd', labels: { team: 'a b' }, uid: '123', owner: 'x' };
    const problems = problemsOf(app).join('\n');
    assert.match(problems, /metadata\.name: "Guest_Book" must be a DNS-1123 subdomain/);
    assert.match(problems, /metadata\.labels\.team: label value/);
    assert.match(problems, /metadata\.uid: set by the API server/);
    assert.match(problems, /metadata\.owner: unknown field/);
  });

  it('rejects a namespace on a cluster-scoped custom resource, and status', () => {
    const store = {
      apiVersion: 'external-secrets.io/v1',
      kind: 'ClusterSecretStore',
      metadata: { name: 'vault', namespace: 'default' },
      spec: { provider: { fake: { data: [{ key: 'k', value: 'v' }] } } },
      status: { conditions: [] },
    };
    assert.deepEqual(problemsOf(store), ['status: must not be set in a desired-state manifest', 'metadata.namespace: must not be set on a cluster-scoped kind']);
  });

  it('rejects an unserved or unknown version of a known kind', () => {
    const secret = { apiVersion: 'external-secrets.io/v1beta1', kind: 'ExternalSecret', metadata: { name: 'x', namespace: 'y' }, spec: {} };
    assert.match(problemsOf(secret)[0] ?? '', /not served/);
    assert.match(problemsOf({ ...secret, apiVersion: 'external-secrets.io/v9' })[0] ?? '', /is not a version of ExternalSecret/);
  });

  it('enforces x-kubernetes-list-type map keys and int-or-string', () => {
    const rollout = {
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'Rollout',
      metadata: { name: 'web', namespace: 'apps' },
      spec: {
        selector: { matchLabels: { app: 'web' } },
        workloadRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' },
        strategy: { canary: { maxSurge: '25%', maxUnavailable: 0, steps: [{ setWeight: 20 }, { pause: { duration: '1m' } }] } },
      },
    };
    assert.deepEqual(problemsOf(rollout), []);
    const bad = structuredClone(rollout);
    bad.spec.strategy.canary.maxSurge = 1.5 as unknown as string;
    assert.match(problemsOf(bad)[0] ?? '', /maxSurge: must be an integer or a string/);
  });
});

describe('validateAgainstSchema: structural schema semantics', () => {
  const schema = {
    type: 'object',
    properties: {
      port: { 'x-kubernetes-int-or-string': true, anyOf: [{ type: 'integer' }, { type: 'string' }] },
      flag: { type: 'boolean', nullable: true },
      mode: { type: 'string', pattern: '^((?i)fast|slow)$' },
      tags: { type: 'array', items: { type: 'string' }, 'x-kubernetes-list-type': 'set' },
      ports: {
        type: 'array',
        items: { type: 'object', properties: { name: { type: 'string' }, port: { type: 'integer' } } },
        'x-kubernetes-list-type': 'map',
        'x-kubernetes-list-map-keys': ['name'],
      },
      marker: { type: 'object' },
      free: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true, properties: { known: { type: 'string' } } },
      labels: { type: 'object', additionalProperties: { type: 'string' } },
      template: { type: 'object', 'x-kubernetes-embedded-resource': true, 'x-kubernetes-preserve-unknown-fields': true },
      limits: {
        type: 'object',
        properties: { min: { type: 'integer' }, max: { type: 'integer' } },
        'x-kubernetes-validations': [{ rule: 'self.min <= self.max', message: 'min must not exceed max' }, { rule: 'self.max == oldSelf.max' }],
      },
    },
    anyOf: [{ properties: { mode: { enum: ['fast', 'FAST', 'slow'] } } }, { required: ['port'] }],
  };

  it('accepts what Kubernetes accepts', () => {
    const value = {
      port: 'http',
      flag: null,
      mode: 'Fast',
      tags: ['a', 'b'],
      ports: [{ name: 'a', port: 1 }, { name: 'b', port: 1 }],
      marker: {},
      free: { known: 'x', anything: { goes: [1] } },
      labels: { a: 'b' },
      template: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x' }, data: { a: 'b' } },
      limits: { min: 1, max: 2 },
    };
    assert.deepEqual(validateAgainstSchema(schema, value), []);
  });

  it('rejects what Kubernetes rejects or would silently prune', () => {
    const value = {
      port: 1.5,
      flag: 'yes',
      mode: 'medium',
      tags: ['a', 'a'],
      ports: [{ name: 'a', port: 1 }, { name: 'a', port: 2 }],
      marker: { pruned: true },
      labels: { a: 1 },
      template: { metadata: { name: 'x', bogus: 1 } },
      limits: { min: 3, max: 2, step: 1 },
      extra: true,
    };
    const problems = validateAgainstSchema(schema, value);
    const expected = [
      /^port: must be an integer or a string/,
      /^flag: must be boolean,null/,
      /^mode: must match pattern "\^\(fast\|slow\)\$" \(case-insensitive\)/,
      /^tags: duplicate list value: "a"/,
      /^ports: duplicate list key \(name\): \["a"\]/,
      /^marker\.pruned: unknown field \(no fields allowed here\)/,
      /^labels\.a: must be string/,
      /^template\.apiVersion: required field missing/,
      /^template\.kind: required field missing/,
      /^template\.metadata\.bogus: unknown field/,
      /^limits\.step: unknown field/,
      /^limits: min must not exceed max \(rule: self\.min <= self\.max\)/,
      /^extra: unknown field/,
    ];
    for (const pattern of expected) assert.ok(problems.some((p) => pattern.test(p)), `${pattern} not in:\n${problems.join('\n')}`);
    // The transition rule (oldSelf) is not evaluated.
    assert.ok(!problems.some((p) => p.includes('oldSelf')));
  });
});

describe('validateManifest: core kinds', () => {
  it('accepts a valid Deployment, ConfigMap, Namespace and Service', () => {
    const objects: Manifest[] = [
      deployment({}),
      { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'apps', labels: { 'pod-security.kubernetes.io/enforce': 'restricted' } } },
      { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'web', namespace: 'apps' }, data: { 'nginx.conf': 'events {}' } },
      {
        apiVersion: 'v1',
        kind: 'Service',
        metadata: { name: 'web', namespace: 'apps' },
        spec: { selector: { app: 'web' }, ports: [{ name: 'http', port: 80, targetPort: 'http', protocol: 'TCP' }] },
      },
    ];
    for (const obj of objects) assert.deepEqual(problemsOf(obj), [], String(obj.kind));
  });

  it('rejects an unknown container field in a Deployment', () => {
    const problems = problemsOf(deployment({ imagePullSecret: 'regcred' }));
    assert.equal(problems.length, 1, problems.join('\n'));
    assert.match(problems[0] ?? '', /^spec\.template\.spec\.containers\[0\]\.imagePullSecret: unknown field/);
  });

  it('rejects wrong types, bad quantities and missing required fields', () => {
    const problems = problemsOf(deployment({ name: undefined, stdin: 'yes', resources: { limits: { memory: '128 MB' } } }));
    const text = problems.join('\n');
    assert.match(text, /containers\[0\]\.name: required field missing/);
    assert.match(text, /containers\[0\]\.stdin: must be boolean/);
    assert.match(text, /limits\.memory: must be a quantity/);
  });

  it('checks Secret data encoding, keys and RBAC names', () => {
    const secret = { apiVersion: 'v1', kind: 'Secret', metadata: { name: 's', namespace: 'a' }, type: 'Opaque', data: { 'a/b': 'not base64!' } };
    const text = problemsOf(secret).join('\n');
    assert.match(text, /data\."a\/b": must be base64-encoded/);
    assert.match(text, /data\."a\/b": key must consist of/);
    const role = {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRole',
      metadata: { name: 'system:platform-viewer' },
      rules: [{ apiGroups: ['argoproj.io'], resources: ['applications'], verbs: ['get', 'list'] }],
    };
    assert.deepEqual(problemsOf(role), []);
  });

  it('rejects an unknown kind or apiVersion', () => {
    assert.match(problemsOf({ apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w' } })[0] ?? '', /unknown kind/);
    assert.match(problemsOf({ apiVersion: 'v1', kind: 'Widget', metadata: { name: 'w' } })[0] ?? '', /unknown kind/);
    assert.match(problemsOf({ apiVersion: 'apps/v1beta1', kind: 'Deployment', metadata: { name: 'w' } })[0] ?? '', /unknown kind/);
  });
});

describe('assertValidManifests', () => {
  it('throws one error naming kind/namespace/name and every problem', () => {
    const bad = [application({ autoSync: true }), deployment({ imagePullSecret: 'x' }), deployment({})];
    assert.throws(
      () => assertValidManifests(bad, 'platform'),
      (error: Error) => {
        assert.match(error.message, /^platform: 3 of 3 object\(s\) invalid/);
        assert.match(error.message, /Application\/argocd\/guestbook \(#0\):\n {4}- spec\.syncPolicy\.autoSync: unknown field/);
        assert.match(error.message, /Deployment\/apps\/web \(#1\)/);
        assert.match(error.message, /duplicate object/);
        return true;
      },
    );
    assert.doesNotThrow(() => assertValidManifests([application({}), deployment({})]));
  });

  it('validates ~300 manifests quickly once validators are compiled', () => {
    const objects: Manifest[] = [];
    for (let i = 0; i < 100; i++) {
      const app = application({ automated: { prune: true } });
      (app.metadata as Manifest).name = `app-${i}`;
      const dep = deployment({});
      (dep.metadata as Manifest).name = `web-${i}`;
      const hr = helmRelease({ chart });
      (hr.metadata as Manifest).name = `release-${i}`;
      objects.push(app, dep, hr);
    }
    const started = performance.now();
    assertValidManifests(objects);
    const elapsed = performance.now() - started;
    assert.ok(elapsed < 2000, `300 manifests took ${elapsed.toFixed(0)} ms`);
  });
});

describe('CRD coverage and CEL rules', () => {
  it('indexes every CRD of schemas/crds', () => {
    const kinds = knownCustomKinds();
    for (const kind of ['argoproj.io/Application', 'helm.toolkit.fluxcd.io/HelmRelease', 'monitoring.coreos.com/PrometheusRule', 'networking.istio.io/VirtualService', 'cert-manager.io/ClusterIssuer']) {
      assert.ok(kinds.includes(kind), kind);
    }
    assert.equal(kinds.length, 61);
  });

  it('compiles every CEL rule; the few not enforced are explained', () => {
    const scan = scanCelRules();
    assert.ok(scan.total > 200, `only ${scan.total} rules found`);
    // Transition rules compare with the previous object: a manifest has none.
    assert.ok(scan.transition.every((r) => /\boldSelf\b/.test(r.rule)));
    assert.ok(scan.transition.length <= 5, scan.transition.map((r) => r.rule).join('\n'));
    // Rules using a function @bufbuild/cel lacks (Kubernetes' url/quantity/ip libraries...):
    // none in the CRDs stored today. Any new one must be added here with its reason.
    const explained: Record<string, string> = {};
    for (const rule of scan.skipped) assert.ok(explained[rule.rule], `unexplained skipped CEL rule at ${rule.where}: ${rule.rule} (${rule.reason})`);
    assert.ok(scan.skipped.length <= 5);
    assert.equal(scan.enforced + scan.transition.length + scan.skipped.length, scan.total);
  });

  it('records (does not silently pass) a rule it cannot compile', () => {
    const schema = { type: 'array', items: { type: 'integer' }, 'x-kubernetes-validations': [{ rule: 'self.isSorted()' }, { rule: 'size(self) < 3' }] };
    assert.deepEqual(validateAgainstSchema(schema, [2, 1]), []);
    assert.match(validateAgainstSchema(schema, [1, 2, 3])[0] ?? '', /failed rule: size\(self\) < 3/);
    const skipped = skippedCelRules.find((r) => r.rule === 'self.isSorted()');
    assert.equal(skipped?.reason, 'unsupported function(s): isSorted');
  });

  it('drops no regular expression pattern', () => {
    validateManifest({ apiVersion: 'monitoring.coreos.com/v1alpha1', kind: 'AlertmanagerConfig', metadata: { name: 'a', namespace: 'm' }, spec: {} });
    assert.deepEqual(droppedPatterns, []);
  });
});
