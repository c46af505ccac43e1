import { Document, isScalar } from 'yaml';
import { ConfigError } from '../platform/errors';
import { ManifestObject } from '../platform/gitops-tree';
import { ImageField, imagePolicyMarker } from './image-policy';
import { FluxObjectReference } from './metadata';

/**
 * Setter markers are YAML comments (`image: app:v1 # {"$imagepolicy": "ns:name"}`).
 * A JSON object cannot carry a comment, and the GitOps tree writes its charts
 * as plain YAML, so a marked manifest is built here as a `yaml` Document with
 * the comment attached to the scalar, then written verbatim as a plain file
 * (see {@link ManifestDirectory}).
 */

/** Where a workload kind keeps its pod spec. */
const POD_SPEC_PATHS: Readonly<Record<string, readonly string[]>> = {
  Deployment: ['spec', 'template', 'spec'],
  StatefulSet: ['spec', 'template', 'spec'],
  DaemonSet: ['spec', 'template', 'spec'],
  ReplicaSet: ['spec', 'template', 'spec'],
  Job: ['spec', 'template', 'spec'],
  CronJob: ['spec', 'jobTemplate', 'spec', 'template', 'spec'],
  Pod: ['spec'],
};

/** Turns a manifest into a YAML document (same formatting as the tree) that can take markers. */
export function toMarkableDocument(object: ManifestObject): Document {
  return new Document(object, { aliasDuplicateObjects: false });
}

/** Adds a setter marker to the scalar at `path` of a document; fails if there is no scalar there. */
export function markImagePolicy(
  document: Document,
  path: readonly (string | number)[],
  policy: FluxObjectReference,
  field: ImageField = 'image',
): Document {
  const node = document.getIn(path, true);
  if (!isScalar(node) || typeof node.value !== 'string') {
    throw new ConfigError('markImagePolicy', 'path', path.join('.'), 'Point at a string field of the document (an image, tag or name).');
  }
  node.comment = ` ${imagePolicyMarker(policy, field)}`;
  return document;
}

/**
 * A workload (Deployment, StatefulSet, DaemonSet, Job, CronJob, Pod) as a
 * YAML document whose container image carries the `$imagepolicy` marker of
 * `policy`, so image-automation-controller rewrites it.
 */
export function markContainerImage(object: ManifestObject, container: string, policy: FluxObjectReference): Document {
  const podSpecPath = POD_SPEC_PATHS[object.kind];
  if (!podSpecPath) {
    throw new ConfigError('markContainerImage', 'kind', object.kind, `Use a workload with a pod template: ${Object.keys(POD_SPEC_PATHS).join(', ')}.`);
  }
  let podSpec: unknown = object;
  for (const key of podSpecPath) podSpec = (podSpec as Record<string, unknown> | undefined)?.[key];
  for (const list of ['containers', 'initContainers'] as const) {
    const containers = ((podSpec as Record<string, unknown> | undefined)?.[list] ?? []) as Array<{ name?: string; image?: string }>;
    const index = containers.findIndex((c) => c.name === container);
    if (index < 0) continue;
    const image = containers[index].image ?? '';
    if (!/[:@]/.test(image.split('/').pop() ?? '')) {
      throw new ConfigError('markContainerImage', `${container}.image`, image, 'Pin the current image to a tag or digest; the automation replaces it.');
    }
    return markImagePolicy(toMarkableDocument(object), [...podSpecPath, list, index, 'image'], policy);
  }
  const names = ((podSpec as Record<string, unknown[]> | undefined)?.containers ?? []).map((c) => (c as { name?: string }).name);
  throw new ConfigError('markContainerImage', 'container', container, `${object.kind}/${object.metadata.name ?? ''} has no such container (containers: ${names.join(', ')}).`);
}

/** Renders documents as one multi-document YAML file, formatted like the rest of the tree. */
export function renderDocuments(documents: readonly Document[]): string {
  return documents.map((d) => d.toString({ lineWidth: 0, indent: 2 })).join('---\n');
}
