/** The Terraform outputs every stack exposes; the seeds check them with `terraform output`. */
export const STATUS_OUTPUTS = [
  'gitops_patterns_status',
  'enterprise_gitops_status',
  'multi_environment_status',
  'advanced_automation_status',
  'gitops_security_status',
] as const;

/** One of {@link STATUS_OUTPUTS}. */
export type StatusOutput = (typeof STATUS_OUTPUTS)[number];

/**
 * Collects the structured values of the status outputs. Each module adds its
 * part under its own key; values may hold Terraform tokens (release status).
 */
export class StatusRegistry {
  private readonly sections = new Map<StatusOutput, Map<string, unknown>>();

  /** Sets `key` in `output`; a key can be set once. */
  public set(output: StatusOutput, key: string, value: unknown): void {
    let section = this.sections.get(output);
    if (!section) {
      section = new Map();
      this.sections.set(output, section);
    }
    if (section.has(key)) {
      throw new Error(`Status output ${output} already has a "${key}" entry; each module sets its own key once.`);
    }
    section.set(key, value);
  }

  /** The value of one output, keys sorted. */
  public value(output: StatusOutput): Record<string, unknown> {
    const section = this.sections.get(output) ?? new Map<string, unknown>();
    const out: Record<string, unknown> = {};
    for (const key of [...section.keys()].sort()) out[key] = section.get(key);
    return out;
  }
}
