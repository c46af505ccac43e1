import assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import { App, Chart } from 'cdk8s';
import { Testing, TerraformStack } from 'cdktf';
import { parseAllDocuments } from 'yaml';
import { dev } from '../../../environments';
import { Flux, FluxProps } from '../../../lib/flux/flux';
import { EnvironmentConfig } from '../../../stacks/environment';
import { ManifestObject } from '../../../lib/platform/gitops-tree';
import { Platform } from '../../../lib/platform/platform';
import { validateEnvironment } from '../../../stacks/validate-environment';
import { assertValidManifests } from '../../support/validate';

/** A fresh cdk8s chart in its own app, without labels: what a user's own chart looks like. */
export function newChart(): Chart {
  return new Chart(new App({ outdir: path.join('cdk8s.out', 'unused') }), 'test', { disableResourceNameHashes: true });
}

/**
 * The objects of a chart: renders (so render-time validations run) and
 * validates every object strictly against its upstream schema.
 */
export function objects(chart: Chart): ManifestObject[] {
  const list = chart.toJson() as ManifestObject[];
  assertValidManifests(list, `chart ${chart.node.id}`);
  return list;
}

/** The one object of `kind` (and `name`) in a list. */
export function only(list: readonly ManifestObject[], kind: string, name?: string): ManifestObject {
  const found = list.filter((o) => o.kind === kind && (name === undefined || o.metadata.name === name));
  assert.equal(found.length, 1, `expected one ${kind}${name ? ` ${name}` : ''}, found ${found.length}`);
  return found[0];
}

/** The spec of an object, typed loosely for field assertions. */
export function specOf(object: ManifestObject): Record<string, any> {
  return object.spec as Record<string, any>;
}

/** The YAML documents of a seed fixture (kinds with apiVersion only). */
export function loadFixture(file: string): ManifestObject[] {
  const text = fs.readFileSync(path.join(__dirname, 'fixtures', file), 'utf8');
  return parseAllDocuments(text)
    .map((d) => d.toJS() as ManifestObject | null)
    .filter((o): o is ManifestObject => o !== null && typeof o === 'object' && typeof o.apiVersion === 'string');
}

/** The API versions the seeds use, mapped to the ones the constructs write. */
const CURRENT_API: Readonly<Record<string, string>> = {
  'source.toolkit.fluxcd.io/v1beta2': 'source.toolkit.fluxcd.io/v1',
  'kustomize.toolkit.fluxcd.io/v1beta2': 'kustomize.toolkit.fluxcd.io/v1',
  'helm.toolkit.fluxcd.io/v2beta1': 'helm.toolkit.fluxcd.io/v2',
  'image.toolkit.fluxcd.io/v1beta2': 'image.toolkit.fluxcd.io/v1',
  'image.toolkit.fluxcd.io/v1beta1': 'image.toolkit.fluxcd.io/v1',
};

/** A seed object moved to the current API version (the fields used by the seeds are unchanged between them). */
export function toCurrentApi(object: ManifestObject): ManifestObject {
  const copy = JSON.parse(JSON.stringify(object)) as ManifestObject & { apiVersion: string };
  return { ...copy, apiVersion: CURRENT_API[copy.apiVersion] ?? copy.apiVersion };
}

/** Every leaf of a JSON value by its path (`spec.sourceRef.name`, `spec.healthChecks[0].kind`). */
export function flatten(value: unknown, prefix = ''): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (Array.isArray(value)) {
    if (value.length === 0) out[prefix] = [];
    value.forEach((v, i) => Object.assign(out, flatten(v, `${prefix}[${i}]`)));
  } else if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>);
    if (entries.length === 0) out[prefix] = {};
    for (const [k, v] of entries) Object.assign(out, flatten(v, prefix === '' ? k : `${prefix}.${k}`));
  } else {
    out[prefix] = value;
  }
  return out;
}

/** Asserts that two objects have the same fields with the same values, path by path. */
export function assertSameFields(actual: unknown, expected: unknown, label: string): void {
  const a = flatten(actual);
  const e = flatten(expected);
  const missing = Object.keys(e).filter((k) => !(k in a));
  const extra = Object.keys(a).filter((k) => !(k in e));
  assert.deepEqual({ missing, extra }, { missing: [], extra: [] }, `${label}: fields differ`);
  for (const key of Object.keys(e)) assert.deepEqual(a[key], e[key], `${label}: ${key}`);
}

/** A development environment to vary in tests. */
export function testEnvironment(overrides: Partial<EnvironmentConfig> = {}): EnvironmentConfig {
  return { ...dev, name: 'test', ...overrides };
}

/** The Flux module alone on a platform, for the module's validation and wiring. */
export function fluxFor(environment: EnvironmentConfig, references: Pick<FluxProps, 'secretStore'> = {}): { platform: Platform; flux: Flux; manifests: () => ManifestObject[] } {
  const stack = new TerraformStack(Testing.app(), environment.name);
  const platform = new Platform(stack, 'Platform', { environment: validateEnvironment(environment) });
  // What GitOpsStack gives the module: its settings, whether the security module isolates flux-system, and its store.
  const flux = new Flux(stack, 'Flux', { ...environment.flux, platform, isolated: environment.modules.includes('security'), ...references });
  return { platform, flux, manifests: () => platform.tree.manifests().map((m) => m.object) };
}
