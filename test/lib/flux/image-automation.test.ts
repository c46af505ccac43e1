import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseAllDocuments } from 'yaml';
import { GitRepository } from '../../../lib/flux/git-repository';
import { ImagePolicy, imagePolicyMarker, ImagePolicyRule } from '../../../lib/flux/image-policy';
import { ImageRepository } from '../../../lib/flux/image-repository';
import { markContainerImage, markImagePolicy, renderDocuments, toMarkableDocument } from '../../../lib/flux/image-setters';
import { ImageUpdateAutomation } from '../../../lib/flux/image-update-automation';
import { FluxSourceReference, GitRef } from '../../../lib/flux/source';
import { ManifestObject } from '../../../lib/platform/gitops-tree';
import { newChart, objects, only, specOf } from './support';

const deployment: ManifestObject = {
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'myapp', namespace: 'apps' },
  spec: {
    template: {
      spec: {
        initContainers: [{ name: 'migrate', image: 'docker.io/org/migrate:v1.0.0' }],
        containers: [
          { name: 'sidecar', image: 'docker.io/org/proxy:v3.0.0' },
          { name: 'app', image: 'docker.io/org/myapp:v1.0.0' },
        ],
      },
    },
  },
};

describe('ImageRepository', () => {
  it('renders the image, interval, credentials and exclusions', () => {
    const chart = newChart();
    new ImageRepository(chart, 'myapp', { image: 'ghcr.io/company/myapp', secretRef: 'ghcr', exclusionList: ['^.*\\.sig$', '^sha-'] });
    new ImageRepository(chart, 'ecr', { image: '123456789012.dkr.ecr.eu-west-1.amazonaws.com/app', provider: 'aws', interval: '10m' });
    const list = objects(chart);
    assert.equal(only(list, 'ImageRepository', 'myapp').apiVersion, 'image.toolkit.fluxcd.io/v1');
    assert.deepEqual(specOf(only(list, 'ImageRepository', 'myapp')), {
      image: 'ghcr.io/company/myapp',
      interval: '5m',
      secretRef: { name: 'ghcr' },
      exclusionList: ['^.*\\.sig$', '^sha-'],
    });
    assert.deepEqual(specOf(only(list, 'ImageRepository', 'ecr')), {
      image: '123456789012.dkr.ecr.eu-west-1.amazonaws.com/app',
      interval: '10m',
      provider: 'aws',
    });
  });

  it('fails on an image with a tag, a digest or a scheme, and on a bad exclusion', () => {
    for (const image of ['ghcr.io/company/app:v1', 'ghcr.io/company/app@sha256:abc', 'https://ghcr.io/company/app', 'Company/App']) {
      assert.throws(() => new ImageRepository(newChart(), 'r', { image }), {
        message: `test/r: image is ${JSON.stringify(image)}. Use an image repository without scheme, tag or digest, such as "ghcr.io/<owner>/api-service" or "docker.io/<owner>/myapp".`,
      });
    }
    assert.throws(() => new ImageRepository(newChart(), 'r', { image: 'org/app', exclusionList: ['(unclosed'] }), {
      message: 'test/r: exclusionList is "(unclosed". It is not a valid regular expression (Invalid regular expression: /(unclosed/: Unterminated group).',
    });
  });
});

describe('ImagePolicy', () => {
  it('renders semver, alphabetical and numerical rules with a tag filter', () => {
    const chart = newChart();
    const repo = new ImageRepository(chart, 'myapp', { image: 'docker.io/org/myapp' });
    new ImagePolicy(chart, 'stable', { imageRepository: repo, policy: ImagePolicyRule.semver('>=1.0.0 <2.0.0') });
    new ImagePolicy(chart, 'main', {
      imageRepository: repo,
      policy: ImagePolicyRule.numerical('asc'),
      filterTags: { pattern: '^main-[a-f0-9]+-(?P<ts>[0-9]+)$', extract: '$ts' },
    });
    new ImagePolicy(chart, 'dated', {
      namespace: 'apps',
      imageRepository: repo,
      policy: ImagePolicyRule.alphabetical('desc'),
      digestReflectionPolicy: 'Always',
      interval: '10m',
    });
    const list = objects(chart);
    assert.deepEqual(specOf(only(list, 'ImagePolicy', 'stable')), {
      imageRepositoryRef: { name: 'myapp' },
      policy: { semver: { range: '>=1.0.0 <2.0.0' } },
    });
    assert.deepEqual(specOf(only(list, 'ImagePolicy', 'main')), {
      imageRepositoryRef: { name: 'myapp' },
      policy: { numerical: { order: 'asc' } },
      filterTags: { pattern: '^main-[a-f0-9]+-(?P<ts>[0-9]+)$', extract: '$ts' },
    });
    assert.deepEqual(specOf(only(list, 'ImagePolicy', 'dated')), {
      imageRepositoryRef: { name: 'myapp', namespace: 'flux-system' },
      policy: { alphabetical: { order: 'desc' } },
      digestReflectionPolicy: 'Always',
      interval: '10m',
    });
  });

  it('fails on a range that does not parse, an unknown extract group and a lone interval', () => {
    assert.throws(() => ImagePolicyRule.semver('>=1.0 <<2.0'), {
      message: 'ImagePolicyRule: semver is ">=1.0 <<2.0". It is not a SemVer range ("<<2.0" is not a comparator such as ">=1.2.0", "~1.2" or "1.x"); use a range such as ">=1.0.0 <2.0.0" or "~2.1".',
    });
    const repo = { name: 'myapp', namespace: 'flux-system' };
    assert.throws(
      () => new ImagePolicy(newChart(), 'p', { imageRepository: repo, policy: ImagePolicyRule.numerical(), filterTags: { pattern: '^main-(?P<ts>[0-9]+)$', extract: '$build' } }),
      { message: 'test/p: filterTags.extract is "$build". The pattern has no named group "build"; add (?P<build>...) to the pattern or fix extract.' },
    );
    assert.throws(() => new ImagePolicy(newChart(), 'p', { imageRepository: repo, policy: ImagePolicyRule.alphabetical(), interval: '5m' }), {
      message: 'test/p: interval is "5m". An interval only applies with digestReflectionPolicy "Always"; remove it or set that policy.',
    });
  });

  it('writes setter markers for whole images and for tag / name fields', () => {
    const chart = newChart();
    const policy = new ImagePolicy(chart, 'myapp', { imageRepository: { name: 'myapp', namespace: 'flux-system' }, policy: ImagePolicyRule.semver('1.x') });
    assert.equal(policy.marker(), '{"$imagepolicy": "flux-system:myapp"}');
    assert.equal(policy.marker('tag'), '{"$imagepolicy": "flux-system:myapp:tag"}');
    assert.equal(imagePolicyMarker({ name: 'web', namespace: 'apps' }, 'name'), '{"$imagepolicy": "apps:web:name"}');
  });
});

describe('setter markers in YAML', () => {
  it('marks the named container image of a Deployment as a YAML comment', () => {
    const text = renderDocuments([markContainerImage(deployment, 'app', { name: 'myapp', namespace: 'flux-system' })]);
    assert.match(text, /^ {10}image: docker\.io\/org\/myapp:v1\.0\.0 # \{"\$imagepolicy": "flux-system:myapp"\}$/m);
    assert.equal(text.split('$imagepolicy').length - 1, 1, 'one marker only');
    // The marker is a comment: the object is unchanged.
    assert.deepEqual(parseAllDocuments(text)[0].toJS(), deployment);
  });

  it('marks init containers and CronJobs too', () => {
    const init = renderDocuments([markContainerImage(deployment, 'migrate', { name: 'migrate', namespace: 'flux-system' })]);
    assert.match(init, /image: docker\.io\/org\/migrate:v1\.0\.0 # \{"\$imagepolicy": "flux-system:migrate"\}/);
    const cronJob: ManifestObject = {
      apiVersion: 'batch/v1',
      kind: 'CronJob',
      metadata: { name: 'report' },
      spec: { jobTemplate: { spec: { template: { spec: { containers: [{ name: 'report', image: 'ghcr.io/company/report:1.0.0' }] } } } } },
    };
    assert.match(renderDocuments([markContainerImage(cronJob, 'report', { name: 'report', namespace: 'flux-system' })]), /report:1\.0\.0 # \{"\$imagepolicy": "flux-system:report"\}/);
  });

  it('marks a tag field of any document', () => {
    const document = toMarkableDocument({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'values' }, data: { tag: 'v1.0.0' } });
    markImagePolicy(document, ['data', 'tag'], { name: 'myapp', namespace: 'flux-system' }, 'tag');
    assert.match(renderDocuments([document]), /tag: v1\.0\.0 # \{"\$imagepolicy": "flux-system:myapp:tag"\}/);
  });

  it('fails on an unknown container, an unpinned image, a kind without pods and a non-string field', () => {
    const policy = { name: 'myapp', namespace: 'flux-system' };
    assert.throws(() => markContainerImage(deployment, 'web', policy), {
      message: 'markContainerImage: container is "web". Deployment/myapp has no such container (containers: sidecar, app).',
    });
    const unpinned = { ...deployment, spec: { template: { spec: { containers: [{ name: 'app', image: 'docker.io/org/myapp' }] } } } };
    assert.throws(() => markContainerImage(unpinned, 'app', policy), {
      message: 'markContainerImage: app.image is "docker.io/org/myapp". Pin the current image to a tag or digest; the automation replaces it.',
    });
    assert.throws(() => markContainerImage({ apiVersion: 'v1', kind: 'Service', metadata: { name: 's' } }, 'app', policy), {
      message: 'markContainerImage: kind is "Service". Use a workload with a pod template: Deployment, StatefulSet, DaemonSet, ReplicaSet, Job, CronJob, Pod.',
    });
    assert.throws(() => markImagePolicy(toMarkableDocument(deployment), ['spec', 'template'], policy), {
      message: 'markImagePolicy: path is "spec.template". Point at a string field of the document (an image, tag or name).',
    });
  });
});

describe('ImageUpdateAutomation', () => {
  it('renders checkout, commit author and template, push branch and update path', () => {
    const chart = newChart();
    const repo = new GitRepository(chart, 'myapp', { url: 'https://github.com/org/myapp', ref: GitRef.branch('main'), secretRef: 'git-write' });
    const automation = new ImageUpdateAutomation(chart, 'auto', {
      source: repo,
      interval: '1m',
      checkout: GitRef.branch('main'),
      commit: {
        authorName: 'fluxcdbot',
        authorEmail: 'fluxcdbot@example.com',
        messageTemplate: '{{range .Changed.Changes}}{{println .NewValue}}{{end}}',
        messageTemplateValues: { env: 'prod' },
        signingKey: { secretRef: 'signing-key', type: 'ssh' },
      },
      push: { branch: 'image-updates' },
      updatePath: './deploy/production',
      policySelector: { team: 'web' },
    });
    assert.equal(automation.pushBranch, 'image-updates');
    assert.deepEqual(specOf(only(objects(chart), 'ImageUpdateAutomation')), {
      interval: '1m',
      sourceRef: { kind: 'GitRepository', name: 'myapp' },
      git: {
        checkout: { ref: { branch: 'main' } },
        commit: {
          author: { name: 'fluxcdbot', email: 'fluxcdbot@example.com' },
          messageTemplate: '{{range .Changed.Changes}}{{println .NewValue}}{{end}}',
          messageTemplateValues: { env: 'prod' },
          signingKey: { secretRef: { name: 'signing-key' }, type: 'ssh' },
        },
        push: { branch: 'image-updates' },
      },
      update: { path: './deploy/production', strategy: 'Setters' },
      policySelector: { matchLabels: { team: 'web' } },
    });
  });

  it('pushes to the source branch by default', () => {
    const chart = newChart();
    const repo = new GitRepository(chart, 'myapp', { url: 'https://github.com/org/myapp', ref: GitRef.branch('develop') });
    const automation = new ImageUpdateAutomation(chart, 'auto', { source: repo, commit: { authorName: 'bot', authorEmail: 'bot@example.com' }, updatePath: './' });
    assert.equal(automation.pushBranch, 'develop');
    assert.equal(specOf(only(objects(chart), 'ImageUpdateAutomation')).git.push, undefined);
  });

  it('fails on the removed .Updated template data, unbalanced templates, bad emails and non-Git sources', () => {
    const repo = FluxSourceReference.gitRepository('myapp', 'flux-system');
    const commit = { authorName: 'fluxcdbot', authorEmail: 'fluxcdbot@example.com' };
    assert.throws(
      () =>
        new ImageUpdateAutomation(newChart(), 'a', {
          source: repo,
          commit: { ...commit, messageTemplate: 'Update image to {{range .Updated.Images}}{{println .}}{{end}}\n' },
          push: { branch: 'main' },
          updatePath: './',
        }),
      {
        message:
          'test/a: commit.messageTemplate is "Update image to {{range .Updated.Images}}{{println .}}{{end}}\\n". The .Updated template data was removed in image.toolkit.fluxcd.io/v1 (the automation stalls); use .Changed, e.g. "{{range .Changed.Changes}}{{println .NewValue}}{{end}}".',
      },
    );
    assert.throws(() => new ImageUpdateAutomation(newChart(), 'a', { source: repo, commit: { ...commit, messageTemplate: '{{ .AutomationObject' }, push: { branch: 'main' }, updatePath: './' }), {
      message: 'test/a: commit.messageTemplate is "{{ .AutomationObject". The template has unbalanced "{{" and "}}".',
    });
    assert.throws(() => new ImageUpdateAutomation(newChart(), 'a', { source: repo, commit: { ...commit, authorEmail: 'fluxcdbot' }, push: { branch: 'main' }, updatePath: './' }), {
      message: 'test/a: commit.authorEmail is "fluxcdbot". Give the e-mail address of the commit author (name@host).',
    });
    assert.throws(() => new ImageUpdateAutomation(newChart(), 'a', { source: FluxSourceReference.bucket('b', 'flux-system'), commit, updatePath: './' }), {
      message: 'test/a: source is "Bucket/b". Image automation commits to Git: use a GitRepository.',
    });
    assert.throws(() => new ImageUpdateAutomation(newChart(), 'a', { source: repo, commit, updatePath: './' }), {
      message: 'test/a: push is not set. Nothing to push to: check out a branch or give push.branch (or push.refspec).',
    });
  });
});
