/**
 * PromQL parsed once per text for everything that reads it: the monitoring
 * module's syntax check and the deploy model's metric names. The parser is
 * the official Prometheus grammar (`@prometheus-io/lezer-promql`, the one the
 * Prometheus UI uses) in strict mode. The same alert, SLO and dashboard
 * expressions recur in every environment, and parsing is the costly part; the
 * result depends on the text alone, so it is kept per text.
 */
import { parser } from '@prometheus-io/lezer-promql';
import { TextMemo } from './text-memo';
/** A parse tree of the grammar. */
type Tree = ReturnType<typeof parser.parse>;

const strictParser = parser.configure({ strict: true });

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

const PARSED = new TextMemo<ParsedPromQL>(20_000);

/** Parses `text` (or takes this process's earlier result for the same text). */
export function parsePromQL(text: string): ParsedPromQL {
  return PARSED.of(text, parse);
}

function parse(text: string): ParsedPromQL {
  let tree: Tree;
  try {
    tree = strictParser.parse(text);
  } catch (error) {
    const match = /No parse at (\d+)/.exec((error as Error).message);
    const position = match ? Number(match[1]) : 0;
    // The metric names of a broken text come from the parser's error-recovering tree.
    return { problem: { position, message: `syntax error at character ${position}` }, metricNames: metricNames(text, parser.parse(text)) };
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
