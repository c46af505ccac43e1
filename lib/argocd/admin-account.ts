import { ConfigError } from '../platform/errors';

/** Options for {@link AdminAccount.bcryptFromVariable}. */
export interface AdminPasswordOptions {
  /**
   * The sensitive Terraform variable that holds the bcrypt hash of the
   * password (`TF_VAR_<name>`); never a value in config.
   * @default 'argocd_admin_password_bcrypt'
   */
  readonly variableName?: string;
  /**
   * When the password last changed (RFC 3339). Fixing it keeps upgrades from
   * logging everyone out.
   * @default - the time of each Helm upgrade (the chart's default)
   */
  readonly passwordMtime?: string;
}

/** The local `admin` account: disabled (SSO only), or enabled with a bcrypt hash from Terraform. */
export class AdminAccount {
  /** No local admin: people log in through SSO. */
  public static disabled(): AdminAccount {
    return new AdminAccount(false, undefined, undefined);
  }

  /** A local admin whose bcrypt hash comes from a sensitive Terraform variable. */
  public static bcryptFromVariable(options: AdminPasswordOptions = {}): AdminAccount {
    const name = options.variableName ?? 'argocd_admin_password_bcrypt';
    if (!/^[a-z][a-z0-9_]*$/.test(name)) {
      throw new ConfigError('AdminAccount', 'variableName', name, 'Use a lowercase snake_case Terraform variable name.');
    }
    if (options.passwordMtime !== undefined && !/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/.test(options.passwordMtime)) {
      throw new ConfigError('AdminAccount', 'passwordMtime', options.passwordMtime, 'Use an RFC 3339 UTC time such as "2026-01-15T09:00:00Z".');
    }
    return new AdminAccount(true, name, options.passwordMtime);
  }

  private constructor(
    /** Whether the local admin can log in. */
    public readonly enabled: boolean,
    /** The sensitive variable with the bcrypt hash, when enabled. */
    public readonly variableName: string | undefined,
    /** The fixed password change time, if any. */
    public readonly passwordMtime: string | undefined,
  ) {}
}
