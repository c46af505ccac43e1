import { ConfigError } from '../platform/errors';
import { toYaml } from '../platform/yaml';

/** Selects the objects a patch applies to (all given fields must match). */
export interface KustomizePatchTarget {
  /** API group (`apps`). @default - any */
  readonly group?: string;
  /** API version (`v1`). @default - any */
  readonly version?: string;
  /** Kind (`Deployment`). @default - any */
  readonly kind?: string;
  /** Name, or a regular expression of names. @default - any */
  readonly name?: string;
  /** Namespace. @default - any */
  readonly namespace?: string;
  /** Label selector (`app=web`). @default - any */
  readonly labelSelector?: string;
  /** Annotation selector. @default - any */
  readonly annotationSelector?: string;
}

/** One RFC 6902 JSON patch operation. */
export interface KustomizeJsonPatchOperation {
  /** The operation. */
  readonly op: 'add' | 'remove' | 'replace' | 'move' | 'copy' | 'test';
  /** JSON pointer of the target location (`/spec/replicas`, `/spec/template/spec/containers/0/env/-`). */
  readonly path: string;
  /** The value (add, replace, test). @default - none */
  readonly value?: unknown;
  /** JSON pointer of the source location (move, copy). @default - none */
  readonly from?: string;
}

/** The JSON of a Kustomization / post-renderer patch. */
export interface KustomizePatchJson {
  readonly patch: string;
  readonly target?: KustomizePatchTarget;
}

/**
 * A Kustomize patch, as Flux Kustomizations and HelmRelease post-renderers
 * take it: a JSON 6902 patch with a target, or a strategic-merge patch.
 */
export class KustomizePatch {
  /** RFC 6902 operations applied to every object the target selects. */
  public static jsonPatch(operations: readonly KustomizeJsonPatchOperation[], target: KustomizePatchTarget): KustomizePatch {
    if (operations.length === 0) {
      throw new ConfigError('KustomizePatch', 'operations', operations, 'Give at least one JSON patch operation.');
    }
    checkTarget(target);
    const ops = operations.map((op, index) => {
      if (!op.path.startsWith('/')) {
        throw new ConfigError('KustomizePatch', `operations[${index}].path`, op.path, 'Use a JSON pointer starting with "/", such as "/spec/replicas".');
      }
      const needsValue = op.op === 'add' || op.op === 'replace' || op.op === 'test';
      if (needsValue && op.value === undefined) {
        throw new ConfigError('KustomizePatch', `operations[${index}].value`, op.value, `A "${op.op}" operation needs a value.`);
      }
      const needsFrom = op.op === 'move' || op.op === 'copy';
      if (needsFrom && (op.from === undefined || !op.from.startsWith('/'))) {
        throw new ConfigError('KustomizePatch', `operations[${index}].from`, op.from, `A "${op.op}" operation needs "from", a JSON pointer.`);
      }
      return {
        op: op.op,
        ...(needsFrom ? { from: op.from } : {}),
        path: op.path,
        ...(needsValue ? { value: op.value } : {}),
      };
    });
    return new KustomizePatch(toYaml(ops), target);
  }

  /**
   * A strategic-merge patch: a partial object with `apiVersion`, `kind` and
   * `metadata.name` of the object it patches.
   */
  public static strategicMerge(patch: Readonly<Record<string, unknown>>, target?: KustomizePatchTarget): KustomizePatch {
    const metadata = patch.metadata as Record<string, unknown> | undefined;
    if (typeof patch.apiVersion !== 'string' || typeof patch.kind !== 'string' || typeof metadata?.name !== 'string') {
      throw new ConfigError('KustomizePatch', 'strategicMerge', patch, 'A strategic-merge patch needs apiVersion, kind and metadata.name of the object it patches.');
    }
    if (target) checkTarget(target);
    return new KustomizePatch(toYaml(patch), target);
  }

  private constructor(
    /** The patch document as YAML text. */
    public readonly text: string,
    /** The target, if any. */
    public readonly target: KustomizePatchTarget | undefined,
  ) {}

  /** The `{ patch, target }` object. */
  public toJson(): KustomizePatchJson {
    return { patch: this.text, ...(this.target ? { target: { ...this.target } } : {}) };
  }
}

/** Overrides an image name, tag or digest (Kustomization `images`, post-renderer `images`). */
export interface KustomizeImage {
  /** The image name as written in the manifests. */
  readonly name: string;
  /** A replacement name. @default - unchanged */
  readonly newName?: string;
  /** A replacement tag (never `latest`). @default - unchanged */
  readonly newTag?: string;
  /** A digest (`sha256:...`), takes precedence over the tag. @default - none */
  readonly digest?: string;
}

/** Checks image overrides and returns their JSON. */
export function imageOverridesJson(where: string, images: readonly KustomizeImage[] | undefined): KustomizeImage[] | undefined {
  if (!images || images.length === 0) return undefined;
  return images.map((image, index) => {
    if (image.newName === undefined && image.newTag === undefined && image.digest === undefined) {
      throw new ConfigError(where, `images[${index}]`, image, 'Give newName, newTag or digest.');
    }
    if (image.newTag === 'latest' || image.newTag === '') {
      throw new ConfigError(where, `images[${index}].newTag`, image.newTag, 'Pin an explicit tag such as "v1.2.3".');
    }
    if (image.digest !== undefined && !/^sha256:[0-9a-f]{64}$/.test(image.digest)) {
      throw new ConfigError(where, `images[${index}].digest`, image.digest, 'Use "sha256:" followed by 64 lowercase hex characters.');
    }
    return { ...image };
  });
}

function checkTarget(target: KustomizePatchTarget): void {
  if (Object.values(target).every((v) => v === undefined || v === '')) {
    throw new ConfigError('KustomizePatch', 'target', target, 'Select the objects to patch, at least by kind or name.');
  }
}
