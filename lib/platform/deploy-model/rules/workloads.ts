import { ManifestObject } from '../../gitops-tree';
import { DeployViolation } from '../facts';
import { Inventory, isObject, refOf } from '../inventory';
import { evaluatePodSecurity, PodSecurityLevel, podTemplateOf } from '../pod-security';

const ENFORCE = 'pod-security.kubernetes.io/enforce';
const LEVELS: readonly PodSecurityLevel[] = ['privileged', 'baseline', 'restricted'];

/** The labels each namespace gets, from Terraform, the tree, or an Application's managed namespace metadata. */
export function namespaceLabels(inv: Inventory): Map<string, Record<string, string>> {
  const out = new Map<string, Record<string, string>>();
  const merge = (ns: string, labels: Record<string, string>): void => {
    out.set(ns, { 'kubernetes.io/metadata.name': ns, ...(out.get(ns) ?? {}), ...labels });
  };
  for (const d of inv.objects) {
    const o = d.object;
    if (o.kind === 'Namespace') merge(o.metadata.name!, (o.metadata.labels ?? {}) as Record<string, string>);
    if (o.kind === 'Application' && o.apiVersion.startsWith('argoproj.io/')) {
      const spec = (o as { spec?: Record<string, unknown> }).spec ?? {};
      const sp = isObject(spec.syncPolicy) ? spec.syncPolicy : {};
      const dest = isObject(spec.destination) ? spec.destination : {};
      const managed = isObject(sp.managedNamespaceMetadata) && isObject(sp.managedNamespaceMetadata.labels) ? sp.managedNamespaceMetadata.labels : undefined;
      if (typeof dest.namespace === 'string' && managed) merge(dest.namespace, managed as Record<string, string>);
    }
  }
  for (const c of inv.charts) if (!out.has(c.namespace)) merge(c.namespace, {});
  return out;
}

/** The Pod Security level enforced in a namespace (`privileged` when unlabelled, as the admission plugin's default). */
export function enforcedLevel(labels: Readonly<Record<string, string>> | undefined): PodSecurityLevel {
  const value = labels?.[ENFORCE] as PodSecurityLevel | undefined;
  return value && LEVELS.includes(value) ? value : 'privileged';
}

/**
 * Rule `podSecurity.<check id>`: every pod template the environment deploys is
 * admitted by the Pod Security level its namespace enforces.
 */
export function podSecurityViolations(inv: Inventory): DeployViolation[] {
  const labels = namespaceLabels(inv);
  const out: DeployViolation[] = [];
  for (const d of inv.objects) {
    const pod = podTemplateOf(d.object as ManifestObject & { spec?: unknown });
    const ns = d.object.metadata.namespace;
    if (!pod || !ns) continue;
    const level = enforcedLevel(labels.get(ns));
    for (const r of evaluatePodSecurity(pod, level)) {
      out.push({
        rule: `podSecurity.${r.id}`,
        object: refOf(d.object),
        source: d.source,
        message: `namespace "${ns}" enforces Pod Security "${level}": ${r.reason} (${r.detail})`,
        fix: `Set the pod and container securityContext as Pod Security "${level}" requires, or move the workload to a namespace with a documented exception`,
      });
    }
  }
  return out;
}
