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

/**
 * What may come before an empty object or list on its line: the indentation,
 * and the member's key when it is one (a list item has none).
 */
const BEFORE_EMPTY = /^( *)((?:"(?:[^"\\]|\\.)*": )?)$/;

/** `json-stable-stringify(value, options)`, the same text. */
export function stableJson(value: unknown, options: StableJsonOptions | undefined, original: StableStringify): string | undefined {
  const space = indentation(options);
  if (space === undefined) return original(value, options);
  const copy = sortedCopy(value, 0);
  if (copy === NOT_PLAIN) return original(value, options);
  const text = JSON.stringify(copy, null, space) as string | undefined;
  if (text === undefined || space === '') return text;
  return emptyCollectionsSplit(text);
}

/**
 * `text` with every empty object or list that ends its line (a comma after it
 * aside) written over two lines, the closing bracket under the line's
 * indentation. Only a line that is nothing else, its indentation and key
 * aside, holds one: a `{}` or `[]` inside a string is followed by more of the
 * string. Lines are those `JSON.stringify` breaks, at `\n` only: a string
 * may hold U+2028 or U+2029, which a line-by-line pattern (`^...$` with the
 * `m` flag) took for line breaks, splitting an empty-looking string (`"\u2028{}"`).
 * The text is searched for the brackets (a few in 2 MB) instead of matched
 * line by line (53,000 lines for 1,000 Flux tenants: 18 to 20 ms, against 7 to 8 ms).
 */
function emptyCollectionsSplit(text: string): string {
  const splits: Array<{ at: number; indent: string; brackets: string; end: number }> = [];
  for (const brackets of EMPTY_BRACKETS) {
    for (let at = text.indexOf(brackets); at >= 0; at = text.indexOf(brackets, at + 2)) {
      let end = at + 2;
      if (text.charCodeAt(end) === COMMA) end++;
      if (end < text.length && text.charCodeAt(end) !== NEWLINE) continue;
      const start = text.lastIndexOf('\n', at - 1) + 1;
      const before = BEFORE_EMPTY.exec(text.slice(start, at));
      if (before === null) continue;
      splits.push({ at, indent: before[1], brackets, end });
    }
  }
  if (splits.length === 0) return text;
  splits.sort((a, b) => a.at - b.at);
  let out = '';
  let copied = 0;
  for (const { at, indent, brackets, end } of splits) {
    out += `${text.slice(copied, at)}${brackets[0]}\n${indent}${brackets[1]}`;
    copied = at + 2;
    if (end > copied) {
      out += ',';
      copied = end;
    }
  }
  return out + text.slice(copied);
}

const EMPTY_BRACKETS = ['{}', '[]'] as const;
const COMMA = 0x2c;
const NEWLINE = 0x0a;

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
