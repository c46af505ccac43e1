import { Construct } from 'constructs';
import { IntOrString, KubeNetworkPolicy, NetworkPolicyEgressRule, NetworkPolicyIngressRule, NetworkPolicyPort } from 'cdk8s-plus-27/lib/imports/k8s';
import { ConfigError } from '../../platform/errors';
import { compareNames } from '../../platform/compare';

/** What a controller namespace needs beyond DNS, the API server and HTTPS egress. */
export interface NetworkProfile {
  /**
   * Ports reached through the ingress controller (UIs, Git webhook receivers).
   * @default []
   */
  readonly ingressPorts?: readonly number[];
  /**
   * Admission webhook ports, reached by the API server (from outside the pod network).
   * @default []
   */
  readonly webhookPorts?: readonly number[];
  /**
   * Metrics ports scraped by Prometheus from the monitoring namespace.
   * @default []
   */
  readonly metricsPorts?: readonly number[];
  /**
   * Extra TCP ports to reach outside the cluster (Vault on 8200).
   * @default []
   */
  readonly extraEgressPorts?: readonly number[];
  /**
   * Ports in other namespaces this one reaches (`{ monitoring: [9090] }`).
   * @default {}
   */
  readonly egressToNamespaces?: Readonly<Record<string, readonly number[]>>;
  /**
   * Allow every egress (Prometheus scrapes every namespace and the nodes).
   * @default false
   */
  readonly allowAllEgress?: boolean;
}

/** The controller namespaces the platform knows, with the traffic each needs. */
export const DEFAULT_NETWORK_PROFILES: Readonly<Record<string, NetworkProfile>> = {
  argocd: {
    ingressPorts: [8080, 7000],
    metricsPorts: [8082, 8083, 8084, 8080, 9001],
  },
  'flux-system': {
    ingressPorts: [9292],
    metricsPorts: [8080],
  },
  'gatekeeper-system': {
    webhookPorts: [8443],
    metricsPorts: [8888],
  },
  'external-secrets': {
    webhookPorts: [10250],
    metricsPorts: [8080],
    extraEgressPorts: [8200],
  },
  'sealed-secrets': {
    // kubeseal fetches the certificate through the API server's service proxy.
    webhookPorts: [8080],
    metricsPorts: [8081],
  },
  monitoring: {
    ingressPorts: [3000, 9090, 9093],
    webhookPorts: [10250],
    allowAllEgress: true,
  },
  'argo-rollouts': {
    ingressPorts: [3100],
    metricsPorts: [8090],
    egressToNamespaces: { monitoring: [9090] },
  },
  // Jenkins X's development namespace: Lighthouse receives Git webhooks (and
  // the pipeline visualizer and bucket repository serve) on 8080 through the
  // ingress controller; pipelines reach Git, registries and package
  // repositories over HTTPS and the API server, like the controllers.
  jx: {
    ingressPorts: [8080],
  },
  // Velero reaches the object store over HTTPS (an S3-compatible endpoint on
  // its own port is declared by the install) and the API server; Prometheus
  // scrapes the server's metrics.
  velero: {
    metricsPorts: [8085],
  },
  // The git operator and its boot Job only clone the cluster repository over
  // HTTPS and apply it through the API server: nothing comes in.
  'jx-git-operator': {},
  // Trivy Operator and its scan jobs reach the API server and registries over
  // HTTPS; Prometheus scrapes the operator's metrics.
  'trivy-system': {
    metricsPorts: [8080],
  },
  // Falco's k8saudit plugin receives the API server's audit webhook;
  // falcosidekick sends alerts to Alertmanager.
  'falco-system': {
    webhookPorts: [9765],
    egressToNamespaces: { monitoring: [9093] },
  },
  // OpenCost queries Prometheus; Prometheus scrapes its cost metrics.
  opencost: {
    metricsPorts: [9003],
    egressToNamespaces: { monitoring: [9090] },
  },
};

/** Options for {@link ControllerNetworkPolicy}. */
export interface ControllerNetworkPolicyProps {
  /** The namespace to isolate. */
  readonly namespace: string;
  /** What it needs. */
  readonly profile: NetworkProfile;
  /** The ingress controller's namespace. */
  readonly ingressNamespace: string;
  /**
   * The monitoring namespace (metrics scraping), if monitoring is on.
   * @default - no scraping allowed
   */
  readonly monitoringNamespace?: string;
  /** CIDRs reachable on 443/6443 (API server, Git, registries, secret stores). */
  readonly egressCidrs: readonly string[];
  /**
   * Other namespaces let in, with their ports (`{ 'argo-rollouts': [9090] }`):
   * the receiving end of other profiles' `egressToNamespaces`, so a flow is
   * allowed at both ends.
   * @default {}
   */
  readonly ingressFromNamespaces?: Readonly<Record<string, readonly number[]>>;
}

/**
 * The receiving end of every profile's `egressToNamespaces`: for each target
 * namespace, the source namespaces and the ports they reach it on.
 */
export function ingressFromProfiles(profiles: Readonly<Record<string, NetworkProfile>>): Record<string, Record<string, number[]>> {
  const out: Record<string, Record<string, number[]>> = {};
  for (const [source, profile] of Object.entries(profiles)) {
    for (const [target, ports] of Object.entries(profile.egressToNamespaces ?? {})) {
      const bySource = (out[target] ??= {});
      bySource[source] = [...new Set([...(bySource[source] ?? []), ...ports])].sort((a, b) => a - b);
    }
  }
  return out;
}

const CIDR = /^([0-9]{1,3}\.){3}[0-9]{1,3}\/[0-9]{1,2}$|^[0-9a-fA-F:]+\/[0-9]{1,3}$/;

/**
 * Default-deny for one controller namespace, then exactly what it needs:
 * traffic inside the namespace, DNS to kube-dns, TCP 443/6443 to `egressCidrs`
 * (API server, Git over HTTPS, registries), webhook ports from the API server,
 * UI/receiver ports from the ingress controller and metrics ports from
 * Prometheus.
 */
export class ControllerNetworkPolicy extends Construct {
  /** The NetworkPolicy names created, in order. */
  public readonly policyNames: string[] = [];

  constructor(scope: Construct, id: string, props: ControllerNetworkPolicyProps) {
    super(scope, id);
    const profile = props.profile;
    for (const cidr of props.egressCidrs) {
      if (!CIDR.test(cidr)) throw new ConfigError(this.node.path, 'egressCidrs', cidr, 'Use CIDR notation such as "10.0.0.0/8".');
    }
    for (const [field, ports] of [
      ['ingressPorts', profile.ingressPorts],
      ['webhookPorts', profile.webhookPorts],
      ['metricsPorts', profile.metricsPorts],
      ['extraEgressPorts', profile.extraEgressPorts],
    ] as const) {
      for (const port of ports ?? []) {
        if (!Number.isInteger(port) || port < 1 || port > 65535) {
          throw new ConfigError(this.node.path, field, port, 'Use TCP ports (1-65535).');
        }
      }
    }
    const ns = props.namespace;
    const tcp = (ports: readonly number[]): NetworkPolicyPort[] =>
      [...new Set(ports)].sort((a, b) => a - b).map((p) => ({ protocol: 'TCP', port: IntOrString.fromNumber(p) }));
    const inNamespace = (name: string) => ({ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': name } } });
    const add = (name: string, types: string[], ingress?: NetworkPolicyIngressRule[], egress?: NetworkPolicyEgressRule[]): void => {
      new KubeNetworkPolicy(this, name, {
        metadata: { name, namespace: ns },
        spec: { podSelector: {}, policyTypes: types, ...(ingress ? { ingress } : {}), ...(egress ? { egress } : {}) },
      });
      this.policyNames.push(name);
    };

    add('default-deny-all', ['Ingress', 'Egress']);
    add('allow-same-namespace', ['Ingress', 'Egress'], [{ from: [{ podSelector: {} }] }], [{ to: [{ podSelector: {} }] }]);
    add('allow-dns', ['Egress'], undefined, [
      {
        to: [{ ...inNamespace('kube-system'), podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } } }],
        ports: [
          { protocol: 'UDP', port: IntOrString.fromNumber(53) },
          { protocol: 'TCP', port: IntOrString.fromNumber(53) },
        ],
      },
    ]);
    if (profile.allowAllEgress) {
      add('allow-all-egress', ['Egress'], undefined, [{}]);
    } else {
      add('allow-api-server-and-https', ['Egress'], undefined, [
        { to: props.egressCidrs.map((cidr) => ({ ipBlock: { cidr } })), ports: tcp([443, 6443, ...(profile.extraEgressPorts ?? [])]) },
      ]);
    }
    for (const [target, ports] of Object.entries(profile.egressToNamespaces ?? {}).sort(([a], [b]) => compareNames(a, b))) {
      add(`allow-egress-to-${target}`, ['Egress'], undefined, [{ to: [inNamespace(target)], ports: tcp(ports) }]);
    }
    for (const [source, ports] of Object.entries(props.ingressFromNamespaces ?? {}).sort(([a], [b]) => compareNames(a, b))) {
      if (source === ns || ports.length === 0) continue;
      add(`allow-ingress-from-${source}`, ['Ingress'], [{ from: [inNamespace(source)], ports: tcp(ports) }]);
    }
    if ((profile.webhookPorts ?? []).length > 0) {
      add('allow-api-server-webhooks', ['Ingress'], [{ ports: tcp(profile.webhookPorts!) }]);
    }
    if ((profile.ingressPorts ?? []).length > 0) {
      add('allow-ingress-controller', ['Ingress'], [{ from: [inNamespace(props.ingressNamespace)], ports: tcp(profile.ingressPorts!) }]);
    }
    if (props.monitoringNamespace && props.monitoringNamespace !== ns && (profile.metricsPorts ?? []).length > 0) {
      add('allow-metrics-scraping', ['Ingress'], [{ from: [inNamespace(props.monitoringNamespace)], ports: tcp(profile.metricsPorts!) }]);
    }
  }
}
