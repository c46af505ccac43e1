/**
 * Whether `value` is a plain object (`{ ... }`, made by a literal or parsed
 * from JSON or YAML): not null, not an array, not a class instance.
 */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && Object.getPrototypeOf(value) === Object.prototype;
}

/**
 * A deep copy of plain data, `undefined` object entries and list items
 * dropped (as cdktf's resolution and JSON leave them out).
 */
export function copyPlain(value: unknown): unknown {
  if (typeof value !== 'object' || value === null) return value;
  if (Array.isArray(value)) {
    const out: unknown[] = [];
    for (const item of value) if (item !== undefined) out.push(copyPlain(item));
    return out;
  }
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value)) {
    const item = (value as Record<string, unknown>)[key];
    if (item !== undefined) out[key] = copyPlain(item);
  }
  return out;
}
