import { ConfigError } from '../../platform/errors';
import { EnvironmentTier } from '../../platform/environment';
import { defaultPodSecurityLevel, POD_SECURITY_LEVELS as LEVELS, PodSecurityLevel } from '../../platform/namespace-security';

export { defaultPodSecurityLevel, POD_SECURITY_PREFIX, podSecurityLabels } from '../../platform/namespace-security';
export type { PodSecurityLevel } from '../../platform/namespace-security';

/** A namespace whose enforced level differs from the environment default, with the reason. */
export interface PodSecurityExceptionSpec {
  /** The level to enforce. */
  readonly level: PodSecurityLevel;
  /** Why. */
  readonly reason: string;
}

/**
 * Namespaces that need more than the default: node-exporter (kube-prometheus-stack)
 * uses the host network, PID namespace and host paths; Falco loads its driver
 * with host access; Velero's node agent reads pod volumes through host paths
 * (no level between `baseline` and `privileged` admits a hostPath volume). Jenkins X is `baseline` in every tier, production
 * included: its builds (Tekton steps with kaniko) run as root, and the
 * jx-git-operator chart (and the Jenkins X charts its boot Job installs)
 * set no seccomp profile, capability drop or non-root user and offer no value
 * to set them, so `restricted` would refuse every pod; `baseline` still
 * refuses privileged pods, host namespaces, host paths and added capabilities.
 */
export const DEFAULT_POD_SECURITY_EXCEPTIONS: Readonly<Record<string, PodSecurityExceptionSpec>> = {
  monitoring: { level: 'privileged', reason: 'node-exporter needs the host network, PID namespace and host paths' },
  'falco-system': { level: 'privileged', reason: 'Falco reads kernel events with host access' },
  jx: { level: 'baseline', reason: 'Jenkins X pipeline steps (kaniko image builds) run as root, and its charts set no restricted security context' },
  'jx-git-operator': { level: 'baseline', reason: 'the jx-git-operator chart and the boot job set no restricted security context and offer no value for one' },
  velero: { level: 'privileged', reason: 'Velero\'s node agent mounts the kubelet\'s pod and plugin directories (hostPath) and runs as root to read and write pod volumes (file-system backup)' },
};

/**
 * The Pod Security level `namespace` enforces: its exception, else the tier's
 * default (restricted in production, baseline elsewhere).
 */
export function podSecurityLevelFor(
  namespace: string,
  tier: EnvironmentTier,
  exceptions: Readonly<Record<string, { readonly level: PodSecurityLevel }>> = DEFAULT_POD_SECURITY_EXCEPTIONS,
): PodSecurityLevel {
  return exceptions[namespace]?.level ?? defaultPodSecurityLevel(tier);
}

/** Validates the exceptions of `security.podSecurityExceptions`. */
export function validatePodSecurityExceptions(
  where: string,
  exceptions: Readonly<Record<string, PodSecurityExceptionSpec>>,
): Readonly<Record<string, PodSecurityExceptionSpec>> {
  for (const [ns, spec] of Object.entries(exceptions)) {
    const field = `security.podSecurityExceptions.${ns}`;
    if (!/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(ns)) throw new ConfigError(where, field, ns, 'Key the exceptions by namespace name.');
    if (!LEVELS.includes(spec?.level)) throw new ConfigError(where, `${field}.level`, spec?.level, `Use one of ${LEVELS.join(', ')}.`);
    if (typeof spec.reason !== 'string' || spec.reason.trim().length < 10) {
      throw new ConfigError(where, `${field}.reason`, spec.reason, 'Say why the namespace needs this level (at least 10 characters).');
    }
  }
  return exceptions;
}
