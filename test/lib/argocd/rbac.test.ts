import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { RbacPolicy } from '../../../lib/argocd';
import { seedRbacPolicy } from '../../../environments/seed/rbac';

describe('RbacPolicy', () => {
  it('renders roles under their descriptions, then the bindings, with policy.default and scopes', () => {
    const policy = new RbacPolicy({
      defaultRole: 'readonly',
      roles: [
        { name: 'ops', description: 'Operators', permissions: [{ resource: 'applications', action: 'action/apps/Deployment/restart', object: '*/*' }] },
        { name: 'auditor', permissions: [{ resource: 'logs', action: 'get', object: '*/*' }, { resource: 'exec', action: 'create', object: '*/*', effect: 'deny' }] },
      ],
      bindings: [{ subject: 'company:ops', role: 'ops' }, { subject: 'role:auditor', role: 'readonly' }],
      scopes: ['groups'],
      matchMode: 'regex',
    });
    assert.deepEqual(policy.toConfigMapData(), {
      'policy.default': 'role:readonly',
      'policy.csv': [
        '# Operators',
        'p, role:ops, applications, action/apps/Deployment/restart, */*, allow',
        '',
        'p, role:auditor, logs, get, */*, allow',
        'p, role:auditor, exec, create, */*, deny',
        '',
        '# Group bindings',
        'g, company:ops, role:ops',
        'g, role:auditor, role:readonly',
        '',
      ].join('\n'),
      scopes: '[groups]',
      'policy.matchMode': 'regex',
    });
  });

  it('writes an empty default policy (no access) when no default role is given', () => {
    const policy = new RbacPolicy({ roles: [{ name: 'a', permissions: [{ resource: 'clusters', action: 'get', object: '*' }] }] });
    assert.equal(policy.toConfigMapData()['policy.default'], '');
    assert.equal('scopes' in policy.toConfigMapData(), false);
    assert.deepEqual(policy.scopes, ['groups']);
  });

  it('reads everything and grants nothing more by default (RbacPolicy.readOnly)', () => {
    const policy = RbacPolicy.readOnly();
    assert.equal(policy.defaultRole, 'readonly');
    assert.deepEqual(policy.roleNames, []);
    assert.deepEqual(policy.bindings, []);
    assert.deepEqual(policy.toConfigMapData(), { 'policy.default': 'role:readonly', 'policy.csv': '\n' });
  });

  it('ships the seeds roles and group bindings in the environments (environments/seed/rbac.ts)', () => {
    const policy = seedRbacPolicy();
    assert.deepEqual(policy.roleNames, ['admin', 'developer', 'production-viewer', 'devops']);
    assert.deepEqual(
      policy.bindings.map((b) => `${b.subject}=${b.role}`),
      [
        'company:platform-team=admin',
        'company:developers=developer',
        'company:devops-team=devops',
        'company:production-support=production-viewer',
      ],
    );
    assert.equal(policy.defaultRole, 'readonly');
    assert.equal(seedRbacPolicy({ defaultRole: undefined }).defaultRole, undefined);
    const csv = policy.policyCsv();
    assert.match(csv, /^p, role:developer, applications, sync, development\/\*, allow$/m);
    assert.match(csv, /^p, role:production-viewer, logs, get, production\/\*, allow$/m);
  });

  it('grants the seed roles over the projects given, leaving out roles without projects', () => {
    const policy = seedRbacPolicy({ developerProjects: [], viewerProjects: ['platform', 'team-a'] });
    assert.deepEqual(policy.roleNames, ['admin', 'production-viewer', 'devops']);
    assert.deepEqual(policy.projects, ['platform', 'team-a']);
    assert.ok(!policy.policyCsv().includes('role:developer'));
    assert.match(policy.policyCsv(), /p, role:production-viewer, logs, get, team-a\/\*, allow/);
  });

  it('fails when a permission names a project that does not exist', () => {
    assert.deepEqual(seedRbacPolicy().projects, ['development', 'production']);
    assert.throws(() => seedRbacPolicy().checkProjects('Environment "qa": argocd', ['default', 'platform', 'team-a']), {
      message:
        'Environment "qa": argocd: rbac is "development/*". The RBAC policy grants objects of project "development", which does not exist here (projects: default, platform, team-a). Grant existing projects or create the project.',
    });
    assert.doesNotThrow(() =>
      new RbacPolicy({ roles: [{ name: 'teams', permissions: [{ resource: 'applications', action: 'get', object: 'team-*/*' }] }] }).checkProjects('qa', ['team-a']),
    );
  });

  it('fails when a resource is unknown', () => {
    assert.throws(
      () => new RbacPolicy({ roles: [{ name: 'a', permissions: [{ resource: 'application', action: 'get', object: '*/*' }] }] }),
      {
        message:
          'RbacPolicy role "a": permissions[0].resource is "application". Use one of applications, applicationsets, clusters, projects, repositories, accounts, certificates, gpgkeys, logs, exec, extensions or *.',
      },
    );
  });

  it('fails when an action does not apply to the resource', () => {
    assert.throws(
      () => new RbacPolicy({ roles: [{ name: 'a', permissions: [{ resource: 'clusters', action: 'sync', object: '*' }] }] }),
      { message: 'RbacPolicy role "a": permissions[0].action is "sync". "sync" is not an action on clusters; use one of get, create, update, delete or *.' },
    );
    assert.throws(
      () => new RbacPolicy({ roles: [{ name: 'a', permissions: [{ resource: 'clusters', action: 'get/x', object: '*' }] }] }),
      /"get\/x" is not an action on clusters/,
    );
  });

  it('fails when a project-scoped object is not <project>/<name>', () => {
    assert.throws(
      () => new RbacPolicy({ roles: [{ name: 'a', permissions: [{ resource: 'applications', action: 'get', object: 'production' }] }] }),
      { message: 'RbacPolicy role "a": permissions[0].object is "production". Objects of applications are "<project>/<name>", such as "default/*".' },
    );
  });

  it('fails when a binding names an undefined role', () => {
    assert.throws(
      () => new RbacPolicy({ roles: [{ name: 'a', permissions: [{ resource: 'clusters', action: 'get', object: '*' }] }], bindings: [{ subject: 'g', role: 'b' }] }),
      { message: 'RbacPolicy: bindings[0].role is "b". Bind to a defined role: a, readonly, admin.' },
    );
  });

  it('fails when the default role is undefined', () => {
    assert.throws(() => new RbacPolicy({ roles: [], defaultRole: 'viewer' }), {
      message: 'RbacPolicy: defaultRole is "viewer". Use a defined role (readonly, admin) or leave it unset for no access.',
    });
  });

  it('fails when a role is defined twice or has no permission', () => {
    const p = { resource: 'clusters', action: 'get', object: '*' };
    assert.throws(() => new RbacPolicy({ roles: [{ name: 'a', permissions: [p] }, { name: 'a', permissions: [p] }] }), {
      message: 'RbacPolicy: roles.name is "a". Define each role once.',
    });
    assert.throws(() => new RbacPolicy({ roles: [{ name: 'a', permissions: [] }] }), {
      message: 'RbacPolicy role "a": permissions is []. Give the role at least one permission.',
    });
  });
});
