import { Duration, Size } from 'cdk8s';
import { ContainerProps, ContainerResources, Cpu, ImagePullPolicy, Probe } from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import { ConfigError } from '../platform/errors';
import { AnalysisTemplate } from './analysis-template';
import { RolloutIngressOptions, RolloutMetricsOptions, RolloutProps } from './rollout';
import { checkPinnedImage } from './rollout';
import { ServiceGraph } from './service-graph';
import { DeliveryServiceDefinition, ResourceSettings, ServiceRelease } from './settings';
import { RolloutStrategy } from './strategy';

/** Requests and limits of a service that does not set its own. */
export const DEFAULT_SERVICE_RESOURCES: ResourceSettings = {
  cpuRequest: '100m',
  cpuLimit: '500m',
  memoryRequest: '128Mi',
  memoryLimit: '256Mi',
};

/** The UID and GID service containers run as (non-root). */
export const SERVICE_USER = 10001;

const TAG = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/;

/** A service as one environment runs it: the definition plus the environment's release. */
export interface ResolvedService {
  /** The definition (the base). */
  readonly definition: DeliveryServiceDefinition;
  /** The image repository (without tag). */
  readonly repository: string;
  /** The base's image tag. */
  readonly baseTag: string;
  /** The environment's image tag. */
  readonly tag: string;
  /** The environment's replicas. */
  readonly replicas: number;
  /** The environment's strategy (without analysis when the environment does not analyse). */
  readonly strategy: RolloutStrategy;
  /** The environment's requests and limits. */
  readonly resources: ResourceSettings;
  /** The Argo CD sync wave: the service's level in the dependency graph. */
  readonly wave: number;
  /** Direct dependencies, sorted. */
  readonly dependsOn: readonly string[];
}

/** Splits `repo[:port]/path:tag` into repository and tag. */
export function splitImage(image: string): { repository: string; tag: string } {
  const lastSlash = image.lastIndexOf('/');
  const colon = image.lastIndexOf(':');
  if (colon <= lastSlash) return { repository: image, tag: '' };
  return { repository: image.slice(0, colon), tag: image.slice(colon + 1) };
}

/** Checks an image tag: explicit, not `latest`. */
export function checkTag(where: string, field: string, tag: unknown): string {
  if (typeof tag !== 'string' || !TAG.test(tag) || tag.toLowerCase() === 'latest') {
    throw new ConfigError(where, field, tag, 'Pin an explicit version tag such as "v1.2.3" (never "latest").');
  }
  return tag;
}

/**
 * Validates the services and releases of an environment's delivery settings
 * and resolves what the environment runs, in deployment order.
 */
export function resolveServices(
  where: string,
  services: readonly DeliveryServiceDefinition[],
  releases: Readonly<Record<string, ServiceRelease>>,
  analysis: boolean,
): { graph: ServiceGraph<DeliveryServiceDefinition>; services: ResolvedService[] } {
  const graph = new ServiceGraph(where, services);
  for (const name of Object.keys(releases).sort()) {
    if (!graph.get(name)) {
      throw new ConfigError(where, 'delivery.releases', name, `No service is named "${name}" (services: ${graph.names.sort().join(', ')}). Remove the release or fix its name.`);
    }
  }
  const resolved = graph.order.map((definition): ResolvedService => {
    const field = `delivery.services.${definition.name}`;
    if (!(definition.strategy instanceof RolloutStrategy)) {
      throw new ConfigError(where, `${field}.strategy`, definition.strategy, 'Use RolloutStrategy.canary(), RolloutStrategy.blueGreen() or RolloutStrategy.rolling().');
    }
    if (typeof definition.healthCheckPath !== 'string' || !definition.healthCheckPath.startsWith('/')) {
      throw new ConfigError(where, `${field}.healthCheckPath`, definition.healthCheckPath, 'Use an absolute HTTP path such as "/health".');
    }
    const port = definition.port ?? 8080;
    if (!Number.isInteger(port) || port < 1 || port > 65535) {
      throw new ConfigError(where, `${field}.port`, port, 'Use a port number from 1 to 65535.');
    }
    checkPinnedImage(`${where}: ${field}`, definition.image);
    if (definition.image.includes('@')) {
      throw new ConfigError(where, `${field}.image`, definition.image, 'Use a tagged image ("repository:tag"): environments set their tags in the overlays.');
    }
    const { repository, tag: baseTag } = splitImage(definition.image);
    checkTag(where, `${field}.image`, baseTag);
    const release = releases[definition.name] ?? {};
    const tag = release.tag === undefined ? baseTag : checkTag(where, `delivery.releases.${definition.name}.tag`, release.tag);
    const replicas = release.replicas ?? definition.replicas ?? 1;
    if (!Number.isInteger(replicas) || replicas < 1) {
      throw new ConfigError(where, `delivery.releases.${definition.name}.replicas`, replicas, 'Use a whole number of at least 1.');
    }
    if (release.strategy !== undefined && !(release.strategy instanceof RolloutStrategy)) {
      throw new ConfigError(where, `delivery.releases.${definition.name}.strategy`, release.strategy, 'Use RolloutStrategy.canary(), RolloutStrategy.blueGreen() or RolloutStrategy.rolling().');
    }
    const strategy = release.strategy ?? definition.strategy;
    const resources = release.resources ?? definition.resources ?? DEFAULT_SERVICE_RESOURCES;
    toContainerResources(where, `delivery.releases.${definition.name}.resources`, resources);
    return {
      definition,
      repository,
      baseTag,
      tag,
      replicas,
      strategy: analysis ? strategy : strategy.withoutAnalysis(),
      resources,
      wave: graph.level(definition.name),
      dependsOn: graph.dependencies(definition.name),
    };
  });
  return { graph, services: resolved };
}

/** How one rendering of a service differs: live in an environment, or its Kustomize base. */
export interface ServiceVariant {
  /** The name prefix. */
  readonly namePrefix: string;
  /** The namespace. @default - none */
  readonly namespace?: string;
  /** Labels added to selectors and pod templates. */
  readonly selectorLabels: Readonly<Record<string, string>>;
  /** Annotations on every object. */
  readonly annotations: Readonly<Record<string, string>>;
  /** The image tag. */
  readonly tag: string;
  /** Replicas. */
  readonly replicas: number;
  /** The strategy. */
  readonly strategy: RolloutStrategy;
  /** Requests and limits. */
  readonly resources: ResourceSettings;
  /** The AnalysisTemplates the strategy may name. */
  readonly analysisTemplates: readonly AnalysisTemplate[];
  /** Prometheus scraping. @default - not scraped */
  readonly metrics?: RolloutMetricsOptions;
  /** The pods' ingress restriction. @default - none */
  readonly ingress?: RolloutIngressOptions;
}

/** The Rollout props of a service in one variant. */
export function serviceRolloutProps(service: ResolvedService, variant: ServiceVariant): RolloutProps {
  const def = service.definition;
  const port = def.port ?? 8080;
  const container: ContainerProps = {
    name: def.name,
    image: `${service.repository}:${variant.tag}`,
    imagePullPolicy: ImagePullPolicy.IF_NOT_PRESENT,
    ports: [{ number: port, name: 'http' }],
    resources: toContainerResources('DeliveryService', 'resources', variant.resources),
    readiness: Probe.fromHttpGet(def.healthCheckPath, { port, periodSeconds: Duration.seconds(10) }),
    liveness: Probe.fromHttpGet(def.healthCheckPath, { port, initialDelaySeconds: Duration.seconds(15), periodSeconds: Duration.seconds(20) }),
    securityContext: { ensureNonRoot: true, user: SERVICE_USER, group: SERVICE_USER, readOnlyRootFilesystem: true, allowPrivilegeEscalation: false },
  };
  return {
    name: def.name,
    namePrefix: variant.namePrefix,
    namespace: variant.namespace,
    replicas: variant.replicas,
    container,
    strategy: variant.strategy,
    analysisTemplates: variant.analysisTemplates,
    selectorLabels: variant.selectorLabels,
    annotations: variant.annotations,
    metrics: variant.metrics,
    ingress: variant.ingress,
  };
}

/** The standard AnalysisTemplates (`error-rate`, `preview-load`, `success-rate`) in `scope`. */
export function standardAnalysisTemplates(
  scope: Construct,
  options: { namespace?: string; address?: string; labels?: Readonly<Record<string, string>>; annotations?: Readonly<Record<string, string>> },
): AnalysisTemplate[] {
  const { address, ...common } = options;
  return [
    AnalysisTemplate.errorRate(scope, 'ErrorRate', options),
    AnalysisTemplate.previewLoad(scope, 'PreviewLoad', common),
    AnalysisTemplate.successRate(scope, 'SuccessRate', { ...common, address }),
  ];
}

/** Converts resource strings to cdk8s-plus container resources; requests must not exceed limits. */
export function toContainerResources(where: string, field: string, r: ResourceSettings): ContainerResources {
  const cpu = (value: string, key: string): { cpu: Cpu; millis: number } => {
    const m = /^([0-9]+)m$/.exec(value ?? '');
    if (m) return { cpu: Cpu.millis(Number(m[1])), millis: Number(m[1]) };
    if (/^[0-9]+(\.[0-9]+)?$/.test(value ?? '')) return { cpu: Cpu.units(Number(value)), millis: Number(value) * 1000 };
    throw new ConfigError(where, `${field}.${key}`, value, 'Use a CPU quantity such as "250m" or "1".');
  };
  const memory = (value: string, key: string): { size: Size; mebibytes: number } => {
    const m = /^([0-9]+)(Mi|Gi)$/.exec(value ?? '');
    if (!m) throw new ConfigError(where, `${field}.${key}`, value, 'Use a memory quantity in Mi or Gi, such as "256Mi" or "1Gi".');
    const n = Number(m[1]);
    return m[2] === 'Gi' ? { size: Size.gibibytes(n), mebibytes: n * 1024 } : { size: Size.mebibytes(n), mebibytes: n };
  };
  const cpuRequest = cpu(r?.cpuRequest, 'cpuRequest');
  const cpuLimit = cpu(r?.cpuLimit, 'cpuLimit');
  const memRequest = memory(r?.memoryRequest, 'memoryRequest');
  const memLimit = memory(r?.memoryLimit, 'memoryLimit');
  if (cpuRequest.millis > cpuLimit.millis) {
    throw new ConfigError(where, `${field}.cpuRequest`, r.cpuRequest, `The request must not exceed the limit (${r.cpuLimit}).`);
  }
  if (memRequest.mebibytes > memLimit.mebibytes) {
    throw new ConfigError(where, `${field}.memoryRequest`, r.memoryRequest, `The request must not exceed the limit (${r.memoryLimit}).`);
  }
  return {
    cpu: { request: cpuRequest.cpu, limit: cpuLimit.cpu },
    memory: { request: memRequest.size, limit: memLimit.size },
  };
}
