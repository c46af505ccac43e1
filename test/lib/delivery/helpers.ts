import assert from 'node:assert/strict';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Chart } from 'cdk8s';
import { parseAllDocuments } from 'yaml';
import { writeTree } from '../../../lib/platform/bootstrap';
import { ManifestObject } from '../../../lib/platform/gitops-tree';
import { run, tool } from '../../support/tools';

/** A fresh cdk8s chart for constructs tested in isolation. */
export function testChart(): Chart {
  return new Chart(new App({ outdir: '.', recordConstructMetadata: false }), 'test', { disableResourceNameHashes: true });
}

/** The chart's objects as JSON. */
export function objects(chart: Chart): ManifestObject[] {
  return chart.toJson() as ManifestObject[];
}

/** The one object of a kind (and name). */
export function one(list: readonly ManifestObject[], kind: string, name?: string): ManifestObject {
  const found = list.filter((o) => o.kind === kind && (name === undefined || o.metadata.name === name));
  if (found.length !== 1) {
    throw new Error(`expected one ${kind}${name ? ` ${name}` : ''}, found ${found.length} among ${list.map((o) => `${o.kind}/${o.metadata.name}`).join(', ')}`);
  }
  return found[0];
}

/** The value at a dotted path (`spec.strategy.canary.steps.0.setWeight`), or undefined. */
export function at(value: unknown, path: string): unknown {
  let current: unknown = value;
  for (const key of path.split('.')) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<string, unknown>)[key];
  }
  return current;
}

/**
 * The kustomize scripts/tools.sh builds (tools/kustomize), or why it is
 * missing: tests that build overlays skip with this reason on a machine
 * without Go, and fail under CI=true.
 */
export function kustomizeMissing(): string | undefined {
  const found = tool('kustomize');
  return found.skip || undefined;
}

/** Runs `kustomize build dir` with the project's kustomize; returns stdout or throws with stderr. */
export function kustomizeBuild(dir: string): string {
  const found = tool('kustomize');
  if (!found.path) throw new Error(found.skip || 'kustomize is not available');
  const result = run(found.path, ['build', dir]);
  if (result.status !== 0) throw new Error(`kustomize build ${dir} failed:\n${result.stderr}`);
  return result.stdout;
}

/** The objects `kustomize build dir` gives (empty documents left out). */
export function kustomizeObjects(dir: string): ManifestObject[] {
  return parseAllDocuments(kustomizeBuild(dir))
    .map((d) => d.toJS() as ManifestObject | null)
    .filter((o): o is ManifestObject => o !== null);
}

/** Writes `files` (paths relative to one folder) to a temporary folder and builds `directory` in it with kustomize. */
export function kustomizeBuildFiles(files: ReadonlyMap<string, string>, directory: string): ManifestObject[] {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'delivery-kustomize-'));
  try {
    writeTree(dir, files);
    return kustomizeObjects(path.join(dir, directory));
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

const objectKey = (o: ManifestObject): string => `${o.apiVersion} ${o.kind} ${o.metadata.namespace ?? ''} ${o.metadata.name ?? ''}`;

/** Asserts two lists hold the same objects, whatever their order. */
export function assertSameObjects(actual: readonly ManifestObject[], expected: readonly ManifestObject[], what: string): void {
  const sort = (list: readonly ManifestObject[]) => [...list].sort((a, b) => objectKey(a).localeCompare(objectKey(b)));
  assert.deepEqual(sort(actual).map(objectKey), sort(expected).map(objectKey), `${what}: the objects differ`);
  const byKey = new Map(actual.map((o) => [objectKey(o), o]));
  for (const object of expected) assert.deepEqual(byKey.get(objectKey(object)), object, `${what}: ${objectKey(object)}`);
}
