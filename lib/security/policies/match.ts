import { ManifestObject } from '../../platform/gitops-tree';

/** A group of kinds a policy applies to (Gatekeeper's `spec.match.kinds[]`). */
export interface KindMatch {
  /** API groups (`''` for the core group). */
  readonly apiGroups: readonly string[];
  /** Kinds in those groups. */
  readonly kinds: readonly string[];
}

/** A label selector requirement (Gatekeeper's `spec.match.labelSelector.matchExpressions[]`). */
export interface LabelRequirement {
  /** The label key. */
  readonly key: string;
  /** `Exists` or `DoesNotExist`. */
  readonly operator: 'Exists' | 'DoesNotExist';
}

/** The API group of an `apiVersion` (`''` for `v1`). */
export function apiGroupOf(apiVersion: string): string {
  const slash = apiVersion.indexOf('/');
  return slash < 0 ? '' : apiVersion.slice(0, slash);
}

/** Whether `object` is of one of the kinds. */
export function matchesKinds(kinds: readonly KindMatch[], object: ManifestObject): boolean {
  const group = apiGroupOf(object.apiVersion ?? '');
  return kinds.some(
    (k) => (k.apiGroups.includes('*') || k.apiGroups.includes(group)) && (k.kinds.includes('*') || k.kinds.includes(object.kind)),
  );
}

/** Whether `object`'s labels satisfy every requirement. */
export function matchesLabels(requirements: readonly LabelRequirement[], object: ManifestObject): boolean {
  const labels = labelsOf(object);
  return requirements.every((r) => (r.operator === 'Exists' ? r.key in labels : !(r.key in labels)));
}

/** The labels of an object (never undefined). */
export function labelsOf(object: ManifestObject): Record<string, string> {
  return ((object.metadata as { labels?: Record<string, string> } | undefined)?.labels ?? {}) as Record<string, string>;
}

/** The annotations of an object (never undefined). */
export function annotationsOf(object: ManifestObject): Record<string, string> {
  return ((object.metadata as { annotations?: Record<string, string> } | undefined)?.annotations ?? {}) as Record<string, string>;
}

/** A value at a path of plain JSON, or undefined. */
export function valueAt(value: unknown, path: readonly string[]): unknown {
  let current: unknown = value;
  for (const key of path) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<string, unknown>)[key];
  }
  return current;
}

/** An array at a path, or an empty array. */
export function arrayAt(value: unknown, path: readonly string[]): unknown[] {
  const found = valueAt(value, path);
  return Array.isArray(found) ? found : [];
}
