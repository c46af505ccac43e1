import { Construct } from 'constructs';
import { ConfigError } from '../../platform/errors';
import { toYaml } from '../../platform/yaml';
import { ExternalSecret } from '../../platform/external-secrets/external-secret';
import { SecretStoreRef } from './secret-store';

/** The `spec.decryption` of a Flux Kustomization. */
export interface SopsDecryptionJson {
  readonly provider: 'sops';
  readonly secretRef: { readonly name: string };
}

/** The Secret key Flux reads an age private key from. */
export const AGE_KEY_FILE = 'age.agekey';

/**
 * SOPS decryption for Flux Kustomizations (seed 002): the Kustomization names
 * the Secret in its namespace (`flux-system`) that holds the age private key.
 *
 * ```ts
 * spec: { ..., decryption: SopsDecryption.age('sops-age').toJson() }
 * ```
 */
export class SopsDecryption {
  /** Decrypt with the age key in `secretName` (key `age.agekey`). */
  public static age(secretName = 'sops-age'): SopsDecryption {
    if (typeof secretName !== 'string' || !/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/.test(secretName)) {
      throw new ConfigError('SopsDecryption.age', 'secretName', secretName, 'Use the name of the Secret holding the age key (a lowercase DNS subdomain), such as "sops-age".');
    }
    return new SopsDecryption(secretName);
  }

  private constructor(
    /** The Secret holding the age key. */
    public readonly secretName: string,
  ) {}

  /** The Kustomization's `spec.decryption`. */
  public toJson(): SopsDecryptionJson {
    return { provider: 'sops', secretRef: { name: this.secretName } };
  }
}

/** Options for {@link SopsAgeKey}. */
export interface SopsAgeKeyProps {
  /** The Secret to write. @default 'sops-age' */
  readonly secretName?: string;
  /** Flux's namespace. @default 'flux-system' */
  readonly namespace?: string;
  /** The key of the age private key in the store (`flux/sops-age`). */
  readonly remoteKey: string;
  /** The property of the stored value. @default 'age.agekey' */
  readonly property?: string;
  /** The store. @default SecretStoreRef.cluster('vault-backend') */
  readonly store?: SecretStoreRef;
}

/**
 * The age private key Flux decrypts with, materialised from the secret store
 * (instead of `kubectl create secret generic sops-age --from-file=...`).
 */
export class SopsAgeKey extends Construct {
  /** The ExternalSecret. */
  public readonly externalSecret: ExternalSecret;
  /** How Kustomizations reference the key. */
  public readonly decryption: SopsDecryption;

  constructor(scope: Construct, id: string, props: SopsAgeKeyProps) {
    super(scope, id);
    this.decryption = SopsDecryption.age(props.secretName ?? 'sops-age');
    this.externalSecret = new ExternalSecret(this, 'Resource', {
      name: this.decryption.secretName,
      namespace: props.namespace ?? 'flux-system',
      store: props.store,
      data: [{ secretKey: AGE_KEY_FILE, remoteKey: props.remoteKey, property: props.property ?? AGE_KEY_FILE }],
    });
  }
}

const AGE_RECIPIENT = /^age1[02-9ac-hj-np-z]{58}$/;

/**
 * The `.sops.yaml` of an environment's tree: files named `*.sops.yaml` have
 * their `data`/`stringData` encrypted for the age recipients (public keys).
 */
export function sopsConfig(recipients: readonly string[]): string {
  if (recipients.length === 0) {
    throw new ConfigError('sopsConfig', 'ageRecipients', recipients, 'List at least one age public key (age1...).');
  }
  recipients.forEach((r, i) => {
    if (!AGE_RECIPIENT.test(r)) {
      throw new ConfigError('sopsConfig', `ageRecipients[${i}]`, r, 'Use an age public key (age1 followed by 58 characters, from age-keygen); never the private key.');
    }
  });
  return toYaml({
    creation_rules: [{ path_regex: '.*\\.sops\\.yaml$', encrypted_regex: '^(data|stringData)$', age: recipients.join(',') }],
  });
}
