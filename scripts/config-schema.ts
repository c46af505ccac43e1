/**
 * Generates the JSON Schemas of the configuration boundary from the TypeScript
 * types, so the types stay the one definition of every knob:
 *
 * - `lib/platform/config-boundary/environment.schema.json`: `EnvironmentConfig`
 *   as exported by `lib/index.ts` (wherever it is defined);
 * - `lib/platform/config-boundary/props.schema.json`: every exported `*Props`
 *   type whose construct checks its props at run time (see `checkProps`).
 *
 * Every object is closed (`additionalProperties: false`). A class type (a
 * `Storage`, an `AdminAccount`) becomes `{ "instanceOf": "<Class>" }` with the
 * class's static factories, since such values are made by those factories and
 * not written as plain data. A union of objects told apart by one string field
 * (the backends' `type`) becomes a `oneOf` with a `discriminator`, so an error
 * names the field of the branch that was meant.
 *
 * - `lib/platform/config-boundary/validators.generated.ts`: ajv's standalone
 *   code of both schemas, compiled ahead of time: whether the environment and
 *   each checked props type conforms. Compiling the environment schema at run
 *   time took a quarter of a second per process; only a value that does not
 *   conform now compiles the validator that explains why.
 *
 * `npm run schema` rewrites the files; `npm run schema -- --check` exits 1 when
 * they are stale (the test suite runs the same comparison).
 */
import * as fs from 'fs';
import * as path from 'path';
import Ajv from 'ajv';
import standaloneCode from 'ajv/dist/standalone';
import * as ts from 'typescript';
import {
  BaseType,
  CompletedConfig,
  Context,
  InterfaceAndClassNodeParser,
  NodeParser,
  UnionType,
  createFormatter,
  createParser,
  DEFAULT_CONFIG,
  Definition,
  SchemaGenerator,
  SubNodeParser,
  SubTypeFormatter,
} from 'ts-json-schema-generator';
import { CUSTOM_KEYWORDS, LENIENT_REQUIRED, SHARED_OPTIONS, withLenientRequired, withoutAnnotations, withPlainData } from '../lib/platform/config-boundary/ajv-setup';

/** A value made by a class (a `Storage`, a `Platform`): checked by class, not by shape. */
class ClassInstanceType extends BaseType {
  constructor(
    readonly className: string,
    readonly factories: readonly string[],
  ) {
    super();
  }
  getId(): string {
    return `class-instance-${this.className}`;
  }
}

/**
 * Parses a class declaration as a {@link ClassInstanceType}. A class with
 * public behaviour (methods, getters) is only ever an instance; a data class
 * (public fields only, such as `NotificationService`) may also be given as
 * plain data of its public shape, as a JSON- or YAML-loaded config does.
 */
class ClassInstanceParser implements SubNodeParser {
  private readonly shapes: InterfaceAndClassNodeParser;
  constructor(typeChecker: ts.TypeChecker, chain: NodeParser) {
    this.shapes = new InterfaceAndClassNodeParser(typeChecker, chain, false);
  }
  supportsNode(node: ts.Node): boolean {
    return ts.isClassDeclaration(node) && node.name !== undefined;
  }
  createType(node: ts.Node, context: Context): BaseType {
    const declaration = node as ts.ClassDeclaration;
    const instance = new ClassInstanceType(declaration.name!.text, staticFactories(declaration));
    return hasBehaviour(declaration) ? instance : new UnionType([instance, this.shapes.createType(declaration, context)]);
  }
}

/** Whether a class has public instance methods or accessors (so plain data cannot stand in for it). */
function hasBehaviour(node: ts.ClassDeclaration): boolean {
  if (node.heritageClauses?.some((h) => h.token === ts.SyntaxKind.ExtendsKeyword)) return true;
  return node.members.some((m) => {
    if (!ts.isMethodDeclaration(m) && !ts.isGetAccessorDeclaration(m) && !ts.isSetAccessorDeclaration(m)) return false;
    const mods = ts.getModifiers(m) ?? [];
    const hidden = mods.some((x) => x.kind === ts.SyntaxKind.StaticKeyword || x.kind === ts.SyntaxKind.PrivateKeyword || x.kind === ts.SyntaxKind.ProtectedKeyword);
    return !hidden && !(m.name !== undefined && ts.isPrivateIdentifier(m.name));
  });
}

class ClassInstanceFormatter implements SubTypeFormatter {
  supportsType(type: BaseType): boolean {
    return type instanceof ClassInstanceType;
  }
  getDefinition(type: BaseType): Definition {
    const t = type as ClassInstanceType;
    return { instanceOf: t.className, ...(t.factories.length > 0 ? { factories: [...t.factories] } : {}) } as Definition;
  }
  getChildren(): BaseType[] {
    return [];
  }
}

/** The public static methods of a class (its factories: `Storage.persistent`, `AdminAccount.disabled`). */
function staticFactories(node: ts.ClassDeclaration): string[] {
  return node.members
    .filter((m) => ts.isMethodDeclaration(m) || ts.isGetAccessorDeclaration(m))
    .filter((m) => {
      const mods = ts.getModifiers(m as ts.MethodDeclaration) ?? [];
      return mods.some((x) => x.kind === ts.SyntaxKind.StaticKeyword) && !mods.some((x) => x.kind === ts.SyntaxKind.PrivateKeyword || x.kind === ts.SyntaxKind.ProtectedKeyword);
    })
    .map((m) => (m.name as ts.Identifier).text)
    .filter((name) => name !== 'of' && !name.startsWith('is'))
    .sort();
}

const ROOT = path.resolve(__dirname, '..');
const ENTRY = path.join(ROOT, 'lib', 'index.ts');
export const SCHEMA_DIRECTORY = path.join(ROOT, 'lib', 'platform', 'config-boundary');
export const ENVIRONMENT_SCHEMA_FILE = path.join(SCHEMA_DIRECTORY, 'environment.schema.json');
export const PROPS_SCHEMA_FILE = path.join(SCHEMA_DIRECTORY, 'props.schema.json');
export const VALIDATORS_FILE = path.join(SCHEMA_DIRECTORY, 'validators.generated.ts');

type Schema = Record<string, unknown>;

/**
 * The props types whose constructs check them at run time (`checkProps`): the
 * module roots, the stack and platform, and the constructs the READMEs show.
 * A construct that calls `checkProps` with a type missing here fails its tests.
 */
export const CHECKED_PROPS = [
  'AlertProps',
  'AlertRoutingProps',
  'AppProjectProps',
  'ApplicationProps',
  'ApplicationSetProps',
  'ArgoCdProps',
  'ChartInstallProps',
  'ClusterRegistrationProps',
  'ClusterSecretStoreProps',
  'DeliveryProps',
  'FluxProps',
  'FluxSyncProps',
  'FluxTenantProps',
  'GitOpsStackProps',
  'GitRepositoryProps',
  'GrafanaDashboardProps',
  'HelmReleaseProps',
  'HelmRepositoryProps',
  'ImagePolicyProps',
  'ImageRepositoryProps',
  'ImageUpdateAutomationProps',
  'ImageUpdatePolicyProps',
  'ImageUpdaterProps',
  'JenkinsXProps',
  'KustomizationProps',
  'MonitoringProps',
  'NotificationTemplateProps',
  'NotificationsConfigProps',
  'OCIRepositoryProps',
  'PlatformProps',
  'PrometheusRuleProps',
  'ProviderProps',
  'RbacPolicyProps',
  'ReceiverProps',
  'RecoveryProps',
  'RolloutProps',
  'SealedSecretProps',
  'SecurityProps',
  'ServiceLevelObjectiveProps',
  'TeamProps',
] as const;

function walk(value: unknown, visit: (node: Schema) => void): void {
  if (Array.isArray(value)) {
    for (const item of value) walk(item, visit);
  } else if (value !== null && typeof value === 'object') {
    visit(value as Schema);
    for (const child of Object.values(value)) walk(child, visit);
  }
}

/** Discriminated unions become `oneOf` + `discriminator`. */
function postProcess(definitions: Record<string, Schema>): void {
  const resolve = (s: Schema): Schema => {
    let current = s;
    while (typeof current.$ref === 'string') current = definitions[current.$ref.replace('#/definitions/', '')];
    return current;
  };
  walk(definitions, (node) => {
    // A function type (a callback a module hands another): checked as a function, not by its arguments' shape.
    if (typeof node.$comment === 'string' && node.$comment.includes('=>') && (node.properties as Schema | undefined)?.namedArgs !== undefined) {
      delete node.properties;
      delete node.type;
      delete node.required;
      delete node.additionalProperties;
      node.instanceOf = 'Function';
      return;
    }
    const branches = node.anyOf as Schema[] | undefined;
    if (!Array.isArray(branches) || branches.length < 2) return;
    const resolved = branches.map(resolve);
    if (!resolved.every((b) => b.type === 'object' && b.properties)) return;
    const tags = Object.keys((resolved[0].properties as Schema) ?? {}).filter((key) =>
      resolved.every((b) => {
        const prop = (b.properties as Record<string, Schema>)[key];
        return prop !== undefined && typeof prop.const === 'string' && ((b.required as string[]) ?? []).includes(key);
      }),
    );
    if (tags.length !== 1) return;
    delete node.anyOf;
    node.type = 'object';
    node.required = [tags[0]];
    node.discriminator = { propertyName: tags[0] };
    node.oneOf = branches;
  });
}

/** Sorted keys, so the files are stable whatever order the generator emits. */
function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.keys(value)
      .sort()
      .map((key) => [key, sortKeys((value as Record<string, unknown>)[key])]),
  );
}

/**
 * The precompiled validators of the two schemas (their JSON texts) as a
 * TypeScript module: one export per schema checked at run time, `environment`
 * and each of {@link CHECKED_PROPS}, returning whether a value (the plain view
 * `schema-check.ts` makes of it) conforms. Without annotations and with the
 * first error only, the code stays small; `schema-check.ts` explains a problem
 * with a validator it compiles from the schema files.
 */
export function generateValidators(environment: string, props: string): string {
  const ajv = new Ajv({ ...SHARED_OPTIONS, inlineRefs: false, messages: false, code: { source: true, esm: true, lines: true } });
  for (const keyword of [...CUSTOM_KEYWORDS, LENIENT_REQUIRED]) ajv.addKeyword(keyword);
  ajv.addSchema(withPlainData(withoutAnnotations(JSON.parse(environment))), 'environment');
  // Props are checked leniently (handles may be any object implementing their interface).
  ajv.addSchema(withLenientRequired(withoutAnnotations(JSON.parse(props))), 'props');
  const exports: Record<string, string> = { environment: 'environment' };
  for (const type of CHECKED_PROPS) exports[type] = `props#/definitions/${type}`;
  const code = standaloneCode(ajv, exports).replace(/^"use strict";\n?/, '');
  return [
    '// @ts-nocheck',
    '// Generated by `npm run schema` (scripts/config-schema.ts) from environment.schema.json and',
    '// props.schema.json with ajv\'s standalone code; do not edit. Each export tells whether a value',
    '// conforms to the environment or a props type; schema-check.ts explains a value that does not.',
    '/* eslint-disable */',
    "import { Opaque } from './plain-view';",
    '',
    code.trimEnd(),
    '',
  ].join('\n');
}

/** The generated files' contents: the two schemas and their precompiled validators. */
export function generateSchemas(): { environment: string; props: string; validators: string } {
  const tsconfig = ts.readConfigFile(path.join(ROOT, 'tsconfig.json'), ts.sys.readFile);
  const parsed = ts.parseJsonConfigFileContent(tsconfig.config, ts.sys, ROOT);
  const program = ts.createProgram([ENTRY], { ...parsed.options, noEmit: true });
  const config: CompletedConfig = {
    ...DEFAULT_CONFIG,
    path: ENTRY,
    skipTypeCheck: true,
    additionalProperties: false,
    expose: 'export',
    topRef: true,
    jsDoc: 'extended',
    sortProps: true,
    functions: 'comment',
  };
  const parser = createParser(program, config, (chain) => chain.addNodeParser(new ClassInstanceParser(program.getTypeChecker(), chain as unknown as NodeParser)));
  const formatter = createFormatter(config, (chain) => chain.addTypeFormatter(new ClassInstanceFormatter()));
  const generator = new SchemaGenerator(program, parser, formatter, config);

  const build = (types: readonly string[]): string => {
    const definitions: Record<string, Schema> = {};
    for (const type of types) {
      let schema: Schema;
      try {
        schema = generator.createSchema(type) as Schema;
      } catch (error) {
        throw new Error(`${type}: ${(error as Error).message}`);
      }
      for (const [name, definition] of Object.entries((schema.definitions ?? {}) as Record<string, Schema>)) {
        definitions[name] = definition;
      }
    }
    postProcess(definitions);
    // GitOpsStack checks its environment with validateEnvironment (the environment schema) before its
    // props: its props schema leaves that field to it instead of compiling the whole config a second time.
    const stackEnvironment = (definitions.GitOpsStackProps?.properties as Record<string, Schema> | undefined)?.environment;
    if (stackEnvironment) {
      delete stackEnvironment.$ref;
      stackEnvironment.$comment = 'EnvironmentConfig, checked by validateEnvironment against environment.schema.json';
    }
    const doc = {
      $comment: 'Generated by `npm run schema` from the TypeScript types; do not edit.',
      $schema: 'http://json-schema.org/draft-07/schema#',
      definitions,
      ...(types.length === 1 ? { $ref: `#/definitions/${types[0]}` } : {}),
    };
    return `${JSON.stringify(sortKeys(doc), null, 2)}\n`;
  };
  const environment = build(['EnvironmentConfig']);
  const props = build(CHECKED_PROPS);
  return { environment, props, validators: generateValidators(environment, props) };
}

function main(): void {
  const check = process.argv.includes('--check');
  const { environment, props, validators } = generateSchemas();
  const stale: string[] = [];
  for (const [file, content] of [
    [ENVIRONMENT_SCHEMA_FILE, environment],
    [PROPS_SCHEMA_FILE, props],
    [VALIDATORS_FILE, validators],
  ] as const) {
    const current = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '';
    if (current === content) continue;
    if (check) stale.push(path.relative(ROOT, file));
    else fs.writeFileSync(file, content);
  }
  if (stale.length > 0) {
    process.stderr.write(`Stale: ${stale.join(', ')}. Run \`npm run schema\` and commit the result.\n`);
    process.exitCode = 1;
  }
}

if (require.main === module) main();
