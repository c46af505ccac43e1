import { Construct } from 'constructs';
import { ConfigError } from '../platform/errors';
import { SyncPolicy } from './sync-policy';
import { Application as ApplicationResource } from '../imports/argoproj.io-argocd';

/** The in-cluster API server, Argo CD's default destination. */
export const IN_CLUSTER = 'https://kubernetes.default.svc';

/** A Git directory source. */
export interface GitSource {
  /** Repository URL. */
  readonly repoUrl: string;
  /** Branch, tag or commit. */
  readonly targetRevision: string;
  /** Path inside the repository. */
  readonly path: string;
  /** Recurse into sub-directories of a plain directory source. @default false */
  readonly recurse?: boolean;
}

/** Where an Application deploys to: a server URL or a registered cluster name. */
export interface ApplicationDestination {
  /** API server URL. @default - none; `name` must be set */
  readonly server?: string;
  /** Registered cluster name. @default - none; `server` must be set */
  readonly name?: string;
  /** Target namespace. @default - the manifests' own namespaces */
  readonly namespace?: string;
}

/** Options for {@link Application}. */
export interface ApplicationProps {
  /** Application name. */
  readonly name: string;
  /** Namespace of Argo CD. @default 'argocd' */
  readonly namespace?: string;
  /** The AppProject. @default 'default' */
  readonly project?: string;
  /** The source. */
  readonly source: GitSource;
  /** The destination. */
  readonly destination: ApplicationDestination;
  /** How it syncs. @default SyncPolicy.manual() */
  readonly syncPolicy?: SyncPolicy;
  /** Delete the application's resources when the Application is deleted. @default true */
  readonly cascadeDelete?: boolean;
  /** Sync wave (lower waves sync first). @default - none */
  readonly syncWave?: number;
  /** Extra labels. @default {} */
  readonly labels?: Readonly<Record<string, string>>;
}

/** An Argo CD Application. */
export class Application extends Construct {
  /** The generated resource. */
  public readonly resource: ApplicationResource;
  /** The Application name. */
  public readonly name: string;

  constructor(scope: Construct, id: string, props: ApplicationProps) {
    super(scope, id);
    const dest = props.destination;
    if ((dest.server === undefined) === (dest.name === undefined)) {
      throw new ConfigError(
        this.node.path,
        'destination',
        dest,
        'Set exactly one of destination.server (an API URL) or destination.name (a registered cluster).',
      );
    }
    this.name = props.name;
    const syncPolicy = props.syncPolicy ?? SyncPolicy.manual();
    this.resource = new ApplicationResource(this, 'Resource', {
      metadata: {
        name: props.name,
        namespace: props.namespace ?? 'argocd',
        labels: props.labels ? { ...props.labels } : undefined,
        annotations:
          props.syncWave !== undefined ? { 'argocd.argoproj.io/sync-wave': String(props.syncWave) } : undefined,
        finalizers: props.cascadeDelete === false ? undefined : ['resources-finalizer.argocd.argoproj.io'],
      },
      spec: {
        project: props.project ?? 'default',
        source: {
          repoUrl: props.source.repoUrl,
          targetRevision: props.source.targetRevision,
          path: props.source.path,
          ...(props.source.recurse ? { directory: { recurse: true } } : {}),
        },
        destination: { server: dest.server, name: dest.name, namespace: dest.namespace },
        syncPolicy: syncPolicy.toJson(),
      },
    });
  }
}
