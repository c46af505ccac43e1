import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { ConfigError } from '../platform/errors';
import { checkPromQL } from './promql';
import { checkProps } from '../platform/config-boundary/props';

/** The Grafana dashboard JSON schema version the model is written for (Grafana 11 and later migrate it forward). */
export const GRAFANA_SCHEMA_VERSION = 39;

/** The label (and value) kube-prometheus-stack's Grafana sidecar watches for dashboards. */
export const DASHBOARD_LABEL = { key: 'grafana_dashboard', value: '1' } as const;

/** The annotation naming the Grafana folder of a dashboard ConfigMap (`sidecar.dashboards.folderAnnotation`). */
export const FOLDER_ANNOTATION = 'grafana_folder';

/** Every panel's data source: the dashboard's `datasource` variable (Prometheus). */
const DATASOURCE = { type: 'prometheus', uid: '${datasource}' } as const;

/** One PromQL query of a panel. */
export interface PanelQuery {
  /** The PromQL expression. */
  readonly expr: string;
  /** Legend text (a Grafana template: `{{ namespace }}/{{ name }}`). @default - the series labels */
  readonly legendFormat?: string;
}

/** A colour threshold: from `value` upwards the panel shows `color`. */
export interface Threshold {
  /** The lower bound. */
  readonly value: number;
  /** A Grafana colour name or hex code (`red`, `#EAB839`). */
  readonly color: string;
}

/** Options common to every panel. */
export interface PanelOptions {
  /** The title. */
  readonly title: string;
  /** The queries: at least one. */
  readonly queries: readonly PanelQuery[];
  /** Tooltip text. @default - none */
  readonly description?: string;
  /** Grafana unit (`short`, `percentunit`, `s`, `bytes`, `reqps`). @default 'short' */
  readonly unit?: string;
  /** Width in grid columns (1-24). @default 6 for stat and gauge, 12 otherwise */
  readonly width?: number;
  /** Height in grid rows. @default 4 for stat, 8 otherwise */
  readonly height?: number;
  /** Colour thresholds above the base colour (green). @default [] */
  readonly thresholds?: readonly Threshold[];
  /** Axis / gauge minimum. @default - automatic */
  readonly min?: number;
  /** Axis / gauge maximum. @default - automatic */
  readonly max?: number;
}

/** The Grafana panel types the dashboards use. */
export type PanelType = 'stat' | 'timeseries' | 'gauge' | 'table';

/** Where a panel sits on the 24-column grid. */
export interface GridPos {
  readonly x: number;
  readonly y: number;
  readonly w: number;
  readonly h: number;
}

/** A dashboard panel. */
export class Panel {
  /** A single big number (the seeds' "Application Sync Status"). */
  public static stat(options: PanelOptions): Panel {
    return new Panel('stat', options, 6, 4);
  }

  /** Lines over time (the seeds' "Sync Frequency"; Grafana's `timeseries` replaces `graph`). */
  public static timeSeries(options: PanelOptions): Panel {
    return new Panel('timeseries', options, 12, 8);
  }

  /** A gauge against min/max and thresholds. */
  public static gauge(options: PanelOptions): Panel {
    return new Panel('gauge', options, 6, 8);
  }

  /** A table of the current values (instant queries). */
  public static table(options: PanelOptions): Panel {
    return new Panel('table', options, 12, 8);
  }

  /** Width in grid columns. */
  public readonly width: number;
  /** Height in grid rows. */
  public readonly height: number;

  private constructor(
    /** The Grafana panel type. */
    public readonly type: PanelType,
    private readonly options: PanelOptions,
    defaultWidth: number,
    defaultHeight: number,
  ) {
    this.width = options.width ?? defaultWidth;
    this.height = options.height ?? defaultHeight;
  }

  /** The title. */
  public get title(): string {
    return this.options.title;
  }

  /** The queries. */
  public get queries(): readonly PanelQuery[] {
    return this.options.queries ?? [];
  }

  /** Checks the panel; `field` prefixes the field names in errors. */
  public validate(where: string, field: string): void {
    if (typeof this.options.title !== 'string' || this.options.title.trim() === '') {
      throw new ConfigError(where, `${field}.title`, this.options.title, 'Give every panel a title.');
    }
    if (!Array.isArray(this.options.queries) || this.options.queries.length === 0) {
      throw new ConfigError(
        where,
        `${field}.queries`,
        this.options.queries,
        `Panel "${this.options.title}" has no query. Add at least one, such as { expr: "sum(up)" }.`,
      );
    }
    this.options.queries.forEach((q, i) => checkPromQL(where, `${field}.queries[${i}].expr`, q.expr));
    if (!Number.isInteger(this.width) || this.width < 1 || this.width > 24) {
      throw new ConfigError(where, `${field}.width`, this.width, 'Use a whole number of grid columns from 1 to 24.');
    }
    if (!Number.isInteger(this.height) || this.height < 1) {
      throw new ConfigError(where, `${field}.height`, this.height, 'Use a whole number of grid rows, at least 1.');
    }
  }

  /** The panel as Grafana dashboard JSON. */
  public render(id: number, gridPos: GridPos): Record<string, unknown> {
    const o = this.options;
    const table = this.type === 'table';
    return {
      id,
      type: this.type,
      title: o.title,
      ...(o.description ? { description: o.description } : {}),
      gridPos,
      datasource: { ...DATASOURCE },
      targets: o.queries.map((q, i) => ({
        refId: refId(i),
        datasource: { ...DATASOURCE },
        expr: q.expr,
        ...(q.legendFormat ? { legendFormat: q.legendFormat } : {}),
        editorMode: 'code',
        range: !table,
        instant: table,
        ...(table ? { format: 'table' } : {}),
      })),
      fieldConfig: {
        defaults: {
          unit: o.unit ?? 'short',
          ...(o.min !== undefined ? { min: o.min } : {}),
          ...(o.max !== undefined ? { max: o.max } : {}),
          thresholds: {
            mode: 'absolute',
            steps: [{ color: 'green', value: null }, ...(o.thresholds ?? []).map((t) => ({ color: t.color, value: t.value }))],
          },
        },
        overrides: [],
      },
      options: panelOptions(this.type),
    };
  }
}

function refId(index: number): string {
  let id = '';
  let n = index;
  do {
    id = String.fromCharCode(65 + (n % 26)) + id;
    n = Math.floor(n / 26) - 1;
  } while (n >= 0);
  return id;
}

function panelOptions(type: PanelType): Record<string, unknown> {
  const reduce = { reduceOptions: { calcs: ['lastNotNull'], fields: '', values: false } };
  switch (type) {
    case 'stat':
      return { ...reduce, colorMode: 'value', graphMode: 'area', justifyMode: 'auto', orientation: 'auto', textMode: 'auto' };
    case 'gauge':
      return { ...reduce, showThresholdLabels: false, showThresholdMarkers: true, orientation: 'auto' };
    case 'timeseries':
      return { legend: { displayMode: 'list', placement: 'bottom', showLegend: true }, tooltip: { mode: 'multi', sort: 'desc' } };
    case 'table':
      return { showHeader: true, cellHeight: 'sm' };
  }
}

/** Options for {@link GrafanaDashboard}. */
export interface GrafanaDashboardProps {
  /** Stable dashboard UID (letters, digits, `-`, `_`; at most 40). */
  readonly uid: string;
  /** The title. */
  readonly title: string;
  /** The panels, laid out left to right, top to bottom on the 24-column grid. */
  readonly panels: readonly Panel[];
  /** Description. @default - none */
  readonly description?: string;
  /** Tags. @default ['gitops'] */
  readonly tags?: readonly string[];
  /** The Grafana folder (sidecar folder annotation). @default 'GitOps' */
  readonly folder?: string;
  /** Auto-refresh interval. @default '30s' */
  readonly refresh?: string;
  /** Default time range start. @default 'now-6h' */
  readonly timeFrom?: string;
  /** Namespace of the ConfigMap. @default 'monitoring' */
  readonly namespace?: string;
}

/**
 * A Grafana dashboard as code: a typed model rendered to Grafana's dashboard
 * JSON in a ConfigMap labelled `grafana_dashboard: "1"`, which the Grafana
 * sidecar of kube-prometheus-stack loads. Panels use the dashboard's
 * `datasource` variable, so the dashboard works with any Prometheus data
 * source name.
 */
export class GrafanaDashboard extends Construct {
  /** The generated ConfigMap. */
  public readonly resource: ApiObject;
  /** The dashboard UID. */
  public readonly uid: string;
  /** The title. */
  public readonly title: string;
  /** The dashboard JSON model. */
  public readonly model: Record<string, unknown>;
  /** The ConfigMap name. */
  public readonly configMapName: string;

  constructor(scope: Construct, id: string, props: GrafanaDashboardProps) {
    super(scope, id);
    checkProps(this, 'GrafanaDashboardProps', props);
    const where = this.node.path;
    if (typeof props.uid !== 'string' || !/^[a-zA-Z0-9_-]{1,40}$/.test(props.uid)) {
      throw new ConfigError(where, 'uid', props.uid, 'Use at most 40 letters, digits, "-" or "_", such as "gitops-overview".');
    }
    if (typeof props.title !== 'string' || props.title.trim() === '') {
      throw new ConfigError(where, 'title', props.title, 'Give the dashboard a title.');
    }
    if (!Array.isArray(props.panels) || props.panels.length === 0) {
      throw new ConfigError(where, 'panels', props.panels, 'Add at least one panel, such as Panel.stat({ title: "Targets up", queries: [{ expr: "sum(up)" }] }).');
    }
    props.panels.forEach((p, i) => p.validate(where, `panels[${i}]`));
    this.uid = props.uid;
    this.title = props.title;
    this.configMapName = `grafana-dashboard-${props.uid.toLowerCase().replace(/_/g, '-')}`;

    this.model = {
      id: null,
      uid: props.uid,
      title: props.title,
      ...(props.description ? { description: props.description } : {}),
      tags: [...(props.tags ?? ['gitops'])],
      timezone: 'browser',
      editable: false,
      graphTooltip: 1,
      schemaVersion: GRAFANA_SCHEMA_VERSION,
      version: 1,
      refresh: props.refresh ?? '30s',
      time: { from: props.timeFrom ?? 'now-6h', to: 'now' },
      timepicker: {},
      fiscalYearStartMonth: 0,
      liveNow: false,
      links: [],
      annotations: {
        list: [
          {
            builtIn: 1,
            datasource: { type: 'grafana', uid: '-- Grafana --' },
            enable: true,
            hide: true,
            iconColor: 'rgba(0, 211, 255, 1)',
            name: 'Annotations & Alerts',
            type: 'dashboard',
          },
        ],
      },
      templating: {
        list: [
          {
            name: 'datasource',
            label: 'Data source',
            type: 'datasource',
            query: 'prometheus',
            current: {},
            hide: 0,
            includeAll: false,
            multi: false,
            options: [],
            refresh: 1,
            regex: '',
            skipUrlSync: false,
          },
        ],
      },
      panels: layout(props.panels).map(({ panel, gridPos }, i) => panel.render(i + 1, gridPos)),
    };

    this.resource = new ApiObject(this, 'Resource', {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: {
        name: this.configMapName,
        namespace: props.namespace ?? 'monitoring',
        labels: { [DASHBOARD_LABEL.key]: DASHBOARD_LABEL.value },
        annotations: { [FOLDER_ANNOTATION]: props.folder ?? 'GitOps' },
      },
      data: { [`${props.uid}.json`]: `${JSON.stringify(this.model, null, 2)}\n` },
    });
  }

  /** Every PromQL expression of the dashboard. */
  public get expressions(): string[] {
    return (this.model.panels as Array<{ targets: Array<{ expr: string }> }>).flatMap((p) => p.targets.map((t) => t.expr));
  }
}

/** Places panels left to right, wrapping to a new row when the 24 columns are full. */
export function layout(panels: readonly Panel[]): Array<{ panel: Panel; gridPos: GridPos }> {
  let x = 0;
  let y = 0;
  let rowHeight = 0;
  return panels.map((panel) => {
    if (x + panel.width > 24) {
      x = 0;
      y += rowHeight;
      rowHeight = 0;
    }
    const gridPos = { x, y, w: panel.width, h: panel.height };
    x += panel.width;
    rowHeight = Math.max(rowHeight, panel.height);
    return { panel, gridPos };
  });
}
