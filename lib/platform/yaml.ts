import { stringify } from 'yaml';

/**
 * Deterministic YAML: keys keep the order they were given in (cdk8s already
 * sorts where it matters), no anchors, no line folding, so the same input
 * always gives the same bytes.
 */
export function toYaml(value: unknown): string {
  return stringify(value, { aliasDuplicateObjects: false, lineWidth: 0, indent: 2 });
}

/** Several documents separated by `---`. */
export function toYamlDocuments(values: readonly unknown[]): string {
  return values.map((v) => toYaml(v)).join('---\n');
}

/** Returns a copy of a plain JSON value with object keys sorted, for stable output. */
export function sortKeys<T>(value: T): T {
  if (Array.isArray(value)) return value.map((v) => sortKeys(v)) as unknown as T;
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value as Record<string, unknown>).sort()) {
      out[key] = sortKeys((value as Record<string, unknown>)[key]);
    }
    return out as T;
  }
  return value;
}
