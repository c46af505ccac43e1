/**
 * Strict validator for synthesized Kubernetes manifests, used by the tests.
 *
 *   validateManifest(obj)            -> readable problems ([] = valid)
 *   assertValidManifests(objs, label) -> throws one error listing every problem
 *
 * Custom resources are validated against the CRD copies in `schemas/crds/` (the version's
 * `openAPIV3Schema`, compiled with Ajv), made strict the way the API server's pruning is:
 * an object schema without `x-kubernetes-preserve-unknown-fields` or `additionalProperties`
 * rejects fields it does not declare. `x-kubernetes-int-or-string`, `nullable`,
 * `x-kubernetes-embedded-resource`, `x-kubernetes-list-type` (set/map uniqueness) and the
 * CEL rules of `x-kubernetes-validations` are enforced. Go RE2 `(?i)` flags in `pattern`
 * are translated: the `(?i)` markers are removed and the whole pattern is matched
 * case-insensitively (slightly looser than RE2 when the flag sits inside a group).
 *
 * Core kinds (see CORE_KINDS) are validated structurally from the model metadata that
 * `@kubernetes/client-node` ships: unknown field, wrong primitive type, missing required
 * field, malformed quantity / base64 / RFC 3339 value. It knows no enums and no
 * cross-field rules (e.g. selector vs template labels).
 *
 * For every kind: metadata is checked as ObjectMeta (field names, DNS names, label and
 * annotation syntax, no server-populated fields), and `status` must not be set.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import Ajv, { type ErrorObject, type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { celEnv, isCelError, parse, plan, type CelInput } from '@bufbuild/cel';
import { strings } from '@bufbuild/cel/ext';
import { parseAllDocuments } from 'yaml';

// ---------------------------------------------------------------------------------------
// Common types and helpers
// ---------------------------------------------------------------------------------------

type JsonObject = { [key: string]: unknown };
type Schema = { [key: string]: unknown };

const PROJECT_ROOT = resolve(__dirname, '..', '..');
const CRD_ROOT = join(PROJECT_ROOT, 'schemas', 'crds');
const CACHE_DIR = join(PROJECT_ROOT, 'node_modules', '.cache', 'manifest-validator');
const CACHE_VERSION = '1';

function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  return typeof value;
}

function fieldPath(base: string, key: string | number): string {
  if (typeof key === 'number') return `${base}[${key}]`;
  const part = /^[A-Za-z_$][\w$-]*$/.test(key) ? key : JSON.stringify(key);
  return base === '' ? part : `${base}.${part}`;
}

function at(path: string): string {
  return path === '' ? '(root)' : path;
}

// ---------------------------------------------------------------------------------------
// Names, labels, annotations, ObjectMeta
// ---------------------------------------------------------------------------------------

type NameRule = 'dns-subdomain' | 'dns-label' | 'dns-1035-label' | 'path-segment';

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS_1035_LABEL = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const QUALIFIED_NAME = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;
const CONFIG_KEY = /^[-._a-zA-Z0-9]+$/;

function nameProblem(name: string, rule: NameRule): string | undefined {
  switch (rule) {
    case 'dns-label':
      return name.length <= 63 && DNS_LABEL.test(name) ? undefined : 'must be a DNS-1123 label (lower case alphanumerics and "-", at most 63)';
    case 'dns-1035-label':
      return name.length <= 63 && DNS_1035_LABEL.test(name)
        ? undefined
        : 'must be a DNS-1035 label (start with a letter; lower case alphanumerics and "-", at most 63)';
    case 'dns-subdomain':
      return name.length <= 253 && DNS_SUBDOMAIN.test(name)
        ? undefined
        : 'must be a DNS-1123 subdomain (lower case alphanumerics, "-" and ".", at most 253)';
    case 'path-segment':
      return name !== '.' && name !== '..' && !/[/%]/.test(name) && name.length > 0 ? undefined : 'must be a valid path segment (no "/" or "%")';
  }
}

function qualifiedNameProblem(key: string): string | undefined {
  const slash = key.indexOf('/');
  const prefix = slash >= 0 ? key.slice(0, slash) : undefined;
  const name = slash >= 0 ? key.slice(slash + 1) : key;
  if (prefix !== undefined && (prefix.length > 253 || !DNS_SUBDOMAIN.test(prefix))) return 'prefix must be a DNS-1123 subdomain';
  if (name.length === 0 || name.length > 63 || !QUALIFIED_NAME.test(name)) {
    return 'must be a qualified name (alphanumerics, "-", "_", "." with an optional DNS prefix and "/"; name part at most 63)';
  }
  return undefined;
}

const META_FIELDS = new Set(['name', 'generateName', 'namespace', 'labels', 'annotations', 'finalizers', 'ownerReferences']);
const SERVER_META_FIELDS = new Set([
  'uid',
  'resourceVersion',
  'generation',
  'creationTimestamp',
  'deletionTimestamp',
  'deletionGracePeriodSeconds',
  'managedFields',
  'selfLink',
]);
const OWNER_REF_FIELDS: Record<string, 'string' | 'boolean'> = {
  apiVersion: 'string',
  kind: 'string',
  name: 'string',
  uid: 'string',
  controller: 'boolean',
  blockOwnerDeletion: 'boolean',
};

interface MetaContext {
  /** The object's own metadata (name required), as opposed to a template's or an embedded one. */
  readonly root: boolean;
  readonly nameRule: NameRule;
  readonly clusterScoped?: boolean;
}

function checkStringMap(value: unknown, path: string, problems: string[], checkValue: (v: string) => string | undefined): void {
  if (!isObject(value)) {
    problems.push(`${path}: must be an object of strings (got ${describe(value)})`);
    return;
  }
  for (const [key, v] of Object.entries(value)) {
    const p = fieldPath(path, key);
    const keyProblem = qualifiedNameProblem(key);
    if (keyProblem) problems.push(`${p}: invalid key: ${keyProblem}`);
    if (typeof v !== 'string') problems.push(`${p}: must be a string (got ${describe(v)})`);
    else {
      const valueProblem = checkValue(v);
      if (valueProblem) problems.push(`${p}: ${valueProblem}`);
    }
  }
}

/** Validates an ObjectMeta. */
export function checkObjectMeta(meta: unknown, path: string, ctx: MetaContext): string[] {
  const problems: string[] = [];
  if (meta === undefined) {
    if (ctx.root) problems.push(`${at(path)}: metadata is required`);
    return problems;
  }
  if (!isObject(meta)) return [`${at(path)}: must be an object (got ${describe(meta)})`];
  for (const [key, value] of Object.entries(meta)) {
    const p = fieldPath(path, key);
    if (SERVER_META_FIELDS.has(key)) problems.push(`${p}: set by the API server, must not be in a manifest`);
    else if (!META_FIELDS.has(key)) problems.push(`${p}: unknown field`);
    else if (key === 'name' || key === 'generateName' || key === 'namespace') {
      if (typeof value !== 'string') problems.push(`${p}: must be a string (got ${describe(value)})`);
      else if (key === 'name') {
        const problem = nameProblem(value, ctx.nameRule);
        if (problem) problems.push(`${p}: "${value}" ${problem}`);
      } else if (key === 'namespace') {
        const problem = nameProblem(value, 'dns-label');
        if (problem) problems.push(`${p}: "${value}" ${problem}`);
        if (ctx.clusterScoped) problems.push(`${p}: must not be set on a cluster-scoped kind`);
      }
    } else if (key === 'labels') {
      checkStringMap(value, p, problems, (v) =>
        v.length <= 63 && LABEL_VALUE.test(v) ? undefined : `label value "${v}" must be at most 63 alphanumerics, "-", "_", "."`,
      );
    } else if (key === 'annotations') {
      checkStringMap(value, p, problems, () => undefined);
      if (isObject(value)) {
        const size = Object.entries(value).reduce((n, [k, v]) => n + k.length + (typeof v === 'string' ? v.length : 0), 0);
        if (size > 256 * 1024) problems.push(`${p}: total size ${size} exceeds 262144 bytes`);
      }
    } else if (key === 'finalizers') {
      if (!Array.isArray(value) || value.some((f) => typeof f !== 'string')) problems.push(`${p}: must be an array of strings`);
    } else if (key === 'ownerReferences') {
      checkOwnerReferences(value, p, problems);
    }
  }
  if (ctx.root && meta.name === undefined) problems.push(`${fieldPath(path, 'name')}: required field missing`);
  return problems;
}

function checkOwnerReferences(value: unknown, path: string, problems: string[]): void {
  if (!Array.isArray(value)) {
    problems.push(`${path}: must be an array (got ${describe(value)})`);
    return;
  }
  value.forEach((ref, i) => {
    const p = fieldPath(path, i);
    if (!isObject(ref)) {
      problems.push(`${p}: must be an object`);
      return;
    }
    for (const [key, v] of Object.entries(ref)) {
      const expected = OWNER_REF_FIELDS[key];
      if (!expected) problems.push(`${fieldPath(p, key)}: unknown field`);
      else if (typeof v !== expected) problems.push(`${fieldPath(p, key)}: must be a ${expected}`);
    }
    for (const key of ['apiVersion', 'kind', 'name', 'uid']) if (ref[key] === undefined) problems.push(`${fieldPath(p, key)}: required field missing`);
  });
}

// ---------------------------------------------------------------------------------------
// CRD loading: a cheap text index of schemas/crds/**, full parse on demand (disk-cached)
// ---------------------------------------------------------------------------------------

interface CrdVersion {
  readonly name: string;
  readonly served?: boolean;
  readonly schema?: { readonly openAPIV3Schema?: Schema };
}

interface Crd {
  readonly file: string;
  readonly group: string;
  readonly kind: string;
  readonly scope: string;
  readonly versions: readonly CrdVersion[];
}

let crdIndex: Map<string, string> | undefined;
const crdCache = new Map<string, Crd>();

function listYaml(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .sort((a, b) => a.name.localeCompare(b.name))
    .flatMap((e) => (e.isDirectory() ? listYaml(join(dir, e.name)) : /\.ya?ml$/.test(e.name) ? [join(dir, e.name)] : []));
}

function unquote(value: string): string {
  return value.trim().replace(/^(['"])(.*)\1$/, '$2');
}

/** `group/kind` -> CRD file, read from each file's `spec.group` and `spec.names.kind` lines. */
function getCrdIndex(): Map<string, string> {
  if (crdIndex) return crdIndex;
  const index = new Map<string, string>();
  for (const file of listYaml(CRD_ROOT)) {
    let group: string | undefined;
    let kind: string | undefined;
    let inNames = false;
    for (const line of readFileSync(file, 'utf8').split(/\r?\n/)) {
      if (line.startsWith('  group:')) group = unquote(line.slice(8));
      else if (line === '  names:') inNames = true;
      else if (inNames && !line.startsWith('    ')) inNames = false;
      else if (inNames && line.startsWith('    kind:')) kind = unquote(line.slice(9));
    }
    if (!group || !kind) throw new Error(`validate: cannot find spec.group / spec.names.kind in ${relative(PROJECT_ROOT, file)}`);
    index.set(`${group}/${kind}`, file);
  }
  crdIndex = index;
  return index;
}

/** Removes `description` from schema nodes (not from property names), recursively. */
function stripDocs(node: unknown): void {
  if (!isObject(node)) return;
  delete node.description;
  for (const key of ['properties', 'patternProperties']) {
    const props = node[key];
    if (isObject(props)) for (const child of Object.values(props)) stripDocs(child);
  }
  for (const key of ['items', 'additionalProperties', 'not']) stripDocs(node[key]);
  for (const key of ['allOf', 'anyOf', 'oneOf']) {
    const list = node[key];
    if (Array.isArray(list)) list.forEach(stripDocs);
  }
}

function parseCrdFile(file: string): Crd {
  const text = readFileSync(file, 'utf8');
  const cacheFile = join(CACHE_DIR, `${createHash('sha1').update(CACHE_VERSION).update(text).digest('hex')}.json`);
  if (existsSync(cacheFile)) {
    try {
      return JSON.parse(readFileSync(cacheFile, 'utf8')) as Crd;
    } catch {
      // unreadable cache entry: parse again below
    }
  }
  const docs = parseAllDocuments(text).filter((d) => d.contents !== null);
  const doc = docs[0];
  if (docs.length !== 1 || !doc) throw new Error(`validate: ${relative(PROJECT_ROOT, file)} must hold exactly one CRD`);
  if (doc.errors.length > 0) throw new Error(`validate: ${relative(PROJECT_ROOT, file)}: ${doc.errors[0]?.message ?? 'YAML error'}`);
  const raw = doc.toJS() as { spec?: { group?: string; scope?: string; names?: { kind?: string }; versions?: CrdVersion[] } };
  const spec = raw.spec ?? {};
  const versions = spec.versions ?? [];
  for (const v of versions) stripDocs(v.schema?.openAPIV3Schema);
  const crd: Crd = {
    file: relative(PROJECT_ROOT, file),
    group: spec.group ?? '',
    kind: spec.names?.kind ?? '',
    scope: spec.scope ?? 'Namespaced',
    versions,
  };
  try {
    mkdirSync(CACHE_DIR, { recursive: true });
    const tmp = `${cacheFile}.${process.pid}.tmp`;
    writeFileSync(tmp, JSON.stringify(crd));
    renameSync(tmp, cacheFile);
  } catch {
    // the cache is an optimisation only
  }
  return crd;
}

function loadCrd(group: string, kind: string): Crd | undefined {
  const key = `${group}/${kind}`;
  const cached = crdCache.get(key);
  if (cached) return cached;
  const file = getCrdIndex().get(key);
  if (!file) return undefined;
  const crd = parseCrdFile(file);
  if (crd.group !== group || crd.kind !== kind) {
    throw new Error(`validate: ${crd.file} declares ${crd.group}/${crd.kind}, the index said ${key}`);
  }
  crdCache.set(key, crd);
  return crd;
}

/** Every `group/kind` with a CRD under schemas/crds/. */
export function knownCustomKinds(): string[] {
  return [...getCrdIndex().keys()].sort();
}

// ---------------------------------------------------------------------------------------
// CEL rules (x-kubernetes-validations)
// ---------------------------------------------------------------------------------------

interface CelRule {
  readonly rule: string;
  readonly message?: string;
}

type CelProgram = (self: CelInput) => unknown;

interface CompiledRule {
  readonly rule: string;
  readonly message: string;
  readonly run: CelProgram;
  /** The (raw) schema node the rule is declared on: drives int/double conversion. */
  readonly schema: Schema;
}

export interface SkippedCelRule {
  readonly where: string;
  readonly rule: string;
  readonly reason: string;
}

/** Rules that could not be compiled with @bufbuild/cel, so are NOT enforced. */
export const skippedCelRules: SkippedCelRule[] = [];
/** Transition rules (they reference `oldSelf`): meaningless for a manifest, not enforced. */
export const transitionCelRules: SkippedCelRule[] = [];

const celEnvironment = celEnv({ funcs: strings });
/** Calls the planner handles itself (macros are expanded by the parser). */
const CEL_BUILTINS = new Set(['_&&_', '_||_', '_?_:_', '_[_]', '@not_strictly_false', '@in']);
const celFunctions = new Set<string>([...celEnvironment.funcs].map((f) => f.name));
const celCompileCache = new Map<string, { run?: CelProgram; reason?: string; transition?: boolean }>();

type CelExpr = ReturnType<typeof parse>['expr'];

function collectCel(expr: CelExpr | undefined, calls: Set<string>, idents: Set<string>): void {
  if (!expr) return;
  const kind = expr.exprKind;
  switch (kind.case) {
    case 'identExpr':
      idents.add(kind.value.name);
      break;
    case 'selectExpr':
      collectCel(kind.value.operand, calls, idents);
      break;
    case 'callExpr':
      calls.add(kind.value.function);
      collectCel(kind.value.target, calls, idents);
      kind.value.args.forEach((a) => collectCel(a, calls, idents));
      break;
    case 'listExpr':
      kind.value.elements.forEach((e) => collectCel(e, calls, idents));
      break;
    case 'structExpr':
      for (const entry of kind.value.entries) {
        if (entry.keyKind.case === 'mapKey') collectCel(entry.keyKind.value, calls, idents);
        collectCel(entry.value, calls, idents);
      }
      break;
    case 'comprehensionExpr':
      for (const part of [kind.value.iterRange, kind.value.accuInit, kind.value.loopCondition, kind.value.loopStep, kind.value.result]) {
        collectCel(part, calls, idents);
      }
      break;
    default:
      break;
  }
}

function compileCel(rule: string): { run?: CelProgram; reason?: string; transition?: boolean } {
  const cached = celCompileCache.get(rule);
  if (cached) return cached;
  let result: { run?: CelProgram; reason?: string; transition?: boolean };
  try {
    const parsed = parse(rule);
    const calls = new Set<string>();
    const idents = new Set<string>();
    collectCel(parsed.expr, calls, idents);
    const unsupported = [...calls].filter((c) => !celFunctions.has(c) && !CEL_BUILTINS.has(c));
    if (idents.has('oldSelf')) result = { transition: true };
    else if (unsupported.length > 0) result = { reason: `unsupported function(s): ${unsupported.sort().join(', ')}` };
    else {
      const program = plan(celEnvironment, parsed);
      result = { run: (self) => program({ self }) };
    }
  } catch (error) {
    result = { reason: `does not parse: ${(error as Error).message}` };
  }
  celCompileCache.set(rule, result);
  return result;
}

function schemaType(schema: Schema | undefined): string | undefined {
  return typeof schema?.type === 'string' ? schema.type : undefined;
}

/** JSON value -> CEL input: objects become Maps, integers (per the schema) BigInts. */
function toCel(value: unknown, schema: Schema | undefined): CelInput {
  if (value === null || typeof value === 'boolean' || typeof value === 'string') return value;
  if (typeof value === 'number') {
    const wantsInt = schemaType(schema) === 'integer' || schema?.['x-kubernetes-int-or-string'] === true;
    const wantsDouble = schemaType(schema) === 'number';
    return Number.isInteger(value) && (wantsInt || !wantsDouble) ? BigInt(value) : value;
  }
  if (Array.isArray(value)) {
    const items = isObject(schema?.items) ? (schema.items as Schema) : undefined;
    return value.map((v) => toCel(v, items));
  }
  if (isObject(value)) {
    const props = isObject(schema?.properties) ? (schema.properties as Record<string, Schema>) : {};
    const extra = isObject(schema?.additionalProperties) ? (schema.additionalProperties as Schema) : undefined;
    const map = new Map<string, CelInput>();
    for (const [k, v] of Object.entries(value)) map.set(k, toCel(v, props[k] ?? extra));
    return map;
  }
  return String(value);
}

const compiledRules: CompiledRule[] = [];

/** Compiles the rules of one schema node; returns their ids for the `k8sCel` keyword. */
function registerCelRules(rules: unknown, schema: Schema, where: string): number[] {
  if (!Array.isArray(rules)) return [];
  const ids: number[] = [];
  for (const entry of rules as CelRule[]) {
    if (!isObject(entry) || typeof entry.rule !== 'string') continue;
    const compiled = compileCel(entry.rule);
    if (compiled.transition) transitionCelRules.push({ where, rule: entry.rule, reason: 'references oldSelf' });
    else if (!compiled.run) skippedCelRules.push({ where, rule: entry.rule, reason: compiled.reason ?? 'unknown' });
    else {
      compiledRules.push({ rule: entry.rule, message: entry.message ?? entry.rule, run: compiled.run, schema });
      ids.push(compiledRules.length - 1);
    }
  }
  return ids;
}

function matchesType(data: unknown, schema: Schema): boolean {
  switch (schema.type) {
    case 'object':
      return isObject(data);
    case 'array':
      return Array.isArray(data);
    case 'string':
      return typeof data === 'string';
    case 'integer':
    case 'number':
      return typeof data === 'number';
    case 'boolean':
      return typeof data === 'boolean';
    default:
      return data !== null && data !== undefined;
  }
}

function evaluateCel(ids: number[], data: unknown): string[] {
  const failures: string[] = [];
  for (const id of ids) {
    const rule = compiledRules[id];
    // A value of the wrong type is already reported by the schema; null is "unset".
    if (!rule || !matchesType(data, rule.schema)) continue;
    const out = rule.run(toCel(data, rule.schema));
    if (isCelError(out)) failures.push(`CEL rule could not be evaluated (${out.message}): ${rule.rule}`);
    else if (out !== true) failures.push(rule.message === rule.rule ? `failed rule: ${rule.rule}` : `${rule.message} (rule: ${rule.rule})`);
  }
  return failures;
}

// ---------------------------------------------------------------------------------------
// CRD schema -> strict Ajv schema
// ---------------------------------------------------------------------------------------

/** Formats the API server checks; any other format is ignored by it, so here too. */
const KNOWN_FORMATS = new Set(['int32', 'int64', 'float', 'double', 'byte', 'date-time', 'date', 'uri', 'email', 'hostname', 'ipv4', 'ipv6', 'uuid', 'duration']);
const GO_DURATION = /^[-+]?((\d+(\.\d*)?|\.\d+)(ns|us|µs|μs|ms|s|m|h))+$|^[-+]?0$/;

/** Patterns that were dropped because they are not valid JavaScript (none expected). */
export const droppedPatterns: string[] = [];

function translatePattern(pattern: string, out: Schema): void {
  try {
    new RegExp(pattern, 'u');
    out.pattern = pattern;
    return;
  } catch {
    // Go RE2 syntax: handled below
  }
  if (pattern.includes('(?i)')) {
    const source = pattern.split('(?i)').join('');
    try {
      new RegExp(source, 'iu');
      out.k8sPatternI = source;
      return;
    } catch {
      // fall through
    }
  }
  droppedPatterns.push(pattern);
}

interface TransformContext {
  readonly where: string;
  /** Subtree fingerprint of every schema node (see fingerprint()). */
  readonly keys: Map<object, { key: string; size: number }>;
  /** Fingerprints of big subtrees that occur more than once: compiled once, as `$defs`. */
  readonly shared: Set<string>;
  readonly defs: Schema;
}

/** Fingerprints every node bottom-up (sha1 of its children's fingerprints) and sizes it. */
function fingerprint(node: unknown, keys: Map<object, { key: string; size: number }>): { key: string; size: number } {
  if (typeof node !== 'object' || node === null) return { key: JSON.stringify(node), size: 1 };
  const hit = keys.get(node);
  if (hit) return hit;
  const entries = Array.isArray(node) ? node.map((v, i) => [String(i), v] as const) : Object.entries(node);
  let size = 1;
  const hash = createHash('sha1').update(Array.isArray(node) ? '[' : '{');
  for (const [k, v] of entries) {
    const child = fingerprint(v, keys);
    size += child.size;
    hash.update(`${JSON.stringify(k)}:${child.key},`);
  }
  const result = { key: hash.digest('base64'), size };
  keys.set(node, result);
  return result;
}

/** Big object subtrees that repeat (an Application spec inside every ApplicationSet generator...). */
function sharedSubtrees(root: unknown, keys: Map<object, { key: string; size: number }>): Set<string> {
  fingerprint(root, keys);
  const counts = new Map<string, number>();
  const visit = (node: unknown): void => {
    if (!isObject(node)) return;
    const info = keys.get(node);
    if (info && info.size >= 40 && isObject(node.properties)) counts.set(info.key, (counts.get(info.key) ?? 0) + 1);
    if (isObject(node.properties)) Object.values(node.properties).forEach(visit);
    visit(node.items);
    visit(node.additionalProperties);
  };
  visit(root);
  return new Set([...counts].filter(([, n]) => n > 1).map(([key]) => key));
}

/**
 * Rewrites one structural-schema node for Ajv. `junctor` is true inside allOf/anyOf/oneOf/not,
 * where Kubernetes only allows value validations: no strictness is added there.
 */
function toAjv(node: unknown, ctx: TransformContext, path: string, junctor = false, asDef = false): Schema {
  if (!isObject(node)) return {};
  const key = junctor || asDef ? undefined : ctx.keys.get(node)?.key;
  if (key !== undefined && ctx.shared.has(key)) {
    const name = `s${key.replace(/[^A-Za-z0-9]/g, '_')}`;
    if (!(name in ctx.defs)) {
      ctx.defs[name] = {};
      ctx.defs[name] = toAjv(node, ctx, path, false, true);
    }
    return { $ref: `#/$defs/${name}` };
  }
  const out: Schema = {};
  const preserve = node['x-kubernetes-preserve-unknown-fields'] === true;
  const nullable = node.nullable === true;
  for (const [key, value] of Object.entries(node)) {
    switch (key) {
      case 'description':
      case 'default':
      case 'example':
      case 'nullable':
      case 'x-kubernetes-preserve-unknown-fields':
      case 'x-kubernetes-map-type':
      case 'x-kubernetes-list-map-keys':
      case 'x-kubernetes-embedded-resource':
        break;
      case 'x-kubernetes-int-or-string':
        out.k8sIntOrString = nullable ? 'nullable' : true;
        break;
      case 'x-kubernetes-list-type':
        if (value === 'set' || value === 'map') out.k8sListType = { type: value, keys: node['x-kubernetes-list-map-keys'] ?? [] };
        break;
      case 'x-kubernetes-validations':
        if (!junctor) {
          const ids = registerCelRules(value, node, `${ctx.where} ${at(path)}`);
          if (ids.length > 0) out.k8sCel = ids;
        }
        break;
      case 'pattern':
        if (typeof value === 'string') translatePattern(value, out);
        break;
      case 'format':
        if (typeof value === 'string' && KNOWN_FORMATS.has(value)) out.format = value === 'duration' ? 'go-duration' : value;
        break;
      case 'properties':
        if (isObject(value)) {
          const props: Schema = {};
          for (const [name, child] of Object.entries(value)) props[name] = toAjv(child, ctx, fieldPath(path, name), junctor);
          out.properties = props;
        }
        break;
      case 'items':
        out.items = toAjv(value, ctx, `${path}[]`, junctor);
        break;
      case 'additionalProperties':
        out.additionalProperties = typeof value === 'boolean' ? value : toAjv(value, ctx, `${path}{}`, junctor);
        break;
      case 'allOf':
      case 'anyOf':
      case 'oneOf':
        if (Array.isArray(value)) out[key] = value.map((v) => toAjv(v, ctx, path, true));
        break;
      case 'not':
        out.not = toAjv(value, ctx, path, true);
        break;
      case 'enum':
        out.enum = nullable && Array.isArray(value) && !value.includes(null) ? [...value, null] : value;
        break;
      default:
        out[key] = value;
    }
  }
  if (out.k8sIntOrString !== undefined) {
    delete out.type;
    delete out.anyOf;
  } else if (nullable && typeof out.type === 'string') out.type = [out.type, 'null'];
  if (node['x-kubernetes-embedded-resource'] === true && !junctor) {
    const props = (out.properties ?? {}) as Schema;
    out.properties = { ...props, apiVersion: { type: 'string', minLength: 1 }, kind: { type: 'string', minLength: 1 }, metadata: { k8sObjectMeta: true } };
    out.required = [...new Set([...((out.required as string[] | undefined) ?? []), 'apiVersion', 'kind'])];
  }
  const isObjectSchema = node.type === 'object' || (node.type === undefined && isObject(node.properties));
  if (!junctor && isObjectSchema && !preserve && node.additionalProperties === undefined) out.additionalProperties = false;
  return out;
}

function buildCrdSchema(crd: Crd, version: CrdVersion): Schema {
  const root = version.schema?.openAPIV3Schema ?? {};
  const keys = new Map<object, { key: string; size: number }>();
  const ctx: TransformContext = { where: `${crd.group}/${version.name} ${crd.kind}`, keys, shared: sharedSubtrees(root, keys), defs: {} };
  const schema = toAjv(root, ctx, '');
  schema.$defs = ctx.defs;
  const props = (schema.properties ?? {}) as Schema;
  // metadata and status are checked outside Ajv (checkObjectMeta, "status must not be set").
  schema.properties = { ...props, apiVersion: { type: 'string' }, kind: { type: 'string' }, metadata: {}, status: {} };
  schema.type = 'object';
  schema.additionalProperties = false;
  return schema;
}

// ---------------------------------------------------------------------------------------
// Ajv instance and keywords
// ---------------------------------------------------------------------------------------

type DataContext = { instancePath?: string } | undefined;
type KeywordFn<S> = ((schema: S, data: unknown, parentSchema?: unknown, dataCxt?: DataContext) => boolean) & {
  errors?: Array<Partial<ErrorObject>>;
};

/**
 * An Ajv keyword from a function returning messages. With `pathed`, the messages already
 * start with the full field path (computed from the instance path passed in).
 */
function keyword<S>(check: (schema: S, data: unknown, path: string) => string[], pathed = false): KeywordFn<S> {
  const fn: KeywordFn<S> = (schema, data, _parentSchema, dataCxt) => {
    const messages = check(schema, data, pointerToPath(dataCxt?.instancePath ?? ''));
    fn.errors = messages.map((message) => ({ keyword: 'k8s', message, params: { pathed } }));
    return messages.length === 0;
  };
  return fn;
}

function listKey(item: unknown, keys: readonly string[]): string {
  return isObject(item) ? JSON.stringify(keys.map((k) => item[k] ?? null)) : JSON.stringify(item);
}

function makeAjv(): Ajv {
  // inlineRefs: false compiles each shared subtree once; no `verbose` / `optimize`: compiling
  // the biggest CRDs takes half as long without them.
  const ajv = new Ajv({ allErrors: true, strict: false, unicodeRegExp: true, inlineRefs: false, code: { optimize: false } });
  addFormats(ajv);
  ajv.addFormat('go-duration', GO_DURATION);
  ajv.addKeyword({
    keyword: 'k8sIntOrString',
    errors: true,
    validate: keyword((mode: boolean | 'nullable', data) =>
      (typeof data === 'number' && Number.isInteger(data)) || typeof data === 'string' || (mode === 'nullable' && data === null)
        ? []
        : [`must be an integer or a string (got ${describe(data)})`],
    ),
  });
  ajv.addKeyword({
    keyword: 'k8sPatternI',
    errors: true,
    validate: keyword((source: string, data) =>
      typeof data !== 'string' || new RegExp(source, 'iu').test(data) ? [] : [`must match pattern "${source}" (case-insensitive)`],
    ),
  });
  ajv.addKeyword({
    keyword: 'k8sListType',
    errors: true,
    validate: keyword((spec: { type: 'set' | 'map'; keys: string[] }, data) => {
      if (!Array.isArray(data)) return [];
      const seen = new Set<string>();
      const dupes = new Set<string>();
      for (const item of data) {
        const key = spec.type === 'set' ? JSON.stringify(item) : listKey(item, spec.keys);
        if (seen.has(key)) dupes.add(key);
        seen.add(key);
      }
      const what = spec.type === 'set' ? 'value' : `key (${spec.keys.join(', ')})`;
      return [...dupes].map((d) => `duplicate list ${what}: ${d}`);
    }),
  });
  ajv.addKeyword({
    keyword: 'k8sObjectMeta',
    errors: true,
    validate: keyword((_: boolean, data, path) => checkObjectMeta(data, path, { root: false, nameRule: 'dns-subdomain' }), true),
  });
  ajv.addKeyword({
    keyword: 'k8sCel',
    errors: true,
    validate: keyword((ids: number[], data) => evaluateCel(ids, data)),
  });
  return ajv;
}

let ajvInstance: Ajv | undefined;
const crdValidators = new Map<string, ValidateFunction>();

function crdValidator(crd: Crd, version: CrdVersion): ValidateFunction {
  const key = `${crd.group}/${version.name}/${crd.kind}`;
  let validate = crdValidators.get(key);
  if (!validate) {
    ajvInstance ??= makeAjv();
    validate = ajvInstance.compile(buildCrdSchema(crd, version));
    crdValidators.set(key, validate);
  }
  return validate;
}

function pointerToPath(pointer: string): string {
  return pointerParts(pointer).reduce<string>((path, part) => fieldPath(path, /^\d+$/.test(part) ? Number(part) : part), '');
}

function pointerParts(pointer: string): string[] {
  return pointer === '' ? [] : pointer.slice(1).split('/').map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'));
}

/** The value at a JSON pointer. */
function dataAt(value: unknown, pointer: string): unknown {
  let node = value;
  for (const part of pointerParts(pointer)) {
    if (Array.isArray(node)) node = node[Number(part)];
    else if (isObject(node)) node = node[part];
    else return undefined;
  }
  return node;
}

/** The (transformed) schema node that applies at a JSON pointer, following local `$defs` refs. */
function schemaAt(root: Schema, pointer: string): Schema | undefined {
  const defs = isObject(root.$defs) ? root.$defs : {};
  const deref = (node: unknown): Schema | undefined => {
    if (!isObject(node)) return undefined;
    return typeof node.$ref === 'string' && node.$ref.startsWith('#/$defs/') ? deref(defs[node.$ref.slice(8)]) : node;
  };
  let node = deref(root);
  for (const part of pointerParts(pointer)) {
    if (!node) return undefined;
    if (node.items !== undefined && /^\d+$/.test(part)) node = deref(node.items);
    else if (isObject(node.properties) && part in node.properties) node = deref(node.properties[part]);
    else node = deref(node.additionalProperties);
  }
  return node;
}

function formatAjvError(error: ErrorObject, value: unknown, schema: Schema): string | undefined {
  const path = pointerToPath(error.instancePath);
  const params = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case 'k8s':
      return params.pathed === true ? error.message : `${at(path)}: ${error.message ?? 'is invalid'}`;
    case 'additionalProperties': {
      const parent = schemaAt(schema, error.instancePath);
      const allowed = isObject(parent?.properties) ? Object.keys(parent.properties) : [];
      const hint = allowed.length === 0 ? ' (no fields allowed here)' : allowed.length <= 15 ? ` (allowed: ${allowed.join(', ')})` : '';
      return `${fieldPath(path, String(params.additionalProperty))}: unknown field${hint}`;
    }
    case 'required':
      return `${fieldPath(path, String(params.missingProperty))}: required field missing`;
    case 'type':
      return `${at(path)}: must be ${String(params.type)} (got ${describe(dataAt(value, error.instancePath))})`;
    case 'enum':
      return `${at(path)}: must be one of ${JSON.stringify(params.allowedValues)} (got ${JSON.stringify(dataAt(value, error.instancePath))})`;
    default:
      return `${at(path)}: ${error.message ?? 'is invalid'}`;
  }
}

function ajvProblems(validate: ValidateFunction, value: unknown, problems: string[]): string[] {
  if (!validate(value)) {
    for (const error of validate.errors ?? []) {
      const message = formatAjvError(error, value, validate.schema as Schema);
      if (message && !problems.includes(message)) problems.push(message);
    }
  }
  return problems;
}

/**
 * Validates a value against one structural (CRD-style) schema, with the same strictness as
 * custom resources get. Not cached: meant for small schemas, e.g. in tests.
 */
export function validateAgainstSchema(openAPIV3Schema: object, value: unknown): string[] {
  const keys = new Map<object, { key: string; size: number }>();
  const ctx: TransformContext = { where: 'schema', keys, shared: sharedSubtrees(openAPIV3Schema, keys), defs: {} };
  const schema = toAjv(openAPIV3Schema, ctx, '');
  schema.$defs = ctx.defs;
  ajvInstance ??= makeAjv();
  return ajvProblems(ajvInstance.compile(schema), value, []);
}

function validateCustomResource(obj: JsonObject, crd: Crd, versionName: string): string[] {
  const version = crd.versions.find((v) => v.name === versionName);
  if (!version) {
    const known = crd.versions.map((v) => v.name).join(', ');
    return [`apiVersion: ${crd.group}/${versionName} is not a version of ${crd.kind} (known: ${known}; ${crd.file})`];
  }
  if (version.served === false) return [`apiVersion: ${crd.group}/${versionName} ${crd.kind} is not served by the API server (${crd.file})`];
  const problems = checkObjectMeta(obj.metadata, 'metadata', { root: true, nameRule: 'dns-subdomain', clusterScoped: crd.scope === 'Cluster' });
  return ajvProblems(crdValidator(crd, version), obj, problems);
}

// ---------------------------------------------------------------------------------------
// Core kinds: structural validation from @kubernetes/client-node model metadata
// ---------------------------------------------------------------------------------------

interface CoreKind {
  readonly model: string;
  readonly clusterScoped?: boolean;
  readonly nameRule?: NameRule;
}

/** `apiVersion/kind` -> client-node model. */
export const CORE_KINDS: Readonly<Record<string, CoreKind>> = {
  'v1/Namespace': { model: 'V1Namespace', clusterScoped: true, nameRule: 'dns-label' },
  'v1/ConfigMap': { model: 'V1ConfigMap' },
  'v1/Secret': { model: 'V1Secret' },
  'v1/Service': { model: 'V1Service', nameRule: 'dns-1035-label' },
  'v1/ServiceAccount': { model: 'V1ServiceAccount' },
  'v1/PersistentVolumeClaim': { model: 'V1PersistentVolumeClaim' },
  'v1/LimitRange': { model: 'V1LimitRange' },
  'v1/ResourceQuota': { model: 'V1ResourceQuota' },
  'v1/Pod': { model: 'V1Pod' },
  'apps/v1/Deployment': { model: 'V1Deployment' },
  'apps/v1/StatefulSet': { model: 'V1StatefulSet' },
  'apps/v1/DaemonSet': { model: 'V1DaemonSet' },
  'batch/v1/Job': { model: 'V1Job' },
  'batch/v1/CronJob': { model: 'V1CronJob' },
  'rbac.authorization.k8s.io/v1/Role': { model: 'V1Role', nameRule: 'path-segment' },
  'rbac.authorization.k8s.io/v1/RoleBinding': { model: 'V1RoleBinding', nameRule: 'path-segment' },
  'rbac.authorization.k8s.io/v1/ClusterRole': { model: 'V1ClusterRole', clusterScoped: true, nameRule: 'path-segment' },
  'rbac.authorization.k8s.io/v1/ClusterRoleBinding': { model: 'V1ClusterRoleBinding', clusterScoped: true, nameRule: 'path-segment' },
  'networking.k8s.io/v1/NetworkPolicy': { model: 'V1NetworkPolicy' },
  'networking.k8s.io/v1/Ingress': { model: 'V1Ingress' },
  'networking.k8s.io/v1/IngressClass': { model: 'V1IngressClass', clusterScoped: true },
  'policy/v1/PodDisruptionBudget': { model: 'V1PodDisruptionBudget' },
  'autoscaling/v2/HorizontalPodAutoscaler': { model: 'V2HorizontalPodAutoscaler' },
  'scheduling.k8s.io/v1/PriorityClass': { model: 'V1PriorityClass', clusterScoped: true },
  'storage.k8s.io/v1/StorageClass': { model: 'V1StorageClass', clusterScoped: true },
  'admissionregistration.k8s.io/v1/ValidatingWebhookConfiguration': { model: 'V1ValidatingWebhookConfiguration', clusterScoped: true },
  'admissionregistration.k8s.io/v1/MutatingWebhookConfiguration': { model: 'V1MutatingWebhookConfiguration', clusterScoped: true },
};

/** Fields whose OpenAPI type is `resource.Quantity` (client-node types them as plain strings). */
const QUANTITY_FIELDS = new Set([
  'V1ResourceRequirements.limits',
  'V1ResourceRequirements.requests',
  'V1VolumeResourceRequirements.limits',
  'V1VolumeResourceRequirements.requests',
  'V1EmptyDirVolumeSource.sizeLimit',
  'V1ResourceFieldSelector.divisor',
  'V1PodSpec.overhead',
  'V1ResourceQuotaSpec.hard',
  'V1LimitRangeItem._default',
  'V1LimitRangeItem.defaultRequest',
  'V1LimitRangeItem.max',
  'V1LimitRangeItem.min',
  'V1LimitRangeItem.maxLimitRequestRatio',
  'V2MetricTarget.averageValue',
  'V2MetricTarget.value',
]);
const QUANTITY = /^[+-]?(\d+(\.\d*)?|\.\d+)(([KMGTPE]i)|[numkMGTPE]|[eE][+-]?\d+)?$/;
const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/i;
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

interface ModelField {
  readonly name: string;
  readonly baseName: string;
  readonly type: string;
  readonly format: string;
}

interface Model {
  readonly fields: ReadonlyMap<string, ModelField & { readonly required: boolean }>;
}

let modelDir: string | undefined;
const models = new Map<string, Model>();

function getModelDir(): string {
  if (!modelDir) {
    const pkg = require.resolve('@kubernetes/client-node/package.json', { paths: [PROJECT_ROOT] });
    modelDir = join(dirname(pkg), 'dist', 'gen', 'models');
  }
  return modelDir;
}

/** Reads a model's attributeTypeMap (JSON in the generated .js) and required fields (.d.ts). */
function loadModel(name: string): Model {
  const cached = models.get(name);
  if (cached) return cached;
  const base = join(getModelDir(), name);
  const js = readFileSync(`${base}.js`, 'utf8');
  const match = /\.attributeTypeMap = (\[[\s\S]*?\n\]);/.exec(js);
  if (!match?.[1]) throw new Error(`validate: no attributeTypeMap in @kubernetes/client-node model ${name}`);
  const attributes = JSON.parse(match[1]) as ModelField[];
  const required = new Set<string>();
  for (const line of readFileSync(`${base}.d.ts`, 'utf8').split('\n')) {
    const prop = /^ {4}'([^']+)'(\?)?:/.exec(line);
    if (prop?.[1] && !prop[2]) required.add(prop[1]);
  }
  const fields = new Map(attributes.map((a) => [a.baseName, { ...a, required: required.has(a.name) }]));
  const model: Model = { fields };
  models.set(name, model);
  return model;
}

function checkScalar(value: unknown, type: string, format: string, quantity: boolean, path: string, problems: string[]): void {
  if (quantity) {
    if (typeof value === 'number' ? !Number.isFinite(value) : typeof value !== 'string' || !QUANTITY.test(value)) {
      problems.push(`${path}: must be a quantity such as "500m", "1Gi" or a number (got ${JSON.stringify(value)})`);
    }
    return;
  }
  switch (type) {
    case 'string':
      if (typeof value !== 'string') problems.push(`${path}: must be string (got ${describe(value)})`);
      else if (format === 'byte' && !BASE64.test(value)) problems.push(`${path}: must be base64-encoded`);
      return;
    case 'Date':
      if (typeof value !== 'string' || !RFC3339.test(value)) problems.push(`${path}: must be an RFC 3339 date-time string`);
      return;
    case 'boolean':
      if (typeof value !== 'boolean') problems.push(`${path}: must be boolean (got ${describe(value)})`);
      return;
    case 'number': {
      const integer = format === 'int32' || format === 'int64';
      if (typeof value !== 'number' || !Number.isFinite(value)) problems.push(`${path}: must be number (got ${describe(value)})`);
      else if (integer && !Number.isInteger(value)) problems.push(`${path}: must be an integer (got ${value})`);
      else if (format === 'int32' && (value < -2147483648 || value > 2147483647)) problems.push(`${path}: out of int32 range`);
      return;
    }
    case 'IntOrString':
      if (!(typeof value === 'string' || (typeof value === 'number' && Number.isInteger(value)))) {
        problems.push(`${path}: must be an integer or a string (got ${describe(value)})`);
      }
      return;
    case 'any':
      return;
    default:
      problems.push(`${path}: validator does not know client-node type "${type}"`);
  }
}

function checkCoreValue(value: unknown, type: string, format: string, quantity: boolean, path: string, problems: string[]): void {
  if (value === null) {
    problems.push(`${path}: must not be null`);
    return;
  }
  const array = /^Array<(.+)>$/.exec(type);
  const map = /^\{ \[key: string\]: (.+); \}$/.exec(type);
  if (array?.[1]) {
    if (!Array.isArray(value)) problems.push(`${path}: must be array (got ${describe(value)})`);
    else value.forEach((item, i) => checkCoreValue(item, array[1] as string, format, quantity, fieldPath(path, i), problems));
  } else if (map?.[1]) {
    if (!isObject(value)) problems.push(`${path}: must be object (got ${describe(value)})`);
    else for (const [k, v] of Object.entries(value)) checkCoreValue(v, map[1], format, quantity, fieldPath(path, k), problems);
  } else if (type === 'V1ObjectMeta') {
    problems.push(...checkObjectMeta(value, path, { root: false, nameRule: 'dns-subdomain' }));
  } else if (/^(\w+)?V\d\w*$/.test(type)) {
    checkCoreObject(value, type, path, problems);
  } else {
    checkScalar(value, type, format, quantity, path, problems);
  }
}

function checkCoreObject(value: unknown, modelName: string, path: string, problems: string[]): void {
  if (!isObject(value)) {
    problems.push(`${at(path)}: must be object (got ${describe(value)})`);
    return;
  }
  const model = loadModel(modelName);
  for (const [key, v] of Object.entries(value)) {
    const p = fieldPath(path, key);
    const field = model.fields.get(key);
    if (!field) {
      const allowed = [...model.fields.keys()];
      problems.push(`${p}: unknown field${allowed.length <= 15 ? ` (allowed: ${allowed.join(', ')})` : ''}`);
      continue;
    }
    checkCoreValue(v, field.type, field.format, QUANTITY_FIELDS.has(`${modelName}.${field.name}`), p, problems);
  }
  for (const field of model.fields.values()) {
    if (field.required && value[field.baseName] === undefined) problems.push(`${fieldPath(path, field.baseName)}: required field missing`);
  }
}

function checkDataKeys(obj: JsonObject, problems: string[]): void {
  for (const field of ['data', 'binaryData', 'stringData']) {
    const data = obj[field];
    if (!isObject(data)) continue;
    for (const key of Object.keys(data)) {
      if (key.length > 253 || !CONFIG_KEY.test(key)) problems.push(`${fieldPath(field, key)}: key must consist of alphanumerics, "-", "_" or "."`);
    }
  }
}

function validateCoreKind(obj: JsonObject, kind: CoreKind): string[] {
  const problems = checkObjectMeta(obj.metadata, 'metadata', {
    root: true,
    nameRule: kind.nameRule ?? 'dns-subdomain',
    clusterScoped: kind.clusterScoped === true,
  });
  const { metadata: _metadata, status: _status, ...rest } = obj;
  checkCoreObject(rest, kind.model, '', problems);
  if (kind.model === 'V1ConfigMap' || kind.model === 'V1Secret') checkDataKeys(obj, problems);
  return problems;
}

// ---------------------------------------------------------------------------------------
// Public API
// ---------------------------------------------------------------------------------------

/** Validates one manifest; returns readable problems, empty when valid. */
export function validateManifest(obj: unknown): string[] {
  if (!isObject(obj)) return [`manifest must be an object (got ${describe(obj)})`];
  const { apiVersion, kind } = obj;
  if (typeof apiVersion !== 'string' || apiVersion === '') return ['apiVersion: required (string)'];
  if (typeof kind !== 'string' || kind === '') return ['kind: required (string)'];
  const problems: string[] = [];
  if (obj.status !== undefined) problems.push('status: must not be set in a desired-state manifest');
  const core = CORE_KINDS[`${apiVersion}/${kind}`];
  if (core) return [...problems, ...validateCoreKind(obj, core)];
  const slash = apiVersion.indexOf('/');
  if (slash < 0) return [...problems, `${apiVersion}/${kind}: unknown kind (not a supported core kind and no CRD in schemas/crds)`];
  const crd = loadCrd(apiVersion.slice(0, slash), kind);
  if (!crd) return [...problems, `${apiVersion}/${kind}: unknown kind (not a supported core kind and no CRD in schemas/crds)`];
  return [...problems, ...validateCustomResource(obj, crd, apiVersion.slice(slash + 1))];
}

function objectId(obj: unknown, index: number): string {
  if (!isObject(obj)) return `#${index}`;
  const meta = isObject(obj.metadata) ? obj.metadata : {};
  const parts = [obj.kind, meta.namespace, meta.name].filter((p): p is string => typeof p === 'string' && p !== '');
  return parts.length > 0 ? parts.join('/') : `#${index}`;
}

/** Throws one error listing every problem of every object (and duplicate objects). */
export function assertValidManifests(objs: unknown[], label = 'manifests'): void {
  const report: string[] = [];
  const seen = new Map<string, number>();
  objs.forEach((obj, index) => {
    const problems = validateManifest(obj);
    if (isObject(obj)) {
      const meta = isObject(obj.metadata) ? obj.metadata : {};
      const identity = JSON.stringify([obj.apiVersion, obj.kind, meta.namespace ?? '', meta.name]);
      const first = seen.get(identity);
      if (first !== undefined) problems.push(`duplicate object (same apiVersion, kind, namespace and name as #${first})`);
      else seen.set(identity, index);
    }
    if (problems.length > 0) report.push(`  ${objectId(obj, index)} (#${index}):\n${problems.map((p) => `    - ${p}`).join('\n')}`);
  });
  if (report.length > 0) {
    throw new Error(`${label}: ${report.length} of ${objs.length} object(s) invalid:\n${report.join('\n')}`);
  }
}

/**
 * Compiles every CEL rule of every CRD in schemas/crds (all versions) without validating
 * anything, so that tests can check which rules are not enforced. Slow (parses every CRD).
 */
export function scanCelRules(): { total: number; enforced: number; transition: SkippedCelRule[]; skipped: SkippedCelRule[] } {
  let total = 0;
  let enforced = 0;
  const transition: SkippedCelRule[] = [];
  const skipped: SkippedCelRule[] = [];
  const visit = (node: unknown, where: string, path: string): void => {
    if (!isObject(node)) return;
    const rules = node['x-kubernetes-validations'];
    if (Array.isArray(rules)) {
      for (const entry of rules as CelRule[]) {
        total++;
        const compiled = compileCel(entry.rule);
        if (compiled.transition) transition.push({ where: `${where} ${at(path)}`, rule: entry.rule, reason: 'references oldSelf' });
        else if (!compiled.run) skipped.push({ where: `${where} ${at(path)}`, rule: entry.rule, reason: compiled.reason ?? 'unknown' });
        else enforced++;
      }
    }
    if (isObject(node.properties)) for (const [k, v] of Object.entries(node.properties)) visit(v, where, fieldPath(path, k));
    visit(node.items, where, `${path}[]`);
    visit(node.additionalProperties, where, `${path}{}`);
  };
  for (const key of knownCustomKinds()) {
    const [group, kind] = [key.slice(0, key.lastIndexOf('/')), key.slice(key.lastIndexOf('/') + 1)];
    const crd = loadCrd(group, kind);
    for (const version of crd?.versions ?? []) visit(version.schema?.openAPIV3Schema, `${group}/${version.name} ${kind}`, '');
  }
  return { total, enforced, transition, skipped };
}
