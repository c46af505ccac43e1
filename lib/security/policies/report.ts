import { PolicyEnforcement } from './enforcement';
import { PolicyExemption } from './exemption';
import { Policy } from './policy';

/** What one active policy found at synth time. */
export interface PolicyResult {
  /** The policy. */
  readonly policy: Policy;
  /** Its enforcement. */
  readonly enforcement: PolicyEnforcement;
  /** Objects the policy checked. */
  readonly checked: number;
  /** Violations, one line each (failures under `deny`, warnings otherwise). */
  readonly violations: readonly string[];
  /** Objects skipped because of an exemption, with the exemption. */
  readonly exempted: readonly string[];
}


/** What the synth-time policy report of an environment holds. */
export interface PolicyReportInput {
  readonly environment: string;
  readonly enforcement: PolicyEnforcement;
  readonly results: readonly PolicyResult[];
  readonly inactive: readonly Policy[];
  readonly exemptions: readonly PolicyExemption[];
  readonly clusterExcludedNamespaces: readonly string[];
}

/**
 * Renders `policies/POLICY-REPORT.md`: per policy its mode at both enforcement
 * points, what was checked, exempted and found. Deterministic (no timestamps),
 * committed with the tree so reviewers see warnings of `warn`/`dryrun`
 * environments in the pull request. Kustomize ignores it (not listed as a resource).
 */
export function renderPolicyReport(input: PolicyReportInput): string {
  const lines: string[] = [
    `# Policy report: ${input.environment}`,
    '',
    'Generated at synth time by the security module; do not edit.',
    `Environment enforcement: \`${input.enforcement.mode}\` (synth time: ${input.enforcement.synthBehaviour}).`,
    '',
    '| policy | constraint kind | mode | Gatekeeper action | synth time | objects checked | exempted | violations |',
    '| --- | --- | --- | --- | --- | --- | --- | --- |',
  ];
  for (const r of input.results) {
    lines.push(
      `| ${r.policy.id} | ${r.policy.constraintKind} | ${r.enforcement.mode} | ${r.enforcement.gatekeeperAction} | ${r.enforcement.synthBehaviour} | ${r.checked} | ${r.exempted.length} | ${r.violations.length} |`,
    );
  }
  for (const p of input.inactive) {
    lines.push(`| ${p.id} | ${p.constraintKind} | off in this tier | - | - | - | - | - |`);
  }
  lines.push('', '## Exemptions', '');
  if (input.exemptions.length === 0) lines.push('None.');
  for (const e of input.exemptions) lines.push(`- ${e.describe()}`);
  lines.push(
    '',
    '## Cluster scope',
    '',
    `The workload constraints leave out the namespaces of Kubernetes and of the controllers Terraform installs from pinned charts: ${input.clusterExcludedNamespaces.join(', ')}. Objects of this tree in those namespaces are checked here.`,
    '',
    '## Violations',
    '',
  );
  const all = input.results.flatMap((r) => r.violations.map((v) => `- [${r.policy.id}, ${r.enforcement.mode}] ${v}`));
  if (all.length === 0) lines.push('None.');
  lines.push(...all, '');
  return lines.join('\n');
}
