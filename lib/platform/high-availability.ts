import { Sizing } from './environment';
import { isPlainObject } from './plain-object';

/**
 * How a controller component runs more than once, which decides its replicas
 * when the environment is highly available (`sizing.highAvailability`).
 */
export type ReplicaRole =
  /** Scales out with load (Argo CD's server, repo server and application controller): `sizing.controllerReplicas`. */
  | 'scaled'
  /** Leader-elected, a warm standby takes over (Argo Rollouts, External Secrets, ApplicationSet controller): 2. */
  | 'standby'
  /** Identical copies that each do the whole job (Prometheus: both scrape, queries survive one): 2. */
  | 'redundant'
  /** A cluster that needs a majority (Alertmanager's gossip) or an admission webhook every API request waits for (Gatekeeper): 3. */
  | 'quorum'
  /** One instance by design (Flux's controllers, the Jenkins X git operator, Sealed Secrets' key holder): 1 in every tier. */
  | 'singleton';

/** One row of {@link HA_TABLE}. */
export interface HighAvailabilityRow {
  /** Replicas when the environment is highly available. */
  readonly highlyAvailable: number | 'controllerReplicas';
  /** Replicas otherwise. */
  readonly single: number | 'controllerReplicas';
  /** Whether a PodDisruptionBudget (minAvailable 1) keeps one replica up during node drains when highly available. */
  readonly disruptionBudget: boolean;
}

/**
 * The one table every controller install reads its replicas and disruption
 * budgets from (README, "High availability").
 */
export const HA_TABLE: Readonly<Record<ReplicaRole, HighAvailabilityRow>> = {
  scaled: { highlyAvailable: 'controllerReplicas', single: 'controllerReplicas', disruptionBudget: true },
  standby: { highlyAvailable: 2, single: 1, disruptionBudget: false },
  redundant: { highlyAvailable: 2, single: 1, disruptionBudget: false },
  quorum: { highlyAvailable: 3, single: 1, disruptionBudget: false },
  singleton: { highlyAvailable: 1, single: 1, disruptionBudget: false },
};

/** The replicas of a component of `role` under `sizing`. */
export function replicasFor(sizing: Sizing, role: ReplicaRole): number {
  const row = HA_TABLE[role];
  const value = sizing.highAvailability ? row.highlyAvailable : row.single;
  return value === 'controllerReplicas' ? sizing.controllerReplicas : value;
}

/** Whether a component of `role` gets a PodDisruptionBudget under `sizing`. */
export function hasDisruptionBudget(sizing: Sizing, role: ReplicaRole): boolean {
  return sizing.highAvailability && HA_TABLE[role].disruptionBudget;
}

/**
 * Chart values with `overrides` merged over `values`, last: objects merge key
 * by key, anything else (arrays included) replaces. The escape hatch of every
 * controller install (`values` in each module's settings).
 */
export function mergeValues(values: Readonly<Record<string, unknown>>, overrides: Readonly<Record<string, unknown>> | undefined): Record<string, unknown> {
  if (overrides === undefined) return { ...values };
  const out: Record<string, unknown> = { ...values };
  for (const [key, value] of Object.entries(overrides)) {
    const current = out[key];
    out[key] = isPlainObject(current) && isPlainObject(value) ? mergeValues(current, value) : value;
  }
  return out;
}
