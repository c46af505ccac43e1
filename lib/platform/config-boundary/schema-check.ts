/**
 * Checks configuration values against the JSON Schemas generated from the
 * TypeScript types (`npm run schema`) and turns the first problem into one
 * {@link ConfigError} that names where, the path, the value (redacted when it
 * looks secret), the fix and, for an unknown key, the known key it was
 * probably meant to be.
 */
import type Ajv from 'ajv';
import type { ErrorObject, ValidateFunction } from 'ajv';
import { ConfigError, DescribedValue } from '../errors';
import { CUSTOM_KEYWORDS, SHARED_OPTIONS, withPlainData } from './ajv-setup';
import { didYouMean } from './did-you-mean';
import { formatPath, Opaque, plainView, valueAt } from './plain-view';
import * as precompiled from './validators.generated';

type Schema = { readonly [keyword: string]: unknown };

/** The schema documents (`npm run schema`). */
interface SchemaDocuments {
  readonly environment: Schema;
  readonly props: Schema;
}

let documents: SchemaDocuments | undefined;

/**
 * The schema documents, read on first use: the precompiled verdicts need
 * neither them nor ajv, and only explaining a refused value does (both are
 * large: building them cost every synthesis time and memory).
 */
function schemaDocuments(): SchemaDocuments {
  if (!documents) {
    /* eslint-disable @typescript-eslint/no-require-imports */
    documents = {
      environment: require('./environment.schema.json') as Schema,
      props: require('./props.schema.json') as Schema,
    };
    /* eslint-enable @typescript-eslint/no-require-imports */
  }
  return documents;
}

/** One problem found by a schema check. */
export interface SchemaProblem {
  /** The path of the offending value (`monitoring.alerting.warning[0].authPassword`); empty for the root. */
  readonly path: string;
  /** The offending value, as given. */
  readonly value: unknown;
  /** What to do. */
  readonly fix: string;
}

/** The precompiled verdicts (`npm run schema`): the environment's and each checked props type's. */
const PRECOMPILED = precompiled as unknown as Readonly<Record<string, ((data: unknown) => boolean) | undefined>>;

/**
 * Whether `view` conforms, by the validator `npm run schema` compiled ahead of
 * time; undefined when there is none for the type. Conforming is the usual
 * case and costs no compilation.
 */
export function conforms(document: 'environment' | 'props', type: string | undefined, view: unknown): boolean | undefined {
  const name = document === 'environment' ? 'environment' : type;
  if (name === undefined || !Object.prototype.hasOwnProperty.call(PRECOMPILED, name)) return undefined;
  return PRECOMPILED[name]!(view);
}

let ajv: Ajv | undefined;
const compiled = new Map<string, ValidateFunction>();

/** How many explaining validators this process has compiled (each costs compile time). */
export function explainersCompiled(): number {
  return compiled.size;
}

/**
 * The validator that explains a problem (every error, with its schema), compiled
 * on first use: only a value the precompiled verdict refuses (or a type without
 * one) pays for it.
 */
function validator(document: 'environment' | 'props', type?: string): ValidateFunction {
  const key = `${document}:${type ?? ''}`;
  let fn = compiled.get(key);
  if (fn) return fn;
  if (!ajv) {
    // Each explaining validator runs a few times per process at most: compiling is the cost, so the
    // generated code is not optimised (the same checks, in a third less compile time).
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { default: AjvClass } = require('ajv') as typeof import('ajv');
    ajv = new AjvClass({ ...SHARED_OPTIONS, allErrors: true, verbose: true, code: { optimize: false } });
    for (const keyword of CUSTOM_KEYWORDS) ajv.addKeyword(keyword);
    const { environment, props } = schemaDocuments();
    ajv.addSchema(withPlainData(environment), 'environment');
    ajv.addSchema(props, 'props');
  }
  fn = ajv.getSchema(type === undefined ? document : `${document}#/definitions/${type}`);
  if (!fn) throw new Error(`No schema for ${type ?? document}: run \`npm run schema\`.`);
  compiled.set(key, fn);
  return fn;
}

/** Whether the props schema describes `type` (a `*Props` type listed in scripts/config-schema.ts). */
export function hasPropsSchema(type: string): boolean {
  return Object.prototype.hasOwnProperty.call(schemaDocuments().props.definitions, type);
}

/** The schema of a definition, following `$ref`s. */
function resolve(schema: Schema | undefined, document: Schema): Schema | undefined {
  let current = schema;
  for (let i = 0; current && typeof current.$ref === 'string' && i < 16; i++) {
    const name = (current.$ref as string).replace('#/definitions/', '');
    current = (document.definitions as Record<string, Schema>)[name];
  }
  return current;
}

const TYPE_WORDS: Record<string, string> = {
  string: 'a string',
  number: 'a number',
  integer: 'a whole number',
  boolean: 'true or false',
  array: 'a list',
  object: 'an object',
  null: 'null',
};

/** A schema in words: `a string`, `one of "a", "b"`, `a Storage (Storage.persistent(...), ...)`. */
function describeSchema(schema: Schema | undefined, document: Schema, depth = 0): string {
  const s = resolve(schema, document);
  if (!s || depth > 3) return 'a valid value';
  if (typeof s.instanceOf === 'string') return describeClass(s);
  if (s.const !== undefined) return JSON.stringify(s.const);
  if (Array.isArray(s.enum)) return `one of ${s.enum.map((v) => JSON.stringify(v)).join(', ')}`;
  const branches = (s.anyOf ?? s.oneOf) as Schema[] | undefined;
  if (Array.isArray(branches)) return branches.map((b) => describeSchema(b, document, depth + 1)).join(' or ');
  const type = s.type;
  if (Array.isArray(type)) return type.map((t) => TYPE_WORDS[t as string] ?? String(t)).join(' or ');
  if (typeof type === 'string') {
    if (type === 'array' && s.items) {
      const item = describeSchema(s.items as Schema, document, depth + 1);
      return /^an? [a-z]+$/i.test(item) ? `a list of ${item.replace(/^an? /, '')}s` : `a list, each ${item}`;
    }
    if (type === 'object' && s.properties === undefined && typeof s.additionalProperties === 'object') {
      const item = describeSchema(s.additionalProperties as Schema, document, depth + 1);
      return /^an? [a-z]+$/i.test(item) ? `a map of names to ${item.replace(/^an? /, '')}s` : `a map of names, each to ${item}`;
    }
    return TYPE_WORDS[type] ?? type;
  }
  return 'a valid value';
}

function describeClass(s: Schema): string {
  const factories = (s.factories as string[] | undefined) ?? [];
  const made = factories.length > 0 ? ` made with ${factories.map((f) => `${s.instanceOf as string}.${f}(...)`).join(' or ')}` : '';
  return `a ${s.instanceOf as string}${made}`;
}

/** JSON-pointer segments of an ajv `instancePath`, numbers for list indexes. */
function segments(instancePath: string, view: unknown): (string | number)[] {
  if (instancePath === '') return [];
  const out: (string | number)[] = [];
  let current: unknown = view;
  for (const raw of instancePath.slice(1).split('/')) {
    const key = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    const segment = Array.isArray(current) && /^\d+$/.test(key) ? Number(key) : key;
    out.push(segment);
    current = current !== null && typeof current === 'object' ? (current as Record<string | number, unknown>)[segment] : undefined;
  }
  return out;
}

interface Candidate {
  readonly segments: (string | number)[];
  readonly value: unknown;
  readonly fix: string;
  readonly rank: number;
}

const RANK: Record<string, number> = {
  plain: 0,
  plainData: 0,
  additionalProperties: 1,
  discriminator: 2,
  required: 3,
  anyOf: 4,
  oneOf: 4,
  instanceOf: 5,
  enum: 6,
  const: 7,
  type: 8,
};

function candidateOf(error: ErrorObject, view: unknown, input: unknown, document: Schema, typeName: string | undefined): Candidate | undefined {
  const at = segments(error.instancePath, view);
  const data = valueAt(view, at);
  const parent = error.parentSchema as Schema | undefined;
  const rank = RANK[error.keyword] ?? 9;
  const original = (path: (string | number)[]): unknown => {
    const v = valueAt(input, path);
    return v;
  };
  if (data instanceof Opaque && error.keyword !== 'instanceOf' && error.keyword !== 'type' && error.keyword !== 'anyOf' && error.keyword !== 'oneOf') {
    const expected = describeSchema(parent, document).replace(/^an object$/, 'an object literal');
    return { segments: at, value: data.value, fix: `Use plain data (${expected}), not a ${data.classNames[0] ?? 'class instance'}.`, rank: RANK.plain };
  }
  switch (error.keyword) {
    case 'additionalProperties': {
      const key = (error.params as { additionalProperty: string }).additionalProperty;
      const known = Object.keys((parent?.properties as object | undefined) ?? {});
      const suggestion = didYouMean(key, known);
      const where = at.length === 0 ? (typeName ? `of ${typeName}` : 'at the top level') : `of ${formatPath(at)}`;
      const hint = suggestion !== undefined ? ` Did you mean "${suggestion}"?` : '';
      const list = known.length > 0 ? ` Known settings ${where}: ${known.sort().join(', ')}.` : ` ${formatPath(at) || 'It'} takes no settings.`;
      return { segments: [...at, key], value: original([...at, key]), fix: `Unknown setting: it would be ignored.${hint}${list}`, rank };
    }
    case 'required': {
      const key = (error.params as { missingProperty: string }).missingProperty;
      const given = (parent?.properties as Record<string, Schema> | undefined)?.[key];
      const property = resolve(given, document);
      const text = given?.description ?? property?.description;
      const description = typeof text === 'string' ? `: ${lowerFirst(text.replace(/\.$/, ''))}` : '';
      const tag = Object.entries((parent?.properties as Record<string, Schema> | undefined) ?? {}).find(([, p]) => typeof p.const === 'string');
      const owner = at.length > 0 ? String(at[at.length - 1]) : 'environment';
      const shape = describeSchema(property, document);
      const lead = tag ? `The ${tag[1].const as string} ${owner} needs ${key}, ${shape}` : `Set it to ${shape}`;
      return { segments: [...at, key], value: undefined, fix: `${lead}${description}.`, rank };
    }
    case 'discriminator': {
      const params = error.params as { tag: string; tagValue: unknown };
      const branches = ((parent?.oneOf as Schema[] | undefined) ?? []).map((b) => resolve(b, document));
      const known = [...new Set(branches.flatMap((b) => Object.keys((b?.properties as object | undefined) ?? {})))].sort();
      const unknown = data !== null && typeof data === 'object' ? Object.keys(data).filter((k) => !known.includes(k)) : [];
      if (params.tagValue === undefined && unknown.length > 0) {
        // The tag is missing and an unknown key stands there: most likely the tag, misspelt.
        const key = unknown.find((k) => didYouMean(k, [params.tag]) !== undefined) ?? unknown[0];
        const suggestion = didYouMean(key, known);
        return {
          segments: [...at, key],
          value: original([...at, key]),
          fix: `Unknown setting: it would be ignored.${suggestion !== undefined ? ` Did you mean "${suggestion}"?` : ''} Known settings of ${formatPath(at)}: ${known.join(', ')}.`,
          rank: RANK.additionalProperties,
        };
      }
      const values = branches.map((b) => ((b?.properties as Record<string, Schema> | undefined)?.[params.tag]?.const)).filter((v) => v !== undefined);
      return { segments: [...at, params.tag], value: params.tagValue, fix: `Use one of ${values.map((v) => JSON.stringify(v)).join(', ')}.`, rank };
    }
    case 'instanceOf':
      return { segments: at, value: original(at), fix: `Use ${describeClass(parent ?? {})}.`, rank };
    default: {
      const expected = describeSchema(parent, document);
      const fix = ['minimum', 'maximum', 'exclusiveMinimum', 'exclusiveMaximum', 'minLength', 'maxLength', 'pattern', 'minItems', 'maxItems'].includes(error.keyword)
        ? `Use a value that ${error.message ?? 'fits'}.`
        : `Use ${expected}.`;
      const shown = data instanceof Opaque ? data.value : original(at);
      return { segments: at, value: shown, fix, rank };
    }
  }
}

/**
 * The first problem of `input` against the environment schema (`type`
 * undefined) or a props type, or undefined when it conforms. Class instances
 * are accepted where the type names their class; in `lenient` mode (props,
 * whose handles may be any object implementing an interface) also where an
 * interface is expected.
 */
export function findSchemaProblem(
  input: unknown,
  options: { readonly document: 'environment' | 'props'; readonly type?: string; readonly lenient?: boolean },
): SchemaProblem | undefined {
  const { view, problem } = plainView(input, { allowFunctions: options.lenient });
  if (problem) return { path: formatPath(problem.path), value: new DescribedValue(problem.what), fix: problem.fix };
  if (conforms(options.document, options.type, view)) return undefined;
  const validate = validator(options.document, options.type);
  if (validate(view)) return undefined;
  const document = schemaDocuments()[options.document];
  const candidates: Candidate[] = [];
  for (const error of validate.errors ?? []) {
    const data = valueAt(view, segments(error.instancePath, view));
    if (options.lenient && data instanceof Opaque && ['required', 'additionalProperties', 'properties'].includes(error.keyword)) continue;
    const candidate = candidateOf(error, view, input, document, options.type);
    if (candidate) candidates.push(candidate);
  }
  if (candidates.length === 0) return undefined;
  candidates.sort((a, b) => b.segments.length - a.segments.length || a.rank - b.rank);
  const first = candidates[0];
  return { path: formatPath(first.segments), value: first.value, fix: first.fix };
}

/** Throws a {@link ConfigError} at the first problem of an environment against the generated schema. */
export function checkEnvironmentSchema(input: unknown): void {
  const name = input !== null && typeof input === 'object' && typeof (input as { name?: unknown }).name === 'string' ? (input as { name: string }).name : '(unnamed)';
  if (input === null || typeof input !== 'object' || Array.isArray(input)) {
    throw new ConfigError(`Environment "${name}"`, 'environment', input, 'Pass an EnvironmentConfig object (see environments/dev.ts).');
  }
  const problem = findSchemaProblem(input, { document: 'environment' });
  if (problem) throw new ConfigError(`Environment "${name}"`, problem.path || 'environment', problem.value, problem.fix);
}

/** `text` with its first letter lowercased, unless it starts an acronym (`SOPS`, `URL`). */
function lowerFirst(text: string): string {
  return /^[A-Z][a-z]/.test(text) ? text[0].toLowerCase() + text.slice(1) : text;
}
