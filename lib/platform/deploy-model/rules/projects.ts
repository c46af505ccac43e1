import { ManifestObject } from '../../gitops-tree';
import { DeployViolation } from '../facts';
import { DeployedObject, Inventory, isClusterScoped, isObject, refOf } from '../inventory';

type Json = Record<string, unknown>;
const arr = (v: unknown): Json[] => (Array.isArray(v) ? v.filter(isObject) : []);
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

/** Argo CD's glob match (`*` matches any run of characters), with `{{...}}` template parameters standing for any value. */
export function globMatch(pattern: string, value: string): boolean {
  const v = value.replace(/\{\{[^}]*\}\}/g, 'x');
  if (pattern === '*') return true;
  const re = new RegExp(`^${pattern.split('*').map((p) => p.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`);
  return re.test(v);
}

const groupOf = (apiVersion: string): string => (apiVersion.includes('/') ? apiVersion.split('/')[0]! : '');
const kindListed = (list: Json[], group: string, kind: string): boolean =>
  list.some((e) => globMatch(str(e.group) ?? '', group) && globMatch(str(e.kind) ?? '', kind));

/**
 * Rule `appProject.*`: the AppProject of every Application and ApplicationSet
 * permits its source repositories, its destination, and the kinds it applies
 * (Namespace when it syncs with `CreateNamespace=true`).
 */
export function appProjectViolations(inv: Inventory): DeployViolation[] {
  const out: DeployViolation[] = [];
  // What each Application applies, by its reference.
  const byOwnerRef = new Map<string, DeployedObject[]>();
  for (const d of inv.objects) {
    const list = byOwnerRef.get(d.ownerRef);
    if (list) list.push(d);
    else byOwnerRef.set(d.ownerRef, [d]);
  }
  const appliedBy = (app: ManifestObject): readonly DeployedObject[] => byOwnerRef.get(refOf(app)) ?? [];
  const projects = new Map<string, Json>();
  for (const d of inv.objects) {
    if (d.object.kind === 'AppProject' && d.object.apiVersion.startsWith('argoproj.io/')) {
      projects.set(`${d.object.metadata.namespace}/${d.object.metadata.name}`, ((d.object as Json).spec ?? {}) as Json);
    }
  }
  for (const d of inv.objects) {
    const o = d.object;
    if (!o.apiVersion.startsWith('argoproj.io/') || (o.kind !== 'Application' && o.kind !== 'ApplicationSet')) continue;
    const spec = ((o as Json).spec ?? {}) as Json;
    const app = o.kind === 'Application' ? spec : isObject(spec.template) && isObject(spec.template.spec) ? spec.template.spec : undefined;
    if (!app) continue;
    const projectName = str(app.project) ?? 'default';
    const project = projects.get(`${o.metadata.namespace}/${projectName}`);
    if (!project) continue; // the default project, or a missing one (references.appProject)
    const v = (rule: string, message: string, fix: string): void => {
      out.push({ rule, object: refOf(o), source: d.source, message: `AppProject "${projectName}" ${message}`, fix });
    };
    const repos = (project.sourceRepos as unknown[] | undefined)?.map(String) ?? [];
    const sources = [app.source, ...arr(app.sources)].filter(isObject);
    for (const s of sources) {
      const url = str(s.repoURL);
      if (url && !repos.some((r) => globMatch(r, url))) {
        v('appProject.sourceRepo', `does not permit source repository "${url}" (sourceRepos: ${JSON.stringify(repos)})`, `Add "${url}" to the project's sourceRepos`);
      }
    }
    const dest = isObject(app.destination) ? app.destination : {};
    const ns = str(dest.namespace) ?? '';
    const server = str(dest.server);
    const name = str(dest.name);
    const destOk = arr(project.destinations).some((p) => {
      const nsOk = globMatch(str(p.namespace) ?? '', ns);
      const templated = (x: string | undefined): boolean => !!x && x.includes('{{');
      const serverOk = templated(server) || templated(name) ||
        (server !== undefined && p.server !== undefined ? globMatch(String(p.server), server) : name !== undefined && p.name !== undefined ? globMatch(String(p.name), name) : false);
      return nsOk && serverOk;
    });
    if (!destOk) {
      v('appProject.destination', `does not permit destination ${server ?? name ?? '(none)'} namespace "${ns}"`, 'Add the destination to the project, or deploy to a permitted namespace');
    }
    const options = isObject(app.syncPolicy) && Array.isArray(app.syncPolicy.syncOptions) ? (app.syncPolicy.syncOptions as unknown[]) : [];
    const clusterKinds: Array<{ group: string; kind: string; why: string }> = [];
    if (options.includes('CreateNamespace=true') && ns) clusterKinds.push({ group: '', kind: 'Namespace', why: 'CreateNamespace=true' });
    for (const applied of appliedBy(o)) {
      if (isClusterScoped(applied.object)) clusterKinds.push({ group: groupOf(applied.object.apiVersion), kind: applied.object.kind, why: refOf(applied.object) });
    }
    const white = arr(project.clusterResourceWhitelist);
    const black = arr(project.clusterResourceBlacklist);
    const reported = new Set<string>();
    for (const k of clusterKinds) {
      const key = `${k.group}/${k.kind}`;
      if (reported.has(key)) continue;
      if (kindListed(white, k.group, k.kind) && !kindListed(black, k.group, k.kind)) continue;
      reported.add(key);
      v('appProject.clusterResource', `does not permit cluster-scoped ${k.group === '' ? '' : `${k.group}/`}${k.kind} (needed by ${k.why})`, `Add { group: '${k.group}', kind: '${k.kind}' } to the project's clusterResourceWhitelist, or stop creating it from this application`);
    }
    const nsBlack = arr(project.namespaceResourceBlacklist);
    const nsWhite = project.namespaceResourceWhitelist === undefined ? undefined : arr(project.namespaceResourceWhitelist);
    for (const applied of appliedBy(o)) {
      if (isClusterScoped(applied.object)) continue;
      const g = groupOf(applied.object.apiVersion);
      if (kindListed(nsBlack, g, applied.object.kind) || (nsWhite !== undefined && !kindListed(nsWhite, g, applied.object.kind))) {
        v('appProject.namespaceResource', `does not permit ${applied.object.kind} (${refOf(applied.object)})`, `Permit ${applied.object.kind} in the project's namespace resources, or remove it from the application`);
      }
    }
  }
  return out;
}
