/** The policies of the library, by id. Ids appear in messages, exemptions and settings. */
export const POLICY_IDS = [
  'required-labels',
  'allowed-repositories',
  'workload-security',
  'pinned-images',
  'internal-load-balancer',
  'no-plain-secrets',
] as const;

/** One of {@link POLICY_IDS}. */
export type PolicyId = (typeof POLICY_IDS)[number];

/** Whether `value` is a policy id. */
export function isPolicyId(value: unknown): value is PolicyId {
  return typeof value === 'string' && (POLICY_IDS as readonly string[]).includes(value);
}
