/** Per-environment Argo CD settings (`EnvironmentConfig.argocd`). */
export interface ArgoCdSettings {
  /**
   * Host name of the Argo CD server ingress.
   * @default `argocd.<environment domain>`
   */
  readonly ingressHost?: string;
}
