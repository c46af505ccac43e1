import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parse } from 'yaml';
import { dev, ENVIRONMENTS, prod, staging } from '../../../environments';
import { EnvironmentConfig } from '../../../stacks/environment';
import { helmRelease, objectsOf, releaseValues, synthEnvironment, cachedSynth } from '../../support/synth';
import { assertValidManifests } from '../../support/validate';

/** Files of the tree the Argo CD module writes. */
const ARGOCD_FILE = /^(apps|tenants)\/argocd-[a-z0-9-]+\.yaml$|^bootstrap\/files\/argocd-root\.yaml$/;

const synth = cachedSynth();

type Values = Record<string, any>;
const argocdValues = (env: EnvironmentConfig): Values => releaseValues(helmRelease(synth(env).tf, 'argocd')) as Values;
const output = (env: EnvironmentConfig, name: string): Record<string, any> =>
  (synth(env).tf.output[name].value as Record<string, any>).argocd;

describe('ArgoCd in every shipped environment', () => {
  for (const env of ENVIRONMENTS) {
    describe(env.name, () => {
      it('every Argo CD manifest validates strictly against its CRD (with CEL rules) or the core schema', () => {
        const mine = synth(env).objects.filter((o) => ARGOCD_FILE.test(o.file)).map((o) => o.object);
        assert.deepEqual([...new Set(mine.map((o) => o.kind))].sort(), [
          'AppProject',
          'Application',
          'ApplicationSet',
          'ExternalSecret',
          'ImageUpdater',
          'Namespace',
        ]);
        assertValidManifests(mine, `${env.name} argocd`);
      });

      it('sets requests and limits on every component', () => {
        const values = argocdValues(env);
        for (const component of ['controller', 'server', 'repoServer', 'applicationSet', 'notifications', 'redis', 'dex']) {
          const r = values[component].resources;
          assert.ok(r?.requests?.cpu && r?.requests?.memory && r?.limits?.cpu && r?.limits?.memory, component);
        }
      });

      it('puts the server behind an nginx ingress with TLS from a named Secret', () => {
        const ingress = argocdValues(env).server.ingress;
        // prod and its standby dr name their host and TLS Secret; dev and staging take the defaults.
        const host = env.argocd?.ingress?.host ?? `argocd.${env.domain}`;
        assert.equal(ingress.enabled, true);
        assert.equal(ingress.hostname, host);
        assert.equal(ingress.ingressClassName, 'nginx');
        assert.deepEqual(ingress.extraTls, [{ hosts: [host], secretName: env.argocd?.ingress?.tlsSecretName ?? 'argocd-server-tls' }]);
        assert.equal(argocdValues(env).configs.params['server.insecure'], true);
      });

      it('ships the seeds RBAC roles and group bindings in configs.rbac, over the projects that exist', () => {
        const rbac = argocdValues(env).configs.rbac;
        assert.equal(rbac['policy.csv'], env.argocd!.rbac!.policyCsv());
        const projects = { dev: ['platform', 'team-a'], staging: ['platform', 'team-a'], prod: ['platform', 'team-a'], dr: ['platform', 'team-a'] }[env.name];
        assert.deepEqual(env.argocd!.rbac!.projects, projects);
        assert.ok(!rbac['policy.csv'].includes('development/') && !rbac['policy.csv'].includes('production/'));
        assert.equal(rbac['policy.csv'].includes('role:developer, applications, sync, platform/*'), env.name === 'dev');
        assert.equal(rbac.scopes, '[groups, email]');
      });

      it('creates the platform and team-a projects, the team ApplicationSet and the hub-spoke ApplicationSet', () => {
        const result = synth(env);
        assert.deepEqual(objectsOf(result, 'AppProject').map((p) => p.metadata.name).sort(), ['platform', 'team-a']);
        assert.deepEqual(objectsOf(result, 'ApplicationSet').map((p) => p.metadata.name).sort(), ['team-a-apps', 'workload-baseline']);
        const baseline = objectsOf(result, 'ApplicationSet', 'workload-baseline')[0] as any;
        assert.deepEqual(baseline.spec.generators, [
          { clusters: { selector: { matchLabels: { 'gitops.platform/cluster-role': 'workload', environment: env.name } } } },
        ]);
        assert.equal(baseline.spec.template.spec.destination.server, '{{server}}');
        const byFile = (kind: string, name: string) => result.objects.find((o) => o.object.kind === kind && o.object.metadata.name === name)!.file;
        assert.equal(byFile('AppProject', 'team-a'), 'apps/argocd-team-team-a.yaml');
        assert.equal(byFile('Namespace', 'team-a-frontend'), 'tenants/argocd-team-team-a.yaml');
        assert.equal(byFile('ApplicationSet', 'workload-baseline'), 'apps/argocd-applicationsets.yaml');
      });

      it('keeps every credential out of the tree: ExternalSecrets from the store, no Secret objects', () => {
        const result = synth(env);
        assert.equal(objectsOf(result, 'Secret').length, 0);
        for (const es of objectsOf(result, 'ExternalSecret') as any[]) {
          // team-a reads its database credentials from its own namespaced store; the rest from the environment's.
          const kind = es.metadata.namespace === 'team-a' && es.metadata.name === 'database-credentials' ? 'SecretStore' : 'ClusterSecretStore';
          assert.deepEqual(es.spec.secretStoreRef, { name: 'vault-backend', kind }, `${es.metadata.namespace}/${es.metadata.name}`);
        }
        const sso = objectsOf(result, 'ExternalSecret', 'argocd-sso')[0] as any;
        assert.deepEqual(sso.spec.target.template.metadata.labels, { 'app.kubernetes.io/part-of': 'argocd' });
        const cm = argocdValues(env).configs.cm;
        const ssoConfig = parse(cm['oidc.config'] ?? cm['dex.config']) as any;
        const ref = ssoConfig.clientSecret ?? ssoConfig.connectors[0].config.clientSecret;
        assert.match(ref, /^\$argocd-sso:[a-z.A-Z]+$/);
        assert.ok(sso.spec.data.some((d: any) => `$argocd-sso:${d.secretKey}` === ref));
      });

      it('syncs Application sources only from the company repositories', () => {
        const result = synth(env);
        const sources = [
          ...objectsOf(result, 'Application').map((a: any) => a.spec.source),
          ...objectsOf(result, 'ApplicationSet').map((a: any) => a.spec.template.spec.source),
          ...objectsOf(result, 'ApplicationSet').flatMap((a: any) => a.spec.generators.map((g: any) => g.git).filter(Boolean)),
        ];
        assert.ok(sources.length >= 4);
        for (const s of sources) assert.match(s.repoURL, /^https:\/\/github\.com\/company\//);
      });

      it('installs Image Updater after Argo CD and selects annotated Applications', () => {
        const result = synth(env);
        const updater = helmRelease(result.tf, 'argocd-image-updater');
        assert.equal(updater.chart, 'argocd-image-updater');
        assert.equal(updater.version, '1.3.1');
        assert.deepEqual(updater.depends_on, ['helm_release.ArgoCd_Install_92E09016']);
        const [cr] = objectsOf(result, 'ImageUpdater') as any[];
        assert.deepEqual(cr.spec.applicationRefs, [
          { namePattern: '*', labelSelectors: { matchLabels: { 'gitops.platform/image-updates': 'enabled' } }, useAnnotations: true },
        ]);
        const template = (objectsOf(result, 'ApplicationSet', 'team-a-apps')[0] as any).spec.template.metadata;
        assert.equal(template.labels['gitops.platform/image-updates'], 'enabled');
        assert.equal(template.annotations['argocd-image-updater.argoproj.io/app.update-strategy'], 'semver');
        assert.equal(template.annotations['argocd-image-updater.argoproj.io/write-back-method'], 'git');
      });

      it('adds the Argo CD parts of the status outputs', () => {
        assert.deepEqual(output(env, 'enterprise_gitops_status').projects, ['platform', 'team-a']);
        // Production has no developer role (developers may not sync there).
        assert.deepEqual(output(env, 'enterprise_gitops_status').rbac_roles, env.tier === 'production' ? ['admin', 'production-viewer', 'devops'] : ['admin', 'developer', 'production-viewer', 'devops']);
        assert.equal(output(env, 'enterprise_gitops_status').rbac_group_bindings, env.tier === 'production' ? 3 : 4);
        assert.equal(output(env, 'multi_environment_status').clusters_registered, env.argocd!.clusters!.length);
        assert.deepEqual(output(env, 'gitops_patterns_status').application_sets, ['team-a-apps', 'workload-baseline']);
        assert.match(String(output(env, 'gitops_patterns_status').image_updater.status), /^\$\{helm_release\.[A-Za-z0-9_]+\.status\}$/);
        assert.deepEqual(output(env, 'gitops_security_status').secret_store, { name: 'vault-backend', kind: 'ClusterSecretStore' });
      });
    });
  }
});

describe('ArgoCd differences between environments', () => {
  it('prod is HA with redis-ha, PodDisruptionBudgets and bigger requests; dev and staging are not', () => {
    const d = argocdValues(dev);
    const s = argocdValues(staging);
    const p = argocdValues(prod);
    assert.deepEqual([d.server.replicas, s.server.replicas, p.server.replicas], [1, 2, 3]);
    assert.deepEqual([p.controller.replicas, p.repoServer.replicas, p.applicationSet.replicas], [3, 3, 2]);
    assert.deepEqual(d['redis-ha'], { enabled: false });
    assert.equal(p['redis-ha'].enabled, true);
    assert.deepEqual(p['redis-ha'].redis.resources, p.redis.resources);
    assert.deepEqual(p.server.pdb, { enabled: true, minAvailable: 1 });
    assert.equal(d.server.pdb, undefined);
    assert.deepEqual(d.controller.resources.requests, { cpu: '250m', memory: '512Mi' });
    assert.deepEqual(p.controller.resources.requests, { cpu: '1', memory: '2Gi' });
  });

  it('dev and staging keep a break-glass admin whose bcrypt hash is a sensitive variable; prod disables it', () => {
    for (const env of [dev, staging]) {
      const result = synth(env);
      const release = helmRelease(result.tf, 'argocd');
      assert.equal(argocdValues(env).configs.cm['admin.enabled'], true);
      assert.deepEqual(release.set_sensitive, [
        { name: 'configs.secret.argocdServerAdminPassword', type: 'string', value: '${var.argocd_admin_password_bcrypt}' },
      ]);
      assert.equal(result.tf.variable?.argocd_admin_password_bcrypt.sensitive, true);
      assert.equal(output(env, 'gitops_security_status').admin_enabled, true);
      assert.equal(output(env, 'gitops_security_status').admin_password_variable, 'argocd_admin_password_bcrypt');
    }
    const result = synth(prod);
    assert.equal(argocdValues(prod).configs.cm['admin.enabled'], false);
    assert.equal(helmRelease(result.tf, 'argocd').set_sensitive, undefined);
    assert.equal(result.tf.variable?.argocd_admin_password_bcrypt, undefined);
    assert.equal(output(prod, 'gitops_security_status').admin_enabled, false);
  });

  it('dev logs in through Dex (GitHub); staging and prod through OIDC without Dex', () => {
    assert.equal(argocdValues(dev).dex.enabled, true);
    assert.ok(argocdValues(dev).configs.cm['dex.config']);
    for (const env of [staging, prod]) {
      assert.equal(argocdValues(env).dex.enabled, false);
      assert.equal((parse(argocdValues(env).configs.cm['oidc.config']) as any).clientID, `argocd-${env.name}`);
    }
    assert.deepEqual(output(dev, 'enterprise_gitops_status').sso, { type: 'dex', provider: 'github' });
    assert.deepEqual(output(prod, 'enterprise_gitops_status').sso, { type: 'oidc', provider: 'Okta' });
    assert.equal(output(prod, 'gitops_security_status').sso, 'oidc');
  });

  it('dev and staging read-only by default; prod grants nothing without a binding', () => {
    assert.equal(argocdValues(dev).configs.rbac['policy.default'], 'role:readonly');
    assert.equal(argocdValues(staging).configs.rbac['policy.default'], 'role:readonly');
    assert.equal(argocdValues(prod).configs.rbac['policy.default'], '');
    assert.equal(output(dev, 'gitops_security_status').rbac_default_policy, 'role:readonly');
    assert.equal(output(prod, 'gitops_security_status').rbac_default_policy, '');
  });

  it('notification services grow from Slack (dev) to Slack + Teams (staging) to Slack + Teams + email (prod)', () => {
    assert.deepEqual(Object.keys(argocdValues(dev).notifications.notifiers), ['service.slack']);
    assert.deepEqual(Object.keys(argocdValues(staging).notifications.notifiers), ['service.slack', 'service.webhook.teams']);
    assert.deepEqual(Object.keys(argocdValues(prod).notifications.notifiers), ['service.email', 'service.slack', 'service.webhook.teams']);
    const keys = (env: EnvironmentConfig) =>
      (objectsOf(synth(env), 'ExternalSecret', 'argocd-notifications-secret')[0] as any).spec.data.map((d: any) => d.secretKey);
    assert.deepEqual(keys(dev), ['slack-token']);
    assert.deepEqual(keys(prod), ['email-password', 'email-username', 'slack-token', 'teams-webhook-url']);
  });

  it('registers one workload cluster in dev and staging, two in prod', () => {
    const names = (env: EnvironmentConfig) => output(env, 'multi_environment_status').clusters.map((c: any) => c.name);
    assert.deepEqual(names(dev), ['dev-apps']);
    assert.deepEqual(names(staging), ['staging-eu-west']);
    assert.deepEqual(names(prod), ['prod-us-east', 'prod-eu-west']);
    const platform = objectsOf(synth(prod), 'AppProject', 'platform')[0] as any;
    assert.deepEqual(platform.spec.destinations.map((d: any) => d.server), [
      'https://kubernetes.default.svc',
      'https://prod-us-east.k8s.company.com',
      'https://prod-eu-west.k8s.company.com',
    ]);
  });

  it('prod image updates stay within patch releases and go to a side branch for review', () => {
    const annotations = (env: EnvironmentConfig) => (objectsOf(synth(env), 'ApplicationSet', 'team-a-apps')[0] as any).spec.template.metadata.annotations;
    assert.equal(annotations(dev)['argocd-image-updater.argoproj.io/image-list'], 'app=registry.company.com/team-a/{{path.basename}}:^1.0');
    assert.equal(annotations(dev)['argocd-image-updater.argoproj.io/git-branch'], undefined);
    assert.equal(annotations(prod)['argocd-image-updater.argoproj.io/image-list'], 'app=registry.company.com/team-a/{{path.basename}}:~1.0');
    assert.equal(annotations(prod)['argocd-image-updater.argoproj.io/git-branch'], 'main:image-updates');
  });

  it('the team applications follow each environment sync policy (prod does not prune)', () => {
    const automated = (env: EnvironmentConfig) => (objectsOf(synth(env), 'ApplicationSet', 'team-a-apps')[0] as any).spec.template.spec.syncPolicy.automated;
    assert.deepEqual(automated(dev), { prune: true, selfHeal: true, allowEmpty: false });
    assert.deepEqual(automated(prod), { prune: false, selfHeal: true, allowEmpty: false });
  });
});

describe('ArgoCd with other settings', () => {
  it('without Image Updater, clusters or teams: no updater release, no hub-spoke ApplicationSet', () => {
    const env: EnvironmentConfig = {
      ...dev,
      name: 'qa',
      modules: dev.modules.filter((m) => m !== 'delivery'),
      argocd: { imageUpdater: { enabled: false } },
    };
    const result = synth(env);
    assert.throws(() => helmRelease(result.tf, 'argocd-image-updater'), /found 0/);
    assert.equal(objectsOf(result, 'ImageUpdater').length, 0);
    assert.equal(objectsOf(result, 'ApplicationSet').length, 0);
    assert.deepEqual(objectsOf(result, 'AppProject').map((p) => p.metadata.name), ['platform']);
    const values = argocdValues(env);
    assert.equal(values.configs.cm['admin.enabled'], false);
    assert.equal(values.dex.enabled, false);
    assert.deepEqual(Object.keys(values.notifications.notifiers), ['service.slack']);
    assert.equal(output(env, 'gitops_security_status').sso, 'none');
    // No RBAC given: authenticated users read, nothing more; no organization's groups.
    assert.equal(values.configs.rbac['policy.default'], 'role:readonly');
    assert.equal(values.configs.rbac['policy.csv'], '');
  });

  it('needs the environment\'s domain only for a host it derives', () => {
    const bare: EnvironmentConfig = { ...dev, name: 'nodomain', modules: ['argocd'], domain: undefined, argocd: { ...dev.argocd, clusters: [] } };
    assert.throws(() => synthEnvironment(bare), {
      name: 'ConfigError',
      message:
        'Environment "nodomain": domain is not set. The Argo CD server\'s ingress host (argocd.<domain>) needs the environment\'s base DNS domain: set domain (a DNS domain you control), or set argocd.ingress.host.',
    });
    const hosted = synthEnvironment({ ...bare, argocd: { ...bare.argocd, ingress: { host: 'argocd.platform.internal' } } });
    assert.equal((releaseValues(helmRelease(hosted.tf, 'argocd')) as Values).server.ingress.hostname, 'argocd.platform.internal');
  });

  it('fails when a team wants image updates without its registry', () => {
    const team = { ...dev.argocd!.teams![0], imageRegistry: undefined };
    assert.throws(() => synthEnvironment({ ...dev, name: 'noregistry', argocd: { ...dev.argocd, teams: [team] } }), {
      name: 'ConfigError',
      message:
        'Environment "noregistry": argocd.teams[0].imageRegistry is not set. Image updates (imageConstraint) watch the team\'s images: give the registry prefix they are pushed to (the image is <prefix>/<app>), or leave imageConstraint out.',
    });
  });

  it('fails on a bad ingress host or resource request with the install path', () => {
    assert.throws(() => synthEnvironment({ ...dev, name: 'badhost', argocd: { ingress: { host: 'Argo CD' } } }), {
      message: 'badhost/ArgoCd/Install: ingress.host is "Argo CD". Use a DNS host name: lowercase labels of letters, digits and "-", joined by dots, such as "argocd." followed by your domain.',
    });
    const resources = { server: { requests: { cpu: '2', memory: '1Gi' }, limits: { cpu: '1', memory: '1Gi' } } };
    assert.throws(() => synthEnvironment({ ...dev, name: 'badcpu', argocd: { resources } }), {
      message: 'badcpu/ArgoCd/Install: resources.server.requests.cpu is "2". The request exceeds the limit (1); lower it or raise the limit.',
    });
  });

  it('fails on a bad team or cluster setting with the construct path', () => {
    const env: EnvironmentConfig = { ...dev, name: 'bad', argocd: { clusters: [{ name: 'x', server: 'http://x' }] } };
    assert.throws(() => synthEnvironment(env), {
      message: 'Environment "bad": argocd settings: apps-argocd-clusters/Cluster-x: server is "http://x". Use the https:// URL of the cluster API server.',
    });
  });
});
