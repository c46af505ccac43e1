import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { AppProject, IN_CLUSTER } from '../../../lib/argocd';
import { newChart, objectOf } from './support';

const base = {
  name: 'team-b',
  sourceRepos: ['https://github.com/company/team-b'],
  destinations: [{ server: IN_CLUSTER, namespace: 'team-b-*' }],
};

describe('AppProject', () => {
  it('renders repos, destinations by server or name, and project roles as policies', () => {
    const chart = newChart();
    const project = new AppProject(chart, 'TeamB', {
      ...base,
      destinations: [...base.destinations, { name: 'prod-us-east', namespace: 'team-b' }],
      roles: [
        {
          name: 'ci',
          permissions: [
            { action: 'sync', object: 'team-b/*' },
            { resource: 'applications', action: 'delete', object: 'team-b/*', effect: 'deny' },
            { resource: 'logs', action: 'get', object: 'team-b/*' },
          ],
        },
      ],
    });
    const obj = objectOf(chart, 'AppProject') as any;
    assert.deepEqual(obj.spec.destinations, [
      { namespace: 'team-b-*', server: IN_CLUSTER },
      { name: 'prod-us-east', namespace: 'team-b' },
    ]);
    assert.deepEqual(obj.spec.roles, [
      {
        name: 'ci',
        policies: [
          'p, proj:team-b:ci, applications, sync, team-b/*, allow',
          'p, proj:team-b:ci, applications, delete, team-b/*, deny',
          'p, proj:team-b:ci, logs, get, team-b/*, allow',
        ],
      },
    ]);
    assert.deepEqual(project.roleNames, ['ci']);
  });

  it('fails when the project lists no destinations', () => {
    assert.throws(() => new AppProject(newChart(), 'TeamB', { ...base, destinations: [] }), {
      message:
        'test/TeamB: destinations is []. List at least one destination (server or cluster name, and a namespace glob); a project without destinations can deploy nothing.',
    });
  });

  it('fails when a destination is neither a server nor a cluster name', () => {
    assert.throws(() => new AppProject(newChart(), 'TeamB', { ...base, destinations: [{ namespace: 'team-b' }] }), {
      message: 'test/TeamB: destinations[0] is {"namespace":"team-b"}. Set exactly one of server (an API URL or "*") or name (a registered cluster).',
    });
  });

  it('fails when a role grants objects outside the project', () => {
    assert.throws(
      () => new AppProject(newChart(), 'TeamB', { ...base, roles: [{ name: 'dev', permissions: [{ action: 'get', object: 'team-c/*' }] }] }),
      {
        message:
          'test/TeamB role "dev": permissions[0].object is "team-c/*". A role of project "team-b" can only grant objects in it: use "team-b/<name>" or "team-b/*".',
      },
    );
  });

  it('fails when a role uses an unknown action', () => {
    assert.throws(
      () => new AppProject(newChart(), 'TeamB', { ...base, roles: [{ name: 'dev', permissions: [{ action: 'restart', object: 'team-b/*' }] }] }),
      /permissions\[0\]\.action is "restart"\. "restart" is not an action on applications/,
    );
  });

  it('fails when no repository is allowed', () => {
    assert.throws(() => new AppProject(newChart(), 'TeamB', { ...base, sourceRepos: [] }), {
      message: 'test/TeamB: sourceRepos is []. List the repositories the project may deploy from (or "*").',
    });
  });
});
