import { Construct } from 'constructs';
import { Platform } from '../platform/platform';
import { Application, IN_CLUSTER } from './application';
import { ArgoCdInstall } from './install';
import { SyncPolicy } from './sync-policy';
import { AppProject as AppProjectResource } from '../imports/argoproj.io-argocd';

/** Options for {@link ArgoCd}. */
export interface ArgoCdProps {
  /** The environment's platform. @default - `Platform.of(scope)` */
  readonly platform?: Platform;
}

/**
 * The Argo CD module of an environment: the controller install and the root
 * app-of-apps, created by Terraform through the bootstrap chart, that syncs
 * the environment's `apps/` section (or the whole tree when Flux is off).
 */
export class ArgoCd extends Construct {
  /** The controller install. */
  public readonly install: ArgoCdInstall;
  /** The root app-of-apps. */
  public readonly rootApplication: Application;
  /** The sync policy of platform applications in this environment. */
  public readonly syncPolicy: SyncPolicy;

  constructor(scope: Construct, id: string, props: ArgoCdProps = {}) {
    super(scope, id);
    const platform = props.platform ?? Platform.of(this);
    const env = platform.environment;
    this.install = new ArgoCdInstall(this, 'Install', { platform });
    this.syncPolicy = SyncPolicy.fromDefaults(env.syncPolicy);

    const appsChart = platform.tree.chart('apps', 'argocd-projects');
    new AppProjectResource(appsChart, 'PlatformProject', {
      metadata: { name: 'platform', namespace: this.install.namespace },
      spec: {
        description: `Platform applications of the ${env.name} environment, synced from ${platform.repoPath}.`,
        sourceRepos: [env.gitops.repoUrl],
        destinations: [{ server: IN_CLUSTER, namespace: '*' }],
        clusterResourceWhitelist: [{ group: '*', kind: '*' }],
      },
    });

    // With Flux on, Flux owns infrastructure/, policies/ and tenants/; Argo CD owns apps/.
    const path = platform.isEnabled('flux') ? `${platform.repoPath}/apps` : platform.repoPath;
    this.rootApplication = new Application(platform.tree.bootstrapChart('argocd-root'), 'Root', {
      name: `${env.name}-root`,
      namespace: this.install.namespace,
      project: 'default',
      source: { repoUrl: env.gitops.repoUrl, targetRevision: env.gitops.revision, path },
      destination: { server: IN_CLUSTER, namespace: this.install.namespace },
      syncPolicy: this.syncPolicy,
      labels: { 'app.kubernetes.io/component': 'app-of-apps' },
    });

    platform.status.set('gitops_patterns_status', 'argocd', {
      ...this.install.install.describe(),
      app_of_apps: {
        name: this.rootApplication.name,
        path,
        automated: this.syncPolicy.isAutomated,
        prune: this.syncPolicy.prunes,
        self_heal: env.syncPolicy.selfHeal,
      },
      high_availability: env.sizing.highAvailability,
      replicas: env.sizing.controllerReplicas,
      url: `https://${this.install.host}`,
    });
  }
}
