/**
 * Every Helm chart the platform installs, in one place, pinned to an exact
 * version with its repository. A test rejects ranges, `latest` and missing
 * versions. Bump a chart here and nowhere else.
 */

/** A chart pinned to one version in one repository. */
export interface ChartRef {
  /** The chart's name in its repository. */
  readonly chart: string;
  /** The exact chart version (SemVer, no range). */
  readonly version: string;
  /** The repository URL (https, or oci:// for OCI registries). */
  readonly repository: string;
  /** The application version the chart installs, for outputs and docs. */
  readonly appVersion: string;
}

/** The catalogue: one entry per chart. */
export const CHARTS = {
  /** Argo CD itself (server, application controller, repo server, ApplicationSet controller, notifications). */
  argoCd: {
    chart: 'argo-cd',
    version: '9.1.0',
    repository: 'https://argoproj.github.io/argo-helm',
    appVersion: 'v3.2.0',
  },
  /** OPA Gatekeeper: admission control and audit with ConstraintTemplates (CRDs v3.23.0). */
  gatekeeper: {
    chart: 'gatekeeper',
    version: '3.23.0',
    repository: 'https://open-policy-agent.github.io/gatekeeper/charts',
    appVersion: 'v3.23.0',
  },
  /** External Secrets Operator: Secrets from Vault, AWS Secrets Manager, ... (CRDs v2.9.0). */
  externalSecrets: {
    chart: 'external-secrets',
    version: '2.9.0',
    repository: 'https://charts.external-secrets.io',
    appVersion: 'v2.9.0',
  },
  /** Bitnami Sealed Secrets controller: decrypts SealedSecrets in the cluster (CRD v0.36.6). */
  sealedSecrets: {
    chart: 'sealed-secrets',
    version: '2.18.5',
    repository: 'https://bitnami-labs.github.io/sealed-secrets',
    appVersion: '0.36.6',
  },
} as const satisfies Record<string, ChartRef>;

/** The key of a chart in {@link CHARTS}. */
export type ChartName = keyof typeof CHARTS;
