/**
 * Gatekeeper constraint kinds have no CRD in schemas/crds: Gatekeeper generates
 * the CRD from each ConstraintTemplate. This validates a constraint the way
 * that generated CRD would, strictly: the constraint envelope (Gatekeeper's
 * `spec.match`, `spec.enforcementAction`) and `spec.parameters` against the
 * `openAPIV3Schema` its own template declares (unknown fields are errors).
 */
import { checkObjectMeta, validateAgainstSchema } from '../../support/validate';

type Json = Record<string, unknown>;

const STRINGS = { type: 'array', items: { type: 'string' } };
const LABEL_SELECTOR = {
  type: 'object',
  properties: {
    matchLabels: { type: 'object', additionalProperties: { type: 'string' } },
    matchExpressions: {
      type: 'array',
      items: {
        type: 'object',
        required: ['key', 'operator'],
        properties: { key: { type: 'string' }, operator: { type: 'string', enum: ['In', 'NotIn', 'Exists', 'DoesNotExist'] }, values: STRINGS },
      },
    },
  },
};

/** The envelope Gatekeeper's generated constraint CRDs share (v1beta1), with the template's parameters. */
function constraintSchema(parameters: Json): Json {
  return {
    type: 'object',
    required: ['apiVersion', 'kind', 'metadata', 'spec'],
    properties: {
      apiVersion: { type: 'string', enum: ['constraints.gatekeeper.sh/v1beta1', 'constraints.gatekeeper.sh/v1'] },
      kind: { type: 'string' },
      metadata: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true },
      spec: {
        type: 'object',
        properties: {
          enforcementAction: { type: 'string', enum: ['deny', 'dryrun', 'warn'] },
          match: {
            type: 'object',
            properties: {
              kinds: { type: 'array', items: { type: 'object', properties: { apiGroups: STRINGS, kinds: STRINGS } } },
              namespaces: STRINGS,
              excludedNamespaces: STRINGS,
              labelSelector: LABEL_SELECTOR,
              namespaceSelector: LABEL_SELECTOR,
              scope: { type: 'string', enum: ['*', 'Cluster', 'Namespaced'] },
              name: { type: 'string' },
            },
          },
          parameters,
        },
      },
    },
  };
}

/** The problems of one constraint, given the templates it may belong to. */
export function validateConstraint(constraint: Json, templates: readonly Json[]): string[] {
  const kind = String(constraint.kind);
  const template = templates.find((t) => (t.spec as Json | undefined) && ((((t.spec as Json).crd as Json).spec as Json).names as Json).kind === kind);
  if (!template) return [`${kind}: no ConstraintTemplate declares this kind`];
  const meta = template.metadata as Json;
  const problems: string[] = [];
  if (meta.name !== kind.toLowerCase()) problems.push(`template ${String(meta.name)}: name must be the lowercase kind (${kind.toLowerCase()})`);
  const validation = (((template.spec as Json).crd as Json).spec as Json).validation as Json;
  const parameters = validation.openAPIV3Schema as Json;
  problems.push(...checkObjectMeta(constraint.metadata, 'metadata', { root: true, nameRule: 'dns-subdomain', clusterScoped: true }));
  problems.push(...validateAgainstSchema(constraintSchema(parameters), constraint));
  return problems;
}

/** Throws one error listing every invalid constraint. */
export function assertValidConstraints(constraints: readonly Json[], templates: readonly Json[], label = 'constraints'): void {
  const report = constraints
    .map((c) => ({ c, problems: validateConstraint(c, templates) }))
    .filter((r) => r.problems.length > 0)
    .map((r) => `  ${String(r.c.kind)}/${String((r.c.metadata as Json).name)}:\n${r.problems.map((p) => `    - ${p}`).join('\n')}`);
  if (report.length > 0) throw new Error(`${label}: ${report.length} invalid:\n${report.join('\n')}`);
}

/** Whether an object is a Gatekeeper constraint. */
export function isConstraint(object: { apiVersion?: unknown }): boolean {
  return String(object.apiVersion).startsWith('constraints.gatekeeper.sh/');
}
