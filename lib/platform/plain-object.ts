/**
 * Whether `value` is a plain object (`{ ... }`, made by a literal or parsed
 * from JSON or YAML): not null, not an array, not a class instance.
 */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && Object.getPrototypeOf(value) === Object.prototype;
}

/**
 * A deep copy of plain data, `undefined` object entries and list items
 * dropped (as cdktf's resolution and JSON leave them out). An own
 * `__proto__` key is copied as a property.
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
    if (item !== undefined) setOwn(out, keys[i], copyPlain(item));
  }
  return out;
}

/** `record[key] = value`, except that an own `__proto__` key (JSON and YAML parsers make one) stays a property. */
function setOwn<V>(record: Record<string, V>, key: string, value: V): void {
  if (key === '__proto__') Object.defineProperty(record, key, { value, enumerable: true, writable: true, configurable: true });
  else record[key] = value;
}

/**
 * `Object.fromEntries(entries)`, built key by key. For a record with many
 * keys that make a new shape (the namespaces of 1,000 Flux tenants, the
 * services of 1,000 delivery services) V8 builds `fromEntries`'s result
 * through a new hidden class per key, which costs time and memory quadratic
 * in the keys: 12 ms for 1,011 namespaces, against 1 ms here. An own
 * `__proto__` key stays an own property, as with `fromEntries`.
 */
export function recordFrom<V>(entries: Iterable<readonly [string, V]>): Record<string, V> {
  const record: Record<string, V> = {};
  for (const [key, value] of entries) setOwn(record, key, value);
  return record;
}
