import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { ConfigError } from '../../platform/errors';
import { credentialFreeHttpsUrl } from '../../platform/patterns';
import {
  ClusterSecretStore as ClusterSecretStoreResource,
  ClusterSecretStoreSpecProvider,
  ClusterSecretStoreSpecProviderAwsService,
  ClusterSecretStoreSpecProviderVaultVersion,
  SecretStore as SecretStoreResource,
  SecretStoreSpecProvider,
  SecretStoreSpecProviderAwsService,
  SecretStoreSpecProviderVaultVersion,
} from '../../imports/external-secrets.io';
import { EXTERNAL_SECRETS_SERVICE_ACCOUNT } from './external-secrets-install';
import { checkProps } from '../../platform/config-boundary/props';
import { SecretStoreRef } from '../../platform/external-secrets/store-ref';

export { SecretStoreRef } from '../../platform/external-secrets/store-ref';

/** A service account whose token a store authenticates with. */
export interface ServiceAccountRef {
  /** Its name. */
  readonly name: string;
  /**
   * Its namespace (used by ClusterSecretStores; a namespaced SecretStore uses its own).
   * @default 'external-secrets'
   */
  readonly namespace?: string;
}

/** Options for {@link SecretStoreProvider.vault}. */
export interface VaultProviderOptions {
  /** The Vault server URL (https). */
  readonly server: string;
  /** The KV mount path. @default 'secret' */
  readonly path?: string;
  /** The KV engine version. @default 'v2' */
  readonly version?: 'v1' | 'v2';
  /** Where the Kubernetes auth method is mounted. @default 'kubernetes' */
  readonly authMountPath?: string;
  /** The Vault role to log in as. */
  readonly role: string;
  /**
   * The service account whose token logs in.
   * @default - `external-secrets-sa` in `external-secrets`
   */
  readonly serviceAccount?: ServiceAccountRef;
}

/** Options for {@link SecretStoreProvider.awsSecretsManager}. */
export interface AwsProviderOptions {
  /** The AWS region. */
  readonly region: string;
  /**
   * The service account whose projected JWT is exchanged for AWS credentials (IRSA).
   * @default - `external-secrets-sa` in `external-secrets`
   */
  readonly serviceAccount?: ServiceAccountRef;
}

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const AWS_REGION = /^[a-z]{2}(-gov|-iso[a-z]*)?-[a-z]+-[0-9]$/;

type Description =
  | { readonly type: 'vault'; readonly options: Required<Omit<VaultProviderOptions, 'serviceAccount'>>; readonly sa: Required<ServiceAccountRef> }
  | { readonly type: 'aws'; readonly options: AwsProviderOptions; readonly sa: Required<ServiceAccountRef> };

/**
 * Where a secret store reads from, and how it authenticates. No credential is
 * ever part of the store: Vault is reached with Kubernetes auth and AWS with
 * the service account's JWT (IRSA).
 */
export class SecretStoreProvider {
  /** HashiCorp Vault, KV engine, Kubernetes auth (seed 001). */
  public static vault(options: VaultProviderOptions): SecretStoreProvider {
    const where = 'SecretStoreProvider.vault';
    if (!credentialFreeHttpsUrl(options.server)) {
      throw new ConfigError(where, 'server', options.server, 'Use the https:// URL of the Vault server, without credentials, such as "https://<vault host>:8200".');
    }
    if (typeof options.role !== 'string' || !/^[A-Za-z0-9_.-]+$/.test(options.role)) {
      throw new ConfigError(where, 'role', options.role, 'Name the Vault Kubernetes-auth role, such as "production-role".');
    }
    const version = options.version ?? 'v2';
    if (version !== 'v1' && version !== 'v2') {
      throw new ConfigError(where, 'version', version, 'Use "v1" or "v2" (the KV engine version).');
    }
    return new SecretStoreProvider({
      type: 'vault',
      options: {
        server: options.server,
        path: options.path ?? 'secret',
        version,
        authMountPath: options.authMountPath ?? 'kubernetes',
        role: options.role,
      },
      sa: serviceAccount(where, options.serviceAccount),
    });
  }

  /** AWS Secrets Manager with the service account's JWT (seed 002). */
  public static awsSecretsManager(options: AwsProviderOptions): SecretStoreProvider {
    const where = 'SecretStoreProvider.awsSecretsManager';
    if (typeof options.region !== 'string' || !AWS_REGION.test(options.region)) {
      throw new ConfigError(where, 'region', options.region, 'Use an AWS region such as "us-east-1".');
    }
    return new SecretStoreProvider({ type: 'aws', options: { region: options.region }, sa: serviceAccount(where, options.serviceAccount) });
  }

  private constructor(private readonly description: Description) {}

  /** `vault` or `aws`. */
  public get type(): 'vault' | 'aws' {
    return this.description.type;
  }

  /** A one-line summary for outputs (no secret material: there is none). */
  public describe(): Record<string, string> {
    const d = this.description;
    return d.type === 'vault'
      ? { provider: 'vault', server: d.options.server, path: d.options.path, auth: `kubernetes (${d.options.authMountPath}, role ${d.options.role})` }
      : { provider: 'aws-secretsmanager', region: d.options.region, auth: `jwt (service account ${d.sa.namespace}/${d.sa.name})` };
  }

  /** `spec.provider` of a ClusterSecretStore. */
  public renderForCluster(): ClusterSecretStoreSpecProvider {
    const d = this.description;
    if (d.type === 'vault') {
      return {
        vault: {
          server: d.options.server,
          path: d.options.path,
          version: d.options.version === 'v1' ? ClusterSecretStoreSpecProviderVaultVersion.V1 : ClusterSecretStoreSpecProviderVaultVersion.V2,
          auth: {
            kubernetes: {
              mountPath: d.options.authMountPath,
              role: d.options.role,
              serviceAccountRef: { name: d.sa.name, namespace: d.sa.namespace },
            },
          },
        },
      };
    }
    return {
      aws: {
        service: ClusterSecretStoreSpecProviderAwsService.SECRETS_MANAGER,
        region: d.options.region,
        auth: { jwt: { serviceAccountRef: { name: d.sa.name, namespace: d.sa.namespace } } },
      },
    };
  }

  /** `spec.provider` of a namespaced SecretStore (the service account is in the store's namespace). */
  public renderForNamespace(): SecretStoreSpecProvider {
    const d = this.description;
    if (d.type === 'vault') {
      return {
        vault: {
          server: d.options.server,
          path: d.options.path,
          version: d.options.version === 'v1' ? SecretStoreSpecProviderVaultVersion.V1 : SecretStoreSpecProviderVaultVersion.V2,
          auth: { kubernetes: { mountPath: d.options.authMountPath, role: d.options.role, serviceAccountRef: { name: d.sa.name } } },
        },
      };
    }
    return {
      aws: {
        service: SecretStoreSpecProviderAwsService.SECRETS_MANAGER,
        region: d.options.region,
        auth: { jwt: { serviceAccountRef: { name: d.sa.name } } },
      },
    };
  }
}

/** Options for {@link ClusterSecretStore}. */
export interface ClusterSecretStoreProps {
  /** The store name. */
  readonly name: string;
  /** Where it reads from. */
  readonly provider: SecretStoreProvider;
  /**
   * Namespaces allowed to use the store.
   * @default - every namespace
   */
  readonly namespaces?: readonly string[];
}

/** A ClusterSecretStore: one store for every namespace (or the listed ones). */
export class ClusterSecretStore extends Construct {
  /** The generated resource. */
  public readonly resource: ApiObject;
  /** A reference for ExternalSecrets. */
  public readonly ref: SecretStoreRef;
  /** The provider. */
  public readonly provider: SecretStoreProvider;

  constructor(scope: Construct, id: string, props: ClusterSecretStoreProps) {
    super(scope, id);
    checkProps(this, 'ClusterSecretStoreProps', props);
    this.ref = SecretStoreRef.cluster(props.name);
    this.provider = props.provider;
    for (const ns of props.namespaces ?? []) {
      if (!DNS_LABEL.test(ns)) throw new ConfigError(this.node.path, 'namespaces', ns, 'Use namespace names (lowercase DNS labels).');
    }
    this.resource = new ClusterSecretStoreResource(this, 'Resource', {
      metadata: { name: props.name },
      spec: {
        provider: props.provider.renderForCluster(),
        ...(props.namespaces && props.namespaces.length > 0 ? { conditions: [{ namespaces: [...props.namespaces] }] } : {}),
      },
    });
  }
}

/** Options for {@link SecretStore}. */
export interface SecretStoreProps {
  /** The store name. */
  readonly name: string;
  /** The namespace the store serves. */
  readonly namespace: string;
  /** Where it reads from. */
  readonly provider: SecretStoreProvider;
}

/** A namespaced SecretStore (seed 001 `vault-backend` in `production`). */
export class SecretStore extends Construct {
  /** The generated resource. */
  public readonly resource: ApiObject;
  /** A reference for ExternalSecrets in the same namespace. */
  public readonly ref: SecretStoreRef;

  constructor(scope: Construct, id: string, props: SecretStoreProps) {
    super(scope, id);
    if (!DNS_LABEL.test(props.namespace)) {
      throw new ConfigError(this.node.path, 'namespace', props.namespace, 'Use a namespace name (a lowercase DNS label).');
    }
    this.ref = SecretStoreRef.namespaced(props.name);
    this.resource = new SecretStoreResource(this, 'Resource', {
      metadata: { name: props.name, namespace: props.namespace },
      spec: { provider: props.provider.renderForNamespace() },
    });
  }
}

function serviceAccount(where: string, ref: ServiceAccountRef | undefined): Required<ServiceAccountRef> {
  const sa = { name: ref?.name ?? EXTERNAL_SECRETS_SERVICE_ACCOUNT, namespace: ref?.namespace ?? 'external-secrets' };
  if (!DNS_LABEL.test(sa.name) || !DNS_LABEL.test(sa.namespace)) {
    throw new ConfigError(where, 'serviceAccount', sa, 'Use a service account name and namespace (lowercase DNS labels).');
  }
  return sa;
}
