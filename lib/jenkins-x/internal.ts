/**
 * Helpers shared by the module's files; not part of the public API (not
 * re-exported from index.ts).
 */
import { TaskSpecStepsComputeResourcesLimits, TaskSpecStepsComputeResourcesRequests } from '../imports/tekton.dev';

/** CPU and memory of a step (Kubernetes quantities). */
export interface StepResourceQuantities {
  /** CPU, such as `400m`. @default - not set */
  readonly cpu?: string;
  /** Memory, such as `600Mi`. @default - not set */
  readonly memory?: string;
}

/** Requests and limits of a step or of every step (`stepTemplate.computeResources`). */
export interface StepResources {
  /** What the scheduler reserves. @default - none */
  readonly requests?: StepResourceQuantities;
  /** The most a step may use. @default - none */
  readonly limits?: StepResourceQuantities;
}


/** A lowercase DNS label (names, keys, namespaces). */
export const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/** Whether an image reference carries an explicit tag other than `latest`, or a digest. */
export function isPinnedImage(image: string): boolean {
  if (/@sha256:[a-f0-9]{64}$/.test(image)) return true;
  const lastSegment = image.split('/').pop() ?? '';
  const colon = lastSegment.lastIndexOf(':');
  if (colon < 0) return false;
  const tag = lastSegment.slice(colon + 1);
  return tag !== '' && tag !== 'latest';
}

/** The typed `computeResources` of a step. */
export function stepResources(resources: StepResources): {
  requests?: { [key: string]: TaskSpecStepsComputeResourcesRequests };
  limits?: { [key: string]: TaskSpecStepsComputeResourcesLimits };
} {
  const pick = <T>(q: StepResourceQuantities | undefined, make: (v: string) => T): { [key: string]: T } | undefined => {
    if (!q) return undefined;
    const out: { [key: string]: T } = {};
    if (q.cpu !== undefined) out.cpu = make(q.cpu);
    if (q.memory !== undefined) out.memory = make(q.memory);
    return Object.keys(out).length > 0 ? out : undefined;
  };
  const requests = pick(resources.requests, (v) => TaskSpecStepsComputeResourcesRequests.fromString(v));
  const limits = pick(resources.limits, (v) => TaskSpecStepsComputeResourcesLimits.fromString(v));
  return { ...(requests ? { requests } : {}), ...(limits ? { limits } : {}) };
}

