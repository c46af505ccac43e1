import { Construct } from 'constructs';
import { Document, isDocument } from 'yaml';
import { ConfigError } from '../platform/errors';
import { ManifestObject, TREE_SECTIONS } from '../platform/gitops-tree';
import { Platform } from '../platform/platform';
import { recordDocuments, toRecordedYaml } from '../platform/yaml';
import { renderDocuments, toMarkableDocument } from './image-setters';

/** Options for {@link ManifestDirectory}. */
export interface ManifestDirectoryProps {
  /** The environment's platform. @default - `Platform.of(scope)` */
  readonly platform?: Platform;
  /**
   * The directory, relative to the environment's tree (`workloads/api-service`).
   * It must be outside the synced sections: their `kustomization.yaml` lists
   * chart files only, so a plain file there would never be applied.
   */
  readonly directory: string;
  /**
   * The manifests, as objects or as YAML documents carrying setter markers
   * (from `markContainerImage`). The environment's common labels are added.
   */
  readonly documents: readonly (ManifestObject | Document)[];
}

/**
 * A directory of plain YAML manifests in the GitOps tree, written verbatim so
 * that YAML comments (image-policy setter markers) survive, with its own
 * `kustomization.yaml`. A Flux Kustomization with `path: repoPath` applies it
 * and an ImageUpdateAutomation with the same `updatePath` rewrites it.
 *
 * Plain files are not seen by the platform's synth-time manifest checks
 * (those run over chart objects), so build only well-formed, policy-compliant
 * objects here; the module's tests validate them.
 */
export class ManifestDirectory extends Construct {
  /** The directory relative to the environment's tree. */
  public readonly directory: string;
  /** The directory's path in the GitOps repository (`clusters/dev/workloads/api-service`). */
  public readonly repoPath: string;
  /** The objects written, as plain JSON (markers are comments and not part of them). */
  public readonly objects: readonly ManifestObject[];

  constructor(scope: Construct, id: string, props: ManifestDirectoryProps) {
    super(scope, id);
    const platform = props.platform ?? Platform.of(this);
    const where = this.node.path;
    const directory = props.directory;
    const segments = directory.split('/');
    if (
      !/^[a-z0-9][-a-z0-9_.]*(\/[a-z0-9][-a-z0-9_.]*)*$/.test(directory) ||
      segments.includes('..') ||
      (TREE_SECTIONS as readonly string[]).includes(segments[0]) ||
      segments[0] === 'bootstrap'
    ) {
      throw new ConfigError(
        where,
        'directory',
        directory,
        `Use a relative lowercase path outside ${[...TREE_SECTIONS, 'bootstrap'].join(', ')} (their kustomization.yaml lists chart files only), such as "workloads/api-service".`,
      );
    }
    if (props.documents.length === 0) {
      throw new ConfigError(where, 'documents', props.documents, 'Give at least one manifest.');
    }
    this.directory = directory;
    this.repoPath = `${platform.repoPath}/${directory}`;
    const documents = props.documents.map((d) => (isDocument(d) ? d : toMarkableDocument(d)));
    for (const document of documents) {
      const labels = document.getIn(['metadata', 'labels']);
      const current = (labels && typeof labels === 'object' && 'toJSON' in labels ? (labels as { toJSON(): unknown }).toJSON() : {}) as Record<string, string>;
      document.setIn(['metadata', 'labels'], document.createNode({ ...platform.commonLabels, ...current }));
    }
    this.objects = documents.map((d) => d.toJS() as ManifestObject);
    for (const object of this.objects) {
      if (typeof object?.apiVersion !== 'string' || typeof object.kind !== 'string' || typeof object.metadata?.name !== 'string') {
        throw new ConfigError(where, 'documents', object, 'Every manifest needs apiVersion, kind and metadata.name.');
      }
    }
    // Recorded (the documents' own values, not `objects`, which is public), so the deploy model need not parse the file.
    platform.tree.addFile(`${directory}/manifests.yaml`, recordDocuments(renderDocuments(documents), documents.map((d) => d.toJS() as unknown)));
    platform.tree.addFile(
      `${directory}/kustomization.yaml`,
      toRecordedYaml({ apiVersion: 'kustomize.config.k8s.io/v1beta1', kind: 'Kustomization', resources: ['manifests.yaml'] }),
    );
  }
}
