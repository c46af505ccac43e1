import { ManifestObject } from '../../gitops-tree';
import { DeployViolation, FlowEndpoint, RequiredFlow } from '../facts';
import { Inventory, isObject, refOf } from '../inventory';
import { podTemplateOf } from '../pod-security';
import { namespaceLabels } from './workloads';

type Json = Record<string, unknown>;
type Labels = Readonly<Record<string, string>>;
const arr = (v: unknown): Json[] => (Array.isArray(v) ? v.filter(isObject) : []);
const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);

/** A set of pods the model knows: a workload of the tree or a chart's Service backends. */
export interface KnownPods {
  readonly namespace: string;
  readonly labels: Labels;
  /** Named container ports. */
  readonly ports: ReadonlyMap<string, number>;
  readonly ref: string;
  /** Metric prefixes they export (chart pods). */
  readonly metrics: readonly string[];
}

/** A Service the model knows, with what it selects. */
export interface KnownService {
  readonly namespace: string;
  readonly name: string;
  readonly labels: Labels;
  /** Pod labels behind it (undefined: unknown). */
  readonly podLabels?: Labels;
  readonly ports: ReadonlyArray<{ name?: string; port: number; targetPort: number | string }>;
  readonly metrics: readonly string[];
  readonly monitoredByChart: boolean;
  readonly scrapes: boolean;
}

/** Whether a Kubernetes label selector selects `labels` (an empty selector selects everything). */
export function selectorMatches(selector: unknown, labels: Labels): boolean {
  if (!isObject(selector)) return true;
  // Indexed loops: this runs for every selector against every candidate, and a for-of over entries allocates a pair
  // and an iterator result per step until V8 optimizes it.
  const matchLabels = isObject(selector.matchLabels) ? selector.matchLabels : {};
  const keys = Object.keys(matchLabels);
  for (let i = 0; i < keys.length; i++) if (labels[keys[i]!] !== matchLabels[keys[i]!]) return false;
  if (selector.matchExpressions === undefined) return true;
  for (const e of arr(selector.matchExpressions)) {
    const key = String(e.key);
    const values = Array.isArray(e.values) ? e.values.map(String) : [];
    const has = key in labels;
    switch (e.operator) {
      case 'In': if (!has || !values.includes(labels[key]!)) return false; break;
      case 'NotIn': if (has && values.includes(labels[key]!)) return false; break;
      case 'Exists': if (!has) return false; break;
      case 'DoesNotExist': if (has) return false; break;
      default: return false;
    }
  }
  return true;
}

/**
 * Items with labels, indexed by label pair, so a selector finds its matches
 * among many items without testing every one (a selector with `matchLabels`
 * can only select items that carry one of its pairs). Answers keep the
 * items' order.
 */
export class LabelIndex<T> {
  private readonly byPair = new Map<string, number[]>();

  constructor(
    private readonly items: readonly T[],
    labelsOf: (item: T) => Labels | undefined,
  ) {
    items.forEach((item, i) => {
      const labels = labelsOf(item) ?? {};
      const keys = Object.keys(labels);
      for (let j = 0; j < keys.length; j++) {
        const key = `${keys[j]}=${labels[keys[j]!]}`;
        const list = this.byPair.get(key);
        if (list) list.push(i);
        else this.byPair.set(key, [i]);
      }
    });
  }

  /** The items that may match `selector` (all of them when it has no `matchLabels`), in order. */
  public candidates(selector: unknown): readonly T[] {
    const pairs = isObject(selector) && isObject(selector.matchLabels) ? Object.entries(selector.matchLabels) : [];
    if (pairs.length === 0) return this.items;
    let best: number[] | undefined;
    for (const [k, v] of pairs) {
      const list = this.byPair.get(`${k}=${String(v)}`) ?? [];
      if (!best || list.length < best.length) best = list;
    }
    return best!.map((i) => this.items[i]!);
  }
}

/**
 * Items with a selector, indexed so the items whose selector selects given
 * labels are found without testing every selector. Answers keep the items' order.
 */
export class SelectorIndex<T> {
  /** Items whose selector has no `matchLabels`: tested against every query. */
  private readonly always: number[] = [];
  /** The others, by their first `matchLabels` pair (every match carries it). */
  private readonly byPair = new Map<string, number[]>();

  constructor(
    private readonly items: readonly T[],
    private readonly selectorOf: (item: T) => unknown,
  ) {
    items.forEach((item, i) => {
      const selector = selectorOf(item);
      const first = isObject(selector) && isObject(selector.matchLabels) ? Object.entries(selector.matchLabels)[0] : undefined;
      if (!first) {
        this.always.push(i);
        return;
      }
      const key = `${first[0]}=${String(first[1])}`;
      const list = this.byPair.get(key);
      if (list) list.push(i);
      else this.byPair.set(key, [i]);
    });
  }

  /** The items whose selector selects `labels`, in order. */
  public selecting(labels: Labels): T[] {
    const found = new Set(this.always);
    for (const [k, v] of Object.entries(labels)) for (const i of this.byPair.get(`${k}=${v}`) ?? []) found.add(i);
    return [...found]
      .sort((a, b) => a - b)
      .map((i) => this.items[i]!)
      .filter((item) => selectorMatches(this.selectorOf(item), labels));
  }
}

/** The pods and Services of an environment, with their label indexes ({@link knownWorkloads}). Read only. */
export interface Workloads {
  readonly pods: readonly KnownPods[];
  readonly services: readonly KnownService[];
  readonly podsByLabels: LabelIndex<KnownPods>;
  readonly servicesByLabels: LabelIndex<KnownService>;
}

const WORKLOADS = new WeakMap<Inventory, Workloads>();

/**
 * The pods and Services of the environment: the tree's workloads and
 * Services, and the charts' Services. Built once per inventory and shared by
 * the rules that ask (the network and metrics rules, the derived flows).
 */
export function knownWorkloads(inv: Inventory): Workloads {
  let known = WORKLOADS.get(inv);
  if (!known) {
    const { pods, services } = collectWorkloads(inv);
    known = { pods, services, podsByLabels: new LabelIndex(pods, (p) => p.labels), servicesByLabels: new LabelIndex(services, (s) => s.labels) };
    WORKLOADS.set(inv, known);
  }
  return known;
}

function collectWorkloads(inv: Inventory): { pods: KnownPods[]; services: KnownService[] } {
  const pods: KnownPods[] = [];
  const services: KnownService[] = [];
  for (const d of inv.objects) {
    const o = d.object as ManifestObject & Json;
    const ns = o.metadata.namespace;
    if (!ns) continue;
    const pod = podTemplateOf(o);
    if (pod) {
      const ports = new Map<string, number>();
      for (const c of [...arr(pod.spec.initContainers), ...arr(pod.spec.containers)]) {
        for (const p of arr(c.ports)) if (typeof p.name === 'string' && typeof p.containerPort === 'number') ports.set(p.name, p.containerPort);
      }
      pods.push({ namespace: ns, labels: (pod.metadata?.labels ?? {}) as Labels, ports, ref: refOf(o), metrics: [] });
    }
    if (o.kind === 'Service' && o.apiVersion === 'v1' && isObject(o.spec)) {
      services.push({
        namespace: ns,
        name: o.metadata.name!,
        labels: (o.metadata.labels ?? {}) as Labels,
        podLabels: isObject(o.spec.selector) ? (o.spec.selector as Labels) : undefined,
        ports: arr(o.spec.ports).map((p) => ({ name: str(p.name), port: Number(p.port), targetPort: (p.targetPort as number | string | undefined) ?? Number(p.port) })),
        metrics: [],
        monitoredByChart: false,
        scrapes: false,
      });
    }
  }
  for (const c of inv.charts) {
    for (const s of c.facts.services ?? []) {
      const ns = s.namespace ?? c.namespace;
      services.push({
        namespace: ns,
        name: s.name,
        labels: s.labels ?? {},
        podLabels: s.podLabels,
        ports: s.ports.map((p) => ({ name: p.name, port: p.port, targetPort: p.targetPort ?? p.port })),
        metrics: s.metrics ?? [],
        monitoredByChart: s.monitoredByChart === true,
        scrapes: s.scrapes === true,
      });
      if (s.podLabels) {
        const named = new Map<string, number>();
        for (const p of s.ports) if (p.name) named.set(p.name, p.targetPort ?? p.port);
        pods.push({ namespace: ns, labels: s.podLabels, ports: named, ref: `chart ${c.chart}: Service/${ns}/${s.name}`, metrics: [] });
      }
    }
    for (const p of c.facts.pods ?? []) {
      const ns = p.namespace ?? c.namespace;
      const named = new Map<string, number>();
      for (const port of p.ports) if (port.name) named.set(port.name, port.targetPort ?? port.port);
      pods.push({ namespace: ns, labels: p.labels, ports: named, ref: `chart ${c.chart}: pods ${Object.entries(p.labels).map(([k, v]) => `${k}=${v}`).join(',')}`, metrics: p.metrics ?? [] });
    }
  }
  return { pods, services };
}

/** The first Service of each `name.namespace`. */
function serviceNames(services: readonly KnownService[]): Map<string, KnownService> {
  const out = new Map<string, KnownService>();
  for (const s of services) if (!out.has(`${s.name}.${s.namespace}`)) out.set(`${s.name}.${s.namespace}`, s);
  return out;
}

/** The first pod set in `namespace` that carries `podLabels` (any pod set when undefined is not allowed: none). */
function firstPod(index: LabelIndex<KnownPods>, namespace: string, podLabels: Labels | undefined): KnownPods | undefined {
  if (!podLabels) return undefined;
  const selector = { matchLabels: podLabels };
  return index.candidates(selector).find((p) => p.namespace === namespace && selectorMatches(selector, p.labels));
}

/** The Service a URL like `http://name.namespace.svc.cluster.local:9090` names. */
export function serviceOfUrl(
  url: string,
  services: readonly KnownService[],
  byName: ReadonlyMap<string, KnownService> = serviceNames(services),
): { service?: KnownService; host: string; port: number } {
  const m = /^[a-z]+:\/\/([^/:]+)(?::(\d+))?/.exec(url);
  const host = m?.[1] ?? url;
  const port = m?.[2] ? Number(m[2]) : url.startsWith('https') ? 443 : 80;
  const parts = host.split('.');
  const service = parts.length >= 2 ? byName.get(`${parts[0]}.${parts[1]}`) : undefined;
  return { service, host, port };
}

/** The flows the model derives: Prometheus to every scrape target, rollout analysis to its Prometheus. */
export function derivedFlows(inv: Inventory): RequiredFlow[] {
  const { services, servicesByLabels, podsByLabels } = knownWorkloads(inv);
  const flows: RequiredFlow[] = [];
  const prometheus = services.filter((s) => s.scrapes);
  const byName = serviceNames(services);
  for (const d of inv.objects) {
    const o = d.object as ManifestObject & Json;
    const spec = isObject(o.spec) ? o.spec : {};
    if (o.apiVersion.startsWith('monitoring.coreos.com/') && (o.kind === 'ServiceMonitor' || o.kind === 'PodMonitor')) {
      const nsSel = isObject(spec.namespaceSelector) ? spec.namespaceSelector : {};
      const inNs = (ns: string): boolean =>
        nsSel.any === true || (Array.isArray(nsSel.matchNames) ? nsSel.matchNames.includes(ns) : ns === o.metadata.namespace);
      const endpoints = o.kind === 'ServiceMonitor' ? arr(spec.endpoints) : arr(spec.podMetricsEndpoints);
      for (const from of prometheus) {
        if (o.kind === 'ServiceMonitor') {
          for (const svc of servicesByLabels.candidates(spec.selector).filter((s) => inNs(s.namespace) && selectorMatches(spec.selector, s.labels))) {
            for (const e of endpoints) {
              const sp = svc.ports.find((p) => (e.port !== undefined && p.name === e.port) || (e.targetPort !== undefined && p.targetPort === e.targetPort));
              if (!sp) continue;
              const target = typeof sp.targetPort === 'number' ? sp.targetPort : firstPod(podsByLabels, svc.namespace, svc.podLabels)?.ports.get(sp.targetPort);
              if (target === undefined) continue;
              flows.push({
                from: { namespace: from.namespace, ...(from.podLabels ? { podLabels: from.podLabels } : {}) },
                to: { namespace: svc.namespace, ...(svc.podLabels ? { podLabels: svc.podLabels } : {}) },
                port: target,
                why: `Prometheus scrapes Service/${svc.namespace}/${svc.name} (${refOf(o)})`,
              });
            }
          }
        } else {
          for (const p of podsByLabels.candidates(spec.selector).filter((x) => inNs(x.namespace) && selectorMatches(spec.selector, x.labels))) {
            for (const e of endpoints) {
              const port = typeof e.port === 'string' ? p.ports.get(e.port) : typeof e.portNumber === 'number' ? e.portNumber : undefined;
              if (port === undefined) continue;
              flows.push({
                from: { namespace: from.namespace, ...(from.podLabels ? { podLabels: from.podLabels } : {}) },
                to: { namespace: p.namespace, podLabels: p.labels },
                port,
                why: `Prometheus scrapes ${p.ref} (${refOf(o)})`,
              });
            }
          }
        }
      }
    }
    if (o.kind === 'AnalysisTemplate' || o.kind === 'ClusterAnalysisTemplate') {
      const controller = inv.charts.find((c) => (c.facts.crdKinds ?? []).includes('argoproj.io/AnalysisRun'));
      if (!controller) continue;
      for (const m of arr(spec.metrics)) {
        const prom = isObject(m.provider) && isObject(m.provider.prometheus) ? m.provider.prometheus : undefined;
        const address = prom ? str(prom.address) : undefined;
        if (!address) continue;
        const { service, port } = serviceOfUrl(address, services, byName);
        if (!service) continue;
        const sp = service.ports.find((p) => p.port === port);
        const target = sp && typeof sp.targetPort === 'number' ? sp.targetPort : port;
        flows.push({
          from: { namespace: controller.namespace },
          to: { namespace: service.namespace, ...(service.podLabels ? { podLabels: service.podLabels } : {}) },
          port: target,
          why: `rollout analysis queries ${address} (${refOf(o)} metric ${String(m.name)})`,
        });
      }
    }
  }
  return flows;
}

interface Policy {
  readonly namespace: string;
  readonly spec: Json;
  readonly ref: string;
}

/** The policies of each namespace, by the pods they select. */
type PolicyIndex = ReadonlyMap<string, SelectorIndex<Policy>>;

function policyIndex(policies: readonly Policy[]): PolicyIndex {
  const byNamespace = new Map<string, Policy[]>();
  for (const p of policies) {
    const list = byNamespace.get(p.namespace);
    if (list) list.push(p);
    else byNamespace.set(p.namespace, [p]);
  }
  return new Map([...byNamespace].map(([ns, list]) => [ns, new SelectorIndex(list, (p) => p.spec.podSelector)]));
}

function policiesOf(inv: Inventory): Policy[] {
  const out: Policy[] = [];
  for (const d of inv.objects) {
    const o = d.object as ManifestObject & Json;
    if (o.kind === 'NetworkPolicy' && o.apiVersion.startsWith('networking.k8s.io/') && o.metadata.namespace) {
      out.push({ namespace: o.metadata.namespace, spec: isObject(o.spec) ? o.spec : {}, ref: refOf(o) });
    }
  }
  for (const c of inv.charts) {
    for (const p of c.facts.networkPolicies ?? []) {
      const md = isObject(p.metadata) ? p.metadata : {};
      const ns = str(md.namespace) ?? c.namespace;
      out.push({ namespace: ns, spec: isObject(p.spec) ? p.spec : {}, ref: `NetworkPolicy/${ns}/${String(md.name)} (chart ${c.chart})` });
    }
  }
  return out;
}

const types = (p: Policy): string[] =>
  Array.isArray(p.spec.policyTypes) ? p.spec.policyTypes.map(String) : ['Ingress', ...(p.spec.egress !== undefined ? ['Egress'] : [])];

function portMatches(rulePorts: unknown, port: number, protocol: string, named: ReadonlyMap<string, number>): boolean {
  const ports = arr(rulePorts);
  if (!Array.isArray(rulePorts) || ports.length === 0) return true;
  return ports.some((p) => {
    if ((str(p.protocol) ?? 'TCP') !== protocol) return false;
    if (p.port === undefined) return true;
    const n = typeof p.port === 'number' ? p.port : named.get(String(p.port));
    if (n === undefined) return false;
    const end = typeof p.endPort === 'number' ? p.endPort : n;
    return port >= n && port <= end;
  });
}

function ipv4(cidr: string): [number, number] | undefined {
  const m = /^(\d+)\.(\d+)\.(\d+)\.(\d+)\/(\d+)$/.exec(cidr);
  if (!m) return undefined;
  const ip = ((Number(m[1]) << 24) | (Number(m[2]) << 16) | (Number(m[3]) << 8) | Number(m[4])) >>> 0;
  return [ip, Number(m[5])];
}

/** Whether `outer` contains `inner` (IPv4; other forms only when equal). */
export function cidrContains(outer: string, inner: string): boolean {
  const a = ipv4(outer);
  const b = ipv4(inner);
  if (!a || !b) return outer === inner;
  if (b[1] < a[1]) return false;
  const mask = a[1] === 0 ? 0 : (~0 << (32 - a[1])) >>> 0;
  return (a[0] & mask) === (b[0] & mask);
}

function peerMatches(peer: Json, policyNs: string, end: FlowEndpoint, nsLabels: Map<string, Labels>): boolean {
  if ('external' in end) {
    if (!isObject(peer.ipBlock)) return false;
    const cidr = String(peer.ipBlock.cidr);
    const except = Array.isArray(peer.ipBlock.except) ? peer.ipBlock.except.map(String) : [];
    if (!end.cidr) return true;
    return cidrContains(cidr, end.cidr) && !except.some((e) => cidrContains(e, end.cidr!));
  }
  if (isObject(peer.ipBlock)) return false;
  const nsOk = peer.namespaceSelector === undefined
    ? end.namespace === policyNs
    : selectorMatches(peer.namespaceSelector, nsLabels.get(end.namespace) ?? { 'kubernetes.io/metadata.name': end.namespace });
  return nsOk && selectorMatches(peer.podSelector, end.podLabels ?? {});
}

/** Why a flow is refused at one end, or undefined when allowed there. */
function refusal(
  policies: PolicyIndex,
  side: 'Egress' | 'Ingress',
  self: FlowEndpoint,
  other: FlowEndpoint,
  port: number,
  protocol: string,
  named: ReadonlyMap<string, number>,
  nsLabels: Map<string, Labels>,
): string | undefined {
  if ('external' in self) return undefined;
  const selecting = (policies.get(self.namespace)?.selecting(self.podLabels ?? {}) ?? []).filter((p) => types(p).includes(side));
  if (selecting.length === 0) return undefined;
  const rules = selecting.flatMap((p) => arr(side === 'Egress' ? p.spec.egress : p.spec.ingress).map((r) => ({ p, r })));
  const allowed = rules.some(({ p, r }) => {
    const peers = side === 'Egress' ? r.to : r.from;
    const peerOk = !Array.isArray(peers) || peers.length === 0 || arr(peers).some((peer) => peerMatches(peer, p.namespace, other, nsLabels));
    return peerOk && portMatches(r.ports, port, protocol, named);
  });
  return allowed ? undefined : selecting.map((p) => p.ref).join(', ');
}

const describe = (e: FlowEndpoint): string =>
  'external' in e ? e.external : `${e.namespace}${e.podLabels && Object.keys(e.podLabels).length > 0 ? ` pods ${Object.entries(e.podLabels).map(([k, v]) => `${k}=${v}`).join(',')}` : ''}`;

/**
 * Rule `network.flow`: every flow the platform needs (declared by the modules,
 * or derived from ServiceMonitors, PodMonitors and AnalysisTemplates) is
 * allowed by the NetworkPolicies of the source (egress) and of the destination
 * (ingress). A pod selected by any policy of a type is isolated for that type.
 */
export function networkViolations(inv: Inventory): DeployViolation[] {
  const policies = policyIndex(policiesOf(inv));
  const nsLabels = namespaceLabels(inv);
  const { podsByLabels } = knownWorkloads(inv);
  const out: DeployViolation[] = [];
  const seen = new Set<string>();
  for (const flow of [...inv.flows, ...derivedFlows(inv)]) {
    const protocol = flow.protocol ?? 'TCP';
    const key = `${describe(flow.from)}>${describe(flow.to)}:${flow.port}/${protocol}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const destNamed = 'external' in flow.to ? new Map<string, number>() : (firstPod(podsByLabels, flow.to.namespace, flow.to.podLabels ?? {})?.ports ?? new Map<string, number>());
    const egress = refusal(policies, 'Egress', flow.from, flow.to, flow.port, protocol, destNamed, nsLabels);
    const ingress = refusal(policies, 'Ingress', flow.to, flow.from, flow.port, protocol, destNamed, nsLabels);
    for (const [side, by] of [['egress of the source', egress], ['ingress of the destination', ingress]] as const) {
      if (!by) continue;
      const nsOfSide = side.startsWith('egress') ? describe(flow.from) : describe(flow.to);
      out.push({
        rule: 'network.flow',
        object: `flow ${describe(flow.from)} -> ${describe(flow.to)}:${flow.port}/${protocol}`,
        source: by,
        message: `${flow.why}: refused at the ${side} (${nsOfSide} is isolated by ${by} and no rule allows it)`,
        fix: `Allow ${protocol} ${flow.port} ${side.startsWith('egress') ? `to ${describe(flow.to)}` : `from ${describe(flow.from)}`} in a NetworkPolicy of "${side.startsWith('egress') ? describe(flow.from).split(' ')[0] : describe(flow.to).split(' ')[0]}"`,
      });
    }
  }
  return out;
}
