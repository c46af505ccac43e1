/**
 * PromQL parsed once per text for everything that reads it: the monitoring
 * module's syntax check and the deploy model's metric names. The parser is
 * the official Prometheus grammar (`@prometheus-io/lezer-promql`, the one the
 * Prometheus UI uses) in strict mode. The same alert, SLO and dashboard
 * expressions recur in every environment, and parsing is the costly part; the
 * result depends on the text alone, so it is kept per text.
 */
import * as fs from 'fs';
import type { parser as PromQLParser } from '@prometheus-io/lezer-promql';
import { TextMemo } from './text-memo';

type Parser = typeof PromQLParser;
/** A parse tree of the grammar. */
type Tree = ReturnType<Parser['parse']>;

let parsers: { readonly loose: Parser; readonly strict: Parser } | undefined;

/**
 * The grammar, loaded on the first parse: its tables are built as it loads,
 * and a run whose every expression comes from the kept results (see
 * {@link PROMQL_RESULTS_FILE_VARIABLE}) parses nothing.
 */
function grammar(): { readonly loose: Parser; readonly strict: Parser } {
  if (!parsers) {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { parser } = require('@prometheus-io/lezer-promql') as typeof import('@prometheus-io/lezer-promql');
    parsers = { loose: parser, strict: parser.configure({ strict: true }) };
  }
  return parsers;
}

/** A syntax error: where it is and what to say. */
export interface PromQLProblem {
  readonly position: number;
  readonly message: string;
}

/** What a PromQL text holds. */
export interface ParsedPromQL {
  /** The first syntax error, when there is one. */
  readonly problem?: PromQLProblem;
  /** The metric names its selectors name, sorted, each once (read through any syntax error). */
  readonly metricNames: readonly string[];
}

const LIMIT = 20_000;
const PARSED = new TextMemo<ParsedPromQL>(LIMIT);

/** Parses `text` (or takes this process's earlier result for the same text, or a result kept by an earlier run). */
export function parsePromQL(text: string): ParsedPromQL {
  return PARSED.of(text, parseOrRecall);
}

/**
 * The environment variable naming a file of results kept between runs. The
 * app command (`scripts/run-app.cjs`) sets it to a file next to its bundle,
 * named by the bundle's identity: a rebuilt bundle (any change to the sources
 * or to the installed packages, the parser's among them) starts a new file,
 * so no result outlives the code that made it. The grammar's code is most of
 * the parse's cost in a run: a synthesis parses each of its expressions
 * (about a hundred) once, before V8 has optimized the parser.
 */
export const PROMQL_RESULTS_FILE_VARIABLE = 'GITOPS_PROMQL_RESULTS';

/** The results file of this process, read on first use; `undefined` without one. */
let kept: KeptResults | undefined | null = null;

interface KeptResults {
  readonly file: string;
  /** The results read from the file. */
  readonly read: Map<string, ParsedPromQL>;
  /** The results this run used or made, written back at exit when it made any. */
  readonly used: Map<string, ParsedPromQL>;
  made: boolean;
}

function parseOrRecall(text: string): ParsedPromQL {
  if (kept === null) kept = openResults(process.env[PROMQL_RESULTS_FILE_VARIABLE]);
  if (kept === undefined) return parse(text);
  let result = kept.read.get(text);
  if (result === undefined) {
    result = parse(text);
    kept.made = true;
  }
  kept.used.set(text, result);
  return result;
}

function openResults(file: string | undefined): KeptResults | undefined {
  if (!file) return undefined;
  const results: KeptResults = { file, read: readResults(file), used: new Map(), made: false };
  process.once('exit', () => writeResults(results));
  return results;
}

/** The results in `file`; none when it is missing, unreadable or not what {@link writeResults} writes. */
function readResults(file: string): Map<string, ParsedPromQL> {
  const results = new Map<string, ParsedPromQL>();
  let data: unknown;
  try {
    data = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch {
    return results;
  }
  if (typeof data !== 'object' || data === null || !Array.isArray((data as { results?: unknown }).results)) return results;
  for (const entry of (data as { results: unknown[] }).results) {
    if (!Array.isArray(entry) || entry.length !== 2 || typeof entry[0] !== 'string' || !isParsed(entry[1])) return new Map();
    results.set(entry[0], entry[1]);
  }
  return results;
}

function isParsed(value: unknown): value is ParsedPromQL {
  if (typeof value !== 'object' || value === null) return false;
  const { metricNames, problem } = value as { metricNames?: unknown; problem?: unknown };
  if (!Array.isArray(metricNames) || !metricNames.every((name) => typeof name === 'string')) return false;
  if (problem === undefined) return Object.keys(value).length === 1;
  if (typeof problem !== 'object' || problem === null) return false;
  const { position, message } = problem as { position?: unknown; message?: unknown };
  return Number.isInteger(position) && typeof message === 'string' && Object.keys(value).length === 2;
}

/**
 * Writes the results back when this run parsed anything new: what it used,
 * and what the file held besides while they fit in {@link LIMIT}. Through a
 * private file and a rename, so a concurrent run reads one whole file; a file
 * that cannot be written (a read-only checkout) is left as it is.
 */
function writeResults(results: KeptResults): void {
  if (!results.made) return;
  const all = new Map(results.used);
  for (const [text, result] of results.read) {
    if (all.size >= LIMIT) break;
    if (!all.has(text)) all.set(text, result);
  }
  const tmp = `${results.file}.${process.pid}.tmp`;
  try {
    fs.writeFileSync(tmp, JSON.stringify({ results: [...all] }));
    fs.renameSync(tmp, results.file);
  } catch {
    try {
      fs.rmSync(tmp, { force: true });
    } catch {
      // nothing was written
    }
  }
}

function parse(text: string): ParsedPromQL {
  const { loose, strict } = grammar();
  let tree: Tree;
  try {
    tree = strict.parse(text);
  } catch (error) {
    const match = /No parse at (\d+)/.exec((error as Error).message);
    const position = match ? Number(match[1]) : 0;
    // The metric names of a broken text come from the parser's error-recovering tree.
    return { problem: { position, message: `syntax error at character ${position}` }, metricNames: metricNames(text, loose.parse(text)) };
  }
  let errorAt: number | undefined;
  tree.iterate({
    enter: (node) => {
      if (node.type.isError && errorAt === undefined) errorAt = node.from;
    },
  });
  const names = metricNames(text, tree);
  return errorAt === undefined ? { metricNames: names } : { problem: { position: errorAt, message: `syntax error at character ${errorAt}` }, metricNames: names };
}

function metricNames(text: string, tree: Tree): string[] {
  const out = new Set<string>();
  const cursor = tree.cursor();
  do {
    if (cursor.name === 'VectorSelector') {
      const node = cursor.node.getChild('Identifier');
      if (node) out.add(text.slice(node.from, node.to));
      else {
        const m = /__name__\s*=\s*"([^"]+)"/.exec(text.slice(cursor.from, cursor.to));
        if (m) out.add(m[1]!);
      }
    }
  } while (cursor.next());
  return [...out].sort();
}
