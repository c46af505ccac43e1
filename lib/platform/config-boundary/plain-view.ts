/**
 * The first pass over any configuration value, before a schema sees it: a
 * plain-data copy in which class instances stand as {@link Opaque} markers,
 * keys whose value is `undefined` are left out (as JSON would), and every value
 * that can never be configuration (a cycle, a function, `Infinity`, `NaN`, a
 * symbol, a bigint, a nesting deeper than any config) is reported with its path.
 * Nothing here recurses without bound, so no input overflows the stack.
 */

/** How deep a configuration value may nest. */
export const MAX_DEPTH = 48;

/** A class instance in the input (a `Storage`, a `Map`), checked by class name only. */
export class Opaque {
  /** The class names along the prototype chain, most derived first (`['Storage']`). */
  declare readonly classNames: readonly string[];
  /** The original value. */
  declare readonly value: unknown;
  constructor(value: object) {
    const names: string[] = [];
    let proto = Object.getPrototypeOf(value) as { constructor?: { name?: string } } | null;
    while (proto && proto !== Object.prototype) {
      // A bundler that renames a class to avoid a clash appends digits (`Storage2`); esbuild names a class
      // expression that refers to itself with a leading underscore (`var Storage = class _Storage`).
      const name = proto.constructor?.name?.replace(/^_/, '').replace(/\d+$/, '');
      if (name) names.push(name);
      proto = Object.getPrototypeOf(proto) as typeof proto;
    }
    // Not enumerable: a schema sees an object with no keys.
    Object.defineProperty(this, 'classNames', { value: names, enumerable: false });
    Object.defineProperty(this, 'value', { value, enumerable: false });
  }
}

/** A value that can never be configuration, found at `path` (JSON-pointer segments). */
export interface ImpossibleValue {
  readonly path: readonly (string | number)[];
  readonly value: unknown;
  readonly fix: string;
  /** What the value is, in words. */
  readonly what: string;
}

/** The plain view of `input` and the first impossible value in it, if any. */
export function plainView(input: unknown, options: { readonly allowFunctions?: boolean } = {}): { view: unknown; problem?: ImpossibleValue } {
  let problem: ImpossibleValue | undefined;
  const ancestors: object[] = [];
  const report = (path: readonly (string | number)[], value: unknown, what: string, fix: string): undefined => {
    if (!problem) problem = { path: [...path], value, what, fix };
    return undefined;
  };
  const visit = (value: unknown, path: (string | number)[]): unknown => {
    if (problem) return undefined;
    switch (typeof value) {
      case 'number':
        if (!Number.isFinite(value)) return report(path, value, String(value), 'Use a finite number.');
        return value;
      case 'string':
      case 'boolean':
      case 'undefined':
        return value;
      case 'bigint':
        return report(path, value, `the bigint ${String(value)}n`, 'Use a plain number.');
      case 'symbol':
        return report(path, value, 'a symbol', 'Use plain data: strings, numbers, booleans, lists and objects.');
      case 'function':
        if (options.allowFunctions) return new Opaque(value as object);
        return report(path, value, 'a function', 'Use plain data: strings, numbers, booleans, lists and objects.');
    }
    if (value === null) return null;
    const object = value as object;
    if (ancestors.includes(object)) {
      return report(path, value, 'a circular reference (the value contains itself)', 'Use plain data without cycles; copy the shared part instead of nesting it in itself.');
    }
    if (ancestors.length >= MAX_DEPTH) {
      return report(path, value, `nested more than ${MAX_DEPTH} levels deep`, 'Use the documented shape of the setting.');
    }
    const proto = Object.getPrototypeOf(object) as unknown;
    if (!Array.isArray(object) && proto !== Object.prototype && proto !== null) return new Opaque(object);
    ancestors.push(object);
    try {
      if (Array.isArray(object)) {
        const out: unknown[] = [];
        for (let i = 0; i < object.length; i++) {
          const item = visit(object[i], [...path, i]);
          if (object[i] === undefined && !problem) report([...path, i], undefined, 'not set', 'Remove the empty entry from the list.');
          out.push(item);
        }
        return out;
      }
      const out: Record<string, unknown> = {};
      for (const key of Object.keys(object)) {
        const item = (object as Record<string, unknown>)[key];
        if (item === undefined) continue;
        out[key] = visit(item, [...path, key]);
      }
      return out;
    } finally {
      ancestors.pop();
    }
  };
  const view = visit(input, []);
  return problem ? { view, problem } : { view };
}

/** The value at a JSON-pointer path in `root` (the original input), or undefined. */
export function valueAt(root: unknown, path: readonly (string | number)[]): unknown {
  let current: unknown = root;
  for (const segment of path) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<string | number, unknown>)[segment];
  }
  return current;
}

/** `monitoring.alerting.warning[0].authPassword`, with `["cert-manager.io/x"]` for keys that are not identifiers. */
export function formatPath(path: readonly (string | number)[]): string {
  let out = '';
  for (const segment of path) {
    if (typeof segment === 'number') out += `[${segment}]`;
    else if (/^[A-Za-z_$][\w$]*$/.test(segment)) out += out === '' ? segment : `.${segment}`;
    else out += `[${JSON.stringify(segment)}]`;
  }
  return out;
}
