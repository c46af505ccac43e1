import { ConfigError } from '../../platform/errors';
import { ManifestObject } from '../../platform/gitops-tree';
import { isPolicyId, POLICY_IDS, PolicyId } from './ids';

/** The object an exemption applies to. */
export interface ExemptObjectRef {
  /** The object's kind (`Deployment`, `Service`, ...). */
  readonly kind: string;
  /**
   * The object's namespace.
   * @default - a cluster-scoped object
   */
  readonly namespace?: string;
  /** The object's name. */
  readonly name: string;
}

const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/;
const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const KIND = /^[A-Z][A-Za-z0-9]*$/;

/**
 * A documented exception to one policy, with a mandatory reason. Both
 * enforcement points honour it the same way:
 *
 * - `forObject`: the synth-time check skips the object, and the constraint
 *   lists it in `spec.parameters.exemptions` (the template's Rego skips it).
 * - `forNamespace`: the synth-time check skips objects in the namespace, and
 *   the constraint lists it in `spec.match.excludedNamespaces`.
 *
 * Exemptions are declared in `EnvironmentConfig.security.exemptions` (a
 * reviewed file) or with `PolicyLibrary.addExemption()`; there is no per-object
 * annotation, so an object cannot exempt itself in the cluster.
 */
export class PolicyExemption {
  /** Exempts one object from one policy. */
  public static forObject(object: ExemptObjectRef, policy: PolicyId, reason: string): PolicyExemption {
    const where = `PolicyExemption ${describeRef(object)}`;
    validatePolicy(where, policy);
    if (typeof object?.kind !== 'string' || !KIND.test(object.kind)) {
      throw new ConfigError(where, 'kind', object?.kind, 'Use the object kind as Kubernetes spells it, such as "Deployment".');
    }
    if (typeof object.name !== 'string' || !DNS_SUBDOMAIN.test(object.name)) {
      throw new ConfigError(where, 'name', object.name, 'Use the object name (a lowercase DNS subdomain).');
    }
    if (object.namespace !== undefined && !DNS_LABEL.test(object.namespace)) {
      throw new ConfigError(where, 'namespace', object.namespace, 'Use a namespace name (a lowercase DNS label), or leave it out for a cluster-scoped object.');
    }
    return new PolicyExemption(policy, validateReason(where, reason), { ...object }, undefined);
  }

  /** Exempts every object in a namespace from one policy. */
  public static forNamespace(namespace: string, policy: PolicyId, reason: string): PolicyExemption {
    const where = `PolicyExemption namespace/${namespace}`;
    validatePolicy(where, policy);
    if (typeof namespace !== 'string' || !DNS_LABEL.test(namespace)) {
      throw new ConfigError(where, 'namespace', namespace, 'Use a namespace name (a lowercase DNS label).');
    }
    return new PolicyExemption(policy, validateReason(where, reason), undefined, namespace);
  }

  private constructor(
    /** The policy the exemption applies to. */
    public readonly policy: PolicyId,
    /** Why the exemption is needed (shown in the constraint and the report). */
    public readonly reason: string,
    /** The exempt object, for an object exemption. */
    public readonly object: ExemptObjectRef | undefined,
    /** The exempt namespace, for a namespace exemption. */
    public readonly namespace: string | undefined,
  ) {}

  /** Whether the exemption covers `object`. */
  public covers(object: ManifestObject): boolean {
    const ns = object.metadata?.namespace;
    if (this.namespace !== undefined) return ns === this.namespace;
    const ref = this.object!;
    return ref.kind === object.kind && ref.name === object.metadata?.name && (ref.namespace ?? '') === (ns ?? '');
  }

  /** A one-line description for reports. */
  public describe(): string {
    const target = this.namespace !== undefined ? `namespace ${this.namespace}` : describeRef(this.object!);
    return `${target} from ${this.policy}: ${this.reason}`;
  }
}

function describeRef(ref: ExemptObjectRef | undefined): string {
  if (!ref) return '(no object)';
  return `${ref.kind}/${ref.namespace ? `${ref.namespace}/` : ''}${ref.name}`;
}

function validatePolicy(where: string, policy: unknown): void {
  if (!isPolicyId(policy)) {
    throw new ConfigError(where, 'policy', policy, `Use one of ${POLICY_IDS.join(', ')}.`);
  }
}

function validateReason(where: string, reason: unknown): string {
  if (typeof reason !== 'string' || reason.trim().length < 10) {
    throw new ConfigError(
      where,
      'reason',
      reason,
      'Give the reason for the exemption (at least 10 characters), such as the ticket and why the policy cannot be met.',
    );
  }
  if (/[\r\n]/.test(reason)) {
    throw new ConfigError(where, 'reason', reason, 'Keep the reason on one line.');
  }
  return reason.trim();
}
