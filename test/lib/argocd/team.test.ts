import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ImageUpdatePolicy, SyncPolicy, Team } from '../../../lib/argocd';
import { TEAM_NAMESPACE_BLACKLIST } from '../../../lib/argocd/team';
import { newChart, objectOf, objects } from './support';

describe('Team', () => {
  it('creates the project, the namespaces and the ApplicationSet in one call', () => {
    const apps = newChart('apps');
    const tenants = newChart('tenants');
    const team = new Team(apps, 'TeamB', {
      name: 'team-b',
      appsScope: apps,
      namespacesScope: tenants,
      repoUrl: 'https://github.com/company/team-b-apps',
      revision: 'main',
      namespaces: ['team-b-web', 'team-b-api'],
      developerGroups: ['company:team-b'],
      syncPolicy: SyncPolicy.automated({ prune: true, selfHeal: true }),
      imageUpdates: new ImageUpdatePolicy({ images: [{ alias: 'app', image: 'registry.company.com/team-b/{{path.basename}}', constraint: '^1.0' }] }),
      notifications: [{ service: 'slack', recipients: ['team-b'], triggers: ['on-sync-failed'] }],
    });
    assert.deepEqual(team.namespaces, ['team-b-web', 'team-b-api']);
    assert.deepEqual(objects(tenants).map((o) => `${o.kind}/${o.metadata.name}`), ['Namespace/team-b-web', 'Namespace/team-b-api']);
    assert.deepEqual(objectOf(tenants, 'Namespace', 'team-b-web').metadata.labels, { 'gitops.platform/team': 'team-b' });

    const project = objectOf(apps, 'AppProject') as any;
    assert.deepEqual(project.spec.sourceRepos, ['https://github.com/company/team-b-apps']);
    assert.deepEqual(project.spec.destinations, [{ namespace: 'team-b-*', server: 'https://kubernetes.default.svc' }]);
    assert.deepEqual(project.spec.namespaceResourceBlacklist, TEAM_NAMESPACE_BLACKLIST);
    assert.deepEqual(project.spec.clusterResourceWhitelist, []);
    assert.deepEqual(
      project.spec.roles.map((r: any) => [r.name, r.groups, r.policies]),
      [
        ['developer', ['company:team-b'], ['p, proj:team-b:developer, applications, get, team-b/*, allow', 'p, proj:team-b:developer, applications, sync, team-b/*, allow']],
        ['admin', ['team-b-admins'], ['p, proj:team-b:admin, applications, *, team-b/*, allow']],
      ],
    );

    const set = objectOf(apps, 'ApplicationSet') as any;
    assert.equal(set.metadata.name, 'team-b-apps');
    assert.deepEqual(set.spec.generators, [
      { git: { repoURL: 'https://github.com/company/team-b-apps', revision: 'main', directories: [{ path: 'apps/web' }, { path: 'apps/api' }] } },
    ]);
    // The platform owns the namespaces: the applications do not create them.
    assert.deepEqual(set.spec.template.spec.syncPolicy.syncOptions ?? [], []);
    assert.equal(set.spec.template.metadata.name, 'team-b-{{path.basename}}');
    assert.equal(set.spec.template.spec.project, 'team-b');
    assert.deepEqual(set.spec.template.spec.destination, { server: 'https://kubernetes.default.svc', namespace: 'team-b-{{path.basename}}' });
    assert.equal(
      set.spec.template.metadata.annotations['argocd-image-updater.argoproj.io/image-list'],
      'app=registry.company.com/team-b/{{path.basename}}:^1.0',
    );
    assert.equal(set.spec.template.metadata.annotations['notifications.argoproj.io/subscribe.on-sync-failed.slack'], 'team-b');
  });

  it('without declared namespaces, each application creates its namespace and the project permits Namespaces only', () => {
    const apps = newChart();
    new Team(apps, 'TeamC', {
      name: 'team-c',
      appsScope: apps,
      repoUrl: 'https://github.com/company/team-c-apps',
      syncPolicy: SyncPolicy.automated({ prune: true }, { syncOptions: ['CreateNamespace=true', 'PruneLast=true'] }),
    });
    const project = objectOf(apps, 'AppProject') as any;
    assert.deepEqual(project.spec.clusterResourceWhitelist, [{ group: '', kind: 'Namespace' }]);
    const set = objectOf(apps, 'ApplicationSet') as any;
    assert.deepEqual(set.spec.generators[0].git.directories, [{ path: 'apps/*' }]);
    assert.deepEqual(set.spec.template.spec.syncPolicy.syncOptions, ['CreateNamespace=true', 'PruneLast=true']);
  });

  it('with declared namespaces, drops CreateNamespace from the team applications', () => {
    const apps = newChart();
    new Team(apps, 'TeamC', {
      name: 'team-c',
      appsScope: apps,
      repoUrl: 'https://github.com/company/team-c-apps',
      namespaces: ['team-c-web'],
      syncPolicy: SyncPolicy.automated({ prune: true }, { syncOptions: ['CreateNamespace=true', 'PruneLast=true'] }),
    });
    const set = objectOf(apps, 'ApplicationSet') as any;
    assert.deepEqual(set.spec.template.spec.syncPolicy.syncOptions, ['PruneLast=true']);
    assert.deepEqual((objectOf(apps, 'AppProject') as any).spec.clusterResourceWhitelist, []);
  });

  it('fails when declared namespaces meet an apps path that is not a directory glob', () => {
    const apps = newChart();
    assert.throws(
      () => new Team(apps, 'TeamB', { name: 'team-b', appsScope: apps, repoUrl: 'https://github.com/company/b', appsPath: 'apps/**', namespaces: ['team-b-web'] }),
      { message: 'test/TeamB: appsPath is "apps/**". With declared namespaces each application is the directory <app> of "team-b-<app>": use a glob ending in "/*", such as "apps/*".' },
    );
  });

  it('fails when a namespace is outside the team prefix', () => {
    const apps = newChart();
    assert.throws(
      () => new Team(apps, 'TeamB', { name: 'team-b', appsScope: apps, repoUrl: 'https://github.com/company/b', namespaces: ['payments'] }),
      { message: 'test/TeamB: namespaces is "payments". Name team namespaces "team-b-<something>" so the project\'s destinations (team-b-*) cover them.' },
    );
  });
});
