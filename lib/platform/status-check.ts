/**
 * Checks the status outputs of a deployed environment: the outputs contract
 * (`status-contract.ts`) and the environment's rules (every controller
 * release deployed; in production no automated prune, policies denied, no
 * local admin, highly available replicas). Each failed rule is one line.
 */
import { ModuleName, PlatformEnvironment } from './environment';

/** The environment the status outputs are checked against: what every module shares, and the modules that are on. */
export type CheckedEnvironment = PlatformEnvironment & {
  readonly modules: readonly ModuleName[];
  /** The recovery settings' standby role, when the environment stands in for another. */
  readonly recovery?: { readonly standby?: { readonly for: string } };
};
import { STATUS_OUTPUTS } from './status';
import { checkStatusContract, StatusOutputs } from './status-contract';

/** The Helm status of a healthy release. */
export const DEPLOYED = 'deployed';

/**
 * The five status outputs from a file written by `cdktf output <env>
 * --outputs-file` (`{ "<env>": { "<output>": value } }`) or by `terraform
 * output -json` (`{ "<output>": { "value": value, "type": ..., "sensitive": false } }`).
 * Throws with a one-line message when the file is neither.
 */
export function readStatusOutputs(json: unknown, environment: string): Record<string, unknown> {
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    throw new Error('the outputs file is not a JSON object; write it with `cdktf output <env> --outputs-file <file>` or `terraform output -json > <file>`');
  }
  const top = json as Record<string, unknown>;
  const isOutputMap = (value: unknown): value is Record<string, unknown> =>
    typeof value === 'object' && value !== null && STATUS_OUTPUTS.some((name) => name in (value as object));
  if (!isOutputMap(top)) {
    const stacks = Object.keys(top).filter((key) => isOutputMap(top[key]));
    if (stacks.length === 0) throw new Error(`the outputs file holds none of the status outputs (${STATUS_OUTPUTS.join(', ')})`);
    if (!stacks.includes(environment)) {
      throw new Error(`the outputs file holds the outputs of ${stacks.map((s) => `"${s}"`).join(', ')}, not of "${environment}"`);
    }
    return unwrap(top[environment] as Record<string, unknown>);
  }
  return unwrap(top);
}

/** `terraform output -json` wraps each value as `{ sensitive, type, value }`; cdktf does not. */
function unwrap(outputs: Record<string, unknown>): Record<string, unknown> {
  const result: Record<string, unknown> = {};
  for (const [name, entry] of Object.entries(outputs)) {
    const wrapped =
      typeof entry === 'object' && entry !== null && 'value' in entry && Object.keys(entry).every((k) => ['sensitive', 'type', 'value'].includes(k));
    result[name] = wrapped ? (entry as { value: unknown }).value : entry;
  }
  return result;
}

/**
 * Every failed rule, one line each, prefixed with the environment: first the
 * contract, then (when the contract holds) the environment's rules.
 */
export function checkStatusOutputs(environment: CheckedEnvironment, outputs: Readonly<Record<string, unknown>>): string[] {
  const env = environment.name;
  const contract = checkStatusContract(outputs);
  if (contract.length > 0) return contract.map((line) => `${env}: contract: ${line}`);
  return checkEnvironmentRules(environment, outputs as unknown as StatusOutputs).map((line) => `${env}: ${line}`);
}

/** The environment's rules over outputs that satisfy the contract. */
export function checkEnvironmentRules(environment: CheckedEnvironment, outputs: StatusOutputs): string[] {
  const failures: string[] = [];
  const fail = (rule: string, where: string, value: unknown, expected: string): void => {
    failures.push(`${rule}: ${where} is ${JSON.stringify(value)}; ${expected}`);
  };

  // The outputs are this environment's.
  for (const name of STATUS_OUTPUTS) {
    if (outputs[name].environment !== environment.name) {
      fail('same environment', `${name}.environment`, outputs[name].environment, `expected "${environment.name}"`);
    }
  }
  const multi = outputs.multi_environment_status;
  if (multi.tier !== environment.tier) fail('same environment', 'multi_environment_status.tier', multi.tier, `expected "${environment.tier}"`);
  if (multi.revision !== environment.gitops.revision) {
    fail('same environment', 'multi_environment_status.revision', multi.revision, `expected "${environment.gitops.revision}"`);
  }
  const enterprise = outputs.enterprise_gitops_status;
  const modules = [...environment.modules].sort().join(',');
  if ([...enterprise.modules_enabled].sort().join(',') !== modules) {
    fail('same modules', 'enterprise_gitops_status.modules_enabled', enterprise.modules_enabled, `expected ${JSON.stringify([...environment.modules])}`);
  }

  // Disaster recovery: a standby reads its primary's backups and holds its sync; a primary writes them.
  const recovery = multi.recovery;
  const standby = environment.recovery?.standby;
  if (environment.modules.includes('recovery') && !recovery) {
    fail('recovery', 'multi_environment_status.recovery', null, 'expected the recovery section (the recovery module is on)');
  }
  if (recovery && standby) {
    if (recovery.role !== 'standby') fail('recovery', 'multi_environment_status.recovery.role', recovery.role, 'expected "standby"');
    if (recovery.stands_in_for !== standby.for) fail('recovery', 'multi_environment_status.recovery.stands_in_for', recovery.stands_in_for, `expected "${standby.for}"`);
    if (recovery.backup_location.access_mode !== 'ReadOnly') {
      fail('recovery', 'multi_environment_status.recovery.backup_location.access_mode', recovery.backup_location.access_mode, 'a standby must only read its primary\'s backups');
    }
    if (!recovery.sync_held) fail('recovery', 'multi_environment_status.recovery.sync_held', recovery.sync_held, 'a standby holds its sync until it is promoted');
  } else if (recovery) {
    if (recovery.role !== 'primary') fail('recovery', 'multi_environment_status.recovery.role', recovery.role, 'expected "primary"');
    if (recovery.backup_location.access_mode !== 'ReadWrite') {
      fail('recovery', 'multi_environment_status.recovery.backup_location.access_mode', recovery.backup_location.access_mode, 'a primary writes its backups');
    }
  }

  // Every controller release is deployed, and the bootstrap release after them.
  if (enterprise.controllers.length === 0 && environment.modules.length > 0) {
    fail('controllers deployed', 'enterprise_gitops_status.controllers', [], 'expected a release per enabled module');
  }
  enterprise.controllers.forEach((controller, i) => {
    if (controller.status !== DEPLOYED) {
      fail('controllers deployed', `enterprise_gitops_status.controllers[${i}] (${controller.release}) status`, controller.status, `every controller release must be "${DEPLOYED}"`);
    }
  });
  const bootstrap = outputs.advanced_automation_status.bootstrap;
  if (bootstrap && bootstrap.status !== DEPLOYED) {
    fail('controllers deployed', `advanced_automation_status.bootstrap (${bootstrap.release}) status`, bootstrap.status, `the bootstrap release must be "${DEPLOYED}"`);
  }

  if (environment.tier === 'production') failures.push(...productionRules(outputs));
  return failures;
}

function productionRules(outputs: StatusOutputs): string[] {
  const failures: string[] = [];
  const fail = (rule: string, where: string, value: unknown, expected: string): void => {
    failures.push(`production ${rule}: ${where} is ${JSON.stringify(value)}; ${expected}`);
  };

  // No automated prune: deletions wait for a person.
  const sync = outputs.advanced_automation_status.sync_policy;
  if (sync.automated && sync.prune) fail('no automated prune', 'advanced_automation_status.sync_policy.prune', sync.prune, 'production must not prune automatically');
  const appOfApps = outputs.gitops_patterns_status.argocd?.app_of_apps;
  if (appOfApps && appOfApps.automated && appOfApps.prune) {
    fail('no automated prune', 'gitops_patterns_status.argocd.app_of_apps.prune', appOfApps.prune, 'the root application must not prune automatically');
  }
  (outputs.gitops_patterns_status.flux?.sync?.kustomizations ?? []).forEach((k, i) => {
    if (k.prune) fail('no automated prune', `gitops_patterns_status.flux.sync.kustomizations[${i}] (${k.name}).prune`, k.prune, 'Flux must not prune automatically');
  });

  // Policies deny.
  const enforcement = outputs.gitops_security_status.policy_enforcement;
  if (enforcement !== 'deny') fail('policies deny', 'gitops_security_status.policy_enforcement', enforcement, 'expected "deny"');

  // No local admin.
  const argocdSecurity = outputs.gitops_security_status.argocd;
  if (argocdSecurity && argocdSecurity.admin_enabled !== false) {
    fail('no local admin', 'gitops_security_status.argocd.admin_enabled', argocdSecurity.admin_enabled, 'the Argo CD admin account must be disabled (SSO only)');
  }

  // Highly available replicas.
  const enterprise = outputs.enterprise_gitops_status;
  if (!enterprise.high_availability) fail('HA replicas', 'enterprise_gitops_status.high_availability', enterprise.high_availability, 'expected true');
  if (enterprise.controller_replicas < 2) fail('HA replicas', 'enterprise_gitops_status.controller_replicas', enterprise.controller_replicas, 'expected at least 2');
  const argocd = outputs.gitops_patterns_status.argocd;
  if (argocd && argocd.replicas < 2) fail('HA replicas', 'gitops_patterns_status.argocd.replicas', argocd.replicas, 'expected at least 2');
  const gatekeeper = outputs.gitops_security_status.security?.gatekeeper;
  if (gatekeeper?.replicas !== undefined && gatekeeper.replicas < 2) {
    fail('HA replicas', 'gitops_security_status.security.gatekeeper.replicas', gatekeeper.replicas, 'expected at least 2');
  }
  const monitoring = enterprise.monitoring;
  if (monitoring?.prometheus_replicas !== undefined && monitoring.prometheus_replicas < 2) {
    fail('HA replicas', 'enterprise_gitops_status.monitoring.prometheus_replicas', monitoring.prometheus_replicas, 'expected at least 2');
  }
  return failures;
}
