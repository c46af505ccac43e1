import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { ConfigError } from '../platform/errors';
import { ImageUpdater as ImageUpdaterResource } from '../imports/argocd-image-updater';
import { checkProps } from '../platform/config-boundary/props';

/** Prefix of every Argo CD Image Updater annotation. */
export const IMAGE_UPDATER_ANNOTATION_PREFIX = 'argocd-image-updater.argoproj.io';

/** The label that marks an Application whose image updates are described by its annotations. */
export const IMAGE_UPDATES_LABEL = 'gitops.platform/image-updates';

/** How Image Updater picks the new tag. */
export class UpdateStrategy {
  /** The highest tag matching the image's semver constraint (`~1.0`, `1.2.x`). */
  public static semver(): UpdateStrategy {
    return new UpdateStrategy('semver');
  }

  /** The most recently built image. */
  public static newestBuild(): UpdateStrategy {
    return new UpdateStrategy('newest-build');
  }

  /** The newest digest of a mutable tag. */
  public static digest(): UpdateStrategy {
    return new UpdateStrategy('digest');
  }

  /** The alphabetically last tag. */
  public static alphabetical(): UpdateStrategy {
    return new UpdateStrategy('alphabetical');
  }

  private constructor(
    /** The strategy name Image Updater uses. */
    public readonly name: string,
  ) {}
}

/** Options for {@link WriteBack.git}. */
export interface GitWriteBackOptions {
  /** Branch to commit to (`main`, or `main:image-updates` to push to a separate branch). @default - the Application's target revision */
  readonly branch?: string;
  /** File to update: `kustomization`, `kustomization:<path>` or `helmvalues:<path>`. @default - `.argocd-source-<app>.yaml` next to the source */
  readonly target?: string;
  /** Secret with Git credentials (`namespace/name`). @default - the repository credentials Argo CD uses */
  readonly credentialsSecret?: string;
}

/** Where Image Updater records a new tag. */
export class WriteBack {
  /** Update the Application's parameters through the Argo CD API (not persisted in Git). */
  public static argocd(): WriteBack {
    return new WriteBack('argocd', {});
  }

  /** Commit the new tag to Git, so Git stays the source of truth. */
  public static git(options: GitWriteBackOptions = {}): WriteBack {
    if (options.target !== undefined && !/^(kustomization(:\S+)?|helmvalues(:\S+)?)$/.test(options.target)) {
      throw new ConfigError('WriteBack', 'target', options.target, 'Use "kustomization", "kustomization:<path>" or "helmvalues:<path>".');
    }
    if (options.credentialsSecret !== undefined && !/^[a-z0-9-]+\/[a-z0-9.-]+$/.test(options.credentialsSecret)) {
      throw new ConfigError('WriteBack', 'credentialsSecret', options.credentialsSecret, 'Use "<namespace>/<secret name>".');
    }
    return new WriteBack(options.credentialsSecret ? `git:secret:${options.credentialsSecret}` : 'git', options);
  }

  private constructor(
    /** The write-back method (`argocd`, `git`, `git:secret:<ns>/<name>`). */
    public readonly method: string,
    private readonly options: GitWriteBackOptions,
  ) {}

  /** The branch to commit to, if set. */
  public get branch(): string | undefined {
    return this.options.branch;
  }

  /** The file to update, if set. */
  public get target(): string | undefined {
    return this.options.target;
  }
}

/** One image Image Updater watches. */
export interface ImageUpdateRule {
  /** Alias used in annotations and as the image's key (`myapp`). */
  readonly alias: string;
  /** Image name without tag (`docker.io/org/myapp`). */
  readonly image: string;
  /** Version constraint (`~1.0`, `1.2.x`), appended to the image as `image:<constraint>`. @default - any version */
  readonly constraint?: string;
  /** How the new tag is picked. @default UpdateStrategy.semver() */
  readonly strategy?: UpdateStrategy;
  /** Only tags matching this (`regexp:^v\d+\.\d+\.\d+$`). @default - all tags */
  readonly allowTags?: string;
  /** Tags never used (`latest`). @default [] */
  readonly ignoreTags?: readonly string[];
  /** Helm value paths of the image name and tag. @default - not a Helm source */
  readonly helm?: { readonly name: string; readonly tag: string };
  /** The image name in the kustomization to rewrite. @default - not a Kustomize source */
  readonly kustomizeImage?: string;
}

/** Options for {@link ImageUpdatePolicy}. */
export interface ImageUpdatePolicyProps {
  /** The images to watch. */
  readonly images: readonly ImageUpdateRule[];
  /** Where new tags are recorded. @default WriteBack.git() */
  readonly writeBack?: WriteBack;
}

const ALIAS = /^[a-z0-9]([-a-z0-9_]*[a-z0-9])?$/;
const IMAGE = /^[a-z0-9]([-a-z0-9_.:/]*[a-z0-9])?$/;

/**
 * What Image Updater does for one Application: the images, their strategy and
 * constraint, and the write-back. Rendered as the Application's
 * `argocd-image-updater.argoproj.io/*` annotations (read by an
 * {@link ImageUpdater} with `useAnnotations`), or as the `images` of an
 * ImageUpdater resource.
 */
export class ImageUpdatePolicy {
  /** The images. */
  public readonly images: readonly ImageUpdateRule[];
  /** The write-back. */
  public readonly writeBack: WriteBack;

  constructor(props: ImageUpdatePolicyProps) {

    checkProps('ImageUpdatePolicy', 'ImageUpdatePolicyProps', props);
    if (props.images.length === 0) {
      throw new ConfigError('ImageUpdatePolicy', 'images', [], 'List at least one image to update.');
    }
    const seen = new Set<string>();
    for (const [i, rule] of props.images.entries()) {
      if (!ALIAS.test(rule.alias)) {
        throw new ConfigError('ImageUpdatePolicy', `images[${i}].alias`, rule.alias, 'Use a short lowercase alias such as "myapp".');
      }
      if (seen.has(rule.alias)) {
        throw new ConfigError('ImageUpdatePolicy', `images[${i}].alias`, rule.alias, 'Give each image its own alias.');
      }
      seen.add(rule.alias);
      const plain = rule.image.replace(/\{\{[^{}]*\}\}/g, 'x');
      if (!IMAGE.test(plain) || /:[^/]*$/.test(plain.replace(/^[^/]+\//, ''))) {
        throw new ConfigError('ImageUpdatePolicy', `images[${i}].image`, rule.image, 'Give the image without a tag, such as "docker.io/org/myapp"; put the version range in `constraint`.');
      }
      if (rule.constraint !== undefined && !/^[~^]?v?[0-9xX*]+(\.[0-9xX*]+){0,2}(-\S+)?$/.test(rule.constraint)) {
        throw new ConfigError('ImageUpdatePolicy', `images[${i}].constraint`, rule.constraint, 'Use a semver constraint such as "~1.0", "^2" or "1.2.x".');
      }
      if (rule.constraint !== undefined && (rule.strategy ?? UpdateStrategy.semver()).name !== 'semver' && (rule.strategy ?? UpdateStrategy.semver()).name !== 'digest') {
        throw new ConfigError('ImageUpdatePolicy', `images[${i}].constraint`, rule.constraint, 'A version constraint needs the semver (or digest) strategy.');
      }
    }
    this.images = props.images;
    this.writeBack = props.writeBack ?? WriteBack.git();
  }

  /** The Application annotations that describe this policy. */
  public toAnnotations(): Record<string, string> {
    const p = IMAGE_UPDATER_ANNOTATION_PREFIX;
    const out: Record<string, string> = {
      [`${p}/image-list`]: this.images.map((r) => `${r.alias}=${imageRef(r)}`).join(','),
    };
    for (const r of this.images) {
      out[`${p}/${r.alias}.update-strategy`] = (r.strategy ?? UpdateStrategy.semver()).name;
      if (r.allowTags !== undefined) out[`${p}/${r.alias}.allow-tags`] = r.allowTags;
      if (r.ignoreTags && r.ignoreTags.length > 0) out[`${p}/${r.alias}.ignore-tags`] = r.ignoreTags.join(',');
      if (r.helm) {
        out[`${p}/${r.alias}.helm.image-name`] = r.helm.name;
        out[`${p}/${r.alias}.helm.image-tag`] = r.helm.tag;
      }
      if (r.kustomizeImage !== undefined) out[`${p}/${r.alias}.kustomize.image-name`] = r.kustomizeImage;
    }
    out[`${p}/write-back-method`] = this.writeBack.method;
    if (this.writeBack.branch !== undefined) out[`${p}/git-branch`] = this.writeBack.branch;
    if (this.writeBack.target !== undefined) out[`${p}/write-back-target`] = this.writeBack.target;
    return out;
  }

  /** The `images` of an ImageUpdater `applicationRefs` entry. */
  public toImages(): Array<Record<string, unknown>> {
    return this.images.map((r) => {
      const settings = {
        updateStrategy: (r.strategy ?? UpdateStrategy.semver()).name,
        ...(r.allowTags !== undefined ? { allowTags: r.allowTags } : {}),
        ...(r.ignoreTags && r.ignoreTags.length > 0 ? { ignoreTags: [...r.ignoreTags] } : {}),
      };
      const targets = r.helm
        ? { helm: { name: r.helm.name, tag: r.helm.tag } }
        : r.kustomizeImage !== undefined
          ? { kustomize: { name: r.kustomizeImage } }
          : undefined;
      return { alias: r.alias, imageName: imageRef(r), commonUpdateSettings: settings, ...(targets ? { manifestTargets: targets } : {}) };
    });
  }

  /** The `writeBackConfig` of an ImageUpdater resource. */
  public writeBackConfig(): Record<string, unknown> {
    return writeBackConfig(this.writeBack);
  }
}

function imageRef(rule: ImageUpdateRule): string {
  return rule.constraint !== undefined ? `${rule.image}:${rule.constraint}` : rule.image;
}

function writeBackConfig(writeBack: WriteBack): Record<string, unknown> {
  const git = {
    ...(writeBack.branch !== undefined ? { branch: writeBack.branch } : {}),
    ...(writeBack.target !== undefined ? { writeBackTarget: writeBack.target } : {}),
  };
  return { method: writeBack.method, ...(Object.keys(git).length > 0 ? { gitConfig: git } : {}) };
}

/** Applications an {@link ImageUpdater} handles, and how. */
export interface ImageUpdaterTarget {
  /** Glob of Application names (`myapp`, `team-a-*`). */
  readonly namePattern: string;
  /** Only Applications with these labels. @default - every Application matching the name */
  readonly matchLabels?: Readonly<Record<string, string>>;
  /**
   * The images, or nothing to read each Application's own
   * `argocd-image-updater.argoproj.io/*` annotations (`useAnnotations`).
   * @default - read the annotations
   */
  readonly policy?: ImageUpdatePolicy;
}

/** Options for {@link ImageUpdater}. */
export interface ImageUpdaterProps {
  /** Resource name. */
  readonly name: string;
  /** Namespace of Argo CD (the Applications it updates live there). @default 'argocd' */
  readonly namespace?: string;
  /** The Applications it handles. */
  readonly applications: readonly ImageUpdaterTarget[];
  /** Default write-back for applications that do not set their own. @default - Image Updater's default (argocd) */
  readonly writeBack?: WriteBack;
}

/** An `ImageUpdater` resource (argocd-image-updater v1): which Applications get image updates, and how. */
export class ImageUpdater extends Construct {
  /** The generated resource. */
  public readonly resource: ApiObject;
  /** The resource name. */
  public readonly name: string;

  constructor(scope: Construct, id: string, props: ImageUpdaterProps) {
    super(scope, id);
    checkProps(this, 'ImageUpdaterProps', props);
    if (props.applications.length === 0) {
      throw new ConfigError(this.node.path, 'applications', [], 'Select at least one Application (namePattern).');
    }
    this.name = props.name;
    this.resource = new ImageUpdaterResource(this, 'Resource', {
      metadata: { name: props.name, namespace: props.namespace ?? 'argocd' },
      spec: {
        ...(props.writeBack ? { writeBackConfig: writeBackConfig(props.writeBack) } : {}),
        applicationRefs: props.applications.map((a, i) => {
          if (a.namePattern.trim() === '') {
            throw new ConfigError(this.node.path, `applications[${i}].namePattern`, a.namePattern, 'Use an Application name or glob such as "team-a-*".');
          }
          return {
            namePattern: a.namePattern,
            ...(a.matchLabels ? { labelSelectors: { matchLabels: { ...a.matchLabels } } } : {}),
            ...(a.policy
              ? { images: a.policy.toImages(), writeBackConfig: a.policy.writeBackConfig() }
              : { useAnnotations: true }),
          };
        }) as never,
      },
    });
  }
}
