import { EnvironmentTier } from '../platform/environment';
import { ConfigError } from '../platform/errors';

/** CPU and memory of a container. */
export interface ResourceQuantities {
  /** CPU (`250m`, `1`). */
  readonly cpu: string;
  /** Memory (`256Mi`, `1Gi`). */
  readonly memory: string;
}

/** Requests and limits of a container. */
export interface ResourceRequirements {
  /** What the scheduler reserves. */
  readonly requests: ResourceQuantities;
  /** The ceiling. */
  readonly limits: ResourceQuantities;
}

/** The Argo CD components whose requests and limits the module sets (argo-cd chart value keys). */
export const ARGOCD_COMPONENTS = [
  'controller',
  'server',
  'repoServer',
  'applicationSet',
  'notifications',
  'redis',
  'dex',
] as const;

/** One of {@link ARGOCD_COMPONENTS}. */
export type ArgoCdComponent = (typeof ARGOCD_COMPONENTS)[number];

const CPU = /^([0-9]+m|[0-9]+(\.[0-9]+)?)$/;
const MEMORY = /^[0-9]+(\.[0-9]+)?(Ki|Mi|Gi|Ti|k|M|G|T)?$/;

function q(cpu: string, memory: string): ResourceQuantities {
  return { cpu, memory };
}

/** Per-tier defaults: development is small, production has room for 3 replicas' worth of load. */
const DEFAULTS: Record<EnvironmentTier, Record<ArgoCdComponent, ResourceRequirements>> = {
  development: {
    controller: { requests: q('250m', '512Mi'), limits: q('1', '1Gi') },
    server: { requests: q('50m', '128Mi'), limits: q('500m', '256Mi') },
    repoServer: { requests: q('100m', '256Mi'), limits: q('1', '512Mi') },
    applicationSet: { requests: q('50m', '64Mi'), limits: q('250m', '128Mi') },
    notifications: { requests: q('50m', '64Mi'), limits: q('250m', '128Mi') },
    redis: { requests: q('50m', '64Mi'), limits: q('250m', '128Mi') },
    dex: { requests: q('25m', '64Mi'), limits: q('100m', '128Mi') },
  },
  staging: {
    controller: { requests: q('500m', '1Gi'), limits: q('2', '2Gi') },
    server: { requests: q('100m', '256Mi'), limits: q('1', '512Mi') },
    repoServer: { requests: q('250m', '512Mi'), limits: q('1', '1Gi') },
    applicationSet: { requests: q('100m', '128Mi'), limits: q('500m', '256Mi') },
    notifications: { requests: q('100m', '128Mi'), limits: q('500m', '256Mi') },
    redis: { requests: q('100m', '128Mi'), limits: q('500m', '256Mi') },
    dex: { requests: q('50m', '64Mi'), limits: q('250m', '128Mi') },
  },
  production: {
    controller: { requests: q('1', '2Gi'), limits: q('4', '4Gi') },
    server: { requests: q('250m', '512Mi'), limits: q('1', '1Gi') },
    repoServer: { requests: q('500m', '1Gi'), limits: q('2', '2Gi') },
    applicationSet: { requests: q('100m', '256Mi'), limits: q('500m', '512Mi') },
    notifications: { requests: q('100m', '128Mi'), limits: q('500m', '256Mi') },
    redis: { requests: q('200m', '256Mi'), limits: q('1', '512Mi') },
    dex: { requests: q('50m', '128Mi'), limits: q('250m', '256Mi') },
  },
};

/** The requests and limits of every component for a tier, with overrides applied. */
export function componentResources(
  tier: EnvironmentTier,
  overrides: Readonly<Partial<Record<ArgoCdComponent, ResourceRequirements>>> = {},
): Record<ArgoCdComponent, ResourceRequirements> {
  for (const key of Object.keys(overrides)) {
    if (!(ARGOCD_COMPONENTS as readonly string[]).includes(key)) {
      throw new ConfigError('ArgoCdSettings', 'resources', key, `Use one of ${ARGOCD_COMPONENTS.join(', ')}.`);
    }
  }
  return Object.fromEntries(
    ARGOCD_COMPONENTS.map((c) => [c, overrides[c] ?? DEFAULTS[tier][c]]),
  ) as Record<ArgoCdComponent, ResourceRequirements>;
}

/** Checks quantities (and that no request exceeds its limit) and returns chart-ready values. */
export function renderResources(where: string, field: string, r: ResourceRequirements): ResourceRequirements {
  for (const kind of ['requests', 'limits'] as const) {
    const value = r[kind];
    if (!value || !CPU.test(value.cpu)) {
      throw new ConfigError(where, `${field}.${kind}.cpu`, value?.cpu, 'Use a CPU quantity such as "250m" or "1".');
    }
    if (!MEMORY.test(value.memory)) {
      throw new ConfigError(where, `${field}.${kind}.memory`, value.memory, 'Use a memory quantity such as "256Mi" or "1Gi".');
    }
  }
  if (cpuMillis(r.requests.cpu) > cpuMillis(r.limits.cpu)) {
    throw new ConfigError(where, `${field}.requests.cpu`, r.requests.cpu, `The request exceeds the limit (${r.limits.cpu}); lower it or raise the limit.`);
  }
  if (bytes(r.requests.memory) > bytes(r.limits.memory)) {
    throw new ConfigError(where, `${field}.requests.memory`, r.requests.memory, `The request exceeds the limit (${r.limits.memory}); lower it or raise the limit.`);
  }
  return { requests: { ...r.requests }, limits: { ...r.limits } };
}

function cpuMillis(cpu: string): number {
  return cpu.endsWith('m') ? Number(cpu.slice(0, -1)) : Number(cpu) * 1000;
}

function bytes(memory: string): number {
  const m = /^([0-9.]+)(Ki|Mi|Gi|Ti|k|M|G|T)?$/.exec(memory)!;
  const unit: Record<string, number> = { Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40, k: 1e3, M: 1e6, G: 1e9, T: 1e12 };
  return Number(m[1]) * (m[2] ? unit[m[2]] : 1);
}
