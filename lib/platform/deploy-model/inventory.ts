import { parseAllDocuments } from 'yaml';
import { prerequisitesOf, PlatformEnvironment } from '../environment';
import { ManifestObject, RenderedManifest } from '../gitops-tree';
import { ChartFacts, DeployModelSettings, PrerequisiteSecret, RequiredFlow } from './facts';
import { recordedDocuments } from '../yaml';

/** A Terraform resource of the environment, with its configuration as Terraform gets it. */
export interface TerraformObject {
  /** The resource type (`kubernetes_namespace_v1`). */
  readonly type: string;
  /** Its address (`kubernetes_namespace_v1.Platform_Namespace-argocd_...`). */
  readonly address: string;
  /** Its configuration (attribute names in snake_case). */
  readonly config: Readonly<Record<string, unknown>>;
}

/** A chart release of the environment and what the chart is known to create. */
export interface ChartRelease {
  /** The release name. */
  readonly release: string;
  /** The release namespace. */
  readonly namespace: string;
  /** The chart name. */
  readonly chart: string;
  /** What it creates. */
  readonly facts: ChartFacts;
  /**
   * The values the release sets, as plain JSON: what its `values` document
   * reads as. The model reads these instead of parsing the release's YAML.
   * @default - parsed from the `helm_release`'s `values`
   */
  readonly values?: unknown;
}

/** Everything the model is run over. */
export interface DeployModelInput {
  /** The environment. */
  readonly environment: PlatformEnvironment;
  /** The objects of the tree's charts (synced sections and bootstrap). */
  readonly manifests: readonly RenderedManifest[];
  /** Every file of the rendered tree, relative to the environment directory. */
  readonly files: ReadonlyMap<string, string>;
  /**
   * The JSON documents of files the tree wrote from objects (its
   * `kustomization.yaml` files), read instead of parsing the files.
   * @default - every file is parsed
   */
  readonly documents?: ReadonlyMap<string, readonly unknown[]>;
  /** The Terraform resources. */
  readonly terraform: readonly TerraformObject[];
  /** The chart releases. */
  readonly charts: readonly ChartRelease[];
  /** The flows the modules declared. */
  readonly flows: readonly RequiredFlow[];
  /**
   * Secrets the modules read that nothing in this environment produces
   * (`platform.secrets` prerequisites, listed in SECRETS.md), besides the
   * config's `deployModel.prerequisiteSecrets`.
   * @default []
   */
  readonly prerequisiteSecrets?: readonly PrerequisiteSecret[];
}

/** Who applies an object to the cluster. */
export type OwnerKind = 'terraform' | 'argocd' | 'flux' | 'chart';

/** An object the environment deploys, with who applies it. */
export interface DeployedObject {
  /** The object as it reaches the API server (namespace and name prefix applied). */
  readonly object: ManifestObject;
  /** Who applies it. */
  readonly owner: OwnerKind;
  /** The applying object or resource (`Application/argocd/prod-root`, a Terraform address). */
  readonly ownerRef: string;
  /** Where it comes from: a tree file or a Terraform address. */
  readonly source: string;
}

/** A path one sync object (Application, ApplicationSet, Kustomization) takes from the platform's repository. */
export interface SyncPath {
  /** The syncing object. */
  readonly by: DeployedObject;
  /** The path, relative to the repository root, without `./` or a trailing slash. */
  readonly path: string;
  /** The path relative to the environment's tree, when inside it. */
  readonly treePath?: string;
}

/** The index the rules run over. */
export interface Inventory {
  readonly environment: PlatformEnvironment;
  readonly settings: DeployModelSettings;
  /** The environment's path in the repository (`clusters/prod`). */
  readonly repoPath: string;
  /** Everything deployed: Terraform objects, the bootstrap chart, synced tree objects. */
  readonly objects: readonly DeployedObject[];
  /** Objects of the tree's charts that nothing syncs. */
  readonly unsynced: readonly RenderedManifest[];
  /** Paths synced from the platform's own repository. */
  readonly syncPaths: readonly SyncPath[];
  /** The files of the tree. */
  readonly files: ReadonlyMap<string, string>;
  readonly terraform: readonly TerraformObject[];
  readonly charts: readonly ChartRelease[];
  readonly flows: readonly RequiredFlow[];
}

/** Kinds that have no namespace. */
export const CLUSTER_SCOPED_KINDS: ReadonlySet<string> = new Set([
  'Namespace', 'ClusterRole', 'ClusterRoleBinding', 'CustomResourceDefinition', 'ClusterIssuer',
  'ClusterSecretStore', 'ClusterExternalSecret', 'StorageClass', 'PriorityClass', 'PersistentVolume',
  'ValidatingWebhookConfiguration', 'MutatingWebhookConfiguration', 'ConstraintTemplate', 'APIService',
  'ValidatingAdmissionPolicy', 'ValidatingAdmissionPolicyBinding', 'IngressClass', 'RuntimeClass',
]);

/** Whether an object is cluster-scoped (its kind, or a Gatekeeper constraint). */
export function isClusterScoped(object: Pick<ManifestObject, 'apiVersion' | 'kind'>): boolean {
  return CLUSTER_SCOPED_KINDS.has(object.kind) || object.apiVersion.startsWith('constraints.gatekeeper.sh/');
}

/** `Kind/namespace/name` (or `Kind/name`) of an object. */
export function refOf(object: ManifestObject): string {
  const ns = object.metadata.namespace;
  return `${object.kind}/${ns ? `${ns}/` : ''}${object.metadata.name ?? '(unnamed)'}`;
}

/** A repository URL in one form: https, no `.git`, no trailing slash, lowercase host and path. */
export function normalizeRepoUrl(url: string): string {
  let u = url.trim();
  const scp = /^[\w.-]+@([^:/]+):(.+)$/.exec(u);
  if (scp) u = `https://${scp[1]}/${scp[2]}`;
  u = u.replace(/^ssh:\/\/[^@/]+@/, 'https://').replace(/^git:\/\//, 'https://').replace(/^http:\/\//, 'https://');
  return u.replace(/\/+$/, '').replace(/\.git$/, '').toLowerCase();
}

/** A repository path without `./`, duplicate or trailing slashes. */
export function normalizePath(p: string): string {
  const parts: string[] = [];
  for (const part of p.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') parts.pop();
    else parts.push(part);
  }
  return parts.join('/');
}

const TF_KINDS: Readonly<Record<string, { apiVersion: string; kind: string }>> = {
  kubernetes_namespace_v1: { apiVersion: 'v1', kind: 'Namespace' },
  kubernetes_namespace: { apiVersion: 'v1', kind: 'Namespace' },
  kubernetes_secret_v1: { apiVersion: 'v1', kind: 'Secret' },
  kubernetes_secret: { apiVersion: 'v1', kind: 'Secret' },
  kubernetes_service_account_v1: { apiVersion: 'v1', kind: 'ServiceAccount' },
  kubernetes_config_map_v1: { apiVersion: 'v1', kind: 'ConfigMap' },
};

/** The Kubernetes object a Terraform resource creates, when it is one the model knows. */
export function terraformObject(resource: TerraformObject): ManifestObject | undefined {
  const kind = TF_KINDS[resource.type];
  if (!kind) return undefined;
  const metadata = (resource.config.metadata ?? {}) as Record<string, unknown>;
  const name = typeof metadata.name === 'string' ? metadata.name : undefined;
  if (!name) return undefined;
  return {
    ...kind,
    metadata: {
      name,
      ...(typeof metadata.namespace === 'string' && kind.kind !== 'Namespace' ? { namespace: metadata.namespace } : {}),
      ...(metadata.labels ? { labels: metadata.labels } : {}),
      ...(metadata.annotations ? { annotations: metadata.annotations } : {}),
    },
  };
}

/** Parses the Kubernetes objects of a YAML file; other documents are skipped. */
export function parseObjects(content: string): ManifestObject[] {
  let docs;
  try {
    docs = parseAllDocuments(content);
  } catch {
    return [];
  }
  return kubernetesObjects((Array.isArray(docs) ? docs : [docs]).filter((doc) => doc.errors.length === 0).map((doc) => doc.toJS() as unknown));
}

/** The Kubernetes objects among a file's documents; other documents are skipped. */
function kubernetesObjects(values: readonly unknown[]): ManifestObject[] {
  const out: ManifestObject[] = [];
  for (const value of values) {
    if (!isObject(value)) continue;
    if (!isObject(value.metadata) || typeof value.metadata.name !== 'string') continue;
    if (typeof value.apiVersion !== 'string' || typeof value.kind !== 'string') continue;
    if (value.apiVersion.startsWith('kustomize.config.k8s.io/')) continue;
    out.push(value as unknown as ManifestObject);
  }
  return out;
}

/** Builds the index: what each owner applies, following the sync objects from the bootstrap chart down. */
export function buildInventory(input: DeployModelInput): Inventory {
  const env = input.environment;
  const repoPath = normalizePath(env.gitops.path ?? `clusters/${env.name}`);
  const repoUrl = normalizeRepoUrl(env.gitops.repoUrl);
  const objects: DeployedObject[] = [];
  // The first object of each kind, namespace and name, as the objects are found (sources of Kustomizations).
  const firstOf = new Map<string, DeployedObject>();
  const add = (d: DeployedObject): void => {
    objects.push(d);
    const key = objectKey(d.object.kind, d.object.metadata.namespace, d.object.metadata.name);
    if (!firstOf.has(key)) firstOf.set(key, d);
  };

  for (const resource of input.terraform) {
    const object = terraformObject(resource);
    if (object) add({ object, owner: 'terraform', ownerRef: resource.address, source: resource.address });
  }
  for (const m of input.manifests) {
    if (m.section !== 'bootstrap') continue;
    add({ object: m.object, owner: 'terraform', ownerRef: 'helm_release gitops-bootstrap', source: m.file });
  }

  // The charts' objects are known already; only plain files are parsed. The
  // objects of an overlay (chart or given objects) are what its directory builds.
  const parsed = new Map<string, ManifestObject[]>();
  const built = new Set<string>();
  for (const m of input.manifests) {
    if (m.overlay) built.add(m.file);
    if (m.section === 'bootstrap') continue;
    const list = parsed.get(m.file);
    if (list) list.push(m.object);
    else parsed.set(m.file, [m.object]);
  }
  const parse = (file: string): ManifestObject[] => {
    let list = parsed.get(file);
    if (!list) {
      // Documents the tree keeps, or a text the library wrote and recorded, need no parsing.
      const text = input.files.get(file) ?? '';
      const known = input.documents?.get(file) ?? recordedDocuments(text);
      list = known ? kubernetesObjects(known) : parseObjects(text);
      parsed.set(file, list);
    }
    return list;
  };

  const syncPaths: SyncPath[] = [];
  const appliedFiles = new Set<string>();
  const seenSync = new Set<string>();
  const queue = [...objects];
  for (let next = 0; next < queue.length; next++) {
    const by = queue[next]!;
    for (const sync of syncTargets(by, firstOf, repoUrl)) {
      const key = `${refOf(by.object)}|${sync.path}`;
      if (seenSync.has(key)) continue;
      seenSync.add(key);
      const inside = sync.path === repoPath || sync.path.startsWith(`${repoPath}/`);
      const treePath = inside ? normalizePath(sync.path.slice(repoPath.length)) : undefined;
      syncPaths.push({ by, path: sync.path, ...(treePath !== undefined ? { treePath } : {}) });
      if (treePath === undefined || !sync.applies) continue;
      for (const { file, object } of resolveDirectory(treePath, input.files, parse, 0, input.documents, built)) {
        appliedFiles.add(file);
        const namespaced = !isClusterScoped(object);
        const ns = namespaced ? (sync.targetNamespace ?? object.metadata.namespace ?? sync.defaultNamespace) : undefined;
        const placed: ManifestObject = {
          ...object,
          metadata: { ...object.metadata, ...(ns ? { namespace: ns } : {}) },
        };
        const deployed: DeployedObject = { object: placed, owner: sync.owner, ownerRef: refOf(by.object), source: file };
        add(deployed);
        queue.push(deployed);
      }
    }
  }
  const unsynced = input.manifests.filter((m) => m.section !== 'bootstrap' && !appliedFiles.has(m.file));
  return {
    environment: env,
    // Istio's CNI mode is a cluster prerequisite (prerequisites.istio.cni).
    settings: {
      ...(env.deployModel ?? {}),
      prerequisiteSecrets: [...(env.deployModel?.prerequisiteSecrets ?? []), ...(input.prerequisiteSecrets ?? [])],
      istioCni: prerequisitesOf(env).istio.cni,
    },
    repoPath,
    objects,
    unsynced,
    syncPaths,
    files: input.files,
    terraform: input.terraform,
    charts: input.charts,
    flows: input.flows,
  };
}

/** A key for an object's kind, namespace and name (any value: what a reference holds). */
function objectKey(kind: unknown, namespace: unknown, name: unknown): string {
  // Strings (the usual case) joined by a character no name holds; anything else as JSON.
  if (typeof kind === 'string' && (namespace === undefined || typeof namespace === 'string') && typeof name === 'string') {
    return `${kind}\u0000${namespace === undefined ? '\u0001' : namespace}\u0000${name}`;
  }
  return JSON.stringify([kind, namespace, name]);
}

interface SyncTarget {
  readonly path: string;
  readonly owner: OwnerKind;
  /** Whether the objects at the path are applied (false for ApplicationSet templates and generators). */
  readonly applies: boolean;
  readonly targetNamespace?: string;
  readonly defaultNamespace?: string;
}

/** The platform-repository paths one object syncs. */
function syncTargets(by: DeployedObject, firstOf: ReadonlyMap<string, DeployedObject>, repoUrl: string): SyncTarget[] {
  const o = by.object as ManifestObject & { spec?: Record<string, unknown> };
  const spec = (o.spec ?? {}) as Record<string, unknown>;
  const out: SyncTarget[] = [];
  const own = (url: unknown): boolean => typeof url === 'string' && normalizeRepoUrl(url) === repoUrl;
  if (o.apiVersion.startsWith('argoproj.io/') && o.kind === 'Application') {
    const dest = (spec.destination ?? {}) as Record<string, unknown>;
    const sources = [spec.source, ...((spec.sources as unknown[]) ?? [])].filter(isObject);
    for (const s of sources) {
      if (own(s.repoURL) && typeof s.path === 'string' && !s.chart) {
        out.push({ path: normalizePath(s.path), owner: 'argocd', applies: true, defaultNamespace: str(dest.namespace) });
      }
    }
  } else if (o.apiVersion.startsWith('argoproj.io/') && o.kind === 'ApplicationSet') {
    const template = (isObject(spec.template) && isObject(spec.template.spec) ? spec.template.spec : {}) as Record<string, unknown>;
    const sources = [template.source, ...((template.sources as unknown[]) ?? [])].filter(isObject);
    for (const s of sources) {
      if (own(s.repoURL) && typeof s.path === 'string' && !s.path.includes('{{')) {
        out.push({ path: normalizePath(s.path), owner: 'argocd', applies: false });
      }
    }
    for (const g of (spec.generators as unknown[]) ?? []) {
      if (!isObject(g) || !isObject(g.git) || !own(g.git.repoURL)) continue;
      for (const d of (g.git.directories as unknown[]) ?? []) {
        if (isObject(d) && typeof d.path === 'string' && d.exclude !== true) {
          out.push({ path: normalizePath(d.path.replace(/\/?\*.*$/, '')), owner: 'argocd', applies: false });
        }
      }
    }
  } else if (o.apiVersion.startsWith('kustomize.toolkit.fluxcd.io/') && o.kind === 'Kustomization') {
    const ref = (spec.sourceRef ?? {}) as Record<string, unknown>;
    const ns = str(ref.namespace) ?? o.metadata.namespace;
    const source = firstOf.get(objectKey(ref.kind ?? 'GitRepository', ns, ref.name));
    const url = source ? ((source.object as { spec?: { url?: unknown } }).spec?.url) : undefined;
    if (own(url)) {
      out.push({ path: normalizePath(str(spec.path) ?? ''), owner: 'flux', applies: true, targetNamespace: str(spec.targetNamespace) });
    }
  }
  return out;
}

/**
 * The objects `kustomize build` would build from a tree directory: the
 * resources its `kustomization.yaml` lists (recursively, with `namespace` and
 * `namePrefix` applied), or every YAML file under it when it has none. A
 * directory in `built` (an overlay of the tree) builds exactly the
 * objects `parse` gives for it.
 */
export function resolveDirectory(
  dir: string,
  files: ReadonlyMap<string, string>,
  parse: (file: string) => ManifestObject[],
  depth = 0,
  documents?: ReadonlyMap<string, readonly unknown[]>,
  built?: ReadonlySet<string>,
): Array<{ file: string; object: ManifestObject }> {
  if (depth > 10) return [];
  if (built?.has(dir)) return parse(dir).map((object) => ({ file: dir, object }));
  const prefix = dir === '' ? '' : `${dir}/`;
  const kustomizationFile = ['kustomization.yaml', 'kustomization.yml', 'Kustomization'].map((f) => `${prefix}${f}`).find((f) => files.has(f));
  if (!kustomizationFile) {
    return [...files.keys()]
      .filter((f) => f.startsWith(prefix) && /\.ya?ml$/.test(f) && !f.endsWith('kustomization.yaml'))
      .flatMap((file) => parse(file).map((object) => ({ file, object })));
  }
  let k: Record<string, unknown> = {};
  const known = documents?.get(kustomizationFile) ?? recordedDocuments(files.get(kustomizationFile)!);
  if (known) k = (isObject(known[0]) ? known[0] : {});
  else {
    try {
      const doc = parseAllDocuments(files.get(kustomizationFile)!);
      const first = Array.isArray(doc) ? doc[0] : doc;
      k = (first?.toJS() ?? {}) as Record<string, unknown>;
    } catch {
      return [];
    }
  }
  const out: Array<{ file: string; object: ManifestObject }> = [];
  for (const r of (k.resources as unknown[]) ?? []) {
    if (typeof r !== 'string' || /^[a-z]+:\/\//.test(r)) continue;
    const p = normalizePath(`${prefix}${r}`);
    if (files.has(p)) out.push(...parse(p).map((object) => ({ file: p, object })));
    else out.push(...resolveDirectory(p, files, parse, depth + 1, documents, built));
  }
  const namespace = str(k.namespace);
  const namePrefix = str(k.namePrefix) ?? '';
  if (!namespace && !namePrefix) return out;
  return out.map(({ file, object }) => ({
    file,
    object: {
      ...object,
      metadata: {
        ...object.metadata,
        ...(namespace && !isClusterScoped(object) ? { namespace } : {}),
        ...(namePrefix && object.kind !== 'Namespace' && object.kind !== 'CustomResourceDefinition' ? { name: `${namePrefix}${object.metadata.name}` } : {}),
      },
    },
  }));
}

/** Whether a value is a plain object. */
export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function str(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}
