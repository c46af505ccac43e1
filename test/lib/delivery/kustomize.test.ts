import assert from 'node:assert/strict';
import * as path from 'path';
import { describe, it } from 'node:test';
import { ENVIRONMENTS } from '../../../environments';
import { RenderedManifest } from '../../../lib/platform/gitops-tree';
import { cachedSynth } from '../../support/synth';
import { assertSameObjects, kustomizeMissing, kustomizeObjects } from './helpers';

/**
 * The synth-time checks (schemas, policies, the deploy model, SECRETS.md, the
 * name checks) read the objects of the tree's charts; the delivery services
 * reach the cluster from their Kustomize overlays instead, which Argo CD's
 * root app (or Flux) builds. Built with the project's kustomize
 * (tools/kustomize), each overlay and each whole environment tree must give
 * exactly the objects the checks read.
 */
const synth = cachedSynth();

describe('kustomize builds what the checks read', () => {
  for (const env of ENVIRONMENTS) {
    describe(env.name, () => {
      const manifests = (): RenderedManifest[] => synth(env).stack.platform.tree.manifests();

      it('builds each delivery overlay into exactly the objects the tree holds for it', (t) => {
        const missing = kustomizeMissing();
        if (missing) {
          t.skip(missing);
          return;
        }
        const result = synth(env);
        const overlays = [...new Set(manifests().filter((m) => m.overlay).map((m) => m.file))].sort();
        const components = ['backend-api', 'database', 'frontend', 'worker-service'];
        if (result.stack.platform.environment.name !== 'dev') components.unshift('analysis');
        assert.deepEqual(overlays, components.map((c) => `apps/delivery/${c}/overlays/${env.name}`));
        for (const overlay of overlays) {
          const expected = manifests().filter((m) => m.file === overlay).map((m) => m.object);
          assertSameObjects(kustomizeObjects(path.join(result.directory, overlay)), expected, `${env.name} ${overlay}`);
        }
      });

      it(`builds dist/${env.name} into exactly the objects of the synced sections`, (t) => {
        const missing = kustomizeMissing();
        if (missing) {
          t.skip(missing);
          return;
        }
        const expected = manifests().filter((m) => m.section !== 'bootstrap').map((m) => m.object);
        const objects = kustomizeObjects(synth(env).directory);
        assert.equal(objects.length, expected.length, `${env.name}: kustomize built ${objects.length} objects, the checks read ${expected.length}`);
        assertSameObjects(objects, expected, `dist/${env.name}`);
      });
    });
  }
});
