import { ConfigError } from '../platform/errors';
import { checkProps } from '../platform/config-boundary/props';

/** The resources Argo CD's RBAC knows (v3), with the actions each accepts. */
export const RBAC_RESOURCE_ACTIONS: Readonly<Record<string, readonly string[]>> = {
  applications: ['get', 'create', 'update', 'delete', 'sync', 'override', 'action'],
  applicationsets: ['get', 'create', 'update', 'delete'],
  clusters: ['get', 'create', 'update', 'delete'],
  projects: ['get', 'create', 'update', 'delete'],
  repositories: ['get', 'create', 'update', 'delete'],
  accounts: ['create', 'update'],
  certificates: ['get', 'create', 'delete'],
  gpgkeys: ['get', 'create', 'delete'],
  logs: ['get'],
  exec: ['create'],
  extensions: ['invoke'],
};

/** Actions of `applications` that may carry a path (`action/apps/Deployment/restart`, `update/*`). */
const PATH_ACTIONS = new Set(['update', 'delete', 'action']);

/** Resources whose objects are `<project>/<name>`. */
const PROJECT_SCOPED = new Set(['applications', 'applicationsets', 'logs', 'exec']);

/** The roles Argo CD ships (`role:readonly`, `role:admin`). */
export const BUILTIN_ROLES: readonly string[] = ['readonly', 'admin'];

/** Allow or deny. */
export type RbacEffect = 'allow' | 'deny';

/** One `p` line: a permission of a role. */
export interface RbacPermission {
  /** The resource (`applications`, `clusters`, `logs` ... or `*`). */
  readonly resource: string;
  /** The action (`get`, `sync`, `action/*` ... or `*`). */
  readonly action: string;
  /** The object: `<project>/<application>` for project-scoped resources, else a name, URL or `*`. */
  readonly object: string;
  /** Allow or deny. @default 'allow' */
  readonly effect?: RbacEffect;
}

/** A role of the global RBAC policy. */
export interface RbacRole {
  /** Role name, written as `role:<name>`. */
  readonly name: string;
  /** One line about the role, written as a comment above its permissions. @default - no comment */
  readonly description?: string;
  /** The role's permissions, in order. */
  readonly permissions: readonly RbacPermission[];
}

/** One `g` line: a group, user or role that gets a role. */
export interface RbacBinding {
  /** The SSO group, user or `role:<name>` that is bound. */
  readonly subject: string;
  /** The role it gets (without `role:`). */
  readonly role: string;
}

/** Options for {@link RbacPolicy}. */
export interface RbacPolicyProps {
  /** Role for authenticated users without a binding (`readonly`), or none. @default - none (no access) */
  readonly defaultRole?: string;
  /** The roles, in order. */
  readonly roles: readonly RbacRole[];
  /** The group bindings, in order. @default [] */
  readonly bindings?: readonly RbacBinding[];
  /** Comment above the bindings. @default 'Group bindings' */
  readonly bindingsDescription?: string;
  /** Token claims that carry groups (written as `scopes`). @default - not written (Argo CD: [groups]) */
  readonly scopes?: readonly string[];
  /** How objects are matched. @default 'glob' */
  readonly matchMode?: 'glob' | 'regex';
}

const ROLE_NAME = /^[a-z0-9]([-a-z0-9_.]*[a-z0-9])?$/;
const FIELD = /^[^\s,]+$/;

/**
 * Argo CD's global RBAC policy as typed data: roles with permissions, group
 * bindings, the default role and the OIDC scopes. Unknown resources and
 * actions are rejected; {@link RbacPolicy.toConfigMapData} renders the
 * `argocd-rbac-cm` data the argo-cd chart takes as `configs.rbac`.
 */
export class RbacPolicy {
  /** The roles. */
  public readonly roles: readonly RbacRole[];
  /** The bindings. */
  public readonly bindings: readonly RbacBinding[];
  /** The default role (without `role:`), if any. */
  public readonly defaultRole?: string;
  /** The scopes in effect. */
  public readonly scopes: readonly string[];
  private readonly props: RbacPolicyProps;

  constructor(props: RbacPolicyProps) {

    checkProps('RbacPolicy', 'RbacPolicyProps', props);
    const names = new Set<string>();
    for (const role of props.roles) {
      const where = `RbacPolicy role "${role.name}"`;
      if (!ROLE_NAME.test(role.name)) {
        throw new ConfigError('RbacPolicy', 'roles.name', role.name, 'Use a lowercase name such as "developer"; it is written as role:<name>.');
      }
      if (names.has(role.name)) {
        throw new ConfigError('RbacPolicy', 'roles.name', role.name, 'Define each role once.');
      }
      names.add(role.name);
      if (role.permissions.length === 0) {
        throw new ConfigError(where, 'permissions', [], 'Give the role at least one permission.');
      }
      role.permissions.forEach((p, i) => validatePermission(where, `permissions[${i}]`, p));
    }
    const known = new Set([...names, ...BUILTIN_ROLES]);
    for (const [i, b] of (props.bindings ?? []).entries()) {
      if (!FIELD.test(b.subject)) {
        throw new ConfigError('RbacPolicy', `bindings[${i}].subject`, b.subject, 'Use a group, user or role:<name> without spaces or commas.');
      }
      if (!known.has(b.role)) {
        throw new ConfigError('RbacPolicy', `bindings[${i}].role`, b.role, `Bind to a defined role: ${[...known].join(', ')}.`);
      }
    }
    if (props.defaultRole !== undefined && !known.has(props.defaultRole)) {
      throw new ConfigError('RbacPolicy', 'defaultRole', props.defaultRole, `Use a defined role (${[...known].join(', ')}) or leave it unset for no access.`);
    }
    for (const scope of props.scopes ?? []) {
      if (!/^[A-Za-z0-9_.:/-]+$/.test(scope)) {
        throw new ConfigError('RbacPolicy', 'scopes', scope, 'Use claim names such as "groups" or "email".');
      }
    }
    this.roles = props.roles;
    this.bindings = props.bindings ?? [];
    this.defaultRole = props.defaultRole;
    this.scopes = props.scopes ?? ['groups'];
    this.props = props;
  }

  /**
   * Authenticated users read everything, nothing more: no roles, no group
   * bindings. The policy Argo CD gets unless one is given; grant roles to your
   * identity provider's groups with `new RbacPolicy({ roles, bindings })`.
   */
  public static readOnly(): RbacPolicy {
    return new RbacPolicy({ defaultRole: 'readonly', roles: [] });
  }

  /**
   * The projects the policy's permissions name (`team-a` of `team-a/*`), sorted;
   * `*` objects name none.
   */
  public get projects(): string[] {
    const names = new Set<string>();
    for (const role of this.roles) {
      for (const p of role.permissions) {
        if (!PROJECT_SCOPED.has(p.resource) || p.object === '*') continue;
        const project = p.object.split('/')[0];
        if (project !== '*') names.add(project);
      }
    }
    return [...names].sort();
  }

  /**
   * Throws when a permission names a project that is not in `existing` (project
   * globs must match one): such a grant gives nothing and hides a typo.
   */
  public checkProjects(where: string, existing: readonly string[]): void {
    for (const project of this.projects) {
      const pattern = new RegExp(`^${project.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')}$`);
      if (!existing.some((name) => pattern.test(name))) {
        throw new ConfigError(
          where,
          'rbac',
          `${project}/*`,
          `The RBAC policy grants objects of project "${project}", which does not exist here (projects: ${[...existing].sort().join(', ')}). Grant existing projects or create the project.`,
        );
      }
    }
  }

  /** The role names, in order. */
  public get roleNames(): string[] {
    return this.roles.map((r) => r.name);
  }

  /** `policy.csv`: each role's permissions under its description, then the bindings. */
  public policyCsv(): string {
    const sections = this.roles.map((role) => [
      ...(role.description ? [`# ${role.description}`] : []),
      ...role.permissions.map((p) => `p, role:${role.name}, ${p.resource}, ${p.action}, ${p.object}, ${p.effect ?? 'allow'}`),
    ]);
    if (this.bindings.length > 0) {
      sections.push([
        `# ${this.props.bindingsDescription ?? 'Group bindings'}`,
        ...this.bindings.map((b) => `g, ${b.subject}, role:${b.role}`),
      ]);
    }
    return `${sections.map((lines) => lines.join('\n')).join('\n\n')}\n`;
  }

  /** The data of `argocd-rbac-cm` (and the chart's `configs.rbac` without `create`). */
  public toConfigMapData(): Record<string, string> {
    return {
      'policy.default': this.defaultRole !== undefined ? `role:${this.defaultRole}` : '',
      'policy.csv': this.policyCsv(),
      ...(this.props.scopes ? { scopes: `[${this.props.scopes.join(', ')}]` } : {}),
      ...(this.props.matchMode && this.props.matchMode !== 'glob' ? { 'policy.matchMode': this.props.matchMode } : {}),
    };
  }
}

/**
 * Checks one permission against Argo CD's resources and actions. `project`
 * restricts objects of project-scoped resources to that project (AppProject roles).
 */
export function validatePermission(where: string, field: string, p: RbacPermission, project?: string): void {
  if (p.resource !== '*' && !(p.resource in RBAC_RESOURCE_ACTIONS)) {
    throw new ConfigError(where, `${field}.resource`, p.resource, `Use one of ${Object.keys(RBAC_RESOURCE_ACTIONS).join(', ')} or *.`);
  }
  if (p.action !== '*') {
    const [action, ...path] = p.action.split('/');
    const allowed = p.resource === '*' ? [...new Set(Object.values(RBAC_RESOURCE_ACTIONS).flat())] : RBAC_RESOURCE_ACTIONS[p.resource];
    const pathOk = path.length === 0 || (p.resource === 'applications' && PATH_ACTIONS.has(action) && path.every((s) => s !== ''));
    if (!allowed.includes(action) || !pathOk) {
      const hint =
        p.resource === 'applications' && (action === 'logs' || action === 'exec')
          ? ` In Argo CD v3 ${action} is a resource of its own: grant resource "${action}" with action "${action === 'logs' ? 'get' : 'create'}" on the same object.`
          : '';
      throw new ConfigError(
        where,
        `${field}.action`,
        p.action,
        `"${p.action}" is not an action on ${p.resource}; use one of ${allowed.map((a) => (PATH_ACTIONS.has(a) && p.resource === 'applications' && a === 'action' ? 'action/*' : a)).join(', ')} or *.${hint}`,
      );
    }
  }
  if (!FIELD.test(p.object)) {
    throw new ConfigError(where, `${field}.object`, p.object, 'Give the object without spaces or commas, such as "my-project/*" or "*".');
  }
  if (PROJECT_SCOPED.has(p.resource) && p.object !== '*' && !p.object.includes('/')) {
    throw new ConfigError(where, `${field}.object`, p.object, `Objects of ${p.resource} are "<project>/<name>", such as "${project ?? 'default'}/*".`);
  }
  if (project !== undefined && PROJECT_SCOPED.has(p.resource) && !p.object.startsWith(`${project}/`)) {
    throw new ConfigError(where, `${field}.object`, p.object, `A role of project "${project}" can only grant objects in it: use "${project}/<name>" or "${project}/*".`);
  }
  if (p.effect !== undefined && p.effect !== 'allow' && p.effect !== 'deny') {
    throw new ConfigError(where, `${field}.effect`, p.effect, 'Use "allow" or "deny".');
  }
}
