import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { ConfigError } from '../platform/errors';
import { Alert as AlertResource, AlertSpecEventSeverity, AlertSpecEventSourcesKind } from '../imports/flux-notification';
import { fluxIdentity, FluxObjectOptions } from './metadata';
import { Provider } from './notification-provider';
import { checkLabels, checkName, checkNamespace, checkRegex, nonEmptyRecord } from './validation';
import { checkProps } from '../platform/config-boundary/props';

/** The Flux kinds that emit events. */
export const FLUX_EVENT_SOURCE_KINDS = [
  'Bucket',
  'GitRepository',
  'Kustomization',
  'HelmRelease',
  'HelmChart',
  'HelmRepository',
  'ImageRepository',
  'ImagePolicy',
  'ImageUpdateAutomation',
  'OCIRepository',
] as const;

/** One of {@link FLUX_EVENT_SOURCE_KINDS}. */
export type FluxEventSourceKind = (typeof FLUX_EVENT_SOURCE_KINDS)[number];

/** Which objects' events an Alert (or Receiver) covers. */
export interface FluxEventSource {
  /** The kind. */
  readonly kind: FluxEventSourceKind;
  /** The name, or `*` for every object of the kind (in the namespace). */
  readonly name: string;
  /** The namespace. @default - the Alert's namespace */
  readonly namespace?: string;
  /** With `name: '*'`, only objects with these labels. @default - all */
  readonly matchLabels?: Readonly<Record<string, string>>;
}

/** Checks event sources and returns their JSON (same-namespace sources omit the namespace). */
export function eventSourcesJson(where: string, field: string, sources: readonly FluxEventSource[], namespace: string) {
  if (sources.length === 0) {
    throw new ConfigError(where, field, sources, 'List at least one event source, e.g. { kind: "Kustomization", name: "*" }.');
  }
  return sources.map((source, index) => {
    if (!(FLUX_EVENT_SOURCE_KINDS as readonly string[]).includes(source.kind)) {
      throw new ConfigError(where, `${field}[${index}].kind`, source.kind, `Use one of ${FLUX_EVENT_SOURCE_KINDS.join(', ')}.`);
    }
    if (source.name !== '*') checkName(where, `${field}[${index}].name`, source.name);
    if (source.matchLabels !== undefined && source.name !== '*') {
      throw new ConfigError(where, `${field}[${index}].matchLabels`, source.matchLabels, 'matchLabels only applies with name "*".');
    }
    checkLabels(where, `${field}[${index}].matchLabels`, source.matchLabels);
    const ns = source.namespace === undefined ? undefined : checkNamespace(where, `${field}[${index}].namespace`, source.namespace);
    return {
      kind: source.kind as AlertSpecEventSourcesKind,
      name: source.name,
      namespace: ns !== undefined && ns !== namespace ? ns : undefined,
      matchLabels: nonEmptyRecord(source.matchLabels),
    };
  });
}

/** Options for {@link Alert}. */
export interface AlertProps extends FluxObjectOptions {
  /** The Provider that receives the events (same namespace). */
  readonly provider: Provider;
  /** The objects whose events are sent. */
  readonly eventSources: readonly FluxEventSource[];
  /**
   * `info` sends every event, `error` only failures.
   * @default 'info'
   */
  readonly eventSeverity?: 'info' | 'error';
  /**
   * Only events whose message matches one of these regular expressions.
   * @default - all
   */
  readonly inclusionList?: readonly string[];
  /**
   * Drop events whose message matches one of these regular expressions.
   * @default - none
   */
  readonly exclusionList?: readonly string[];
  /**
   * Extra metadata added to every event (`env: prod`, `cluster: prod-cluster`).
   * @default {}
   */
  readonly eventMetadata?: Readonly<Record<string, string>>;
  /**
   * Stop sending.
   * @default false
   */
  readonly suspend?: boolean;
}

/** A Flux notification Alert (`notification.toolkit.fluxcd.io/v1beta3`). */
export class Alert extends Construct {
  /** The generated resource. */
  public readonly resource: ApiObject;
  public readonly name: string;
  public readonly namespace: string;
  /** The severity threshold. */
  public readonly eventSeverity: 'info' | 'error';
  /** The provider. */
  public readonly provider: Provider;

  constructor(scope: Construct, id: string, props: AlertProps) {
    super(scope, id);
    checkProps(this, 'AlertProps', props);
    const where = this.node.path;
    const identity = fluxIdentity(this, props);
    this.name = identity.name;
    this.namespace = identity.namespace;
    this.provider = props.provider;
    this.eventSeverity = props.eventSeverity ?? 'info';
    if (props.provider.namespace !== this.namespace) {
      throw new ConfigError(where, 'provider', `${props.provider.namespace}/${props.provider.name}`, `An Alert references a Provider in its own namespace (${this.namespace}); create the Provider there.`);
    }
    if (!['info', 'error'].includes(this.eventSeverity)) {
      throw new ConfigError(where, 'eventSeverity', props.eventSeverity, 'Use "info" (every event) or "error" (failures only).');
    }
    if (props.provider.type.isCommitStatus && props.eventSources.some((s) => s.kind !== 'Kustomization')) {
      throw new ConfigError(where, 'eventSources', props.eventSources.map((s) => s.kind), 'Commit-status providers only understand Kustomization events; list Kustomizations only.');
    }
    for (const pattern of [...(props.inclusionList ?? []), ...(props.exclusionList ?? [])]) checkRegex(where, 'inclusionList/exclusionList', pattern);
    this.resource = new AlertResource(this, 'Resource', {
      metadata: identity.metadata,
      spec: {
        providerRef: { name: props.provider.name },
        eventSources: eventSourcesJson(where, 'eventSources', props.eventSources, this.namespace),
        eventSeverity: props.eventSeverity === undefined ? undefined : (this.eventSeverity as AlertSpecEventSeverity),
        inclusionList: props.inclusionList && props.inclusionList.length > 0 ? [...props.inclusionList] : undefined,
        exclusionList: props.exclusionList && props.exclusionList.length > 0 ? [...props.exclusionList] : undefined,
        eventMetadata: nonEmptyRecord(props.eventMetadata),
        suspend: props.suspend,
      },
    });
  }
}
