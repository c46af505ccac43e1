import { EnvironmentTier } from '../../platform/environment';
import { ManifestObject } from '../../platform/gitops-tree';
import { PolicyId } from './ids';
import { KindMatch, LabelRequirement, matchesKinds, matchesLabels } from './match';

/** A JSON schema (OpenAPI v3 subset) for constraint parameters. */
export interface ParameterSchema {
  readonly type: 'string' | 'array' | 'object' | 'boolean' | 'integer';
  readonly description?: string;
  readonly items?: ParameterSchema;
  readonly properties?: Readonly<Record<string, ParameterSchema>>;
  readonly required?: readonly string[];
  readonly enum?: readonly string[];
  readonly pattern?: string;
  readonly minItems?: number;
  readonly minLength?: number;
}

/** One problem a policy found in one object. */
export interface PolicyFinding {
  /**
   * The rule that was broken, as a fixed phrase (`missing required label`).
   * The same phrase is in the template's Rego message, so both enforcement
   * points report the same rule.
   */
  readonly rule: string;
  /** What is wrong, naming the field and value (`missing required label "app.kubernetes.io/part-of"`). */
  readonly detail: string;
  /** How to fix it. */
  readonly fix: string;
}

/** Everything that defines one policy; see the factories on {@link Policy}. */
export interface PolicyDefinition {
  /** The policy id (used in messages, exemptions and settings). */
  readonly id: PolicyId;
  /** The Gatekeeper constraint kind (`GitOpsRequiredLabels`); the template is its lowercase name. */
  readonly constraintKind: string;
  /** A short title. */
  readonly title: string;
  /** What the policy requires and why. */
  readonly description: string;
  /** The kinds the policy applies to, at synth time and in the constraint's `spec.match.kinds`. */
  readonly kinds: readonly KindMatch[];
  /**
   * Label requirements an object must meet to be in scope (the constraint's
   * `spec.match.labelSelector.matchExpressions`).
   * @default []
   */
  readonly labelSelector?: readonly LabelRequirement[];
  /**
   * In the cluster, leave out the namespaces of the controllers Terraform installs
   * from upstream charts (their pods are hardened by the chart values, not by Git).
   * Objects of the GitOps tree in those namespaces are still checked at synth time.
   * @default false
   */
  readonly excludeControllerNamespacesInCluster?: boolean;
  /**
   * The environment tiers the policy is active in.
   * @default - every tier
   */
  readonly tiers?: readonly EnvironmentTier[];
  /** The schema of the constraint parameters (without `exemptions`, which every policy has). */
  readonly parameterSchema: Readonly<Record<string, ParameterSchema>>;
  /** The parameter values (without `exemptions`). */
  readonly parameters: Readonly<Record<string, unknown>>;
  /**
   * The Rego of the template's `violation` rules. It may use `not exempt` and
   * `object_ref`, which every template gets from {@link REGO_COMMON}.
   */
  readonly rego: string;
  /** The rule phrases the policy can report (each appears in the Rego). */
  readonly rules: readonly string[];
  /** Checks one in-scope object; returns its problems. */
  readonly evaluate: (object: ManifestObject) => readonly PolicyFinding[];
}

/**
 * Rego shared by every template: the exemption list of the constraint
 * (`spec.parameters.exemptions`) and the `Kind/namespace/name` of the object,
 * as the synth-time messages name it.
 */
export const REGO_COMMON = `
exempt {
  e := input.parameters.exemptions[_]
  e.kind == input.review.object.kind
  e.name == object.get(input.review.object.metadata, "name", "")
  object.get(e, "namespace", "") == object.get(input.review.object.metadata, "namespace", "")
}

object_ref = r {
  ns := input.review.object.metadata.namespace
  r := sprintf("%v/%v/%v", [input.review.object.kind, ns, object.get(input.review.object.metadata, "name", "")])
}

object_ref = r {
  not input.review.object.metadata.namespace
  r := sprintf("%v/%v", [input.review.object.kind, object.get(input.review.object.metadata, "name", "")])
}
`;

/** The schema of `spec.parameters.exemptions`, common to every template. */
export const EXEMPTIONS_SCHEMA: ParameterSchema = {
  type: 'array',
  description: 'Objects exempt from this policy, each with the reason (PolicyExemption.forObject).',
  items: {
    type: 'object',
    required: ['kind', 'name', 'reason'],
    properties: {
      kind: { type: 'string' },
      namespace: { type: 'string' },
      name: { type: 'string' },
      reason: { type: 'string', minLength: 10 },
    },
  },
};

/**
 * One policy, defined once and enforced twice: `evaluate()` at synth time over
 * every rendered manifest, and `rego` in a Gatekeeper ConstraintTemplate with
 * a constraint in the cluster. Build the shipped policies with the factories
 * in `policies/*.ts` (`requiredLabelsPolicy()`, ...), or a custom one with
 * `new Policy({...})`.
 */
export class Policy {
  /** The definition. */
  public readonly definition: PolicyDefinition;

  constructor(definition: PolicyDefinition) {
    this.definition = definition;
  }

  /** The policy id. */
  public get id(): PolicyId {
    return this.definition.id;
  }

  /** The constraint kind. */
  public get constraintKind(): string {
    return this.definition.constraintKind;
  }

  /** The ConstraintTemplate name (the constraint kind in lowercase, as Gatekeeper requires). */
  public get templateName(): string {
    return this.definition.constraintKind.toLowerCase();
  }

  /** The complete Rego module of the template. */
  public get rego(): string {
    return `package ${this.templateName}\n${this.definition.rego.replace(/^\n/, '\n')}${REGO_COMMON}`;
  }

  /** Whether the policy is active in an environment tier. */
  public isActiveIn(tier: EnvironmentTier): boolean {
    return this.definition.tiers === undefined || this.definition.tiers.includes(tier);
  }

  /** Whether `object` is in the policy's scope (kinds and label selector). */
  public appliesTo(object: ManifestObject): boolean {
    return matchesKinds(this.definition.kinds, object) && matchesLabels(this.definition.labelSelector ?? [], object);
  }

  /** The problems of one object (none when out of scope). */
  public evaluate(object: ManifestObject): readonly PolicyFinding[] {
    return this.appliesTo(object) ? this.definition.evaluate(object) : [];
  }
}
