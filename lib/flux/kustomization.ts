import { Lazy, ApiObject } from 'cdk8s';
import { Construct, IConstruct } from 'constructs';
import { ConfigError } from '../platform/errors';
import {
  Kustomization as KustomizationResource,
  KustomizationSpecDecryption,
  KustomizationSpecDecryptionProvider,
  KustomizationSpecPostBuildSubstituteFromKind,
  KustomizationSpecDeletionPolicy,
  KustomizationSpecSourceRefKind,
} from '../imports/flux-kustomize';
import { fluxIdentity, FluxObjectOptions } from './metadata';

/** What Flux does with a Kustomization's objects when the Kustomization is deleted. */
export type KustomizationDeletionPolicy = 'MirrorPrune' | 'Delete' | 'WaitForTermination' | 'Orphan';

const DELETION_POLICIES: readonly KustomizationDeletionPolicy[] = ['MirrorPrune', 'Delete', 'WaitForTermination', 'Orphan'];

function checkDeletionPolicy(where: string, policy: KustomizationDeletionPolicy): KustomizationSpecDeletionPolicy {
  if (!DELETION_POLICIES.includes(policy)) {
    throw new ConfigError(where, 'deletionPolicy', policy, `Use one of ${DELETION_POLICIES.join(', ')}.`);
  }
  return policy as KustomizationSpecDeletionPolicy;
}
import { KustomizeImage, imageOverridesJson, KustomizePatch } from './patch';
import { IFluxSource } from './source';
import { secretLikeKey } from './secrets';
import {
  checkArtifactPath,
  checkDuration,
  checkLabels,
  checkName,
  checkNamespace,
  checkOptionalDuration,
  checkSecretName,
  nonEmptyRecord,
} from './validation';
import { checkProps } from '../platform/config-boundary/props';

/** A Kustomization identified by name, for `dependsOn` across charts or clusters. */
export interface KustomizationReference {
  /** The Kustomization's name. */
  readonly name: string;
  /**
   * Its namespace.
   * @default - the namespace of the Kustomization that depends on it
   */
  readonly namespace?: string;
  /**
   * The Kustomization is created outside this app (by another repository or
   * tool), so it is not looked up when the app is rendered.
   * @default false
   */
  readonly external?: boolean;
}

/** An object whose readiness the Kustomization waits for. */
export interface KustomizationHealthCheck {
  /** API version of the object (`apps/v1`). @default - Flux resolves the kind's preferred version */
  readonly apiVersion?: string;
  /** Kind (`Deployment`, `HelmRelease` ...). */
  readonly kind: string;
  /** Name. */
  readonly name: string;
  /** Namespace. @default - the Kustomization's namespace */
  readonly namespace?: string;
}

/** How the Kustomization decrypts SOPS-encrypted files before applying them. */
export class Decryption {
  /**
   * SOPS with the private keys (age, OpenPGP) of a Secret in the
   * Kustomization's namespace (`age.agekey`, `*.asc`), or with the cloud KMS
   * identity of a ServiceAccount.
   */
  public static sops(options: { readonly keySecret?: string; readonly serviceAccountName?: string }): Decryption {
    if (options.keySecret === undefined && options.serviceAccountName === undefined) {
      throw new ConfigError('Decryption', 'sops', options, 'Give keySecret (a Secret with the SOPS private key) or serviceAccountName (cloud KMS identity).');
    }
    if (options.keySecret !== undefined) checkSecretName('Decryption', 'keySecret', options.keySecret);
    return new Decryption({
      provider: KustomizationSpecDecryptionProvider.SOPS,
      secretRef: options.keySecret !== undefined ? { name: options.keySecret } : undefined,
      serviceAccountName: options.serviceAccountName,
    });
  }

  private constructor(private readonly json: KustomizationSpecDecryption) {}

  /** The Secret with the keys, if any. */
  public get keySecret(): string | undefined {
    return this.json.secretRef?.name;
  }

  /** The `decryption` object. */
  public toJson(): KustomizationSpecDecryption {
    return { ...this.json };
  }
}

/** A ConfigMap or Secret whose keys become post-build substitution variables. */
export class SubstitutionSource {
  /** Variables from a ConfigMap. */
  public static configMap(name: string, options: { readonly optional?: boolean } = {}): SubstitutionSource {
    return new SubstitutionSource(KustomizationSpecPostBuildSubstituteFromKind.CONFIG_MAP, checkName('SubstitutionSource', 'name', name), options.optional);
  }

  /** Variables from a Secret (for values that must not be in Git). */
  public static secret(name: string, options: { readonly optional?: boolean } = {}): SubstitutionSource {
    return new SubstitutionSource(KustomizationSpecPostBuildSubstituteFromKind.SECRET, checkSecretName('SubstitutionSource', 'name', name), options.optional);
  }

  private constructor(
    private readonly kind: KustomizationSpecPostBuildSubstituteFromKind,
    private readonly name: string,
    private readonly optional: boolean | undefined,
  ) {}

  /** The `substituteFrom` entry. */
  public toJson(): { kind: KustomizationSpecPostBuildSubstituteFromKind; name: string; optional?: boolean } {
    return { kind: this.kind, name: this.name, ...(this.optional !== undefined ? { optional: this.optional } : {}) };
  }
}

/** Variable substitution (`${var}`) after kustomize build. */
export interface PostBuild {
  /**
   * Variables and their values. Never a secret: use `substituteFrom` with a Secret.
   * @default {}
   */
  readonly substitute?: Readonly<Record<string, string>>;
  /**
   * ConfigMaps and Secrets whose keys are variables (later ones win, `substitute` wins over all).
   * @default []
   */
  readonly substituteFrom?: readonly SubstitutionSource[];
}

/** Options for {@link Kustomization}. */
export interface KustomizationProps extends FluxObjectOptions {
  /** The source with the manifests (a GitRepository, OCIRepository or Bucket). */
  readonly source: IFluxSource;
  /**
   * The directory in the source to build.
   * @default - the source root
   */
  readonly path?: string;
  /**
   * How often the Kustomization is reconciled (drift is corrected at this interval).
   * @default '10m'
   */
  readonly interval?: string;
  /**
   * How soon a failed reconciliation is retried.
   * @default - the interval
   */
  readonly retryInterval?: string;
  /**
   * Delete objects that were removed from the source.
   * @default false
   */
  readonly prune?: boolean;
  /**
   * What happens to the applied objects when this Kustomization is deleted:
   * `MirrorPrune` (delete them if `prune`, else orphan them), `Delete`,
   * `WaitForTermination` (delete them and finish only when they are gone, so
   * their own finalizers run while the controllers still do) or `Orphan`.
   * @default - Flux's default, `MirrorPrune`
   */
  readonly deletionPolicy?: KustomizationDeletionPolicy;
  /**
   * Wait for every applied object to become ready (overrides `healthChecks`).
   * @default false
   */
  readonly wait?: boolean;
  /**
   * Timeout for building, applying and health checking.
   * @default - the interval
   */
  readonly timeout?: string;
  /**
   * Kustomizations that must be ready first. A construct, or a reference
   * resolved among the Kustomizations of the app when it is rendered.
   * @default []
   */
  readonly dependsOn?: readonly (Kustomization | KustomizationReference)[];
  /**
   * Objects whose readiness makes the Kustomization ready.
   * @default []
   */
  readonly healthChecks?: readonly KustomizationHealthCheck[];
  /**
   * Put every namespaced object into this namespace.
   * @default - the namespaces in the manifests
   */
  readonly targetNamespace?: string;
  /**
   * Apply as this ServiceAccount (of the Kustomization's namespace) instead of
   * the controller's own identity.
   * @default - the controller's identity (or the lockdown default account)
   */
  readonly serviceAccountName?: string;
  /**
   * Decrypt SOPS-encrypted files.
   * @default - no decryption
   */
  readonly decryption?: Decryption;
  /**
   * Substitute `${var}` variables after the build.
   * @default - no substitution
   */
  readonly postBuild?: PostBuild;
  /**
   * Patches applied after the build.
   * @default []
   */
  readonly patches?: readonly KustomizePatch[];
  /**
   * Image overrides applied after the build.
   * @default []
   */
  readonly images?: readonly KustomizeImage[];
  /**
   * Labels and annotations put on every applied object.
   * @default - none
   */
  readonly commonMetadata?: {
    readonly labels?: Readonly<Record<string, string>>;
    readonly annotations?: Readonly<Record<string, string>>;
  };
  /**
   * Recreate objects whose immutable fields changed.
   * @default false
   */
  readonly force?: boolean;
  /**
   * Stop reconciling.
   * @default false
   */
  readonly suspend?: boolean;
}

/**
 * A Flux Kustomization (`kustomize.toolkit.fluxcd.io/v1`).
 *
 * `dependsOn` is checked when the app is rendered, over every Kustomization
 * of the app: a dependency on an unknown Kustomization, or a cycle, fails
 * rendering with a message naming it. A dependency on itself fails at once.
 */
export class Kustomization extends Construct {
  /** The generated resource. */
  public readonly resource: ApiObject;
  /** The Kustomization's name. */
  public readonly name: string;
  /** The Kustomization's namespace. */
  public readonly namespace: string;
  /** The path built, if set. */
  public readonly path?: string;
  /** The reconcile interval. */
  public readonly interval: string;
  /** Whether removed objects are deleted. */
  public readonly prune: boolean;
  /** The source. */
  public readonly source: IFluxSource;
  /** The namespace objects are put into, if set. */
  public readonly targetNamespace?: string;
  /** The ServiceAccount used to apply, if set. */
  public readonly serviceAccountName?: string;
  private readonly dependencies: KustomizationReference[] = [];
  private readonly checks: KustomizationHealthCheck[] = [];

  constructor(scope: Construct, id: string, props: KustomizationProps) {
    super(scope, id);
    checkProps(this, 'KustomizationProps', props);
    const where = this.node.path;
    const identity = fluxIdentity(this, props);
    this.name = identity.name;
    this.namespace = identity.namespace;
    this.source = props.source;
    const kind = props.source.sourceKind;
    if (kind !== 'GitRepository' && kind !== 'OCIRepository' && kind !== 'Bucket') {
      throw new ConfigError(where, 'source', `${kind}/${props.source.name}`, 'A Kustomization builds from a GitRepository, OCIRepository or Bucket; a HelmRepository feeds a HelmRelease.');
    }
    this.path = props.path === undefined ? undefined : checkArtifactPath(where, 'path', props.path);
    this.interval = checkDuration(where, 'interval', props.interval ?? '10m');
    this.prune = props.prune ?? false;
    this.targetNamespace = props.targetNamespace === undefined ? undefined : checkNamespace(where, 'targetNamespace', props.targetNamespace);
    this.serviceAccountName =
      props.serviceAccountName === undefined ? undefined : checkName(where, 'serviceAccountName', props.serviceAccountName);
    if (props.commonMetadata) checkLabels(where, 'commonMetadata.labels', props.commonMetadata.labels);

    this.addDependsOn(...(props.dependsOn ?? []));
    this.addHealthCheck(...(props.healthChecks ?? []));

    this.resource = new KustomizationResource(this, 'Resource', {
      metadata: identity.metadata,
      spec: {
        interval: this.interval,
        retryInterval: checkOptionalDuration(where, 'retryInterval', props.retryInterval),
        path: this.path,
        prune: this.prune,
        deletionPolicy: props.deletionPolicy === undefined ? undefined : checkDeletionPolicy(where, props.deletionPolicy),
        wait: props.wait,
        timeout: checkOptionalDuration(where, 'timeout', props.timeout),
        sourceRef: {
          kind: kind as KustomizationSpecSourceRefKind,
          name: props.source.name,
          namespace: props.source.namespace !== this.namespace ? props.source.namespace : undefined,
        },
        dependsOn: Lazy.any({ produce: () => (this.dependencies.length > 0 ? this.dependsOnJson() : undefined) }),
        healthChecks: Lazy.any({ produce: () => (this.checks.length > 0 ? this.checks.map((c) => ({ ...c })) : undefined) }),
        targetNamespace: this.targetNamespace,
        serviceAccountName: this.serviceAccountName,
        decryption: props.decryption?.toJson(),
        postBuild: postBuildJson(where, props.postBuild),
        patches: props.patches && props.patches.length > 0 ? props.patches.map((p) => p.toJson()) : undefined,
        images: imageOverridesJson(where, props.images),
        commonMetadata: props.commonMetadata
          ? { labels: nonEmptyRecord(props.commonMetadata.labels), annotations: nonEmptyRecord(props.commonMetadata.annotations) }
          : undefined,
        force: props.force,
        suspend: props.suspend,
      },
    });

    register(this);
    this.node.addValidation({ validate: () => this.validateDependencies() });
  }

  /** `namespace/name`, unique among the Kustomizations of an app. */
  public get key(): string {
    return `${this.namespace}/${this.name}`;
  }

  /** The dependencies, as `namespace/name`, in the order given. */
  public get dependsOn(): string[] {
    return this.dependencies.map((d) => `${d.namespace ?? this.namespace}/${d.name}`);
  }

  /** Adds Kustomizations that must be ready before this one. */
  public addDependsOn(...dependencies: (Kustomization | KustomizationReference)[]): void {
    for (const dependency of dependencies) {
      const ref: KustomizationReference =
        dependency instanceof Kustomization
          ? { name: dependency.name, namespace: dependency.namespace }
          : {
              name: checkName(this.node.path, 'dependsOn.name', dependency.name),
              namespace: dependency.namespace === undefined ? undefined : checkNamespace(this.node.path, 'dependsOn.namespace', dependency.namespace),
              external: dependency.external,
            };
      const key = `${ref.namespace ?? this.namespace}/${ref.name}`;
      if (key === `${this.namespace}/${this.name}`) {
        throw new ConfigError(this.node.path, 'dependsOn', key, 'A Kustomization cannot depend on itself; remove this dependency.');
      }
      if (this.dependsOn.includes(key)) continue;
      this.dependencies.push(ref);
    }
  }

  /** Adds objects whose readiness makes this Kustomization ready. */
  public addHealthCheck(...checks: KustomizationHealthCheck[]): void {
    for (const check of checks) {
      checkName(this.node.path, 'healthChecks.name', check.name);
      if (check.namespace !== undefined) checkNamespace(this.node.path, 'healthChecks.namespace', check.namespace);
      if (!/^[A-Z][A-Za-z0-9]*$/.test(check.kind)) {
        throw new ConfigError(this.node.path, 'healthChecks.kind', check.kind, 'Use a Kubernetes kind such as "Deployment" or "HelmRelease".');
      }
      this.checks.push({ ...check });
    }
  }

  private dependsOnJson(): Array<{ name: string; namespace?: string }> {
    return this.dependencies.map((d) => ({
      name: d.name,
      ...(d.namespace !== undefined && d.namespace !== this.namespace ? { namespace: d.namespace } : {}),
    }));
  }

  /** Unknown dependencies and cycles, over every Kustomization of the app. */
  private validateDependencies(): string[] {
    const { byKey, duplicates } = indexOf(this.node.root);
    const errors: string[] = [];
    const other = duplicates.get(this);
    if (other) {
      errors.push(new ConfigError(this.node.path, 'name', this.key, `Another Kustomization has the same namespace and name (${other.node.path}); rename one of them.`).message);
    }
    const dependsOn = this.dependsOn;
    this.dependencies.forEach((d, index) => {
      const key = dependsOn[index];
      if (!d.external && !byKey.has(key)) {
        const known = [...byKey.keys()].sort().join(', ');
        errors.push(
          new ConfigError(
            this.node.path,
            'dependsOn',
            key,
            `No Kustomization with that namespace and name exists in this app (known: ${known}). Create it, fix the name, or mark the reference external: true if another repository creates it.`,
          ).message,
        );
      }
    });
    const cycle = findCycle(this, byKey);
    // Report a cycle once, from its member with the smallest key.
    if (cycle && cycle.slice(0, -1).every((key) => key >= this.key)) {
      errors.push(
        new ConfigError(this.node.path, 'dependsOn', this.dependsOn, `The Kustomizations depend on each other in a cycle: ${cycle.join(' -> ')}. Remove one of these dependencies.`).message,
      );
    }
    return errors;
  }
}

/** Every {@link Kustomization} under `root`, in a stable order. */
export function kustomizationsOf(root: IConstruct): Kustomization[] {
  return root.node.findAll().filter((c): c is Kustomization => c instanceof Kustomization);
}

/** The Kustomizations of an app by `namespace/name`, and each duplicate with the one it repeats. */
interface KustomizationIndex {
  readonly size: number;
  readonly byKey: ReadonlyMap<string, Kustomization>;
  readonly duplicates: ReadonlyMap<Kustomization, Kustomization>;
}

/** The Kustomizations created in each app, in creation order. */
const CREATED = new WeakMap<IConstruct, Kustomization[]>();
const INDEXES = new WeakMap<IConstruct, KustomizationIndex>();

function register(kustomization: Kustomization): void {
  const root = kustomization.node.root;
  const list = CREATED.get(root) ?? [];
  list.push(kustomization);
  CREATED.set(root, list);
}

/**
 * The index of the app's Kustomizations, built once and reused by every
 * Kustomization's validation until another one is created, so validating n
 * Kustomizations costs O(n) instead of a walk of the whole tree each.
 */
function indexOf(root: IConstruct): KustomizationIndex {
  const all = CREATED.get(root) ?? [];
  const cached = INDEXES.get(root);
  if (cached && cached.size === all.length) return cached;
  const byKey = new Map<string, Kustomization>();
  const duplicates = new Map<Kustomization, Kustomization>();
  for (const k of all) {
    const first = byKey.get(k.key);
    if (first) duplicates.set(k, first);
    else byKey.set(k.key, k);
  }
  const index = { size: all.length, byKey, duplicates };
  INDEXES.set(root, index);
  return index;
}

function findCycle(start: Kustomization, byKey: ReadonlyMap<string, Kustomization>): string[] | undefined {
  const path: string[] = [];
  const visiting = new Set<string>();
  const done = new Set<string>();
  const visit = (k: Kustomization): string[] | undefined => {
    path.push(k.key);
    visiting.add(k.key);
    for (const dep of k.dependsOn) {
      if (dep === start.key) return [...path, dep];
      const next = byKey.get(dep);
      if (!next || visiting.has(dep) || done.has(dep)) continue;
      const found = visit(next);
      if (found) return found;
    }
    path.pop();
    visiting.delete(k.key);
    done.add(k.key);
    return undefined;
  };
  return visit(start);
}

function postBuildJson(where: string, postBuild: PostBuild | undefined) {
  if (!postBuild) return undefined;
  const substitute = postBuild.substitute ?? {};
  for (const [name, value] of Object.entries(substitute)) {
    if (!/^[_a-zA-Z][_a-zA-Z0-9]*$/.test(name)) {
      throw new ConfigError(where, `postBuild.substitute.${name}`, name, 'Use a variable name of letters, digits and "_", not starting with a digit.');
    }
    if (typeof value !== 'string') {
      throw new ConfigError(where, `postBuild.substitute.${name}`, value, 'Substitution values are strings; quote numbers and booleans.');
    }
    if (secretLikeKey(name) && value !== '') {
      throw new ConfigError(where, `postBuild.substitute.${name}`, '(redacted)', 'Never put a secret in a manifest: move it to a Secret and list it in postBuild.substituteFrom.');
    }
  }
  const from = postBuild.substituteFrom ?? [];
  if (Object.keys(substitute).length === 0 && from.length === 0) {
    throw new ConfigError(where, 'postBuild', postBuild, 'Give substitute variables or substituteFrom sources, or leave postBuild unset.');
  }
  return {
    substitute: nonEmptyRecord(substitute),
    substituteFrom: from.length > 0 ? from.map((s) => s.toJson()) : undefined,
  };
}
