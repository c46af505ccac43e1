import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { describe, it } from 'node:test';
import * as fs from 'fs';
import * as path from 'path';
import { ApiObject } from 'cdk8s';
import { Platform } from '../../../lib/platform/platform';
import { PolicyExemption } from '../../../lib/security';
import { assertValidConstraints, validateConstraint } from './constraints';
import { container, workload } from './fixtures';
import { ofKind, SHIPPED, testStack, workloadExcludedNamespacesOf } from './support';

type Json = Record<string, unknown>;

/** Adds a Deployment whose container does not run as non-root (and, with `latest`, is unpinned). */
function addRootDeployment(platform: Platform, image = 'registry.company.com/web:1.0.0'): void {
  const chart = platform.tree.chart('apps', 'team-web');
  const { apiVersion, kind, metadata, ...rest } = workload('Deployment', { containers: [container({ name: 'web', image, securityContext: undefined })] });
  new ApiObject(chart, 'Web', { apiVersion, kind, metadata: { name: metadata.name, namespace: metadata.namespace }, ...rest });
}

/**
 * Pod Security `restricted` refuses that Deployment in prod whatever Gatekeeper
 * exempts (the deploy model reports it): acknowledged where a test is about the exemption.
 */
const POD_SECURITY_ACKNOWLEDGED = {
  deployModel: {
    ...SHIPPED.prod.deployModel,
    acknowledged: [
      ...(SHIPPED.prod.deployModel?.acknowledged ?? []),
      ...['allowPrivilegeEscalation', 'capabilities_restricted', 'runAsNonRoot', 'seccompProfile_restricted'].map((id) => ({
        rule: `podSecurity.${id}`,
        object: 'Deployment/team-a/web',
        reason: 'a Gatekeeper exemption does not exempt Pod Security; this test is about the exemption',
      })),
    ],
  },
};

describe('PolicyLibrary at synth time', () => {
  it('fails synthesis under deny, naming the object, the policy and the fix', () => {
    const t = testStack(SHIPPED.prod, {}, (p) => addRootDeployment(p));
    try {
      assert.throws(
        () => t.synth(),
        (e: unknown) =>
          e instanceof Error &&
          e.message ===
            'Environment "prod": 1 policy violation(s):\n' +
              '  - [policy:workload-security] Deployment/team-a/web (apps/team-web.yaml): container "web" (containers) does not set runAsNonRoot: true. ' +
              'Fix: set securityContext.runAsNonRoot: true on the container (or the pod) and run as a non-zero runAsUser. ' +
              "If it is justified, exempt it in EnvironmentConfig.security.exemptions with PolicyExemption.forObject({ kind: 'Deployment', namespace: 'team-a', name: 'web' }, 'workload-security', '<reason>').",
      );
    } finally {
      t.dispose();
    }
  });

  it('lists every violation of every policy in one error', () => {
    const t = testStack(SHIPPED.prod, {}, (p) => addRootDeployment(p, 'web:latest'));
    try {
      assert.throws(() => t.synth(), /2 policy violation\(s\):\n {2}- \[policy:workload-security\] [^\n]+\n {2}- \[policy:pinned-images\] Deployment\/team-a\/web \(apps\/team-web.yaml\): container "web" \(containers\) image "web:latest" uses a forbidden tag \("latest"\)/);
    } finally {
      t.dispose();
    }
  });

  for (const [env, mode] of [
    ['dev', 'warn'],
    ['staging', 'dryrun'],
  ] as const) {
    it(`reports without failing under ${mode} (${env}): a cdktf warning and policies/POLICY-REPORT.md`, () => {
      const t = testStack(SHIPPED[env], {}, (p) => addRootDeployment(p));
      try {
        const { files } = t.synth();
        const report = files.get('policies/POLICY-REPORT.md')!;
        assert.match(report, new RegExp(`\\| workload-security \\| GitOpsWorkloadSecurity \\| ${mode} \\| ${mode} \\| report \\| \\d+ \\| 0 \\| 1 \\|`));
        assert.match(report, new RegExp(`- \\[workload-security, ${mode}\\] Deployment/team-a/web \\(apps/team-web.yaml\\): container "web" \\(containers\\) does not set runAsNonRoot: true`));
        const metadata = t.security.policies.node.findChild('Warnings').node.metadata.filter((m) => m.type === '@cdktf/warn');
        assert.ok(metadata.every((m) => m.trace === undefined), 'no stack traces: deterministic output');
        const warnings = metadata.map((m) => String(m.data));
        assert.equal(warnings.length, 1);
        assert.match(warnings[0], new RegExp(`^\\[policy:workload-security\\] \\(${mode}\\) Deployment/team-a/web`));
      } finally {
        t.dispose();
      }
    });
  }

  it('skips exempt objects at synth time and lists them in the constraint', () => {
    const exemption = PolicyExemption.forObject({ kind: 'Deployment', namespace: 'team-a', name: 'web' }, 'workload-security', 'SEC-77: vendor image runs as root until 2.0');
    const t = testStack(SHIPPED.prod, { security: { ...SHIPPED.prod.security, exemptions: [exemption] }, ...POD_SECURITY_ACKNOWLEDGED }, (p) => addRootDeployment(p));
    try {
      const { files, objects } = t.synth();
      const constraint = ofKind(objects, 'GitOpsWorkloadSecurity')[0] as Json;
      assert.deepEqual((constraint.spec as Json).parameters, {
        requiredResources: ['limits.cpu', 'limits.memory', 'requests.cpu', 'requests.memory'],
        exemptions: [{ kind: 'Deployment', namespace: 'team-a', name: 'web', reason: 'SEC-77: vendor image runs as root until 2.0' }],
      });
      assert.match(files.get('policies/POLICY-REPORT.md')!, /- Deployment\/team-a\/web from workload-security: SEC-77: vendor image runs as root until 2.0/);
      assert.match(files.get('policies/POLICY-REPORT.md')!, /\| workload-security \| GitOpsWorkloadSecurity \| deny \| deny \| fail \| \d+ \| 1 \| 0 \|/);
      assertValidConstraints(ofKind(objects, 'GitOpsWorkloadSecurity') as Json[], ofKind(objects, 'ConstraintTemplate') as Json[]);
      assert.match(files.get('policies/DEPLOY-REPORT.md')!, /- Deployment\/team-a\/web \[podSecurity.runAsNonRoot\] .* Acknowledged: a Gatekeeper exemption does not exempt Pod Security/);
    } finally {
      t.dispose();
    }
  });

  it('exempts the namespaces of cluster software it does not own, at synth time as in the constraints, each with its reason', () => {
    // What Gatekeeper would see of Falco, the ingress controller and Istio's CNI agent: each refused without the exemptions.
    const add = (p: Platform) => {
      const chart = p.tree.chart('apps', 'third-party');
      const root = (name: string, namespace: string) => {
        const { apiVersion, kind, spec } = workload('DaemonSet', { containers: [container({ name, image: `registry.example.com/${name}:1.0.0`, securityContext: undefined })] });
        new ApiObject(chart, `${namespace}-${name}`, { apiVersion, kind, metadata: { name, namespace }, spec });
      };
      p.namespace('falco-system');
      root('falco', 'falco-system');
      root('istio-cni-node', 'istio-system');
      root('controller', 'ingress-nginx');
      new ApiObject(chart, 'PublicLb', {
        apiVersion: 'v1',
        kind: 'Service',
        metadata: { name: 'ingress-nginx-controller', namespace: 'ingress-nginx' },
        spec: { type: 'LoadBalancer', selector: { app: 'ingress-nginx' }, ports: [{ port: 443 }] },
      });
    };
    // Prod as if Falco were installed outside the platform (without security.falco).
    const t = testStack(SHIPPED.prod, { security: { ...SHIPPED.prod.security, falco: undefined } }, add);
    try {
      const { files } = t.synth(); // prod denies: any violation would fail synthesis
      const report = files.get('policies/POLICY-REPORT.md')!;
      for (const line of [
        'namespace falco-system from workload-security: Falco is installed outside the platform',
        'namespace ingress-nginx from internal-load-balancer: the ingress controller is the one public entry point',
        'namespace ingress-nginx from workload-security: the ingress controller is installed outside the platform',
        'namespace istio-system from workload-security: Istio is a prerequisite installed outside the platform',
      ]) assert.ok(report.includes(`- ${line}`), line);
    } finally {
      t.dispose();
    }
    // The same LoadBalancer anywhere else is still refused.
    const other = testStack(SHIPPED.prod, {}, (p) =>
      new ApiObject(p.tree.chart('apps', 'lb'), 'Lb', { apiVersion: 'v1', kind: 'Service', metadata: { name: 'web', namespace: 'team-a' }, spec: { type: 'LoadBalancer', ports: [{ port: 443 }] } }),
    );
    try {
      assert.throws(() => other.synth(), /\[policy:internal-load-balancer\] Service\/team-a\/web/);
    } finally {
      other.dispose();
    }
  });

  it('renders a namespace exemption as excludedNamespaces, added after construction too', () => {
    const t = testStack(SHIPPED.prod, POD_SECURITY_ACKNOWLEDGED, (p) => addRootDeployment(p));
    try {
      t.security.policies.addExemption(PolicyExemption.forNamespace('team-a', 'workload-security', 'SEC-78: team-a migrates its images in Q3'));
      const { objects } = t.synth();
      const match = ((ofKind(objects, 'GitOpsWorkloadSecurity')[0] as Json).spec as Json).match as Json;
      assert.ok((match.excludedNamespaces as string[]).includes('team-a'));
      const repos = ((ofKind(objects, 'GitOpsAllowedRepositories')[0] as Json).spec as Json).match as Json;
      assert.equal(repos.excludedNamespaces, undefined, 'only the exempted policy is affected');
    } finally {
      t.dispose();
    }
  });

  it('fails when an exemption is not a PolicyExemption or names a policy outside the library', () => {
    const t = testStack(SHIPPED.dev);
    try {
      assert.throws(
        () => t.security.policies.addExemption({ policy: 'workload-security', reason: 'x' } as never),
        /dev\/Security\/Policies: exemption is \{"policy":"workload-security","reason":"x"\}. Create exemptions with PolicyExemption.forObject/,
      );
    } finally {
      t.dispose();
    }
  });

  it('fails when production would weaken a policy', () => {
    assert.throws(
      () => testStack(SHIPPED.prod, { security: { ...SHIPPED.prod.security, policyModes: { 'pinned-images': 'warn' } } }),
      /prod\/Security\/Policies: policy enforcement of pinned-images is "warn". Production enforces every policy: use "deny"/,
    );
  });

  it('lets a non-production environment tighten one policy', () => {
    const t = testStack(SHIPPED.dev, { security: { ...SHIPPED.dev.security, policyModes: { 'workload-security': 'deny' } } }, (p) => addRootDeployment(p));
    try {
      assert.throws(() => t.synth(), /\[policy:workload-security\] Deployment\/team-a\/web/);
    } finally {
      t.dispose();
    }
  });

  it('fails npm run synth / cdktf synth: the app exits non-zero with the message', () => {
    const root = path.resolve(__dirname, '../../..');
    fs.mkdirSync(path.join(root, '.gen'), { recursive: true });
    const dir = fs.mkdtempSync(path.join(root, '.gen', 'policy-app-'));
    const script = path.join(dir, 'app.ts');
    const lib = (p: string): string => path.join(root, p).split(path.sep).join('/');
    fs.writeFileSync(
      script,
      [
        "import { App } from 'cdktf';",
        "import { ApiObject } from 'cdk8s';",
        `import { prod } from '${lib('environments')}';`,
        `import { GitOpsStack } from '${lib('stacks/gitops-stack')}';`,
        'const app = new App();',
        "const stack = new GitOpsStack(app, 'prod', { environment: prod });",
        "new ApiObject(stack.platform.tree.chart('apps', 'public'), 'Lb', { apiVersion: 'v1', kind: 'Service', metadata: { name: 'public', namespace: 'team-a' }, spec: { type: 'LoadBalancer', ports: [{ port: 80 }] } });",
        'app.synth();',
      ].join('\n'),
    );
    try {
      const result = spawnSync(process.execPath, ['--import', 'tsx', script], {
        cwd: dir,
        encoding: 'utf8',
        env: { ...process.env, CHECKPOINT_DISABLE: '1', CDKTF_OUTDIR: path.join(dir, 'cdktf.out'), GITOPS_OUTDIR: path.join(dir, 'dist') },
      });
      assert.notEqual(result.status, 0);
      assert.match(
        result.stderr,
        /\[policy:internal-load-balancer\] Service\/team-a\/public \(apps\/public.yaml\): is a LoadBalancer without an internal-load-balancer annotation. Fix: add the annotation service.beta.kubernetes.io\/azure-load-balancer-internal: "true" or/,
      );
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('Gatekeeper templates and constraints', () => {
  for (const [name, env] of Object.entries(SHIPPED)) {
    it(`${name}: templates go to the bootstrap chart, constraints to policies/, one per active policy`, () => {
      const t = testStack(env);
      try {
        const { files, objects } = t.synth();
        const templates = ofKind(objects, 'ConstraintTemplate');
        const ids = t.security.policies.policies.map((p) => p.id);
        assert.equal(templates.length, ids.length);
        const bootstrap = files.get('bootstrap/files/gatekeeper-templates.yaml')!;
        const constraintsFile = files.get('policies/gatekeeper-constraints.yaml')!;
        for (const p of t.security.policies.policies) {
          assert.ok(bootstrap.includes(`name: ${p.templateName}\n`));
          assert.ok(constraintsFile.includes(`kind: ${p.constraintKind}\n`));
        }
        assert.equal(ids.includes('pinned-images'), name !== 'dev');
        const constraints = objects.filter((o) => o.apiVersion === 'constraints.gatekeeper.sh/v1beta1');
        assert.equal(constraints.length, ids.length);
        for (const c of constraints) {
          const spec = c.spec as Json;
          assert.equal(spec.enforcementAction, env.policyEnforcement);
          assert.equal((c.metadata as Json as { annotations: Json }).annotations['argocd.argoproj.io/sync-options'], 'SkipDryRunOnMissingResource=true');
        }
        assertValidConstraints(constraints as Json[], templates as Json[], `${name} constraints`);
        assert.match(files.get('policies/kustomization.yaml')!, /- gatekeeper-constraints.yaml/);
        assert.doesNotMatch(files.get('policies/kustomization.yaml')!, /POLICY-REPORT/);
      } finally {
        t.dispose();
      }
    });
  }

  it('leaves the controller namespaces out of the workload constraints only', () => {
    const t = testStack(SHIPPED.prod);
    try {
      const { objects } = t.synth();
      const match = (kind: string): Json => ((ofKind(objects, kind)[0] as Json).spec as Json).match as Json;
      // Besides the controllers (Falco among them in prod): the ingress controller and Istio, installed outside the platform.
      assert.deepEqual(match('GitOpsWorkloadSecurity').excludedNamespaces, [...workloadExcludedNamespacesOf('prod'), 'ingress-nginx', 'istio-system'].sort());
      assert.deepEqual(match('GitOpsPinnedImages').excludedNamespaces, workloadExcludedNamespacesOf('prod'));
      // The ingress controller's LoadBalancer is the one public entry point.
      assert.deepEqual(match('GitOpsInternalLoadBalancer').excludedNamespaces, ['ingress-nginx']);
      assert.deepEqual(match('GitOpsNoPlainSecrets').labelSelector, {
        matchExpressions: [
          { key: 'gitops.platform/environment', operator: 'Exists' },
          { key: 'reconcile.external-secrets.io/managed', operator: 'DoesNotExist' },
        ],
      });
    } finally {
      t.dispose();
    }
  });

  it('the constraint validator is strict: unknown parameters, bad actions and missing templates fail', () => {
    const t = testStack(SHIPPED.dev);
    try {
      const { objects } = t.synth();
      const templates = ofKind(objects, 'ConstraintTemplate') as Json[];
      const good = ofKind(objects, 'GitOpsRequiredLabels')[0] as Json;
      assert.deepEqual(validateConstraint(good, templates), []);
      const spec = good.spec as Json;
      const bad = { ...good, spec: { ...spec, enforcementAction: 'block', parameters: { labels: ['a'], allowedRepos: ['x'] } } };
      const problems = validateConstraint(bad, templates).join('\n');
      assert.match(problems, /enforcementAction/);
      assert.match(problems, /allowedRepos/);
      assert.match(validateConstraint({ ...good, spec: { ...spec, parameters: { labels: [] } } }, templates).join('\n'), /labels/);
      assert.deepEqual(validateConstraint({ ...good, kind: 'Nope' }, templates), ['Nope: no ConstraintTemplate declares this kind']);
    } finally {
      t.dispose();
    }
  });
});
