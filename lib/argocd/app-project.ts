import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { ConfigError } from '../platform/errors';
import { AppProject as AppProjectResource } from '../imports/argoproj.io-argocd';
import { RbacEffect, validatePermission } from './rbac';
import { checkProps } from '../platform/config-boundary/props';

/** A cluster and namespace applications of the project may deploy to. */
export interface ProjectDestination {
  /** API server URL (or `*`). @default - none; `name` must be set */
  readonly server?: string;
  /** Registered cluster name. @default - none; `server` must be set */
  readonly name?: string;
  /** Namespace glob (`team-a-*`). */
  readonly namespace: string;
}

/** An API group and kind (`''` is the core group). */
export interface GroupKind {
  /** API group (`''` for core, `rbac.authorization.k8s.io`, `*`). */
  readonly group: string;
  /** Kind (`Namespace`, `*`). */
  readonly kind: string;
}

/** A permission of a project role: a `p, proj:<project>:<role>, ...` line. */
export interface ProjectPermission {
  /** The resource. @default 'applications' */
  readonly resource?: string;
  /** The action (`get`, `sync`, `*`). */
  readonly action: string;
  /** The object, inside the project (`team-a/*`). */
  readonly object: string;
  /** Allow or deny. @default 'allow' */
  readonly effect?: RbacEffect;
}

/** A role of a project (`proj:<project>:<role>`), bound to SSO groups. */
export interface ProjectRole {
  /** Role name. */
  readonly name: string;
  /** Description. @default - none */
  readonly description?: string;
  /** Permissions, in order. */
  readonly permissions: readonly ProjectPermission[];
  /** SSO groups that get the role. @default [] */
  readonly groups?: readonly string[];
}

/** Options for {@link AppProject}. */
export interface AppProjectProps {
  /** Project name. */
  readonly name: string;
  /** Namespace of Argo CD. @default 'argocd' */
  readonly namespace?: string;
  /** Description. @default - none */
  readonly description?: string;
  /** Repositories applications may come from (URLs or globs). */
  readonly sourceRepos: readonly string[];
  /** Where applications may deploy; at least one. */
  readonly destinations: readonly ProjectDestination[];
  /** Cluster-scoped kinds applications may create. @default - none (namespaced resources only) */
  readonly clusterResourceWhitelist?: readonly GroupKind[];
  /** Namespaced kinds applications may not create. @default - none */
  readonly namespaceResourceBlacklist?: readonly GroupKind[];
  /** Project roles. @default [] */
  readonly roles?: readonly ProjectRole[];
  /** Labels. @default {} */
  readonly labels?: Readonly<Record<string, string>>;
}

const NAME = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/**
 * An Argo CD AppProject: which repositories, destinations and kinds a team's
 * applications may use, and project roles bound to SSO groups. A project
 * without destinations is rejected (nothing could ever sync).
 */
export class AppProject extends Construct {
  /** The generated resource. */
  public readonly resource: ApiObject;
  /** The project name. */
  public readonly name: string;
  /** The role names. */
  public readonly roleNames: readonly string[];

  constructor(scope: Construct, id: string, props: AppProjectProps) {
    super(scope, id);
    checkProps(this, 'AppProjectProps', props);
    const where = this.node.path;
    if (!NAME.test(props.name)) {
      throw new ConfigError(where, 'name', props.name, 'Use a lowercase name such as "team-a".');
    }
    if (props.sourceRepos.length === 0) {
      throw new ConfigError(where, 'sourceRepos', [], 'List the repositories the project may deploy from (or "*").');
    }
    if (props.destinations.length === 0) {
      throw new ConfigError(where, 'destinations', [], 'List at least one destination (server or cluster name, and a namespace glob); a project without destinations can deploy nothing.');
    }
    for (const [i, d] of props.destinations.entries()) {
      if ((d.server === undefined) === (d.name === undefined)) {
        throw new ConfigError(where, `destinations[${i}]`, d, 'Set exactly one of server (an API URL or "*") or name (a registered cluster).');
      }
      if (d.server !== undefined && d.server !== '*' && !/^https:\/\/\S+$/.test(d.server)) {
        throw new ConfigError(where, `destinations[${i}].server`, d.server, 'Use the https:// URL of the API server, or "*".');
      }
      if (!/^[-a-z0-9*?]+$/.test(d.namespace)) {
        throw new ConfigError(where, `destinations[${i}].namespace`, d.namespace, 'Use a namespace or a glob such as "team-a-*".');
      }
    }
    const roleNames = new Set<string>();
    for (const role of props.roles ?? []) {
      if (!NAME.test(role.name) || roleNames.has(role.name)) {
        throw new ConfigError(where, 'roles.name', role.name, 'Give each role its own lowercase name.');
      }
      roleNames.add(role.name);
      if (role.permissions.length === 0) {
        throw new ConfigError(where, `roles["${role.name}"].permissions`, [], 'Give the role at least one permission.');
      }
      role.permissions.forEach((p, i) =>
        validatePermission(`${where} role "${role.name}"`, `permissions[${i}]`, { ...p, resource: p.resource ?? 'applications' }, props.name),
      );
    }
    this.name = props.name;
    this.roleNames = [...roleNames];
    const groupKinds = (list: readonly GroupKind[] | undefined) => list?.map((g) => ({ group: g.group, kind: g.kind }));
    this.resource = new AppProjectResource(this, 'Resource', {
      metadata: {
        name: props.name,
        namespace: props.namespace ?? 'argocd',
        ...(props.labels ? { labels: { ...props.labels } } : {}),
      },
      spec: {
        description: props.description,
        sourceRepos: [...props.sourceRepos],
        destinations: props.destinations.map((d) => ({
          ...(d.name !== undefined ? { name: d.name } : {}),
          namespace: d.namespace,
          ...(d.server !== undefined ? { server: d.server } : {}),
        })),
        clusterResourceWhitelist: groupKinds(props.clusterResourceWhitelist),
        namespaceResourceBlacklist: groupKinds(props.namespaceResourceBlacklist),
        roles: props.roles?.map((role) => ({
          name: role.name,
          description: role.description,
          policies: role.permissions.map(
            (p) => `p, proj:${props.name}:${role.name}, ${p.resource ?? 'applications'}, ${p.action}, ${p.object}, ${p.effect ?? 'allow'}`,
          ),
          groups: role.groups && role.groups.length > 0 ? [...role.groups] : undefined,
        })),
      },
    });
  }
}
