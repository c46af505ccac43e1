import { ManifestObject } from '../../platform/gitops-tree';
import { containersOf, podSpecOf, WORKLOAD_KINDS } from './pod-spec';
import { Policy, PolicyFinding } from './policy';

/** The resource settings every container must declare. */
export const RESOURCE_FIELDS = ['limits.cpu', 'limits.memory', 'requests.cpu', 'requests.memory'] as const;

/** One of {@link RESOURCE_FIELDS}. */
export type ResourceField = (typeof RESOURCE_FIELDS)[number];

/**
 * Rego shared by the workload templates: the pod spec of each workload kind
 * and its containers (the same paths as `podSpecOf`/`containersOf`).
 */
export const WORKLOAD_REGO = `
pod_spec = spec {
  input.review.object.kind == "Pod"
  spec := input.review.object.spec
}

pod_spec = spec {
  templated_kinds[input.review.object.kind]
  spec := input.review.object.spec.template.spec
}

pod_spec = spec {
  input.review.object.kind == "CronJob"
  spec := input.review.object.spec.jobTemplate.spec.template.spec
}

templated_kinds := {"Deployment", "StatefulSet", "DaemonSet", "Job", "Rollout"}

containers(spec) = cs {
  cs := array.concat(object.get(spec, "containers", []), object.get(spec, "initContainers", []))
}
`;

const NON_ROOT_RULE = 'does not set runAsNonRoot: true';
const ROOT_USER_RULE = 'runs as user 0 (root)';
const RESOURCES_RULE = 'has no resources';

/** Options for {@link workloadSecurityPolicy}. */
export interface WorkloadSecurityOptions {
  /**
   * The resource settings each container must declare.
   * @default RESOURCE_FIELDS (CPU and memory requests and limits)
   */
  readonly requiredResources?: readonly ResourceField[];
}

/**
 * Non-root containers with resources (seed 003 `security.rego`, extended to
 * every workload kind and to init containers): every container of a Pod,
 * Deployment, StatefulSet, DaemonSet, Job, CronJob or Argo Rollout sets
 * `runAsNonRoot: true` (itself, or inherited from the pod without overriding
 * it), never runs as user 0, and declares CPU and memory requests and limits.
 */
export function workloadSecurityPolicy(options: WorkloadSecurityOptions = {}): Policy {
  const required = [...(options.requiredResources ?? RESOURCE_FIELDS)];
  return new Policy({
    id: 'workload-security',
    constraintKind: 'GitOpsWorkloadSecurity',
    title: 'Containers run as non-root with resource requests and limits',
    description:
      'Every container of a Pod, Deployment, StatefulSet, DaemonSet, Job, CronJob or Argo Rollout runs as non-root (runAsNonRoot: true, never user 0) and declares CPU and memory requests and limits.',
    kinds: WORKLOAD_KINDS,
    excludeControllerNamespacesInCluster: true,
    parameterSchema: {
      requiredResources: {
        type: 'array',
        description: 'Resource settings each container must declare.',
        items: { type: 'string', enum: [...RESOURCE_FIELDS] },
      },
    },
    parameters: { requiredResources: required },
    rules: [NON_ROOT_RULE, ROOT_USER_RULE, RESOURCES_RULE],
    evaluate: (object: ManifestObject): PolicyFinding[] => {
      const spec = podSpecOf(object);
      if (!spec) return [];
      const podContext = (spec.securityContext ?? {}) as Record<string, unknown>;
      const findings: PolicyFinding[] = [];
      for (const { container, list, name } of containersOf(spec)) {
        const context = (container.securityContext ?? {}) as Record<string, unknown>;
        const nonRoot = context.runAsNonRoot === true || (podContext.runAsNonRoot === true && context.runAsNonRoot !== false);
        if (!nonRoot) {
          findings.push({
            rule: NON_ROOT_RULE,
            detail: `container "${name}" (${list}) ${NON_ROOT_RULE}`,
            fix: 'set securityContext.runAsNonRoot: true on the container (or the pod) and run as a non-zero runAsUser',
          });
        }
        const user = context.runAsUser !== undefined ? context.runAsUser : podContext.runAsUser;
        if (user === 0) {
          findings.push({
            rule: ROOT_USER_RULE,
            detail: `container "${name}" (${list}) ${ROOT_USER_RULE}`,
            fix: 'set securityContext.runAsUser to a non-zero UID (the image must not need root)',
          });
        }
        const resources = (container.resources ?? {}) as Record<string, Record<string, unknown> | undefined>;
        for (const field of required) {
          const [section, name2] = field.split('.');
          const value = resources[section]?.[name2];
          if (value === undefined || value === null || value === '') {
            findings.push({
              rule: RESOURCES_RULE,
              detail: `container "${name}" (${list}) ${RESOURCES_RULE}.${field}`,
              fix: `set resources.${field} (for example ${section === 'limits' ? "cpu: '500m', memory: '256Mi'" : "cpu: '100m', memory: '128Mi'"})`,
            });
          }
        }
      }
      return findings;
    },
    rego: `
violation[{"msg": msg}] {
  not exempt
  spec := pod_spec
  c := containers(spec)[_]
  not runs_as_non_root(spec, c)
  msg := sprintf("%v: container %v ${NON_ROOT_RULE}. Fix: set securityContext.runAsNonRoot: true on the container or the pod.", [object_ref, c.name])
}

violation[{"msg": msg}] {
  not exempt
  spec := pod_spec
  c := containers(spec)[_]
  run_as_user(spec, c) == 0
  msg := sprintf("%v: container %v ${ROOT_USER_RULE}. Fix: set securityContext.runAsUser to a non-zero UID.", [object_ref, c.name])
}

violation[{"msg": msg}] {
  not exempt
  spec := pod_spec
  c := containers(spec)[_]
  field := input.parameters.requiredResources[_]
  parts := split(field, ".")
  not has_resource(c, parts[0], parts[1])
  msg := sprintf("%v: container %v ${RESOURCES_RULE}.%v. Fix: set resources.%v.", [object_ref, c.name, field, field])
}

runs_as_non_root(spec, c) {
  c.securityContext.runAsNonRoot == true
}

runs_as_non_root(spec, c) {
  spec.securityContext.runAsNonRoot == true
  not c.securityContext.runAsNonRoot == false
}

run_as_user(spec, c) = user {
  user := c.securityContext.runAsUser
}

run_as_user(spec, c) = user {
  not has_key(object.get(c, "securityContext", {}), "runAsUser")
  user := spec.securityContext.runAsUser
}

has_key(obj, key) {
  _ = obj[key]
}

has_resource(c, section, name) {
  value := c.resources[section][name]
  value != ""
}
${WORKLOAD_REGO}`,
  });
}
