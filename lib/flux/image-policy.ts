import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { ConfigError } from '../platform/errors';
import {
  ImagePolicy as ImagePolicyResource,
  ImagePolicySpecDigestReflectionPolicy,
  ImagePolicySpecPolicy,
  ImagePolicySpecPolicyAlphabeticalOrder,
  ImagePolicySpecPolicyNumericalOrder,
} from '../imports/flux-image';
import { ImageRepository } from './image-repository';
import { fluxIdentity, FluxObjectOptions, FluxObjectReference } from './metadata';
import { semverRangeProblem } from './semver';
import { checkName, checkNamespace, checkOptionalDuration, checkRegex } from './validation';
import { checkProps } from '../platform/config-boundary/props';

/** How an ImagePolicy picks the latest tag. */
export class ImagePolicyRule {
  /** The highest tag in a SemVer range (`>=1.0.0 <2.0.0`, `~2.1`, `>=1.0.0-0` for pre-releases). */
  public static semver(range: string): ImagePolicyRule {
    const problem = semverRangeProblem(range);
    if (problem !== undefined) {
      throw new ConfigError('ImagePolicyRule', 'semver', range, `It is not a SemVer range (${problem}); use a range such as ">=1.0.0 <2.0.0" or "~2.1".`);
    }
    return new ImagePolicyRule({ semver: { range } }, `semver ${range}`);
  }

  /** The last tag in alphabetical order (`asc`: the highest; e.g. RFC 3339 timestamps). */
  public static alphabetical(order: 'asc' | 'desc' = 'asc'): ImagePolicyRule {
    return new ImagePolicyRule({ alphabetical: { order: order as ImagePolicySpecPolicyAlphabeticalOrder } }, `alphabetical ${order}`);
  }

  /** The highest (`asc`) or lowest (`desc`) tag read as a number (e.g. build numbers, Unix timestamps). */
  public static numerical(order: 'asc' | 'desc' = 'asc'): ImagePolicyRule {
    return new ImagePolicyRule({ numerical: { order: order as ImagePolicySpecPolicyNumericalOrder } }, `numerical ${order}`);
  }

  private constructor(
    private readonly json: ImagePolicySpecPolicy,
    /** A short description (`semver >=1.0.0 <2.0.0`). */
    public readonly description: string,
  ) {}

  /** Whether this rule orders tags as numbers (a tag filter should then extract the number). */
  public get isNumerical(): boolean {
    return this.json.numerical !== undefined;
  }

  /** The `policy` object. */
  public toJson(): ImagePolicySpecPolicy {
    return JSON.parse(JSON.stringify(this.json)) as ImagePolicySpecPolicy;
  }
}

/** Filters tags by a regular expression before the rule is applied, optionally extracting the compared part. */
export interface ImageTagFilter {
  /** A Go regular expression tags must match (`^main-[a-f0-9]+-(?P<ts>[0-9]+)$`). */
  readonly pattern: string;
  /** The part compared, from named groups (`$ts`). @default - the whole tag */
  readonly extract?: string;
}

/** Which part of an image a setter marker writes. */
export type ImageField = 'image' | 'tag' | 'name' | 'digest';

/** Options for {@link ImagePolicy}. */
export interface ImagePolicyProps extends FluxObjectOptions {
  /** The ImageRepository whose tags are considered. */
  readonly imageRepository: ImageRepository | FluxObjectReference;
  /** How the latest tag is chosen. */
  readonly policy: ImagePolicyRule;
  /**
   * Filter (and extract from) tags first.
   * @default - every tag
   */
  readonly filterTags?: ImageTagFilter;
  /**
   * Whether the digest of the chosen tag is reflected (`Always` re-checks at `interval`).
   * @default - Flux's default (`Never`)
   */
  readonly digestReflectionPolicy?: 'Always' | 'IfNotPresent' | 'Never';
  /**
   * How often the digest is re-checked; only with `digestReflectionPolicy: 'Always'`.
   * @default - none
   */
  readonly interval?: string;
  /**
   * Stop evaluating.
   * @default false
   */
  readonly suspend?: boolean;
}

/** A Flux ImagePolicy (`image.toolkit.fluxcd.io/v1`): picks the latest image of an ImageRepository. */
export class ImagePolicy extends Construct implements FluxObjectReference {
  /** The generated resource. */
  public readonly resource: ApiObject;
  public readonly name: string;
  public readonly namespace: string;
  /** The rule. */
  public readonly policy: ImagePolicyRule;
  /** The image repository's name. */
  public readonly imageRepositoryName: string;

  constructor(scope: Construct, id: string, props: ImagePolicyProps) {
    super(scope, id);
    checkProps(this, 'ImagePolicyProps', props);
    const where = this.node.path;
    const identity = fluxIdentity(this, props);
    this.name = identity.name;
    this.namespace = identity.namespace;
    this.policy = props.policy;
    const repoName = checkName(where, 'imageRepository.name', props.imageRepository.name);
    const repoNamespace = checkNamespace(where, 'imageRepository.namespace', props.imageRepository.namespace);
    this.imageRepositoryName = repoName;
    if (props.filterTags) {
      const regex = checkRegex(where, 'filterTags.pattern', props.filterTags.pattern);
      const groups = new RegExp(`${regex.source}|`).exec('')?.groups ?? {};
      for (const ref of props.filterTags.extract?.match(/\$\{?([A-Za-z_][A-Za-z0-9_]*)\}?/g) ?? []) {
        const group = ref.replace(/[${}]/g, '');
        if (!/^[0-9]+$/.test(group) && !(group in groups)) {
          throw new ConfigError(where, 'filterTags.extract', props.filterTags.extract, `The pattern has no named group "${group}"; add (?P<${group}>...) to the pattern or fix extract.`);
        }
      }
    }
    if (props.interval !== undefined && props.digestReflectionPolicy !== 'Always') {
      throw new ConfigError(where, 'interval', props.interval, 'An interval only applies with digestReflectionPolicy "Always"; remove it or set that policy.');
    }
    if (props.digestReflectionPolicy === 'Always' && props.interval === undefined) {
      throw new ConfigError(where, 'interval', props.interval, 'digestReflectionPolicy "Always" needs an interval at which the digest is re-checked, such as "10m".');
    }
    this.resource = new ImagePolicyResource(this, 'Resource', {
      metadata: identity.metadata,
      spec: {
        imageRepositoryRef: { name: repoName, namespace: repoNamespace !== this.namespace ? repoNamespace : undefined },
        policy: props.policy.toJson(),
        filterTags: props.filterTags ? { pattern: props.filterTags.pattern, extract: props.filterTags.extract } : undefined,
        digestReflectionPolicy: props.digestReflectionPolicy as ImagePolicySpecDigestReflectionPolicy | undefined,
        interval: checkOptionalDuration(where, 'interval', props.interval),
        suspend: props.suspend,
      },
    });
  }

  /** The setter marker for this policy (`{"$imagepolicy": "flux-system:myapp"}`). */
  public marker(field: ImageField = 'image'): string {
    return imagePolicyMarker(this, field);
  }
}

/**
 * The setter marker image-automation-controller looks for in a YAML comment:
 * `{"$imagepolicy": "<namespace>:<name>"}` for a whole image reference, with
 * `:tag`, `:name` or `:digest` for a field holding only that part.
 */
export function imagePolicyMarker(policy: FluxObjectReference, field: ImageField = 'image'): string {
  checkName('imagePolicyMarker', 'policy.name', policy.name);
  checkNamespace('imagePolicyMarker', 'policy.namespace', policy.namespace);
  const suffix = field === 'image' ? '' : `:${field}`;
  return `{"$imagepolicy": "${policy.namespace}:${policy.name}${suffix}"}`;
}
