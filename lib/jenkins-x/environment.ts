import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { ConfigError } from '../platform/errors';
import { DNS_LABEL } from './internal';
import { GitUrl } from './git-url';
import { PromotionStrategy } from './promotion';
import { Environment as EnvironmentResource } from '../imports/jenkins.io';

/** The kinds of Jenkins X environment this module creates. */
export type EnvironmentKind = 'Development' | 'Permanent';

/** Options for {@link JenkinsXEnvironment}. */
export interface JenkinsXEnvironmentProps {
  /** The environment key (`dev`, `staging`, `production`); the object's name. */
  readonly key: string;
  /** The namespace the environment's applications run in. */
  readonly namespace: string;
  /** How releases reach it. */
  readonly promotion: PromotionStrategy;
  /** The Git repository that defines the environment (a cluster repository). */
  readonly repository: GitUrl;
  /**
   * The branch promotion pull requests target.
   * @default 'main'
   */
  readonly branch?: string;
  /**
   * The namespace the Environment object lives in (where Jenkins X runs).
   * @default 'jx'
   */
  readonly resourceNamespace?: string;
  /**
   * `Development` for the environment Jenkins X runs in, `Permanent` for promotion targets.
   * @default 'Permanent'
   */
  readonly kind?: EnvironmentKind;
  /**
   * Promotion order (lower first); not used for the development environment.
   * @default - none
   */
  readonly order?: number;
  /**
   * A human-readable label.
   * @default - the key, capitalised
   */
  readonly label?: string;
  /**
   * Whether the environment runs in another cluster than Jenkins X.
   * @default false
   */
  readonly remoteCluster?: boolean;
}


/**
 * A Jenkins X `Environment` (`jenkins.io/v1`): a place releases are promoted
 * to, with its namespace, Git repository and promotion strategy. Create it in
 * a tree chart; Jenkins X (`jx promote`, Lighthouse) reads it in the
 * development namespace.
 */
export class JenkinsXEnvironment extends Construct {
  /** The generated resource. */
  public readonly resource: ApiObject;
  /** The key (object name). */
  public readonly key: string;
  /** The applications' namespace. */
  public readonly namespace: string;
  /** The promotion strategy. */
  public readonly promotion: PromotionStrategy;
  /** The repository. */
  public readonly repository: GitUrl;

  constructor(scope: Construct, id: string, props: JenkinsXEnvironmentProps) {
    super(scope, id);
    for (const [field, value] of [['key', props.key], ['namespace', props.namespace]] as const) {
      if (!DNS_LABEL.test(value) || value.length > 63) {
        throw new ConfigError(this.node.path, field, value, 'Use a lowercase DNS label such as "staging".');
      }
    }
    const kind = props.kind ?? 'Permanent';
    if (kind === 'Development' && props.promotion.value !== 'Never') {
      throw new ConfigError(this.node.path, 'promotion', props.promotion.value, 'The development environment is never a promotion target: use PromotionStrategy.never().');
    }
    if (props.order !== undefined && (!Number.isInteger(props.order) || props.order < 0)) {
      throw new ConfigError(this.node.path, 'order', props.order, 'Use a whole number of 0 or more.');
    }
    this.key = props.key;
    this.namespace = props.namespace;
    this.promotion = props.promotion;
    this.repository = props.repository;

    this.resource = new EnvironmentResource(this, 'Resource', {
      metadata: {
        name: props.key,
        namespace: props.resourceNamespace ?? 'jx',
        labels: { env: props.key, team: props.resourceNamespace ?? 'jx' },
      },
      spec: {
        kind,
        label: props.label ?? props.key.charAt(0).toUpperCase() + props.key.slice(1),
        namespace: props.namespace,
        promotionStrategy: props.promotion.value,
        ...(props.order !== undefined ? { order: props.order } : {}),
        ...(props.remoteCluster ? { remoteCluster: true } : {}),
        source: { url: props.repository.httpsCloneUrl, ref: props.branch ?? 'main' },
        ...(kind === 'Development' ? { webHookEngine: 'Lighthouse' } : {}),
      },
    });
  }
}
