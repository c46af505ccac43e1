import { Construct } from 'constructs';
import { ExternalSecretCredentials } from '../platform/external-secrets/credentials';
import { SecretStoreRef } from '../platform/external-secrets/store-ref';
import { SecretKey } from './notifier';

/** Options for {@link NotificationSecrets}. */
export interface NotificationSecretsProps {
  /** The keys the Alertmanager receivers read, per Secret. */
  readonly secretKeys: readonly SecretKey[];
  /** Namespace of Alertmanager. */
  readonly namespace: string;
  /**
   * Prefix of the keys in the secret store: the Secret `<name>` is read from
   * `<remoteKeyPrefix>/<name>`, one property per key.
   * @default 'monitoring'
   */
  readonly remoteKeyPrefix?: string;
  /**
   * The store the values are read from.
   * @default SecretStoreRef.cluster('vault-backend')
   */
  readonly store?: SecretStoreRef;
}

/**
 * The Secrets the Alertmanager receivers read (webhook URLs, routing keys,
 * SMTP passwords), materialised from the secret store by ExternalSecrets, so
 * Alertmanager starts with its credentials and none is ever in Git.
 */
export class NotificationSecrets extends Construct {
  /** One ExternalSecret per Secret. */
  public readonly credentials: readonly ExternalSecretCredentials[];

  constructor(scope: Construct, id: string, props: NotificationSecretsProps) {
    super(scope, id);
    const byName = new Map<string, string[]>();
    for (const ref of props.secretKeys) byName.set(ref.name, [...(byName.get(ref.name) ?? []), ref.key]);
    const prefix = props.remoteKeyPrefix ?? 'monitoring';
    this.credentials = [...byName.keys()].sort().map(
      (name) =>
        new ExternalSecretCredentials(this, name, {
          name,
          namespace: props.namespace,
          remoteKey: `${prefix}/${name}`,
          keys: Object.fromEntries([...new Set(byName.get(name))].sort().map((key) => [key, key])),
          store: props.store,
        }),
    );
  }
}
