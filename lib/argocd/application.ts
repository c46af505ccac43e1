import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { ConfigError } from '../platform/errors';
import { Application as ApplicationResource, ApplicationSpec } from '../imports/argoproj.io-argocd';
import { IMAGE_UPDATES_LABEL, ImageUpdatePolicy } from './image-updater';
import { NotificationSubscription, subscriptionAnnotations } from './notifications';
import { ApplicationSource, dropUndefined, isTemplated } from './source';
import { SyncPolicy } from './sync-policy';
import { checkProps } from '../platform/config-boundary/props';

/** The in-cluster API server, Argo CD's default destination. */
export const IN_CLUSTER = 'https://kubernetes.default.svc';

/** The finalizer that makes deleting an Application delete its resources. */
export const RESOURCES_FINALIZER = 'resources-finalizer.argocd.argoproj.io';

/** Where an Application deploys to: a server URL or a registered cluster name (exactly one). */
export interface ApplicationDestination {
  /** API server URL. @default - none; `name` must be set */
  readonly server?: string;
  /** Registered cluster name. @default - none; `server` must be set */
  readonly name?: string;
  /** Target namespace. @default - the manifests' own namespaces */
  readonly namespace?: string;
}

/** A field Argo CD ignores when it compares Git with the cluster. */
export interface IgnoreDifference {
  /** API group (`apps`; '' for core). @default - core group */
  readonly group?: string;
  /** Kind (`Deployment`). */
  readonly kind: string;
  /** Only this object. @default - every object of the kind */
  readonly name?: string;
  /** Only in this namespace. @default - every namespace */
  readonly namespace?: string;
  /** JSON pointers of the ignored fields (`/spec/replicas`). @default [] */
  readonly jsonPointers?: readonly string[];
  /** jq path expressions of the ignored fields. @default [] */
  readonly jqPathExpressions?: readonly string[];
  /** Ignore fields owned by these field managers. @default [] */
  readonly managedFieldsManagers?: readonly string[];
}

/** Everything about an Application except its name: shared by Applications and ApplicationSet templates. */
export interface ApplicationOptions {
  /** The AppProject. @default 'default' */
  readonly project?: string;
  /** The source (or use `sources`). @default - none; `sources` must be set */
  readonly source?: ApplicationSource;
  /** Several sources (Helm chart + values repository, ...). @default - none; `source` must be set */
  readonly sources?: readonly ApplicationSource[];
  /** The destination. */
  readonly destination: ApplicationDestination;
  /** How it syncs. @default - no syncPolicy (manual sync) */
  readonly syncPolicy?: SyncPolicy;
  /** Fields to ignore when comparing. @default [] */
  readonly ignoreDifferences?: readonly IgnoreDifference[];
  /** Delete the application's resources when the Application is deleted (resources finalizer). @default true */
  readonly cascadeDelete?: boolean;
  /** Sync wave (lower waves sync first), as the `argocd.argoproj.io/sync-wave` annotation. @default - none */
  readonly syncWave?: number;
  /** Extra labels. @default {} */
  readonly labels?: Readonly<Record<string, string>>;
  /** Extra annotations. @default {} */
  readonly annotations?: Readonly<Record<string, string>>;
  /** Notification subscriptions, as `notifications.argoproj.io/subscribe.*` annotations. @default [] */
  readonly notifications?: readonly NotificationSubscription[];
  /** Image Updater annotations (and the label an ImageUpdater selects). @default - no image updates */
  readonly imageUpdates?: ImageUpdatePolicy;
  /** Revisions kept in the history. @default - Argo CD's default (10) */
  readonly revisionHistoryLimit?: number;
}

/** Options for {@link Application}. */
export interface ApplicationProps extends ApplicationOptions {
  /** Application name. */
  readonly name: string;
  /** Namespace of Argo CD. @default 'argocd' */
  readonly namespace?: string;
}

/** The metadata and spec an Application (or an ApplicationSet template) renders. */
export interface RenderedApplication {
  readonly labels?: Record<string, string>;
  readonly annotations?: Record<string, string>;
  readonly finalizers?: string[];
  readonly spec: ApplicationSpec;
}

const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/;

/** Checks and renders the parts of an Application; `where` names it in errors. */
export function renderApplication(where: string, options: ApplicationOptions): RenderedApplication {
  const dest = options.destination;
  if ((dest.server === undefined) === (dest.name === undefined)) {
    throw new ConfigError(
      where,
      'destination',
      dest,
      'Set exactly one of destination.server (an API URL) or destination.name (a registered cluster).',
    );
  }
  if (dest.server !== undefined && !isTemplated(dest.server) && !/^https:\/\/\S+$/.test(dest.server)) {
    throw new ConfigError(where, 'destination.server', dest.server, `Use the https:// URL of the API server, such as "${IN_CLUSTER}".`);
  }
  if (dest.name !== undefined && !isTemplated(dest.name) && !DNS_SUBDOMAIN.test(dest.name)) {
    throw new ConfigError(where, 'destination.name', dest.name, 'Use the name of a registered cluster, such as "production-cluster".');
  }
  if (dest.namespace !== undefined && !isTemplated(dest.namespace) && !/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(dest.namespace)) {
    throw new ConfigError(where, 'destination.namespace', dest.namespace, 'Use a namespace name (a DNS label).');
  }
  if ((options.source === undefined) === (options.sources === undefined)) {
    throw new ConfigError(where, 'source', options.sources ? 'both source and sources' : undefined, 'Set exactly one of source or sources.');
  }
  if (options.sources) {
    if (options.sources.length === 0) {
      throw new ConfigError(where, 'sources', [], 'Give at least one source.');
    }
    const refs = new Set(options.sources.map((s) => s.refName).filter((r): r is string => r !== undefined));
    for (const source of options.sources) {
      for (const ref of source.referencedRefs) {
        if (!refs.has(ref)) {
          throw new ConfigError(where, 'sources', `$${ref}`, `A value file points into source "${ref}", which no source names: add ApplicationSource.ref({ ref: '${ref}', ... }).`);
        }
      }
    }
  } else if (options.source!.kind === 'ref') {
    throw new ConfigError(where, 'source', 'ref', 'A ref source only provides files to other sources; use it in `sources` next to them.');
  }
  if (options.syncWave !== undefined && !Number.isInteger(options.syncWave)) {
    throw new ConfigError(where, 'syncWave', options.syncWave, 'Use a whole number (negative waves sync first).');
  }
  if (options.revisionHistoryLimit !== undefined && (!Number.isInteger(options.revisionHistoryLimit) || options.revisionHistoryLimit < 0)) {
    throw new ConfigError(where, 'revisionHistoryLimit', options.revisionHistoryLimit, 'Use a whole number of 0 or more.');
  }
  for (const [i, d] of (options.ignoreDifferences ?? []).entries()) {
    if (!d.kind) throw new ConfigError(where, `ignoreDifferences[${i}].kind`, d.kind, 'Name the kind, such as "Deployment".');
    if (!(d.jsonPointers?.length || d.jqPathExpressions?.length || d.managedFieldsManagers?.length)) {
      throw new ConfigError(where, `ignoreDifferences[${i}]`, d, 'Give jsonPointers, jqPathExpressions or managedFieldsManagers.');
    }
    for (const pointer of d.jsonPointers ?? []) {
      if (!pointer.startsWith('/')) {
        throw new ConfigError(where, `ignoreDifferences[${i}].jsonPointers`, pointer, 'A JSON pointer starts with "/", such as "/spec/replicas".');
      }
    }
  }

  const annotations: Record<string, string> = {
    ...(options.annotations ?? {}),
    ...(options.syncWave !== undefined ? { 'argocd.argoproj.io/sync-wave': String(options.syncWave) } : {}),
    ...subscriptionAnnotations(options.notifications ?? []),
    ...(options.imageUpdates ? options.imageUpdates.toAnnotations() : {}),
  };
  const labels: Record<string, string> = {
    ...(options.labels ?? {}),
    ...(options.imageUpdates ? { [IMAGE_UPDATES_LABEL]: 'enabled' } : {}),
  };

  const spec: ApplicationSpec = dropUndefined({
    project: options.project ?? 'default',
    source: options.source?.toSpec(),
    sources: options.sources?.map((s) => s.toSpec()),
    destination: { server: dest.server, name: dest.name, namespace: dest.namespace },
    syncPolicy: options.syncPolicy?.toJson(),
    ignoreDifferences: options.ignoreDifferences?.map((d) => ({
      group: d.group,
      kind: d.kind,
      name: d.name,
      namespace: d.namespace,
      jsonPointers: d.jsonPointers ? [...d.jsonPointers] : undefined,
      jqPathExpressions: d.jqPathExpressions ? [...d.jqPathExpressions] : undefined,
      managedFieldsManagers: d.managedFieldsManagers ? [...d.managedFieldsManagers] : undefined,
    })),
    revisionHistoryLimit: options.revisionHistoryLimit,
  });
  return {
    labels: Object.keys(labels).length > 0 ? labels : undefined,
    annotations: Object.keys(annotations).length > 0 ? annotations : undefined,
    finalizers: options.cascadeDelete === false ? undefined : [RESOURCES_FINALIZER],
    spec,
  };
}

/**
 * An Argo CD Application: one or more sources (Git directory, Helm chart,
 * Kustomize), a destination by server URL or cluster name, a sync policy,
 * and annotations for sync waves, notifications and image updates.
 */
export class Application extends Construct {
  /** The generated resource. */
  public readonly resource: ApiObject;
  /** The Application name. */
  public readonly name: string;
  /** The sync policy, if any. */
  public readonly syncPolicy?: SyncPolicy;

  constructor(scope: Construct, id: string, props: ApplicationProps) {
    super(scope, id);
    checkProps(this, 'ApplicationProps', props);
    if (typeof props.name !== 'string' || !DNS_SUBDOMAIN.test(props.name)) {
      throw new ConfigError(this.node.path, 'name', props.name, 'Use a lowercase name such as "web-app-production".');
    }
    const rendered = renderApplication(this.node.path, props);
    this.name = props.name;
    this.syncPolicy = props.syncPolicy;
    this.resource = new ApplicationResource(this, 'Resource', {
      metadata: {
        name: props.name,
        namespace: props.namespace ?? 'argocd',
        labels: rendered.labels,
        annotations: rendered.annotations,
        finalizers: rendered.finalizers,
      },
      spec: rendered.spec,
    });
  }
}
