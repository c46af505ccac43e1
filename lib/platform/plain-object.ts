/**
 * Whether `value` is a plain object (`{ ... }`, made by a literal or parsed
 * from JSON or YAML): not null, not an array, not a class instance.
 */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && Object.getPrototypeOf(value) === Object.prototype;
}
