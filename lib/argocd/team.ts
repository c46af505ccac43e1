import { Construct } from 'constructs';
import { k8s } from 'cdk8s-plus-27';
import { ConfigError } from '../platform/errors';
import { IN_CLUSTER } from './application';
import { ApplicationSet } from './application-set';
import { AppProject, GroupKind } from './app-project';
import { ApplicationSetGenerator } from './generators';
import { ImageUpdatePolicy } from './image-updater';
import { NotificationSubscription } from './notifications';
import { ApplicationSource } from './source';
import { SyncPolicy } from './sync-policy';
import { checkProps } from '../platform/config-boundary/props';

/** Options for {@link Team}. */
export interface TeamProps {
  /** Team name (`team-a`): the project name and the prefix of its namespaces. */
  readonly name: string;
  /** Where the AppProject and ApplicationSet go (a chart synced by Argo CD). */
  readonly appsScope: Construct;
  /** Where the namespaces go (a chart of the tenants section). @default - `appsScope` */
  readonly namespacesScope?: Construct;
  /** Description of the project. @default `Applications of <team>` */
  readonly description?: string;
  /** The team's applications repository. */
  readonly repoUrl: string;
  /** Branch the applications track. @default 'HEAD' */
  readonly revision?: string;
  /** Directory glob of the applications in the repository; one Application per directory. @default 'apps/*' */
  readonly appsPath?: string;
  /**
   * Namespaces created for the team by the platform; each must start with `<team>-`.
   * When given, the platform owns them: one Application per namespace `<team>-<app>`
   * from the directory `<app>` of `appsPath` (which must end in `/*`), without
   * `CreateNamespace`, and the project may create no cluster-scoped object. When
   * empty, one Application per directory of `appsPath`, each creating its own
   * namespace `<team>-<directory>`, which the project permits (Namespaces only).
   * @default []
   */
  readonly namespaces?: readonly string[];
  /** Other repositories the project may use (shared charts). @default [] */
  readonly additionalSourceRepos?: readonly string[];
  /** SSO groups with the developer role (get and sync). @default [`<team>-developers`] */
  readonly developerGroups?: readonly string[];
  /** SSO groups with the admin role (everything in the project). @default [`<team>-admins`] */
  readonly adminGroups?: readonly string[];
  /** How the team's applications sync. @default SyncPolicy.automated({ prune: true, selfHeal: true }) */
  readonly syncPolicy?: SyncPolicy;
  /** Image updates for every application (use `{{path.basename}}` in image names). @default - none */
  readonly imageUpdates?: ImageUpdatePolicy;
  /** Notification subscriptions of every application. @default [] */
  readonly notifications?: readonly NotificationSubscription[];
  /** Namespace of Argo CD. @default 'argocd' */
  readonly argocdNamespace?: string;
  /** Labels of the namespaces. @default {} */
  readonly namespaceLabels?: Readonly<Record<string, string>>;
}

/** Kinds a team may not manage in its namespaces: quotas and limits are the platform's. */
export const TEAM_NAMESPACE_BLACKLIST: readonly GroupKind[] = [
  { group: '', kind: 'ResourceQuota' },
  { group: '', kind: 'LimitRange' },
];

/**
 * A team in one call: an AppProject limited to the team's repositories and
 * `<team>-*` namespaces with developer and admin roles bound to SSO groups,
 * the team's namespaces, and an ApplicationSet that creates one Application
 * per directory of the team's repository.
 */
export class Team extends Construct {
  /** The team's project. */
  public readonly project: AppProject;
  /** The team's ApplicationSet. */
  public readonly applicationSet: ApplicationSet;
  /** The namespaces created. */
  public readonly namespaces: readonly string[];
  /** The team name. */
  public readonly name: string;

  constructor(scope: Construct, id: string, props: TeamProps) {
    super(scope, id);
    checkProps(this, 'TeamProps', props);
    const name = props.name;
    if (!/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(name) || name.length > 40) {
      throw new ConfigError(this.node.path, 'name', name, 'Use a short lowercase name such as "team-a".');
    }
    const namespaces = props.namespaces ?? [];
    for (const ns of namespaces) {
      if (!ns.startsWith(`${name}-`) || !/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(ns)) {
        throw new ConfigError(this.node.path, 'namespaces', ns, `Name team namespaces "${name}-<something>" so the project's destinations (${name}-*) cover them.`);
      }
    }
    this.name = name;
    this.namespaces = [...namespaces];
    const argocdNamespace = props.argocdNamespace ?? 'argocd';
    const appsPath = props.appsPath ?? 'apps/*';
    // Who owns the team's namespaces: the platform (declared namespaces), or each
    // Application (CreateNamespace), which the project must then permit.
    const platformOwned = namespaces.length > 0;
    if (platformOwned && !appsPath.endsWith('/*')) {
      throw new ConfigError(this.node.path, 'appsPath', appsPath, `With declared namespaces each application is the directory <app> of "${name}-<app>": use a glob ending in "/*", such as "apps/*".`);
    }
    const baseSyncPolicy = props.syncPolicy ?? SyncPolicy.automated({ prune: true, selfHeal: true });

    this.project = new AppProject(props.appsScope, `${id}Project`, {
      name,
      namespace: argocdNamespace,
      description: props.description ?? `Applications of ${name}`,
      sourceRepos: [props.repoUrl, ...(props.additionalSourceRepos ?? [])],
      destinations: [{ server: IN_CLUSTER, namespace: `${name}-*` }],
      clusterResourceWhitelist: platformOwned ? [] : [{ group: '', kind: 'Namespace' }],
      namespaceResourceBlacklist: TEAM_NAMESPACE_BLACKLIST,
      roles: [
        {
          name: 'developer',
          description: 'Developer role',
          permissions: [
            { action: 'get', object: `${name}/*` },
            { action: 'sync', object: `${name}/*` },
          ],
          groups: props.developerGroups ?? [`${name}-developers`],
        },
        {
          name: 'admin',
          description: 'Admin role',
          permissions: [{ action: '*', object: `${name}/*` }],
          groups: props.adminGroups ?? [`${name}-admins`],
        },
      ],
      labels: { 'gitops.platform/team': name },
    });

    const nsScope = props.namespacesScope ?? props.appsScope;
    for (const ns of namespaces) {
      new k8s.KubeNamespace(nsScope, `${id}Namespace-${ns}`, {
        metadata: { name: ns, labels: { ...(props.namespaceLabels ?? {}), 'gitops.platform/team': name } },
      });
    }

    this.applicationSet = new ApplicationSet(props.appsScope, `${id}Applications`, {
      name: `${name}-apps`,
      namespace: argocdNamespace,
      labels: { 'gitops.platform/team': name },
      generators: [
        ApplicationSetGenerator.gitDirectories({
          repoUrl: props.repoUrl,
          revision: props.revision ?? 'HEAD',
          directories: platformOwned
            ? namespaces.map((ns) => `${appsPath.slice(0, -1)}${ns.slice(name.length + 1)}`)
            : [appsPath],
        }),
      ],
      template: {
        name: `${name}-{{path.basename}}`,
        project: name,
        source: ApplicationSource.git({ repoUrl: props.repoUrl, targetRevision: props.revision ?? 'HEAD', path: '{{path}}' }),
        destination: { server: IN_CLUSTER, namespace: `${name}-{{path.basename}}` },
        syncPolicy: platformOwned ? baseSyncPolicy.withoutSyncOption('CreateNamespace') : baseSyncPolicy,
        labels: { 'gitops.platform/team': name },
        imageUpdates: props.imageUpdates,
        notifications: props.notifications,
      },
    });
  }
}
