/** Per-environment Jenkins X settings (`EnvironmentConfig.jenkinsX`). */
export interface JenkinsXSettings {}
