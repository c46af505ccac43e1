import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseAllDocuments } from 'yaml';
import { dev, prod } from '../../../environments';
import { acmeClusterIssuer, Flux } from '../../../lib/flux';
import { EnvironmentConfig } from '../../../stacks/environment';
import { validateEnvironment } from '../../../stacks/validate-environment';
import { helmRelease, releaseValues, trackedSynth } from '../../support/synth';
import { assertValidManifests, validateManifest } from '../../support/validate';

const synth = trackedSynth();

describe('cert-manager ClusterIssuers', () => {
  it('prod creates the ClusterIssuer its ingresses name, valid against the cert-manager CRD, after infrastructure', () => {
    const result = synth(prod);
    const issuers = parseAllDocuments(result.files.get('cluster-config/cert-manager/manifests.yaml')!).map((d) => d.toJS());
    assertValidManifests(issuers, 'cluster-issuers');
    assert.deepEqual(issuers.map((i) => [i.kind, i.metadata.name]), [['ClusterIssuer', 'letsencrypt-prod']]);
    assert.deepEqual(issuers[0].spec.acme.solvers, [{ http01: { ingress: { ingressClassName: 'nginx' } } }]);
    assert.equal(issuers[0].spec.acme.email, 'platform-team@example.com');

    // Applied by its own Kustomization once infrastructure (cert-manager and its CRDs) is ready.
    const kustomization = result.objects.find((o) => o.object.kind === 'Kustomization' && o.object.metadata.name === 'cluster-issuers')!;
    assert.equal(kustomization.file, 'bootstrap/files/flux-sync.yaml');
    const spec = kustomization.object.spec as any;
    assert.deepEqual(spec.dependsOn, [{ name: 'infrastructure' }]);
    assert.equal(spec.path, 'clusters/prod/cluster-config/cert-manager');
    assert.equal(spec.wait, true);
    assert.ok(result.objects.some((o) => o.object.kind === 'HelmRelease' && o.object.metadata.name === 'cert-manager' && o.file.startsWith('infrastructure/')));

    const argocd = releaseValues(helmRelease(result.tf, 'argocd')) as any;
    assert.equal(argocd.server.ingress.annotations['cert-manager.io/cluster-issuer'], 'letsencrypt-prod');
    const flux = releaseValues(helmRelease(result.tf, 'flux2')) as any;
    assert.deepEqual(flux.notificationController.webhookReceiver.ingress.annotations, { 'cert-manager.io/cluster-issuer': 'letsencrypt-prod' });
    assert.equal(flux.notificationController.webhookReceiver.ingress.ingressClassName, 'nginx');
    assert.ok(!(result.stack.output.summary?.secretPrerequisites ?? []).some((s) => s.endsWith('-tls')));
  });

  it('every environment issues the TLS Secrets of the Argo CD and webhook ingresses', () => {
    const result = synth(dev);
    const guide = result.files.get('SECRETS.md')!;
    assert.match(guide, /`argocd\/argocd-server-tls` .* cert-manager \(ClusterIssuer `letsencrypt-prod`/);
    assert.match(guide, /`flux-system\/flux-webhook-tls` .* cert-manager \(ClusterIssuer `letsencrypt-prod`/);
    assert.equal((result.stack.modules.flux as Flux).clusterIssuers?.name, 'cluster-issuers');
  });

  it('the strict validator knows the ClusterIssuer schema', () => {
    const bad = acmeClusterIssuer('test', { name: 'x', email: 'a@example.com' }, {}) as any;
    bad.spec.acme.solvers[0].http01.ingress.ingresClassName = 'typo';
    assert.ok(validateManifest(bad).some((p) => p.includes('ingresClassName')));
  });

  it('fails when an ingress names a ClusterIssuer nothing creates', () => {
    const config: EnvironmentConfig = { ...prod, argocd: { ...prod.argocd, ingress: { ...prod.argocd!.ingress, annotations: { 'cert-manager.io/cluster-issuer': 'letsencrypt-staging' } } } };
    assert.throws(() => validateEnvironment(config), {
      message:
        'Environment "prod": argocd.ingress.annotations["cert-manager.io/cluster-issuer"] is "letsencrypt-staging". No ClusterIssuer of that name is created: declare it in flux.clusterIssuers (with the cert-manager add-on) or use one of letsencrypt-prod.',
    });
  });

  it('fails when ClusterIssuers have no cert-manager add-on, or the receiver names an unknown one', () => {
    const noCertManager: EnvironmentConfig = { ...prod, flux: { ...prod.flux, addons: prod.flux!.addons!.filter((a) => a.chart !== 'cert-manager') } };
    assert.throws(() => synth(noCertManager), {
      message: 'Environment "prod": flux.clusterIssuers is ["letsencrypt-prod"]. ClusterIssuers need cert-manager: add the add-on certManagerAddon(...) to flux.addons.',
    });
    const unknown: EnvironmentConfig = { ...prod, flux: { ...prod.flux, webhookReceiver: { clusterIssuer: 'other' } } };
    assert.throws(() => synth(unknown), {
      message: 'Environment "prod": flux.webhookReceiver.clusterIssuer is "other". Name one of flux.clusterIssuers (letsencrypt-prod).',
    });
  });

  it('fails on an issuer without a usable e-mail', () => {
    assert.throws(() => acmeClusterIssuer('flux.clusterIssuers[0]', { name: 'le', email: 'platform-team' }, {}), {
      message: 'flux.clusterIssuers[0]: email is "platform-team". Give the e-mail address of the ACME account (name@host); the certificate authority sends expiry notices to it.',
    });
  });
});
