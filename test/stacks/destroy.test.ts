import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { dev, prod, staging } from '../../environments';
import { helmRelease, releaseValues, TerraformJson, cachedSynth } from '../support/synth';

type Json = Record<string, any>;

const synth = cachedSynth();

/** Every resource address of the stack (`type.name`). */
function addresses(tf: TerraformJson): string[] {
  return Object.entries(tf.resource).flatMap(([type, resources]) => Object.keys(resources).map((name) => `${type}.${name}`));
}

/** What `address` depends on, directly and through its dependencies (depends_on only). */
function dependencyClosure(tf: TerraformJson, address: string): Set<string> {
  const byAddress = new Map<string, Json>();
  for (const [type, resources] of Object.entries(tf.resource)) {
    for (const [name, body] of Object.entries(resources)) byAddress.set(`${type}.${name}`, body);
  }
  const seen = new Set<string>();
  const visit = (a: string): void => {
    for (const dep of (byAddress.get(a)?.depends_on ?? []) as string[]) {
      if (!seen.has(dep)) {
        seen.add(dep);
        visit(dep);
      }
    }
  };
  visit(address);
  return seen;
}

function bootstrapAddress(tf: TerraformJson): string {
  const [name] = Object.entries(tf.resource.helm_release).find(([, r]) => r.name === 'gitops-bootstrap')!;
  return `helm_release.${name}`;
}

describe('destroy', () => {
  for (const env of [dev, staging, prod]) {
    describe(env.name, () => {
      it('removes the bootstrap release (Argo CD and Flux objects) before any controller, namespace or Secret', () => {
        const { tf } = synth(env);
        const bootstrap = bootstrapAddress(tf);
        // Terraform destroys in reverse dependency order: everything the bootstrap
        // release depends on is destroyed after it.
        const after = dependencyClosure(tf, bootstrap);
        assert.deepEqual(addresses(tf).filter((a) => a !== bootstrap && !after.has(a)), []);
        // Each namespace directly, so no sync object lands in a namespace Terraform has not created yet.
        const direct = new Set(helmRelease(tf, 'gitops-bootstrap').depends_on as string[]);
        for (const name of Object.keys(tf.resource.kubernetes_namespace_v1)) assert.ok(direct.has(`kubernetes_namespace_v1.${name}`), name);
      });

      it('waits on uninstall for the objects whose finalizers need the controllers', () => {
        const { tf, objects } = synth(env);
        const bootstrap = helmRelease(tf, 'gitops-bootstrap');
        assert.equal(bootstrap.wait, true, 'helm uninstall --wait: the release is gone only when its objects are');
        const root = objects.find((o) => o.file === 'bootstrap/files/argocd-root.yaml' && o.object.kind === 'Application')!.object;
        assert.deepEqual(root.metadata.finalizers, ['resources-finalizer.argocd.argoproj.io'], 'the root app takes its objects with it');
        const kustomizations = objects.filter((o) => o.file === 'bootstrap/files/flux-sync.yaml' && o.object.kind === 'Kustomization');
        // The three sections, and the ClusterIssuers' Kustomization where the environment has issuers.
        assert.ok(kustomizations.length >= 3, kustomizations.map((k) => k.object.metadata.name).join(', '));
        for (const k of kustomizations) assert.equal((k.object as Json).spec.deletionPolicy, 'WaitForTermination', k.object.metadata.name);
      });

      it('keeps the CRDs of every chart that would delete them under live objects', () => {
        const { tf } = synth(env);
        const keep = { 'helm.sh/resource-policy': 'keep' };
        assert.deepEqual((releaseValues(helmRelease(tf, 'flux2')) as Json).crds.annotations, keep);
        assert.deepEqual((releaseValues(helmRelease(tf, 'external-secrets')) as Json).crds.annotations, keep);
        assert.equal((releaseValues(helmRelease(tf, 'argocd')) as Json).crds.keep, true);
        assert.equal((releaseValues(helmRelease(tf, 'argocd-image-updater')) as Json).crds.keep, true);
        assert.equal((releaseValues(helmRelease(tf, 'argo-rollouts')) as Json).keepCRDs, true);
      });
    });
  }

  it('lets an environment orphan the Flux objects instead (then they are removed by hand before destroy)', () => {
    // Flux alone: no security module to materialise the SOPS key, so no decryption either.
    const { objects } = synth({ ...prod, name: 'orphaning', tier: 'staging', modules: ['flux'], flux: { ...prod.flux, deletionPolicy: 'Orphan', sopsKeySecret: undefined, sopsSections: undefined } });
    const kustomizations = objects.filter((o) => o.file === 'bootstrap/files/flux-sync.yaml' && o.object.kind === 'Kustomization');
    for (const k of kustomizations) assert.equal((k.object as Json).spec.deletionPolicy, 'Orphan');
  });
});
