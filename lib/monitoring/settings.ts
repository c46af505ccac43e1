/** Per-environment monitoring settings (`EnvironmentConfig.monitoring`). */
export interface MonitoringSettings {}
