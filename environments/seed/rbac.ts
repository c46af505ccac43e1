import { RbacPolicy, RbacRole } from '../../lib/argocd';

/** Options of {@link seedRbacPolicy}. */
export interface SeedRbacOptions {
  /** The role of authenticated users without a binding. @default 'readonly' */
  readonly defaultRole?: string;
  /**
   * The projects the `developer` role may get, sync and run actions in; none
   * leaves the role (and its binding) out.
   * @default ['development'] (the seed's project name)
   */
  readonly developerProjects?: readonly string[];
  /**
   * The projects the `production-viewer` role may read (applications and logs);
   * none leaves the role (and its binding) out.
   * @default ['production'] (the seed's project name)
   */
  readonly viewerProjects?: readonly string[];
}

/**
 * The seeds' roles: admin, developer (limited to the development project),
 * production-viewer (read-only with logs) and devops, bound to the company's
 * SSO groups; authenticated users without a binding read only.
 *
 * One change from the seed: it grants the viewer `applications, logs`, which
 * Argo CD v3 does not know (no permission results); logs are a resource of
 * their own, so the viewer gets `logs, get, production/*`.
 */
export function seedRbacPolicy(options: SeedRbacOptions = {}): RbacPolicy {
  const developerProjects = [...(options.developerProjects ?? ['development'])];
  const viewerProjects = [...(options.viewerProjects ?? ['production'])];
  const roles: RbacRole[] = [
      {
        name: 'admin',
        description: 'Admin role - full access',
        permissions: [
          { resource: 'applications', action: '*', object: '*/*' },
          { resource: 'clusters', action: '*', object: '*' },
          { resource: 'repositories', action: '*', object: '*' },
        ],
      },
      {
        name: 'developer',
        description: 'Developer role - limited to specific projects',
        permissions: developerProjects.flatMap((project) => [
          { resource: 'applications', action: 'get', object: `${project}/*` },
          { resource: 'applications', action: 'sync', object: `${project}/*` },
          { resource: 'applications', action: 'action/*', object: `${project}/*` },
        ]),
      },
      {
        name: 'production-viewer',
        description: 'Production role - read-only production access',
        permissions: viewerProjects.flatMap((project) => [
          { resource: 'applications', action: 'get', object: `${project}/*` },
          { resource: 'logs', action: 'get', object: `${project}/*` },
        ]),
      },
      {
        name: 'devops',
        description: 'DevOps role - deployment permissions',
        permissions: [
          { resource: 'applications', action: '*', object: '*/*' },
          { resource: 'clusters', action: 'get', object: '*' },
          { resource: 'repositories', action: 'get', object: '*' },
        ],
      },
  ].filter((role) => role.permissions.length > 0);
  const defined = new Set(roles.map((r) => r.name));
  return new RbacPolicy({
    defaultRole: 'defaultRole' in options ? options.defaultRole : 'readonly',
    roles,
    bindingsDescription: 'Group mappings (OIDC/SAML)',
    bindings: [
      { subject: 'company:platform-team', role: 'admin' },
      { subject: 'company:developers', role: 'developer' },
      { subject: 'company:devops-team', role: 'devops' },
      { subject: 'company:production-support', role: 'production-viewer' },
    ].filter((b) => defined.has(b.role)),
    scopes: ['groups', 'email'],
  });
}
