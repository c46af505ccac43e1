/**
 * `npm run seed-coverage`: how much of the seeds' Kubernetes examples the
 * shipped environments reproduce.
 *
 * Every example (a YAML document with `apiVersion` and `kind` in a seed's
 * code blocks, kept in test/scripts/fixtures/seed-examples/) is compared with
 * the objects of the same API group and kind in the shipped environments'
 * trees (every environment's `dist/<env>/` files, with what each delivery
 * overlay builds in place of the base files it builds from, and its bootstrap chart),
 * the namespaces their Terraform creates, and what the cluster makes from
 * them as modelled in `seed-coverage-model.ts` (the Secrets ExternalSecrets
 * write, the ConfigMaps the argo-cd chart renders from its values). A seed
 * Secret's `stringData` is compared as the `data` the API server stores.
 * An example's score is the share of its field paths that its best-matching
 * object has:
 * - a leaf counts when the object has the same path with an equal value;
 * - the organization's own names count when the path is present: fields
 *   that name an object, a namespace, a repository, a host, an image, a path
 *   in a repository, a revision or a project (see `NAMING_FIELDS`); so do
 *   values that are not literals (templates such as `{{cluster}}` or
 *   `${VAR}`, sealed or encrypted data). Every other value (settings:
 *   numbers, flags, intervals, strategies, labels, rules) must be equal;
 * - an empty map or list (`automated: {}`) counts when the object has one;
 * - a list of scalars counts per element the object's list also holds; a
 *   list of objects matches each element with the object's best element;
 * - `apiVersion` and `kind` are not scored: the match already needs the same
 *   group and kind, and versions follow the current APIs.
 * The overall figure and the per-kind figures are means over the examples.
 *
 * `npm run seed-coverage -- --extract <seeds dir>` rewrites the fixtures from
 * the seed texts (the examples only, with their source file and line).
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Testing } from 'cdktf';
import { parseAllDocuments } from 'yaml';
import { ENVIRONMENTS } from '../environments';
import { EnvironmentConfig } from '../stacks/environment';
import { GitOpsStack } from '../stacks/gitops-stack';
import { parseObjects, resolveDirectory } from '../lib/platform/deploy-model/inventory';
import { modelledObjects } from './seed-coverage-model';

type Json = Record<string, unknown>;

/** One Kubernetes example of a seed. */
export interface SeedExample {
  /** The seed file it comes from. */
  readonly seed: string;
  /** The line of the seed where it starts. */
  readonly line: number;
  /** The document's text, as the seed writes it. */
  readonly text: string;
  readonly object: Json;
}

/** An object of a shipped environment. */
export interface ShippedObject {
  readonly environment: string;
  readonly file: string;
  readonly object: Json;
}

/** The score of one example. */
export interface ExampleScore {
  readonly example: SeedExample;
  readonly kind: string;
  readonly paths: number;
  readonly matched: number;
  readonly score: number;
  /** The best match (`env:file`), if any object of the kind exists. */
  readonly match?: string;
  /** The field paths the best match misses. */
  readonly missing: readonly string[];
}

export const FIXTURE_DIR = path.resolve(__dirname, '../test/scripts/fixtures/seed-examples');
const HEADER = /^# (\S+\.txt) line (\d+)$/;

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const group = (apiVersion: unknown): string => (typeof apiVersion === 'string' && apiVersion.includes('/') ? apiVersion.split('/')[0] : '');
/** The kind with its API group, `argoproj.io/Application`, or `Secret` for the core group. */
export const kindOf = (o: Json): string => (group(o.apiVersion) ? `${group(o.apiVersion)}/${String(o.kind)}` : String(o.kind));

/** Extracts the Kubernetes examples of one seed text (```yaml blocks). */
export function extractExamples(seed: string, text: string): SeedExample[] {
  const out: SeedExample[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    if (!/^```ya?ml\s*$/.test(lines[i].trim())) continue;
    const start = i + 1;
    let end = start;
    while (end < lines.length && lines[end].trim() !== '```') end++;
    const indent = /^\s*/.exec(lines[i])![0].length;
    let block = lines.slice(start, end).map((l) => l.slice(Math.min(indent, /^\s*/.exec(l)![0].length)));
    // A block that starts with shell lines before its YAML: keep the YAML.
    const first = block.findIndex((l) => /^apiVersion:/.test(l));
    if (first < 0) {
      i = end;
      continue;
    }
    let offset = start;
    if (parseAllDocuments(block.join('\n')).some((d) => d.errors.length > 0)) {
      offset = start + first;
      block = block.slice(first);
    }
    // Split into documents, keeping each one's text and line.
    let docStart = 0;
    const flush = (docEnd: number): void => {
      const docLines = block.slice(docStart, docEnd);
      const body = docLines.join('\n').trim();
      if (body) {
        const doc = parseAllDocuments(body)[0];
        const object = doc && doc.errors.length === 0 ? doc.toJS() : undefined;
        if (isObject(object) && typeof object.apiVersion === 'string' && typeof object.kind === 'string') {
          const lead = docLines.findIndex((l) => l.trim() !== '');
          out.push({ seed, line: offset + docStart + lead + 1, text: docLines.slice(lead).join('\n').trimEnd(), object });
        }
      }
    };
    for (let j = 0; j < block.length; j++) {
      if (/^---\s*$/.test(block[j])) {
        flush(j);
        docStart = j + 1;
      }
    }
    flush(block.length);
    i = end;
  }
  return out;
}

/** Writes one fixture file per seed with its examples. */
export function writeFixtures(seedsDir: string, fixtureDir = FIXTURE_DIR): number {
  fs.mkdirSync(fixtureDir, { recursive: true });
  for (const f of fs.readdirSync(fixtureDir)) if (f.endsWith('.yaml')) fs.rmSync(path.join(fixtureDir, f));
  let count = 0;
  for (const file of fs.readdirSync(seedsDir).filter((f) => f.endsWith('.txt')).sort()) {
    const examples = extractExamples(file, fs.readFileSync(path.join(seedsDir, file), 'utf8'));
    if (examples.length === 0) continue;
    const body = examples.map((e) => `# ${e.seed} line ${e.line}\n${e.text}\n`).join('---\n');
    fs.writeFileSync(path.join(fixtureDir, file.replace(/\.txt$/, '.yaml')), `# The Kubernetes examples of the seed ${file}, copied verbatim.\n---\n${body}`);
    count += examples.length;
  }
  return count;
}

/** Reads the fixtures back. */
export function readFixtures(fixtureDir = FIXTURE_DIR): SeedExample[] {
  const out: SeedExample[] = [];
  for (const file of fs.readdirSync(fixtureDir).filter((f) => f.endsWith('.yaml')).sort()) {
    const parts = fs.readFileSync(path.join(fixtureDir, file), 'utf8').split(/^---\n/m).slice(1);
    for (const part of parts) {
      const [head, ...rest] = part.split('\n');
      const m = HEADER.exec(head);
      if (!m) throw new Error(`${file}: each example starts with "# <seed> line <n>", found ${JSON.stringify(head)}`);
      const text = rest.join('\n').trimEnd();
      out.push({ seed: m[1], line: Number(m[2]), text, object: parseAllDocuments(text)[0].toJS() as Json });
    }
  }
  return out;
}

/**
 * Fields whose values are the organization's own names: an example's
 * `repoURL: https://github.com/org/repo` or `image: myapp:v1.0.0` is
 * reproduced by any repository or image in that field.
 */
export const NAMING_FIELDS: ReadonlySet<string> = new Set([
  'name',
  'namespace',
  'repoURL',
  'url',
  'server',
  'path',
  'image',
  'host',
  'hosts',
  'secretName',
  'targetRevision',
  'revision',
  'branch',
  'project',
  'email',
  'address',
  // References to other objects by name.
  'canaryService',
  'stableService',
  'activeService',
  'previewService',
  'templateName',
  'serviceAccountName',
  'key',
]);

/** Whether a seed value is a literal (not a template, a placeholder or sealed data). */
function isLiteral(value: unknown): boolean {
  if (typeof value !== 'string') return true;
  return !/\{\{|\$\{|^<.*>$|^ENC\[|^Ag[A-Za-z0-9+/=]{8,}/.test(value);
}

interface Tally {
  paths: number;
  matched: number;
  missing: string[];
}

/** Counts the leaves of `seed` that `candidate` has (see the file comment). */
export function compare(seed: unknown, candidate: unknown, at = ''): Tally {
  if (isObject(seed)) {
    const t: Tally = { paths: 0, matched: 0, missing: [] };
    const entries = Object.entries(seed).filter(([k]) => !(at === '' && (k === 'apiVersion' || k === 'kind')));
    if (entries.length === 0) return leaf(seed, candidate, at);
    for (const [k, v] of entries) {
      const sub = compare(v, isObject(candidate) ? candidate[k] : undefined, at ? `${at}.${k}` : k);
      t.paths += sub.paths;
      t.matched += sub.matched;
      t.missing.push(...sub.missing);
    }
    return t;
  }
  if (Array.isArray(seed)) {
    const t: Tally = { paths: 0, matched: 0, missing: [] };
    if (seed.length === 0) return leaf(seed, candidate, at);
    const others = Array.isArray(candidate) ? candidate : [];
    for (const item of seed) {
      let best: Tally | undefined;
      for (const other of others.length > 0 ? others : [undefined]) {
        const sub = compare(item, other, `${at}[]`);
        if (!best || sub.matched > best.matched) best = sub;
      }
      t.paths += best!.paths;
      t.matched += best!.matched;
      t.missing.push(...best!.missing);
    }
    return t;
  }
  return leaf(seed, candidate, at);
}

function leaf(seed: unknown, candidate: unknown, at: string): Tally {
  const present = candidate !== undefined && candidate !== null;
  const field = at.replace(/\[\]$/, '').split('.').pop()!;
  const naming = NAMING_FIELDS.has(field) && typeof seed === 'string' && typeof candidate === 'string';
  // An empty map or list (`automated: {}`) asks for the field, not for emptiness.
  const empty = (isObject(seed) && isObject(candidate)) || (Array.isArray(seed) && Array.isArray(candidate));
  const equal = present && (naming || empty || !isLiteral(seed) || JSON.stringify(seed) === JSON.stringify(candidate));
  const shown = isObject(seed) || Array.isArray(seed) ? JSON.stringify(seed) : String(seed);
  return { paths: 1, matched: equal ? 1 : 0, missing: equal ? [] : [`${at}=${shown.length > 60 ? `${shown.slice(0, 57)}...` : shown}`] };
}

/**
 * An example as the API server stores it: a Secret's write-only `stringData`
 * is merged into `data` (its keys win), so a seed's `stringData.token` is
 * compared with the `data.token` of the Secrets the cluster will hold.
 */
export function asStored(object: Json): Json {
  if (kindOf(object) !== 'Secret' || !isObject(object.stringData)) return object;
  const { stringData, ...rest } = object;
  return { ...rest, data: { ...(isObject(object.data) ? object.data : {}), ...stringData } };
}

/** Scores each example against the shipped objects. */
export function scoreExamples(examples: readonly SeedExample[], shipped: readonly ShippedObject[]): ExampleScore[] {
  const byKind = new Map<string, ShippedObject[]>();
  for (const s of shipped) {
    const k = kindOf(s.object);
    byKind.set(k, [...(byKind.get(k) ?? []), s]);
  }
  return examples.map((example) => {
    const kind = kindOf(example.object);
    const seed = asStored(example.object);
    let best: { tally: Tally; match?: string } | undefined;
    for (const s of byKind.get(kind) ?? []) {
      const tally = compare(seed, s.object);
      if (!best || tally.matched > best.tally.matched) best = { tally, match: `${s.environment}:${s.file}` };
    }
    if (!best) best = { tally: compare(seed, undefined) };
    const { tally } = best;
    return { example, kind, paths: tally.paths, matched: tally.matched, score: tally.paths === 0 ? 1 : tally.matched / tally.paths, match: best.match, missing: tally.missing };
  });
}

/** The report: per kind and overall, each a mean of the examples' scores. */
export function summarize(scores: readonly ExampleScore[]): { overall: number; kinds: Array<{ kind: string; examples: number; score: number }> } {
  const kinds = new Map<string, number[]>();
  for (const s of scores) kinds.set(s.kind, [...(kinds.get(s.kind) ?? []), s.score]);
  const mean = (xs: readonly number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;
  return {
    overall: mean(scores.map((s) => s.score)),
    kinds: [...kinds.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([kind, xs]) => ({ kind, examples: xs.length, score: mean(xs) })),
  };
}

/** Synthesizes the environments and collects every object of their trees and bootstrap charts. */
export function shippedObjects(environments: readonly EnvironmentConfig[] = ENVIRONMENTS): ShippedObject[] {
  const out: ShippedObject[] = [];
  for (const environment of environments) {
    const directory = fs.mkdtempSync(path.join(os.tmpdir(), `seed-coverage-${environment.name}-`));
    try {
      const stack = new GitOpsStack(Testing.app(), environment.name, { environment, manifestDirectory: directory });
      const synthesized = Testing.synth(stack);
      const files = new Map<string, string>();
      const walk = (dir: string): void => {
        for (const entry of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
          const full = path.join(dir, entry.name);
          if (entry.isDirectory()) {
            if (path.relative(directory, full) !== 'bootstrap') walk(full);
          }
          else if (/\.ya?ml$/.test(entry.name)) files.set(path.relative(directory, full).split(path.sep).join('/'), fs.readFileSync(full, 'utf8'));
        }
      };
      walk(directory);
      // A service reaches the cluster from its Kustomize overlay: the objects
      // the overlay builds count (the tree's overlay objects, which
      // test/lib/delivery/kustomize.test.ts proves equal to kustomize's
      // build), not the base files it builds them from; the kustomization
      // files themselves count as they are.
      const manifests = stack.platform.tree.manifests();
      const bases = new Set<string>();
      for (const overlay of new Set(manifests.filter((m) => m.overlay).map((m) => m.file))) {
        for (const { file } of resolveDirectory(overlay, files, (f) => parseObjects(files.get(f) ?? ''))) bases.add(file);
      }
      for (const [file, content] of files) {
        if (bases.has(file)) continue;
        for (const doc of parseAllDocuments(content)) {
          const object = doc.toJS();
          if (isObject(object) && object.kind) out.push({ environment: environment.name, file, object });
        }
      }
      for (const m of manifests) {
        if (m.overlay) out.push({ environment: environment.name, file: m.file, object: m.object as unknown as Json });
      }
      // The namespaces Terraform creates (with their Pod Security and tenant labels).
      const tf = JSON.parse(synthesized) as { resource?: Record<string, Record<string, { metadata?: Json }>> };
      for (const [key, r] of Object.entries(tf.resource?.kubernetes_namespace_v1 ?? {})) {
        const { name, labels, annotations } = (r.metadata ?? {}) as Json;
        out.push({ environment: environment.name, file: `cdk.tf.json:kubernetes_namespace_v1.${key}`, object: { apiVersion: 'v1', kind: 'Namespace', metadata: { name, ...(labels ? { labels } : {}), ...(annotations ? { annotations } : {}) } } });
      }
      for (const m of manifests) {
        if (m.section === 'bootstrap') out.push({ environment: environment.name, file: m.file, object: m.object as unknown as Json });
      }
      // What the controllers and charts make from them (scripts/seed-coverage-model.ts).
      const own = out.filter((s) => s.environment === environment.name);
      for (const m of modelledObjects(own, tf)) out.push({ environment: environment.name, ...m });
    } finally {
      fs.rmSync(directory, { recursive: true, force: true });
    }
  }
  return out;
}

/** The report as text. */
export function formatReport(scores: readonly ExampleScore[], verbose = false): string {
  const { overall, kinds } = summarize(scores);
  const pct = (x: number): string => `${(x * 100).toFixed(1)}%`;
  const lines = ['kind'.padEnd(52) + 'examples  coverage'];
  for (const k of kinds) lines.push(`${k.kind.padEnd(52)}${String(k.examples).padStart(8)}  ${pct(k.score).padStart(8)}`);
  lines.push(`${'overall'.padEnd(52)}${String(scores.length).padStart(8)}  ${pct(overall).padStart(8)}`);
  if (verbose) {
    for (const s of scores) {
      lines.push('', `${s.example.seed}:${s.example.line} ${s.kind}/${String((s.example.object.metadata as Json | undefined)?.name ?? '')} ${pct(s.score)} (${s.matched}/${s.paths}) vs ${s.match ?? 'nothing'}`);
      for (const m of s.missing) lines.push(`  - ${m}`);
    }
  }
  return lines.join('\n');
}

function main(args: readonly string[]): number {
  if (args[0] === '--extract') {
    if (!args[1]) {
      console.error('usage: npm run seed-coverage -- --extract <directory of the seed .txt files>');
      return 2;
    }
    console.log(`${writeFixtures(args[1])} examples written to ${path.relative(process.cwd(), FIXTURE_DIR)}`);
    return 0;
  }
  const scores = scoreExamples(readFixtures(), shippedObjects());
  console.log(formatReport(scores, args.includes('--verbose')));
  return 0;
}

if (require.main === module) process.exitCode = main(process.argv.slice(2));
