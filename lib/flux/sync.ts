import { Construct } from 'constructs';
import { ConfigError } from '../platform/errors';
import { GitRepository } from './git-repository';
import { Decryption, Kustomization, KustomizationDeletionPolicy, PostBuild } from './kustomization';
import { GitRef } from './source';
import { checkName, FLUX_NAMESPACE } from './validation';
import { checkProps } from '../platform/config-boundary/props';

/** One stage of a cluster's sync: a Kustomization over one directory of the repository. */
export interface FluxSyncStage {
  /** The Kustomization's name (`infrastructure`, `apps`). */
  readonly name: string;
  /** The directory in the repository (`clusters/prod/infrastructure`, `./apps/production`). */
  readonly path: string;
  /** Reconcile interval. @default - the sync's `interval` */
  readonly interval?: string;
  /** Delete removed objects. @default - the sync's `prune` */
  readonly prune?: boolean;
  /** Wait for every object to be ready. @default - the sync's `wait` */
  readonly wait?: boolean;
  /** Timeout. @default - the sync's `timeout` */
  readonly timeout?: string;
  /**
   * Decrypt with the sync's `decryption`. Turn it off for a stage that
   * creates the decryption key's Secret itself (from an ExternalSecret).
   * @default true
   */
  readonly decrypt?: boolean;
}

/** Options for {@link FluxSync}. */
export interface FluxSyncProps {
  /** The repository URL. */
  readonly url: string;
  /** The revision the cluster tracks. */
  readonly ref: GitRef;
  /**
   * Name of the Secret (in the sync namespace) with the repository credentials.
   * @default - public repository
   */
  readonly secretRef?: string;
  /**
   * Name of the GitRepository.
   * @default 'flux-system'
   */
  readonly sourceName?: string;
  /**
   * Namespace of every sync object.
   * @default 'flux-system'
   */
  readonly namespace?: string;
  /**
   * Fetch interval of the repository.
   * @default '1m'
   */
  readonly sourceInterval?: string;
  /**
   * The stages, in order: each stage depends on the one before it.
   */
  readonly stages: readonly FluxSyncStage[];
  /** Default reconcile interval of the stages. @default '10m' */
  readonly interval?: string;
  /** Default prune of the stages. @default false */
  readonly prune?: boolean;
  /** Default wait of the stages. @default false */
  readonly wait?: boolean;
  /** What each stage does with its objects when it is deleted. @default - Flux's default, `MirrorPrune` */
  readonly deletionPolicy?: KustomizationDeletionPolicy;
  /** Default timeout of the stages. @default - the interval */
  readonly timeout?: string;
  /** Retry interval of every stage. @default - the interval */
  readonly retryInterval?: string;
  /**
   * Apply as this ServiceAccount of the sync namespace (under the
   * multi-tenancy lockdown: `kustomize-controller`).
   * @default - the controller's identity
   */
  readonly serviceAccountName?: string;
  /** SOPS decryption for every stage. @default - none */
  readonly decryption?: Decryption;
  /** Post-build substitution for every stage. @default - none */
  readonly postBuild?: PostBuild;
  /**
   * Suspend every stage: Flux reconciles none of them until `flux resume`
   * (a standby cluster that holds its sync until it is promoted).
   * @default false
   */
  readonly suspend?: boolean;
}

/**
 * What `flux bootstrap` writes for a cluster, as typed objects: the
 * GitRepository of the cluster's repository and revision, and one
 * Kustomization per stage, each depending on the previous one
 * (infrastructure → apps in the seeds; infrastructure → policies → tenants
 * in the platform).
 */
export class FluxSync extends Construct {
  /** The repository. */
  public readonly gitRepository: GitRepository;
  /** The Kustomizations, in order. */
  public readonly kustomizations: readonly Kustomization[];
  /** Whether every stage is suspended. */
  public readonly suspended: boolean;

  constructor(scope: Construct, id: string, props: FluxSyncProps) {
    super(scope, id);
    checkProps(this, 'FluxSyncProps', props);
    const where = this.node.path;
    if (props.stages.length === 0) {
      throw new ConfigError(where, 'stages', props.stages, 'Give at least one stage, such as { name: "infrastructure", path: "clusters/prod/infrastructure" }.');
    }
    const names = new Set<string>();
    for (const stage of props.stages) {
      checkName(where, 'stages.name', stage.name);
      if (names.has(stage.name)) {
        throw new ConfigError(where, 'stages.name', stage.name, 'Each stage needs its own name.');
      }
      names.add(stage.name);
    }
    const namespace = props.namespace ?? FLUX_NAMESPACE;
    this.gitRepository = new GitRepository(this, 'GitRepository', {
      name: props.sourceName ?? 'flux-system',
      namespace,
      url: props.url,
      ref: props.ref,
      interval: props.sourceInterval ?? '1m',
      secretRef: props.secretRef,
    });
    const kustomizations: Kustomization[] = [];
    for (const stage of props.stages) {
      const previous = kustomizations[kustomizations.length - 1];
      kustomizations.push(
        new Kustomization(this, `Kustomization-${stage.name}`, {
          name: stage.name,
          namespace,
          source: this.gitRepository,
          path: stage.path,
          interval: stage.interval ?? props.interval ?? '10m',
          retryInterval: props.retryInterval,
          prune: stage.prune ?? props.prune ?? false,
          deletionPolicy: props.deletionPolicy,
          wait: stage.wait ?? props.wait,
          timeout: stage.timeout ?? props.timeout,
          dependsOn: previous ? [previous] : [],
          serviceAccountName: props.serviceAccountName,
          decryption: stage.decrypt === false ? undefined : props.decryption,
          postBuild: props.postBuild,
          ...(props.suspend ? { suspend: true } : {}),
        }),
      );
    }
    this.kustomizations = kustomizations;
    this.suspended = props.suspend ?? false;
  }

  /** The stage Kustomization named `name`. */
  public stage(name: string): Kustomization {
    const found = this.kustomizations.find((k) => k.name === name);
    if (!found) {
      throw new ConfigError(this.node.path, 'stage', name, `No such stage; the stages are ${this.kustomizations.map((k) => k.name).join(', ')}.`);
    }
    return found;
  }
}
