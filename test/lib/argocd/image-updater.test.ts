import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ImageUpdatePolicy, ImageUpdater, UpdateStrategy, WriteBack } from '../../../lib/argocd';
import { CHARTS } from '../../../lib/platform/catalogue';
import { newChart, objectOf } from './support';

const policy = new ImageUpdatePolicy({
  images: [
    { alias: 'web', image: 'registry.company.com/web', constraint: '~1.4', helm: { name: 'image.repository', tag: 'image.tag' } },
    { alias: 'worker', image: 'registry.company.com/worker', strategy: UpdateStrategy.digest(), kustomizeImage: 'worker', ignoreTags: ['latest', 'dev'] },
  ],
  writeBack: WriteBack.git({ branch: 'main:image-updates', target: 'helmvalues:./values.yaml' }),
});

describe('ImageUpdatePolicy', () => {
  it('renders the legacy annotations: image list with constraints, strategies, targets and git write-back', () => {
    assert.deepEqual(policy.toAnnotations(), {
      'argocd-image-updater.argoproj.io/image-list': 'web=registry.company.com/web:~1.4,worker=registry.company.com/worker',
      'argocd-image-updater.argoproj.io/web.update-strategy': 'semver',
      'argocd-image-updater.argoproj.io/web.helm.image-name': 'image.repository',
      'argocd-image-updater.argoproj.io/web.helm.image-tag': 'image.tag',
      'argocd-image-updater.argoproj.io/worker.update-strategy': 'digest',
      'argocd-image-updater.argoproj.io/worker.ignore-tags': 'latest,dev',
      'argocd-image-updater.argoproj.io/worker.kustomize.image-name': 'worker',
      'argocd-image-updater.argoproj.io/write-back-method': 'git',
      'argocd-image-updater.argoproj.io/git-branch': 'main:image-updates',
      'argocd-image-updater.argoproj.io/write-back-target': 'helmvalues:./values.yaml',
    });
  });

  it('renders the ImageUpdater images and write-back', () => {
    assert.deepEqual(policy.toImages()[0], {
      alias: 'web',
      imageName: 'registry.company.com/web:~1.4',
      commonUpdateSettings: { updateStrategy: 'semver' },
      manifestTargets: { helm: { name: 'image.repository', tag: 'image.tag' } },
    });
    assert.deepEqual(policy.writeBackConfig(), { method: 'git', gitConfig: { branch: 'main:image-updates', writeBackTarget: 'helmvalues:./values.yaml' } });
    assert.equal(WriteBack.git({ credentialsSecret: 'argocd/git-creds' }).method, 'git:secret:argocd/git-creds');
    assert.equal(WriteBack.argocd().method, 'argocd');
  });

  it('fails when an image carries a tag, or a constraint is not semver', () => {
    assert.throws(() => new ImageUpdatePolicy({ images: [{ alias: 'web', image: 'docker.io/org/web:1.0' }] }), {
      message: 'ImageUpdatePolicy: images[0].image is "docker.io/org/web:1.0". Give the image without a tag, such as "docker.io/org/myapp"; put the version range in `constraint`.',
    });
    assert.throws(() => new ImageUpdatePolicy({ images: [{ alias: 'web', image: 'docker.io/org/web', constraint: 'latest' }] }), {
      message: 'ImageUpdatePolicy: images[0].constraint is "latest". Use a semver constraint such as "~1.0", "^2" or "1.2.x".',
    });
    assert.throws(
      () => new ImageUpdatePolicy({ images: [{ alias: 'web', image: 'docker.io/org/web', constraint: '~1.0', strategy: UpdateStrategy.newestBuild() }] }),
      { message: 'ImageUpdatePolicy: images[0].constraint is "~1.0". A version constraint needs the semver (or digest) strategy.' },
    );
  });

  it('fails when two images share an alias or the list is empty', () => {
    assert.throws(() => new ImageUpdatePolicy({ images: [] }), { message: 'ImageUpdatePolicy: images is []. List at least one image to update.' });
    assert.throws(
      () => new ImageUpdatePolicy({ images: [{ alias: 'a', image: 'x/a' }, { alias: 'a', image: 'x/b' }] }),
      { message: 'ImageUpdatePolicy: images[1].alias is "a". Give each image its own alias.' },
    );
  });

  it('fails when the write-back target is not kustomization or helmvalues', () => {
    assert.throws(() => WriteBack.git({ target: 'values.yaml' }), {
      message: 'WriteBack: target is "values.yaml". Use "kustomization", "kustomization:<path>" or "helmvalues:<path>".',
    });
  });
});

describe('ImageUpdater', () => {
  it('renders applicationRefs: explicit images, or the Applications own annotations', () => {
    const chart = newChart();
    new ImageUpdater(chart, 'Updates', {
      name: 'team-a',
      writeBack: WriteBack.git({ branch: 'main' }),
      applications: [
        { namePattern: 'web-*', policy },
        { namePattern: '*', matchLabels: { 'gitops.platform/image-updates': 'enabled' } },
      ],
    });
    const obj = objectOf(chart, 'ImageUpdater') as any;
    assert.equal(obj.apiVersion, 'argocd-image-updater.argoproj.io/v1alpha1');
    assert.equal(obj.metadata.namespace, 'argocd');
    assert.deepEqual(obj.spec.writeBackConfig, { method: 'git', gitConfig: { branch: 'main' } });
    assert.equal(obj.spec.applicationRefs[0].images.length, 2);
    assert.deepEqual(obj.spec.applicationRefs[1], {
      namePattern: '*',
      labelSelectors: { matchLabels: { 'gitops.platform/image-updates': 'enabled' } },
      useAnnotations: true,
    });
  });

  it('fails when it selects no Application', () => {
    assert.throws(() => new ImageUpdater(newChart(), 'Updates', { name: 'x', applications: [] }), {
      message: 'test/Updates: applications is []. Select at least one Application (namePattern).',
    });
  });

  it('is pinned in the catalogue to the release of the vendored CRD (v1.3.0)', () => {
    assert.deepEqual(CHARTS.argocdImageUpdater, {
      chart: 'argocd-image-updater',
      version: '1.3.1',
      repository: 'https://argoproj.github.io/argo-helm',
      appVersion: 'v1.3.0',
    });
  });
});
