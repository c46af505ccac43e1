import type { PodSecurityContext, SecurityContext } from 'cdk8s-plus-27/lib/imports/k8s';

/**
 * The pod security context of the platform's own workloads (report jobs,
 * reapers, sample workloads): a fixed non-root user and group and the
 * runtime's default seccomp profile, as Pod Security `restricted` requires.
 */
export const RESTRICTED_POD_SECURITY_CONTEXT: Readonly<PodSecurityContext> = {
  runAsNonRoot: true,
  runAsUser: 65532,
  runAsGroup: 65532,
  seccompProfile: { type: 'RuntimeDefault' },
};

/** The matching container security context: no privilege escalation, a read-only root, no capabilities. */
export const RESTRICTED_CONTAINER_SECURITY_CONTEXT: Readonly<SecurityContext> = {
  runAsNonRoot: true,
  allowPrivilegeEscalation: false,
  readOnlyRootFilesystem: true,
  capabilities: { drop: ['ALL'] },
};
