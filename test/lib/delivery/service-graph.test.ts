import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ServiceGraph } from '../../../lib/delivery/service-graph';
import { SEED_SERVICES } from '../../../environments/seed/delivery';

describe('ServiceGraph', () => {
  it('orders the seeds services so dependencies come first', () => {
    const graph = new ServiceGraph('test', SEED_SERVICES);
    assert.deepEqual(graph.names, ['database', 'backend-api', 'frontend', 'worker-service']);
    assert.deepEqual(graph.names.map((n) => graph.level(n)), [0, 1, 2, 2]);
    assert.deepEqual(graph.dependencies('worker-service'), ['backend-api', 'database']);
    assert.deepEqual(graph.dependents('backend-api'), ['frontend', 'worker-service']);
  });

  it('breaks ties by name, whatever the input order', () => {
    const services = [
      { name: 'zeta', dependsOn: ['core'] },
      { name: 'alpha', dependsOn: ['core'] },
      { name: 'core' },
      { name: 'beta' },
    ];
    const a = new ServiceGraph('test', services).names;
    const b = new ServiceGraph('test', [...services].reverse()).names;
    assert.deepEqual(a, ['beta', 'core', 'alpha', 'zeta']);
    assert.deepEqual(b, a);
  });

  it('fails on a cycle, naming it', () => {
    assert.throws(
      () => new ServiceGraph('Environment "dev"', [{ name: 'a', dependsOn: ['b'] }, { name: 'b', dependsOn: ['a'] }]),
      {
        name: 'ConfigError',
        message:
          'Environment "dev": services.dependsOn is "a -> b -> a". The dependencies form a cycle ("a -> b" means a depends on b), so no service can go first: remove one of them.',
      },
    );
    assert.throws(
      () =>
        new ServiceGraph('test', [
          { name: 'database' },
          { name: 'backend-api', dependsOn: ['database', 'frontend'] },
          { name: 'frontend', dependsOn: ['worker-service'] },
          { name: 'worker-service', dependsOn: ['backend-api'] },
        ]),
      { message: /services\.dependsOn is "backend-api -> frontend -> worker-service -> backend-api"\./ },
    );
    assert.throws(() => new ServiceGraph('test', [{ name: 'a', dependsOn: ['a'] }]), { message: /services\.dependsOn is "a -> a"\./ });
  });

  it('fails on an unknown dependency', () => {
    assert.throws(() => new ServiceGraph('test', [{ name: 'frontend', dependsOn: ['backend'] }, { name: 'backend-api' }]), {
      message: 'test: services.frontend.dependsOn is "backend". No service is named "backend" (services: backend-api, frontend). Add it or fix the name.',
    });
  });

  it('fails on two services with one name', () => {
    assert.throws(() => new ServiceGraph('test', [{ name: 'a' }, { name: 'a' }]), {
      message: 'test: services.name is "a". Each service needs a unique name.',
    });
  });
});
