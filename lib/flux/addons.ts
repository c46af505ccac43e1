import { ConfigError } from '../platform/errors';
import { FluxAddon, FluxControllerResources } from './settings';

/** Options of the add-on presets. */
export interface AddonPresetOptions {
  /** The chart version: exact or a SemVer range. */
  readonly version: string;
  /** Replicas of each component (2 or more adds a PodDisruptionBudget). @default 1 */
  readonly replicas?: number;
  /** Requests and limits of each component. @default - the preset's */
  readonly resources?: FluxControllerResources;
}

function replicasOf(name: string, replicas: number | undefined): number {
  const value = replicas ?? 1;
  if (!Number.isInteger(value) || value < 1) {
    throw new ConfigError(`${name} add-on`, 'replicas', replicas, 'Use a whole number of at least 1.');
  }
  return value;
}

/**
 * cert-manager (jetstack chart `cert-manager`): issues the TLS certificates of
 * the platform's ingresses. CRDs are installed and kept on uninstall. Every
 * component, the start-up API check job included, has requests and limits
 * (the workload-security policy requires them; the chart's pods already run
 * as non-root).
 */
export function certManagerAddon(options: AddonPresetOptions): FluxAddon {
  const replicas = replicasOf('cert-manager', options.replicas);
  const resources = options.resources ?? {
    requests: { cpu: '50m', memory: '128Mi' },
    limits: { cpu: '500m', memory: '256Mi' },
  };
  const component = {
    replicaCount: replicas,
    podDisruptionBudget: { enabled: replicas > 1 },
    resources: { requests: { ...resources.requests }, limits: { ...resources.limits } },
  };
  return {
    name: 'cert-manager',
    chart: 'cert-manager',
    version: options.version,
    namespace: 'cert-manager',
    values: {
      crds: { enabled: true, keep: true },
      ...component,
      webhook: { ...component },
      cainjector: { ...component },
      // The post-install job that waits for the webhook: without resources the
      // platform's workload-security policy (Gatekeeper) refuses it.
      startupapicheck: { resources: { requests: { ...resources.requests }, limits: { ...resources.limits } } },
      prometheus: { enabled: true },
    },
  };
}

/**
 * metrics-server (kubernetes-sigs chart `metrics-server`): the resource
 * metrics API behind HorizontalPodAutoscalers and `kubectl top`.
 */
export function metricsServerAddon(options: AddonPresetOptions): FluxAddon {
  const replicas = replicasOf('metrics-server', options.replicas);
  const resources = options.resources ?? {
    requests: { cpu: '100m', memory: '200Mi' },
    limits: { cpu: '500m', memory: '400Mi' },
  };
  return {
    name: 'metrics-server',
    chart: 'metrics-server',
    version: options.version,
    namespace: 'kube-system',
    values: {
      replicas,
      podDisruptionBudget: { enabled: replicas > 1, minAvailable: 1 },
      resources: { requests: { ...resources.requests }, limits: { ...resources.limits } },
    },
  };
}
