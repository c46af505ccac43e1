/**
 * A small typed description of JSON values: each shape is at once a
 * TypeScript type (`ShapeType<typeof s>`), a JSON Schema (`s.schema`) and a
 * checker that lists every problem with its path. The status outputs'
 * contract (`status-contract.ts`) is written with it, so the types the library
 * uses, the JSON Schema it publishes and the check a CI job runs cannot drift apart.
 */

import { compareNames } from './compare';

/** A JSON Schema document (draft 2020-12 keywords). */
export type JsonSchema = { readonly [keyword: string]: unknown };

/** A described JSON value of type `T`. */
export interface Shape<T> {
  /** The JSON Schema of the value. */
  readonly schema: JsonSchema;
  /** Adds one line per problem of `value` (found at `at`, a dotted path) to `problems`. */
  check(value: unknown, at: string, problems: string[]): void;
  /** Carries the TypeScript type; never set. */
  readonly type?: T;
}

/** The TypeScript type a shape describes. */
export type ShapeType<S> = S extends Shape<infer T> ? T : never;

type Fields = Readonly<Record<string, Shape<unknown>>>;
type FieldTypes<F extends Fields> = { readonly [K in keyof F]: ShapeType<F[K]> };

/** A string, optionally one of `values` or matching `pattern`. */
export function stringShape(options: { readonly values?: readonly string[]; readonly pattern?: RegExp } = {}): Shape<string> {
  const schema: Record<string, unknown> = { type: 'string' };
  if (options.values) schema.enum = [...options.values];
  if (options.pattern) schema.pattern = options.pattern.source;
  return {
    schema,
    check(value, at, problems) {
      if (typeof value !== 'string') problems.push(`${at}: expected a string, found ${describe(value)}`);
      else if (options.values && !options.values.includes(value)) problems.push(`${at}: expected one of ${options.values.join(', ')}, found ${JSON.stringify(value)}`);
      else if (options.pattern && !options.pattern.test(value)) problems.push(`${at}: ${JSON.stringify(value)} does not match ${options.pattern.source}`);
    },
  };
}

/** `true` or `false`. */
export function booleanShape(): Shape<boolean> {
  return {
    schema: { type: 'boolean' },
    check(value, at, problems) {
      if (typeof value !== 'boolean') problems.push(`${at}: expected true or false, found ${describe(value)}`);
    },
  };
}

/** A whole number of at least `minimum`. */
export function integerShape(minimum = 0): Shape<number> {
  return {
    schema: { type: 'integer', minimum },
    check(value, at, problems) {
      if (typeof value !== 'number' || !Number.isInteger(value) || value < minimum) {
        problems.push(`${at}: expected a whole number of at least ${minimum}, found ${describe(value)}`);
      }
    },
  };
}

/** A list of `item`. */
export function arrayShape<T>(item: Shape<T>): Shape<readonly T[]> {
  return {
    schema: { type: 'array', items: item.schema },
    check(value, at, problems) {
      if (!Array.isArray(value)) {
        problems.push(`${at}: expected a list, found ${describe(value)}`);
        return;
      }
      value.forEach((entry, i) => item.check(entry, `${at}[${i}]`, problems));
    },
  };
}

/** `shape` or null. */
export function nullableShape<T>(shape: Shape<T>): Shape<T | null> {
  return {
    schema: { anyOf: [shape.schema, { type: 'null' }] },
    check(value, at, problems) {
      if (value !== null) shape.check(value, at, problems);
    },
  };
}

/**
 * An object with `required` and `optional` fields. A closed object (the
 * default) rejects other keys; an open one (a module's own section) accepts them.
 */
export function objectShape<R extends Fields, O extends Fields = Record<never, never>>(
  required: R,
  optional: O = {} as O,
  options: { readonly open?: boolean; readonly description?: string } = {},
): Shape<FieldTypes<R> & Partial<FieldTypes<O>>> {
  const properties: Record<string, JsonSchema> = {};
  for (const [key, shape] of [...Object.entries(required), ...Object.entries(optional)].sort(([a], [b]) => compareNames(a, b))) {
    properties[key] = shape.schema;
  }
  const schema: Record<string, unknown> = {
    type: 'object',
    ...(options.description ? { description: options.description } : {}),
    properties,
    required: Object.keys(required).sort(),
    additionalProperties: options.open === true,
  };
  return {
    schema,
    check(value, at, problems) {
      if (typeof value !== 'object' || value === null || Array.isArray(value)) {
        problems.push(`${at}: expected an object, found ${describe(value)}`);
        return;
      }
      const record = value as Record<string, unknown>;
      for (const [key, shape] of Object.entries(required)) {
        if (!(key in record)) problems.push(`${at}.${key}: missing`);
        else shape.check(record[key], `${at}.${key}`, problems);
      }
      for (const [key, shape] of Object.entries(optional)) {
        if (key in record) shape.check(record[key], `${at}.${key}`, problems);
      }
      if (options.open !== true) {
        for (const key of Object.keys(record)) {
          if (!(key in required) && !(key in optional)) problems.push(`${at}.${key}: not part of the contract`);
        }
      }
    },
  };
}

function describe(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'an object';
  return JSON.stringify(value);
}
