import { EnvironmentTier } from './environment';
import { ConfigError } from './errors';

/** A Pod Security Standards level. */
export type PodSecurityLevel = 'privileged' | 'baseline' | 'restricted';

/** The three levels, least strict first. */
export const POD_SECURITY_LEVELS: readonly PodSecurityLevel[] = ['privileged', 'baseline', 'restricted'];

/** The Pod Security admission label prefix. */
export const POD_SECURITY_PREFIX = 'pod-security.kubernetes.io';

/** The level enforced by default in a tier: restricted in production, baseline elsewhere. */
export function defaultPodSecurityLevel(tier: EnvironmentTier): PodSecurityLevel {
  return tier === 'production' ? 'restricted' : 'baseline';
}

/**
 * The Pod Security admission labels of a namespace: `enforce` at `level`,
 * `warn` and `audit` always at `restricted` (so what would break under
 * restricted is visible before it is enforced), versions pinned to `latest`.
 */
export function podSecurityLabels(level: PodSecurityLevel): Record<string, string> {
  if (!POD_SECURITY_LEVELS.includes(level)) {
    throw new ConfigError('podSecurityLabels', 'level', level, `Use one of ${POD_SECURITY_LEVELS.join(', ')}.`);
  }
  return {
    [`${POD_SECURITY_PREFIX}/enforce`]: level,
    [`${POD_SECURITY_PREFIX}/enforce-version`]: 'latest',
    [`${POD_SECURITY_PREFIX}/warn`]: 'restricted',
    [`${POD_SECURITY_PREFIX}/warn-version`]: 'latest',
    [`${POD_SECURITY_PREFIX}/audit`]: 'restricted',
    [`${POD_SECURITY_PREFIX}/audit-version`]: 'latest',
  };
}

/**
 * The Pod Security level a namespace will enforce, as the module that labels
 * namespaces decides it (the security module's `podSecurityLevelOf`). Other
 * modules take it as a prop to shape their pods for that level.
 */
export type PodSecurityLevelOf = (namespace: string) => PodSecurityLevel;

/** The resources a tenant may manage in its namespace, by API group. No RBAC, no Secrets, no NetworkPolicies. */
export const TENANT_RESOURCES: Readonly<Record<string, readonly string[]>> = {
  '': ['configmaps', 'persistentvolumeclaims', 'serviceaccounts', 'services'],
  apps: ['deployments', 'statefulsets'],
  batch: ['cronjobs', 'jobs'],
  autoscaling: ['horizontalpodautoscalers'],
  policy: ['poddisruptionbudgets'],
  'networking.k8s.io': ['ingresses'],
  'external-secrets.io': ['externalsecrets'],
  'bitnami.com': ['sealedsecrets'],
  'argoproj.io': ['analysistemplates', 'rollouts'],
  'monitoring.coreos.com': ['podmonitors', 'prometheusrules', 'servicemonitors'],
};

const TENANT_WRITE = ['create', 'delete', 'get', 'list', 'patch', 'update', 'watch'];

/**
 * The least-privilege rules of a tenant's reconciler: manage the
 * {@link TENANT_RESOURCES} in the tenant namespace, nothing else (no RBAC, no
 * Secrets, no NetworkPolicies). Whichever module creates a tenant's
 * reconciler (Flux's tenant, or the security module's tenant RBAC) gives it these.
 */
export function tenantReconcilerRules(): Array<{ apiGroups: string[]; resources: string[]; verbs: string[] }> {
  return Object.entries(TENANT_RESOURCES).map(([group, resources]) => ({ apiGroups: [group], resources: [...resources], verbs: [...TENANT_WRITE] }));
}
