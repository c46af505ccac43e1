import { ManifestObject } from '../../platform/gitops-tree';
import { arrayAt, KindMatch, valueAt } from './match';

/** The workload kinds whose pod templates the workload policies check. */
export const WORKLOAD_KINDS: readonly KindMatch[] = [
  { apiGroups: [''], kinds: ['Pod'] },
  { apiGroups: ['apps'], kinds: ['Deployment', 'StatefulSet', 'DaemonSet'] },
  { apiGroups: ['batch'], kinds: ['Job', 'CronJob'] },
  { apiGroups: ['argoproj.io'], kinds: ['Rollout'] },
];

/** Kinds whose pod spec is at `spec.template.spec`. */
const TEMPLATED = ['Deployment', 'StatefulSet', 'DaemonSet', 'Job', 'Rollout'];

/** A container of a pod spec, with the list it came from. */
export interface ContainerRef {
  /** The container as JSON. */
  readonly container: Record<string, unknown>;
  /** `containers` or `initContainers`. */
  readonly list: 'containers' | 'initContainers';
  /** The container's name. */
  readonly name: string;
}

/**
 * The pod spec of a workload: `spec` (Pod), `spec.template.spec` (Deployment,
 * StatefulSet, DaemonSet, Job, Rollout) or `spec.jobTemplate.spec.template.spec`
 * (CronJob). A Rollout with a `workloadRef` has none (the referenced Deployment is checked).
 */
export function podSpecOf(object: ManifestObject): Record<string, unknown> | undefined {
  let spec: unknown;
  if (object.kind === 'Pod') spec = valueAt(object, ['spec']);
  else if (object.kind === 'CronJob') spec = valueAt(object, ['spec', 'jobTemplate', 'spec', 'template', 'spec']);
  else if (TEMPLATED.includes(object.kind)) spec = valueAt(object, ['spec', 'template', 'spec']);
  return spec !== null && typeof spec === 'object' ? (spec as Record<string, unknown>) : undefined;
}

/** The containers and init containers of a pod spec, in order. */
export function containersOf(spec: Record<string, unknown>): ContainerRef[] {
  const out: ContainerRef[] = [];
  for (const list of ['containers', 'initContainers'] as const) {
    for (const c of arrayAt(spec, [list])) {
      if (c !== null && typeof c === 'object') {
        const container = c as Record<string, unknown>;
        out.push({ container, list, name: String(container.name ?? '(unnamed)') });
      }
    }
  }
  return out;
}
