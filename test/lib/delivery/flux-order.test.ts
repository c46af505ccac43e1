import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { FluxDeliveryOrder } from '../../../lib/delivery/flux-order';
import { assertValidManifests } from '../../support/validate';
import { at, objects, one, testChart } from './helpers';

describe('FluxDeliveryOrder', () => {
  it('renders one Kustomization per component with dependsOn, wait and a Rollout health check', () => {
    const chart = testChart();
    new FluxDeliveryOrder(chart, 'Order', {
      components: [
        { name: 'frontend', path: './apps/frontend', dependsOn: ['backend-api'] },
        { name: 'database', path: './apps/database' },
        { name: 'backend-api', path: './apps/backend-api', dependsOn: ['database'] },
      ],
      prune: false,
    });
    const all = objects(chart);
    assert.deepEqual(all.map((o) => o.metadata.name), ['delivery-backend-api', 'delivery-database', 'delivery-frontend']);
    const frontend = one(all, 'Kustomization', 'delivery-frontend');
    assert.equal(frontend.apiVersion, 'kustomize.toolkit.fluxcd.io/v1');
    assert.equal(frontend.metadata.namespace, 'flux-system');
    assert.deepEqual(at(frontend, 'spec.dependsOn'), [{ name: 'delivery-backend-api' }]);
    assert.deepEqual(at(frontend, 'spec.sourceRef'), { kind: 'GitRepository', name: 'flux-system' });
    assert.equal(at(frontend, 'spec.path'), './apps/frontend');
    assert.equal(at(frontend, 'spec.wait'), true);
    assert.equal(at(frontend, 'spec.prune'), false);
    assert.equal(at(frontend, 'spec.healthCheckExprs.0.kind'), 'Rollout');
    assert.equal(at(one(all, 'Kustomization', 'delivery-database'), 'spec.dependsOn'), undefined);
    assertValidManifests(all, 'flux order');
  });

  it('fails on a dependency that is not a component', () => {
    assert.throws(
      () => new FluxDeliveryOrder(testChart(), 'Order', { components: [{ name: 'frontend', path: './x', dependsOn: ['api'] }] }),
      { message: 'test/Order: components.frontend.dependsOn is "api". No component is named "api"; add it or fix the name.' },
    );
  });

  it('fails on a path that is not relative to the repository root', () => {
    assert.throws(
      () => new FluxDeliveryOrder(testChart(), 'Order', { components: [{ name: 'frontend', path: 'apps/frontend' }] }),
      { message: 'test/Order: components.frontend.path is "apps/frontend". Use a path relative to the repository root, starting with "./".' },
    );
  });
});
