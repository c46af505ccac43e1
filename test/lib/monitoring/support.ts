import assert from 'node:assert/strict';
import { parser } from '@prometheus-io/lezer-promql';
import { App, Chart } from 'cdk8s';
import { ManifestObject } from '../../../lib/platform/gitops-tree';

const strict = parser.configure({ strict: true });

/** Parses `expr` with the official PromQL grammar; fails the test on any syntax error. */
export function assertPromQL(expr: unknown, label = 'expr'): void {
  assert.equal(typeof expr, 'string', `${label} is not a string`);
  let tree;
  try {
    tree = strict.parse(expr as string);
  } catch (error) {
    assert.fail(`${label} is not valid PromQL: ${(error as Error).message}\n  ${String(expr)}`);
  }
  let errorAt: number | undefined;
  tree.iterate({ enter: (n) => { if (n.type.isError && errorAt === undefined) errorAt = n.from; } });
  assert.equal(errorAt, undefined, `${label} has a syntax error at ${errorAt}: ${String(expr)}`);
}

/** A fresh cdk8s chart to put constructs in. */
export function testChart(): Chart {
  return new Chart(new App({ outdir: '.', recordConstructMetadata: false }), 'test', { disableResourceNameHashes: true });
}

/** The chart's objects as JSON. */
export function objects(chart: Chart): ManifestObject[] {
  return chart.toJson() as ManifestObject[];
}
