import { EnvironmentConfig } from '../platform/environment';
import { ConfigError } from '../platform/errors';
import { commonLabelsOf, repoPathOf } from '../platform/platform';
import { PLATFORM_PROMETHEUS_URL } from '../monitoring/install';
import { DEFAULT_PROMETHEUS_ADDRESS } from './analysis-template';
import { ResolvedService, resolveServices } from './service';
import { ServiceGraph } from './service-graph';
import { DeliveryEngine, DeliveryServiceDefinition, PromotionModel } from './settings';
import { DNS_LABEL } from '../platform/patterns';


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
}

/** The labels the platform puts on every object of an environment (as `Platform.commonLabels`). */
export function environmentLabels(env: EnvironmentConfig): Record<string, string> {
  return commonLabelsOf(env);
}

/**
 * Validates an environment's `delivery` settings and resolves them. Errors
 * name the environment and the field (`Environment "dev": delivery.engine ...`).
 */
export function deliveryContext(env: EnvironmentConfig, labels: Readonly<Record<string, string>> = environmentLabels(env)): DeliveryContext {
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
  if (hasServices && engine === 'flux' && !env.modules.includes('flux')) {
    throw new ConfigError(where, 'delivery.engine', engine, 'Flux delivers the services only when the flux module is on: add "flux" to modules, or use "argocd".');
  }
  if (hasServices && engine === 'argocd' && !env.modules.includes('argocd')) {
    throw new ConfigError(where, 'delivery.engine', engine, 'Argo CD syncs the services only when the argocd module is on: add "argocd" to modules, or use "flux".');
  }
  const fluxSourceName = settings.fluxSourceName ?? 'flux-system';
  if (!DNS_LABEL.test(fluxSourceName)) {
    throw new ConfigError(where, 'delivery.fluxSourceName', fluxSourceName, 'Use the name of a Flux GitRepository (a lowercase DNS label).');
  }
  // With the monitoring module on, the analysis queries the Prometheus it installs.
  const prometheusAddress =
    settings.prometheusAddress ?? (env.modules.includes('monitoring') ? PLATFORM_PROMETHEUS_URL : DEFAULT_PROMETHEUS_ADDRESS);
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
  };
}

/** The folder of a component's Kustomize base and overlays, relative to the environment's directory. */
export function componentFolder(component: string): string {
  return `apps/delivery/${component}`;
}
