/**
 * The rules of the configuration boundary that a schema cannot say: limits
 * (whole numbers within sane bounds, cron fields in range, durations in order,
 * label and annotation syntax), uniqueness (one name per list, no name the
 * platform owns), intent (no settings for a module that is off; production
 * does not deny policies with the security module off) and no secret in any
 * value. Each rule throws one {@link ConfigError} with the path in the config.
 */
import { Annotations, DISABLE_STACK_TRACE_IN_METADATA } from 'cdktf';
import { Construct } from 'constructs';
import type { ModuleName } from '../environment';
import { ConfigError } from '../errors';
import { isPlainObject } from '../plain-object';
import { detectSecret } from '../secret-detector';
import { formatPath } from './plain-view';
import { checkAnnotations, checkLabels } from './kubernetes-syntax';

type Path = readonly (string | number)[];

/**
 * The parts of an environment config the rules read. Structural, so the rules
 * hold wherever the full `EnvironmentConfig` type is composed; everything else
 * is reached by walking the value.
 */
export interface CheckedConfig {
  readonly name: string;
  readonly tier: string;
  readonly modules: readonly string[];
  readonly policyEnforcement: string;
  readonly syncPolicy: { readonly retry: { readonly backoffDuration: string; readonly backoffMaxDuration: string } };
  readonly argocd?: { readonly teams?: ReadonlyArray<{ readonly name: string; readonly namespaces?: readonly string[] }> };
  readonly flux?: { readonly tenants?: ReadonlyArray<{ readonly name: string }> };
}

/** Throws the rule's {@link ConfigError} for a value at a path of the config. */
type Fail = (path: Path | string, value: unknown, fix: string) => never;

/** A rule over the whole environment; `fail` throws. */
export interface ConfigRule {
  /** A stable id, used in tests and documentation. */
  readonly id: string;
  /** What the rule asks, in one line. */
  readonly description: string;
  /** Checks what the rule reads of the config as a whole. */
  check?(config: CheckedConfig, fail: Fail): void;
  /**
   * Checks one plain value of the config, at `path` (a list the walk reuses:
   * copy it to keep it). Every value is visited, parents first, in one walk
   * that all such rules share.
   */
  visit?(value: unknown, path: Path, fail: Fail): void;
}

/** The settings key of each module in `EnvironmentConfig`. */
export const MODULE_SETTINGS: Readonly<Record<ModuleName, string>> = {
  argocd: 'argocd',
  flux: 'flux',
  'jenkins-x': 'jenkinsX',
  monitoring: 'monitoring',
  security: 'security',
  delivery: 'delivery',
  recovery: 'recovery',
};

/** Namespaces the platform's controllers (or Kubernetes itself) own: no team, tenant or user namespace may take them. */
export const PLATFORM_NAMESPACES = [
  'argo-rollouts',
  'argocd',
  'cert-manager',
  'default',
  'external-secrets',
  'falco-system',
  'flux-system',
  'gatekeeper-system',
  'istio-system',
  'jx',
  'jx-git-operator',
  'kube-node-lease',
  'kube-public',
  'kube-system',
  'monitoring',
  'opencost',
  'sealed-secrets',
  'trivy-system',
  'velero',
] as const;

/** Argo CD AppProjects the platform owns. */
export const PLATFORM_PROJECTS = ['default', 'platform'] as const;

/** Numbers that must be whole, with their sane bounds, by the last key of their path. */
const WHOLE_NUMBERS: ReadonlyArray<{ readonly key: RegExp; readonly min: number; readonly max: number; readonly what: string }> = [
  { key: /replicas$/i, min: 1, max: 100, what: 'a replica count' },
  { key: /^backoffFactor$/, min: 1, max: 10, what: 'a backoff factor (Argo CD takes a whole number)' },
  { key: /^limit$/, min: 0, max: 100, what: 'a retry limit' },
  { key: /^nodes$/, min: 1, max: 10000, what: 'a node count' },
  { key: /^port$/, min: 1, max: 65535, what: 'a port' },
  { key: /Seconds$/, min: 1, max: 86400, what: 'a number of seconds' },
  { key: /Revision$/, min: 1, max: 1000000, what: 'a revision' },
  { key: /^order$/, min: 0, max: 1000, what: 'an order' },
];

/**
 * Whether a config path holds a cron expression: a field named `cron` or
 * ending in `schedule`, except a standby's `schedule`, which names the
 * primary's backup schedule.
 */
function isCronField(path: Path): boolean {
  const key = lastKey(path);
  if (key === 'cron') return true;
  return /schedule$/i.test(key) && path[path.length - 2] !== 'standby';
}

/**
 * A rule over every map of Kubernetes metadata (labels, annotations) in the
 * config: a plain object under a key matching `key`, checked by `check`.
 */
function metadataMapRule(
  id: string,
  description: string,
  key: RegExp,
  check: (map: Record<string, unknown>) => { readonly key?: string; readonly value: unknown; readonly fix: string } | undefined,
): ConfigRule {
  return {
    id,
    description,
    visit(value, path, fail) {
      if (!isPlainObject(value) || !key.test(lastKey(path)) || typeof path[path.length - 1] !== 'string') return;
      const problem = check(value);
      if (problem) fail([...path, ...(problem.key === undefined ? [] : [problem.key])], problem.value, problem.fix);
    },
  };
}

/**
 * Visits every plain value of the config, parents first (class instances are
 * checked by their own factories). The path is one list, grown and shrunk as
 * the walk goes.
 */
function walk(value: unknown, visit: (value: unknown, path: Path) => void, path: Array<string | number> = []): void {
  visit(value, path);
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      path.push(i);
      walk(value[i], visit, path);
      path.pop();
    }
  } else if (value !== null && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    const record = value as Record<string, unknown>;
    const keys = Object.keys(record);
    for (let k = 0; k < keys.length; k++) {
      path.push(keys[k]);
      walk(record[keys[k]], visit, path);
      path.pop();
    }
  }
}

const lastKey = (path: Path): string => {
  for (let i = path.length - 1; i >= 0; i--) if (typeof path[i] === 'string') return path[i] as string;
  return '';
};

/** Cron fields: minute, hour, day of month, month, day of week. */
const CRON_FIELDS: ReadonlyArray<{ readonly name: string; readonly min: number; readonly max: number; readonly names?: readonly string[] }> = [
  { name: 'minute', min: 0, max: 59 },
  { name: 'hour', min: 0, max: 23 },
  { name: 'day of month', min: 1, max: 31 },
  { name: 'month', min: 1, max: 12, names: ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'] },
  { name: 'day of week', min: 0, max: 7, names: ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] },
];

/** The problem of a five-field cron expression, or undefined. */
export function cronProblem(expression: string): string | undefined {
  if (/^@(yearly|annually|monthly|weekly|daily|midnight|hourly)$/.test(expression)) return undefined;
  const fields = expression.trim().split(/\s+/);
  if (fields.length !== 5) return `a cron expression has 5 fields (minute hour day-of-month month day-of-week), this one has ${fields.length}`;
  for (let i = 0; i < 5; i++) {
    const spec = CRON_FIELDS[i];
    for (const part of fields[i].split(',')) {
      const m = /^(\*|([a-z0-9]+)(?:-([a-z0-9]+))?)(?:\/(\d+))?$/i.exec(part);
      if (!m) return `the ${spec.name} field "${fields[i]}" is not a number, range, list or step`;
      const toNumber = (token: string): number => {
        const named = spec.names?.indexOf(token.toLowerCase()) ?? -1;
        if (named >= 0) return named + (spec.name === 'month' ? 1 : 0);
        return /^\d+$/.test(token) ? Number(token) : NaN;
      };
      for (const token of [m[2], m[3]].filter((t): t is string => t !== undefined)) {
        const n = toNumber(token);
        if (!(n >= spec.min && n <= spec.max)) return `the ${spec.name} field "${fields[i]}" is outside ${spec.min}-${spec.max}`;
      }
      if (m[4] !== undefined && (Number(m[4]) < 1 || Number(m[4]) > spec.max)) return `the ${spec.name} step "/${m[4]}" is outside 1-${spec.max}`;
      if (m[3] !== undefined && toNumber(m[2]) > toNumber(m[3])) return `the ${spec.name} range "${part}" runs backwards`;
    }
  }
  return undefined;
}

/**
 * A Go duration (`1h30m`, `5s`, `500ms`) in milliseconds, or undefined. The
 * micro sign is written as an escape: the app's bundle stays ASCII (see
 * `scripts/run-app.cjs`).
 */
export function durationMs(value: string): number | undefined {
  const units: Record<string, number> = { ns: 1e-6, us: 1e-3, '\u00b5s': 1e-3, ms: 1, s: 1000, m: 60000, h: 3600000 };
  if (!/^(\d+(\.\d+)?(ns|us|\u00b5s|ms|s|m|h))+$/.test(value)) return undefined;
  let total = 0;
  for (const m of value.matchAll(/(\d+(?:\.\d+)?)(ns|us|\u00b5s|ms|s|m|h)/g)) total += Number(m[1]) * units[m[2]];
  return total;
}

/** The rules, in the order they run. */
export const CONFIG_RULES: readonly ConfigRule[] = [
  {
    id: 'intent.production-security',
    description: 'A production-tier environment that denies policy violations runs the security module.',
    check(config, fail) {
      if (config.tier === 'production' && config.policyEnforcement === 'deny' && !config.modules.includes('security')) {
        fail(
          ['modules'],
          config.modules,
          'Production enforces policies with "deny", but the security module (Gatekeeper, the policy library, secret stores) is off: add "security" to modules.',
        );
      }
    },
  },
  {
    id: 'limits.whole-numbers',
    description: 'Replicas, factors, limits, ports, seconds and revisions are whole numbers within sane bounds.',
    visit(value, path, fail) {
      if (typeof value !== 'number') return;
      const key = lastKey(path);
      const rule = WHOLE_NUMBERS.find((r) => r.key.test(key));
      if (!rule) return;
      if (!Number.isInteger(value) || value < rule.min || value > rule.max) {
        fail(path, value, `Use ${rule.what}: a whole number from ${rule.min} to ${rule.max}.`);
      }
    },
  },
  {
    id: 'limits.cron',
    description: 'Every schedule is a five-field cron expression with each field in range.',
    visit(value, path, fail) {
      if (typeof value !== 'string' || !isCronField(path)) return;
      const problem = cronProblem(value);
      if (problem) fail(path, value, `Use a cron expression such as "0 2 * * *": ${problem}.`);
    },
  },
  {
    id: 'limits.durations-ordered',
    description: 'The maximum retry backoff is at least the initial backoff.',
    check(config, fail) {
      const retry = config.syncPolicy.retry;
      const initial = durationMs(retry.backoffDuration);
      const maximum = durationMs(retry.backoffMaxDuration);
      if (initial !== undefined && maximum !== undefined && maximum < initial) {
        fail(
          ['syncPolicy', 'retry', 'backoffMaxDuration'],
          retry.backoffMaxDuration,
          `The maximum backoff is shorter than the initial one (syncPolicy.retry.backoffDuration "${retry.backoffDuration}"): make it at least as long.`,
        );
      }
    },
  },
  metadataMapRule('limits.labels', 'Label keys and values follow the Kubernetes syntax (prefix up to 253, name and value up to 63 characters).', /labels$/i, checkLabels),
  metadataMapRule('limits.annotations', 'Annotation keys follow the Kubernetes syntax; values are strings; all of them together stay under 256 KiB.', /annotations$/i, checkAnnotations),
  {
    id: 'uniqueness.names',
    description: 'The entries of a list that have names have distinct names.',
    visit(value, path, fail) {
      if (!Array.isArray(value)) return;
      const seen = new Map<string, number>();
      value.forEach((item, i) => {
        if (!isPlainObject(item) || typeof item.name !== 'string') return;
        const first = seen.get(item.name);
        if (first !== undefined) {
          fail([...path, i, 'name'], item.name, `${formatPath([...path, first, 'name'])} has that name already: each entry needs its own name.`);
        }
        seen.set(item.name, i);
      });
    },
  },
  {
    id: 'uniqueness.platform-names',
    description: 'No team, tenant or namespace takes a name the platform owns (controller namespaces, the platform projects, the root app-of-apps).',
    check(config, fail) {
      const reserved = (name: string): boolean => (PLATFORM_NAMESPACES as readonly string[]).includes(name);
      (config.argocd?.teams ?? []).forEach((team, i) => {
        if (reserved(team.name) || (PLATFORM_PROJECTS as readonly string[]).includes(team.name) || team.name === `${config.name}-root`) {
          fail(['argocd', 'teams', i, 'name'], team.name, `The platform owns that name (${platformOwner(team.name, config.name)}): choose another team name.`);
        }
        (team.namespaces ?? []).forEach((ns, j) => {
          if (reserved(ns)) fail(['argocd', 'teams', i, 'namespaces', j], ns, `The platform owns that namespace (${platformOwner(ns, config.name)}): choose another.`);
        });
      });
      (config.flux?.tenants ?? []).forEach((tenant, i) => {
        if (reserved(tenant.name)) {
          fail(['flux', 'tenants', i, 'name'], tenant.name, `The platform owns that name (${platformOwner(tenant.name, config.name)}): choose another tenant name.`);
        }
      });
    },
  },
  {
    id: 'secrets.none-in-config',
    description: 'No value of the config is a secret: secrets come from sensitive Terraform variables, ExternalSecrets or SealedSecrets.',
    visit(value, path, fail) {
      if (typeof value !== 'string') return;
      const finding = detectSecret(value, formatPath(path));
      if (finding) fail(path, value, `${SECRET_CHANNELS} Remove the value from the config.`);
    },
  },
];

/** Where secrets go instead of a file (used by every secret message). */
export const SECRET_CHANNELS =
  'Secrets never go into the Terraform JSON or the GitOps tree: pass them as a sensitive Terraform variable (TF_VAR_..., set_sensitive), or keep them in the secret store and reference them with an ExternalSecret, or commit them encrypted as a SealedSecret.';

function platformOwner(name: string, environment: string): string {
  if (name === `${environment}-root`) return "the root app-of-apps' Application";
  if ((PLATFORM_PROJECTS as readonly string[]).includes(name) && !(PLATFORM_NAMESPACES as readonly string[]).includes(name)) return 'an Argo CD project of the platform';
  if (name === 'default') return "Kubernetes' default namespace and Argo CD's default project";
  return name.startsWith('kube-') ? 'a Kubernetes system namespace' : 'a controller namespace';
}

/**
 * Settings of a module that is off are ignored, and said so: one warning per
 * module, printed by synthesis (a warning and not an error, so one shared
 * base config can serve environments that turn modules on and off).
 */
export function moduleOffWarnings(config: CheckedConfig): string[] {
  const warnings: string[] = [];
  for (const [module, key] of Object.entries(MODULE_SETTINGS)) {
    if ((config as unknown as Record<string, unknown>)[key] === undefined || config.modules.includes(module)) continue;
    warnings.push(`[config] Environment "${config.name}": ${key} is set, but the ${module} module is off, so these settings are ignored: add "${module}" to modules, or remove ${key}.`);
  }
  return warnings;
}

/** Adds {@link moduleOffWarnings} to `scope` as synth warnings (printed by `cdktf synth`). */
export function warnIgnoredSettings(scope: Construct, config: CheckedConfig): void {
  const ignored = moduleOffWarnings(config);
  if (ignored.length === 0) return;
  const warnings = new Construct(scope, 'ConfigWarnings');
  warnings.node.setContext(DISABLE_STACK_TRACE_IN_METADATA, true);
  for (const warning of ignored) Annotations.of(warnings).addWarning(warning);
}

/**
 * Runs every {@link CONFIG_RULES} rule and throws at the first problem: the
 * first rule's, in the order they are listed, and of that rule the first in
 * the walk. The rules that visit values share one walk of the config; each
 * one's first problem is kept until its turn.
 */
export function checkEnvironmentRules(config: CheckedConfig): void {
  const where = `Environment "${config.name}"`;
  const fail = (path: Path | string, value: unknown, fix: string): never => {
    throw new ConfigError(where, typeof path === 'string' ? path : formatPath(path), value, fix);
  };
  const found = new Map<ConfigRule, ConfigError>();
  const visiting = CONFIG_RULES.filter((rule) => rule.visit !== undefined);
  walk(config, (value, path) => {
    for (let i = 0; i < visiting.length; i++) {
      const rule = visiting[i];
      if (found.has(rule)) continue;
      try {
        rule.visit!(value, path, fail);
      } catch (error) {
        if (!(error instanceof ConfigError)) throw error;
        found.set(rule, error);
      }
    }
  });
  for (const rule of CONFIG_RULES) {
    rule.check?.(config, fail);
    const problem = found.get(rule);
    if (problem) throw problem;
  }
}
