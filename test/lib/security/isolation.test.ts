import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { App, Chart, Testing } from 'cdk8s';
import { ControllerNetworkPolicy, TenantRbac } from '../../../lib/security';
import { DEFAULT_NETWORK_PROFILES } from '../../../lib/security/isolation/network-policies';
import { DEFAULT_POD_SECURITY_EXCEPTIONS, podSecurityLabels, validatePodSecurityExceptions } from '../../../lib/security/isolation/pod-security';
import { TENANT_RESOURCES } from '../../../lib/platform/namespace-security';
import { validateManifest } from '../../support/validate';
import { controllerNamespacesOf, DEV_CONTROLLER_NAMESPACES, SHIPPED, testStack } from './support';

type Json = Record<string, unknown>;

function chart(): Chart {
  return new Chart(Testing.app() as App, 'test', { disableResourceNameHashes: true });
}

function json(c: Chart): Json[] {
  const objects = c.toJson() as Json[];
  for (const o of objects) assert.deepEqual(validateManifest(o), [], `${String(o.kind)}/${String((o.metadata as Json).name)} is valid`);
  return objects;
}

describe('Pod Security admission', () => {
  it('labels enforce at the level, warn and audit at restricted', () => {
    assert.deepEqual(podSecurityLabels('baseline'), {
      'pod-security.kubernetes.io/enforce': 'baseline',
      'pod-security.kubernetes.io/enforce-version': 'latest',
      'pod-security.kubernetes.io/warn': 'restricted',
      'pod-security.kubernetes.io/warn-version': 'latest',
      'pod-security.kubernetes.io/audit': 'restricted',
      'pod-security.kubernetes.io/audit-version': 'latest',
    });
  });

  for (const [name, level] of [
    ['dev', 'baseline'],
    ['staging', 'baseline'],
    ['prod', 'restricted'],
  ] as const) {
    it(`${name}: every Terraform namespace is labelled, ${level} by default, monitoring, falco and velero privileged, Jenkins X baseline`, () => {
      const t = testStack(SHIPPED[name]);
      try {
        const { tf } = t.synth();
        const namespaces = Object.values(tf.resource.kubernetes_namespace_v1 ?? {}).map((r) => r.metadata as { name: string; labels: Record<string, string> });
        assert.ok(namespaces.length >= 6);
        for (const ns of namespaces) {
          // node-exporter, Falco and Velero's node agent need host access; Jenkins X builds run as root.
          const expected = ['monitoring', 'falco-system', 'velero'].includes(ns.name)
            ? 'privileged'
            : ['jx', 'jx-git-operator'].includes(ns.name)
              ? 'baseline'
              : level;
          assert.equal(ns.labels['pod-security.kubernetes.io/enforce'], expected, ns.name);
          assert.equal(ns.labels['pod-security.kubernetes.io/warn'], 'restricted', ns.name);
          assert.equal(ns.labels['app.kubernetes.io/managed-by'], 'terraform', 'labels merge with the platform labels');
        }
        assert.equal(t.security.podSecurityLevels['team-a'], level);
      } finally {
        t.dispose();
      }
    });
  }

  it('labels the monitoring namespace from the security exceptions, so an override applies', () => {
    // The monitoring install sets no level of its own: the exception table decides.
    const exceptions = { ...DEFAULT_POD_SECURITY_EXCEPTIONS, monitoring: { level: 'baseline' as const, reason: 'node-exporter disabled on this cluster; the managed offering collects node metrics' } };
    const t = testStack(SHIPPED.dev, { security: { ...SHIPPED.dev.security, podSecurityExceptions: exceptions } });
    try {
      const { tf } = t.synth();
      const monitoring = Object.values(tf.resource.kubernetes_namespace_v1).map((r) => r.metadata as { name: string; labels: Record<string, string> }).find((n) => n.name === 'monitoring')!;
      assert.equal(monitoring.labels['pod-security.kubernetes.io/enforce'], 'baseline');
      assert.equal(t.security.podSecurityLevels.monitoring, 'baseline');
    } finally {
      t.dispose();
    }
  });

  it('keeps a level a module set itself', () => {
    const t = testStack(SHIPPED.prod, {}, (p) => p.namespace('legacy', { 'pod-security.kubernetes.io/enforce': 'baseline' }));
    try {
      const { tf } = t.synth();
      const legacy = Object.values(tf.resource.kubernetes_namespace_v1).map((r) => r.metadata as { name: string; labels: Record<string, string> }).find((n) => n.name === 'legacy')!;
      assert.equal(legacy.labels['pod-security.kubernetes.io/enforce'], 'baseline');
      assert.equal(legacy.labels['pod-security.kubernetes.io/audit'], 'restricted');
      assert.equal(t.security.podSecurityLevels.legacy, 'baseline');
    } finally {
      t.dispose();
    }
  });

  it('fails when an exception has an unknown level or no reason', () => {
    assert.throws(() => validatePodSecurityExceptions('Environment "dev"', { monitoring: { level: 'open' as 'baseline', reason: 'node exporter needs host' } }), /Environment "dev": security.podSecurityExceptions.monitoring.level is "open". Use one of privileged, baseline, restricted./);
    assert.throws(() => validatePodSecurityExceptions('Environment "dev"', { monitoring: { level: 'privileged', reason: '' } }), /security.podSecurityExceptions.monitoring.reason is empty/);
  });
});

describe('ControllerNetworkPolicy', () => {
  it('denies everything, then allows the namespace, DNS, API/HTTPS egress, webhooks and scraping', () => {
    const c = chart();
    const np = new ControllerNetworkPolicy(c, 'Gk', {
      namespace: 'gatekeeper-system',
      profile: DEFAULT_NETWORK_PROFILES['gatekeeper-system'],
      ingressNamespace: 'ingress-nginx',
      monitoringNamespace: 'monitoring',
      egressCidrs: ['0.0.0.0/0'],
    });
    const objects = json(c);
    assert.deepEqual(np.policyNames, ['default-deny-all', 'allow-same-namespace', 'allow-dns', 'allow-api-server-and-https', 'allow-api-server-webhooks', 'allow-metrics-scraping']);
    const byName = new Map(objects.map((o) => [(o.metadata as Json).name as string, o.spec as Json]));
    assert.deepEqual(byName.get('default-deny-all'), { podSelector: {}, policyTypes: ['Ingress', 'Egress'] });
    assert.deepEqual(byName.get('allow-dns')!.egress, [
      {
        to: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' } }, podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } } }],
        ports: [
          { protocol: 'UDP', port: 53 },
          { protocol: 'TCP', port: 53 },
        ],
      },
    ]);
    assert.deepEqual(byName.get('allow-api-server-and-https')!.egress, [{ to: [{ ipBlock: { cidr: '0.0.0.0/0' } }], ports: [{ protocol: 'TCP', port: 443 }, { protocol: 'TCP', port: 6443 }] }]);
    assert.deepEqual(byName.get('allow-api-server-webhooks')!.ingress, [{ ports: [{ protocol: 'TCP', port: 8443 }] }]);
    assert.deepEqual(byName.get('allow-metrics-scraping')!.ingress, [{ from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'monitoring' } } }], ports: [{ protocol: 'TCP', port: 8888 }] }]);
  });

  it('lets Argo CD be reached through the ingress controller and External Secrets reach Vault on 8200', () => {
    const c = chart();
    new ControllerNetworkPolicy(c, 'Argo', { namespace: 'argocd', profile: DEFAULT_NETWORK_PROFILES.argocd, ingressNamespace: 'ingress-nginx', egressCidrs: ['10.0.0.0/8'] });
    new ControllerNetworkPolicy(c, 'Eso', { namespace: 'external-secrets', profile: DEFAULT_NETWORK_PROFILES['external-secrets'], ingressNamespace: 'ingress-nginx', egressCidrs: ['10.0.0.0/8'] });
    const objects = json(c);
    const find = (ns: string, name: string): Json => objects.find((o) => (o.metadata as Json).namespace === ns && (o.metadata as Json).name === name)!.spec as Json;
    assert.deepEqual(find('argocd', 'allow-ingress-controller').ingress, [
      { from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'ingress-nginx' } } }], ports: [{ protocol: 'TCP', port: 7000 }, { protocol: 'TCP', port: 8080 }] },
    ]);
    assert.equal(objects.some((o) => (o.metadata as Json).name === 'allow-metrics-scraping'), false, 'no scraping without monitoring');
    assert.deepEqual((find('external-secrets', 'allow-api-server-and-https').egress as Json[])[0].ports, [
      { protocol: 'TCP', port: 443 },
      { protocol: 'TCP', port: 6443 },
      { protocol: 'TCP', port: 8200 },
    ]);
  });

  it('fails when a CIDR or port is malformed', () => {
    assert.throws(() => new ControllerNetworkPolicy(chart(), 'X', { namespace: 'a', profile: {}, ingressNamespace: 'i', egressCidrs: ['everywhere'] }), /test\/X: egressCidrs is "everywhere". Use CIDR notation/);
    assert.throws(() => new ControllerNetworkPolicy(chart(), 'X', { namespace: 'a', profile: { webhookPorts: [70000] }, ingressNamespace: 'i', egressCidrs: [] }), /webhookPorts is 70000/);
  });

  it('isolates the controller namespaces of the stack at synthesis', () => {
    const t = testStack(SHIPPED.prod);
    try {
      const { objects } = t.synth();
      assert.deepEqual(t.security.isolatedNamespaces, controllerNamespacesOf('prod'));
      const denies = objects.filter((o) => o.kind === 'NetworkPolicy' && o.metadata.name === 'default-deny-all').map((o) => o.metadata.namespace);
      assert.deepEqual(denies.sort(), controllerNamespacesOf('prod'));
    } finally {
      t.dispose();
    }
  });

  it('opens the egress ports the controllers declare: prod Argo CD reaches its SMTP server on 587', () => {
    const t = testStack(SHIPPED.prod);
    try {
      const { objects } = t.synth();
      const egressPorts = (ns: string): number[] =>
        objects
          .filter((o) => o.kind === 'NetworkPolicy' && o.metadata.namespace === ns)
          .flatMap((o) => ((o as any).spec.egress ?? []) as Array<{ ports?: Array<{ port: number }> }>)
          .flatMap((rule) => (rule.ports ?? []).map((p) => p.port));
      assert.ok(egressPorts('argocd').includes(587), `argocd egress: ${egressPorts('argocd')}`);
      assert.ok(egressPorts('argocd').includes(443));
      assert.ok(!egressPorts('flux-system').includes(587), 'only the namespace that sends mail');
    } finally {
      t.dispose();
    }
  });

  it('opens Git over SSH (22) when a team repository is an SSH URL', () => {
    const teams = (SHIPPED.dev.argocd?.teams ?? []).map((team) => ({ ...team, repoUrl: 'git@github.com:company/team-a-applications.git' }));
    const t = testStack(SHIPPED.dev, { argocd: { ...SHIPPED.dev.argocd, teams } });
    try {
      const { objects } = t.synth();
      const policy = objects.find((o) => o.kind === 'NetworkPolicy' && o.metadata.namespace === 'argocd' && o.metadata.name === 'allow-api-server-and-https') as any;
      assert.deepEqual(policy.spec.egress[0].ports.map((p: { port: number }) => p.port), [22, 443, 6443]);
    } finally {
      t.dispose();
    }
  });

  it('isolates Jenkins X: Lighthouse webhooks through the ingress controller in jx, nothing into jx-git-operator', () => {
    const t = testStack(SHIPPED.dev);
    try {
      const { objects } = t.synth();
      const names = (ns: string) => objects.filter((o) => o.kind === 'NetworkPolicy' && o.metadata.namespace === ns).map((o) => o.metadata.name);
      assert.deepEqual(names('jx'), ['default-deny-all', 'allow-same-namespace', 'allow-dns', 'allow-api-server-and-https', 'allow-ingress-controller']);
      assert.deepEqual(names('jx-git-operator'), ['default-deny-all', 'allow-same-namespace', 'allow-dns', 'allow-api-server-and-https']);
      const webhooks = objects.find((o) => o.kind === 'NetworkPolicy' && o.metadata.namespace === 'jx' && o.metadata.name === 'allow-ingress-controller')!;
      assert.deepEqual((webhooks.spec as Json).ingress, [{ from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'ingress-nginx' } } }], ports: [{ port: 8080, protocol: 'TCP' }] }]);
      assert.equal(t.security.podSecurityLevels.jx, 'baseline');
      assert.equal(t.security.podSecurityLevels['jx-git-operator'], 'baseline');
    } finally {
      t.dispose();
    }
  });

  it('allows every cross-namespace flow at both ends: Argo Rollouts analysis reaches Prometheus on 9090', () => {
    const t = testStack(SHIPPED.prod);
    try {
      const { objects } = t.synth();
      const policies = objects.filter((o) => o.kind === 'NetworkPolicy');
      const selects = (rule: Json, ns: string) =>
        ((rule.from as Json[] | undefined) ?? []).some((peer) => (peer.namespaceSelector as Json | undefined)?.matchLabels && ((peer.namespaceSelector as Json).matchLabels as Json)['kubernetes.io/metadata.name'] === ns);
      const flows: string[] = [];
      for (const policy of policies) {
        const source = policy.metadata.namespace!;
        for (const rule of ((policy.spec as Json).egress as Json[] | undefined) ?? []) {
          for (const peer of (rule.to as Json[] | undefined) ?? []) {
            const target = ((peer.namespaceSelector as Json | undefined)?.matchLabels as Json | undefined)?.['kubernetes.io/metadata.name'] as string | undefined;
            if (!target || target === source || target === 'kube-system' || !t.security.isolatedNamespaces.includes(target)) continue;
            for (const port of (rule.ports as Json[]).map((p) => p.port as number)) {
              const admitted = policies.some(
                (p) => p.metadata.namespace === target && ((p.spec as Json).ingress as Json[] | undefined ?? []).some((r) => selects(r, source) && (r.ports as Json[]).some((x) => x.port === port)),
              );
              flows.push(`${source} -> ${target}:${port} ${admitted ? 'admitted' : 'refused'}`);
            }
          }
        }
      }
      assert.deepEqual(flows, ['argo-rollouts -> monitoring:9090 admitted', 'falco-system -> monitoring:9093 admitted', 'opencost -> monitoring:9090 admitted']);
      const rule = policies.find((p) => p.metadata.namespace === 'monitoring' && p.metadata.name === 'allow-ingress-from-argo-rollouts')!;
      assert.deepEqual((rule.spec as Json).ingress, [{ from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'argo-rollouts' } } }], ports: [{ port: 9090, protocol: 'TCP' }] }]);
    } finally {
      t.dispose();
    }
  });

  it('is applied when the tree is written early too (stack.writeManifests() before app.synth())', () => {
    const t = testStack(SHIPPED.dev);
    try {
      const summary = t.stack.writeManifests();
      assert.ok(summary.files > 0);
      assert.deepEqual(t.security.isolatedNamespaces, DEV_CONTROLLER_NAMESPACES);
      const { files } = t.synth();
      assert.match(files.get('infrastructure/security-network-policies.yaml')!, /name: default-deny-all\n  namespace: argocd/);
    } finally {
      t.dispose();
    }
  });
});

describe('TenantRbac', () => {
  it('grants the reconciler the workload kinds of its namespace only: no RBAC, no Secrets, no NetworkPolicies', () => {
    const c = chart();
    const tenant = new TenantRbac(c, 'T', { namespace: 'team-a', developerGroups: ['company:developers'], viewerGroups: ['company:production-support'] });
    const objects = json(c);
    assert.equal(tenant.reconcilerServiceAccount, 'tenant-reconciler');
    const roles = objects.filter((o) => o.kind === 'Role');
    assert.deepEqual(roles.map((r) => (r.metadata as Json).name), ['tenant-reconciler', 'tenant-developer', 'tenant-viewer']);
    for (const role of roles) {
      assert.equal((role.metadata as Json).namespace, 'team-a');
      for (const rule of role.rules as Json[]) {
        for (const field of ['apiGroups', 'resources', 'verbs'] as const) assert.equal((rule[field] as string[]).includes('*'), false, `no wildcard ${field}`);
        const resources = rule.resources as string[];
        for (const forbidden of ['secrets', 'roles', 'rolebindings', 'networkpolicies']) assert.equal(resources.includes(forbidden), false, forbidden);
      }
    }
    const reconciler = roles[0].rules as Json[];
    assert.deepEqual(reconciler.map((r) => (r.apiGroups as string[])[0]), Object.keys(TENANT_RESOURCES));
    const viewer = roles[2].rules as Json[];
    assert.ok(viewer.every((r) => (r.verbs as string[]).every((v) => ['get', 'list', 'watch'].includes(v))));
    const developer = roles[1].rules as Json[];
    assert.equal(developer.some((r) => (r.resources as string[]).includes('pods/portforward')), false, 'no port-forward by default');
    const bindings = objects.filter((o) => o.kind === 'RoleBinding');
    assert.deepEqual(bindings.map((b) => [(b.metadata as Json).name, b.subjects]), [
      ['tenant-reconciler', [{ kind: 'ServiceAccount', name: 'tenant-reconciler', namespace: 'team-a' }]],
      ['tenant-developer', [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'Group', name: 'company:developers' }]],
      ['tenant-viewer', [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'Group', name: 'company:production-support' }]],
    ]);
    const isolation = objects.find((o) => o.kind === 'NetworkPolicy')!;
    assert.deepEqual((isolation.spec as Json).policyTypes, ['Ingress']);
  });

  it('allows developers to port-forward outside production only', () => {
    const rules = (env: 'dev' | 'prod'): string[] => {
      const t = testStack(SHIPPED[env]);
      try {
        const { objects } = t.synth();
        const developer = objects.find((o) => o.kind === 'Role' && o.metadata.name === 'tenant-developer' && o.metadata.namespace === 'team-a')!;
        return (developer.rules as Json[]).flatMap((r) => r.resources as string[]);
      } finally {
        t.dispose();
      }
    };
    assert.ok(rules('dev').includes('pods/portforward'));
    assert.equal(rules('prod').includes('pods/portforward'), false);
  });

  it('fails when a group name has spaces', () => {
    assert.throws(() => new TenantRbac(chart(), 'T', { namespace: 'team-a', developerGroups: ['team a'] }), /test\/T: groups is "team a"/);
  });
});
