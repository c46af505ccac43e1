/**
 * Deterministic YAML for plain JSON values (what cdk8s charts and settings
 * produce): block style, keys in the order given, two-space indentation.
 *
 * A string is written plain only when it cannot be read back as anything else
 * under YAML 1.1 or 1.2 (so `yes`, `on`, `1:20`, `0x1F` and the like stay
 * strings for every Kubernetes tool); multi-line text becomes a literal block;
 * other one-line text is single-quoted, and text with control characters is
 * double-quoted with JSON escapes, which YAML reads the same.
 * This is several times faster than a general YAML library, and synthesis
 * writes a few hundred documents per environment.
 */

import { sortCodeUnits } from './compare';
import { TextMemo } from './text-memo';

const PLAIN = /^[A-Za-z_/$][A-Za-z0-9 _./:@%+=,()'$-]*$/;
/** Digit-first words such as `5s`, `10Gi`, `2h30m`: plain when they hold a letter and are no number. */
const PLAIN_DIGIT_FIRST = /^[0-9][A-Za-z0-9._-]*$/;
const NUMBER_LIKE = /^[-+]?(0x[0-9a-fA-F_]+|0o[0-7_]+|0b[01_]+|[0-9][0-9_]*(\.[0-9_]*)?([eE][-+]?[0-9]+)?)$/;
const RESERVED = /^(y|Y|yes|Yes|YES|n|N|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF|null|Null|NULL)$/;

function isPlain(text: string): boolean {
  if (PLAIN_DIGIT_FIRST.test(text)) return /[A-Za-z]/.test(text) && !NUMBER_LIKE.test(text);
  return (
    PLAIN.test(text) &&
    !RESERVED.test(text) &&
    !text.endsWith(' ') &&
    !text.endsWith(':') &&
    !text.includes(': ') &&
    !text.includes(' #')
  );
}

/** A scalar on one line, or undefined when it needs a block. */
function inlineScalar(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new Error(`YAML: cannot write the number ${value}`);
    return String(value);
  }
  if (typeof value === 'string') {
    // Keys and most values recur across objects and files (apiVersion, name, labels): each is looked at once.
    return SHORT_SCALARS.of(value, quoted);
  }
  throw new Error(`YAML: cannot write a ${typeof value}`);
}

/** A string as one scalar: plain when it can be, else single- or double-quoted. */
function quoted(value: string): string {
  if (isPlain(value)) return value;
  // Single quotes keep text such as {{ template "x" . }} readable; they need no escapes.
  if (!/[\u0000-\u001f\u007f-\u009f\u2028\u2029\ufeff]/.test(value)) return `'${value.replace(/'/g, "''")}'`;
  return JSON.stringify(value);
}

/** Strings of up to 128 characters as written. */
const SHORT_SCALARS = new TextMemo<string>(20_000, 128);

/**
 * A literal block (`|` or `|-`) for multi-line text that survives one, else
 * undefined; its lines go two spaces deeper than `indent`, its key's.
 */
function literalBlock(text: string, indent: string): string | undefined {
  if (!text.includes('\n') || text.includes('\r') || /^[ \t]/.test(text) || text.endsWith('\n\n')) return undefined;
  const body = text.endsWith('\n') ? text.slice(0, -1) : text;
  const lines = body.split('\n');
  if (lines.some((line) => line.length > 0 && line.trim() === '')) return undefined;
  if (/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f\ufeff]/.test(text)) return undefined;
  const header = text.endsWith('\n') ? '|' : '|-';
  const blockIndent = `${indent}  `;
  return `${header}\n${lines.map((line) => (line === '' ? '' : `${blockIndent}${line}`)).join('\n')}`;
}

function isCollection(value: unknown): value is Record<string, unknown> | unknown[] {
  return value !== null && typeof value === 'object';
}

/**
 * The keys of a collection that holds something: an object's own keys, or
 * the list itself; undefined for a scalar or an empty collection, which is
 * written inline. The writer reads an object's keys once, here.
 */
function membersOf(value: unknown): string[] | unknown[] | undefined {
  if (value === null || typeof value !== 'object') return undefined;
  if (Array.isArray(value)) return value.length === 0 ? undefined : value;
  const keys = Object.keys(value);
  return keys.length === 0 ? undefined : keys;
}

/**
 * Writes `value` (a collection that holds something, with `members` from
 * {@link membersOf}) as lines at `indent`; the first line starts with `first`
 * instead (`- ` in place of the indentation's last two spaces, when the
 * collection is an item of a list).
 */
function writeCollection(value: Record<string, unknown> | unknown[], members: string[] | unknown[], indent: string, out: string[], first = indent): void {
  let lead = first;
  // Indexed loops: this runs for every collection written, mostly before V8 optimizes it, and an iterator would
  // allocate a result object per step.
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const item = value[i];
      const nested = membersOf(item);
      if (nested !== undefined) {
        // The first line of the nested block goes after the dash.
        writeCollection(item as Record<string, unknown> | unknown[], nested, `${indent}  `, out, `${lead}- `);
      } else {
        out.push(`${lead}- ${valueAfterKey(item, indent)}`);
      }
      lead = indent;
    }
    return;
  }
  const keys = members as string[];
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i];
    const item = value[key];
    if (item === undefined) continue;
    const k = inlineScalar(key);
    const nested = membersOf(item);
    if (nested !== undefined) {
      out.push(`${lead}${k}:`);
      writeCollection(item as Record<string, unknown> | unknown[], nested, `${indent}  `, out);
    } else {
      out.push(`${lead}${k}: ${valueAfterKey(item, indent)}`);
    }
    lead = indent;
  }
}

/** A scalar or empty collection written after `key: ` or `- `. */
function valueAfterKey(value: unknown, indent: string): string {
  if (Array.isArray(value)) return '[]';
  if (isCollection(value)) return '{}';
  if (typeof value === 'string') return literalBlock(value, indent) ?? inlineScalar(value);
  return inlineScalar(value);
}

/** One YAML document for a plain JSON value, ending with a newline. */
export function toYaml(value: unknown): string {
  if (isCollection(value)) {
    const members = membersOf(value);
    if (members === undefined) return Array.isArray(value) ? '[]\n' : '{}\n';
    const lines: string[] = [];
    writeCollection(value, members, '', lines);
    return `${lines.join('\n')}\n`;
  }
  return `${valueAfterKey(value, '')}\n`;
}

/** Texts the library wrote and recorded ({@link recordDocuments}): the documents each was written from. */
const RECORDED = new Map<string, readonly unknown[]>();
/** How many recorded texts are kept (the latest; an environment records a few dozen). */
const RECORDED_LIMIT = 256;

/**
 * Records that `text` is the YAML of `documents` (one value per document, in
 * order), so that a reader of the text (the secret scan, the deploy model)
 * takes the documents instead of parsing it again; returns `text`. Reading
 * the text back must give the same plain data, and the documents must not
 * change afterwards: pass values of your own (a copy).
 */
export function recordDocuments(text: string, documents: readonly unknown[]): string {
  if (RECORDED.size >= RECORDED_LIMIT) RECORDED.clear();
  RECORDED.set(text, documents);
  return text;
}

/** {@link toYaml}, recorded ({@link recordDocuments}). */
export function toRecordedYaml(value: unknown): string {
  return recordDocuments(toYaml(value), [value]);
}

/** {@link toYamlDocuments}, recorded ({@link recordDocuments}). */
export function toRecordedYamlDocuments(values: readonly unknown[]): string {
  return recordDocuments(toYamlDocuments(values), values);
}

/** The documents `text` was written from, when the library recorded them (and still keeps them). */
export function recordedDocuments(text: string): readonly unknown[] | undefined {
  return RECORDED.get(text);
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
    const keys = sortCodeUnits(Object.keys(value as Record<string, unknown>));
    for (let i = 0; i < keys.length; i++) out[keys[i]] = sortKeys((value as Record<string, unknown>)[keys[i]]);
    return out as T;
  }
  return value;
}
