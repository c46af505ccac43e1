/**
 * Property tests of the config boundary (fast-check, fixed seed, printed):
 * random valid configs are accepted and synthesize strictly valid,
 * deterministic output with no secret; random mutations of a valid config (a
 * key misspelt, a value of the wrong type, out of range, removed, duplicated)
 * give one ConfigError that names the mutated path.
 */
import assert from 'node:assert/strict';
import * as fs from 'fs';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { dev, prod, staging } from '../../../../environments';
import environmentSchema from '../../../../lib/platform/config-boundary/environment.schema.json';
import { formatPath } from '../../../../lib/platform/config-boundary/plain-view';
import { EnvironmentConfig } from '../../../../stacks/environment';
import { ConfigError } from '../../../../lib/platform/errors';
import { detectSecret, scanForSecrets } from '../../../../lib/platform/secret-detector';
import { parseEmbedded } from '../../../../lib/platform/config-boundary/tree-checks';
import { validateEnvironment } from '../../../../stacks/validate-environment';
import { synthEnvironment } from '../../../support/synth';
import { assertValidManifests } from '../../../support/validate';
import { assertValidConstraints, isConstraint } from '../../security/constraints';
import { copyPlain, mutated } from './support';

/** The seed of every property here; set FC_SEED to replay another. */
const SEED = Number(process.env.FC_SEED ?? 20261204);
const BASES: readonly EnvironmentConfig[] = [dev, staging, prod];

type Schema = Record<string, any>;
type Path = (string | number)[];
const definitions = (environmentSchema as Schema).definitions as Record<string, Schema>;

/** The schema at a config path (following `$ref`, properties, items, records and the backend's discriminator). */
function schemaAt(config: unknown, path: Path): Schema | undefined {
  let schema: Schema | undefined = { $ref: '#/definitions/EnvironmentConfig' };
  let value: any = config;
  const resolve = (s: Schema | undefined): Schema | undefined => {
    while (s && typeof s.$ref === 'string') s = definitions[s.$ref.replace('#/definitions/', '')];
    if (s?.oneOf && s.discriminator) return resolve(s.oneOf.map((b: Schema) => resolve(b)).find((b: Schema) => b?.properties?.[s!.discriminator.propertyName]?.const === value?.[s!.discriminator.propertyName]));
    return s;
  };
  for (const segment of path) {
    schema = resolve(schema);
    if (!schema) return undefined;
    if (typeof segment === 'number') schema = schema.items;
    else schema = schema.properties?.[segment] ?? (typeof schema.additionalProperties === 'object' ? schema.additionalProperties : undefined);
    value = value?.[segment];
  }
  return resolve(schema);
}

/** Every path to plain data in `config` (class instances are leaves). */
function paths(config: unknown): Array<{ path: Path; value: unknown }> {
  const out: Array<{ path: Path; value: unknown }> = [];
  const visit = (value: unknown, path: Path): void => {
    out.push({ path, value });
    if (Array.isArray(value)) value.forEach((v, i) => visit(v, [...path, i]));
    else if (value !== null && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
      for (const [k, v] of Object.entries(value)) visit(v, [...path, k]);
    }
  };
  visit(config, []);
  return out;
}

function at(root: any, path: Path): any {
  return path.reduce((v, s) => v?.[s], root);
}

/** A mutation of a valid config and the path its error must name. */
interface Mutation {
  readonly kind: string;
  readonly expectedPath: string;
  readonly apply: (config: Record<string, any>) => void;
}

/** The mutations that apply to `config`, of every kind. */
function mutationsOf(config: EnvironmentConfig): Mutation[] {
  const out: Mutation[] = [];
  for (const { path, value } of paths(config)) {
    const schema = schemaAt(config, path);
    if (!schema) continue;
    const parent = path.slice(0, -1);
    const key = path[path.length - 1];
    // A key misspelt: an unknown key next to the known ones.
    if (schema.type === 'object' && schema.properties && value !== null && typeof value === 'object') {
      for (const known of Object.keys(value as object)) {
        const misspelt = `${known}x`;
        if (schema.properties[misspelt]) continue;
        out.push({
          kind: 'misspelt',
          expectedPath: formatPath([...path, misspelt]),
          apply: (c) => {
            const target = at(c, path);
            target[misspelt] = target[known];
            delete target[known];
          },
        });
      }
      // Removed: each required key.
      for (const required of schema.required ?? []) {
        if (!(required in (value as object))) continue;
        out.push({ kind: 'removed', expectedPath: formatPath([...path, required]), apply: (c) => delete at(c, path)[required] });
      }
    }
    // A value of the wrong type, for a plain leaf with a single type.
    if (typeof key === 'string' && ['string', 'number', 'boolean'].includes(schema.type) && schema.enum === undefined && schema.const === undefined) {
      const wrong = schema.type === 'string' ? 42 : schema.type === 'number' ? '42' : 'yes';
      out.push({ kind: 'wrong type', expectedPath: formatPath(path), apply: (c) => (at(c, parent)[key] = wrong) });
    }
    // Out of range: replicas and the retry limit far beyond their bounds.
    if (typeof value === 'number' && typeof key === 'string' && /replicas$|^limit$|^backoffFactor$|^nodes$/i.test(key)) {
      out.push({ kind: 'out of range', expectedPath: formatPath(path), apply: (c) => (at(c, parent)[key] = 1e9) });
    }
    // Duplicated: an entry of a list of named entries, added again.
    if (Array.isArray(value) && value.length > 0 && value.every((v) => v !== null && typeof v === 'object' && typeof (v as { name?: unknown }).name === 'string')) {
      out.push({ kind: 'duplicated', expectedPath: formatPath([...path, value.length, 'name']), apply: (c) => at(c, path).push(copyPlain(at(c, path)[0])) });
    }
  }
  return out;
}

const validConfig = fc
  .record({
    base: fc.constantFrom(...BASES),
    replicas: fc.integer({ min: 2, max: 5 }),
    limit: fc.integer({ min: 0, max: 10 }),
    backoff: fc.constantFrom('5s', '10s', '30s'),
    maxBackoff: fc.constantFrom('1m', '3m', '10m'),
    factor: fc.integer({ min: 1, max: 4 }),
    labels: fc.dictionary(fc.stringMatching(/^[a-z][a-z0-9-]{0,10}[a-z0-9]$/), fc.stringMatching(/^[a-z0-9]([a-z0-9._-]{0,20}[a-z0-9])?$/), { maxKeys: 3 }),
  })
  .map(({ base, replicas, limit, backoff, maxBackoff, factor, labels }) =>
    mutated(base, (c) => {
      c.sizing.controllerReplicas = replicas;
      c.syncPolicy.retry = { ...c.syncPolicy.retry, limit, backoffDuration: backoff, backoffMaxDuration: maxBackoff, backoffFactor: factor };
      c.labels = { ...(c.labels ?? {}), ...Object.fromEntries(Object.entries(labels).map(([k, v]) => [`example.com/${k}`, v])) };
    }),
  );

describe(`config boundary properties (fast-check seed ${SEED}; FC_SEED replays another)`, () => {
  it('random valid configs are accepted', () => {
    fc.assert(
      fc.property(validConfig, (config) => {
        validateEnvironment(config);
      }),
      { seed: SEED, numRuns: 60 },
    );
  });

  it('random valid configs synthesize strictly valid, deterministic output with no secret', () => {
    fc.assert(
      fc.property(validConfig, (config) => {
        const first = synthEnvironment(config);
        const second = synthEnvironment(config);
        try {
          assert.deepEqual([...second.files.entries()], [...first.files.entries()], 'the tree differs between two synths');
          assert.equal(JSON.stringify(second.tf), JSON.stringify(first.tf), 'the Terraform JSON differs between two synths');
          // Gatekeeper constraints are validated against their own ConstraintTemplates' parameter schemas.
          const all = first.objects.map((o) => o.object);
          assertValidManifests(all.filter((o) => !isConstraint(o)), config.name);
          assertValidConstraints(all.filter((o) => isConstraint(o)), all.filter((o) => o.kind === 'ConstraintTemplate'), config.name);
          assert.deepEqual(scanForSecrets(first.tf, parseEmbedded), []);
          assert.deepEqual(first.objects.flatMap((o) => scanForSecrets(o.object, parseEmbedded)), []);
        } finally {
          for (const r of [first, second]) fs.rmSync(r.directory, { recursive: true, force: true });
        }
      }),
      { seed: SEED, numRuns: 2 },
    );
  });

  it('random mutations give one ConfigError naming the mutated path', () => {
    const pool = new Map(BASES.flatMap((base) => mutationsOf(base).map((m) => [`${base.name}: ${m.kind} at ${m.expectedPath}`, { base, m }] as const)));
    const kinds = new Set([...pool.values()].map((p) => p.m.kind));
    assert.deepEqual([...kinds].sort(), ['duplicated', 'misspelt', 'out of range', 'removed', 'wrong type']);
    fc.assert(
      fc.property(fc.constantFrom(...pool.keys()), (label) => {
        const { base, m } = pool.get(label)!;
        const config = mutated(base, m.apply);
        const name = typeof config.name === 'string' ? config.name : '(unnamed)';
        assert.throws(
          () => validateEnvironment(config),
          (error: unknown) => {
            assert.ok(error instanceof ConfigError, `${m.kind} at ${m.expectedPath}: expected a ConfigError, got ${String(error)}`);
            assert.ok(
              error.message.startsWith(`Environment "${name}": ${m.expectedPath} is `),
              `${m.kind} at ${m.expectedPath}: the message names another path: ${error.message}`,
            );
            return true;
          },
        );
      }),
      { seed: SEED, numRuns: 150 },
    );
  });

  it('the secret detector finds for a value at a config path what it finds at the path from its last key on', () => {
    // It keeps its answer per last key, so a path and its tail must be answered alike; a last key with no name
    // character (all `.[]"`) takes its name from the keys before it, and has no tail of its own to compare.
    const tail = (p: (string | number)[]): string | undefined => {
      let last = p.length - 1;
      while (last > 0 && typeof p[last] !== 'string') last--;
      const own = formatPath(p.slice(last));
      return /[^.[\]"]/.test(own.replace(/(\[\d+\])+$/, '')) ? own : undefined;
    };
    const key = fc.oneof(
      fc.constantFrom('password', 'adminPassword', 'token', 'apiKey', 'secretName', 'passwordSecretRef', 'image', 'name', 'env', 'value'),
      fc.constantFrom('app.kubernetes.io/name', 'db.password', 'x[0]', '.', '"', '[]', '.password', 'token.', 'a"b', ''),
      fc.string({ unit: fc.constantFrom(...'ab.[]"/-_0Pp'.split('')), maxLength: 6 }),
    );
    const path = fc.array(fc.oneof(key, fc.nat(30)), { minLength: 1, maxLength: 6 });
    const value = fc.constantFrom('hunter2hunter2', 'Zm9vYmFyYmF6cXV4MTIz9xQ', 'plain', '${var.db_password}', 'true', '', 'ghp_' + 'a1B2'.repeat(9), 'https://u:p4ss@example.com/x');
    fc.assert(
      fc.property(path, value, (p, v) => {
        const own = tail(p);
        if (own !== undefined) assert.deepEqual(detectSecret(v, own), detectSecret(v, formatPath(p)), `${formatPath(p)} -> ${own}`);
      }),
      { seed: SEED, numRuns: 2000 },
    );
  });
});
