/**
 * The text `json-stable-stringify` writes (keys sorted, `space` indentation),
 * made by V8's own `JSON.stringify` where the value is plain JSON.
 *
 * cdktf writes every stack's `cdk.tf.json` with `json-stable-stringify`,
 * which builds the text in JavaScript one member at a time: 110-120 ms for
 * the 2 MB of one environment with 1,000 Flux tenants, against about 50 ms for
 * a copy with sorted keys written by `JSON.stringify`. The two texts differ
 * only in empty objects and lists, which `json-stable-stringify` writes over
 * two lines (`{` and, under it at the member's indentation, `}`); those lines
 * are rewritten so. The app's runner hands cdktf this function
 * (scripts/run-app.cjs).
 *
 * Anything that is not plain JSON (an object or list with `toJSON`, an object
 * with a prototype of its own or an own `__proto__` key, a function, symbol or
 * bigint, nesting deeper than {@link DEPTH_LIMIT}, which a cycle always
 * reaches) and any option but `space` goes to `json-stable-stringify` itself,
 * passed in as `original`.
 */

import { sortCodeUnits } from './compare';

/** The options cdktf passes; any other is handed to the original. */
export interface StableJsonOptions {
  readonly space?: number | string;
}

/** The function this stands in for: `json-stable-stringify`'s export. */
export type StableStringify = (value: unknown, options?: StableJsonOptions) => string | undefined;

/** Nesting deeper than this is left to the original (a cycle reaches any depth). */
const DEPTH_LIMIT = 256;

/** Marks a value the copy cannot stand for. */
const NOT_PLAIN = Symbol('not plain JSON');

/** An empty object or list on a line of its own, after its key or as a list item: indentation, key, brackets, comma. */
const EMPTY_COLLECTION = /^( *)((?:"(?:[^"\\]|\\.)*": )?)(\{\}|\[\])(,?)$/gm;

/** `json-stable-stringify(value, options)`, the same text. */
export function stableJson(value: unknown, options: StableJsonOptions | undefined, original: StableStringify): string | undefined {
  const space = indentation(options);
  if (space === undefined) return original(value, options);
  const copy = sortedCopy(value, 0);
  if (copy === NOT_PLAIN) return original(value, options);
  const text = JSON.stringify(copy, null, space) as string | undefined;
  if (text === undefined || space === '') return text;
  return text.replace(EMPTY_COLLECTION, (_line, indent: string, key: string, brackets: string, comma: string) => `${indent}${key}${brackets[0]}\n${indent}${brackets[1]}${comma}`);
}

/**
 * The indentation both functions write for `options`, when they write the
 * same one: up to ten spaces (`JSON.stringify` cuts longer ones).
 */
function indentation(options: StableJsonOptions | undefined): string | undefined {
  if (options === undefined) return '';
  if (typeof options !== 'object' || options === null) return undefined;
  const keys = Object.keys(options);
  if (keys.length === 0) return '';
  if (keys.length !== 1 || keys[0] !== 'space') return undefined;
  const space = options.space;
  if (space === undefined || space === '' || space === 0) return '';
  if (typeof space === 'number') return Number.isInteger(space) && space > 0 && space <= 10 ? ' '.repeat(space) : undefined;
  return typeof space === 'string' && space.length <= 10 && /^ +$/.test(space) ? space : undefined;
}

/**
 * A copy of plain JSON with every object's keys in sorted order (UTF-16 code
 * units, as `json-stable-stringify` sorts them), values read once each in
 * that order; {@link NOT_PLAIN} for anything else.
 */
function sortedCopy(value: unknown, depth: number): unknown {
  if (value === null) return value;
  switch (typeof value) {
    case 'string':
    case 'number':
    case 'boolean':
    case 'undefined':
      return value;
    case 'object':
      break;
    default:
      return NOT_PLAIN;
  }
  if (depth >= DEPTH_LIMIT || 'toJSON' in (value as object)) return NOT_PLAIN;
  if (Array.isArray(value)) {
    const out: unknown[] = new Array(value.length);
    for (let i = 0; i < value.length; i++) {
      const item = sortedCopy(value[i], depth + 1);
      if (item === NOT_PLAIN) return NOT_PLAIN;
      out[i] = item;
    }
    return out;
  }
  const prototype: unknown = Object.getPrototypeOf(value);
  if (prototype !== Object.prototype && prototype !== null) return NOT_PLAIN;
  const record = value as Record<string, unknown>;
  const keys = sortCodeUnits(Object.keys(record));
  const out: Record<string, unknown> = {};
  for (let i = 0; i < keys.length; i++) {
    // Set on a new object, an own `__proto__` key would set the copy's prototype instead.
    if (keys[i] === '__proto__') return NOT_PLAIN;
    const item = sortedCopy(record[keys[i]], depth + 1);
    if (item === NOT_PLAIN) return NOT_PLAIN;
    out[keys[i]] = item;
  }
  return out;
}
