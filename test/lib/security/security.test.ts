import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CHARTS } from '../../../lib/platform/catalogue';
import { ConfigError } from '../../../lib/platform/errors';
import { DEFAULT_COMPLIANCE_REPORTER_IMAGE } from '../../../lib/security/audit/compliance-report';
import { defaultPolicies, reviewReference } from '../../../lib/security/policies/defaults';
import { findSecrets } from '../../support/secrets';
import { helmRelease, releaseValues } from '../../support/synth';
import { assertValidManifests } from '../../support/validate';
import { assertValidConstraints, isConstraint } from './constraints';
import { cachedShippedSynth, controllerNamespacesOf, SHIPPED, testStack } from './support';

type Json = Record<string, unknown>;

const synth = cachedShippedSynth();

function securityStatus(name: string): Json {
  return ((synth(name).result.tf.output.gitops_security_status.value as Json).security) as Json;
}

describe('Security module in the shipped environments', () => {
  for (const name of ['dev', 'staging', 'prod']) {
    describe(name, () => {
      it('passes every policy: no violation in the report, none when re-evaluated', () => {
        const { t, result } = synth(name);
        assert.match(result.files.get('policies/POLICY-REPORT.md')!, /## Violations\n\nNone\.\n/);
        for (const r of t.security.policies.lastResults) assert.deepEqual(r.violations, [], r.policy.id);
        const env = SHIPPED[name];
        for (const policy of defaultPolicies(name, env.security).filter((p) => p.isActiveIn(env.tier))) {
          for (const object of result.objects) assert.deepEqual(policy.evaluate(object), [], `${policy.id}: ${object.kind}/${object.metadata.name}`);
        }
        assert.ok(t.security.policies.lastResults.find((r) => r.policy.id === 'workload-security')!.checked >= 1);
      });

      it('synthesizes only objects that validate strictly (constraints against their templates)', () => {
        const { objects } = synth(name).result;
        assertValidManifests(objects.filter((o) => !isConstraint(o)), `${name} objects`);
        assertValidConstraints(
          objects.filter((o) => isConstraint(o)) as Json[],
          objects.filter((o) => o.kind === 'ConstraintTemplate') as Json[],
        );
      });

      it('installs Gatekeeper, External Secrets and Sealed Secrets from the catalogue, each after its namespace', () => {
        const { tf } = synth(name).result;
        for (const [release, chart, namespace] of [
          ['gatekeeper', CHARTS.gatekeeper, 'gatekeeper-system'],
          ['external-secrets', CHARTS.externalSecrets, 'external-secrets'],
          ['sealed-secrets', CHARTS.sealedSecrets, 'sealed-secrets'],
        ] as const) {
          const r = helmRelease(tf, release);
          assert.equal(r.chart, chart.chart);
          assert.equal(r.version, chart.version);
          assert.equal(r.repository, chart.repository);
          assert.equal(r.namespace, namespace);
          assert.deepEqual(r.depends_on, [`kubernetes_namespace_v1.${Object.entries(tf.resource.kubernetes_namespace_v1).find(([, n]) => (n.metadata as Json).name === namespace)![0]}`]);
        }
        const bootstrap = helmRelease(tf, 'gitops-bootstrap');
        assert.ok((bootstrap.depends_on as string[]).some((d) => d.includes('Gatekeeper')), 'templates are installed after Gatekeeper');
      });

      it('gatekeeper-system has one owner for its labels: Terraform sets the ignore label, the chart\'s relabelling job is off', () => {
        const { tf } = synth(name).result;
        const values = releaseValues(helmRelease(tf, 'gatekeeper')) as Json;
        // The chart's post-install job would label the namespace (ignore label, enforce-version v1.24) behind Terraform.
        assert.deepEqual(values.postInstall, { labelNamespace: { enabled: false } });
        const ns = Object.values(tf.resource.kubernetes_namespace_v1).find((n) => (n.metadata as Json).name === 'gatekeeper-system')!;
        assert.equal(((ns.metadata as Json).labels as Json)['admission.gatekeeper.sh/ignore'], 'no-self-managing');
        for (const namespace of Object.values(tf.resource.kubernetes_namespace_v1)) {
          const metadata = namespace.metadata as Json;
          assert.equal(metadata.annotations, undefined);
          assert.deepEqual((namespace.lifecycle as Json).ignore_changes, ['metadata[0].annotations'], String(metadata.name));
        }
      });

      it('writes no secret material', () => {
        const { files } = synth(name).result;
        for (const [file, content] of files) assert.deepEqual(findSecrets(file, content), []);
      });

      it('reports the controls and their modes in gitops_security_status', () => {
        const status = securityStatus(name);
        const env = SHIPPED[name];
        const policies = status.policies as Json;
        assert.equal(policies.enforcement, env.policyEnforcement);
        assert.equal(policies.synth_time, env.policyEnforcement === 'deny' ? 'fail' : 'report');
        assert.deepEqual((policies.active as Json[]).map((p) => [p.id, p.gatekeeper_action]), (policies.active as Json[]).map((p) => [p.id, env.policyEnforcement]));
        // The Argo CD default project, the ingress controller (two policies), Istio; and in dev, a Falco installed outside the platform.
        assert.equal(policies.exemptions, name === 'dev' ? 5 : 4);
        assert.deepEqual(status.review, { label: 'security.company.com/reviewed', reference: 'SEC-1042' });
        assert.match(String((status.gatekeeper as Json).status), /^\$\{helm_release\.[A-Za-z0-9_]+\.status\}$/);
        assert.equal((status.gatekeeper as Json).chart_version, CHARTS.gatekeeper.version);
        assert.deepEqual(((status.external_secrets as Json).stores as Json[]).map((s) => s.name), ['vault-backend', 'aws-secretsmanager']);
        assert.equal((status.external_secrets as Json).default_store, 'vault-backend');
        assert.deepEqual(status.sops, { decryption_secret: 'sops-age', key_source: 'external-secret' });
        assert.deepEqual(status.tenants, ['team-a']);
        // Falco (with the seed's rules) runs in staging and prod only.
        assert.deepEqual(status.falco === null ? null : (status.falco as Json).rules, name === 'dev' ? null : ['Unauthorized GitOps Repository Access', 'GitOps Configuration Drift']);
        assert.deepEqual(status.compliance_report, { cron_job: 'monitoring/gitops-compliance-report', schedule: '0 6 * * 1', image: DEFAULT_COMPLIANCE_REPORTER_IMAGE });
        assert.deepEqual((status.network_policies as Json).isolated_namespaces, controllerNamespacesOf(env));
      });

      it('puts stores in infrastructure, the database credentials and tenant roles in tenants, the age key in flux-system', () => {
        const { files, objects } = synth(name).result;
        assert.ok(files.has('infrastructure/security-secret-stores.yaml'));
        assert.ok(files.has('tenants/security-database-credentials.yaml'));
        assert.ok(files.has('tenants/security-tenant-team-a.yaml'));
        const db = objects.find((o) => o.kind === 'ExternalSecret' && o.metadata.name === 'database-credentials')!;
        assert.equal(db.metadata.namespace, 'team-a');
        const dbKey = { dev: 'database/development', staging: 'database/staging', prod: 'database/production' }[name];
        assert.equal(((db.spec as Json).data as Json[]).every((d) => (d.remoteRef as Json).key === dbKey), true);
        const age = objects.find((o) => o.kind === 'ExternalSecret' && o.metadata.name === 'sops-age')!;
        assert.equal(age.metadata.namespace, 'flux-system');
        const vault = objects.find((o) => o.kind === 'ClusterSecretStore' && o.metadata.name === 'vault-backend')!;
        const role = { dev: 'development-role', staging: 'staging-role', prod: 'production-role' }[name];
        assert.equal(((((vault.spec as Json).provider as Json).vault as Json).auth as Json as { kubernetes: Json }).kubernetes.role, role);
      });
    });
  }

  it('gives each tenant one reconciler: the Flux tenant\'s, not a second one from the tenant RBAC', () => {
    for (const name of ['dev', 'staging', 'prod']) {
      const accounts = synth(name).result.objects.filter((o) => o.kind === 'ServiceAccount' && o.metadata.namespace === 'team-a').map((o) => o.metadata.name);
      assert.deepEqual(accounts.filter((a) => /reconciler/.test(String(a))), ['team-a-reconciler'], name);
      const roles = synth(name).result.objects.filter((o) => o.kind === 'Role' && o.metadata.namespace === 'team-a').map((o) => String(o.metadata.name));
      assert.deepEqual(roles.filter((r) => /reconciler/.test(r)), ['team-a-reconciler'], name);
    }
  });

  it('differs per environment: enforcement, pinned images, Pod Security and Gatekeeper replicas', () => {
    const summary = (name: string): unknown[] => {
      const s = securityStatus(name);
      const values = releaseValues(helmRelease(synth(name).result.tf, 'gatekeeper'));
      return [(s.policies as Json).enforcement, (s.policies as Json).inactive, (s.pod_security as Json).default, values.replicas];
    };
    assert.deepEqual(summary('dev'), ['warn', ['pinned-images'], 'baseline', 1]);
    assert.deepEqual(summary('staging'), ['dryrun', [], 'baseline', 1]);
    assert.deepEqual(summary('prod'), ['deny', [], 'restricted', 3]);
  });

  it('hardens the Sealed Secrets controller to the restricted profile and names it for kubeseal', () => {
    const values = releaseValues(helmRelease(synth('prod').result.tf, 'sealed-secrets')) as Record<string, Json>;
    assert.equal(values.fullnameOverride, 'sealed-secrets-controller');
    assert.deepEqual(values.containerSecurityContext.seccompProfile, { type: 'RuntimeDefault' });
    assert.equal(values.containerSecurityContext.allowPrivilegeEscalation, false);
  });

  it('gives the External Secrets service account its seed name and the IAM role the AWS store\'s JWT auth assumes (IRSA)', () => {
    for (const name of ['dev', 'prod']) {
      const values = releaseValues(helmRelease(synth(name).result.tf, 'external-secrets')) as Record<string, Json>;
      assert.deepEqual(values.serviceAccount, {
        annotations: { 'eks.amazonaws.com/role-arn': `arn:aws:iam::111122223333:role/gitops-${name}-external-secrets` },
        create: true,
        name: 'external-secrets-sa',
      });
      assert.equal(values.installCRDs, true);
    }
  });

  it('fails when the AWS store has no IAM role for its JWT auth', () => {
    const security = SHIPPED.dev.security!;
    for (const roleArn of [undefined, 'external-secrets']) {
      assert.throws(
        () => testStack(SHIPPED.dev, { security: { ...security, aws: { region: 'us-east-1', roleArn } as never } }),
        (e: unknown) =>
          e instanceof ConfigError &&
          e.message.startsWith(
            roleArn === undefined
              ? `Environment "dev": security.aws.roleArn is not set. Set it to a string: the IAM role the operator's service account assumes`
              : `Environment "dev": security.aws.roleArn is "external-secrets". The AWS store authenticates with the external-secrets service account's JWT (IRSA)`,
          ),
      );
    }
  });
});

describe('security review reference', () => {
  it('comes from EnvironmentConfig.labels', () => {
    assert.equal(reviewReference(SHIPPED.prod, SHIPPED.prod.security), 'SEC-1042');
    assert.equal(reviewReference({ ...SHIPPED.dev, labels: {} }), undefined);
  });

  it('fails when production has none', () => {
    assert.throws(
      () => testStack(SHIPPED.prod, { labels: {} }),
      (e: unknown) =>
        e instanceof ConfigError &&
        e.message ===
          'Environment "prod": labels["security.company.com/reviewed"] is not set. Production objects must carry the security review reference: set it to the id of the review or pull request that approved this configuration.',
    );
  });

  it('fails when production names no review label: the library has none of its own', () => {
    assert.throws(() => testStack(SHIPPED.prod, { security: { ...SHIPPED.prod.security, reviewLabel: undefined } }), {
      name: 'ConfigError',
      message:
        'Environment "prod": security.reviewLabel is not set. Production objects must carry the security review reference: name the label key that records it here, and set the reference under that key in labels.',
    });
  });

  it('requires no review label elsewhere, and checks none', () => {
    assert.equal(reviewReference(SHIPPED.dev, { ...SHIPPED.dev.security, reviewLabel: undefined }), undefined);
  });

  it('fails when it is a bare flag instead of a reference', () => {
    assert.throws(
      () => testStack(SHIPPED.dev, { labels: { 'security.company.com/reviewed': 'true' } }),
      /Environment "dev": labels\["security.company.com\/reviewed"\] is "true". Name the review, not a flag/,
    );
  });

  it('a dev environment without it only warns about every delivery object', () => {
    const t = testStack(SHIPPED.dev, { labels: {} });
    try {
      const { files } = t.synth();
      assert.match(files.get('policies/POLICY-REPORT.md')!, /\[required-labels, warn\] Application\/argocd\/dev-root \(bootstrap\/files\/argocd-root.yaml\): missing required label "security.company.com\/reviewed"/);
    } finally {
      t.dispose();
    }
  });
});

describe('a tenant\'s own secret store', () => {
  it('gives team-a a namespaced Vault SecretStore as its own service account, and its database credentials read from it', () => {
    for (const name of ['dev', 'staging', 'prod']) {
      const { objects } = synth(name).result;
      const store = objects.find((o) => o.kind === 'SecretStore' && o.metadata.namespace === 'team-a')!;
      const vault = (SHIPPED[name].security!.vault)!;
      assert.deepEqual((store as unknown as Json).spec, {
        provider: { vault: { server: vault.server, path: 'secret', version: 'v2', auth: { kubernetes: { mountPath: 'kubernetes', role: `team-a-${vault.role}`, serviceAccountRef: { name: 'external-secrets-sa' } } } } },
      }, name);
      assert.equal(store.metadata.name, 'vault-backend');
      // The service account it logs in as exists in the tenant's namespace.
      const account = objects.find((o) => o.kind === 'ServiceAccount' && o.metadata.namespace === 'team-a' && o.metadata.name === 'external-secrets-sa');
      assert.ok(account, `${name}: the store's service account`);
      assert.equal((account as unknown as Json).automountServiceAccountToken, false);
      const credentials = objects.find((o) => o.kind === 'ExternalSecret' && o.metadata.name === 'database-credentials')!;
      assert.equal(credentials.metadata.namespace, 'team-a');
      assert.deepEqual(((credentials as unknown as Json).spec as Json).secretStoreRef, { kind: 'SecretStore', name: 'vault-backend' });
      assertValidManifests([store, account!], `${name} tenant store`);
    }
  });

  it('keeps the default store for a tenant without its own', () => {
    const sec = SHIPPED.dev.security!;
    const { objects } = testStack(SHIPPED.dev, { security: { ...sec, tenants: sec.tenants!.map(({ secretStore: _s, ...t }) => t) } }).synth();
    assert.equal(objects.some((o) => o.kind === 'SecretStore'), false);
    const credentials = objects.find((o) => o.kind === 'ExternalSecret' && o.metadata.name === 'database-credentials')!;
    assert.deepEqual(((credentials as unknown as Json).spec as Json).secretStoreRef, { kind: 'ClusterSecretStore', name: 'vault-backend' });
  });

  it('fails when a tenant has its own store and Vault is not configured', () => {
    const sec = SHIPPED.dev.security!;
    assert.throws(() => testStack(SHIPPED.dev, { security: { ...sec, vault: undefined, defaultStore: 'aws' } }), {
      name: 'ConfigError',
      message: 'Environment "dev": security.tenants[0].secretStore is "team-a". A tenant\'s store logs in to Vault: configure security.vault, or remove the tenant\'s secretStore.',
    });
  });
});

describe('bad settings', () => {
  it('fails when the default store is not configured', () => {
    assert.throws(
      () => testStack(SHIPPED.dev, { security: { allowedRepositories: SHIPPED.dev.security!.allowedRepositories, defaultStore: 'aws', vault: SHIPPED.dev.security!.vault } }),
      /Environment "dev": security.defaultStore is "aws". Configure security.aws first, or choose a configured store./,
    );
  });

  it('fails when database credentials need a store and there is none', () => {
    assert.throws(
      () => testStack(SHIPPED.dev, { security: { allowedRepositories: SHIPPED.dev.security!.allowedRepositories, databaseCredentials: { namespace: 'team-a', remoteKey: 'db' } } }),
      /Environment "dev": security.databaseCredentials is "set". Configure a secret store \(security.vault or security.aws\) first./,
    );
  });

  it('fails when the allowed repositories are not set: they are the organization\'s own', () => {
    assert.throws(() => testStack(SHIPPED.dev, { security: { ...SHIPPED.dev.security, allowedRepositories: undefined } }), {
      name: 'ConfigError',
      message:
        'Environment "dev": security.allowedRepositories is not set. The allowed-repositories policy admits only sources under these URL prefixes: list your Git hosts and owners (https:// or oci://, each ending in "/").',
    });
  });

  it('fails when the compliance report runs without recipients', () => {
    assert.throws(() => testStack(SHIPPED.dev, { security: { ...SHIPPED.dev.security, complianceReport: {} } }), {
      name: 'ConfigError',
      message:
        'Environment "dev": security.complianceReport.recipients is not set. With the monitoring module on, the security module runs the weekly compliance report: list the e-mail addresses it goes to.',
    });
  });

  it('fails when the enforcement mode of the environment does not exist', () => {
    assert.throws(() => testStack(SHIPPED.dev, { policyEnforcement: 'audit' as 'warn' }), /Environment "dev": policyEnforcement is "audit"\. Use one of "warn", "dryrun", "deny"\.$/);
  });
});
