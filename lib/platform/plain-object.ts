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
    for (let i = 0; i < value.length; i++) if (value[i] !== undefined) out.push(copyPlain(value[i]));
    return out;
  }
  // Indexed: an iterator would allocate a result object per step until V8 optimizes this.
  const out: Record<string, unknown> = {};
  const keys = Object.keys(value);
  for (let i = 0; i < keys.length; i++) {
    const item = (value as Record<string, unknown>)[keys[i]];
    if (item !== undefined) out[keys[i]] = copyPlain(item);
  }
  return out;
}
