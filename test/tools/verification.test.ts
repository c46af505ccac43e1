/**
 * The synthesized output of every shipped environment, checked by the real
 * tools (built or found by scripts/tools.sh): promtool, helm and Gatekeeper's
 * gator. The tests run over whatever the synth produces (every environment,
 * every object), not over fixed lists. Without a tool (no Go on the machine)
 * its suite is skipped with one line naming it; under CI=true a missing tool fails.
 */
import assert from 'node:assert/strict';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { after, before, describe, it } from 'node:test';
import { parseAllDocuments, stringify } from 'yaml';
import { ENVIRONMENTS } from '../../environments';
import { ManifestObject } from '../../lib/platform/gitops-tree';
import { FIXTURES } from '../lib/security/fixtures';
import { SynthResult, synthEnvironment } from '../support/synth';
import { output, run, tool } from '../support/tools';

type Json = Record<string, unknown>;

const promtool = tool('promtool');
const helm = tool('helm');
const gator = tool('gator');

let results: SynthResult[] = [];
let scratch = '';

before(() => {
  if (promtool.skip && helm.skip && gator.skip) return;
  results = ENVIRONMENTS.map((env) => synthEnvironment(env));
  scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'gitops-tools-'));
});

after(() => {
  for (const r of results) fs.rmSync(r.directory, { recursive: true, force: true });
  if (scratch) fs.rmSync(scratch, { recursive: true, force: true });
});

function envName(r: SynthResult): string {
  return r.stack.platform.environment.name;
}

function write(file: string, content: string): string {
  const full = path.join(scratch, file);
  fs.mkdirSync(path.dirname(full), { recursive: true });
  fs.writeFileSync(full, content);
  return full;
}

function yamlDocs(objects: readonly unknown[]): string {
  return objects.map((o) => stringify(o, { lineWidth: 0 })).join('---\n');
}

// ---------------------------------------------------------------- promtool

interface AlertCase {
  /** Input series (promtool notation) that must make the alert fire. */
  readonly firing: Readonly<Record<string, string>>;
  /** The same series, healthy: the alert stays silent. */
  readonly healthy: Readonly<Record<string, string>>;
  /** When to evaluate (after the rule's `for`). */
  readonly at: string;
  /** The labels the firing alert carries from its series (besides the rule's labels). */
  readonly labels: Readonly<Record<string, string>>;
}

const APP = { namespace: 'argocd', name: 'shop', project: 'default' };
const argoInfo = (health: string, sync: string): string =>
  `argocd_app_info{namespace="argocd",name="shop",project="default",health_status="${health}",sync_status="${sync}"}`;
const fluxInfo = (ready: string, suspended: string): string =>
  `gotk_resource_info{customresource_kind="Kustomization",exported_namespace="flux-system",name="apps",ready="${ready}",suspended="${suspended}"}`;
const requests = (status: string): string => `http_requests_total{namespace="shop",service="checkout",status="${status}"}`;
const memory = (metric: string): string => `${metric}{namespace="shop",pod="checkout-0",container="app"}`;
/** A Trivy Operator image metric of one scanned container (labels as pkg/metrics/collector.go at v0.32.0 writes them). */
const IMAGE = { namespace: 'shop', resource_kind: 'ReplicaSet', resource_name: 'checkout-5d9f', container_name: 'app', image_repository: 'company/checkout', image_tag: 'v1.2.3' };
const trivyImage = (metric: string, severity: string): string =>
  `${metric}{namespace="shop",name="replicaset-checkout-5d9f-app",resource_kind="ReplicaSet",resource_name="checkout-5d9f",container_name="app",image_registry="ghcr.io",image_repository="company/checkout",image_tag="v1.2.3",image_digest="",severity="${severity}"}`;
const trivyResource = (severity: string): string =>
  `trivy_resource_configaudits{namespace="shop",name="replicaset-checkout-5d9f",resource_kind="ReplicaSet",resource_name="checkout-5d9f",severity="${severity}"}`;

/**
 * One firing and one healthy scenario per alert name. Every alert the synth
 * renders must have one, so a new alert fails here until it is shown to fire.
 */
const ALERT_CASES: Readonly<Record<string, AlertCase>> = {
  ArgoCDAppSyncFailed: {
    firing: { [`argocd_app_sync_total{namespace="argocd",name="shop",project="default",phase="Failed"}`]: '0+1x40' },
    healthy: { [`argocd_app_sync_total{namespace="argocd",name="shop",project="default",phase="Succeeded"}`]: '0+1x40' },
    at: '20m',
    labels: APP,
  },
  ArgoCDAppHealthDegraded: {
    firing: { [argoInfo('Degraded', 'Synced')]: '1x40' },
    healthy: { [argoInfo('Healthy', 'Synced')]: '1x40' },
    at: '20m',
    labels: { ...APP, health_status: 'Degraded', sync_status: 'Synced' },
  },
  ApplicationOutOfSync: {
    firing: { [argoInfo('Healthy', 'OutOfSync')]: '1x40' },
    healthy: { [argoInfo('Healthy', 'Synced')]: '1x40' },
    at: '20m',
    labels: { ...APP, health_status: 'Healthy', sync_status: 'OutOfSync' },
  },
  FluxReconciliationFailure: {
    firing: { [fluxInfo('False', 'false')]: '1x40' },
    healthy: { [fluxInfo('True', 'false')]: '1x40' },
    at: '20m',
    labels: { customresource_kind: 'Kustomization', exported_namespace: 'flux-system', name: 'apps', ready: 'False', suspended: 'false' },
  },
  FluxSuspendedResource: {
    firing: { [fluxInfo('True', 'true')]: '1x100' },
    healthy: { [fluxInfo('True', 'false')]: '1x100' },
    at: '90m',
    labels: { customresource_kind: 'Kustomization', exported_namespace: 'flux-system', name: 'apps', ready: 'True', suspended: 'true' },
  },
  HighErrorRate: {
    firing: { [requests('500')]: '0+60x40', [requests('200')]: '0+60x40' },
    healthy: { [requests('500')]: '0x40', [requests('200')]: '0+60x40' },
    at: '20m',
    labels: { namespace: 'shop', service: 'checkout' },
  },
  TrivyExposedSecret: {
    firing: { [trivyImage('trivy_image_exposedsecrets', 'Critical')]: '1x40', [trivyImage('trivy_image_exposedsecrets', 'High')]: '2x40' },
    healthy: { [trivyImage('trivy_image_exposedsecrets', 'Critical')]: '0x40', [trivyImage('trivy_image_exposedsecrets', 'High')]: '2x40' },
    at: '20m',
    labels: IMAGE,
  },
  TrivyCriticalVulnerability: {
    firing: { [trivyImage('trivy_image_vulnerabilities', 'Critical')]: '3x40', [trivyImage('trivy_image_vulnerabilities', 'Medium')]: '7x40' },
    healthy: { [trivyImage('trivy_image_vulnerabilities', 'Critical')]: '0x40', [trivyImage('trivy_image_vulnerabilities', 'Medium')]: '7x40' },
    at: '20m',
    labels: IMAGE,
  },
  TrivyCriticalMisconfiguration: {
    firing: { [trivyResource('Critical')]: '1x40', [trivyResource('Low')]: '4x40' },
    healthy: { [trivyResource('Critical')]: '0x40', [trivyResource('Low')]: '4x40' },
    at: '20m',
    labels: { namespace: 'shop', resource_kind: 'ReplicaSet', resource_name: 'checkout-5d9f' },
  },
  HighMemoryUsage: {
    firing: { [memory('container_memory_working_set_bytes')]: '95x40', [memory('container_spec_memory_limit_bytes')]: '100x40' },
    healthy: { [memory('container_memory_working_set_bytes')]: '50x40', [memory('container_spec_memory_limit_bytes')]: '100x40' },
    at: '20m',
    labels: { namespace: 'shop', pod: 'checkout-0', container: 'app' },
  },
};

/**
 * The SLO burn-rate alerts: half of the requests failing (or slow) burns every
 * window's budget (page and ticket fire); none failing keeps both silent. The
 * SLI's metric is read from the rule's own recording expression.
 */
function sloCase(rule: Json): AlertCase {
  const groups = ((rule.spec as Json).groups as Json[]) ?? [];
  const exprs = groups.flatMap((g) => (g.rules as Json[]).filter((r) => r.record).map((r) => String(r.expr)));
  const labels = { namespace: 'shop', service: 'checkout' };
  const series = (metric: string, extra: string): string => `${metric}{namespace="shop",service="checkout"${extra}}`;
  for (const expr of exprs) {
    const ratio = /rate\((\w+)\{status=~"5\.\."\}/.exec(expr);
    if (ratio) {
      return {
        firing: { [series(ratio[1], ',status="500"')]: '0+60x100', [series(ratio[1], ',status="200"')]: '0+60x100' },
        healthy: { [series(ratio[1], ',status="500"')]: '0x100', [series(ratio[1], ',status="200"')]: '0+60x100' },
        at: '70m',
        labels,
      };
    }
    const latency = /rate\((\w+)_bucket\{le="([^"]+)"\}/.exec(expr);
    if (latency) {
      const bucket = series(`${latency[1]}_bucket`, `,le="${latency[2]}"`);
      const count = series(`${latency[1]}_count`, '');
      return { firing: { [bucket]: '0+30x100', [count]: '0+60x100' }, healthy: { [bucket]: '0+60x100', [count]: '0+60x100' }, at: '70m', labels };
    }
  }
  throw new Error(`PrometheusRule ${String((rule.metadata as Json).name)}: no SLI series shape known for its recording rules (${exprs[0]})`);
}

/** Rule groups without annotations: promtool compares annotations too; `check rules` covers their templates. */
function withoutAnnotations(groups: Json[]): Json[] {
  return groups.map((g) => ({ ...g, rules: (g.rules as Json[]).map(({ annotations: _a, ...r }) => r) }));
}

describe('promtool', { skip: promtool.skip }, () => {
  it('checks the groups of every PrometheusRule of every environment', () => {
    let checked = 0;
    for (const r of results) {
      for (const { object } of r.objects.filter((o) => o.object.kind === 'PrometheusRule')) {
        const file = write(`promtool/${envName(r)}/${object.metadata.name}.yaml`, stringify({ groups: (object.spec as Json).groups }));
        const result = run(promtool.path!, ['check', 'rules', file]);
        assert.equal(result.status, 0, `${envName(r)} PrometheusRule ${object.metadata.name}:\n${output(result)}`);
        checked += 1;
      }
    }
    assert.ok(checked >= ENVIRONMENTS.length, `only ${checked} PrometheusRules checked`);
  });

  it('fires every alert on series that should fire it and stays silent on healthy series', () => {
    let alerts = 0;
    for (const r of results) {
      for (const { object } of r.objects.filter((o) => o.object.kind === 'PrometheusRule')) {
        const name = object.metadata.name;
        const groups = (object.spec as Json).groups as Json[];
        const ruleFile = write(`promtool-test/${envName(r)}/${name}.rules.yaml`, stringify({ groups: withoutAnnotations(groups) }));
        const isSlo = groups.some((g) => (g.rules as Json[]).some((x) => x.record));
        const tests: Json[] = [];
        const byName = new Map<string, Json[]>();
        for (const rule of groups.flatMap((g) => g.rules as Json[]).filter((x) => x.alert)) {
          byName.set(String(rule.alert), [...(byName.get(String(rule.alert)) ?? []), rule]);
        }
        for (const [alert, rules] of byName) {
          const c = isSlo ? sloCase(object as unknown as Json) : ALERT_CASES[alert];
          assert.ok(c, `${envName(r)} ${name}: alert ${alert} has no promtool case in ALERT_CASES`);
          const inputs = (s: Readonly<Record<string, string>>): Json[] => Object.entries(s).map(([series, values]) => ({ series, values }));
          const expected = rules.map((rule) => ({ exp_labels: { ...c.labels, ...((rule.labels as Json) ?? {}) } }));
          tests.push({ interval: '1m', input_series: inputs(c.firing), alert_rule_test: [{ eval_time: c.at, alertname: alert, exp_alerts: expected }] });
          tests.push({ interval: '1m', input_series: inputs(c.healthy), alert_rule_test: [{ eval_time: c.at, alertname: alert, exp_alerts: [] }] });
          alerts += rules.length;
        }
        if (tests.length === 0) continue;
        const testFile = write(`promtool-test/${envName(r)}/${name}.test.yaml`, stringify({ rule_files: [path.basename(ruleFile)], evaluation_interval: '1m', tests }));
        const result = run(promtool.path!, ['test', 'rules', path.basename(testFile)], { cwd: path.dirname(testFile) });
        assert.equal(result.status, 0, `${envName(r)} PrometheusRule ${name}:\n${output(result)}`);
      }
    }
    assert.ok(alerts > 0, 'no alert was tested');
  });
});

// -------------------------------------------------------------------- helm

describe('helm', { skip: helm.skip }, () => {
  it('lints the bootstrap chart of every environment', () => {
    for (const r of results) {
      const chart = path.join(r.directory, 'bootstrap');
      assert.ok(fs.existsSync(path.join(chart, 'Chart.yaml')), `${envName(r)}: no bootstrap chart`);
      const result = run(helm.path!, ['lint', '--strict', chart]);
      assert.equal(result.status, 0, `${envName(r)}: helm lint\n${output(result)}`);
    }
  });

  it('renders the bootstrap chart to exactly the files it ships', () => {
    for (const r of results) {
      const chart = path.join(r.directory, 'bootstrap');
      const result = run(helm.path!, ['template', 'bootstrap', chart, '--namespace', 'default']);
      assert.equal(result.status, 0, `${envName(r)}: helm template\n${output(result)}`);
      // helm orders the rendered objects by kind (its install order): compare in one order.
      const rendered = sortObjects(parseAllDocuments(result.stdout).map((d) => d.toJS()).filter((d) => d !== null));
      const files = [...r.files.keys()].filter((f) => /^bootstrap\/files\/[^/]+\.yaml$/.test(f)).sort();
      assert.ok(files.length > 0, `${envName(r)}: the chart ships no files`);
      const shipped = sortObjects(files.flatMap((f) => parseAllDocuments(r.files.get(f)!).map((d) => d.toJS()).filter((d) => d !== null)));
      assert.equal(rendered.length, shipped.length, `${envName(r)}: helm template rendered ${rendered.length} objects, the files hold ${shipped.length}`);
      assert.deepEqual(rendered, shipped, `${envName(r)}: helm template differs from bootstrap/files/`);
    }
  });
});

function sortObjects(objects: unknown[]): unknown[] {
  const key = (o: unknown): string => JSON.stringify(o);
  return [...objects].sort((a, b) => key(a).localeCompare(key(b)));
}

// ------------------------------------------------------------------- gator

function objectsOf(r: SynthResult, kind: string): ManifestObject[] {
  return r.objects.map((o) => o.object).filter((o) => o.kind === kind);
}

function isConstraint(o: ManifestObject): boolean {
  return o.apiVersion.startsWith('constraints.gatekeeper.sh/');
}

describe('gator', { skip: gator.skip }, () => {
  it('verifies every ConstraintTemplate against the synth-time fixtures, case by case', () => {
    let cases = 0;
    for (const r of results) {
      const constraints = r.objects.map((o) => o.object).filter(isConstraint);
      for (const template of objectsOf(r, 'ConstraintTemplate')) {
        const kind = String(((((template.spec as Json).crd as Json).spec as Json).names as Json).kind);
        const constraint = constraints.find((c) => c.kind === kind);
        assert.ok(constraint, `${envName(r)}: no constraint of kind ${kind}`);
        // The constraint is named after its policy id.
        const fixtures = FIXTURES[constraint.metadata.name as keyof typeof FIXTURES];
        assert.ok(fixtures, `${envName(r)}: no fixtures for ${kind}`);
        const excluded = ((((constraint.spec as Json).match as Json | undefined)?.excludedNamespaces as string[] | undefined) ?? []);
        const dir = `gator/${envName(r)}/${template.metadata.name}`;
        write(`${dir}/template.yaml`, stringify(template));
        write(`${dir}/constraint.yaml`, stringify(constraint));
        const suiteCases = fixtures.map((f, i) => {
          write(`${dir}/case-${i}.yaml`, stringify(f.object));
          const rules = excluded.includes(f.object.metadata.namespace ?? '') ? [] : f.rules;
          const counts = new Map<string, number>();
          for (const rule of rules) counts.set(rule, (counts.get(rule) ?? 0) + 1);
          const assertions = rules.length === 0 ? [{ violations: 'no' }] : [{ violations: rules.length }, ...[...counts].map(([rule, n]) => ({ violations: n, message: escapeRegex(rule) }))];
          cases += 1;
          return { name: f.name, object: `case-${i}.yaml`, assertions };
        });
        const suite = { kind: 'Suite', apiVersion: 'test.gatekeeper.sh/v1alpha1', tests: [{ name: kind, template: 'template.yaml', constraint: 'constraint.yaml', cases: suiteCases }] };
        write(`${dir}/suite.yaml`, stringify(suite));
        const result = run(gator.path!, ['verify', path.join(scratch, dir)]);
        assert.equal(result.status, 0, `${envName(r)} ${kind}: gator verify\n${output(result)}`);
      }
    }
    assert.ok(cases > 0, 'no gator case ran');
  });

  it('finds no violation in any environment tree (prod enforces deny)', () => {
    for (const r of results) {
      const objects = r.objects.map((o) => o.object);
      const file = write(`gator-test/${envName(r)}.yaml`, yamlDocs(objects));
      const result = run(gator.path!, ['test', '--filename', file]);
      assert.equal(result.status, 0, `${envName(r)}: gator test\n${output(result)}`);
      assert.equal(result.stdout.trim(), '', `${envName(r)}: gator test reported violations:\n${output(result)}`);
    }
  });
});

function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
