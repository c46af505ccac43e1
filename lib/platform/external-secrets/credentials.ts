import { Construct } from 'constructs';
import { ConfigError } from '../errors';
import { ExternalSecret } from './external-secret';
import { SecretStoreRef } from './store-ref';

/** Options for {@link ExternalSecretCredentials}. */
export interface ExternalSecretCredentialsProps {
  /** The Secret to materialise (other objects reference it by this name). */
  readonly name: string;
  /** Its namespace. */
  readonly namespace: string;
  /** The key of the credentials in the store (`git/gitops-infrastructure`). */
  readonly remoteKey: string;
  /** Secret key -> property of the stored value (`{ username: 'username', password: 'password' }`). */
  readonly keys: Readonly<Record<string, string>>;
  /**
   * Labels of the Secret (for example `argocd.argoproj.io/secret-type: repository`).
   * @default {}
   */
  readonly secretLabels?: Readonly<Record<string, string>>;
  /**
   * The Secret's type (`kubernetes.io/dockerconfigjson` for registry credentials).
   * @default 'Opaque'
   */
  readonly secretType?: string;
  /**
   * Keys of the Secret rendered from the fetched values (`"{{ .password }}"`) or
   * literal non-secret values (a URL). When set, only these keys are written.
   * @default - the fetched keys as they are
   */
  readonly templateData?: Readonly<Record<string, string>>;
  /**
   * The store.
   * @default SecretStoreRef.cluster('vault-backend')
   */
  readonly store?: SecretStoreRef;
}

/** Options for {@link ExternalSecretCredentials.argoCdRepository}. */
export interface ArgoCdRepositoryCredentialsOptions {
  /** The Secret name. */
  readonly name: string;
  /** The repository URL (https). */
  readonly url: string;
  /** The key in the store holding `username` and `password` (a token). */
  readonly remoteKey: string;
  /** Argo CD's namespace. @default 'argocd' */
  readonly namespace?: string;
  /** The store. @default SecretStoreRef.cluster('vault-backend') */
  readonly store?: SecretStoreRef;
}

/** Options for {@link ExternalSecretCredentials.argoCdCluster}. */
export interface ArgoCdClusterCredentialsOptions {
  /** The Secret name and the cluster's name in Argo CD. */
  readonly name: string;
  /** The cluster's API server URL (https). */
  readonly server: string;
  /** The key in the store holding `bearerToken` and `caData`. */
  readonly remoteKey: string;
  /** Argo CD's namespace. @default 'argocd' */
  readonly namespace?: string;
  /** The store. @default SecretStoreRef.cluster('vault-backend') */
  readonly store?: SecretStoreRef;
}

/** Options for {@link ExternalSecretCredentials.gitCredentials}. */
export interface GitCredentialsOptions {
  /** The Secret name (a Flux `secretRef`). */
  readonly name: string;
  /** The namespace (the GitRepository's). @default 'flux-system' */
  readonly namespace?: string;
  /** The key in the store holding `username` and `password`. */
  readonly remoteKey: string;
  /** The store. @default SecretStoreRef.cluster('vault-backend') */
  readonly store?: SecretStoreRef;
}

/** Options for {@link ExternalSecretCredentials.token}. */
export interface TokenCredentialsOptions {
  /** The Secret name. */
  readonly name: string;
  /** The namespace. */
  readonly namespace: string;
  /** The key in the store. */
  readonly remoteKey: string;
  /** The Secret key the consumer reads (`token`, `address`, `slack-token`). */
  readonly secretKey: string;
  /** The property of the stored value. @default - same as secretKey */
  readonly property?: string;
  /** The store. @default SecretStoreRef.cluster('vault-backend') */
  readonly store?: SecretStoreRef;
}

/**
 * Credentials another module needs (a Git repository, a cluster, a
 * notification token), materialised as a named Secret from the secret store
 * by an ExternalSecret: the consumer references the Secret by name and no
 * value is ever in Git or Terraform.
 */
export class ExternalSecretCredentials extends Construct {
  /** Argo CD repository credentials (`argocd.argoproj.io/secret-type: repository`). */
  public static argoCdRepository(scope: Construct, id: string, options: ArgoCdRepositoryCredentialsOptions): ExternalSecretCredentials {
    requireHttps(`${scope.node.path}/${id}`, 'url', options.url);
    return new ExternalSecretCredentials(scope, id, {
      name: options.name,
      namespace: options.namespace ?? 'argocd',
      remoteKey: options.remoteKey,
      keys: { username: 'username', password: 'password' },
      secretLabels: { 'argocd.argoproj.io/secret-type': 'repository' },
      templateData: { type: 'git', url: options.url, username: '{{ .username }}', password: '{{ .password }}' },
      store: options.store,
    });
  }

  /** An Argo CD cluster (`argocd.argoproj.io/secret-type: cluster`), the seed's production-cluster without its token. */
  public static argoCdCluster(scope: Construct, id: string, options: ArgoCdClusterCredentialsOptions): ExternalSecretCredentials {
    requireHttps(`${scope.node.path}/${id}`, 'server', options.server);
    return new ExternalSecretCredentials(scope, id, {
      name: options.name,
      namespace: options.namespace ?? 'argocd',
      remoteKey: options.remoteKey,
      keys: { bearerToken: 'bearerToken', caData: 'caData' },
      secretLabels: { 'argocd.argoproj.io/secret-type': 'cluster' },
      templateData: {
        name: options.name,
        server: options.server,
        config: '{"bearerToken":"{{ .bearerToken }}","tlsClientConfig":{"insecure":false,"caData":"{{ .caData }}"}}',
      },
      store: options.store,
    });
  }

  /** Git credentials for a Flux GitRepository `secretRef` (`username`, `password`). */
  public static gitCredentials(scope: Construct, id: string, options: GitCredentialsOptions): ExternalSecretCredentials {
    return new ExternalSecretCredentials(scope, id, {
      name: options.name,
      namespace: options.namespace ?? 'flux-system',
      remoteKey: options.remoteKey,
      keys: { username: 'username', password: 'password' },
      store: options.store,
    });
  }

  /** One token (a notification provider's token or webhook address). */
  public static token(scope: Construct, id: string, options: TokenCredentialsOptions): ExternalSecretCredentials {
    return new ExternalSecretCredentials(scope, id, {
      name: options.name,
      namespace: options.namespace,
      remoteKey: options.remoteKey,
      keys: { [options.secretKey]: options.property ?? options.secretKey },
      store: options.store,
    });
  }

  /** The ExternalSecret. */
  public readonly externalSecret: ExternalSecret;
  /** The name of the Secret consumers reference. */
  public readonly secretName: string;
  /** Its namespace. */
  public readonly namespace: string;

  constructor(scope: Construct, id: string, props: ExternalSecretCredentialsProps) {
    super(scope, id);
    const entries = Object.entries(props.keys ?? {});
    if (entries.length === 0) {
      throw new ConfigError(this.node.path, 'keys', props.keys, 'Map at least one Secret key to a property of the stored value.');
    }
    this.externalSecret = new ExternalSecret(this, 'Resource', {
      name: props.name,
      namespace: props.namespace,
      store: props.store,
      data: entries.map(([secretKey, property]) => ({ secretKey, remoteKey: props.remoteKey, property })),
      ...(props.templateData || props.secretLabels || props.secretType
        ? { template: { data: props.templateData, labels: props.secretLabels, type: props.secretType } }
        : {}),
    });
    this.secretName = this.externalSecret.secretName;
    this.namespace = props.namespace;
  }
}

/** Options for {@link DatabaseCredentials}. */
export interface DatabaseCredentialsProps {
  /** The namespace of the application. */
  readonly namespace: string;
  /** The key in the store holding `username`, `password`, `host` and `database` (`database/production`). */
  readonly remoteKey: string;
  /** The Secret to write. @default 'database-secret' */
  readonly secretName?: string;
  /** The database port in the connection string. @default 5432 */
  readonly port?: number;
  /** The store. @default SecretStoreRef.cluster('vault-backend') */
  readonly store?: SecretStoreRef;
}

/**
 * The seed's `database-credentials` ExternalSecret: username, password and a
 * PostgreSQL connection string built by the operator's template from the
 * stored username, password, host and database.
 */
export class DatabaseCredentials extends Construct {
  /** The ExternalSecret. */
  public readonly externalSecret: ExternalSecret;
  /** The Secret the application mounts. */
  public readonly secretName: string;

  constructor(scope: Construct, id: string, props: DatabaseCredentialsProps) {
    super(scope, id);
    const port = props.port ?? 5432;
    if (!Number.isInteger(port) || port < 1 || port > 65535) {
      throw new ConfigError(this.node.path, 'port', port, 'Use a TCP port (1-65535).');
    }
    this.externalSecret = new ExternalSecret(this, 'Resource', {
      name: 'database-credentials',
      namespace: props.namespace,
      store: props.store,
      targetName: props.secretName ?? 'database-secret',
      refreshInterval: '1h',
      template: {
        type: 'Opaque',
        data: {
          username: '{{ .username }}',
          password: '{{ .password }}',
          'connection-string': `postgresql://{{ .username }}:{{ .password }}@{{ .host }}:${port}/{{ .database }}`,
        },
      },
      data: ['username', 'password', 'host', 'database'].map((key) => ({ secretKey: key, remoteKey: props.remoteKey, property: key })),
    });
    this.secretName = this.externalSecret.secretName;
  }
}

function requireHttps(where: string, field: string, value: string): void {
  let ok = false;
  try {
    const url = new URL(value);
    ok = url.protocol === 'https:' && url.username === '' && url.password === '';
  } catch {
    ok = false;
  }
  if (!ok) throw new ConfigError(where, field, value, 'Use an https:// URL without credentials.');
}
