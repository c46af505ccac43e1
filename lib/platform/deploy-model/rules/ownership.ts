import { ManifestObject } from '../../gitops-tree';
import { DeployViolation } from '../facts';
import { compareNames } from '../../compare';
import { Inventory, isObject, refOf } from '../inventory';

/** One owner of an object: who applies it, from where, and the object (or its reference, for a chart's). */
interface Owned {
  readonly ownerRef: string;
  readonly owner: string;
  readonly source: string;
  readonly ref: string | ManifestObject;
}

const groupOf = (apiVersion: string): string => (apiVersion.includes('/') ? apiVersion.split('/')[0]! : 'core');

/**
 * Rule `ownership.*`: each object has one owner (Terraform, one Flux
 * Kustomization, one Argo CD Application, or a chart), and no field a
 * controller rewrites is managed by Terraform without an ignore rule.
 */
export function ownershipViolations(inv: Inventory): DeployViolation[] {
  const out: DeployViolation[] = [];
  // Each object's owners, in the order first seen: one entry until a second owner comes (almost every object has
  // one), and the object's reference is written out only for a report.
  const owners = new Map<string, Owned | Owned[]>();
  const add = (key: string, ref: string | ManifestObject, ownerRef: string, owner: string, source: string): void => {
    const known = owners.get(key);
    const entry: Owned = { ownerRef, owner, source, ref };
    if (known === undefined) owners.set(key, entry);
    else if (Array.isArray(known)) {
      if (!known.some((k) => k.ownerRef === ownerRef)) known.push(entry);
    } else if (known.ownerRef !== ownerRef) owners.set(key, [known, entry]);
  };
  for (const d of inv.objects) {
    const o = d.object;
    add(`${groupOf(o.apiVersion)}/${o.kind}/${o.metadata.namespace ?? ''}/${o.metadata.name}`, o, d.ownerRef, d.owner, d.source);
  }
  for (const c of inv.charts) {
    for (const ns of c.facts.namespaces ?? []) add(`core/Namespace//${ns}`, `Namespace/${ns}`, `helm_release ${c.release}`, 'chart', `chart ${c.chart}`);
    for (const obj of c.facts.objects ?? []) {
      const [kind, ns, name] = obj.split('/');
      add(`${kind === 'Namespace' ? 'core' : '*'}/${kind}/${ns}/${name}`, obj, `helm_release ${c.release}`, 'chart', `chart ${c.chart}`);
    }
  }
  // Only objects with more than one owner are reported: they are sorted, not every object.
  const shared = [...owners.entries()].filter((entry): entry is [string, Owned[]] => Array.isArray(entry[1]));
  for (const [, list] of shared.sort(([a], [b]) => compareNames(a, b))) {
    const first = list[0]!.ref;
    out.push({
      rule: 'ownership.multipleOwners',
      object: typeof first === 'string' ? first : refOf(first),
      source: list.map((v) => v.source).join(', '),
      message: `is applied by ${list.length} owners: ${list.map((v) => `${v.owner} (${v.ownerRef})`).join(', ')}; each reverts or prunes the other's changes`,
      fix: 'Keep one owner: create it in Terraform or in the tree, not both',
    });
  }

  // Labels controllers put on Terraform-managed namespaces.
  for (const c of inv.charts) {
    for (const [nsKey, keys] of Object.entries(c.facts.namespaceLabels ?? {})) {
      const ns = nsKey === '' ? c.namespace : nsKey;
      const resource = inv.terraform.find((t) => /^kubernetes_namespace(_v1)?$/.test(t.type) && isObject(t.config.metadata) && t.config.metadata.name === ns);
      if (!resource) continue;
      const lifecycle = isObject(resource.config.lifecycle) ? resource.config.lifecycle : {};
      const ignored = Array.isArray(lifecycle.ignore_changes) ? (lifecycle.ignore_changes as unknown[]).map(String) : lifecycle.ignore_changes === 'all' ? ['all'] : [];
      const covers = (key: string): boolean =>
        ignored.some((i) => i === 'all' || i === 'metadata' || i === 'metadata[0].labels' || i === `metadata[0].labels["${key}"]`);
      const drifting = keys.filter((k) => !covers(k));
      if (drifting.length === 0) continue;
      out.push({
        rule: 'ownership.controllerRewrites',
        object: `Namespace/${ns}`,
        source: resource.address,
        message: `Terraform manages the namespace's labels, and chart ${c.chart} (release ${c.release}) sets ${drifting.map((k) => `"${k}"`).join(', ')} on it: every plan shows drift and apply reverts the controller`,
        fix: `Ignore those labels in the namespace's lifecycle (ignore_changes = [metadata[0].labels["..."]]), set them in Terraform with the controller's values, or turn the chart's namespace labelling off`,
      });
    }
  }
  return out;
}
