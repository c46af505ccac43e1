import { Construct } from 'constructs';
import { ConfigError } from '../platform/errors';
import { ArgoCdExternalSecret, SecretStoreReference } from './external-secret';
import { IN_CLUSTER } from './application';
import { checkProps } from '../platform/config-boundary/props';

/** The label that makes a Secret a cluster registration. */
export const CLUSTER_SECRET_TYPE_LABEL = 'argocd.argoproj.io/secret-type';

/** Where a cluster's bearer token and CA certificate are kept in the secret store. */
export interface ClusterCredentialsSource {
  /** The store to read from. */
  readonly store: SecretStoreReference;
  /** Key of the remote secret (`clusters/prod-us-east`). */
  readonly remoteKey: string;
  /** Property holding the service-account bearer token. @default 'bearerToken' */
  readonly tokenProperty?: string;
  /** Property holding the base64 CA certificate. @default 'caData' */
  readonly caDataProperty?: string;
}

/** Options for {@link ClusterRegistration}. */
export interface ClusterRegistrationProps {
  /** Cluster name, used as `destination.name` and the `{{name}}` of cluster generators. */
  readonly name: string;
  /** API server URL (https). */
  readonly server: string;
  /** Labels cluster generators select on (`environment: production`). @default {} */
  readonly labels?: Readonly<Record<string, string>>;
  /**
   * Where the credentials come from.
   * @default - no ExternalSecret: the cluster Secret `<name>` (keys `name`, `server`, `config`, label
   *   `argocd.argoproj.io/secret-type: cluster`) is created out of band
   */
  readonly credentials?: ClusterCredentialsSource;
  /** Restrict the cluster to one AppProject. @default - any project allowed by its destinations */
  readonly project?: string;
  /** Namespace of Argo CD. @default 'argocd' */
  readonly namespace?: string;
}

const NAME = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/**
 * Registers a cluster with Argo CD: an ExternalSecret that writes the
 * cluster Secret (`argocd.argoproj.io/secret-type: cluster`) with the bearer
 * token and CA from the secret store, so no credential is in the tree.
 */
export class ClusterRegistration extends Construct {
  /** The ExternalSecret that writes the cluster Secret (none when `credentials` is not given). */
  public readonly externalSecret?: ArgoCdExternalSecret;
  /** The cluster name. */
  public readonly name: string;
  /** The API server URL. */
  public readonly server: string;
  /** The labels. */
  public readonly labels: Readonly<Record<string, string>>;

  constructor(scope: Construct, id: string, props: ClusterRegistrationProps) {
    super(scope, id);
    checkProps(this, 'ClusterRegistrationProps', props);
    const where = this.node.path;
    if (!NAME.test(props.name)) {
      throw new ConfigError(where, 'name', props.name, 'Use a lowercase name such as "prod-us-east".');
    }
    let https = false;
    try {
      https = new URL(props.server).protocol === 'https:';
    } catch {
      https = false;
    }
    if (!https) {
      throw new ConfigError(where, 'server', props.server, 'Use the https:// URL of the cluster API server.');
    }
    if (props.server === IN_CLUSTER) {
      throw new ConfigError(where, 'server', props.server, 'The in-cluster server is registered already; register only remote clusters.');
    }
    for (const key of Object.keys(props.labels ?? {})) {
      if (key === CLUSTER_SECRET_TYPE_LABEL) {
        throw new ConfigError(where, 'labels', key, 'This label is set by the construct; remove it.');
      }
    }
    this.name = props.name;
    this.server = props.server;
    this.labels = { ...(props.labels ?? {}) };
    if (!props.credentials) return;
    const token = props.credentials.tokenProperty ?? 'bearerToken';
    const ca = props.credentials.caDataProperty ?? 'caData';
    // ESO v2 template: the JSON is filled in by the operator; the tree only holds placeholders.
    const config = `{"bearerToken":"{{ .bearerToken }}","tlsClientConfig":{"insecure":false,"caData":"{{ .caData }}"}}`;
    this.externalSecret = new ArgoCdExternalSecret(this, 'Resource', {
      secretName: props.name,
      namespace: props.namespace,
      store: props.credentials.store,
      secretLabels: { ...this.labels, [CLUSTER_SECRET_TYPE_LABEL]: 'cluster' },
      data: [
        { secretKey: 'bearerToken', remoteKey: props.credentials.remoteKey, property: token },
        { secretKey: 'caData', remoteKey: props.credentials.remoteKey, property: ca },
      ],
      template: {
        name: props.name,
        server: props.server,
        config,
        ...(props.project !== undefined ? { project: props.project } : {}),
      },
    });
  }
}
