import { App, Chart } from 'cdk8s';
import { sortByKeys } from '../platform/compare';
import { ManifestObject, renderCharts } from '../platform/gitops-tree';
import { copyPlain } from '../platform/plain-object';
import { MANAGED_BY } from '../platform/platform';
import { sortKeys, toYaml, toYamlDocuments } from '../platform/yaml';
import { AnalysisTemplate } from './analysis-template';
import { Rollout, RolloutIngressOptions, RolloutMetricsOptions } from './rollout';
import { DEFAULT_SERVICE_RESOURCES, ResolvedService, serviceRolloutProps, splitImage, standardAnalysisTemplates } from './service';

/** The Argo CD annotation that orders a sync. */
export const SYNC_WAVE = 'argocd.argoproj.io/sync-wave';

/** The sync wave of the AnalysisTemplates: before every service. */
export const ANALYSIS_WAVE = -1;

/** Labels the bases carry (the environment adds its own in the overlay). */
export const BASE_LABELS: Readonly<Record<string, string>> = {
  'app.kubernetes.io/managed-by': MANAGED_BY,
  'app.kubernetes.io/part-of': 'gitops-platform',
};

/**
 * Teaches kustomize the references inside Argo Rollouts and Istio objects, so
 * that `namePrefix` renames the referenced Services, VirtualServices and
 * DestinationRules, `commonLabels` reach the Rollout's selector and pod
 * template, and `replicas` sets the Rollout's replicas. Analysis arguments
 * naming a Service are renamed like the Service.
 */
export const KUSTOMIZE_CONFIG = toYaml(kustomizeConfig());

/** A kustomize field spec: the kind it applies to and a path, through lists, to the field. */
interface FieldSpec {
  readonly kind: string;
  readonly path: string;
  readonly create?: boolean;
}

/** The configuration `KUSTOMIZE_CONFIG` writes. */
function kustomizeConfig(): {
  nameReference: Array<{ kind: string; fieldSpecs: FieldSpec[] }>;
  commonLabels: FieldSpec[];
  replicas: FieldSpec[];
} {
  return {
    nameReference: [
      {
        kind: 'Service',
        fieldSpecs: [
          { kind: 'Rollout', path: 'spec/strategy/canary/canaryService' },
          { kind: 'Rollout', path: 'spec/strategy/canary/stableService' },
          { kind: 'Rollout', path: 'spec/strategy/blueGreen/activeService' },
          { kind: 'Rollout', path: 'spec/strategy/blueGreen/previewService' },
          { kind: 'Rollout', path: 'spec/strategy/canary/steps/analysis/args/value' },
          { kind: 'Rollout', path: 'spec/strategy/blueGreen/prePromotionAnalysis/args/value' },
          { kind: 'Rollout', path: 'spec/strategy/blueGreen/postPromotionAnalysis/args/value' },
          { kind: 'VirtualService', path: 'spec/hosts' },
          { kind: 'VirtualService', path: 'spec/http/route/destination/host' },
          { kind: 'DestinationRule', path: 'spec/host' },
        ],
      },
      {
        kind: 'VirtualService',
        fieldSpecs: [{ kind: 'Rollout', path: 'spec/strategy/canary/trafficRouting/istio/virtualService/name' }],
      },
      {
        kind: 'DestinationRule',
        fieldSpecs: [{ kind: 'Rollout', path: 'spec/strategy/canary/trafficRouting/istio/destinationRule/name' }],
      },
    ],
    commonLabels: [
      { kind: 'Rollout', path: 'spec/selector/matchLabels', create: true },
      { kind: 'Rollout', path: 'spec/template/metadata/labels', create: true },
      { kind: 'ServiceMonitor', path: 'spec/selector/matchLabels', create: true },
    ],
    replicas: [{ kind: 'Rollout', path: 'spec/replicas', create: true }],
  };
}

/** A JSON patch (RFC 6902) operation. */
export interface JsonPatchOperation {
  readonly op: 'add' | 'remove' | 'replace';
  readonly path: string;
  readonly value?: unknown;
}

/** What an environment's overlay sets. */
export interface OverlayOptions {
  /** The environment. */
  readonly environment: string;
  /** The namespace. */
  readonly namespace: string;
  /** The name prefix (empty for the shared AnalysisTemplates). */
  readonly namePrefix: string;
  /** Labels for metadata only (the platform's common labels). */
  readonly labels: Readonly<Record<string, string>>;
  /** The Argo CD sync wave, as a common annotation. */
  readonly wave: number;
  /** Prometheus scraping of the services (the same in the base). @default - not scraped */
  readonly metrics?: RolloutMetricsOptions;
  /** The services' ingress restriction (the same in the base). @default - none */
  readonly ingress?: RolloutIngressOptions;
}

/** The files of one Kustomize base and one overlay, paths relative to the component's folder. */
export type KustomizeFiles = Map<string, string>;

/** The selector label every overlay adds (`environment: <env>`, as in the seeds). */
export function environmentSelector(environment: string): Record<string, string> {
  return { environment };
}

/**
 * The Kustomize base and the environment's overlay of one service:
 * `base/` holds the service as defined (base image tag, base replicas, the
 * full strategy), `overlays/<env>/` sets the namespace, name prefix, labels,
 * sync wave, image tag and replicas, and patches what else differs (the
 * strategy, the resources) with a JSON patch file per patched object beside
 * it (`patch-<kind>-<name>.yaml`). `kustomize build overlays/<env>` gives
 * exactly the objects the environment runs.
 */
export function serviceKustomize(service: ResolvedService, options: OverlayOptions, prometheusAddress: string): KustomizeFiles {
  return serviceOverlay(service, options, prometheusAddress).files;
}

/** A service's Kustomize files, and the objects its overlay builds. */
export interface ServiceOverlay {
  /** The base and overlay files ({@link serviceKustomize}). */
  readonly files: KustomizeFiles;
  /** What `kustomize build overlays/<env>` gives, in the base's order ({@link buildOverlay}). */
  readonly objects: ManifestObject[];
}

/**
 * {@link serviceKustomize}, with the objects the overlay builds: the
 * service is rendered as its base (and, when the environment changes its
 * strategy or resources, once more with them for the patch), and the
 * environment's objects are the overlay applied to that rendering, not a
 * third rendering.
 */
export function serviceOverlay(service: ResolvedService, options: OverlayOptions, prometheusAddress: string): ServiceOverlay {
  const def = service.definition;
  const baseResources = def.resources ?? DEFAULT_SERVICE_RESOURCES;
  // Both variants in one app; the analysis templates they may name are only
  // looked up by name and arguments, so one set serves every service.
  const app = new App({ outdir: '.', recordConstructMetadata: false });
  const templates = sharedAnalysisTemplates(prometheusAddress);
  const add = (variant: 'base' | 'patched'): Chart => {
    const chart = new Chart(app, variant, { disableResourceNameHashes: true, labels: { ...BASE_LABELS } });
    new Rollout(chart, def.name, serviceRolloutProps(service, {
      namePrefix: '',
      selectorLabels: {},
      annotations: {},
      tag: service.baseTag,
      replicas: def.replicas ?? 1,
      strategy: variant === 'base' ? def.strategy : service.strategy,
      resources: variant === 'base' ? baseResources : service.resources,
      analysisTemplates: templates,
      metrics: options.metrics,
      ingress: options.ingress,
    }));
    return chart;
  };
  // The patched variant differs from the base only in the strategy and the
  // resources: when the environment keeps both, there is nothing to patch.
  const unpatched = service.strategy === def.strategy && service.resources === baseResources;
  const charts = unpatched ? [add('base')] : [add('base'), add('patched')];
  const [base, patched] = renderCharts(app, charts);
  const patchFiles = new Map<string, string>();
  const patches = unpatched ? [] : base.flatMap((object, index) => {
    const ops = jsonPatch(object, patched[index]);
    if (ops.length === 0) return [];
    const path = `patch-${object.kind.toLowerCase()}-${object.metadata.name}.yaml`;
    patchFiles.set(path, toYaml(ops));
    return [{ path, target: patchTarget(object) }];
  });

  const files: KustomizeFiles = new Map();
  const resources = resourcesByKind(base);
  files.set('base/kustomization.yaml', toYaml({
    apiVersion: 'kustomize.config.k8s.io/v1beta1',
    kind: 'Kustomization',
    resources: [...resources.keys()],
    configurations: ['kustomizeconfig.yaml'],
  }));
  files.set('base/kustomizeconfig.yaml', KUSTOMIZE_CONFIG);
  for (const [file, objects] of resources) files.set(`base/${file}`, toYamlDocuments(objects));
  const edits = {
    images: [{ name: service.repository, newTag: service.tag }],
    replicas: [{ name: def.name, count: service.replicas }],
  };
  files.set(`overlays/${options.environment}/kustomization.yaml`, overlayKustomization(options, { ...edits, patches }));
  for (const [file, content] of patchFiles) files.set(`overlays/${options.environment}/${file}`, content);
  return { files, objects: buildOverlay(unpatched ? base : patched, options, edits) };
}

const analysisTemplatesByAddress = new Map<string, AnalysisTemplate[]>();

/**
 * The standard AnalysisTemplates for a Prometheus address, built once per
 * process in an app of their own and never rendered: a Rollout reads only
 * their names and arguments.
 */
function sharedAnalysisTemplates(prometheusAddress: string): AnalysisTemplate[] {
  let templates = analysisTemplatesByAddress.get(prometheusAddress);
  if (!templates) {
    const app = new App({ outdir: '.', recordConstructMetadata: false });
    templates = standardAnalysisTemplates(new Chart(app, 'templates'), { address: prometheusAddress });
    analysisTemplatesByAddress.set(prometheusAddress, templates);
  }
  return templates;
}

/** The shared AnalysisTemplates as Kustomize files, and their names. */
export interface AnalysisKustomize {
  /** The base and overlay files. */
  readonly files: KustomizeFiles;
  /** The templates' names, sorted. */
  readonly templates: readonly string[];
}

/** The Kustomize base and overlay of the shared AnalysisTemplates (no name prefix: Rollouts reference them by name). */
export function analysisKustomize(options: OverlayOptions, prometheusAddress: string): AnalysisKustomize {
  const app = new App({ outdir: '.', recordConstructMetadata: false });
  const chart = new Chart(app, 'analysis', { disableResourceNameHashes: true, labels: { ...BASE_LABELS } });
  const templates = standardAnalysisTemplates(chart, { address: prometheusAddress }).map((t) => t.name).sort();
  const files: KustomizeFiles = new Map();
  const resources = resourcesByKind(chart.toJson() as ManifestObject[]);
  files.set('base/kustomization.yaml', toYaml({
    apiVersion: 'kustomize.config.k8s.io/v1beta1',
    kind: 'Kustomization',
    resources: [...resources.keys()],
  }));
  for (const [file, objects] of resources) files.set(`base/${file}`, toYamlDocuments(objects));
  files.set(`overlays/${options.environment}/kustomization.yaml`, overlayKustomization({ ...options, namePrefix: '' }, {}));
  return { files, templates };
}

/**
 * A base's objects split into one file per kind (`rollout.yaml`,
 * `service.yaml`, ...), the files sorted by name, each kind's objects in
 * their rendered order: a review of the base reads kind by kind, as the
 * seeds' bases do (`deployment.yaml`, `service.yaml`).
 */
export function resourcesByKind(objects: readonly ManifestObject[]): Map<string, ManifestObject[]> {
  const byFile = new Map<string, ManifestObject[]>();
  for (const object of objects) {
    const file = `${object.kind.toLowerCase()}.yaml`;
    const list = byFile.get(file) ?? [];
    list.push(object);
    byFile.set(file, list);
  }
  return new Map([...byFile].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

function overlayKustomization(
  options: OverlayOptions,
  extra: { images?: unknown[]; replicas?: unknown[]; patches?: unknown[] },
): string {
  return toYaml({
    apiVersion: 'kustomize.config.k8s.io/v1beta1',
    kind: 'Kustomization',
    resources: ['../../base'],
    namespace: options.namespace,
    ...(options.namePrefix ? { namePrefix: options.namePrefix } : {}),
    commonLabels: environmentSelector(options.environment),
    labels: [{ pairs: { ...options.labels }, includeSelectors: false }],
    commonAnnotations: { [SYNC_WAVE]: String(options.wave) },
    ...(extra.images ? { images: extra.images } : {}),
    ...(extra.replicas ? { replicas: extra.replicas } : {}),
    ...(extra.patches && extra.patches.length > 0 ? { patches: extra.patches } : {}),
  });
}

function patchTarget(object: ManifestObject): Record<string, string> {
  const [group, version] = object.apiVersion.includes('/') ? object.apiVersion.split('/') : ['', object.apiVersion];
  return { ...(group ? { group } : {}), version, kind: object.kind, name: object.metadata.name! };
}

/**
 * The JSON patch that turns `from` into `to`: objects are compared key by
 * key, arrays of the same length item by item; anything else is replaced.
 */
export function jsonPatch(from: unknown, to: unknown, path = ''): JsonPatchOperation[] {
  if (deepEqual(from, to)) return [];
  if (isObject(from) && isObject(to)) {
    const ops: JsonPatchOperation[] = [];
    for (const key of [...new Set([...Object.keys(from), ...Object.keys(to)])].sort()) {
      const child = `${path}/${key.replace(/~/g, '~0').replace(/\//g, '~1')}`;
      if (!(key in to)) ops.push({ op: 'remove', path: child });
      else if (!(key in from)) ops.push({ op: 'add', path: child, value: to[key] });
      else ops.push(...jsonPatch(from[key], to[key], child));
    }
    return ops;
  }
  if (Array.isArray(from) && Array.isArray(to) && from.length === to.length) {
    return from.flatMap((item, index) => jsonPatch(item, to[index], `${path}/${index}`));
  }
  return [{ op: 'replace', path: path || '/', value: to }];
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function deepEqual(a: unknown, b: unknown): boolean {
  return JSON.stringify(sortKeys(a)) === JSON.stringify(sortKeys(b));
}

/** The edits of an overlay beyond its {@link OverlayOptions}: kustomize's `images` and `replicas`. */
export interface OverlayEdits {
  /** Image tags by image name (the image without its tag). */
  readonly images: ReadonlyArray<{ readonly name: string; readonly newTag: string }>;
  /** Replicas by the object's name in the base. */
  readonly replicas: ReadonlyArray<{ readonly name: string; readonly count: number }>;
}

/**
 * The kinds a service's base holds. {@link buildOverlay} knows where their
 * labels, selectors, references and containers are; any other kind is refused.
 */
const OVERLAY_KINDS = ['Rollout', 'Service', 'ServiceMonitor', 'NetworkPolicy', 'VirtualService', 'DestinationRule'];

/** kustomize's built-in `commonLabels` field specs for those kinds (besides `metadata/labels`). */
const BUILTIN_SELECTOR_LABELS: readonly FieldSpec[] = [
  { kind: 'Service', path: 'spec/selector', create: true },
  { kind: 'NetworkPolicy', path: 'spec/podSelector/matchLabels', create: false },
  { kind: 'NetworkPolicy', path: 'spec/ingress/from/podSelector/matchLabels', create: false },
  { kind: 'NetworkPolicy', path: 'spec/egress/to/podSelector/matchLabels', create: false },
];

/** Where kustomize's `images` finds containers in a pod template. */
const CONTAINER_LISTS = [['spec', 'template', 'spec', 'containers'], ['spec', 'template', 'spec', 'initContainers']];

/** A field spec's path, split. */
interface FieldPath {
  readonly path: readonly string[];
  readonly create: boolean;
}

/** What an overlay edits in one kind, besides its metadata and containers. */
interface KindRules {
  /** Fields naming an object of the `referred` kind. */
  readonly references: ReadonlyArray<FieldPath & { readonly referred: string }>;
  /** Label selectors `commonLabels` reach. */
  readonly selectors: readonly FieldPath[];
  /** Where `replicas` go. */
  readonly replicas: readonly FieldPath[];
}

/** The rules of each of {@link OVERLAY_KINDS}, from kustomize's field specs and `KUSTOMIZE_CONFIG`'s. */
const RULES: ReadonlyMap<string, KindRules> = (() => {
  const config = kustomizeConfig();
  const split = (spec: FieldSpec): FieldPath => ({ path: spec.path.split('/'), create: spec.create ?? false });
  const of = (kind: string, specs: readonly FieldSpec[]) => specs.filter((spec) => spec.kind === kind).map(split);
  return new Map(OVERLAY_KINDS.map((kind) => [kind, {
    references: config.nameReference.flatMap((reference) => of(kind, reference.fieldSpecs).map((path) => ({ ...path, referred: reference.kind }))),
    selectors: of(kind, [...BUILTIN_SELECTOR_LABELS, ...config.commonLabels]),
    replicas: of(kind, config.replicas),
  }]));
})();

/**
 * What `kustomize build` of an overlay (as {@link serviceKustomize} writes it)
 * gives for the base's objects, already patched: every object in the
 * overlay's namespace with the name prefix, and the references
 * `KUSTOMIZE_CONFIG` names renamed with it; `commonLabels` on the metadata
 * and on the selectors (kustomize's own field specs and `KUSTOMIZE_CONFIG`'s);
 * the overlay's `labels` and sync-wave annotation on the metadata; the image
 * tags and the replicas. The objects come back in their order, with their
 * keys sorted as cdk8s sorts them; `objects` are not changed. The real
 * kustomize is held to the same result in the tests.
 */
export function buildOverlay(objects: readonly ManifestObject[], options: OverlayOptions, edits: OverlayEdits): ManifestObject[] {
  // The new name of each object, by kind and old name.
  const renamed = new Map<string, Map<string, string>>();
  for (const object of objects) {
    if (!RULES.has(object.kind)) {
      throw new Error(`buildOverlay: a service's base holds no ${object.kind} (${OVERLAY_KINDS.join(', ')} only)`);
    }
    const names = renamed.get(object.kind) ?? new Map<string, string>();
    names.set(object.metadata.name!, `${options.namePrefix}${object.metadata.name!}`);
    renamed.set(object.kind, names);
  }
  const renamers = new Map([...renamed].map(([kind, names]) => {
    const rename = (value: unknown): unknown =>
      typeof value === 'string' ? (names.get(value) ?? value) : Array.isArray(value) ? value.map(rename) : value;
    return [kind, rename];
  }));
  const selector = environmentSelector(options.environment);
  const addSelector = (labels: unknown): Record<string, unknown> => sortedMerge(labels as Record<string, unknown> | undefined, selector);
  const tags = new Map(edits.images.map((image) => [image.name, image.newTag]));
  const retag = (containers: unknown): unknown => {
    if (!Array.isArray(containers)) return containers;
    return containers.map((container: Record<string, unknown>) => {
      if (typeof container.image !== 'string') return container;
      const { repository } = splitImage(container.image);
      const tag = tags.get(repository);
      return tag === undefined ? container : { ...container, image: `${repository}:${tag}` };
    });
  };
  const replicas = new Map(edits.replicas.map((r) => [r.name, r.count]));
  const wave = String(options.wave);
  return objects.map((original) => {
    const object = copyPlain(original) as Record<string, unknown> & { metadata: Record<string, unknown> };
    const rules = RULES.get(original.kind)!;
    for (const reference of rules.references) {
      const rename = renamers.get(reference.referred);
      if (rename) editField(object, reference.path, false, rename);
    }
    for (const spec of rules.selectors) editField(object, spec.path, spec.create, addSelector);
    const count = replicas.get(original.metadata.name!);
    if (count !== undefined) for (const spec of rules.replicas) editField(object, spec.path, spec.create, () => count);
    for (const list of CONTAINER_LISTS) editField(object, list, false, retag);
    const metadata = object.metadata;
    object.metadata = sortedMerge(metadata, {
      name: `${options.namePrefix}${original.metadata.name!}`,
      namespace: options.namespace,
      // kustomize applies `labels` before `commonLabels`: on a shared key, `commonLabels` wins.
      labels: sortedMerge(metadata.labels as Record<string, unknown> | undefined, options.labels, selector),
      annotations: sortedMerge(metadata.annotations as Record<string, unknown> | undefined, { [SYNC_WAVE]: wave }),
    });
    return object as unknown as ManifestObject;
  });
}

/**
 * Replaces the field at a kustomize field-spec path (through every item of a
 * list on the way) with `edit` of its value. A missing field, or a missing
 * object on the way, is created only with `create`.
 */
function editField(value: unknown, path: readonly string[], create: boolean, edit: (value: unknown) => unknown): void {
  const visit = (node: unknown, depth: number): void => {
    if (Array.isArray(node)) {
      for (let i = 0; i < node.length; i++) visit(node[i], depth);
      return;
    }
    if (!isObject(node)) return;
    const key = path[depth];
    if (depth === path.length - 1) {
      if (key in node || create) node[key] = edit(node[key]);
      return;
    }
    if (!(key in node)) {
      if (!create) return;
      node[key] = {};
    }
    visit(node[key], depth + 1);
  };
  visit(value, 0);
}

/**
 * The members of the records in one new record with its keys sorted, a later
 * record's value winning on a shared key (as `{ ...a, ...b }`), built once:
 * the objects of every service in an environment go through this.
 */
function sortedMerge(...records: ReadonlyArray<Readonly<Record<string, unknown>> | undefined>): Record<string, unknown> {
  const keys: string[] = [];
  const values: unknown[] = [];
  for (let r = 0; r < records.length; r++) {
    const record = records[r];
    if (record === undefined) continue;
    const own = Object.keys(record);
    for (let i = 0; i < own.length; i++) {
      const at = keys.indexOf(own[i]);
      if (at < 0) {
        keys.push(own[i]);
        values.push(record[own[i]]);
      } else values[at] = record[own[i]];
    }
  }
  sortByKeys(keys, values);
  const sorted: Record<string, unknown> = {};
  for (let i = 0; i < keys.length; i++) sorted[keys[i]] = values[i];
  return sorted;
}
