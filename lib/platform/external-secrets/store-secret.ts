import { Construct } from 'constructs';
import { ConfigError } from '../errors';
import { Platform } from '../platform';
import { SecretStoreHandle, STORE_PRODUCER_PREFIX } from '../secrets';
import { ExternalSecretCredentials } from './credentials';
import { SecretStoreRef } from './store-ref';

/** Options for {@link storeSecret}. */
export interface StoreSecretOptions {
  /** The Secret the reader references. */
  readonly name: string;
  /** Its namespace (the reader's). */
  readonly namespace: string;
  /** The keys the reader reads; each is a property of the stored value with the same name. */
  readonly keys: readonly string[];
  /** The key in the store holding the values (`flux/flux-slack-webhook`); listed in the module's README. */
  readonly remoteKey: string;
  /** Who reads it (`Provider flux-system/slack`). */
  readonly readBy: string;
  /** The Secret's type. @default 'Opaque' */
  readonly type?: string;
  /** Labels of the Secret (Argo CD secret types). @default {} */
  readonly labels?: Readonly<Record<string, string>>;
  /**
   * Keys rendered from the fetched values (`{{ .bearerToken }}`) or literal non-secret values;
   * when set, only these keys are written.
   * @default - the fetched keys as they are
   */
  readonly templateData?: Readonly<Record<string, string>>;
  /**
   * The store the ExternalSecret reads from: the reader module's `secretStore`
   * prop (the security module's `defaultStore`, or a team's own store).
   * @default - none: the Secret is a prerequisite
   */
  readonly store?: SecretStoreHandle;
}

/** The producer of a Secret an ExternalSecret reads from `store` at `remoteKey`, in words (`SECRETS.md`). */
export function storeProducer(store: Pick<SecretStoreHandle, 'name'>, remoteKey: string): string {
  return `${STORE_PRODUCER_PREFIX}\`${store.name}\` key \`${remoteKey}\``;
}

/** The ExternalSecrets `secretStoreRef` of a store handle. */
export function secretStoreRefOf(store: SecretStoreHandle): SecretStoreRef {
  return store.kind === 'ClusterSecretStore' ? SecretStoreRef.cluster(store.name) : SecretStoreRef.namespaced(store.name);
}

/**
 * A Secret an object of the platform reads, given a producer: with a secret
 * store (`store`, which the reader module takes as its `secretStore` prop), an
 * ExternalSecret in `scope` (a chart of the reader's section, so it is applied
 * with or before the reader) reads it from `remoteKey`; without one, it is
 * recorded as a prerequisite (`SECRETS.md`, the synth summary). Either way
 * it is recorded in `platform.secrets`.
 */
export function storeSecret(platform: Platform, scope: Construct, id: string, options: StoreSecretOptions): ExternalSecretCredentials | undefined {
  if (options.keys.length === 0) {
    throw new ConfigError(`${scope.node.path}/${id}`, 'keys', options.keys, 'Name at least one key the reader reads.');
  }
  const keys = [...new Set(options.keys)].sort();
  const store = options.store;
  platform.secrets.require({
    namespace: options.namespace,
    name: options.name,
    keys: options.templateData ? Object.keys(options.templateData).sort() : keys,
    readBy: options.readBy,
    type: options.type,
    remoteKey: options.remoteKey,
    producedBy: store ? storeProducer(store, options.remoteKey) : undefined,
  });
  if (!store) return undefined;
  return new ExternalSecretCredentials(scope, id, {
    name: options.name,
    namespace: options.namespace,
    remoteKey: options.remoteKey,
    keys: Object.fromEntries(keys.map((k) => [k, k])),
    secretLabels: options.labels,
    secretType: options.type,
    templateData: options.templateData,
    store: secretStoreRefOf(store),
  });
}
