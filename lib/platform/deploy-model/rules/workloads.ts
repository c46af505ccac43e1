import { ManifestObject } from '../../gitops-tree';
import { DeployViolation } from '../facts';
import { Inventory, isObject, refOf } from '../inventory';
import { evaluatePodSecurity, PodSecurityLevel, PodTemplate, podTemplateOf } from '../pod-security';

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
    const nsLabels = labels.get(ns);
    const level = enforcedLevel(nsLabels);
    const injected = istioInjected(nsLabels, pod) ? withIstioSidecar(pod, inv.settings.istioCni === true) : pod;
    const note = injected !== pod ? ` (with the containers Istio injects${inv.settings.istioCni ? ', CNI mode' : ', without the CNI plugin'})` : '';
    // What the pod's own containers fail, to tell the fixes apart.
    const own = new Map(evaluatePodSecurity(pod, level).map((r) => [r.id, r.detail]));
    for (const r of evaluatePodSecurity(injected, level)) {
      out.push({
        rule: `podSecurity.${r.id}`,
        object: refOf(d.object),
        source: d.source,
        message: `namespace "${ns}" enforces Pod Security "${level}"${note}: ${r.reason} (${r.detail})`,
        fix: [
          ...(own.has(r.id) ? [`set the pod and container securityContext as Pod Security "${level}" requires, or move the workload to a namespace with a documented exception`] : []),
          ...(injected !== pod && own.get(r.id) !== r.detail
            ? [`run Istio with its CNI plugin (no privileged istio-init) and declare it in prerequisites.istio.cni, or turn sidecar injection off in "${ns}"`]
            : []),
        ].join('; ').replace(/^./, (c) => c.toUpperCase()),
      });
    }
  }
  return out;
}

/** Whether Istio injects its sidecar into the pod (namespace label, unless the pod opts out; or the pod opts in). */
export function istioInjected(nsLabels: Readonly<Record<string, string>> | undefined, pod: PodTemplate): boolean {
  const podInject = pod.metadata?.labels?.['sidecar.istio.io/inject'] ?? pod.metadata?.annotations?.['sidecar.istio.io/inject'];
  if (podInject === 'false') return false;
  return nsLabels?.['istio-injection'] === 'enabled' || podInject === 'true';
}

/**
 * The pod as admission sees it after Istio's injection webhook: the
 * `istio-proxy` sidecar and, without the CNI plugin, the `istio-init`
 * container that programs iptables as root with NET_ADMIN and NET_RAW
 * (Istio's injection template); with the CNI plugin, the unprivileged
 * `istio-validation` init container instead.
 */
export function withIstioSidecar(pod: PodTemplate, cni: boolean): PodTemplate {
  const proxyContext = {
    allowPrivilegeEscalation: false,
    capabilities: { drop: ['ALL'] },
    privileged: false,
    readOnlyRootFilesystem: true,
    runAsGroup: 1337,
    runAsNonRoot: true,
    runAsUser: 1337,
  };
  const init = cni
    ? { name: 'istio-validation', securityContext: proxyContext }
    : {
        name: 'istio-init',
        securityContext: {
          allowPrivilegeEscalation: false,
          capabilities: { add: ['NET_ADMIN', 'NET_RAW'], drop: ['ALL'] },
          privileged: false,
          readOnlyRootFilesystem: false,
          runAsGroup: 0,
          runAsNonRoot: false,
          runAsUser: 0,
        },
      };
  const spec = pod.spec as Record<string, unknown>;
  return {
    metadata: pod.metadata,
    spec: {
      ...spec,
      initContainers: [init, ...((spec.initContainers as unknown[]) ?? [])],
      containers: [...((spec.containers as unknown[]) ?? []), { name: 'istio-proxy', securityContext: proxyContext }],
    },
  };
}
