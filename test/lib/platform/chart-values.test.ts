/**
 * Every value path each helm_release sets (its `values` documents and its
 * `set` / `set_sensitive` entries) exists in the chart's default values.yaml
 * at the pinned version (schemas/chart-values/, see its SOURCES.md), or is read
 * by the chart's templates (template-refs.json), or lies in a free-form subtree
 * listed below. Helm ignores unknown values, so a misspelt key would silently
 * do nothing. Where both sides hold a value, their kinds (map, list, scalar) agree.
 */
import assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import { after, before, describe, it } from 'node:test';
import { parse, parseAllDocuments } from 'yaml';
import { ENVIRONMENTS } from '../../../environments';
import { CHARTS } from '../../../lib/platform/catalogue';
import { SynthResult, synthEnvironment } from '../../support/synth';

const ROOT = path.resolve(__dirname, '../../../schemas/chart-values');

type Json = Record<string, unknown>;

/**
 * Subtrees whose keys the chart passes through unchecked (maps of user-chosen
 * names, or raw config merged into a file), per chart. A path under one of
 * these is accepted whatever its keys.
 */
const FREE_FORM: Readonly<Record<string, readonly string[]>> = {
  // argo-cd: argocd-cm / argocd-rbac-cm / argocd-notifications-cm data, keyed by Argo CD's own setting names.
  'argo-cd': ['configs.cm', 'configs.rbac', 'configs.params', 'configs.secret.extra', 'notifications.notifiers', 'notifications.templates', 'notifications.triggers', 'notifications.subscriptions'],
  // kube-prometheus-stack: Alertmanager's and Prometheus' own config, and the grafana.ini passed through.
  'kube-prometheus-stack': ['alertmanager.config', 'grafana.grafana.ini', 'prometheus.prometheusSpec.additionalScrapeConfigs'],
  // sealed-secrets: both security contexts are rendered whole (`omit ... "enabled" | toYaml`), so any securityContext field applies.
  'sealed-secrets': ['containerSecurityContext', 'podSecurityContext'],
  // trivy-operator: the operator's container securityContext (toYaml) and the scan jobs' container securityContext (toJson into the operator's config) are rendered whole.
  'trivy-operator': ['securityContext', 'trivyOperator.scanJobPodTemplateContainerSecurityContext'],
};

interface ChartDefaults {
  readonly folder: string;
  readonly values: unknown;
  readonly refs: ReadonlySet<string>;
  /** Subchart values key -> its chart folder name prefix (`grafana` -> `grafana-12.10.4`). */
  readonly subcharts: ReadonlyMap<string, string>;
  /** The dependencies' `condition` paths (`redis-ha.enabled`), which Helm itself reads. */
  readonly conditions: ReadonlySet<string>;
}

/** The stored defaults of `chart` at `version` (following a standin.json to the version it names). */
function chartDefaults(chart: string, version: string): ChartDefaults {
  let folder = `${chart}-${version}`;
  const standin = path.join(ROOT, folder, 'standin.json');
  if (fs.existsSync(standin)) folder = `${chart}-${(JSON.parse(fs.readFileSync(standin, 'utf8')) as { use: string }).use}`;
  const dir = path.join(ROOT, folder);
  if (!fs.existsSync(path.join(dir, 'values.yaml'))) {
    throw new Error(`chart ${chart} ${version}: no stored default values in schemas/chart-values/${folder}; add the chart's values.yaml at that version with its source to SOURCES.md`);
  }
  const refsFile = path.join(dir, 'template-refs.json');
  const refs = new Set(fs.existsSync(refsFile) ? (JSON.parse(fs.readFileSync(refsFile, 'utf8')) as string[][]).map((p) => p.join('.')) : []);
  const chartYaml = parse(fs.readFileSync(path.join(dir, 'Chart.yaml'), 'utf8')) as { dependencies?: Array<{ name: string; alias?: string; version: string; condition?: string }> };
  const subcharts = new Map<string, string>();
  const conditions = new Set<string>();
  for (const dep of chartYaml.dependencies ?? []) {
    const stored = storedSubchartVersion(dep.name, dep.version);
    if (stored) subcharts.set(dep.alias ?? dep.name, `${dep.name}@${stored}`);
    for (const condition of (dep.condition ?? '').split(',').filter((c) => c !== '')) conditions.add(condition.trim());
  }
  return { folder, values: parse(fs.readFileSync(path.join(dir, 'values.yaml'), 'utf8')), refs, subcharts, conditions };
}

/**
 * The stored version of a dependency: the exact one, or for a wildcard range
 * (`0.12.*`, as falco names falcosidekick) the stored folder it matches, whose
 * choice SOURCES.md explains.
 */
function storedSubchartVersion(name: string, version: string): string | undefined {
  if (!version.includes('*')) return fs.existsSync(path.join(ROOT, `${name}-${version}`)) ? version : undefined;
  const pattern = new RegExp(`^${name.replace(/[.-]/g, '\\$&')}-(${version.replace(/\./g, '\\.').replace(/\*/g, '\\d+')})$`);
  const matches = fs.readdirSync(ROOT).map((f) => pattern.exec(f)?.[1]).filter((v): v is string => v !== undefined);
  if (matches.length > 1) throw new Error(`subchart ${name} ${version}: several stored versions match (${matches.join(', ')}); keep the one the parent chart carries`);
  return matches[0];
}

type Kind = 'map' | 'list' | 'scalar' | 'null';
function kindOf(value: unknown): Kind {
  if (value === null || value === undefined) return 'null';
  if (Array.isArray(value)) return 'list';
  return typeof value === 'object' ? 'map' : 'scalar';
}

/** Leaf paths (and the value at each) of a values document; lists are leaves. */
function leaves(value: unknown, prefix: string[] = []): Array<{ path: string[]; value: unknown }> {
  if (kindOf(value) === 'map' && Object.keys(value as Json).length > 0) {
    return Object.entries(value as Json).flatMap(([k, v]) => leaves(v, [...prefix, k]));
  }
  return [{ path: prefix, value }];
}

/** A `set` name split on unescaped dots, list indices dropped (`a.b[0].c` -> a, b, c). */
function setPath(name: string): string[] {
  return name
    .split(/(?<!\\)\./)
    .map((p) => p.replace(/\\\./g, '.').replace(/\[\d+\]$/, ''))
    .filter((p) => p !== '');
}

/** Problems of one value path against a chart's defaults ([] = fine). */
function check(chart: string, defaults: ChartDefaults, keyPath: string[], value: unknown, valueKind: Kind | undefined): string[] {
  const free = FREE_FORM[chart] ?? [];
  let node: unknown = defaults.values;
  for (let i = 0; i < keyPath.length; i++) {
    const prefix = keyPath.slice(0, i + 1).join('.');
    if (free.some((f) => prefix === f || prefix.startsWith(`${f}.`))) return [];
    if (defaults.conditions.has(keyPath.join('.'))) return [];
    // A subchart's key: the parent chart's own defaults for it first (`grafana.defaultDashboardsEnabled`), then the subchart's.
    if (i === 0 && defaults.subcharts.has(keyPath[0]) && check(chart, { ...defaults, subcharts: new Map() }, keyPath, value, valueKind).length > 0) {
      const [name, version] = defaults.subcharts.get(keyPath[0])!.split('@');
      return check(name, chartDefaults(name, version), keyPath.slice(1), value, valueKind).map((p) => `${keyPath[0]}.${p}`);
    }
    const kind = kindOf(node);
    // A list, or a map the chart leaves empty (`podAnnotations: {}`), or a null default takes any keys.
    if (kind === 'list' || kind === 'null' || (kind === 'map' && Object.keys(node as Json).length === 0)) return [];
    if (kind === 'scalar') return [`${keyPath.join('.')}: the chart's default at ${keyPath.slice(0, i).join('.')} is a scalar, not a map`];
    const map = node as Json;
    if (!(keyPath[i] in map)) {
      // Not in values.yaml but read by the chart's templates (`.Values.<prefix>`).
      if (defaults.refs.has(prefix)) return [];
      return [`${keyPath.join('.')}: not a value of chart ${chart} (${defaults.folder}); ${prefix} is unknown`];
    }
    node = map[keyPath[i]];
  }
  const defaultKind = kindOf(node);
  if (valueKind && defaultKind !== 'null' && valueKind !== 'null' && defaultKind !== valueKind && !(defaultKind === 'map' && Object.keys(node as Json).length === 0 && valueKind === 'map')) {
    return [`${keyPath.join('.')}: sets a ${valueKind}, the chart's default is a ${defaultKind}`];
  }
  return [];
}

let results: SynthResult[] = [];

before(() => {
  results = ENVIRONMENTS.map((env) => synthEnvironment(env));
});

after(() => {
  for (const r of results) fs.rmSync(r.directory, { recursive: true, force: true });
});

describe('chart values against the charts', () => {
  it('stores the default values of every chart the catalogue pins', () => {
    for (const entry of Object.values(CHARTS)) assert.doesNotThrow(() => chartDefaults(entry.chart, entry.version), `${entry.chart} ${entry.version}`);
  });

  it('fails a chart version without stored defaults, naming it', () => {
    assert.throws(() => chartDefaults('gatekeeper', '0.0.1'), /chart gatekeeper 0\.0\.1: no stored default values in schemas\/chart-values\/gatekeeper-0\.0\.1/);
  });

  it('rejects a misspelt key and a kind mismatch', () => {
    const gatekeeper = chartDefaults('gatekeeper', '3.23.0');
    assert.deepEqual(check('gatekeeper', gatekeeper, ['replicas'], 3, 'scalar'), []);
    assert.match(check('gatekeeper', gatekeeper, ['replica'], 3, 'scalar')[0], /replica: not a value of chart gatekeeper/);
    assert.match(check('gatekeeper', gatekeeper, ['replicas'], { a: 1 }, 'map')[0], /sets a map, the chart's default is a scalar/);
    const kps = chartDefaults('kube-prometheus-stack', '88.3.0');
    assert.deepEqual(check('kube-prometheus-stack', kps, ['grafana', 'adminUser'], 'admin', 'scalar'), []);
    assert.match(check('kube-prometheus-stack', kps, ['grafana', 'adminUsr'], 'admin', 'scalar')[0], /grafana\.adminUsr: not a value of chart grafana/);
  });

  it('finds every value path of every helm_release in its chart', () => {
    const problems: string[] = [];
    let checked = 0;
    for (const r of results) {
      const env = r.stack.platform.environment.name;
      for (const release of Object.values((r.tf.resource.helm_release ?? {}) as Record<string, Json>)) {
        if (release.repository === undefined) continue; // the generated local bootstrap chart
        const chart = String(release.chart);
        const defaults = chartDefaults(chart, String(release.version));
        const paths: Array<{ path: string[]; value: unknown; kind?: Kind }> = [];
        for (const doc of (release.values as string[] | undefined) ?? []) {
          for (const d of parseAllDocuments(doc)) for (const leaf of leaves(d.toJS())) paths.push({ ...leaf, kind: kindOf(leaf.value) });
        }
        for (const key of ['set', 'set_sensitive', 'set_list'] as const) {
          for (const entry of (release[key] as Array<{ name: string }> | undefined) ?? []) paths.push({ path: setPath(entry.name), value: undefined });
        }
        for (const p of paths) {
          if (p.path.length === 0) continue;
          checked += 1;
          for (const problem of check(chart, defaults, p.path, p.value, p.kind)) problems.push(`${env} helm_release ${String(release.name)}: ${problem}`);
        }
      }
    }
    assert.ok(checked > 0, 'no value path checked');
    assert.deepEqual(problems, []);
  });
});
