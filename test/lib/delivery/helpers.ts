import { App, Chart } from 'cdk8s';
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
