/**
 * What the schema checks share between run time (`schema-check.ts`) and the
 * ahead-of-time compilation of `npm run schema` (`scripts/config-schema.ts`,
 * which writes `validators.generated.ts`): the ajv options, the custom keywords
 * and how a schema document is prepared. Both compile from here, so the
 * precompiled verdicts and the run-time explanations check the same things.
 */
import type { KeywordCxt, KeywordDefinition, Options } from 'ajv';
import { Opaque } from './plain-view';

/**
 * ajv's code template tag. ajv is loaded when a validator is compiled (an
 * explanation of a refused value, or `npm run schema`), not with the library:
 * a synthesis whose configuration conforms never loads it.
 */
function codeTag(): (typeof import('ajv'))['_'] {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return (require('ajv') as typeof import('ajv'))._;
}

type Schema = { readonly [keyword: string]: unknown };

/**
 * The options both validators share. `verbose`, `allErrors` and `messages`
 * are added for the run-time one, which explains a problem; the precompiled
 * one only answers whether the value conforms.
 */
export const SHARED_OPTIONS: Options = { discriminator: true, strict: false, allowUnionTypes: true };

/**
 * The keywords of the generated schemas beyond JSON Schema. They are code
 * keywords, so ajv's standalone compilation can write them out: the generated
 * module imports `Opaque` from `./plain-view` under that name.
 */
export const CUSTOM_KEYWORDS: readonly KeywordDefinition[] = [
  {
    // A class-made value (`Storage.persistent(...)`): an instance of the class, by name.
    keyword: 'instanceOf',
    schemaType: 'string',
    code(cxt: KeywordCxt) {
      const _ = codeTag();
      const opaque = cxt.gen.scopeValue('keyword', { ref: Opaque, code: _`Opaque` });
      cxt.fail(_`!(${cxt.data} instanceof ${opaque} && ${cxt.data}.classNames.includes(${cxt.schema}))`);
    },
  },
  // The class's factories, for the error text only.
  { keyword: 'factories', schemaType: 'array' },
  {
    // Plain data where the schema describes an object or list: a class instance there is an error.
    keyword: 'plainData',
    schemaType: 'boolean',
    code(cxt: KeywordCxt) {
      const _ = codeTag();
      const opaque = cxt.gen.scopeValue('keyword', { ref: Opaque, code: _`Opaque` });
      cxt.fail(_`${cxt.data} instanceof ${opaque}`);
    },
  },
];

/**
 * The environment schema as it is checked: `plainData` on every object that
 * is not a class, since there a class instance (a `Map`, a `Date`) is an
 * error, not an object without keys.
 */
export function withPlainData(schema: Schema): Schema {
  const visit = (node: unknown): unknown => {
    if (Array.isArray(node)) return node.map(visit);
    if (node === null || typeof node !== 'object') return node;
    const out: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(node)) {
      if (DATA.has(key) || key === 'default') out[key] = value;
      else if (SCHEMA_MAPS.has(key) && value !== null && typeof value === 'object') {
        // A setting may be called `default` or `enum`: a map's names are not keywords.
        out[key] = Object.fromEntries(Object.entries(value).map(([name, child]) => [name, visit(child)]));
      } else out[key] = visit(value);
    }
    if (out.type === 'object' || out.type === 'array') out.plainData = true;
    return out;
  };
  return visit(schema) as Schema;
}

/**
 * `required`, except of a class instance: the precompiled props validators'
 * form of the lenient check (`findSchemaProblem`), where a handle may be any
 * object implementing its interface, so an instance is not held to the
 * interface's keys. See {@link withLenientRequired} for where it stands.
 */
export const LENIENT_REQUIRED: KeywordDefinition = {
  keyword: 'requiredUnlessOpaque',
  type: 'object',
  schemaType: 'array',
  code(cxt: KeywordCxt) {
    const _ = codeTag();
    const opaque = cxt.gen.scopeValue('keyword', { ref: Opaque, code: _`Opaque` });
    const keys = cxt.schema as readonly string[];
    if (keys.length === 0) return;
    const missing = keys.map((key) => _`${cxt.data}[${key}] === undefined`).reduce((a, b) => _`${a} || ${b}`);
    cxt.fail(_`!(${cxt.data} instanceof ${opaque}) && (${missing})`);
  },
};

/**
 * A props document for the lenient check: `required` becomes
 * `requiredUnlessOpaque` wherever that gives the same verdict as the lenient
 * check, which drops the `required` errors of a class instance and keeps every
 * other. Inside a union (`anyOf`, `oneOf`), and in every definition a union
 * reaches, a dropped `required` error still fails its branch, so there
 * `required` stays: a verdict that is too strict is only slower (the
 * explaining validator runs), never wrong.
 */
export function withLenientRequired(document: Schema): Schema {
  const definitions = (document.definitions ?? {}) as Record<string, unknown>;
  const refs = (node: unknown, into: string[]): void => {
    if (Array.isArray(node)) node.forEach((n) => refs(n, into));
    else if (node !== null && typeof node === 'object') {
      for (const [key, value] of Object.entries(node)) {
        if (key === '$ref' && typeof value === 'string') into.push(value.replace('#/definitions/', ''));
        else if (!DATA.has(key) && key !== 'default') refs(value, into);
      }
    }
  };
  // The definitions a union reaches, directly or through other definitions.
  const pending: string[] = [];
  const findUnions = (node: unknown): void => {
    if (Array.isArray(node)) node.forEach(findUnions);
    else if (node !== null && typeof node === 'object') {
      for (const [key, value] of Object.entries(node)) {
        if (key === 'anyOf' || key === 'oneOf') refs(value, pending);
        if (!DATA.has(key) && key !== 'default') findUnions(value);
      }
    }
  };
  findUnions(definitions);
  const inUnions = new Set<string>();
  while (pending.length > 0) {
    const name = pending.pop()!;
    if (inUnions.has(name)) continue;
    inUnions.add(name);
    refs(definitions[name], pending);
  }
  const visit = (node: unknown, inUnion: boolean): unknown => {
    if (Array.isArray(node)) return node.map((n) => visit(n, inUnion));
    if (node === null || typeof node !== 'object') return node;
    const out: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(node)) {
      if (DATA.has(key) || key === 'default') out[key] = value;
      else if (SCHEMA_MAPS.has(key) && value !== null && typeof value === 'object') {
        out[key] = Object.fromEntries(Object.entries(value).map(([name, child]) => [name, visit(child, inUnion)]));
      } else if (key === 'required' && !inUnion) out.requiredUnlessOpaque = value;
      else out[key] = visit(value, inUnion || key === 'anyOf' || key === 'oneOf');
    }
    return out;
  };
  return {
    ...document,
    definitions: Object.fromEntries(Object.entries(definitions).map(([name, definition]) => [name, visit(definition, inUnions.has(name))])),
  };
}

/** The keywords that only describe: an answer of "conforms or not" needs none of them. */
const ANNOTATIONS = new Set(['$comment', 'default', 'deprecated', 'description', 'examples', 'factories', 'title']);
/** Keywords whose value maps names (of properties, definitions) to schemas. */
const SCHEMA_MAPS = new Set(['definitions', 'properties', 'patternProperties']);
/** Keywords whose value is data, not a schema. */
const DATA = new Set(['const', 'enum']);

/**
 * A schema without its annotations (descriptions, defaults): the same checks,
 * and no text in the code ajv writes for it. Property names are kept whatever
 * they are (a setting may be called `description`).
 */
export function withoutAnnotations(schema: Schema): Schema {
  const visit = (node: unknown): unknown => {
    if (Array.isArray(node)) return node.map(visit);
    if (node === null || typeof node !== 'object') return node;
    const out: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(node)) {
      if (ANNOTATIONS.has(key)) continue;
      if (DATA.has(key)) out[key] = value;
      else if (SCHEMA_MAPS.has(key) && value !== null && typeof value === 'object') {
        out[key] = Object.fromEntries(Object.entries(value).map(([name, child]) => [name, visit(child)]));
      } else out[key] = visit(value);
    }
    return out;
  };
  return visit(schema) as Schema;
}
