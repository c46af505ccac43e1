/** Per-environment delivery settings (`EnvironmentConfig.delivery`). */
export interface DeliverySettings {}
