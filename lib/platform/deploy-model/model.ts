import { PolicyViolationError } from '../errors';
import { compareNames } from '../compare';
import { DeployModelSettings, DeployViolation } from './facts';
import { buildInventory, DeployModelInput, Inventory } from './inventory';
import { metricsViolations } from './rules/metrics';
import { networkViolations } from './rules/network';
import { ownershipViolations } from './rules/ownership';
import { appProjectViolations } from './rules/projects';
import { referenceViolations } from './rules/references';
import { podSecurityViolations } from './rules/workloads';

/** One rule family of the deploy model. */
export interface DeployRule {
  /** The id prefix of its violations (`references`, `podSecurity`). */
  readonly id: string;
  /** What it checks, one line (the report's rule table). */
  readonly description: string;
  /** Runs the rule. */
  readonly run: (inventory: Inventory) => DeployViolation[];
}

/** The rules, in report order. */
export const DEPLOY_RULES: readonly DeployRule[] = [
  {
    id: 'references',
    description: 'Secrets, synced paths, AppProjects, ClusterIssuers, secret stores, service accounts, namespaces and Argo CD repository credentials that are named exist',
    run: referenceViolations,
  },
  {
    id: 'podSecurity',
    description: 'every pod template is admitted by the Pod Security level its namespace enforces (upstream baseline and restricted checks)',
    run: podSecurityViolations,
  },
  {
    id: 'network',
    description: 'every flow the platform needs (declared, or derived from ServiceMonitors, PodMonitors and AnalysisTemplates) is allowed at both ends',
    run: networkViolations,
  },
  {
    id: 'metrics',
    description: 'every metric an AnalysisTemplate or PrometheusRule reads has a scrape source',
    run: metricsViolations,
  },
  {
    id: 'appProject',
    description: 'every AppProject permits the repositories, destinations and kinds of its applications',
    run: appProjectViolations,
  },
  {
    id: 'ownership',
    description: 'one owner per object; no label a controller rewrites is managed by Terraform without an ignore rule',
    run: ownershipViolations,
  },
];

/** What the deploy model found in one environment. */
export interface DeployModelResult {
  readonly environment: string;
  /** Whether violations fail synthesis (`policyEnforcement: deny`). */
  readonly failsSynth: boolean;
  /** Violations not acknowledged. */
  readonly violations: readonly DeployViolation[];
  /** Violations acknowledged in `deployModel.acknowledged`, with the reason. */
  readonly acknowledged: ReadonlyArray<DeployViolation & { readonly reason: string }>;
  /** Acknowledgements that match nothing (fixed: remove them). */
  readonly staleAcknowledgements: ReadonlyArray<{ readonly rule: string; readonly object: string }>;
  /** Objects the model indexed, by owner. */
  readonly indexed: Readonly<Record<string, number>>;
  /** Flows the modules declared (derived flows come on top). */
  readonly flowsDeclared: number;
  /** What the environment declares the cluster has (prerequisites, external paths). */
  readonly settings: DeployModelSettings;
}

/** Runs every rule over the environment. Pure: the caller decides what to do with the result. */
export function runDeployModel(input: DeployModelInput, rules: readonly DeployRule[] = DEPLOY_RULES): DeployModelResult {
  const inventory = buildInventory(input);
  const all = rules.flatMap((r) => r.run(inventory));
  const acks = inventory.settings.acknowledged ?? [];
  const used = new Set<number>();
  const violations: DeployViolation[] = [];
  const acknowledged: Array<DeployViolation & { reason: string }> = [];
  for (const v of all) {
    const i = acks.findIndex((a) => a.rule === v.rule && a.object === v.object);
    if (i >= 0) {
      used.add(i);
      acknowledged.push({ ...v, reason: acks[i]!.reason });
    } else violations.push(v);
  }
  const indexed: Record<string, number> = {};
  for (const d of inventory.objects) indexed[d.owner] = (indexed[d.owner] ?? 0) + 1;
  return {
    environment: input.environment.name,
    failsSynth: input.environment.policyEnforcement === 'deny',
    violations,
    acknowledged,
    staleAcknowledgements: acks.filter((_, i) => !used.has(i)).map((a) => ({ rule: a.rule, object: a.object })),
    indexed,
    flowsDeclared: input.flows.length,
    settings: inventory.settings,
  };
}

/** One line per violation: object, rule, message, fix. */
export function formatViolation(v: DeployViolation): string {
  return `${v.object} [${v.rule}] (${v.source}): ${v.message}. Fix: ${v.fix}.`;
}

/** The error synthesis fails with under `deny`. */
export function deployModelError(result: DeployModelResult): PolicyViolationError {
  return new PolicyViolationError(
    result.environment,
    result.violations.map(formatViolation),
    `Environment "${result.environment}": the deploy model found ${result.violations.length} violation(s) (policyEnforcement "deny"):\n  - ${result.violations.map(formatViolation).join('\n  - ')}`,
  );
}

/** `policies/DEPLOY-REPORT.md`, in the style of POLICY-REPORT.md: deterministic, committed with the tree. */
export function renderDeployReport(result: DeployModelResult, rules: readonly DeployRule[] = DEPLOY_RULES): string {
  const count = (id: string, list: readonly DeployViolation[]): number => list.filter((v) => v.rule === id || v.rule.startsWith(`${id}.`)).length;
  const lines = [
    `# Deploy report: ${result.environment}`,
    '',
    'Generated at synth time by the deploy model (lib/platform/deploy-model); do not edit.',
    `Synth time: violations ${result.failsSynth ? 'fail synthesis (`deny`)' : 'are reported here and as warnings'}.`,
    `Indexed: ${Object.entries(result.indexed).sort(([a], [b]) => compareNames(a, b)).map(([k, v]) => `${v} ${k}`).join(', ')} object(s); ${result.flowsDeclared} declared flow(s).`,
    'The Gatekeeper policies of the platform are checked at synth time by the security module: see POLICY-REPORT.md.',
    '',
    '| rule | checks | violations | acknowledged |',
    '| --- | --- | --- | --- |',
    ...rules.map((r) => `| ${r.id} | ${r.description} | ${count(r.id, result.violations)} | ${count(r.id, result.acknowledged)} |`),
    '',
    '## Violations',
    '',
  ];
  if (result.violations.length === 0) lines.push('None.');
  for (const v of result.violations) lines.push(`- ${formatViolation(v)}`);
  lines.push('', '## Prerequisites', '', 'What the cluster must have before `terraform apply` (`EnvironmentConfig.deployModel`):', '');
  const prerequisites = [
    ...(result.settings.prerequisiteSecrets ?? []).map((p) => `- Secret \`${p.namespace}/${p.name}\`: ${p.why}`),
    ...(result.settings.externalPaths ?? []).map((p) => `- repository path \`${p}\`, written outside this synth`),
    ...(result.settings.istioCni ? ['- Istio with its CNI plugin (sidecar injection without a privileged istio-init)'] : []),
  ];
  if (prerequisites.length === 0) lines.push('None declared.');
  lines.push(...prerequisites);
  lines.push('', '## Acknowledged', '');
  if (result.acknowledged.length === 0) lines.push('None.');
  for (const v of result.acknowledged) lines.push(`- ${formatViolation(v)} Acknowledged: ${v.reason}`);
  if (result.staleAcknowledgements.length > 0) {
    lines.push('', '## Stale acknowledgements (nothing matches them any more: remove them)', '');
    for (const a of result.staleAcknowledgements) lines.push(`- ${a.object} [${a.rule}]`);
  }
  lines.push('');
  return lines.join('\n');
}
