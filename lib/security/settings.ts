/** Per-environment security settings (`EnvironmentConfig.security`). */
export interface SecuritySettings {}
