import { Lazy } from 'cdk8s';
import { Construct } from 'constructs';
import { KubeConfigMap } from 'cdk8s-plus-27/lib/imports/k8s';
import { ConfigError } from '../../platform/errors';
import { toYaml } from '../../platform/yaml';

/** Falco rule priorities. */
export type FalcoPriority = 'EMERGENCY' | 'ALERT' | 'CRITICAL' | 'ERROR' | 'WARNING' | 'NOTICE' | 'INFORMATIONAL' | 'DEBUG';

/** The event source a Falco rule reads: system calls (the driver) or Kubernetes audit events (the k8saudit plugin). */
export type FalcoSource = 'syscall' | 'k8s_audit';

/** One Falco rule, in Falco's field names. */
export interface FalcoRule {
  /** The rule name. */
  readonly rule: string;
  /** What it detects. */
  readonly desc: string;
  /** The Falco condition. */
  readonly condition: string;
  /** The alert text, with Falco fields (`%user.name`). */
  readonly output: string;
  /** The priority. */
  readonly priority: FalcoPriority;
  /** Tags. */
  readonly tags: readonly string[];
  /**
   * The event source. A rule reading `ka.*` fields needs `k8s_audit`: Falco
   * refuses to load it as a system-call rule.
   * @default 'syscall'
   */
  readonly source?: FalcoSource;
}

/**
 * The rules as a Falco rules file (YAML, one list item per rule), with
 * duplicate names refused.
 */
export function falcoRulesFile(where: string, rules: readonly FalcoRule[]): string {
  const names = new Set<string>();
  for (const r of rules) {
    if (names.has(r.rule)) throw new ConfigError(where, 'rules', r.rule, 'Give each rule a unique name.');
    names.add(r.rule);
  }
  return toYaml(rules.map((r) => ({ ...r, tags: [...r.tags] })));
}

/** The host-and-path part of a repository prefix, as it appears in a `git clone` command line. */
export function repositoryMatchString(prefix: string): string {
  return prefix.replace(/^[a-z]+:\/\//, '');
}

/**
 * Seed 001 "Unauthorized GitOps Repository Access": git, argocd or flux
 * cloning from a repository outside the allowed prefixes.
 */
export function unauthorizedRepositoryAccessRule(allowedPrefixes: readonly string[]): FalcoRule {
  if (allowedPrefixes.length === 0) {
    throw new ConfigError('unauthorizedRepositoryAccessRule', 'allowedPrefixes', allowedPrefixes, 'List the allowed repository prefixes.');
  }
  const allowed = allowedPrefixes.map((p) => `not proc.args contains "${repositoryMatchString(p)}"`);
  return {
    rule: 'Unauthorized GitOps Repository Access',
    desc: 'Detect access to unauthorized Git repositories',
    condition: ['spawned_process', 'proc.name in (git, argocd, flux)', 'proc.args contains "clone"', ...allowed].join(' and '),
    output: 'Unauthorized repository access detected (user=%user.name command=%proc.cmdline repository=%proc.args)',
    priority: 'WARNING',
    tags: ['gitops', 'security', 'compliance'],
  };
}

/** Options for {@link gitopsDriftRule}. */
export interface GitOpsDriftRuleOptions {
  /** Users allowed to change GitOps-managed resources (the controllers' service accounts). */
  readonly controllerUsers: readonly string[];
  /** Namespaces not watched (Kubernetes' own and the Terraform-installed controllers'). */
  readonly ignoredNamespaces: readonly string[];
}

/**
 * Seed 001 "GitOps Configuration Drift": a create, update, patch or delete of
 * a Deployment, Service, ConfigMap or Secret by anyone but the GitOps
 * controllers, in a namespace GitOps manages (Kubernetes audit events).
 * It reads the k8saudit plugin's fields, so its source is `k8s_audit`. The
 * seed's condition starts with `k8s_audit`, which no Falco rules file
 * defines; the rule uses the k8saudit rules' `kevt` macro instead (events at
 * the `ResponseComplete` stage), so `k8s_audit_rules.yaml` loads before it.
 */
export function gitopsDriftRule(options: GitOpsDriftRuleOptions): FalcoRule {
  return {
    rule: 'GitOps Configuration Drift',
    desc: 'Detect manual changes to GitOps-managed resources',
    condition: [
      'kevt',
      'ka.verb in (create, update, patch, delete)',
      'ka.target.resource in (deployments, services, configmaps, secrets)',
      `not ka.user.name in (${[...options.controllerUsers].sort().join(', ')})`,
      `not ka.target.namespace in (${[...options.ignoredNamespaces].sort().join(', ')})`,
    ].join(' and '),
    output: 'Manual change detected to GitOps-managed resource (user=%ka.user.name verb=%ka.verb resource=%ka.target.resource/%ka.target.name namespace=%ka.target.namespace)',
    priority: 'WARNING',
    tags: ['gitops', 'drift', 'compliance'],
    source: 'k8s_audit',
  };
}

/** Options for {@link FalcoRules}. */
export interface FalcoRulesProps {
  /** Falco's namespace. @default 'falco-system' */
  readonly namespace?: string;
  /** The ConfigMap name. @default 'falco-gitops-rules' */
  readonly name?: string;
  /** The rules, or a function producing them at synthesis (when they depend on the whole stack). */
  readonly rules: readonly FalcoRule[] | (() => readonly FalcoRule[]);
}

/**
 * The GitOps Falco rules as a ConfigMap (`gitops_rules.yaml`), for a Falco
 * installed outside the platform (mount it as an extra rules file). The
 * platform's own Falco (`Falco`, `security.falco`) loads the rules
 * through its chart's `customRules` instead and needs no ConfigMap.
 */
export class FalcoRules extends Construct {
  /** The ConfigMap. */
  public readonly configMap: KubeConfigMap;
  private readonly rules: () => readonly FalcoRule[];

  constructor(scope: Construct, id: string, props: FalcoRulesProps) {
    super(scope, id);
    const source = typeof props.rules === 'function' ? props.rules : (): readonly FalcoRule[] => props.rules as readonly FalcoRule[];
    this.rules = source;
    this.configMap = new KubeConfigMap(this, 'Resource', {
      metadata: { name: props.name ?? 'falco-gitops-rules', namespace: props.namespace ?? 'falco-system' },
      data: Lazy.any({
        produce: () => ({ 'gitops_rules.yaml': falcoRulesFile(this.node.path, source()) }),
      }),
    });
  }

  /** The rule names (rules given as a function are produced now). */
  public ruleNames(): string[] {
    return this.rules().map((r) => r.rule);
  }
}
