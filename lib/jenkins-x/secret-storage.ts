/** The `secretStorage` values of `jx-requirements.yml`. */
export type SecretStorageValue = 'local' | 'vault' | 'gsm' | 'asm' | 'azurekeyvault';

/**
 * Where Jenkins X keeps its secrets; the boot job configures external-secrets
 * (jx-secret) for the backend named here.
 */
export class SecretStorage {
  /** Kubernetes Secrets in the cluster (development clusters). */
  public static local(): SecretStorage {
    return new SecretStorage('local');
  }

  /** HashiCorp Vault. */
  public static vault(): SecretStorage {
    return new SecretStorage('vault');
  }

  /** Google Secret Manager. */
  public static googleSecretManager(): SecretStorage {
    return new SecretStorage('gsm');
  }

  /** AWS Secrets Manager. */
  public static awsSecretsManager(): SecretStorage {
    return new SecretStorage('asm');
  }

  /** Azure Key Vault. */
  public static azureKeyVault(): SecretStorage {
    return new SecretStorage('azurekeyvault');
  }

  /** The value Jenkins X reads. */
  public readonly value: SecretStorageValue;

  private constructor(value: SecretStorageValue) {
    this.value = value;
  }

  public toString(): string {
    return this.value;
  }
}
