/**
 * What the cluster will contain besides the shipped files, modelled exactly
 * from what ships, for `npm run seed-coverage` (docs/seed-coverage.md):
 *
 * - **The Secret an ExternalSecret writes.** External Secrets Operator
 *   (`pkg/controllers/externalsecret/externalsecret_controller_template.go`,
 *   `applyTemplate` and `mergeMetadata`) names it `spec.target.name` (the
 *   ExternalSecret's name when unset) in the ExternalSecret's namespace; with a
 *   template it takes the template's labels, annotations and type (the API
 *   server defaults an empty type to `Opaque`), and its keys are the template's
 *   `data` keys, or the fetched keys (`spec.data[].secretKey`) when the
 *   template has no data; without a template it takes the fetched keys and
 *   type `Opaque`. Values come from the store at run time: a key holds its
 *   template text, or `<store key#property>` for a fetched key. Keys of
 *   `dataFrom` are known only at run time and are left out.
 * - **The ConfigMaps the argo-cd chart renders from its values.** The chart
 *   (argoproj/argo-helm `charts/argo-cd/templates/argocd-configs/`, read at
 *   argo-cd 10.1.1, the stand-in of the pinned 10.3.0, see
 *   schemas/chart-values/SOURCES.md) writes, in the release namespace,
 *   `argocd-cm` from `configs.cm` without `create`/`annotations`, merged over
 *   the preset `url: https://<global.domain>`, each value as a string and
 *   empty values left out; `argocd-rbac-cm` from `configs.rbac` without
 *   `create`/`annotations`; `argocd-notifications-cm` (when
 *   `notifications.enabled`) with `context` (`argocdUrl`), the `notifiers`,
 *   `subscriptions`, `templates` and `triggers`. The values are the chart's
 *   defaults (schemas/chart-values/) with the release's `values` documents
 *   merged over them as Helm merges them (maps key by key, everything else
 *   replaced).
 */
import * as fs from 'fs';
import * as path from 'path';
import { parse, stringify } from 'yaml';

type Json = Record<string, unknown>;

/** An object the cluster will contain, with where it comes from. */
export interface ModelledObject {
  readonly file: string;
  readonly object: Json;
}

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);

/** The Secret External Secrets Operator writes for one ExternalSecret (see the file comment). */
export function externalSecretTarget(externalSecret: Json): Json | undefined {
  if (externalSecret.kind !== 'ExternalSecret' || !String(externalSecret.apiVersion).startsWith('external-secrets.io/')) return undefined;
  const metadata = isObject(externalSecret.metadata) ? externalSecret.metadata : {};
  const spec = isObject(externalSecret.spec) ? externalSecret.spec : {};
  const target = isObject(spec.target) ? spec.target : {};
  // `Merge` writes into a Secret made elsewhere; `None` writes nothing.
  if (target.creationPolicy === 'Merge' || target.creationPolicy === 'None') return undefined;
  const template = isObject(target.template) ? target.template : undefined;
  const fetched: Json = {};
  for (const d of Array.isArray(spec.data) ? spec.data.filter(isObject) : []) {
    const ref = isObject(d.remoteRef) ? d.remoteRef : {};
    if (typeof d.secretKey === 'string') fetched[d.secretKey] = `<${String(ref.key ?? '')}${ref.property ? `#${String(ref.property)}` : ''}>`;
  }
  const templateData = template && isObject(template.data) ? template.data : {};
  const data = Object.keys(templateData).length > 0 ? { ...(template?.mergePolicy === 'Merge' ? fetched : {}), ...templateData } : fetched;
  const templateMetadata = template && isObject(template.metadata) ? template.metadata : {};
  const labels = template ? templateMetadata.labels : metadata.labels;
  const annotations = template ? templateMetadata.annotations : metadata.annotations;
  return {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: {
      name: str(target.name) ?? metadata.name,
      ...(metadata.namespace ? { namespace: metadata.namespace } : {}),
      ...(isObject(labels) && Object.keys(labels).length > 0 ? { labels } : {}),
      ...(isObject(annotations) && Object.keys(annotations).length > 0 ? { annotations } : {}),
    },
    type: (template && str(template.type)) ?? 'Opaque',
    ...(Object.keys(data).length > 0 ? { data } : {}),
  };
}

/** Helm's merge of user values over chart defaults: maps key by key, anything else replaced, `null` deletes. */
export function mergeValues(base: unknown, over: unknown): unknown {
  if (!isObject(base) || !isObject(over)) return over;
  const out: Json = { ...base };
  for (const [k, v] of Object.entries(over)) {
    if (v === null) delete out[k];
    else out[k] = mergeValues(out[k], v);
  }
  return out;
}

const CHART_VALUES = path.resolve(__dirname, '../schemas/chart-values');

/** The default values of a pinned chart (through its stand-in when the version's files are not stored). */
export function chartDefaults(chart: string, version: string, directory = CHART_VALUES): Json {
  let dir = path.join(directory, `${chart}-${version}`);
  const standin = path.join(dir, 'standin.json');
  if (fs.existsSync(standin)) dir = path.join(directory, `${chart}-${(JSON.parse(fs.readFileSync(standin, 'utf8')) as { use: string }).use}`);
  return parse(fs.readFileSync(path.join(dir, 'values.yaml'), 'utf8')) as Json;
}

/** Helm's `toString` of a value in a ConfigMap's data. */
const asData = (v: unknown): string => (typeof v === 'string' ? v : isObject(v) || Array.isArray(v) ? stringify(v) : String(v));

/** The ConfigMaps the argo-cd chart renders from a release's values (see the file comment). */
export function argoCdConfigMaps(namespace: string, userValues: readonly unknown[], defaults: Json): Json[] {
  const values = userValues.reduce<unknown>((acc, v) => mergeValues(acc, v), defaults) as Json;
  const get = (o: unknown, ...keys: string[]): unknown => keys.reduce<unknown>((acc, k) => (isObject(acc) ? acc[k] : undefined), o);
  const domain = String(get(values, 'global', 'domain') ?? '');
  const ns = str(values.namespaceOverride) ?? namespace;
  const configMap = (name: string, data: Json): Json => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: ns }, data });
  const omit = (o: unknown): Json => Object.fromEntries(Object.entries(isObject(o) ? o : {}).filter(([k]) => k !== 'create' && k !== 'annotations'));
  const out: Json[] = [];
  if (get(values, 'configs', 'cm', 'create') !== false) {
    const cm: Json = { url: `https://${domain}` };
    if (String(get(values, 'configs', 'cm', 'statusbadge.enabled')) === 'true') cm['statusbadge.url'] = `https://${domain}/`;
    if (get(values, 'configs', 'styles')) cm['ui.cssurl'] = './custom/custom.styles.css';
    Object.assign(cm, omit(get(values, 'configs', 'cm')));
    out.push(configMap('argocd-cm', Object.fromEntries(Object.entries(cm).map(([k, v]) => [k, asData(v)]).filter(([, v]) => v !== ''))));
  }
  if (get(values, 'configs', 'rbac', 'create') !== false) {
    out.push(configMap('argocd-rbac-cm', Object.fromEntries(Object.entries(omit(get(values, 'configs', 'rbac'))).map(([k, v]) => [k, asData(v)]))));
  }
  const n = isObject(values.notifications) ? values.notifications : {};
  if (n.enabled !== false && get(n, 'cm', 'create') !== false) {
    const context = isObject(n.context) && Object.keys(n.context).length > 0 ? stringify(n.context) : '';
    const data: Json = { context: `argocdUrl: ${str(n.argocdUrl) ?? `https://${domain}`}\n${context}` };
    const maps = [n.notifiers, n.templates, n.triggers].map((m) => (isObject(m) ? m : {}));
    Object.assign(data, maps[0]);
    if (Array.isArray(n.subscriptions) && n.subscriptions.length > 0) data.subscriptions = stringify(n.subscriptions);
    Object.assign(data, maps[1], maps[2]);
    out.push(configMap('argocd-notifications-cm', Object.fromEntries(Object.entries(data).map(([k, v]) => [k, asData(v)]))));
  }
  return out;
}

interface HelmRelease {
  readonly chart?: string;
  readonly version?: string;
  readonly namespace?: string;
  readonly values?: readonly string[];
}

/**
 * The modelled objects of one environment: the Secrets of its ExternalSecrets
 * and the ConfigMaps of its argo-cd release.
 */
export function modelledObjects(shipped: ReadonlyArray<{ readonly file: string; readonly object: Json }>, terraform: { resource?: Record<string, Record<string, unknown>> }): ModelledObject[] {
  const out: ModelledObject[] = [];
  for (const s of shipped) {
    const secret = externalSecretTarget(s.object);
    if (secret) out.push({ file: `${s.file} (the Secret its ExternalSecret writes)`, object: secret });
  }
  for (const [key, r] of Object.entries((terraform.resource?.helm_release ?? {}) as Record<string, HelmRelease>)) {
    if (r.chart !== 'argo-cd' || !r.version) continue;
    const values = (r.values ?? []).map((v) => parse(v) as unknown);
    for (const object of argoCdConfigMaps(r.namespace ?? 'default', values, chartDefaults(r.chart, r.version))) {
      out.push({ file: `cdk.tf.json:helm_release.${key} (the ConfigMap the chart renders)`, object });
    }
  }
  return out;
}
