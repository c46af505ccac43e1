import { ManifestObject } from '../../platform/gitops-tree';
import { containersOf, podSpecOf, WORKLOAD_KINDS } from './pod-spec';
import { Policy, PolicyFinding } from './policy';
import { WORKLOAD_REGO } from './workload-security';

const DIGEST = /@sha256:[0-9a-f]{64}$/;
const UNTAGGED_RULE = 'has no tag';
const FORBIDDEN_RULE = 'uses a forbidden tag';

/** The tag of an image reference (`''` when untagged); a registry port is not a tag. */
export function imageTag(image: string): string {
  const name = image.split('@')[0];
  const last = name.split('/').pop() ?? '';
  const i = last.indexOf(':');
  return i < 0 ? '' : last.slice(i + 1);
}

/** Whether an image reference is pinned by a sha256 digest. */
export function isDigestPinned(image: string): boolean {
  return DIGEST.test(image);
}

/** Options for {@link pinnedImagesPolicy}. */
export interface PinnedImagesOptions {
  /**
   * Tags that do not pin a version.
   * @default ['latest']
   */
  readonly forbiddenTags?: readonly string[];
}

/**
 * Pinned images: in staging and production, every container image has an
 * explicit tag that is not `latest` (or a sha256 digest). Untagged images
 * resolve to `latest`, so they are refused too.
 */
export function pinnedImagesPolicy(options: PinnedImagesOptions = {}): Policy {
  const forbidden = [...(options.forbiddenTags ?? ['latest'])];
  return new Policy({
    id: 'pinned-images',
    constraintKind: 'GitOpsPinnedImages',
    title: 'Images pinned to an explicit tag',
    description: 'In staging and production every container image has an explicit tag other than latest, or a sha256 digest.',
    kinds: WORKLOAD_KINDS,
    tiers: ['staging', 'production'],
    excludeControllerNamespacesInCluster: true,
    parameterSchema: {
      forbiddenTags: { type: 'array', description: 'Tags that do not pin a version.', items: { type: 'string' } },
    },
    parameters: { forbiddenTags: forbidden },
    rules: [UNTAGGED_RULE, FORBIDDEN_RULE],
    evaluate: (object: ManifestObject): PolicyFinding[] => {
      const spec = podSpecOf(object);
      if (!spec) return [];
      const findings: PolicyFinding[] = [];
      for (const { container, list, name } of containersOf(spec)) {
        const image = String(container.image ?? '');
        if (isDigestPinned(image)) continue;
        const tag = imageTag(image);
        if (tag === '') {
          findings.push({
            rule: UNTAGGED_RULE,
            detail: `container "${name}" (${list}) image "${image}" ${UNTAGGED_RULE}`,
            fix: 'pin the image to an explicit version tag (image:1.2.3) or a digest (image@sha256:...)',
          });
        } else if (forbidden.includes(tag)) {
          findings.push({
            rule: FORBIDDEN_RULE,
            detail: `container "${name}" (${list}) image "${image}" ${FORBIDDEN_RULE} ("${tag}")`,
            fix: 'pin the image to an explicit version tag (image:1.2.3) or a digest (image@sha256:...)',
          });
        }
      }
      return findings;
    },
    rego: `
violation[{"msg": msg}] {
  not exempt
  spec := pod_spec
  c := containers(spec)[_]
  not digest_pinned(c.image)
  image_tag(c.image) == ""
  msg := sprintf("%v: container %v image %v ${UNTAGGED_RULE}. Fix: pin the image to an explicit version tag or a digest.", [object_ref, c.name, c.image])
}

violation[{"msg": msg}] {
  not exempt
  spec := pod_spec
  c := containers(spec)[_]
  not digest_pinned(c.image)
  tag := image_tag(c.image)
  tag == input.parameters.forbiddenTags[_]
  msg := sprintf("%v: container %v image %v ${FORBIDDEN_RULE} (%v). Fix: pin the image to an explicit version tag or a digest.", [object_ref, c.name, c.image, tag])
}

digest_pinned(image) {
  regex.match("@sha256:[0-9a-f]{64}$", image)
}

image_tag(image) = tag {
  last := last_segment(image)
  i := indexof(last, ":")
  i >= 0
  tag := substring(last, i + 1, -1)
}

image_tag(image) = "" {
  indexof(last_segment(image), ":") < 0
}

last_segment(image) = last {
  parts := split(split(image, "@")[0], "/")
  last := parts[count(parts) - 1]
}
${WORKLOAD_REGO}`,
  });
}
