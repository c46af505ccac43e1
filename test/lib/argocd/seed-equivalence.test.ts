/**
 * Seed equivalence: every Argo CD example of the seeds (001, 002, 004) is
 * built with the module's constructs and compared, field by field, with the
 * seed's object parsed from a verbatim copy under fixtures/.
 *
 * Where the comparison is not a plain deepEqual, the test says why:
 * - A seed object without `metadata.namespace` is applied with `-n argocd`
 *   (as the seeds' own install commands do); it is compared as if it named argocd.
 * - ConfigMap entries that hold YAML (notification services, templates,
 *   triggers) are compared parsed, and Slack attachments (JSON text) too:
 *   the seeds' whitespace is not significant to Argo CD.
 * - Placeholder credentials in the seeds become secret references
 *   (ExternalSecrets, `$key` references): the tests assert that mapping.
 * - The seed RBAC line `applications, logs` is not an Argo CD v3 action (it
 *   grants nothing); the module rejects it and grants `logs, get` instead.
 * - The seed annotation `<alias>.semver.constraint` does not exist in Image
 *   Updater; the constraint goes into the image list (`image:~1.0`).
 */
import assert from 'node:assert/strict';
import * as fs from 'fs';
import { after, describe, it } from 'node:test';
import { k8s } from 'cdk8s-plus-27';
import { AppProject, Application, ApplicationSet, ApplicationSetGenerator, ApplicationSource, ClusterRegistration, IN_CLUSTER, ImageUpdatePolicy, NotificationService, NotificationTemplate, NotificationTrigger, NotificationsConfig, RbacPolicy, SyncPolicy, UpdateStrategy, WriteBack, ArgoCdExternalSecret } from '../../../lib/argocd';
import { seedRbacPolicy } from '../../../environments/seed/rbac';
import { DEFAULT_SYNC_OPTIONS } from '../../../lib/argocd/sync-policy';
import { NOTIFICATIONS_SECRET } from '../../../lib/argocd/notifications';
import { prod } from '../../../environments';
import { helmRelease, releaseValues, synthEnvironment, SynthResult } from '../../support/synth';
import { fixture, fixtureDoc, fixtureText, newChart, objectOf, yamlValue } from './support';

const SEED_RETRY = { limit: 5, backoffDuration: '5s', backoffFactor: 2, backoffMaxDuration: '3m' };

/** A seed object applied with `-n argocd`. */
function inArgocd<T extends Record<string, any>>(object: T): T {
  return { ...object, metadata: { namespace: 'argocd', ...object.metadata } };
}

/** ConfigMap data with YAML entries parsed and Slack attachments parsed as JSON. */
function parsedNotificationData(data: Record<string, string>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, text] of Object.entries(data)) {
    const value = yamlValue(text) as any;
    if (key.startsWith('template.') && value?.slack?.attachments) {
      value.slack.attachments = JSON.parse(value.slack.attachments);
    }
    out[key] = value;
  }
  return out;
}

function configMap(name: string, data: Record<string, string>, namespace = 'argocd'): Record<string, unknown> {
  const chart = newChart();
  new k8s.KubeConfigMap(chart, 'Resource', { metadata: { name, namespace }, data });
  return objectOf(chart, 'ConfigMap');
}

describe('seed equivalence: the HA install', () => {
  let result: SynthResult | undefined;
  after(() => result && fs.rmSync(result.directory, { recursive: true, force: true }));

  it('installs prod the way the seed 002 `helm install ... --set` command does', () => {
    const command = fixtureText('helm-install-ha.sh.txt');
    const repo = /helm repo add argo (\S+)/.exec(command)![1];
    const [, release, chartName, namespace] = /helm install (\S+) argo\/(\S+) \\\n\s+--namespace (\S+)/.exec(command)!;
    const sets = [...command.matchAll(/--set ([^=\s]+)=(\S+)/g)].map((m) => [m[1], m[2]] as const);
    assert.equal(sets.length, 4);

    result = synthEnvironment(prod);
    const tfRelease = helmRelease(result.tf, release);
    assert.equal(tfRelease.chart, chartName);
    assert.equal(tfRelease.repository, repo);
    assert.equal(tfRelease.namespace, namespace);
    const values = releaseValues(tfRelease) as Record<string, any>;
    for (const [path, raw] of sets) {
      // `--set a.b=c` addresses values.a.b; Helm reads 3 as a number and true as a boolean.
      const expected = raw === 'true' ? true : raw === 'false' ? false : Number.isNaN(Number(raw)) ? raw : Number(raw);
      const actual = path.split('.').reduce<any>((v, key) => v?.[key], values);
      assert.equal(actual, expected, path);
    }
  });
});

describe('seed equivalence: Applications', () => {
  it('builds the guestbook Application (Git source, automated sync, retry) of seed 002', () => {
    const chart = newChart();
    new Application(chart, 'Guestbook', {
      name: 'guestbook',
      project: 'default',
      source: ApplicationSource.git({
        repoUrl: 'https://github.com/argoproj/argocd-example-apps',
        targetRevision: 'HEAD',
        path: 'guestbook',
      }),
      destination: { server: IN_CLUSTER, namespace: 'default' },
      syncPolicy: SyncPolicy.automated(
        { prune: true, selfHeal: true, allowEmpty: false },
        { syncOptions: ['Validate=true', ...DEFAULT_SYNC_OPTIONS], retry: SEED_RETRY },
      ),
      cascadeDelete: false,
    });
    assert.deepEqual(objectOf(chart, 'Application'), fixtureDoc('application-guestbook.yaml'));
  });

  it('builds the nginx Application (Helm chart source with parameters and values) of seed 002', () => {
    const chart = newChart();
    new Application(chart, 'Nginx', {
      name: 'nginx',
      source: ApplicationSource.helmChart({
        repoUrl: 'https://charts.bitnami.com/bitnami',
        chart: 'nginx',
        version: '15.0.0',
        helm: {
          releaseName: 'nginx',
          parameters: [
            { name: 'service.type', value: 'LoadBalancer' },
            { name: 'replicaCount', value: '3' },
          ],
          values: { ingress: { enabled: true, hostname: 'nginx.example.com' } },
        },
      }),
      destination: { server: IN_CLUSTER, namespace: 'nginx' },
      syncPolicy: SyncPolicy.automated({}, { syncOptions: ['CreateNamespace=true'] }),
      cascadeDelete: false,
    });
    assert.deepEqual(objectOf(chart, 'Application'), fixtureDoc('application-nginx-helm.yaml'));
  });

  it('builds the myapp Application (Kustomize images, namePrefix, commonLabels) of seed 002', () => {
    const chart = newChart();
    new Application(chart, 'MyApp', {
      name: 'myapp',
      source: ApplicationSource.kustomize({
        repoUrl: 'https://github.com/org/repo',
        targetRevision: 'HEAD',
        path: 'overlays/production',
        kustomize: { images: ['myapp:v1.2.3'], namePrefix: 'prod-', commonLabels: { environment: 'production' } },
      }),
      destination: { server: IN_CLUSTER, namespace: 'production' },
      cascadeDelete: false,
    });
    assert.deepEqual(objectOf(chart, 'Application'), fixtureDoc('application-myapp-kustomize.yaml'));
  });

  it('builds the infrastructure-production Application (Git + Helm value files, finalizer) of seed 001', () => {
    const chart = newChart();
    new Application(chart, 'Infrastructure', {
      name: 'infrastructure-production',
      project: 'infrastructure',
      source: ApplicationSource.gitHelm({
        repoUrl: 'https://github.com/company/gitops-infrastructure',
        targetRevision: 'main',
        path: 'clusters/production/infrastructure',
        helm: {
          valueFiles: ['values-production.yaml'],
          parameters: [
            { name: 'environment', value: 'production' },
            { name: 'replicas', value: '5' },
          ],
        },
      }),
      destination: { server: IN_CLUSTER, namespace: 'infrastructure' },
      syncPolicy: SyncPolicy.automated(
        { prune: true, selfHeal: true, allowEmpty: false },
        { syncOptions: DEFAULT_SYNC_OPTIONS, retry: SEED_RETRY },
      ),
    });
    assert.deepEqual(objectOf(chart, 'Application'), fixtureDoc('application-infrastructure-production.yaml'));
  });

  it('builds the web-app-production Application (destination by cluster name) of seed 001', () => {
    const chart = newChart();
    new Application(chart, 'WebApp', {
      name: 'web-app-production',
      project: 'production',
      source: ApplicationSource.git({
        repoUrl: 'https://github.com/company/applications',
        targetRevision: 'main',
        path: 'web-app/overlays/production',
      }),
      destination: { name: 'production-cluster', namespace: 'web-app' },
      syncPolicy: SyncPolicy.automated({ prune: true, selfHeal: true }),
      cascadeDelete: false,
    });
    assert.deepEqual(
      objectOf(chart, 'Application'),
      fixtureDoc('cluster-and-application-production.yaml', 'Application'),
    );
  });

  it('builds the ignoreDifferences of seed 002', () => {
    const chart = newChart();
    new Application(chart, 'App', {
      name: 'myapp',
      source: ApplicationSource.git({ repoUrl: 'https://github.com/org/repo', path: 'apps/myapp' }),
      destination: { server: IN_CLUSTER },
      ignoreDifferences: [
        { group: 'apps', kind: 'Deployment', jsonPointers: ['/spec/replicas'] },
        { group: 'apps', kind: 'StatefulSet', jsonPointers: ['/spec/volumeClaimTemplates'] },
      ],
    });
    const seed = fixtureDoc('application-ignore-differences.yaml');
    assert.deepEqual((objectOf(chart, 'Application').spec as any).ignoreDifferences, seed.spec.ignoreDifferences);
  });

  it('builds the notification subscription annotation of seed 002', () => {
    const chart = newChart();
    new Application(chart, 'App', {
      name: 'myapp',
      source: ApplicationSource.git({ repoUrl: 'https://github.com/org/repo', path: 'apps/myapp' }),
      destination: { server: IN_CLUSTER },
      notifications: [{ triggers: ['on-deployed'], service: 'slack', recipients: ['my-channel'] }],
    });
    const seed = fixtureDoc('application-notification-annotation.yaml');
    assert.deepEqual(objectOf(chart, 'Application').metadata.annotations, seed.metadata.annotations);
  });

  it('builds the Image Updater annotations of seed 002, with the constraint in the image list', () => {
    const chart = newChart();
    const policy = new ImageUpdatePolicy({
      images: [{ alias: 'myapp', image: 'docker.io/org/myapp', constraint: '~1.0', strategy: UpdateStrategy.semver() }],
      writeBack: WriteBack.git(),
    });
    new Application(chart, 'App', {
      name: 'myapp',
      source: ApplicationSource.git({ repoUrl: 'https://github.com/org/repo', path: 'apps/myapp' }),
      destination: { server: IN_CLUSTER },
      imageUpdates: policy,
    });
    const seed = fixtureDoc('application-image-updater-annotations.yaml');
    const built = objectOf(chart, 'Application');
    const seedAnnotations = { ...seed.metadata.annotations } as Record<string, string>;
    const constraint = seedAnnotations['argocd-image-updater.argoproj.io/myapp.semver.constraint'];
    delete seedAnnotations['argocd-image-updater.argoproj.io/myapp.semver.constraint'];
    seedAnnotations['argocd-image-updater.argoproj.io/image-list'] += `:${constraint}`;
    assert.deepEqual(built.metadata.annotations, seedAnnotations);
    assert.deepEqual((built.spec as any).source, seed.spec.source);
  });
});

describe('seed equivalence: multi-cluster registration', () => {
  it('registers production-cluster (seed 001) through an ExternalSecret instead of a Secret with a bearer token', () => {
    const chart = newChart();
    new ClusterRegistration(chart, 'Production', {
      name: 'production-cluster',
      server: 'https://production-k8s-api.company.com',
      credentials: { store: { name: 'vault-backend' }, remoteKey: 'clusters/production-cluster' },
    });
    const seed = fixtureDoc('cluster-and-application-production.yaml', 'Secret');
    const es = objectOf(chart, 'ExternalSecret') as any;
    const target = es.spec.target;
    // Same Secret: name, namespace, type, cluster label.
    assert.equal(target.name, seed.metadata.name);
    assert.equal(es.metadata.namespace, seed.metadata.namespace);
    assert.equal(target.template.type, seed.type);
    assert.deepEqual(target.template.metadata.labels, seed.metadata.labels);
    // Same data; the placeholder credentials become values fetched from the store.
    assert.equal(target.template.data.name, seed.stringData.name);
    assert.equal(target.template.data.server, seed.stringData.server);
    const seedConfig = JSON.parse(seed.stringData.config);
    assert.deepEqual(JSON.parse(target.template.data.config), {
      ...seedConfig,
      bearerToken: '{{ .bearerToken }}',
      tlsClientConfig: { ...seedConfig.tlsClientConfig, caData: '{{ .caData }}' },
    });
    assert.deepEqual(
      es.spec.data.map((d: any) => d.secretKey),
      ['bearerToken', 'caData'],
    );
  });
});

describe('seed equivalence: AppProject', () => {
  it('builds team-a of seed 002 (repos, destinations, whitelist, blacklist, roles with groups)', () => {
    const chart = newChart();
    new AppProject(chart, 'TeamA', {
      name: 'team-a',
      description: "Team A's applications",
      sourceRepos: ['https://github.com/org/team-a-apps', 'https://github.com/org/shared-charts'],
      destinations: [
        { namespace: 'team-a-*', server: IN_CLUSTER },
        { namespace: 'team-a-staging', server: 'https://staging-cluster' },
      ],
      clusterResourceWhitelist: [
        { group: '', kind: 'Namespace' },
        { group: 'rbac.authorization.k8s.io', kind: 'ClusterRole' },
      ],
      namespaceResourceBlacklist: [
        { group: '', kind: 'ResourceQuota' },
        { group: '', kind: 'LimitRange' },
      ],
      roles: [
        {
          name: 'developer',
          description: 'Developer role',
          permissions: [
            { action: 'get', object: 'team-a/*' },
            { action: 'sync', object: 'team-a/*' },
          ],
          groups: ['team-a-developers'],
        },
        {
          name: 'admin',
          description: 'Admin role',
          permissions: [{ action: '*', object: 'team-a/*' }],
          groups: ['team-a-admins'],
        },
      ],
    });
    assert.deepEqual(objectOf(chart, 'AppProject'), fixtureDoc('appproject-team-a.yaml'));
  });
});

describe('seed equivalence: ApplicationSets', () => {
  it('builds myapp (list generator per environment) of seed 002', () => {
    const chart = newChart();
    new ApplicationSet(chart, 'MyApp', {
      name: 'myapp',
      generators: [
        ApplicationSetGenerator.list([
          { cluster: 'in-cluster', url: IN_CLUSTER, environment: 'dev', namespace: 'dev' },
          { cluster: 'staging', url: 'https://staging.k8s.local', environment: 'staging', namespace: 'staging' },
          { cluster: 'production', url: 'https://prod.k8s.local', environment: 'production', namespace: 'production' },
        ]),
      ],
      template: {
        name: 'myapp-{{environment}}',
        project: 'default',
        source: ApplicationSource.git({ repoUrl: 'https://github.com/org/repo', targetRevision: 'HEAD', path: 'envs/{{environment}}' }),
        destination: { server: '{{url}}', namespace: '{{namespace}}' },
        syncPolicy: SyncPolicy.automated({ prune: true, selfHeal: true }),
        cascadeDelete: false,
      },
    });
    assert.deepEqual(objectOf(chart, 'ApplicationSet'), fixtureDoc('applicationset-myapp-list.yaml'));
  });

  it('builds cluster-addons (Git directory generator) of seed 002', () => {
    const chart = newChart();
    new ApplicationSet(chart, 'Addons', {
      name: 'cluster-addons',
      generators: [
        ApplicationSetGenerator.gitDirectories({
          repoUrl: 'https://github.com/org/cluster-addons',
          revision: 'HEAD',
          directories: ['addons/*'],
        }),
      ],
      template: {
        name: '{{path.basename}}',
        project: 'default',
        source: ApplicationSource.git({ repoUrl: 'https://github.com/org/cluster-addons', targetRevision: 'HEAD', path: '{{path}}' }),
        destination: { server: IN_CLUSTER, namespace: '{{path.basename}}' },
        syncPolicy: SyncPolicy.automated(),
        cascadeDelete: false,
      },
    });
    assert.deepEqual(objectOf(chart, 'ApplicationSet'), fixtureDoc('applicationset-cluster-addons.yaml'));
  });

  it('builds cluster-config (hub-spoke, Git file generator over config.json) of seed 002', () => {
    // The keys the seed's clusters/prod-us-east/config.json provides, flattened.
    const config = JSON.parse(fixtureText('cluster-config-prod-us-east.json.txt').replace(/^#.*\n/, ''));
    const fileParameters = Object.keys(config.cluster).map((k) => `cluster.${k}`);
    assert.deepEqual(fileParameters, ['cluster.name', 'cluster.path', 'cluster.region']);
    const chart = newChart();
    new ApplicationSet(chart, 'ClusterConfig', {
      name: 'cluster-config',
      generators: [
        ApplicationSetGenerator.gitFiles({
          repoUrl: 'https://github.com/org/clusters',
          revision: 'HEAD',
          files: ['clusters/*/config.json'],
          fileParameters,
        }),
      ],
      template: {
        name: '{{cluster.name}}-config',
        project: 'default',
        source: ApplicationSource.git({ repoUrl: 'https://github.com/org/cluster-config', path: '{{cluster.path}}' }),
        destination: { name: '{{cluster.name}}', namespace: 'kube-system' },
        cascadeDelete: false,
      },
    });
    assert.deepEqual(objectOf(chart, 'ApplicationSet'), fixtureDoc('applicationset-cluster-config.yaml'));
  });

  it('builds myapp-multi-cluster (cluster generator, label selector) of seed 002', () => {
    const chart = newChart();
    new ApplicationSet(chart, 'MultiCluster', {
      name: 'myapp-multi-cluster',
      generators: [ApplicationSetGenerator.clusters({ selector: { matchLabels: { environment: 'production' } } })],
      template: {
        name: 'myapp-{{name}}',
        project: 'default',
        source: ApplicationSource.git({ repoUrl: 'https://github.com/org/repo', path: 'apps/myapp' }),
        destination: { server: '{{server}}', namespace: 'myapp' },
        cascadeDelete: false,
      },
    });
    assert.deepEqual(objectOf(chart, 'ApplicationSet'), inArgocd(fixtureDoc('applicationset-myapp-multi-cluster.yaml')));
  });

  it('builds microservices (Git directory generator on GitLab) of seed 004', () => {
    const chart = newChart();
    const repoUrl = 'https://gitlab.example.com/gitops/apps.git';
    new ApplicationSet(chart, 'Microservices', {
      name: 'microservices',
      generators: [ApplicationSetGenerator.gitDirectories({ repoUrl, revision: 'HEAD', directories: ['apps/*'] })],
      template: {
        name: '{{path.basename}}',
        project: 'default',
        source: ApplicationSource.git({ repoUrl, targetRevision: 'HEAD', path: '{{path}}' }),
        destination: { server: IN_CLUSTER, namespace: '{{path.basename}}' },
        syncPolicy: SyncPolicy.automated({ prune: true, selfHeal: true }),
        cascadeDelete: false,
      },
    });
    assert.deepEqual(objectOf(chart, 'ApplicationSet'), inArgocd(fixtureDoc('applicationset-microservices.yaml')));
  });
});

describe('seed equivalence: RBAC', () => {
  it('builds argocd-rbac-cm of seed 001 from seedRbacPolicy(), with logs granted the v3 way', () => {
    const built = configMap('argocd-rbac-cm', seedRbacPolicy().toConfigMapData());
    const seed = fixtureDoc('rbac-cm.yaml');
    const seedLine = 'p, role:production-viewer, applications, logs, production/*, allow';
    const v3Line = 'p, role:production-viewer, logs, get, production/*, allow';
    assert.ok(seed.data['policy.csv'].includes(seedLine));
    const corrected = { ...seed, data: { ...seed.data, 'policy.csv': seed.data['policy.csv'].replace(seedLine, v3Line) } };
    assert.deepEqual(built, corrected);
  });

  it('rejects the seed line `applications, logs` and names the v3 form', () => {
    assert.throws(
      () =>
        new RbacPolicy({
          roles: [{ name: 'production-viewer', permissions: [{ resource: 'applications', action: 'logs', object: 'production/*' }] }],
        }),
      {
        message:
          'RbacPolicy role "production-viewer": permissions[0].action is "logs". "logs" is not an action on applications; use one of get, create, update, delete, sync, override, action/* or *. In Argo CD v3 logs is a resource of its own: grant resource "logs" with action "get" on the same object.',
      },
    );
  });

  it('builds the RBAC best-practices ConfigMap of seed 002 (deny effects, wildcard admin)', () => {
    const policy = new RbacPolicy({
      defaultRole: 'readonly',
      roles: [
        {
          name: 'developer',
          description: 'Developers can view and sync applications',
          permissions: [
            { resource: 'applications', action: 'get', object: '*/*' },
            { resource: 'applications', action: 'sync', object: '*/*' },
            { resource: 'applications', action: 'override', object: '*/*', effect: 'deny' },
          ],
        },
        {
          name: 'devops',
          description: 'DevOps can do everything except delete projects',
          permissions: [
            { resource: 'applications', action: '*', object: '*/*' },
            { resource: 'clusters', action: '*', object: '*' },
            { resource: 'repositories', action: '*', object: '*' },
            { resource: 'projects', action: 'delete', object: '*', effect: 'deny' },
          ],
        },
        { name: 'admin', description: 'Admin can do everything', permissions: [{ resource: '*', action: '*', object: '*' }] },
      ],
      bindings: [
        { subject: 'developers', role: 'developer' },
        { subject: 'devops-team', role: 'devops' },
        { subject: 'platform-team', role: 'admin' },
      ],
    });
    assert.deepEqual(configMap('argocd-rbac-cm', policy.toConfigMapData()), fixtureDoc('rbac-cm-best-practices.yaml'));
  });
});

describe('seed equivalence: notifications', () => {
  it('builds the Slack argocd-notifications-cm of seed 002, and its Secret as an ExternalSecret', () => {
    const config = new NotificationsConfig({
      services: [NotificationService.slack()],
      templates: [
        new NotificationTemplate({
          name: 'app-deployed',
          message: 'Application {{.app.metadata.name}} is now running new version.',
          slackAttachments: [
            {
              title: '{{ .app.metadata.name}}',
              title_link: '{{.context.argocdUrl}}/applications/{{.app.metadata.name}}',
              color: '#18be52',
              fields: [
                { title: 'Sync Status', value: '{{.app.status.sync.status}}', short: true },
                { title: 'Repository', value: '{{.app.spec.source.repoURL}}', short: true },
              ],
            },
          ],
        }),
      ],
      triggers: [NotificationTrigger.onDeployed({ when: "app.status.operationState.phase in ['Succeeded']" })],
    });
    const [seedCm, seedSecret] = fixture('notifications-cm-slack.yaml');
    const built = configMap('argocd-notifications-cm', config.toConfigMapData()) as any;
    assert.deepEqual({ ...built, data: parsedNotificationData(built.data) }, { ...seedCm, data: parsedNotificationData(seedCm.data) });

    // The seed's Secret holds a placeholder token; the module fetches the same keys from a store.
    const chart = newChart();
    new ArgoCdExternalSecret(chart, 'Secret', {
      secretName: NOTIFICATIONS_SECRET,
      store: { name: 'vault-backend' },
      data: config.secretKeys.map((key) => ({ secretKey: key, remoteKey: 'argocd/notifications', property: key })),
    });
    const es = objectOf(chart, 'ExternalSecret') as any;
    assert.equal(es.spec.target.name, seedSecret.metadata.name);
    assert.equal(es.metadata.namespace, seedSecret.metadata.namespace);
    assert.deepEqual(es.spec.data.map((d: any) => d.secretKey), Object.keys(seedSecret.stringData));
    assert.deepEqual(config.toConfigMapData()['service.slack'], 'token: $slack-token\n');
  });

  it('builds the Slack, Teams webhook and email argocd-notifications-cm of seed 002', () => {
    const config = new NotificationsConfig({
      services: [
        NotificationService.slack(),
        NotificationService.teamsWebhook(),
        NotificationService.email({ name: 'gmail', host: 'smtp.gmail.com', port: 587 }),
      ],
      templates: [
        new NotificationTemplate({
          name: 'app-sync-succeeded',
          message: 'Application {{.app.metadata.name}} sync succeeded',
          emailSubject: 'Application {{.app.metadata.name}} sync succeeded',
          slackAttachments: [{ title: '{{ .app.metadata.name}}', color: 'good' }],
        }),
      ],
      triggers: [NotificationTrigger.onSyncSucceeded({ when: "app.status.operationState.phase in ['Succeeded']" })],
    });
    const built = configMap('argocd-notifications-cm', config.toConfigMapData()) as any;
    const seed = inArgocd(fixtureDoc('notifications-cm-systems.yaml'));
    assert.deepEqual({ ...built, data: parsedNotificationData(built.data) }, { ...seed, data: parsedNotificationData(seed.data) });
    assert.deepEqual(config.secretKeys, ['email-password', 'email-username', 'slack-token', 'teams-webhook-url']);
  });
});
