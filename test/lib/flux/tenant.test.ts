import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Kustomization } from '../../../lib/flux/kustomization';
import { FluxSourceReference, GitRef } from '../../../lib/flux/source';
import { FluxTenant } from '../../../lib/flux/tenant';
import { ManifestObject } from '../../../lib/platform/gitops-tree';
import { newChart, objects, only, specOf } from './support';

function tenantObjects(props: Partial<ConstructorParameters<typeof FluxTenant>[2]> = {}): ManifestObject[] {
  const chart = newChart();
  new Kustomization(chart, 'infrastructure', { source: FluxSourceReference.gitRepository('flux-system', 'flux-system') });
  new FluxTenant(chart, 'team-a', { name: 'team-a', repoUrl: 'https://github.com/company/team-a-applications', ...props });
  return objects(chart).filter((o) => o.metadata.name !== 'infrastructure');
}

describe('FluxTenant', () => {
  it('creates the namespace, reconciler account, Role, RoleBinding, GitRepository and Kustomization, in that order', () => {
    const list = tenantObjects({ path: './clusters/production', healthChecks: [{ apiVersion: 'apps/v1', kind: 'Deployment', name: 'team-a-web-app', namespace: 'team-a' }] });
    assert.deepEqual(
      list.map((o) => `${o.kind}/${o.metadata.name}`),
      ['Namespace/team-a', 'ServiceAccount/team-a-reconciler', 'Role/team-a-reconciler', 'RoleBinding/team-a-reconciler', 'GitRepository/team-a-apps', 'Kustomization/team-a-apps'],
    );
    assert.deepEqual(only(list, 'Namespace').metadata, { name: 'team-a', labels: { 'toolkit.fluxcd.io/tenant': 'team-a' } });
    assert.deepEqual(specOf(only(list, 'GitRepository')), {
      interval: '1m',
      url: 'https://github.com/company/team-a-applications',
      ref: { branch: 'main' },
      secretRef: { name: 'team-a-git-credentials' },
    });
    assert.deepEqual(specOf(only(list, 'Kustomization')), {
      interval: '5m',
      path: './clusters/production',
      prune: true,
      sourceRef: { kind: 'GitRepository', name: 'team-a-apps' },
      targetNamespace: 'team-a',
      serviceAccountName: 'team-a-reconciler',
      healthChecks: [{ apiVersion: 'apps/v1', kind: 'Deployment', name: 'team-a-web-app', namespace: 'team-a' }],
      dependsOn: [{ name: 'infrastructure', namespace: 'flux-system' }],
    });
  });

  it('leaves the namespace to its owner with createNamespace: false, and says which labels it needs', () => {
    const chart = newChart();
    new Kustomization(chart, 'infrastructure', { source: FluxSourceReference.gitRepository('flux-system', 'flux-system') });
    const tenant = new FluxTenant(chart, 'team-a', { name: 'team-a', repoUrl: 'https://github.com/company/a', createNamespace: false, namespaceLabels: { team: 'a' } });
    assert.equal(tenant.namespace, undefined);
    assert.equal(objects(chart).filter((o) => o.kind === 'Namespace').length, 0);
    assert.deepEqual(tenant.namespaceLabels, { team: 'a', 'toolkit.fluxcd.io/tenant': 'team-a' });
  });

  it('cannot reach outside its namespace', () => {
    const list = tenantObjects();
    // Every object but the namespace itself lives in the tenant namespace.
    for (const object of list.filter((o) => o.kind !== 'Namespace')) {
      assert.equal(object.metadata.namespace, 'team-a', `${object.kind} namespace`);
    }
    // RBAC is a Role bound in the namespace: no ClusterRole, no ClusterRoleBinding.
    assert.deepEqual(list.filter((o) => o.kind.startsWith('Cluster')), []);
    const binding = only(list, 'RoleBinding') as ManifestObject & { roleRef: Record<string, string>; subjects: Array<Record<string, string>> };
    assert.deepEqual(binding.roleRef, { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'team-a-reconciler' });
    assert.deepEqual(binding.subjects, [{ kind: 'ServiceAccount', name: 'team-a-reconciler', namespace: 'team-a' }]);
    // The Kustomization applies as that account, into that namespace, from a source in that namespace.
    const spec = specOf(only(list, 'Kustomization'));
    assert.equal(spec.serviceAccountName, 'team-a-reconciler');
    assert.equal(spec.targetNamespace, 'team-a');
    assert.equal(spec.sourceRef.namespace, undefined);
    // The account's token is not mounted anywhere; Flux impersonates it.
    assert.equal((only(list, 'ServiceAccount') as ManifestObject & { automountServiceAccountToken: boolean }).automountServiceAccountToken, false);
  });

  it('takes narrower rules, another ref and credentials Secret', () => {
    const list = tenantObjects({
      rules: [{ apiGroups: ['apps', ''], resources: ['deployments', 'services', 'configmaps'], verbs: ['get', 'list', 'watch', 'create', 'update', 'patch', 'delete'] }],
      ref: GitRef.semver('>=1.0.0'),
      gitCredentialsSecret: 'team-a-deploy-key',
      namespaceLabels: { 'pod-security.kubernetes.io/enforce': 'restricted' },
    });
    assert.deepEqual((only(list, 'Role') as ManifestObject & { rules: unknown }).rules, [
      { apiGroups: ['apps', ''], resources: ['deployments', 'services', 'configmaps'], verbs: ['get', 'list', 'watch', 'create', 'update', 'patch', 'delete'] },
    ]);
    assert.deepEqual(specOf(only(list, 'GitRepository')).ref, { semver: '>=1.0.0' });
    assert.deepEqual(specOf(only(list, 'GitRepository')).secretRef, { name: 'team-a-deploy-key' });
    assert.deepEqual(only(list, 'Namespace').metadata.labels, { 'pod-security.kubernetes.io/enforce': 'restricted', 'toolkit.fluxcd.io/tenant': 'team-a' });
  });

  it('fails when the tenant name is not a valid namespace', () => {
    for (const name of ['Team_A', 'team-a-', 'a'.repeat(64), 'team.a']) {
      assert.throws(() => new FluxTenant(newChart(), 't', { name, repoUrl: 'https://github.com/company/x' }), {
        message: `test/t: name is ${JSON.stringify(name)}. Use a namespace name: a DNS label of lowercase letters, digits and "-", starting and ending with a letter or digit, at most 63 characters.`,
      });
    }
  });

  it('fails on reserved namespaces, empty rules, health checks elsewhere and a hand-set tenant label', () => {
    const repoUrl = 'https://github.com/company/x';
    assert.throws(() => new FluxTenant(newChart(), 't', { name: 'flux-system', repoUrl }), {
      message: 'test/t: name is "flux-system". That namespace is reserved (default, kube-system, kube-public, kube-node-lease, flux-system); give the tenant its own name, such as "team-a".',
    });
    assert.throws(() => new FluxTenant(newChart(), 't', { name: 'team-b', repoUrl, rules: [] }), {
      message: 'test/t: rules is []. Give the reconciler at least one rule, or leave rules unset for full control of the tenant namespace.',
    });
    assert.throws(() => new FluxTenant(newChart(), 't', { name: 'team-b', repoUrl, healthChecks: [{ kind: 'Deployment', name: 'db', namespace: 'databases' }] }), {
      message: 'test/t: healthChecks[0].namespace is "databases". A tenant can only check objects in its own namespace (team-b).',
    });
    assert.throws(() => new FluxTenant(newChart(), 't', { name: 'team-b', repoUrl, namespaceLabels: { 'toolkit.fluxcd.io/tenant': 'team-c' } }), {
      message: 'test/t: namespaceLabels.toolkit.fluxcd.io/tenant is "team-c". The tenant label is set from the tenant name; remove it.',
    });
  });

  it('fails at render time when the infrastructure Kustomization it depends on does not exist', () => {
    const chart = newChart();
    new FluxTenant(chart, 'team-a', { name: 'team-a', repoUrl: 'https://github.com/company/team-a-applications' });
    assert.throws(() => objects(chart), /dependsOn is "flux-system\/infrastructure"\. No Kustomization with that namespace and name exists in this app/);
  });
});
