import { ManifestObject } from '../../platform/gitops-tree';
import { KindMatch, labelsOf, valueAt } from './match';
import { Policy, PolicyFinding } from './policy';

/**
 * The GitOps delivery objects: what pulls code into the cluster. Each must say
 * who manages it, what it is part of and which security review approved it.
 */
export const GITOPS_DELIVERY_KINDS: readonly KindMatch[] = [
  { apiGroups: ['argoproj.io'], kinds: ['Application', 'ApplicationSet', 'AppProject'] },
  { apiGroups: ['kustomize.toolkit.fluxcd.io'], kinds: ['Kustomization'] },
  { apiGroups: ['helm.toolkit.fluxcd.io'], kinds: ['HelmRelease'] },
  { apiGroups: ['source.toolkit.fluxcd.io'], kinds: ['GitRepository', 'HelmRepository', 'OCIRepository'] },
];

/** Options for {@link requiredLabelsPolicy}. */
export interface RequiredLabelsOptions {
  /** The labels every GitOps delivery object must carry with a non-empty value. */
  readonly labels: readonly string[];
  /** The review label, for a precise fix in messages. @default - none */
  readonly reviewLabel?: string;
}

const RULE = 'missing required label';
const TEMPLATE_RULE = 'spec.template.metadata is missing required label';

/**
 * Required labels (seed `GitOpsResourcePolicy.requiredLabels`): every Argo CD
 * Application, ApplicationSet (and the Applications it generates) and AppProject,
 * and every Flux Kustomization, HelmRelease and source carries each label with
 * a non-empty value.
 */
export function requiredLabelsPolicy(options: RequiredLabelsOptions): Policy {
  const fixFor = (label: string): string =>
    label === options.reviewLabel
      ? `set EnvironmentConfig.labels["${label}"] to the reference of the security review that approved this configuration (the charts then label every object)`
      : `add metadata.labels["${label}"] (objects in platform.tree charts get the common labels automatically)`;
  return new Policy({
    id: 'required-labels',
    constraintKind: 'GitOpsRequiredLabels',
    title: 'Required labels on GitOps delivery objects',
    description:
      'Argo CD Applications, ApplicationSets (and their generated Applications), AppProjects, Flux Kustomizations, HelmReleases and sources carry the required labels: who manages them, what they are part of and the security review that approved them.',
    kinds: GITOPS_DELIVERY_KINDS,
    parameterSchema: {
      labels: { type: 'array', description: 'Labels that must be present with a non-empty value.', items: { type: 'string', minLength: 1 }, minItems: 1 },
    },
    parameters: { labels: [...options.labels] },
    rules: [RULE, TEMPLATE_RULE],
    evaluate: (object: ManifestObject): PolicyFinding[] => {
      const findings: PolicyFinding[] = [];
      const labels = labelsOf(object);
      for (const label of options.labels) {
        if (!hasValue(labels[label])) {
          findings.push({ rule: RULE, detail: `${RULE} "${label}"`, fix: fixFor(label) });
        }
      }
      if (object.kind === 'ApplicationSet') {
        const templateLabels = (valueAt(object, ['spec', 'template', 'metadata', 'labels']) ?? {}) as Record<string, unknown>;
        for (const label of options.labels) {
          if (!hasValue(templateLabels[label])) {
            findings.push({
              rule: TEMPLATE_RULE,
              detail: `${TEMPLATE_RULE} "${label}" (the Applications it generates would lack it)`,
              fix: `add spec.template.metadata.labels["${label}"] with the same value as the ApplicationSet's own label`,
            });
          }
        }
      }
      return findings;
    },
    rego: `
violation[{"msg": msg}] {
  not exempt
  label := input.parameters.labels[_]
  not has_label(input.review.object.metadata, label)
  msg := sprintf("%v: ${RULE} %v. Fix: add metadata.labels[%v]; the review label comes from the environment's security review reference.", [object_ref, label, label])
}

violation[{"msg": msg}] {
  not exempt
  input.review.object.kind == "ApplicationSet"
  label := input.parameters.labels[_]
  not has_label(object.get(object.get(input.review.object.spec, "template", {}), "metadata", {}), label)
  msg := sprintf("%v: ${TEMPLATE_RULE} %v. Fix: add spec.template.metadata.labels[%v] so generated Applications carry it.", [object_ref, label, label])
}

has_label(meta, label) {
  value := meta.labels[label]
  value != ""
}
`,
  });
}

function hasValue(value: unknown): boolean {
  return typeof value === 'string' && value !== '';
}
