import { ConfigError } from '../platform/errors';

const QUANTITY = /^[0-9]+(\.[0-9]+)?(Ki|Mi|Gi|Ti|Pi|Ei|k|M|G|T|P|E)?$/;

/** Options for {@link Storage.persistent}. */
export interface PersistentStorageOptions {
  /** Volume size, a Kubernetes quantity (`100Gi`). */
  readonly size: string;
  /** The StorageClass. @default - the cluster's default StorageClass */
  readonly storageClassName?: string;
}

/** Where a component keeps its data: a PersistentVolumeClaim, or the pod's emptyDir. */
export class Storage {
  /** An emptyDir: data is lost when the pod is rescheduled (fine for dev). */
  public static ephemeral(): Storage {
    return new Storage(undefined);
  }

  /** A PersistentVolumeClaim per replica. */
  public static persistent(options: PersistentStorageOptions): Storage {
    return new Storage(options);
  }

  private constructor(private readonly options: PersistentStorageOptions | undefined) {}

  /** Whether data survives pod restarts. */
  public get isPersistent(): boolean {
    return this.options !== undefined;
  }

  /** The volume size (`undefined` when ephemeral). */
  public get size(): string | undefined {
    return this.options?.size;
  }

  /** The StorageClass (`undefined` for the default or ephemeral). */
  public get storageClassName(): string | undefined {
    return this.options?.storageClassName;
  }

  /** Checks the size and class; `field` names the setting in errors. */
  public validate(where: string, field: string): void {
    if (!this.options) return;
    if (typeof this.options.size !== 'string' || !QUANTITY.test(this.options.size)) {
      throw new ConfigError(where, `${field}.size`, this.options.size, 'Use a Kubernetes quantity such as "100Gi".');
    }
    const cls = this.options.storageClassName;
    if (cls !== undefined && !/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/.test(cls)) {
      throw new ConfigError(where, `${field}.storageClassName`, cls, 'Use the name of a StorageClass, such as "fast-ssd".');
    }
  }

  /** A summary for the outputs. */
  public describe(): Record<string, unknown> {
    return this.options
      ? { persistent: true, size: this.options.size, storage_class: this.options.storageClassName ?? 'default' }
      : { persistent: false };
  }
}

/** Options for {@link GrafanaAdmin.fromExistingSecret}. */
export interface GrafanaAdminSecretOptions {
  /** Key of the user name. @default 'admin-user' */
  readonly userKey?: string;
  /** Key of the password. @default 'admin-password' */
  readonly passwordKey?: string;
}

/** The Secret Terraform writes Grafana's admin credentials into (`GrafanaAdmin.fromSensitiveVariable`). */
export const GRAFANA_ADMIN_SECRET = 'grafana-admin-credentials';

/**
 * Where Grafana's admin password comes from. Never a literal: a sensitive
 * Terraform variable (given as `TF_VAR_<name>`), or a Secret that exists
 * before Grafana starts (for example from an ExternalSecret).
 */
export class GrafanaAdmin {
  /**
   * The sensitive, ephemeral Terraform variable `name`, written write-only
   * (`data_wo`) with the user `admin` into the Secret `grafana-admin-credentials`,
   * which Grafana reads (`admin.existingSecret`): the password is in no file,
   * plan or state. Terraform rewrites it only when `revision` changes: bump it
   * to rotate the password.
   */
  public static fromSensitiveVariable(name = 'grafana_admin_password', revision = 1): GrafanaAdmin {
    if (!Number.isInteger(revision) || revision < 1) {
      throw new ConfigError('GrafanaAdmin', 'revision', revision, 'Use a whole number of at least 1 (data_wo_revision).');
    }
    return new GrafanaAdmin(name, undefined, revision);
  }

  /** An existing Secret in the monitoring namespace (`grafana.admin.existingSecret`). */
  public static fromExistingSecret(secretName: string, options: GrafanaAdminSecretOptions = {}): GrafanaAdmin {
    if (!/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/.test(secretName)) {
      throw new ConfigError('GrafanaAdmin', 'existingSecret', secretName, 'Use the name of a Secret (a lowercase DNS name), such as "grafana-admin-credentials".');
    }
    return new GrafanaAdmin(undefined, {
      secretName,
      userKey: options.userKey ?? 'admin-user',
      passwordKey: options.passwordKey ?? 'admin-password',
    }, 1);
  }

  private constructor(
    /** The sensitive variable's name, when the password comes from Terraform. */
    public readonly variableName: string | undefined,
    /** The Secret, when the password comes from a Secret. */
    public readonly secret: { secretName: string; userKey: string; passwordKey: string } | undefined,
    /** `data_wo_revision` of the Secret Terraform writes (sensitive variable only). */
    public readonly revision: number,
  ) {}

  /** A summary for the outputs (names only, never a value). */
  public describe(): Record<string, unknown> {
    return this.secret
      ? { source: 'secret', secret: this.secret.secretName }
      : { source: 'terraform-variable', variable: this.variableName, secret: GRAFANA_ADMIN_SECRET };
  }
}
