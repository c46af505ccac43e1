import { ApiObject, App, Chart, DependencyGraph } from 'cdk8s';
import { IConstruct } from 'constructs';
import { ConfigError } from './errors';
import { toYaml, toYamlDocuments } from './yaml';

/**
 * The synced parts of an environment's path in the GitOps repository, in the
 * order they are reconciled: cluster add-ons, policies, team tenants, applications.
 */
export const TREE_SECTIONS = ['infrastructure', 'policies', 'tenants', 'apps'] as const;

/** One of {@link TREE_SECTIONS}. */
export type TreeSection = (typeof TREE_SECTIONS)[number];

/** A Kubernetes object as plain JSON. */
export interface ManifestObject {
  readonly apiVersion: string;
  readonly kind: string;
  readonly metadata: { readonly name?: string; readonly namespace?: string; readonly [key: string]: unknown };
  readonly [key: string]: unknown;
}

/** Which object: its API version, kind, name and namespace. */
export interface ObjectId {
  readonly apiVersion: string;
  readonly kind: string;
  readonly name: string;
  /** @default - none (cluster-scoped, or the namespace is left to the sync) */
  readonly namespace?: string;
}

/** A rendered object with the file it goes to. */
export interface RenderedManifest {
  /**
   * Path relative to the environment's output directory: the file the object
   * is written to or, for a chart delivered by its overlay
   * ({@link GitOpsTree.overlayChart}), the Kustomize directory that builds it.
   */
  readonly file: string;
  /** Where the file goes: a synced section, or the Terraform-installed bootstrap chart. */
  readonly section: TreeSection | 'bootstrap';
  /** The object. */
  readonly object: ManifestObject;
  /**
   * Set when no file holds the object: `file` is a Kustomize directory that
   * builds it (see {@link GitOpsTree.overlayChart}).
   * @default - the object is written to `file`
   */
  readonly overlay?: OverlayDelivery;
}

/** How a chart delivered by its overlay reaches the cluster (see {@link GitOpsTree.overlayChart}). */
export interface OverlayDelivery {
  /**
   * Whether the section's `kustomization.yaml` lists the directory, so that
   * whatever syncs the section (Argo CD's root app) builds and applies it;
   * otherwise a sync object that names the directory applies it (a Flux
   * Kustomization).
   */
  readonly listed: boolean;
}

/** Options for {@link GitOpsTree.overlayChart}. */
export interface OverlayChartOptions {
  /**
   * The Kustomize directory (an overlay, its files added with `addFile`) that
   * builds exactly the chart's objects, relative to the section's folder
   * (`delivery/frontend/overlays/prod`).
   */
  readonly directory: string;
  /**
   * List the directory as a resource of the section's `kustomization.yaml`.
   * @default true
   */
  readonly listed?: boolean;
}

/** Options for {@link GitOpsTree}. */
export interface GitOpsTreeProps {
  /** Labels put on every object. */
  readonly labels: Readonly<Record<string, string>>;
}

/**
 * An empty, `.` or `..` segment in a `/`-separated path (a leading or trailing
 * `/` is an empty one): tested for every file added, without splitting the path.
 */
const NOT_PLAIN_SEGMENT = /(?:^|\/)\.{0,2}(?:\/|$)/;

/**
 * Whether `path` is relative and `/`-separated into named segments (no empty,
 * `.` or `..` one): what `path.join(root, path)` leaves as it is, on a system
 * whose separator is `/`.
 */
export function isPlainRelativePath(path: string): boolean {
  return !NOT_PLAIN_SEGMENT.test(path);
}

/**
 * The Kubernetes side of one environment: cdk8s charts grouped into the
 * sections of the GitOps tree, the bootstrap chart that Terraform installs,
 * and plain files (requirements, pipelines, overlays). Rendering is pure and
 * deterministic; writing to disk is the stack's job.
 */
export class GitOpsTree {
  /** The cdk8s app that owns every chart of this environment. */
  public readonly app: App;
  private readonly labels: Readonly<Record<string, string>>;
  private readonly charts = new Map<string, TreeEntry>();
  private readonly files = new Map<string, string>();

  constructor(props: GitOpsTreeProps) {
    this.labels = props.labels;
    this.app = new App({ outdir: '.', recordConstructMetadata: false });
  }

  /**
   * The chart for `<section>/<name>.yaml`, created on first use. Objects added
   * to it are synced by the controllers from Git.
   */
  public chart(section: TreeSection, name: string): Chart {
    return this.getChart(section, name);
  }

  /**
   * A chart that is checked like every other but delivered by a Kustomize
   * overlay of the tree instead of a file of its own: its objects are
   * rendered and given to every synth-time check (strict schemas, policies,
   * the deploy model, the name and secret checks) by `manifests()`, with the
   * overlay's directory as their `file`, and `render()` writes no file for
   * them. With `listed` (the default) the section's `kustomization.yaml`
   * lists the directory, so Argo CD's root app (or `kustomize build` of the
   * tree) builds the overlay where it builds the section.
   *
   * The caller writes the overlay's files with `addFile` and promises that
   * `kustomize build <section>/<directory>` gives exactly the chart's objects;
   * the delivery module's services are built this way, and
   * `test/lib/delivery/kustomize.test.ts` holds it to that promise with the
   * real kustomize.
   */
  public overlayChart(section: TreeSection, name: string, options: OverlayChartOptions): Chart {
    const overlay = overlayOf(options);
    const existing = this.charts.get(`${section}/${name}`);
    if (existing && (existing.overlay?.directory !== overlay.directory || existing.overlay.listed !== overlay.listed)) {
      throw new ConfigError('GitOpsTree', 'chart name', `${section}/${name}`, 'The chart exists already with another delivery; choose another name.');
    }
    const chart = this.getChart(section, name);
    this.charts.get(`${section}/${name}`)!.overlay = overlay;
    return chart;
  }

  /**
   * Objects delivered by a Kustomize overlay of the tree, given as the JSON
   * that `kustomize build <section>/<directory>` gives: the same as an
   * {@link overlayChart} holding them (checked by every synth-time check,
   * no file of their own, the directory listed unless `listed: false`), for
   * a caller that has the objects already and need not build them twice. The
   * objects are not validated or changed here; `name` is taken like a
   * chart's name, and is used once.
   */
  public addOverlay(section: TreeSection, name: string, options: OverlayChartOptions, objects: readonly ManifestObject[]): void {
    const overlay = overlayOf(options);
    checkChartName(name);
    const key = `${section}/${name}`;
    if (this.charts.has(key)) {
      throw new ConfigError('GitOpsTree', 'chart name', key, 'The name is in use already; choose another name.');
    }
    this.charts.set(key, { section, name, objects: [...objects], overlay });
  }

  /**
   * The chart for `bootstrap/files/<name>.yaml`: objects that Terraform itself
   * must create (the root app-of-apps, the Flux sync objects, cluster-wide
   * policies), installed as a local Helm chart after the controllers.
   */
  public bootstrapChart(name: string): Chart {
    return this.getChart('bootstrap', name);
  }

  /**
   * Adds a plain file (not a Kubernetes object), such as `jx-requirements.yml`
   * or a Kustomize overlay, at a path relative to the environment directory.
   */
  public addFile(path: string, content: string): void {
    // A path such as `a//b.yaml` or `./b.yaml` would name the file of another path, and escape the check for a second add.
    if (!isPlainRelativePath(path) || path.startsWith('bootstrap/')) {
      throw new ConfigError('GitOpsTree', 'file path', path, 'Use a relative path inside the environment directory, outside bootstrap/, with no empty, "." or ".." segment.');
    }
    if (this.files.has(path)) {
      throw new ConfigError('GitOpsTree', 'file path', path, 'Each file can be added once; choose another name.');
    }
    this.files.set(path, content);
  }

  /**
   * Every object the tree holds so far, without rendering: the API objects of
   * its charts and the objects given to {@link addOverlay}. For a module that
   * reads what the modules before it added (the namespaces a backup covers,
   * say): unlike `manifests()`, it can be called while the tree is built.
   */
  public objectIds(): ObjectId[] {
    const ids: ObjectId[] = [];
    for (const c of this.app.node.findAll()) {
      if (c instanceof ApiObject) ids.push({ apiVersion: c.apiVersion, kind: c.kind, name: c.name, namespace: c.metadata.namespace });
    }
    for (const entry of this.charts.values()) {
      for (const o of entry.objects ?? []) ids.push({ apiVersion: o.apiVersion, kind: o.kind, name: o.metadata.name!, namespace: o.metadata.namespace });
    }
    return ids;
  }

  /**
   * Every object, with its file, in a stable order. The app is prepared and
   * validated once, then each chart is rendered: linear in the number of
   * objects (cdk8s's `Chart.toJson()` prepares and validates the whole app on
   * every call, which is quadratic over many charts).
   */
  public manifests(): RenderedManifest[] {
    const constructs = this.app.node.findAll();
    resolveDependencies(constructs);
    validate(constructs);
    const out: RenderedManifest[] = [];
    for (const key of [...this.charts.keys()].sort()) {
      const entry = this.charts.get(key)!;
      const objects = entry.objects ?? renderChart(entry.chart!);
      if (entry.overlay) {
        const file = `${entry.section}/${entry.overlay.directory}`;
        const overlay = { listed: entry.overlay.listed };
        for (const object of objects) out.push({ file, section: entry.section, object, overlay });
        continue;
      }
      const file =
        entry.section === 'bootstrap' ? `bootstrap/files/${entry.name}.yaml` : `${entry.section}/${entry.name}.yaml`;
      for (const object of objects) {
        out.push({ file, section: entry.section, object });
      }
    }
    return out;
  }

  /**
   * The whole tree as files: manifests grouped per chart, a `kustomization.yaml`
   * per section (listing its files and the directories of its listed overlay
   * charts) and one at the root (so `kustomize build`, Argo CD and Flux
   * all build it), the plain files, and the bootstrap chart. Pass the result
   * of `manifests()` when you have it: rendering the charts is the costly part.
   * Pass `documents` to have it filled with the JSON documents of the
   * `kustomization.yaml` files it writes, so a reader need not parse them.
   */
  public render(
    bootstrap: { chartName: string; chartVersion: string },
    manifests: readonly RenderedManifest[] = this.manifests(),
    documents?: Map<string, readonly unknown[]>,
  ): Map<string, string> {
    const byFile = new Map<string, ManifestObject[]>();
    const overlays = new Set<string>();
    for (const m of manifests) {
      if (m.overlay) {
        if (m.overlay.listed) overlays.add(m.file);
        continue;
      }
      const list = byFile.get(m.file) ?? [];
      list.push(m.object);
      byFile.set(m.file, list);
    }
    const files = new Map<string, string>();
    for (const [file, objects] of byFile) {
      if (objects.length > 0) files.set(file, toYamlDocuments(objects));
    }
    for (const [file, content] of this.files) files.set(file, content);

    const setKustomization = (file: string, resources: readonly string[]): void => {
      const document = kustomization(resources);
      files.set(file, toYaml(document));
      documents?.set(file, [document]);
    };
    const sections: string[] = [];
    for (const section of TREE_SECTIONS) {
      const resources = [...[...files.keys()].filter((f) => byFile.has(f)), ...overlays]
        .filter((f) => f.startsWith(`${section}/`))
        .map((f) => f.slice(section.length + 1))
        .sort();
      if (resources.length === 0) continue;
      sections.push(section);
      setKustomization(`${section}/kustomization.yaml`, resources);
    }
    setKustomization('kustomization.yaml', sections);

    const bootstrapFiles = [...files.keys()].filter((f) => f.startsWith('bootstrap/files/'));
    if (bootstrapFiles.length > 0) {
      files.set(
        'bootstrap/Chart.yaml',
        toYaml({
          apiVersion: 'v2',
          name: bootstrap.chartName,
          description: 'Objects Terraform creates after the controllers are installed. Generated; do not edit.',
          type: 'application',
          version: bootstrap.chartVersion,
        }),
      );
      // The manifests are chart files, emitted verbatim: Helm never evaluates
      // the {{ }} in ApplicationSet, notification or alert templates.
      files.set(
        'bootstrap/templates/manifests.yaml',
        '{{- range $path, $_ := .Files.Glob "files/*.yaml" }}\n---\n{{ $.Files.Get $path }}\n{{- end }}\n',
      );
    }
    return new Map([...files.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  }

  private getChart(section: TreeSection | 'bootstrap', name: string): Chart {
    checkChartName(name);
    const key = `${section}/${name}`;
    let entry = this.charts.get(key);
    if (entry && !entry.chart) {
      throw new ConfigError('GitOpsTree', 'chart name', key, 'The name holds overlay objects (addOverlay), not a chart; choose another name.');
    }
    if (!entry) {
      const chart = new Chart(this.app, `${section}-${name}`, {
        disableResourceNameHashes: true,
        labels: { ...this.labels },
      });
      entry = { section, name, chart };
      this.charts.set(key, entry);
    }
    return entry.chart!;
  }
}

/** A chart of the tree, or objects given by {@link GitOpsTree.addOverlay}. */
interface TreeEntry {
  readonly section: TreeSection | 'bootstrap';
  readonly name: string;
  /** The chart; absent when the objects are given. */
  readonly chart?: Chart;
  /** The objects, given already rendered. */
  readonly objects?: readonly ManifestObject[];
  overlay?: { readonly directory: string; readonly listed: boolean };
}

function checkChartName(name: string): void {
  if (!/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(name)) {
    throw new ConfigError('GitOpsTree', 'chart name', name, 'Use a lowercase DNS label; it becomes a file name.');
  }
}

function overlayOf(options: OverlayChartOptions): { directory: string; listed: boolean } {
  const directory = options.directory.replace(/\/+$/, '');
  if (directory === '' || directory.startsWith('/') || directory.split('/').some((part) => part === '..' || part === '.' || part === '')) {
    throw new ConfigError('GitOpsTree', 'overlay directory', options.directory, 'Use a relative path inside the section, such as "delivery/frontend/overlays/prod".');
  }
  return { directory, listed: options.listed ?? true };
}

/**
 * Runs every construct's validations once, with the message cdk8s gives
 * (`Validation failed with the following errors: ...`).
 */
function validate(constructs: readonly IConstruct[]): void {
  const errors: string[] = [];
  for (const construct of constructs) {
    for (const error of construct.node.validate()) errors.push(`[${construct.node.path}] ${error}`);
  }
  if (errors.length > 0) throw new Error(`Validation failed with the following errors:\n  ${errors.join('\n  ')}`);
}

/**
 * Turns dependencies between constructs into dependencies between the API
 * objects under them (and their charts), as cdk8s does before rendering, so
 * objects come out in dependency order.
 */
function resolveDependencies(constructs: readonly IConstruct[]): void {
  const objectsUnder = (construct: IConstruct, chart: Chart): ApiObject[] =>
    construct.node.findAll().filter((c): c is ApiObject => c instanceof ApiObject && Chart.of(c) === chart);
  for (const source of constructs) {
    for (const target of source.node.dependencies) {
      if (source instanceof Chart && target instanceof Chart) continue;
      const sourceChart = Chart.of(source);
      const targetChart = Chart.of(target);
      if (sourceChart !== targetChart) sourceChart.node.addDependency(targetChart);
      const targets = objectsUnder(target, targetChart);
      for (const from of objectsUnder(source, sourceChart)) {
        for (const to of targets) if (from !== to) from.node.addDependency(to);
      }
    }
  }
}

/**
 * The objects of each of `charts` (charts of `app`) as JSON, as
 * `Chart.toJson()` gives them, with the app's dependencies resolved and its
 * validations run once, not once per chart.
 */
export function renderCharts(app: App, charts: readonly Chart[]): ManifestObject[][] {
  const constructs = app.node.findAll();
  resolveDependencies(constructs);
  validate(constructs);
  return charts.map((chart) => renderChart(chart));
}

/**
 * The objects of one chart as JSON, in dependency order (its own objects, not
 * nested charts'). When no construct of the chart depends on another, that
 * order is the construct order (cdk8s's graph adopts every vertex, in
 * construct order, under one root): the graph is built only when needed.
 */
function renderChart(chart: Chart): ManifestObject[] {
  const constructs = chart.node.findAll();
  const ordered = constructs.some((c) => c.node.dependencies.length > 0) ? new DependencyGraph(chart.node).topology() : constructs;
  return ordered.filter((c): c is ApiObject => c instanceof ApiObject && Chart.of(c) === chart).map((o) => o.toJson() as ManifestObject);
}

function kustomization(resources: readonly string[]): Record<string, unknown> {
  return { apiVersion: 'kustomize.config.k8s.io/v1beta1', kind: 'Kustomization', resources: [...resources] };
}

/** The `kind/namespace/name` of an object, for messages. */
export function objectRef(object: ManifestObject | ApiObject): string {
  const json = object instanceof ApiObject ? (object.toJson() as ManifestObject) : object;
  const ns = json.metadata?.namespace;
  return `${json.kind}/${ns ? `${ns}/` : ''}${json.metadata?.name ?? '(unnamed)'}`;
}
