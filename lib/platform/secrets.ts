import { ConfigError } from './errors';
import { compareNames } from './compare';
import { toYaml } from './yaml';

/**
 * A secret store, as ExternalSecrets reference it: the handle the security
 * module exposes (`security.defaultStore`) and the modules that read Secrets
 * from a store take as their `secretStore` prop (Argo CD, monitoring, Flux,
 * recovery). A stack without the security module passes its own store's.
 */
export interface SecretStoreHandle {
  /** The store's name (`vault-backend`). */
  readonly name: string;
  /** Its kind. */
  readonly kind: 'ClusterSecretStore' | 'SecretStore';
}

/** A Secret an object of the platform reads, and where it comes from. */
export interface RequiredSecret {
  /** The Secret's namespace (the reader's). */
  readonly namespace: string;
  /** The Secret's name. */
  readonly name: string;
  /** The keys the reader reads (`address`, `token`, `username`, `.dockerconfigjson`). */
  readonly keys: readonly string[];
  /** Who reads it (`Provider flux-system/slack`). */
  readonly readBy: string;
  /**
   * The Secret's type.
   * @default 'Opaque'
   */
  readonly type?: string;
  /**
   * Where the values are in a secret store (one property per key): the key
   * an ExternalSecret reads, or the one to fill when the reader has no store.
   * @default - not from a store
   */
  readonly remoteKey?: string;
  /**
   * What produces it (`Terraform (kubernetes_secret_v1)`, `cert-manager (ClusterIssuer letsencrypt-prod)`,
   * an ExternalSecret from the reader's store: `storeProducer(store, remoteKey)`).
   * @default - nothing: the Secret is a prerequisite
   */
  readonly producedBy?: string;
}

/** How a producer string of an ExternalSecret from a store begins (`storeProducer` in `external-secrets/store-secret.ts`). */
export const STORE_PRODUCER_PREFIX = 'ExternalSecret from ';

/**
 * Every Secret the platform's objects read, with its producer: an
 * ExternalSecret from the environment's store, another producer (Terraform,
 * cert-manager), or nothing, in which case the Secret is a prerequisite that
 * must exist before the environment converges. Written to the tree as
 * `SECRETS.md` and printed at synth.
 */
export class SecretRegistry {
  private readonly secrets = new Map<string, RequiredSecret>();
  private store?: SecretStoreHandle;

  /** The environment's secret store, if the security module configured one (named in `SECRETS.md`; modules take theirs as a prop). */
  public get secretStore(): SecretStoreHandle | undefined {
    return this.store;
  }

  /** Sets the environment's secret store for `SECRETS.md` (the security module does, once). */
  public useSecretStore(store: SecretStoreHandle): void {
    if (this.store && (this.store.name !== store.name || this.store.kind !== store.kind)) {
      throw new ConfigError('SecretRegistry', 'secretStore', store.name, `The environment's store is already ${this.store.kind} "${this.store.name}"; configure one default store.`);
    }
    this.store = store;
  }

  /**
   * Records a Secret an object reads. The same Secret may be recorded by
   * several readers: keys merge, and the producers must agree.
   */
  public require(secret: RequiredSecret): void {
    const key = `${secret.namespace}/${secret.name}`;
    const existing = this.secrets.get(key);
    if (!existing) {
      this.secrets.set(key, { ...secret, keys: [...new Set(secret.keys)].sort() });
      return;
    }
    if ((existing.remoteKey ?? '') !== (secret.remoteKey ?? '') || (existing.producedBy ?? '') !== (secret.producedBy ?? '')) {
      throw new ConfigError(
        'SecretRegistry',
        `Secret ${key}`,
        secret.readBy,
        `It is already produced for ${existing.readBy} (${describeProducer(existing)}); let both readers use one producer.`,
      );
    }
    this.secrets.set(key, {
      ...existing,
      keys: [...new Set([...existing.keys, ...secret.keys])].sort(),
      readBy: existing.readBy.split(', ').includes(secret.readBy) ? existing.readBy : `${existing.readBy}, ${secret.readBy}`,
    });
  }

  /** Every required Secret, by namespace and name. */
  public get all(): readonly RequiredSecret[] {
    return [...this.secrets.values()].sort((a, b) => compareNames(`${a.namespace}/${a.name}`, `${b.namespace}/${b.name}`));
  }

  /** The Secrets nothing the platform ships produces: they must exist before the environment converges. */
  public get prerequisites(): readonly RequiredSecret[] {
    return this.all.filter((s) => s.producedBy === undefined);
  }

  /** The producer of one Secret, in words. */
  public producerOf(secret: RequiredSecret): string {
    return describeProducer(secret);
  }

  /** `SECRETS.md` of the environment's tree. */
  public render(environment: string): string {
    const rows = this.all.map(
      (s) => `| \`${s.namespace}/${s.name}\` | ${s.keys.map((k) => `\`${k}\``).join(', ')} | ${s.readBy} | ${this.producerOf(s)} |`,
    );
    const prerequisites = this.prerequisites;
    return [
      `# Secrets: ${environment}`,
      '',
      'Generated at synth time; do not edit. Every Secret an object of this environment reads, and what produces it.',
      this.store
        ? `ExternalSecrets read from the ${this.store.kind} \`${this.store.name}\`; each store key holds one property per Secret key.`
        : this.all.some((secret) => secret.producedBy?.startsWith(STORE_PRODUCER_PREFIX))
          ? 'ExternalSecrets read from the stores the modules were given, named per Secret below; each store key holds one property per Secret key.'
          : 'No secret store is configured (the security module is off or has no store): nothing produces the Secrets marked as prerequisites.',
      '',
      '| Secret | keys | read by | produced by |',
      '| --- | --- | --- | --- |',
      ...rows,
      '',
      '## Prerequisites',
      '',
      ...(prerequisites.length === 0
        ? ['None: every Secret has a producer.']
        : [
            'Create these Secrets before the environment is deployed (for example with `kubectl create secret generic`, or a SealedSecret):',
            '',
            '```yaml',
            toYaml(
              prerequisites.map((s) => ({
                namespace: s.namespace,
                name: s.name,
                type: s.type ?? 'Opaque',
                keys: [...s.keys],
              })),
            ).trimEnd(),
            '```',
          ]),
      '',
    ].join('\n');
  }
}

function describeProducer(secret: RequiredSecret): string {
  return secret.producedBy ?? '**prerequisite**';
}
