import { ManifestObject } from '../../platform/gitops-tree';
import { annotationsOf, valueAt } from './match';
import { Policy, PolicyFinding } from './policy';

/** An annotation that makes a cloud load balancer internal. */
export interface InternalAnnotation {
  /** The annotation key. */
  readonly key: string;
  /** The value it must have. */
  readonly value: string;
}

/** The internal-load-balancer annotations of the major clouds (Azure from seed 003, AWS, GCP). */
export const DEFAULT_INTERNAL_ANNOTATIONS: readonly InternalAnnotation[] = [
  { key: 'service.beta.kubernetes.io/azure-load-balancer-internal', value: 'true' },
  { key: 'service.beta.kubernetes.io/aws-load-balancer-internal', value: 'true' },
  { key: 'service.beta.kubernetes.io/aws-load-balancer-scheme', value: 'internal' },
  { key: 'networking.gke.io/load-balancer-type', value: 'Internal' },
];

const RULE = 'is a LoadBalancer without an internal-load-balancer annotation';

/**
 * Internal load balancers only (seed 003): a Service of type LoadBalancer
 * carries one of the internal annotations with its value. Public traffic goes
 * through the ingress controller.
 */
export function internalLoadBalancerPolicy(annotations: readonly InternalAnnotation[] = DEFAULT_INTERNAL_ANNOTATIONS): Policy {
  const list = annotations.map((a) => `${a.key}: "${a.value}"`).join(' or ');
  return new Policy({
    id: 'internal-load-balancer',
    constraintKind: 'GitOpsInternalLoadBalancer',
    title: 'LoadBalancer Services are internal',
    description: 'A Service of type LoadBalancer carries an internal-load-balancer annotation; public traffic goes through the ingress controller.',
    kinds: [{ apiGroups: [''], kinds: ['Service'] }],
    parameterSchema: {
      internalAnnotations: {
        type: 'array',
        description: 'Annotations (key and value) that make a load balancer internal; one is enough.',
        items: { type: 'object', required: ['key', 'value'], properties: { key: { type: 'string' }, value: { type: 'string' } } },
        minItems: 1,
      },
    },
    parameters: { internalAnnotations: annotations.map((a) => ({ key: a.key, value: a.value })) },
    rules: [RULE],
    evaluate: (object: ManifestObject): PolicyFinding[] => {
      if (object.kind !== 'Service' || valueAt(object, ['spec', 'type']) !== 'LoadBalancer') return [];
      const present = annotationsOf(object);
      if (annotations.some((a) => present[a.key] === a.value)) return [];
      return [{ rule: RULE, detail: RULE, fix: `add the annotation ${list}, or use a ClusterIP Service behind the ingress controller` }];
    },
    rego: `
violation[{"msg": msg}] {
  not exempt
  input.review.object.kind == "Service"
  input.review.object.spec.type == "LoadBalancer"
  not internal
  msg := sprintf("%v: ${RULE}. Fix: add one of %v, or use a ClusterIP Service behind the ingress controller.", [object_ref, [sprintf("%v=%v", [a.key, a.value]) | a := input.parameters.internalAnnotations[_]]])
}

internal {
  a := input.parameters.internalAnnotations[_]
  input.review.object.metadata.annotations[a.key] == a.value
}
`,
  });
}
