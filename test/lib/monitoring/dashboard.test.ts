import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { GRAFANA_SCHEMA_VERSION, GrafanaDashboard, layout, Panel } from '../../../lib/monitoring/dashboard';
import { gitOpsOverview, MODULE_DASHBOARDS } from '../../../lib/monitoring/dashboards';
import { MODULE_NAMES } from '../../../lib/platform/environment';
import { validateManifest } from '../../support/validate';
import { assertPromQL, objects, testChart } from './support';

type Target = { refId: string; expr: string; legendFormat?: string; datasource: { type: string; uid: string } };
type PanelJson = { id: number; type: string; title: string; gridPos: { x: number; y: number; w: number; h: number }; datasource: unknown; targets: Target[]; fieldConfig: { defaults: Record<string, unknown>; overrides: unknown[] }; options: Record<string, unknown> };
type Model = { uid: string; title: string; schemaVersion: number; panels: PanelJson[]; templating: { list: Array<Record<string, unknown>> }; time: unknown; id: unknown; tags: string[] };

/** Checks the structure Grafana needs to load a dashboard JSON model. */
function assertGrafanaModel(model: Model): void {
  assert.equal(typeof model.uid, 'string');
  assert.ok(model.title.length > 0);
  assert.equal(model.id, null);
  assert.equal(model.schemaVersion, GRAFANA_SCHEMA_VERSION);
  assert.deepEqual(model.time, { from: 'now-6h', to: 'now' });
  assert.deepEqual(model.templating.list.map((v) => [v.name, v.type, v.query]), [['datasource', 'datasource', 'prometheus']]);
  assert.ok(model.panels.length > 0);
  const ids = new Set<number>();
  for (const panel of model.panels) {
    assert.ok(Number.isInteger(panel.id) && !ids.has(panel.id), `panel id ${panel.id}`);
    ids.add(panel.id);
    assert.ok(['stat', 'timeseries', 'gauge', 'table'].includes(panel.type), panel.type);
    const g = panel.gridPos;
    assert.ok(g.x >= 0 && g.w >= 1 && g.x + g.w <= 24 && g.y >= 0 && g.h >= 1, `${panel.title} gridPos ${JSON.stringify(g)}`);
    assert.deepEqual(panel.datasource, { type: 'prometheus', uid: '${datasource}' });
    assert.ok(panel.targets.length > 0, `${panel.title} has no target`);
    panel.targets.forEach((t, i) => {
      assert.equal(t.refId, String.fromCharCode(65 + i));
      assert.deepEqual(t.datasource, { type: 'prometheus', uid: '${datasource}' });
      assertPromQL(t.expr, `${model.title} / ${panel.title}`);
    });
    assert.ok(Array.isArray(panel.fieldConfig.overrides));
    assert.equal(typeof panel.options, 'object');
  }
  // Panels never overlap.
  const cells = new Set<string>();
  for (const p of model.panels) {
    for (let x = p.gridPos.x; x < p.gridPos.x + p.gridPos.w; x++) {
      for (let y = p.gridPos.y; y < p.gridPos.y + p.gridPos.h; y++) {
        assert.ok(!cells.has(`${x},${y}`), `${p.title} overlaps at ${x},${y}`);
        cells.add(`${x},${y}`);
      }
    }
  }
}

function dashboardObject(props: ConstructorParameters<typeof GrafanaDashboard>[2]) {
  const chart = testChart();
  const dashboard = new GrafanaDashboard(chart, 'Dashboard', props);
  const [obj] = objects(chart);
  return { dashboard, obj, model: JSON.parse((obj.data as Record<string, string>)[`${props.uid}.json`]) as Model };
}

describe('GrafanaDashboard', () => {
  it('renders a ConfigMap labelled for the Grafana sidecar, in a folder', () => {
    const { obj } = dashboardObject({ uid: 'demo', title: 'Demo', panels: [Panel.stat({ title: 'Up', queries: [{ expr: 'sum(up)' }] })] });
    assert.equal(obj.apiVersion, 'v1');
    assert.equal(obj.kind, 'ConfigMap');
    assert.deepEqual(obj.metadata, {
      name: 'grafana-dashboard-demo',
      namespace: 'monitoring',
      labels: { grafana_dashboard: '1' },
      annotations: { grafana_folder: 'GitOps' },
    });
    assert.deepEqual(Object.keys(obj.data as object), ['demo.json']);
    assert.deepEqual(validateManifest(obj), []);
  });

  it('renders a valid Grafana dashboard model with targets, refIds and units', () => {
    const { model } = dashboardObject({
      uid: 'demo',
      title: 'Demo',
      tags: ['demo'],
      panels: [
        Panel.stat({ title: 'Up', queries: [{ expr: 'sum(up)' }], thresholds: [{ value: 1, color: 'red' }] }),
        Panel.timeSeries({ title: 'Rate', unit: 'reqps', queries: [{ expr: 'rate(a[5m])', legendFormat: '{{ job }}' }, { expr: 'rate(b[5m])' }] }),
        Panel.table({ title: 'Now', queries: [{ expr: 'up == 0' }] }),
      ],
    });
    assertGrafanaModel(model);
    assert.deepEqual(model.tags, ['demo']);
    const [stat, series, table] = model.panels;
    assert.deepEqual(stat.fieldConfig.defaults.thresholds, { mode: 'absolute', steps: [{ color: 'green', value: null }, { color: 'red', value: 1 }] });
    assert.deepEqual(series.targets.map((t) => [t.refId, t.expr, t.legendFormat]), [['A', 'rate(a[5m])', '{{ job }}'], ['B', 'rate(b[5m])', undefined]]);
    assert.equal(series.fieldConfig.defaults.unit, 'reqps');
    assert.deepEqual(table.targets[0], { refId: 'A', datasource: { type: 'prometheus', uid: '${datasource}' }, expr: 'up == 0', editorMode: 'code', range: false, instant: true, format: 'table' });
  });

  it('lays panels out left to right and wraps at 24 columns', () => {
    const p = (w: number, h = 4) => Panel.stat({ title: 't', width: w, height: h, queries: [{ expr: 'up' }] });
    assert.deepEqual(layout([p(12), p(6, 8), p(12), p(24)]).map((l) => l.gridPos), [
      { x: 0, y: 0, w: 12, h: 4 },
      { x: 12, y: 0, w: 6, h: 8 },
      { x: 0, y: 8, w: 12, h: 4 },
      { x: 0, y: 12, w: 24, h: 4 },
    ]);
  });

  it('fails when a panel has no query', () => {
    assert.throws(() => dashboardObject({ uid: 'demo', title: 'Demo', panels: [Panel.stat({ title: 'Empty', queries: [] })] }), {
      name: 'ConfigError',
      message: 'test/Dashboard: panels[0].queries is []. Panel "Empty" has no query. Add at least one, such as { expr: "sum(up)" }.',
    });
  });

  it('fails when a panel query does not parse, and on bad uids, widths and empty dashboards', () => {
    assert.throws(
      () => dashboardObject({ uid: 'demo', title: 'Demo', panels: [Panel.timeSeries({ title: 'Bad', queries: [{ expr: 'sum(rate(x[5m])' }] })] }),
      /test\/Dashboard: panels\[0\]\.queries\[0\]\.expr is "sum\(rate\(x\[5m\]\)"\. It is not valid PromQL/,
    );
    assert.throws(() => dashboardObject({ uid: 'has space', title: 'D', panels: [Panel.stat({ title: 'a', queries: [{ expr: 'up' }] })] }), /test\/Dashboard: uid is "has space"\./);
    assert.throws(() => dashboardObject({ uid: 'd', title: 'D', panels: [Panel.stat({ title: 'a', width: 30, queries: [{ expr: 'up' }] })] }), /test\/Dashboard: panels\[0\]\.width is 30\. Use a whole number of grid columns from 1 to 24\./);
    assert.throws(() => dashboardObject({ uid: 'd', title: 'D', panels: [] }), /test\/Dashboard: panels is \[\]\. Add at least one panel/);
  });
});

describe('shipped dashboards', () => {
  it('GitOps Overview has the seeds panels and queries', () => {
    const overview = gitOpsOverview({ argocd: true, flux: true })!;
    const { model } = dashboardObject(overview);
    assertGrafanaModel(model);
    assert.equal(model.title, 'GitOps Overview');
    const panels = new Map(model.panels.map((p) => [p.title, p]));
    assert.deepEqual(panels.get('Application Sync Status')!.targets.map((t) => [t.expr, t.legendFormat]), [['sum by (sync_status) (argocd_app_info)', '{{ sync_status }}']]);
    assert.equal(panels.get('Application Sync Status')!.type, 'stat');
    assert.deepEqual(panels.get('Sync Frequency')!.targets.map((t) => [t.expr, t.legendFormat]), [['rate(argocd_app_sync_total[5m])', '{{ name }}']]);
    assert.equal(panels.get('Sync Frequency')!.type, 'timeseries');
    assert.deepEqual(panels.get('Flux Reconciliation Rate')!.targets.map((t) => [t.expr, t.legendFormat]), [['rate(gotk_reconcile_duration_seconds_count[5m])', '{{ kind }}/{{ name }}']]);
  });

  it('GitOps Overview follows the enabled controllers', () => {
    assert.deepEqual(gitOpsOverview({ argocd: true, flux: false })!.panels.map((p) => p.title), ['Application Sync Status', 'Application Health', 'Sync Frequency']);
    assert.deepEqual(gitOpsOverview({ argocd: false, flux: true })!.panels.map((p) => p.title), ['Flux Reconciliation Rate', 'Flux Objects Not Ready']);
    assert.equal(gitOpsOverview({ argocd: false, flux: false }), undefined);
  });

  it('every module has a valid dashboard whose queries parse', () => {
    const uids = new Set<string>();
    for (const module of MODULE_NAMES) {
      const definition = MODULE_DASHBOARDS[module]();
      const { model, obj } = dashboardObject(definition);
      assertGrafanaModel(model);
      assert.deepEqual(validateManifest(obj), []);
      assert.ok(!uids.has(model.uid));
      uids.add(model.uid);
    }
    assert.equal(uids.size, MODULE_NAMES.length);
  });
});
