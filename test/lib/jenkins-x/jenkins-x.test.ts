import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parse, parseAllDocuments } from 'yaml';
import { dev, ENVIRONMENTS, prod, staging } from '../../../environments';
import { BuildPack } from '../../../lib/jenkins-x/build-pack';
import { PromotionStrategy } from '../../../lib/jenkins-x/promotion';
import { helmRelease, releaseValues, SynthResult, cachedSynth } from '../../support/synth';
import { validateManifest } from '../../support/validate';
import { envWith, jenkinsX, makeStack, treeFiles } from './helpers';
import { embeddedTektonObjects } from './tekton';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const synth = cachedSynth();

function moduleObjects(result: SynthResult): Json[] {
  return result.objects.filter((o) => o.file === 'infrastructure/jenkins-x.yaml').map((o) => o.object as Json);
}
function requirementsOf(result: SynthResult): Json {
  return parse(result.files.get('jenkins-x/cluster-repository/jx-requirements.yml')!);
}
function output(result: SynthResult, name: string): Json {
  return (result.tf.output[name].value as Json).jenkins_x;
}

describe('JenkinsX in the shipped environments', () => {
  for (const env of ENVIRONMENTS) {
    describe(env.name, () => {
      it('puts Environments and SourceRepositories in infrastructure/jenkins-x.yaml, all valid against the upstream CRDs', () => {
        const objects = moduleObjects(synth(env));
        assert.ok(objects.length >= 4);
        for (const obj of objects) assert.deepEqual(validateManifest(obj), [], `${obj.kind}/${obj.metadata.name}`);
        const environments = objects.filter((o) => o.kind === 'Environment');
        assert.deepEqual(environments.map((e) => e.metadata.name), ['dev', 'staging', 'production']);
        assert.ok(environments.every((e) => e.metadata.namespace === 'jx'));
        assert.ok(synth(env).files.get('infrastructure/kustomization.yaml')!.includes('jenkins-x.yaml'));
      });

      it('writes Lighthouse PipelineRuns that validate strictly, inline specs included', () => {
        const { files } = synth(env);
        for (const [file, content] of files) {
          if (!/\/\.lighthouse\/jenkins-x\/(pullrequest|release)\.yaml$/.test(file)) continue;
          const run = parse(content);
          assert.deepEqual(validateManifest(run), [], file);
          for (const embedded of embeddedTektonObjects(run)) assert.deepEqual(validateManifest(embedded), [], `${file} ${embedded.kind}`);
        }
      });

      it('writes jx-requirements.yml for its cluster with Lighthouse webhooks', () => {
        const req = requirementsOf(synth(env));
        assert.equal(req.apiVersion, 'core.jenkins-x.io/v4beta1');
        assert.equal(req.kind, 'Requirements');
        assert.equal(req.spec.cluster.clusterName, env.cluster.name);
        assert.equal(req.spec.ingress.domain, env.domain);
        assert.equal(req.spec.ingress.tls.enabled, true);
        assert.equal(req.spec.webhook, 'lighthouse');
        assert.deepEqual(req.spec.environments.map((e: Json) => e.key), ['dev', 'staging', 'production']);
      });

      it('installs the git operator pointed at its own cluster repository', () => {
        const { tf } = synth(env);
        // The URL goes into the jx-boot Secret Terraform writes, not the chart's values.
        assert.equal(releaseValues(helmRelease(tf, 'jx-git-operator')).url, undefined);
        const boot = Object.values(tf.resource.kubernetes_secret_v1).find((s) => (s.metadata as { name: string }).name === 'jx-boot')!;
        assert.equal((boot.data_wo as Record<string, string>).url, `https://github.com/company/jx3-${env.cluster.name}.git`);
      });

      it('keeps the tree free of other YAML than manifests outside jenkins-x/', () => {
        for (const file of synth(env).files.keys()) {
          if (file.startsWith('jenkins-x/')) continue;
          assert.ok(!file.includes('.lighthouse') && !file.endsWith('jx-requirements.yml'), file);
        }
      });
    });
  }

  it('dev: quickstart applications with previews, a 72h time to live and draft cleanup', () => {
    const result = synth(dev);
    const names = moduleObjects(result).filter((o) => o.kind === 'SourceRepository').map((o) => o.metadata.name);
    assert.deepEqual(names, ['company-jx3-dev-cluster', 'company-orders-api', 'company-storefront']);
    for (const app of ['orders-api', 'storefront']) {
      for (const file of ['.lighthouse/jenkins-x/pullrequest.yaml', '.lighthouse/jenkins-x/release.yaml', '.lighthouse/jenkins-x/triggers.yaml', 'preview/helmfile.yaml.gotmpl', 'preview/values.yaml.gotmpl']) {
        assert.ok(result.files.has(`jenkins-x/applications/${app}/${file}`), `${app}/${file}`);
      }
    }
    const pr = parse(result.files.get('jenkins-x/applications/orders-api/.lighthouse/jenkins-x/pullrequest.yaml')!);
    assert.ok(pr.spec.pipelineSpec.tasks[0].taskSpec.steps.some((s: Json) => s.name === 'promote-jx-preview'));
    assert.deepEqual(parse(result.files.get('jenkins-x/cluster-repository/values/jx-preview/values.yaml')!), {
      gcJobs: { schedule: '*/10 * * * *', extraArgs: '--gc-drafts' },
    });
    const cron = moduleObjects(result).find((o) => o.kind === 'CronJob')!;
    assert.equal(cron.metadata.name, 'jx-preview-reaper');
    assert.equal(cron.spec.jobTemplate.spec.template.spec.containers[0].env.find((e: Json) => e.name === 'TTL_SECONDS').value, '259200');
    const description = moduleObjects(result).find((o) => o.metadata.name === 'company-orders-api')!.spec.description;
    assert.equal(description, 'orders-api: created from the go-http quickstart, built with the go build pack');
    const req = requirementsOf(result);
    assert.equal(req.spec.secretStorage, 'local');
    assert.equal(req.spec.ingress.tls.production, false);
  });

  it('staging: the same applications imported, without previews or reaper, secrets in Vault', () => {
    const result = synth(staging);
    assert.ok(result.files.has('jenkins-x/applications/orders-api/.lighthouse/jenkins-x/triggers.yaml'));
    assert.ok(![...result.files.keys()].some((f) => f.includes('/preview/') || f.includes('jx-preview')));
    const pr = parse(result.files.get('jenkins-x/applications/storefront/.lighthouse/jenkins-x/pullrequest.yaml')!);
    assert.ok(!pr.spec.pipelineSpec.tasks[0].taskSpec.steps.some((s: Json) => s.name === 'promote-jx-preview'));
    assert.equal(moduleObjects(result).find((o) => o.kind === 'CronJob'), undefined);
    const req = requirementsOf(result);
    assert.equal(req.spec.secretStorage, 'vault');
    assert.equal(req.spec.ingress.tls.production, true);
    assert.deepEqual(req.spec.environments.map((e: Json) => e.promotionStrategy), ['Never', 'Auto', 'Manual']);
  });

  it('prod: manual promotion everywhere, no applications, strict operator RBAC', () => {
    const result = synth(prod);
    assert.deepEqual(requirementsOf(result).spec.environments.map((e: Json) => e.promotionStrategy), ['Never', 'Manual', 'Manual']);
    const environments = moduleObjects(result).filter((o) => o.kind === 'Environment');
    assert.deepEqual(environments.map((e) => e.spec.promotionStrategy), ['Never', 'Manual', 'Manual']);
    assert.ok(![...result.files.keys()].some((f) => f.startsWith('jenkins-x/applications/')));
    assert.deepEqual(releaseValues(helmRelease(result.tf, 'jx-git-operator')).rbac, { cluster: true, strict: true });
  });

  it('reports release, cluster repository and environments with their promotion strategies in the outputs', () => {
    const result = synth(dev);
    const patterns = output(result, 'gitops_patterns_status');
    assert.equal(patterns.release, '${helm_release.JenkinsX_Install_DE838550.name}');
    assert.equal(patterns.status, '${helm_release.JenkinsX_Install_DE838550.status}');
    assert.equal(patterns.chart_version, '0.2.4');
    assert.deepEqual(patterns.cluster_repository, {
      url: 'https://github.com/company/jx3-dev-cluster.git',
      requirements: 'jenkins-x/cluster-repository/jx-requirements.yml',
    });
    assert.deepEqual(patterns.environments.map((e: Json) => [e.key, e.namespace, e.promotion_strategy]), [
      ['dev', 'jx', 'Never'],
      ['staging', 'jx-staging', 'Auto'],
      ['production', 'jx-production', 'Manual'],
    ]);
    assert.equal(patterns.crds.status, '${helm_release.JenkinsX_Install_Crds_BB230BCF.status}');
    const multi = output(result, 'multi_environment_status');
    assert.deepEqual(multi.environments[2], { key: 'production', namespace: 'jx-production', promotion_strategy: 'Manual', remote_cluster: false });
    const automation = output(result, 'advanced_automation_status');
    assert.deepEqual(automation.promotion, { automatic: ['staging'], manual: ['production'] });
    assert.equal(automation.pipeline_runs, 4);
    assert.deepEqual(automation.applications.map((a: Json) => a.preview_namespace), ['jx-company-orders-api-pr-{number}', 'jx-company-storefront-pr-{number}']);
    assert.deepEqual(automation.previews, { enabled: true, ttl: '72h', gc_schedule: '*/10 * * * *', cleanup_drafts: true, reaper: 'jx-preview-reaper' });
    const security = output(result, 'gitops_security_status');
    assert.deepEqual(security.git_credentials, { username_variable: 'jenkins_x_git_username', token_variable: 'jenkins_x_git_token' });
    const sensitive = (result.tf.output.gitops_security_status.value as Json).sensitive_variables;
    assert.ok(sensitive.includes('jenkins_x_git_token'));
    assert.deepEqual(output(synth(prod), 'advanced_automation_status').previews, { enabled: false });
    assert.equal(output(synth(prod), 'gitops_security_status').rbac.strict, true);
  });

  it('lists the jx namespaces among the Terraform-managed namespaces', () => {
    const namespaces = (synth(dev).tf.output.multi_environment_status.value as Json).namespaces;
    assert.ok(namespaces.includes('jx') && namespaces.includes('jx-git-operator'));
  });
});

describe('JenkinsX settings', () => {
  it('fails when an environment named production is promoted automatically', () => {
    assert.throws(() => makeStack(envWith({ environments: [{ key: 'staging' }, { key: 'production', promotion: PromotionStrategy.auto() }] })), {
      message:
        'Environment "dev": jenkinsX.environments[1].promotion is "Auto". Production environments are promoted manually: use PromotionStrategy.manual() (or never()) for "production".',
    });
  });

  it('fails when an environment marked production is promoted automatically', () => {
    assert.throws(() => makeStack(envWith({ environments: [{ key: 'live', production: true, promotion: PromotionStrategy.auto() }] })), {
      message:
        'Environment "dev": jenkinsX.environments[0].promotion is "Auto". Production environments are promoted manually: use PromotionStrategy.manual() (or never()) for "live".',
    });
  });

  it('fails when the cluster repository URL is not a Git URL', () => {
    assert.throws(() => makeStack(envWith({ clusterRepository: 'https://github.com/company' })), {
      message:
        'Environment "dev": jenkinsX.clusterRepository is "https://github.com/company". Use an https Git repository URL with an owner and a repository, such as "https://github.com/<owner>/<repository>.git".',
    });
    assert.throws(() => makeStack(envWith({ clusterRepository: 'git@github.com:company/jx3-dev.git' })), /jenkinsX\.clusterRepository is "git@github\.com:company\/jx3-dev\.git"\. Use an https Git repository URL/);
  });

  it('fails when two environments share a namespace', () => {
    assert.throws(() => makeStack(envWith({ environments: [{ key: 'staging' }, { key: 'qa', namespace: 'jx-staging' }] })), {
      message:
        'Environment "dev": jenkinsX.environments[1].namespace is "jx-staging". It is already the namespace of environment "staging"; give every environment its own namespace.',
    });
    assert.throws(() => makeStack(envWith({ environments: [{ key: 'staging', namespace: 'jx' }] })), {
      message: 'Environment "dev": jenkinsX.environments[0].namespace is "jx". It is already the namespace of environment "dev"; give every environment its own namespace.',
    });
  });

  it('fails when an application has no repository', () => {
    const app = { name: 'orders-api', buildPack: BuildPack.go() } as unknown as { name: string; repository: string; buildPack: BuildPack };
    assert.throws(() => makeStack(envWith({ applications: [app] })), {
      message:
        'Environment "dev": jenkinsX.applications[0].repository is not set. Set it to a string: the application\'s Git repository (https, ssh://git@ or git@host:).',
    });
  });

  it('fails when an application repository is not a Git URL', () => {
    assert.throws(() => makeStack(envWith({ applications: [{ name: 'web', repository: 'http://github.com/company/web', buildPack: BuildPack.go() }] })), {
      message:
        'Environment "dev": jenkinsX.applications[0].repository is "http://github.com/company/web". Use a Git repository URL (https://, ssh://git@ or git@host:) with an owner and a repository, such as "https://github.com/<owner>/<repository>.git".',
    });
  });

  it('fails when two applications share a name or a repository', () => {
    const repository = 'https://github.com/company/web.git';
    assert.throws(
      () => makeStack(envWith({ applications: [{ name: 'web', repository, buildPack: BuildPack.go() }, { name: 'web', repository: 'https://github.com/company/web2.git', buildPack: BuildPack.go() }] })),
      { message: 'Environment "dev": jenkinsX.applications[1].name is "web". jenkinsX.applications[0].name has that name already: each entry needs its own name.' },
    );
    assert.throws(
      () => makeStack(envWith({ applications: [{ name: 'web', repository, buildPack: BuildPack.go() }, { name: 'web-again', repository: 'git@github.com:company/web.git', buildPack: BuildPack.go() }] })),
      { message: 'Environment "dev": jenkinsX.applications[1].repository is "git@github.com:company/web.git". This repository is already registered; register each repository once.' },
    );
  });

  it('fails when an application wants previews the module does not configure', () => {
    assert.throws(() => makeStack(envWith({ applications: [{ name: 'web', repository: 'https://github.com/company/web.git', buildPack: BuildPack.go(), previews: true }] })), {
      message: 'Environment "dev": jenkinsX.applications[0].previews is true. Configure jenkinsX.previews (time to live, cleanup) to turn previews on.',
    });
  });

  it('fails when an environment reuses the dev key', () => {
    assert.throws(() => makeStack(envWith({ environments: [{ key: 'dev', namespace: 'jx-dev' }] })), {
      message: 'Environment "dev": jenkinsX.environments[0].key is "dev". The development environment is always there; give promotion targets other keys.',
    });
  });

  it('fails when TLS is on without a contact e-mail', () => {
    assert.throws(() => makeStack(envWith({ ingress: { tls: { enabled: true } } })), {
      message: 'Environment "dev": jenkinsX.ingress.tls.email is not set. TLS certificates from Let\'s Encrypt need a contact e-mail address (name@host) for expiry notices.',
    });
  });

  it('fails on an unknown cluster provider', () => {
    assert.throws(() => makeStack(envWith({ provider: 'openstack' as never })), {
      message: 'Environment "dev": jenkinsX.provider is "openstack". Use one of "kubernetes", "gke", "eks", "aks", "kind", "minikube".',
    });
  });
});

describe('JenkinsX', () => {
  it('works with no settings: staging Auto and production Manual in this cluster, no TLS, local secrets', () => {
    const stack = makeStack(envWith(undefined));
    const module = jenkinsX(stack);
    assert.equal(module.clusterRepository.httpsCloneUrl, 'https://github.com/company/jx3-dev-cluster.git');
    assert.deepEqual(module.environments.map((e) => `${e.key}:${e.namespace}:${e.promotion}`), ['dev:jx:Never', 'staging:jx-staging:Auto', 'production:jx-production:Manual']);
    const req = parse(treeFiles(stack).get('jenkins-x/cluster-repository/jx-requirements.yml')!);
    assert.equal(req.spec.secretStorage, 'local');
    assert.deepEqual(req.spec.ingress.tls, { enabled: false, email: '', production: true });
    assert.equal(module.previews, undefined);
  });

  it('registers a production environment in a remote cluster with its own repository', () => {
    const stack = makeStack(
      envWith({
        clusterRepository: 'https://github.com/company/jx3-dev.git',
        environments: [{ key: 'staging' }, { key: 'production', repository: 'https://github.com/company/jx3-prod.git', namespace: 'jx-production' }],
      }),
    );
    const objects = stack.platform.tree.manifests().filter((m) => m.file === 'infrastructure/jenkins-x.yaml').map((m) => m.object as Json);
    const production = objects.find((o) => o.kind === 'Environment' && o.metadata.name === 'production')!;
    assert.equal(production.spec.remoteCluster, true);
    assert.equal(production.spec.source.url, 'https://github.com/company/jx3-prod.git');
    assert.deepEqual(objects.filter((o) => o.kind === 'SourceRepository').map((o) => o.metadata.name), ['company-jx3-dev', 'company-jx3-prod']);
    const req = parse(treeFiles(stack).get('jenkins-x/cluster-repository/jx-requirements.yml')!);
    assert.deepEqual(req.spec.environments[2], {
      key: 'production', owner: 'company', repository: 'jx3-prod', gitServer: 'https://github.com', gitKind: 'github',
      remoteCluster: true, promotionStrategy: 'Manual', namespace: 'jx-production',
    });
  });

  it('addApplication registers another application after construction', () => {
    const stack = makeStack(envWith({ previews: { ttl: '24h' } }));
    const app = jenkinsX(stack).addApplication({ name: 'billing', repository: 'https://gitlab.company.com/finance/billing.git', buildPack: BuildPack.python() });
    assert.equal(app.previewNamespace, 'jx-finance-billing-pr-{number}');
    const files = treeFiles(stack);
    assert.ok(files.has('jenkins-x/applications/billing/.lighthouse/jenkins-x/pullrequest.yaml'));
    assert.ok(files.has('jenkins-x/applications/billing/preview/helmfile.yaml.gotmpl'));
    assert.deepEqual(jenkinsX(stack).applications.map((a) => a.name), ['billing']);
    assert.throws(() => jenkinsX(stack).addApplication({ name: 'billing', repository: 'https://gitlab.company.com/finance/other.git', buildPack: BuildPack.go() }), {
      message: 'dev/JenkinsX: applications["billing"].name is "billing". Give every application its own name.',
    });
  });

  it('is absent when the environment turns the module off', () => {
    const stack = makeStack({ ...dev, modules: ['argocd'] });
    assert.equal(stack.modules['jenkins-x'], undefined);
    assert.ok(![...treeFiles(stack).keys()].some((f) => f.startsWith('jenkins-x/')));
  });

  it('renders byte-identical files for the same settings', () => {
    const a = treeFiles(makeStack(dev));
    const b = treeFiles(makeStack(dev));
    assert.deepEqual([...a.entries()], [...b.entries()]);
  });

  it('writes only the documents it means to: one per pipeline file', () => {
    for (const [file, content] of treeFiles(makeStack(dev))) {
      if (!file.startsWith('jenkins-x/')) continue;
      if (file.endsWith('.gotmpl')) continue;
      assert.equal(parseAllDocuments(content).length, 1, file);
    }
  });
});
