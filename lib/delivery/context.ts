import { PlatformEnvironment } from '../platform/environment';
import { ConfigError } from '../platform/errors';
import { PodSecurityLevel, PodSecurityLevelOf } from '../platform/namespace-security';
import { commonLabelsOf, repoPathOf } from '../platform/platform';
import { PrometheusEndpoint } from '../platform/references';
import { DEFAULT_PROMETHEUS_ADDRESS } from './analysis-template';
import { ResolvedService, resolveServices } from './service';
import { ServiceGraph } from './service-graph';
import { DeliveryEngine, DeliveryServiceDefinition, DeliverySettings, PromotionModel } from './settings';
import { DNS_LABEL } from '../platform/patterns';

/** The namespace of Istio's control plane and ingress gateway. */
export const ISTIO_NAMESPACE = 'istio-system';


/** An environment's delivery settings, validated, with defaults applied and services resolved. */
export interface DeliveryContext {
  /** The environment's name. */
  readonly environment: string;
  /** The environment's path in the GitOps repository. */
  readonly repoPath: string;
  /** The branch or tag the environment tracks. */
  readonly revision: string;
  /** The namespace of the services. */
  readonly namespace: string;
  /** The name prefix of every service object. */
  readonly namePrefix: string;
  /** Whether the strategies' analyses run. */
  readonly analysis: boolean;
  /** The Prometheus the analyses query. */
  readonly prometheusAddress: string;
  /** Who deploys the services. */
  readonly engine: DeliveryEngine;
  /** The Flux source of the Kustomizations. */
  readonly fluxSourceName: string;
  /** Labels on every object (the platform's common labels). */
  readonly labels: Readonly<Record<string, string>>;
  /** The dependency graph. */
  readonly graph: ServiceGraph<DeliveryServiceDefinition>;
  /** The services in deployment order. */
  readonly services: readonly ResolvedService[];
  /** The promotion path and model. */
  readonly promotion: { readonly path: readonly string[]; readonly model: PromotionModel };
  /** Whether any strategy this environment runs uses analysis. */
  readonly usesAnalysis: boolean;
  /** Whether Istio injects its sidecar into the services' pods. */
  readonly sidecarInjection: boolean;
  /** Namespaces besides the services' own let in on the services' ports. */
  readonly ingressNamespaces: readonly string[];
}

/** An environment as the delivery module reads it: what every module shares, and its `delivery` settings. */
export type DeliveryEnvironment = PlatformEnvironment & { readonly delivery?: DeliverySettings };

/** What the other modules tell the delivery module (which `GitOpsStack` wires). */
export interface DeliveryReferences {
  /**
   * The Prometheus the analyses query and that scrapes the services (the
   * monitoring module's `prometheus`).
   * @default - none: `delivery.prometheusAddress`, else the Prometheus Operator's default address; no scrape admission
   */
  readonly prometheus?: PrometheusEndpoint;
  /** Argo CD runs here (engine `argocd` needs it). @default false */
  readonly argoCd?: boolean;
  /**
   * Flux runs here (engine `flux` needs it), with the ServiceAccount its
   * Kustomizations in flux-system must name (`Flux.install.reconcilerFor('Kustomization')`;
   * undefined without the multi-tenancy lockdown).
   * @default - Flux does not run here
   */
  readonly flux?: { readonly serviceAccountName?: string };
  /**
   * The Pod Security level each namespace enforces (the security module's
   * `podSecurityLevelOf`): sidecar injection needs Istio's CNI plugin above `privileged`.
   * @default - no namespace is labelled: `privileged`
   */
  readonly podSecurityLevelOf?: PodSecurityLevelOf;
  /**
   * The ingress controller's namespace, let in on the services' ports unless
   * `delivery.ingressNamespaces` says otherwise.
   * @default 'ingress-nginx'
   */
  readonly ingressControllerNamespace?: string;
}

/** The labels the platform puts on every object of an environment (as `Platform.commonLabels`). */
export function environmentLabels(env: PlatformEnvironment): Record<string, string> {
  return commonLabelsOf(env);
}

/**
 * Validates an environment's `delivery` settings and resolves them. Errors
 * name the environment and the field (`Environment "dev": delivery.engine ...`).
 */
export function deliveryContext(
  env: DeliveryEnvironment,
  references: DeliveryReferences = {},
  labels: Readonly<Record<string, string>> = environmentLabels(env),
): DeliveryContext {
  const where = `Environment "${env.name}"`;
  const settings = env.delivery ?? {};
  const namespace = settings.namespace ?? env.name;
  if (!DNS_LABEL.test(namespace)) {
    throw new ConfigError(where, 'delivery.namespace', namespace, 'Use a lowercase DNS label, such as "apps".');
  }
  const namePrefix = settings.namePrefix ?? `${env.name}-`;
  if (namePrefix !== '' && !/^[a-z][-a-z0-9]{0,30}$/.test(namePrefix)) {
    throw new ConfigError(where, 'delivery.namePrefix', namePrefix, 'Use lowercase letters, digits and "-", such as "prod-" (or "" for none).');
  }
  const engine = settings.engine ?? 'argocd';
  if (engine !== 'argocd' && engine !== 'flux') {
    throw new ConfigError(where, 'delivery.engine', engine, 'Use "argocd" (sync waves) or "flux" (Kustomizations with dependsOn).');
  }
  const hasServices = (settings.services ?? []).length > 0;
  if (hasServices && engine === 'flux' && references.flux === undefined) {
    throw new ConfigError(where, 'delivery.engine', engine, 'Flux delivers the services only when the flux module is on: add "flux" to modules, or use "argocd".');
  }
  if (hasServices && engine === 'argocd' && references.argoCd !== true) {
    throw new ConfigError(where, 'delivery.engine', engine, 'Argo CD syncs the services only when the argocd module is on: add "argocd" to modules, or use "flux".');
  }
  const fluxSourceName = settings.fluxSourceName ?? 'flux-system';
  if (!DNS_LABEL.test(fluxSourceName)) {
    throw new ConfigError(where, 'delivery.fluxSourceName', fluxSourceName, 'Use the name of a Flux GitRepository (a lowercase DNS label).');
  }
  // With the monitoring module on, the analysis queries the Prometheus it installs.
  const prometheusAddress =
    settings.prometheusAddress ?? references.prometheus?.url ?? DEFAULT_PROMETHEUS_ADDRESS;
  if (!/^https?:\/\/[^\s/]+/.test(prometheusAddress)) {
    throw new ConfigError(where, 'delivery.prometheusAddress', prometheusAddress, 'Use the http(s) URL of the Prometheus server.');
  }
  const analysis = settings.analysis ?? true;
  const promotion = settings.promotion ?? { path: [env.name] };
  const model = promotion.model ?? 'branch';
  if (model !== 'branch' && model !== 'tag') {
    throw new ConfigError(where, 'delivery.promotion.model', model, 'Use "branch" (develop -> staging -> main) or "tag" (SemVer tags).');
  }
  const path = [...(promotion.path ?? [])];
  if (!path.includes(env.name) || new Set(path).size !== path.length) {
    throw new ConfigError(where, 'delivery.promotion.path', path, `List each environment once, in promotion order, including "${env.name}" (such as ["dev", "staging", "prod"]).`);
  }
  const { graph, services } = resolveServices(where, settings.services ?? [], settings.releases ?? {}, analysis);
  const istio = env.prerequisites?.istio;
  const istioInstalled = istio?.installed === true;
  const sidecarInjection = settings.sidecarInjection ?? istioInstalled;
  if (services.length > 0) checkIstio(env, namespace, services, sidecarInjection, references.podSecurityLevelOf?.(namespace) ?? 'privileged');
  const ingressNamespaces = [
    ...(settings.ingressNamespaces ?? [references.ingressControllerNamespace ?? 'ingress-nginx', ...(istioInstalled ? [ISTIO_NAMESPACE] : [])]),
  ];
  for (const ns of ingressNamespaces) {
    if (!DNS_LABEL.test(ns)) throw new ConfigError(where, 'delivery.ingressNamespaces', ns, 'Use namespace names (lowercase DNS labels).');
  }
  return {
    environment: env.name,
    repoPath: repoPathOf(env),
    revision: env.gitops.revision,
    namespace,
    namePrefix,
    analysis,
    prometheusAddress,
    engine,
    fluxSourceName,
    labels: { ...labels },
    graph,
    services,
    promotion: { path, model },
    usesAnalysis: services.some((s) => s.strategy.hasAnalysis),
    sidecarInjection,
    ingressNamespaces,
  };
}

/**
 * Istio is a prerequisite, checked here: a canary routed by Istio and sidecar
 * injection need it installed (its CRDs must exist before the root app syncs),
 * and injection under Pod Security baseline or restricted needs its CNI plugin.
 */
function checkIstio(env: PlatformEnvironment, namespace: string, services: readonly ResolvedService[], sidecarInjection: boolean, level: PodSecurityLevel): void {
  const where = `Environment "${env.name}"`;
  const istio = env.prerequisites?.istio;
  const routed = services.filter((s) => s.strategy.trafficRouting.kind === 'istio').map((s) => s.definition.name);
  if (routed.length > 0 && istio?.installed !== true) {
    throw new ConfigError(
      where,
      'prerequisites.istio.installed',
      istio?.installed ?? false,
      `The canaries of ${routed.join(', ')} route traffic through Istio (VirtualService, DestinationRule), whose CRDs must exist before the root app syncs: ` +
        'install Istio first and set prerequisites.istio.installed to true, or use TrafficRouting.none().',
    );
  }
  if (!sidecarInjection) return;
  if (istio?.installed !== true) {
    throw new ConfigError(
      where,
      'prerequisites.istio.installed',
      istio?.installed ?? false,
      `delivery.sidecarInjection is on, but nothing injects sidecars without Istio: install Istio first and set prerequisites.istio.installed to true, or set delivery.sidecarInjection to false.`,
    );
  }
  if (level !== 'privileged' && istio.cni !== true) {
    throw new ConfigError(
      where,
      'prerequisites.istio.cni',
      istio.cni,
      `Namespace "${namespace}" enforces Pod Security "${level}", which refuses the istio-init container Istio injects without its CNI plugin (NET_ADMIN, NET_RAW, user 0): ` +
        'install Istio with the CNI plugin (istio-cni) and set prerequisites.istio.cni to true, or set delivery.sidecarInjection to false.',
    );
  }
}

/** The folder of a component's Kustomize base and overlays, relative to the environment's directory. */
export function componentFolder(component: string): string {
  return `apps/delivery/${component}`;
}
