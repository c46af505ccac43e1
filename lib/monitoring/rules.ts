import { Lazy, ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { ConfigError } from '../platform/errors';
import {
  PrometheusRule as PrometheusRuleResource,
  PrometheusRuleSpecGroups,
  PrometheusRuleSpecGroupsRules,
  PrometheusRuleSpecGroupsRulesExpr,
} from '../imports/monitoring.coreos.com';
import { checkDuration, checkPromQL } from './promql';
import { checkProps } from '../platform/config-boundary/props';

/** How urgent an alert is; Alertmanager routes on the `severity` label. */
export class Severity {
  /** Someone must act now: paged (PagerDuty where configured). */
  public static readonly CRITICAL = new Severity('critical');
  /** Needs attention during working hours: chat and e-mail. */
  public static readonly WARNING = new Severity('warning');
  /** For dashboards and inhibition only; never notifies on its own. */
  public static readonly INFO = new Severity('info');

  private constructor(
    /** The `severity` label value. */
    public readonly value: string,
  ) {}
}

/**
 * The self-healing action an alert asks for, as its `automation` label.
 * Alertmanager sends alerts carrying one to the remediation webhook (see
 * `RemediationWebhook`), which starts the matching workflow.
 */
export class RemediationAction {
  /** Roll the workload back to its previous revision (the seeds' `HighErrorRate`). */
  public static readonly AUTO_ROLLBACK = new RemediationAction('auto-rollback');
  /** Scale the workload out (the seeds' `HighMemoryUsage`). */
  public static readonly AUTO_SCALE = new RemediationAction('auto-scale');

  /** Another action understood by your remediation workflow (lowercase words joined by `-`). */
  public static custom(value: string): RemediationAction {
    if (!/^[a-z][a-z0-9]*(-[a-z0-9]+)*$/.test(value)) {
      throw new ConfigError('RemediationAction', 'automation', value, 'Use lowercase words joined by "-", such as "auto-restart".');
    }
    return new RemediationAction(value);
  }

  /** The label that carries the action. */
  public static readonly LABEL = 'automation';

  private constructor(
    /** The `automation` label value. */
    public readonly value: string,
  ) {}
}

/** Options for {@link Rule.alert}. */
export interface AlertRuleOptions {
  /** The alert name (`ArgoCDAppSyncFailed`). */
  readonly name: string;
  /** The PromQL condition; every series it returns is an alert. */
  readonly expr: string;
  /** How long the condition must hold before the alert fires. @default - fires at the first evaluation */
  readonly for?: string;
  /** How long the alert keeps firing after the condition clears. @default - stops at once */
  readonly keepFiringFor?: string;
  /** How urgent it is. */
  readonly severity: Severity;
  /** The self-healing action it triggers. @default - none, people are notified only */
  readonly automation?: RemediationAction;
  /** One-line summary (a Prometheus template: `{{ $labels.name }}`, `{{ $value }}`). */
  readonly summary: string;
  /** Longer description (a Prometheus template). @default - none */
  readonly description?: string;
  /** Link to the runbook. @default - none */
  readonly runbookUrl?: string;
  /** Extra labels. `severity` and `automation` are set from the props above. @default {} */
  readonly labels?: Readonly<Record<string, string>>;
  /** Extra annotations. @default {} */
  readonly annotations?: Readonly<Record<string, string>>;
}

/** Options for {@link Rule.record}. */
export interface RecordingRuleOptions {
  /** The name of the series to record (`slo:sli_error:ratio_rate5m`). */
  readonly record: string;
  /** The PromQL expression to record. */
  readonly expr: string;
  /** Labels added to the recorded series. @default {} */
  readonly labels?: Readonly<Record<string, string>>;
}

const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;
const METRIC_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;

/** An alerting or recording rule. */
export class Rule {
  /** An alerting rule. */
  public static alert(options: AlertRuleOptions): Rule {
    return new Rule(options, undefined);
  }

  /** A recording rule. */
  public static record(options: RecordingRuleOptions): Rule {
    return new Rule(undefined, options);
  }

  private constructor(
    private readonly alertOptions: AlertRuleOptions | undefined,
    private readonly recordOptions: RecordingRuleOptions | undefined,
  ) {}

  /** The alert name or the recorded series name. */
  public get name(): string {
    return this.alertOptions ? this.alertOptions.name : this.recordOptions!.record;
  }

  /** Whether this is an alerting rule. */
  public get isAlert(): boolean {
    return this.alertOptions !== undefined;
  }

  /** The PromQL expression. */
  public get expr(): string {
    return this.alertOptions ? this.alertOptions.expr : this.recordOptions!.expr;
  }

  /** The labels the rule sets, including `severity` and `automation` for alerts. */
  public get labels(): Record<string, string> {
    if (!this.alertOptions) return { ...(this.recordOptions!.labels ?? {}) };
    const a = this.alertOptions;
    return {
      ...(a.labels ?? {}),
      severity: a.severity.value,
      ...(a.automation ? { [RemediationAction.LABEL]: a.automation.value } : {}),
    };
  }

  /** The remediation action of an alert, if any. */
  public get automation(): RemediationAction | undefined {
    return this.alertOptions?.automation;
  }

  /** The severity of an alert (`undefined` for recording rules). */
  public get severity(): Severity | undefined {
    return this.alertOptions?.severity;
  }

  /** Checks the rule; `field` prefixes the field names in errors. */
  public validate(where: string, field: string): void {
    checkPromQL(where, `${field}.expr`, this.expr);
    if (this.alertOptions) {
      const a = this.alertOptions;
      if (typeof a.name !== 'string' || !/^[A-Za-z][A-Za-z0-9_:-]*$/.test(a.name)) {
        throw new ConfigError(where, `${field}.name`, a.name, 'Name the alert in UpperCamelCase, such as "ArgoCDAppSyncFailed".');
      }
      if (a.for !== undefined) checkDuration(where, `${field}.for`, a.for);
      if (a.keepFiringFor !== undefined) checkDuration(where, `${field}.keepFiringFor`, a.keepFiringFor);
      if (typeof a.summary !== 'string' || a.summary.trim() === '') {
        throw new ConfigError(where, `${field}.summary`, a.summary, 'Give every alert a one-line summary for the notification.');
      }
      for (const reserved of ['severity', RemediationAction.LABEL]) {
        if (a.labels && reserved in a.labels) {
          throw new ConfigError(where, `${field}.labels.${reserved}`, a.labels[reserved], `Set ${reserved} with the "${reserved === 'severity' ? 'severity' : 'automation'}" prop, not as a label.`);
        }
      }
      const annotations = { ...(a.annotations ?? {}), summary: a.summary, ...(a.description ? { description: a.description } : {}) };
      for (const [key, value] of Object.entries(annotations)) checkTemplate(where, `${field}.annotations.${key}`, value);
      if (a.runbookUrl !== undefined && !/^https:\/\/\S+$/.test(a.runbookUrl)) {
        throw new ConfigError(where, `${field}.runbookUrl`, a.runbookUrl, 'Use an https:// URL.');
      }
    } else {
      const r = this.recordOptions!;
      if (typeof r.record !== 'string' || !METRIC_NAME.test(r.record)) {
        throw new ConfigError(where, `${field}.record`, r.record, 'Use a valid metric name such as "slo:sli_error:ratio_rate5m".');
      }
    }
    for (const name of Object.keys(this.labels)) {
      if (!LABEL_NAME.test(name)) {
        throw new ConfigError(where, `${field}.labels`, name, 'Label names are letters, digits and underscores, not starting with a digit.');
      }
    }
  }

  /** The rule as the PrometheusRule CRD expects it. */
  public toResource(): PrometheusRuleSpecGroupsRules {
    const labels = this.labels;
    const hasLabels = Object.keys(labels).length > 0;
    if (!this.alertOptions) {
      return {
        record: this.recordOptions!.record,
        expr: PrometheusRuleSpecGroupsRulesExpr.fromString(this.expr),
        labels: hasLabels ? labels : undefined,
      };
    }
    const a = this.alertOptions;
    return {
      alert: a.name,
      expr: PrometheusRuleSpecGroupsRulesExpr.fromString(a.expr),
      for: a.for,
      keepFiringFor: a.keepFiringFor,
      labels,
      annotations: {
        ...(a.annotations ?? {}),
        summary: a.summary,
        ...(a.description ? { description: a.description } : {}),
        ...(a.runbookUrl ? { runbook_url: a.runbookUrl } : {}),
      },
    };
  }
}

/** Options for a group of rules evaluated together. */
export interface RuleGroupOptions {
  /** Group name, unique in its PrometheusRule (`argocd.rules`). */
  readonly name: string;
  /** The rules, evaluated in order. */
  readonly rules: readonly Rule[];
  /** How often the group is evaluated. @default - Prometheus' evaluation interval */
  readonly interval?: string;
}

/** Options for {@link PrometheusRule}. */
export interface PrometheusRuleProps {
  /** Name of the PrometheusRule object. */
  readonly name: string;
  /** Namespace of the object. @default 'monitoring' */
  readonly namespace?: string;
  /** Rule groups; more can be added with {@link PrometheusRule.addGroup}. @default [] */
  readonly groups?: readonly RuleGroupOptions[];
  /** Extra labels on the object. @default {} */
  readonly labels?: Readonly<Record<string, string>>;
}

/**
 * A `PrometheusRule`: typed groups of alerting and recording rules. Every
 * expression is parsed as PromQL and every duration checked when it is added.
 */
export class PrometheusRule extends Construct {
  /** The generated resource. */
  public readonly resource: ApiObject;
  /** The object name. */
  public readonly name: string;
  /** The object namespace. */
  public readonly namespace: string;
  private readonly groups: RuleGroupOptions[] = [];

  constructor(scope: Construct, id: string, props: PrometheusRuleProps) {
    super(scope, id);
    checkProps(this, 'PrometheusRuleProps', props);
    if (typeof props.name !== 'string' || !/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/.test(props.name)) {
      throw new ConfigError(this.node.path, 'name', props.name, 'Use a lowercase DNS name such as "gitops-alerts".');
    }
    this.name = props.name;
    this.namespace = props.namespace ?? 'monitoring';
    for (const group of props.groups ?? []) this.addGroup(group);
    // Groups may be added after construction (addGroup): render them lazily.
    const groups = this.groups;
    this.resource = new PrometheusRuleResource(this, 'Resource', {
      metadata: { name: this.name, namespace: this.namespace, labels: props.labels ? { ...props.labels } : undefined },
      spec: {
        groups: Lazy.any({
          produce: (): PrometheusRuleSpecGroups[] =>
            groups.map((g) => ({ name: g.name, interval: g.interval, rules: g.rules.map((r) => r.toResource()) })),
        }),
      },
    });
    this.node.addValidation({
      validate: () => (this.groups.length === 0 ? [`${this.node.path}: PrometheusRule "${this.name}" has no rule groups.`] : []),
    });
  }

  /** Adds a rule group; throws at once when a rule is invalid. */
  public addGroup(group: RuleGroupOptions): void {
    const index = this.groups.length;
    const field = `groups[${index}]`;
    if (typeof group.name !== 'string' || group.name.trim() === '') {
      throw new ConfigError(this.node.path, `${field}.name`, group.name, 'Name every rule group, such as "argocd.rules".');
    }
    if (this.groups.some((g) => g.name === group.name)) {
      throw new ConfigError(this.node.path, `${field}.name`, group.name, 'Group names must be unique within a PrometheusRule.');
    }
    if (group.interval !== undefined) checkDuration(this.node.path, `${field}.interval`, group.interval);
    if (!group.rules || group.rules.length === 0) {
      throw new ConfigError(this.node.path, `${field}.rules`, group.rules, `Add at least one rule to group "${group.name}".`);
    }
    group.rules.forEach((rule, i) => rule.validate(this.node.path, `${field}.rules[${i}]`));
    this.groups.push({ name: group.name, interval: group.interval, rules: [...group.rules] });
  }

  /** The names of the rule groups. */
  public get groupNames(): string[] {
    return this.groups.map((g) => g.name);
  }

  /** Every rule, in order. */
  public get rules(): Rule[] {
    return this.groups.flatMap((g) => [...g.rules]);
  }
}

/** Checks that the `{{ }}` delimiters of a Prometheus template are balanced. */
export function checkTemplate(where: string, field: string, text: string): void {
  const opens = text.split('{{').length - 1;
  const closes = text.split('}}').length - 1;
  if (opens !== closes) {
    throw new ConfigError(where, field, text, 'The template has unbalanced "{{" and "}}"; close every action.');
  }
}
