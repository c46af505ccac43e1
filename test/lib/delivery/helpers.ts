import { spawnSync } from 'node:child_process';
import { App, Chart } from 'cdk8s';
import { ManifestObject } from '../../../lib/platform/gitops-tree';

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
 * Why kubectl cannot be used here, or undefined when it can. Tests that build
 * overlays skip with this reason on machines without kubectl (fresh CI).
 */
export function kubectlMissing(): string | undefined {
  const probe = spawnSync('kubectl', ['version', '--client'], { encoding: 'utf8' });
  if (probe.error || probe.status !== 0) {
    return 'kubectl is not installed on this machine, so `kubectl kustomize` cannot build the overlays; install kubectl to run this check';
  }
  return undefined;
}

/** Runs `kubectl kustomize dir`; returns stdout or throws with stderr. */
export function kustomizeBuild(dir: string): string {
  const result = spawnSync('kubectl', ['kustomize', dir], { encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`kubectl kustomize ${dir} failed:\n${result.stderr}`);
  return result.stdout;
}
