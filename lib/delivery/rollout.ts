import { ApiObject } from 'cdk8s';
import { Container, ContainerProps, k8s } from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import { ConfigError } from '../platform/errors';
import { sortKeys } from '../platform/yaml';
import { AnalysisTemplate } from './analysis-template';
import { IstioCanaryRouting } from './istio';
import { AnalysisOptions } from './canary-step';
import { RolloutStrategy, StrategyService } from './strategy';
import { Rollout as RolloutResource, RolloutProps as RolloutResourceProps } from '../imports/argoproj.io-rollouts';
import { ServiceMonitor as ServiceMonitorResource } from '../imports/monitoring.coreos.com';
import { DNS_LABEL } from '../platform/patterns';
import { checkProps } from '../platform/config-boundary/props';


/** How Prometheus scrapes a Rollout's pods ({@link RolloutProps.metrics}). */
export interface RolloutMetricsOptions {
  /** The HTTP path of the metrics, on the container's (first) port. @default '/metrics' */
  readonly path?: string;
  /** Scrape interval. @default '30s' */
  readonly interval?: string;
  /** The namespace Prometheus runs in, let in on the port when the pods' ingress is restricted. @default 'monitoring' */
  readonly prometheusNamespace?: string;
}

/** Who may reach a Rollout's pods ({@link RolloutProps.ingress}). */
export interface RolloutIngressOptions {
  /**
   * Namespaces let in on the container's port besides the pods' own
   * namespace (the ingress controller, the Istio ingress gateway).
   * @default []
   */
  readonly fromNamespaces?: readonly string[];
}

/** Options for {@link Rollout}. */
export interface RolloutProps {
  /** The base name: the Rollout, its Services and Istio objects are named from it. */
  readonly name: string;
  /**
   * A prefix for every generated name and every reference to them (what
   * kustomize's `namePrefix` does to an overlay), such as `"prod-"`.
   * @default ''
   */
  readonly namePrefix?: string;
  /** The namespace. @default - none (the namespace of the sync) */
  readonly namespace?: string;
  /** Pod replicas. @default 1 */
  readonly replicas?: number;
  /**
   * The application container, as cdk8s-plus container props (image, ports,
   * resources, probes, security context). The image must be pinned to a tag
   * other than `latest` (or a digest); the container must run as non-root and
   * needs a port for its Services.
   */
  readonly container: ContainerProps;
  /** How pods are replaced. */
  readonly strategy: RolloutStrategy;
  /**
   * The AnalysisTemplates the strategy may name; a name that is not here is an error.
   * @default []
   */
  readonly analysisTemplates?: readonly AnalysisTemplate[];
  /** The port of the generated Services. @default 80 */
  readonly servicePort?: number;
  /** Labels added to the selector and pod template (besides `app: <name>`). @default {} */
  readonly selectorLabels?: Readonly<Record<string, string>>;
  /** Extra labels on every generated object. @default {} */
  readonly labels?: Readonly<Record<string, string>>;
  /** Annotations on every generated object (such as the Argo CD sync wave). @default {} */
  readonly annotations?: Readonly<Record<string, string>>;
  /** Old ReplicaSets kept for rollback. @default 3 */
  readonly revisionHistoryLimit?: number;
  /**
   * Scrape the pods with a prometheus-operator ServiceMonitor (named like the
   * Rollout) over every Service the Rollout generates, on the Services' `http`
   * port: each series carries the `service` label of the Service the pod was
   * scraped through, which is what the analysis queries select (the canary,
   * preview or active Service). Needs the ServiceMonitor CRD.
   * @default - not scraped
   */
  readonly metrics?: RolloutMetricsOptions;
  /**
   * Restrict the pods' ingress with a NetworkPolicy (named like the Rollout):
   * pods of the same namespace on any port, `fromNamespaces` on the
   * container's port, and Prometheus (with `metrics`) on the metrics port.
   * @default - no NetworkPolicy
   */
  readonly ingress?: RolloutIngressOptions;
}

/**
 * An Argo Rollouts Rollout with everything its strategy needs: the Services
 * (root, canary and stable; or active and preview), and for a canary routed
 * by Istio the VirtualService and DestinationRule. The pod's container is
 * rendered by cdk8s-plus, so probes, resources and the non-root security
 * context follow cdk8s-plus's rules and defaults.
 */
export class Rollout extends Construct {
  /** The generated Rollout. */
  public readonly resource: ApiObject;
  /** The Rollout's final name (with the prefix). */
  public readonly name: string;
  /** The base name. */
  public readonly baseName: string;
  /** The strategy. */
  public readonly strategy: RolloutStrategy;
  /** The generated Services, by role. */
  public readonly services: readonly StrategyService[];
  /** The Istio objects, for a canary routed by Istio. */
  public readonly istio?: IstioCanaryRouting;
  /** The image the pods run. */
  public readonly image: string;
  /** Pod replicas. */
  public readonly replicas: number;
  /** The ServiceMonitor, when the pods are scraped. */
  public readonly serviceMonitor?: ApiObject;
  /** The NetworkPolicy, when the pods' ingress is restricted. */
  public readonly networkPolicy?: k8s.KubeNetworkPolicy;

  constructor(scope: Construct, id: string, props: RolloutProps) {
    super(scope, id);
    checkProps(this, 'RolloutProps', props);
    const where = this.node.path;
    const prefix = props.namePrefix ?? '';
    if (!DNS_LABEL.test(props.name ?? '')) {
      throw new ConfigError(where, 'name', props.name, 'Use a lowercase DNS label, such as "frontend".');
    }
    if (prefix !== '' && !/^[a-z][-a-z0-9]*$/.test(prefix)) {
      throw new ConfigError(where, 'namePrefix', prefix, 'Use lowercase letters, digits and "-", such as "prod-".');
    }
    if (!(props.strategy instanceof RolloutStrategy)) {
      throw new ConfigError(where, 'strategy', props.strategy, 'Use RolloutStrategy.canary(), RolloutStrategy.blueGreen() or RolloutStrategy.rolling().');
    }
    const replicas = props.replicas ?? 1;
    if (!Number.isInteger(replicas) || replicas < 0) {
      throw new ConfigError(where, 'replicas', replicas, 'Use a whole number, 0 or more.');
    }
    const servicePort = props.servicePort ?? 80;
    if (!Number.isInteger(servicePort) || servicePort < 1 || servicePort > 65535) {
      throw new ConfigError(where, 'servicePort', servicePort, 'Use a port number from 1 to 65535.');
    }
    checkPinnedImage(where, props.container?.image);
    if (props.container.securityContext?.ensureNonRoot === false) {
      throw new ConfigError(where, 'container.securityContext.ensureNonRoot', false, 'Platform policy: containers run as non-root; remove ensureNonRoot: false.');
    }

    this.baseName = props.name;
    this.name = `${prefix}${props.name}`;
    this.strategy = props.strategy;
    this.image = props.container.image;
    this.replicas = replicas;
    const rename = (base: string) => `${prefix}${base}`;
    const templates = new Map((props.analysisTemplates ?? []).map((t) => [t.name, t]));

    // The container comes from cdk8s-plus: its own rendering (`_toKube()`, then
    // the k8s JSON serializer) gives probes, resources and security context.
    const container = new Container({ name: props.name, ...props.container });
    // `restricted` returns the container with its keys sorted.
    const containerJson = restricted(where, k8s.toJson_Container(container._toKube()) as Record<string, unknown>);
    const port = container.ports[0];
    if (!port) {
      throw new ConfigError(where, 'container.ports', [], 'Give the container a port (portNumber or ports) for its Services.');
    }
    const targetPort = port.name ? k8s.IntOrString.fromString(port.name) : k8s.IntOrString.fromNumber(port.number);

    const serviceBaseNames = new Set(props.strategy.serviceBaseNames(props.name));
    const analysisArgs = (field: string, options: AnalysisOptions, service: string) =>
      this.analysisArgs(field, options, service, templates, (v) => (serviceBaseNames.has(v) ? rename(v) : v));
    const rendered = props.strategy.render({ name: props.name, rename, analysisArgs });
    this.services = rendered.services;

    const selector = { app: props.name, ...(props.selectorLabels ?? {}) };
    const labels = { ...selector, ...(props.labels ?? {}) };
    const annotations = props.annotations && Object.keys(props.annotations).length > 0 ? { ...props.annotations } : undefined;
    const metadata = (name: string) => ({ name, namespace: props.namespace, labels: { ...labels }, annotations: annotations && { ...annotations } });

    this.resource = new RolloutWithContainers(this, 'Resource', {
      metadata: metadata(this.name),
      spec: {
        replicas,
        revisionHistoryLimit: props.revisionHistoryLimit ?? 3,
        selector: { matchLabels: { ...selector } },
        template: {
          metadata: { labels: { ...selector } },
          spec: {
            securityContext: { runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } },
            containers: [],
          },
        },
        strategy: rendered.spec,
      },
    }, [containerJson]);

    for (const service of rendered.services) {
      new k8s.KubeService(this, `Service-${service.role}`, {
        metadata: metadata(service.name),
        spec: {
          selector: { ...selector },
          ports: [{ name: 'http', port: servicePort, targetPort, protocol: 'TCP' }],
        },
      });
    }

    if (props.metrics) {
      const path = props.metrics.path ?? '/metrics';
      if (!path.startsWith('/')) throw new ConfigError(where, 'metrics.path', path, 'Use an absolute HTTP path such as "/metrics".');
      const interval = props.metrics.interval ?? '30s';
      if (!/^([0-9]+(ms|s|m|h))+$/.test(interval)) throw new ConfigError(where, 'metrics.interval', interval, 'Use a duration such as "30s".');
      this.serviceMonitor = new ServiceMonitorResource(this, 'ServiceMonitor', {
        metadata: metadata(this.name),
        spec: {
          selector: { matchLabels: { ...selector } },
          endpoints: [{ port: 'http', path, interval }],
        },
      });
    }

    if (props.ingress) {
      const fromNamespaces = [...new Set(props.ingress.fromNamespaces ?? [])].sort();
      for (const ns of fromNamespaces) {
        if (!DNS_LABEL.test(ns)) throw new ConfigError(where, 'ingress.fromNamespaces', ns, 'Use namespace names (lowercase DNS labels).');
      }
      const inNamespace = (name: string) => ({ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': name } } });
      const containerPort = [{ protocol: 'TCP', port: k8s.IntOrString.fromNumber(port.number) }];
      const rules: k8s.NetworkPolicyIngressRule[] = [{ from: [{ podSelector: {} }] }];
      if (fromNamespaces.length > 0) rules.push({ from: fromNamespaces.map(inNamespace), ports: containerPort });
      if (props.metrics) rules.push({ from: [inNamespace(props.metrics.prometheusNamespace ?? 'monitoring')], ports: containerPort });
      this.networkPolicy = new k8s.KubeNetworkPolicy(this, 'NetworkPolicy', {
        metadata: metadata(this.name),
        spec: { podSelector: { matchLabels: { ...selector } }, policyTypes: ['Ingress'], ingress: rules },
      });
    }

    if (rendered.istio) {
      this.istio = new IstioCanaryRouting(this, 'Istio', {
        virtualServiceName: rendered.istio.virtualService,
        destinationRuleName: rendered.istio.destinationRule,
        host: rendered.istio.host,
        namespace: props.namespace,
        routeName: rendered.istio.routeName,
        stableSubset: rendered.istio.stableSubset,
        canarySubset: rendered.istio.canarySubset,
        canaryHeader: rendered.istio.canaryHeader,
        labels,
        annotations,
      });
    }
  }

  private analysisArgs(
    field: string,
    options: AnalysisOptions,
    service: string,
    templates: ReadonlyMap<string, AnalysisTemplate>,
    renameValue: (value: string) => string,
  ): Array<{ name: string; value: string }> {
    const where = this.node.path;
    const declared = new Set<string>();
    const required = new Set<string>();
    for (const name of options.templates) {
      const template = templates.get(name);
      if (!template) {
        const known = [...templates.keys()].sort();
        throw new ConfigError(
          where,
          `${field}.templates`,
          name,
          `No AnalysisTemplate named "${name}" is known to this Rollout (known: ${known.length > 0 ? known.join(', ') : 'none'}). ` +
            'Create it and pass it in analysisTemplates, or fix the name.',
        );
      }
      for (const arg of template.args) declared.add(arg.name);
      for (const arg of template.requiredArgs) required.add(arg);
    }
    const args = new Map<string, string>();
    for (const [name, value] of Object.entries(options.args ?? {})) {
      if (!declared.has(name)) {
        throw new ConfigError(where, `${field}.args`, name, `None of the templates (${options.templates.join(', ')}) declares this argument; remove it or fix its name.`);
      }
      args.set(name, renameValue(value));
    }
    if (declared.has('service-name') && !args.has('service-name')) args.set('service-name', service);
    for (const name of required) {
      if (!args.has(name)) {
        throw new ConfigError(where, `${field}.args`, Object.fromEntries(args), `The templates need the argument "${name}": add it to args.`);
      }
    }
    return [...args.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([name, value]) => ({ name, value }));
  }
}

/**
 * The generated Rollout class serializes every typed field; the pod's
 * containers are cdk8s-plus JSON, put in place after that serializer (which
 * would drop int-or-string values such as probe ports given as plain JSON).
 */
class RolloutWithContainers extends RolloutResource {
  private readonly podContainers: readonly unknown[];

  constructor(scope: Construct, id: string, props: RolloutResourceProps, containers: readonly unknown[]) {
    super(scope, id, props);
    this.podContainers = containers;
  }

  public override toJson(): Record<string, unknown> {
    const json = super.toJson() as { spec: { template: { spec: { containers: unknown[] } } } };
    json.spec.template.spec.containers = [...this.podContainers];
    return json;
  }
}

/** The only capability Pod Security `restricted` lets a container add back. */
const RESTRICTED_ADDABLE = new Set(['NET_BIND_SERVICE', 'CAP_NET_BIND_SERVICE']);

/**
 * The container's security context as Pod Security `restricted` requires it
 * (every namespace level admits it): no privilege escalation and every Linux
 * capability dropped. cdk8s-plus has no way to say `drop: [ALL]` (its
 * `Capability` enum lists single capabilities), so it is set here; a container
 * that adds anything but NET_BIND_SERVICE is refused.
 */
function restricted(where: string, container: Record<string, unknown>): Record<string, unknown> {
  const context = { ...((container.securityContext as Record<string, unknown> | undefined) ?? {}) };
  if (context.allowPrivilegeEscalation === true) {
    throw new ConfigError(where, 'container.securityContext.allowPrivilegeEscalation', true, 'Pod Security "restricted" forbids privilege escalation; remove allowPrivilegeEscalation: true.');
  }
  const capabilities = (context.capabilities as { add?: string[]; drop?: string[] } | undefined) ?? {};
  for (const added of capabilities.add ?? []) {
    if (!RESTRICTED_ADDABLE.has(added)) {
      throw new ConfigError(where, 'container.securityContext.capabilities.add', added, 'Pod Security "restricted" lets a container add only NET_BIND_SERVICE; remove the capability.');
    }
  }
  context.allowPrivilegeEscalation = false;
  context.capabilities = {
    ...(capabilities.add && capabilities.add.length > 0 ? { add: ['NET_BIND_SERVICE'] } : {}),
    drop: ['ALL'],
  };
  return sortKeys({ ...container, securityContext: context });
}

/** Rejects an image without a tag, with `latest`, or with an empty tag; a digest is fine. */
export function checkPinnedImage(where: string, image: string | undefined): void {
  const fix = 'Pin the image to an explicit version tag such as "ghcr.io/<owner>/web-app:v1.2.3" (never "latest"), or a digest.';
  if (typeof image !== 'string' || image.trim() === '') {
    throw new ConfigError(where, 'container.image', image, fix);
  }
  if (image.includes('@sha256:')) return;
  const lastSlash = image.lastIndexOf('/');
  const colon = image.lastIndexOf(':');
  const tag = colon > lastSlash ? image.slice(colon + 1) : '';
  if (tag === '' || tag.toLowerCase() === 'latest') {
    throw new ConfigError(where, 'container.image', image, fix);
  }
}
