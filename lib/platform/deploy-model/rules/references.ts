import { parseAllDocuments } from 'yaml';
import { prerequisitesOf } from '../../environment';
import { compareNames } from '../../compare';
import { ManifestObject } from '../../gitops-tree';
import { DeployViolation } from '../facts';
import { DeployedObject, Inventory, isClusterScoped, isObject, normalizeRepoUrl, refOf } from '../inventory';
import { podTemplateOf } from '../pod-security';

type Json = Record<string, unknown>;

/** Namespaces every cluster has. */
export const BUILTIN_NAMESPACES: readonly string[] = ['default', 'kube-node-lease', 'kube-public', 'kube-system'];

const spec = (o: ManifestObject): Json => (isObject((o as Json).spec) ? ((o as Json).spec as Json) : {});
const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);
const arr = (v: unknown): Json[] => (Array.isArray(v) ? v.filter(isObject) : []);
const nameRef = (v: unknown): string | undefined => (isObject(v) ? str(v.name) : undefined);
/** Whether the object's API group is `group` (its `apiVersion` is `group/...`), without building `group/` for each object. */
const api = (o: ManifestObject, group: string): boolean =>
  o.apiVersion.length > group.length && o.apiVersion.charCodeAt(group.length) === 0x2f && o.apiVersion.startsWith(group);
const chartRef = (ref: string, namespace: string): string => (ref.includes('/') ? ref : `${namespace}/${ref}`);

/** A reference from one object to a Secret, with the field that holds it. */
export interface SecretReference {
  readonly namespace: string;
  readonly name: string;
  readonly field: string;
}

/** The Secrets an object needs (optional references are left out). */
export function secretReferences(d: DeployedObject): SecretReference[] {
  const o = d.object;
  const ns = o.metadata.namespace ?? '';
  const s = spec(o);
  const out: SecretReference[] = [];
  const add = (name: string | undefined, field: string, namespace = ns): void => {
    if (name && !name.includes('{{')) out.push({ namespace, name, field });
  };
  const pod = podTemplateOf(o as ManifestObject & { spec?: unknown });
  if (pod) {
    for (const v of arr(pod.spec.volumes)) {
      if (isObject(v.secret) && v.secret.optional !== true) add(str(v.secret.secretName), `volume ${String(v.name)}`);
      if (isObject(v.projected)) {
        for (const src of arr(v.projected.sources)) {
          if (isObject(src.secret) && src.secret.optional !== true) add(str(src.secret.name), `projected volume ${String(v.name)}`);
        }
      }
    }
    for (const p of arr(pod.spec.imagePullSecrets)) add(str(p.name), 'imagePullSecrets');
    for (const c of [...arr(pod.spec.initContainers), ...arr(pod.spec.containers)]) {
      for (const e of arr(c.env)) {
        const ref = isObject(e.valueFrom) && isObject(e.valueFrom.secretKeyRef) ? e.valueFrom.secretKeyRef : undefined;
        if (ref && ref.optional !== true) add(str(ref.name), `container ${String(c.name)} env ${String(e.name)}`);
      }
      for (const e of arr(c.envFrom)) {
        if (isObject(e.secretRef) && e.secretRef.optional !== true) add(str(e.secretRef.name), `container ${String(c.name)} envFrom`);
      }
    }
  }
  if (api(o, 'source.toolkit.fluxcd.io') || api(o, 'notification.toolkit.fluxcd.io') || api(o, 'image.toolkit.fluxcd.io')) {
    add(nameRef(s.secretRef), 'spec.secretRef');
    add(nameRef(s.certSecretRef), 'spec.certSecretRef');
    add(nameRef(s.proxySecretRef), 'spec.proxySecretRef');
  }
  if (api(o, 'kustomize.toolkit.fluxcd.io') || api(o, 'helm.toolkit.fluxcd.io')) {
    if (isObject(s.decryption)) add(nameRef(s.decryption.secretRef), 'spec.decryption.secretRef');
    if (isObject(s.kubeConfig)) add(nameRef(s.kubeConfig.secretRef), 'spec.kubeConfig.secretRef');
    for (const v of arr(s.valuesFrom)) if (v.kind === 'Secret' && v.optional !== true) add(str(v.name), 'spec.valuesFrom');
    if (isObject(s.values)) for (const name of existingSecrets(s.values)) add(name, 'spec.values existingSecret', str(s.targetNamespace) ?? ns);
  }
  if (o.kind === 'Ingress' && o.apiVersion.startsWith('networking.k8s.io/')) {
    const annotations = (o.metadata.annotations ?? {}) as Record<string, string>;
    const certManaged = 'cert-manager.io/cluster-issuer' in annotations || 'cert-manager.io/issuer' in annotations;
    if (!certManaged) for (const t of arr(s.tls)) add(str(t.secretName), 'spec.tls');
  }
  return out;
}

/** `existingSecret`-style values anywhere in a chart's values. */
export function existingSecrets(values: unknown): string[] {
  const out: string[] = [];
  const walk = (v: unknown): void => {
    if (Array.isArray(v)) v.forEach(walk);
    else if (isObject(v)) {
      for (const [k, x] of Object.entries(v)) {
        if (/^existingSecret(Name)?$/.test(k) && typeof x === 'string' && x !== '') out.push(x);
        else walk(x);
      }
    }
  };
  walk(values);
  return out;
}

/** The Secrets the environment produces, as `namespace/name`, with what produces each. */
export function secretProducers(inv: Inventory): Map<string, string> {
  const out = new Map<string, string>();
  const add = (ns: string | undefined, name: string | undefined, by: string): void => {
    if (ns && name && !out.has(`${ns}/${name}`)) out.set(`${ns}/${name}`, by);
  };
  for (const d of inv.objects) {
    const o = d.object;
    const s = spec(o);
    const ns = o.metadata.namespace;
    if (o.kind === 'Secret' && o.apiVersion === 'v1') add(ns, o.metadata.name, d.owner === 'terraform' ? d.ownerRef : refOf(o));
    if (o.kind === 'ExternalSecret' && api(o, 'external-secrets.io')) add(ns, (isObject(s.target) ? str(s.target.name) : undefined) ?? o.metadata.name, refOf(o));
    if (o.kind === 'SealedSecret' && api(o, 'bitnami.com')) {
      const t = isObject(s.template) && isObject(s.template.metadata) ? str(s.template.metadata.name) : undefined;
      add(ns, t ?? o.metadata.name, refOf(o));
    }
    if (o.kind === 'Certificate' && api(o, 'cert-manager.io')) add(ns, str(s.secretName), refOf(o));
    if (o.kind === 'Ingress') {
      const annotations = (o.metadata.annotations ?? {}) as Record<string, string>;
      if ('cert-manager.io/cluster-issuer' in annotations || 'cert-manager.io/issuer' in annotations) {
        for (const t of arr(s.tls)) add(ns, str(t.secretName), `cert-manager (${refOf(o)})`);
      }
    }
  }
  for (const c of inv.charts) {
    for (const ref of c.facts.secrets ?? []) {
      const full = chartRef(ref, c.namespace);
      if (!out.has(full)) out.set(full, `chart ${c.chart} (release ${c.release})`);
    }
  }
  for (const p of inv.settings.prerequisiteSecrets ?? []) add(p.namespace, p.name, `prerequisite: ${p.why}`);
  return out;
}

/** The objects that produce Secret `namespace/name` (a Secret, an ExternalSecret or SealedSecret target, a Certificate). */
function secretMakers(inv: Inventory, full: string): DeployedObject[] {
  return inv.objects.filter((d) => {
    const o = d.object;
    const s = spec(o);
    const ns = o.metadata.namespace;
    let name: string | undefined;
    if (o.kind === 'Secret' && o.apiVersion === 'v1') name = o.metadata.name;
    else if (o.kind === 'ExternalSecret' && api(o, 'external-secrets.io')) name = (isObject(s.target) ? str(s.target.name) : undefined) ?? o.metadata.name;
    else if (o.kind === 'SealedSecret' && api(o, 'bitnami.com')) name = (isObject(s.template) && isObject(s.template.metadata) ? str(s.template.metadata.name) : undefined) ?? o.metadata.name;
    else if (o.kind === 'Certificate' && api(o, 'cert-manager.io')) name = str(s.secretName);
    return name !== undefined && `${ns}/${name}` === full;
  });
}

/** The namespaces that exist once the environment is applied. */
export function existingNamespaces(inv: Inventory): Set<string> {
  const out = new Set<string>(BUILTIN_NAMESPACES);
  // What the cluster already runs (prerequisites): the ingress controller's namespace, Istio's.
  const prerequisites = prerequisitesOf(inv.environment);
  if (prerequisites.ingress) out.add(prerequisites.ingress.namespace);
  if (prerequisites.istio.installed) out.add('istio-system');
  for (const d of inv.objects) {
    if (d.object.kind === 'Namespace') out.add(d.object.metadata.name!);
    const createNs = argoCreatesNamespace(d.object);
    if (createNs) out.add(createNs);
  }
  for (const c of inv.charts) {
    out.add(c.namespace);
    for (const ns of c.facts.namespaces ?? []) out.add(ns);
  }
  return out;
}

/** The destination namespace of an Application that syncs with `CreateNamespace=true`. */
export function argoCreatesNamespace(o: ManifestObject): string | undefined {
  if (o.kind !== 'Application' || !api(o, 'argoproj.io')) return undefined;
  const s = spec(o);
  const options = isObject(s.syncPolicy) && Array.isArray(s.syncPolicy.syncOptions) ? (s.syncPolicy.syncOptions as unknown[]) : [];
  return options.includes('CreateNamespace=true') && isObject(s.destination) ? str(s.destination.namespace) : undefined;
}

/** Rule `references.*`: every Secret, path, project, issuer, store, service account and namespace named exists. */
export function referenceViolations(inv: Inventory): DeployViolation[] {
  const out: DeployViolation[] = [];
  const producers = secretProducers(inv);
  const namespaces = existingNamespaces(inv);
  const source = (d: DeployedObject): string => d.source;
  // The objects of each kind asked about (a few: AppProject, ClusterIssuer, Issuer, the secret stores) as `name`
  // (any namespace) and `namespace/name`, indexed on the first question: a tree holds thousands of objects.
  const present = new Map<string, Set<string>>();
  const has = (kind: string, ns: string | undefined, name: string): boolean => {
    let names = present.get(kind);
    if (names === undefined) {
      names = new Set<string>();
      for (const d of inv.objects) {
        if (d.object.kind !== kind) continue;
        names.add(`${d.object.metadata.name}`);
        names.add(`${d.object.metadata.namespace}/${d.object.metadata.name}`);
      }
      present.set(kind, names);
    }
    return names.has(ns === undefined ? name : `${ns}/${name}`);
  };
  // Each release's values, parsed once: three checks below read them.
  const valuesOf = new Map(inv.charts.map((c) => [c, chartValues(inv, c.release, c.namespace)]));

  // Secrets.
  for (const d of inv.objects) {
    for (const ref of secretReferences(d)) {
      if (producers.has(`${ref.namespace}/${ref.name}`)) continue;
      out.push({
        rule: 'references.secret',
        object: refOf(d.object),
        source: source(d),
        message: `${ref.field} names Secret "${ref.namespace}/${ref.name}", which nothing creates (no Terraform resource, ExternalSecret, SealedSecret, chart or prerequisite)`,
        fix: `Produce it with an ExternalSecret or SealedSecret in "${ref.namespace}", or declare it in deployModel.prerequisiteSecrets so the deploy guide lists it`,
      });
    }
  }
  for (const c of inv.charts) {
    const values = valuesOf.get(c);
    const consumed = (c.facts.consumesSecrets ?? []).map((ref) => chartRef(ref, c.namespace));
    for (const full of [...existingSecrets(values).map((name) => `${c.namespace}/${name}`), ...consumed]) {
      if (producers.has(full)) continue;
      const name = full.slice(full.indexOf('/') + 1);
      const ns = full.slice(0, full.indexOf('/'));
      out.push({
        rule: 'references.secret',
        object: `HelmRelease(terraform)/${c.namespace}/${c.release}`,
        source: `helm_release ${c.release}`,
        message: `the chart's pods need Secret "${ns}/${name}" (chart values), which nothing creates`,
        fix: `Produce it (ExternalSecret, SealedSecret, Terraform) or declare it in deployModel.prerequisiteSecrets`,
      });
    }
  }

  // Order: Terraform applies the tree (the bootstrap release and what it syncs)
  // after every controller release. A release Terraform waits for must not need
  // a Secret that only the tree produces: its pods could not start, the release
  // would time out, and the tree that makes the Secret would never be applied.
  // Only `existingSecret` values count: the chart's own pods mount those, and
  // Helm waits for them (`consumesSecrets` may name Secrets of pods an operator
  // creates later, which Helm does not wait for).
  for (const c of inv.charts) {
    const release = inv.terraform.find((t) => t.type === 'helm_release' && t.config.name === c.release && t.config.namespace === c.namespace);
    if (!release || release.config.wait === false) continue;
    const values = valuesOf.get(c);
    for (const full of existingSecrets(values).map((name) => `${c.namespace}/${name}`)) {
      const by = producers.get(full);
      if (by === undefined || by.startsWith('chart ') || by.startsWith('prerequisite:')) continue;
      const makers = secretMakers(inv, full);
      if (makers.length === 0 || makers.some((d) => d.owner === 'terraform' && d.ownerRef !== 'helm_release gitops-bootstrap')) continue;
      out.push({
        rule: 'references.secretOrder',
        object: `HelmRelease(terraform)/${c.namespace}/${c.release}`,
        source: `helm_release ${c.release}`,
        message: `the release waits for pods that need Secret "${full}", which only ${makers.map((d) => refOf(d.object)).join(', ')} in the tree produces, and the tree is applied after every controller release`,
        fix: 'Produce the Secret before the release (a Terraform resource, or a prerequisite), authenticate another way (a service-account role), or install the release without waiting for its pods',
      });
    }
  }

  // Issuers named in chart values (ingress annotations of the charts' own Ingresses).
  for (const c of inv.charts) {
    for (const issuer of annotationValues(valuesOf.get(c), 'cert-manager.io/cluster-issuer')) {
      if (has('ClusterIssuer', undefined, issuer)) continue;
      out.push({
        rule: 'references.clusterIssuer',
        object: `HelmRelease(terraform)/${c.namespace}/${c.release}`,
        source: `helm_release ${c.release}`,
        message: `an Ingress of the chart names ClusterIssuer "${issuer}" (chart values), which nothing creates`,
        fix: `Add ClusterIssuer "${issuer}" to the tree (after cert-manager), or name one that exists`,
      });
    }
  }

  // Argo CD repository credentials: when the platform's repository needs credentials, every repository Argo CD reads needs some.
  if (inv.environment.gitops.credentialsSecret) {
    const creds = argoRepositoryCredentials(inv);
    const seen = new Set<string>();
    for (const d of inv.objects) {
      for (const url of argoRepoUrls(d.object)) {
        const n = normalizeRepoUrl(url);
        if (seen.has(n)) continue;
        seen.add(n);
        const ok = creds.some((c) => (c.type === 'repository' ? c.url === n : n.startsWith(c.url)));
        if (ok) continue;
        out.push({
          rule: 'references.repositoryCredentials',
          object: refOf(d.object),
          source: source(d),
          message: `Argo CD reads "${url}", but no repository Secret (argocd.argoproj.io/secret-type: repository) has this URL and no repo-creds Secret covers it as a prefix`,
          fix: 'Add a repo-creds Secret whose url is a prefix of the team repositories (an ExternalSecret in argocd), or a repository Secret for this URL',
        });
      }
    }
  }

  // Paths synced from the platform's own repository.
  const treeDirs = new Set<string>();
  for (const f of inv.files.keys()) for (let i = f.indexOf('/'); i > 0; i = f.indexOf('/', i + 1)) treeDirs.add(f.slice(0, i));
  const external = (inv.settings.externalPaths ?? []).map((p) => p.replace(/^\.?\/+|\/+$/g, ''));
  for (const sp of inv.syncPaths) {
    if (external.some((e) => sp.path === e || sp.path.startsWith(`${e}/`))) continue;
    if (sp.treePath !== undefined) {
      const written = sp.treePath === '' ? inv.files.size > 0 : inv.files.has(sp.treePath) || treeDirs.has(sp.treePath);
      if (written) continue;
      out.push({
        rule: 'references.path',
        object: refOf(sp.by.object),
        source: sp.by.source,
        message: `syncs "${sp.path}" from the platform repository, but the tree writes nothing there`,
        fix: 'Render objects at that path, point the sync at a path the tree writes, or declare it in deployModel.externalPaths',
      });
    } else {
      out.push({
        rule: 'references.path',
        object: refOf(sp.by.object),
        source: sp.by.source,
        message: `syncs "${sp.path}" from the platform repository, outside this environment's tree ("${inv.repoPath}"); nothing in this synth writes it`,
        fix: `Sync a path under "${inv.repoPath}", or declare "${sp.path}" in deployModel.externalPaths if another process writes it`,
      });
    }
  }
  for (const m of inv.unsynced) {
    out.push({
      rule: 'references.unsynced',
      object: refOf(m.object),
      source: m.file,
      message: `is rendered into the tree, but no Application or Kustomization applies "${m.file}"`,
      fix: 'Put it in a synced section, or remove it',
    });
  }

  // AppProjects, issuers, stores, service accounts, namespaces.
  const serviceAccounts = new Set<string>();
  for (const d of inv.objects) if (d.object.kind === 'ServiceAccount') serviceAccounts.add(`${d.object.metadata.namespace}/${d.object.metadata.name}`);
  for (const c of inv.charts) for (const sa of c.facts.serviceAccounts ?? []) serviceAccounts.add(chartRef(sa, c.namespace));

  const missingNamespaces = new Map<string, DeployedObject[]>();
  for (const d of inv.objects) {
    const o = d.object;
    const s = spec(o);
    const ns = o.metadata.namespace;
    if (ns && !isClusterScoped(o) && !namespaces.has(ns)) {
      const users = missingNamespaces.get(ns);
      if (users) users.push(d);
      else missingNamespaces.set(ns, [d]);
    }

    if (api(o, 'argoproj.io') && (o.kind === 'Application' || o.kind === 'ApplicationSet')) {
      const project = o.kind === 'Application' ? str(s.project) : isObject(s.template) && isObject(s.template.spec) ? str(s.template.spec.project) : undefined;
      if (project && project !== 'default' && !project.includes('{{') && !has('AppProject', ns, project)) {
        out.push({
          rule: 'references.appProject',
          object: refOf(o),
          source: source(d),
          message: `uses AppProject "${project}", which does not exist in "${ns}"`,
          fix: `Create AppProject "${project}" in "${ns}" (synced before its applications), or use an existing project`,
        });
      }
    }
    const annotations = (o.metadata.annotations ?? {}) as Record<string, string>;
    const clusterIssuer = annotations['cert-manager.io/cluster-issuer'] ?? (o.kind === 'Certificate' && isObject(s.issuerRef) && s.issuerRef.kind === 'ClusterIssuer' ? str(s.issuerRef.name) : undefined);
    if (clusterIssuer && !has('ClusterIssuer', undefined, clusterIssuer)) {
      out.push({
        rule: 'references.clusterIssuer',
        object: refOf(o),
        source: source(d),
        message: `names ClusterIssuer "${clusterIssuer}", which nothing creates`,
        fix: `Add ClusterIssuer "${clusterIssuer}" to the tree (after cert-manager), or name one that exists`,
      });
    }
    const issuer = annotations['cert-manager.io/issuer'];
    if (issuer && !has('Issuer', ns, issuer)) {
      out.push({
        rule: 'references.clusterIssuer',
        object: refOf(o),
        source: source(d),
        message: `names Issuer "${ns}/${issuer}", which nothing creates`,
        fix: `Add Issuer "${issuer}" in "${ns}", or name one that exists`,
      });
    }
    if (o.kind === 'ExternalSecret' && api(o, 'external-secrets.io') && isObject(s.secretStoreRef)) {
      const kind = str(s.secretStoreRef.kind) ?? 'SecretStore';
      const name = str(s.secretStoreRef.name);
      if (name && !has(kind, kind === 'ClusterSecretStore' ? undefined : ns, name)) {
        out.push({
          rule: 'references.secretStore',
          object: refOf(o),
          source: source(d),
          message: `reads from ${kind} "${name}", which does not exist`,
          fix: `Configure the store (security.vault or security.aws), or point secretStoreRef at an existing ${kind}`,
        });
      }
    }
    const saNames: Array<[string, string]> = [];
    const pod = podTemplateOf(o as ManifestObject & { spec?: unknown });
    if (pod && str(pod.spec.serviceAccountName)) saNames.push([str(pod.spec.serviceAccountName)!, 'spec.serviceAccountName']);
    if ((api(o, 'kustomize.toolkit.fluxcd.io') || api(o, 'helm.toolkit.fluxcd.io')) && str(s.serviceAccountName)) {
      saNames.push([str(s.serviceAccountName)!, 'spec.serviceAccountName (impersonated)']);
    }
    for (const [sa, field] of saNames) {
      if (sa === 'default' || !ns || serviceAccounts.has(`${ns}/${sa}`)) continue;
      out.push({
        rule: 'references.serviceAccount',
        object: refOf(o),
        source: source(d),
        message: `${field} names ServiceAccount "${ns}/${sa}", which nothing creates`,
        fix: `Create ServiceAccount "${sa}" in "${ns}" (with its RBAC), or name one that exists`,
      });
    }
  }
  // Service accounts the secret stores authenticate as (and, for AWS JWT auth, their IAM role).
  const saAnnotations = new Map<string, Record<string, string>>();
  for (const d of inv.objects) {
    if (d.object.kind === 'ServiceAccount') saAnnotations.set(`${d.object.metadata.namespace}/${d.object.metadata.name}`, (d.object.metadata.annotations ?? {}) as Record<string, string>);
  }
  for (const c of inv.charts) {
    for (const [sa, annotations] of Object.entries(c.facts.serviceAccountAnnotations ?? {})) saAnnotations.set(chartRef(sa, c.namespace), { ...annotations });
  }
  for (const d of inv.objects) {
    const o = d.object;
    if (!api(o, 'external-secrets.io') || (o.kind !== 'ClusterSecretStore' && o.kind !== 'SecretStore')) continue;
    const provider = isObject(spec(o).provider) ? (spec(o).provider as Json) : {};
    for (const [name, p] of Object.entries(provider)) {
      if (!isObject(p) || !isObject(p.auth)) continue;
      for (const [method, auth] of Object.entries(p.auth)) {
        if (!isObject(auth) || !isObject(auth.serviceAccountRef)) continue;
        const saName = str(auth.serviceAccountRef.name);
        const saNs = str(auth.serviceAccountRef.namespace) ?? o.metadata.namespace;
        if (!saName) continue;
        if (!saNs) {
          out.push({
            rule: 'references.serviceAccount',
            object: refOf(o),
            source: source(d),
            message: `${name} ${method} auth names ServiceAccount "${saName}" without a namespace; a ClusterSecretStore needs serviceAccountRef.namespace`,
            fix: 'Set serviceAccountRef.namespace to the namespace of the service account',
          });
          continue;
        }
        const key = `${saNs}/${saName}`;
        if (!serviceAccounts.has(key)) {
          out.push({
            rule: 'references.serviceAccount',
            object: refOf(o),
            source: source(d),
            message: `${name} ${method} auth names ServiceAccount "${key}", which nothing creates`,
            fix: `Create ServiceAccount "${saName}" in "${saNs}", or name one that exists`,
          });
        } else if (name === 'aws' && method === 'jwt' && !(saAnnotations.get(key) ?? {})['eks.amazonaws.com/role-arn']) {
          out.push({
            rule: 'references.serviceAccount',
            object: refOf(o),
            source: source(d),
            message: `aws jwt auth uses ServiceAccount "${key}", which has no eks.amazonaws.com/role-arn annotation: AWS cannot map its token to an IAM role`,
            fix: 'Annotate the service account with the IAM role (IRSA), e.g. security.aws.roleArn',
          });
        }
      }
    }
  }

  // Argo CD RBAC grants on projects (policy.csv in chart values).
  const projects = new Set(inv.objects.filter((d) => d.object.kind === 'AppProject').map((d) => d.object.metadata.name!));
  projects.add('default');
  for (const c of inv.charts) {
    for (const csv of annotationValues(valuesOf.get(c), 'policy.csv')) {
      const missing = new Set<string>();
      for (const line of csv.split('\n')) {
        const f = line.split(',').map((x) => x.trim());
        if (f[0] !== 'p' || f.length < 5) continue;
        if (!['applications', 'applicationsets', 'logs', 'exec'].includes(f[2]!)) continue;
        const project = f[4]!.split('/')[0]!;
        if (project && !project.includes('*') && !projects.has(project)) missing.add(project);
      }
      for (const project of [...missing].sort()) {
        out.push({
          rule: 'references.appProject',
          object: `HelmRelease(terraform)/${c.namespace}/${c.release}`,
          source: `helm_release ${c.release}`,
          message: `the RBAC policy (policy.csv) grants on project "${project}", which does not exist`,
          fix: `Grant on an existing project, or create AppProject "${project}"`,
        });
      }
    }
  }

  for (const [ns, users] of [...missingNamespaces.entries()].sort(([a], [b]) => compareNames(a, b))) {
    const first = users[0]!;
    out.push({
      rule: 'references.namespace',
      object: refOf(first.object),
      source: first.source,
      message: `is in namespace "${ns}", which nothing creates (${users.length} object(s) there)`,
      fix: `Create namespace "${ns}" (platform.namespace, a Namespace in the tree, or CreateNamespace=true on the Application that syncs it)`,
    });
  }
  return out;
}

/** Every value of a key (an annotation name) anywhere in chart values. */
export function annotationValues(values: unknown, key: string): string[] {
  const out = new Set<string>();
  const walk = (v: unknown): void => {
    if (Array.isArray(v)) v.forEach(walk);
    else if (isObject(v)) {
      for (const [k, x] of Object.entries(v)) {
        if (k === key && typeof x === 'string') out.add(x);
        else walk(x);
      }
    }
  };
  walk(values);
  return [...out].sort();
}

/**
 * The values a Terraform helm_release sets (its `values` documents): the
 * chart release's own `values` when it has them, else the documents parsed.
 */
export function chartValues(inv: Inventory, release: string, namespace: string): unknown {
  const known = inv.charts.find((c) => c.release === release && c.namespace === namespace && c.values !== undefined);
  if (known) return known.values;
  const resource = inv.terraform.find((t) => t.type === 'helm_release' && t.config.name === release && t.config.namespace === namespace);
  const docs = Array.isArray(resource?.config.values) ? (resource!.config.values as unknown[]) : [];
  const merged: Json = {};
  for (const doc of docs) {
    if (typeof doc !== 'string') continue;
    try {
      const parsed = parseAllDocuments(doc);
      const first = Array.isArray(parsed) ? parsed[0] : parsed;
      const value = first?.toJS() as unknown;
      if (isObject(value)) Object.assign(merged, value);
    } catch {
      // A value Terraform interpolates at plan time: nothing to read here.
    }
  }
  return merged;
}

/** The repository URLs an Argo CD object reads. */
export function argoRepoUrls(o: ManifestObject): string[] {
  if (!api(o, 'argoproj.io')) return [];
  const s = spec(o);
  const urls: unknown[] = [];
  if (o.kind === 'Application') urls.push(isObject(s.source) ? s.source.repoURL : undefined, ...arr(s.sources).map((x) => x.repoURL));
  if (o.kind === 'ApplicationSet') {
    const t = isObject(s.template) && isObject(s.template.spec) ? s.template.spec : {};
    urls.push(isObject(t.source) ? t.source.repoURL : undefined, ...arr(t.sources).map((x) => x.repoURL));
    for (const g of arr(s.generators)) if (isObject(g.git)) urls.push(g.git.repoURL);
  }
  return urls.filter((u): u is string => typeof u === 'string' && /^(https?|ssh|git):\/\/|^[\w.-]+@/.test(u) && !u.includes('{{'))
    .filter((u) => !isObject(s.source) || !(s.source as Json).chart || u !== (s.source as Json).repoURL);
}

/** Argo CD repository and repo-creds Secrets, by normalized URL. */
function argoRepositoryCredentials(inv: Inventory): Array<{ type: 'repository' | 'repo-creds'; url: string }> {
  const out: Array<{ type: 'repository' | 'repo-creds'; url: string }> = [];
  for (const d of inv.objects) {
    const o = d.object as ManifestObject & Json;
    let labels: Record<string, string> = (o.metadata.labels ?? {}) as Record<string, string>;
    let data: Json | undefined;
    if (o.kind === 'Secret') data = { ...(isObject(o.stringData) ? o.stringData : {}), ...(isObject(o.data) ? o.data : {}) };
    if (o.kind === 'ExternalSecret') {
      const t = isObject(spec(o).target) && isObject((spec(o).target as Json).template) ? ((spec(o).target as Json).template as Json) : {};
      labels = { ...labels, ...((isObject(t.metadata) && isObject(t.metadata.labels) ? t.metadata.labels : {}) as Record<string, string>) };
      data = isObject(t.data) ? t.data : undefined;
    }
    if (d.owner === 'terraform' && o.kind === 'Secret') {
      const resource = inv.terraform.find((t) => t.address === d.ownerRef);
      // Write-only keys (data_wo) are written into the Secret just the same.
      data = {
        ...(isObject(resource?.config.data) ? resource!.config.data : {}),
        ...(isObject(resource?.config.data_wo) ? resource!.config.data_wo : {}),
      };
    }
    const type = labels['argocd.argoproj.io/secret-type'];
    if ((type === 'repository' || type === 'repo-creds') && data && typeof data.url === 'string') {
      out.push({ type, url: normalizeRepoUrl(data.url) });
    }
  }
  return out;
}
