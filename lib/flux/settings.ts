/** Per-environment Flux settings (`EnvironmentConfig.flux`). */
export interface FluxSettings {}
