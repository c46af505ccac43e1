import { ConfigError } from '../errors';

/** A reference to a store, as ExternalSecrets name it. */
export class SecretStoreRef {
  /** A ClusterSecretStore, usable from every namespace. */
  public static cluster(name: string): SecretStoreRef {
    return new SecretStoreRef(storeName('SecretStoreRef.cluster', name), 'ClusterSecretStore');
  }

  /** A SecretStore in the ExternalSecret's own namespace. */
  public static namespaced(name: string): SecretStoreRef {
    return new SecretStoreRef(storeName('SecretStoreRef.namespaced', name), 'SecretStore');
  }

  private constructor(
    /** The store's name. */
    public readonly name: string,
    /** `ClusterSecretStore` or `SecretStore`. */
    public readonly kind: 'ClusterSecretStore' | 'SecretStore',
  ) {}
}

function storeName(where: string, name: string): string {
  if (typeof name !== 'string' || !/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/.test(name)) {
    throw new ConfigError(where, 'name', name, 'Use the store name (a lowercase DNS subdomain).');
  }
  return name;
}
