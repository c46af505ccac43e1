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
    version: '10.3.0',
    repository: 'https://argoproj.github.io/argo-helm',
    appVersion: 'v3.5.0',
  },
  /** Argo CD Image Updater, with its `ImageUpdater` CRD (argocd-image-updater.argoproj.io/v1alpha1). */
  argocdImageUpdater: {
    chart: 'argocd-image-updater',
    version: '1.3.1',
    repository: 'https://argoproj.github.io/argo-helm',
    appVersion: 'v1.3.0',
  },
  /**
   * Flux (source, kustomize, helm, notification, image reflector and image
   * automation controllers, with their CRDs), fluxcd-community chart.
   */
  flux2: {
    chart: 'flux2',
    version: '2.18.3',
    repository: 'https://fluxcd-community.github.io/helm-charts',
    appVersion: '2.8.5',
  },
  /**
   * Jenkins X 3's git operator: polls the cluster Git repository and runs its boot job.
   * The chart's own `appVersion` field is stale (0.0.88); the operator image is the
   * release of the same number, pinned through `image.tag`.
   */
  jxGitOperator: {
    chart: 'jx-git-operator',
    version: '0.2.4',
    repository: 'https://jenkins-x-charts.github.io/repo',
    appVersion: '0.2.4',
  },
  /** The jenkins.io CRDs (Environment, SourceRepository, Release, PipelineActivity), the version schemas/crds/jenkins-x holds. */
  jenkinsXCrds: {
    chart: 'jenkins-x-crds',
    version: '3.0.12',
    repository: 'https://jenkins-x-charts.github.io/repo',
    appVersion: '3.0.12',
  },
  /**
   * Prometheus Operator, Prometheus, Alertmanager, Grafana, kube-state-metrics
   * and node-exporter. 88.3.0 is the last release on prometheus-operator
   * v0.93.0, the version of the CRDs in schemas/crds/prometheus-operator.
   */
  kubePrometheusStack: {
    chart: 'kube-prometheus-stack',
    version: '88.3.0',
    repository: 'https://prometheus-community.github.io/helm-charts',
    appVersion: 'v0.93.0',
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
  /**
   * Argo Rollouts (controller, CRDs, optional dashboard). Chart 2.41.0 (git tag
   * `argo-rollouts-2.41.0` in argo-helm) is the newest release that could be
   * verified; its CRD schemas equal the v1.9.1 CRDs in schemas/crds/argo-rollouts.
   */
  argoRollouts: {
    chart: 'argo-rollouts',
    version: '2.41.0',
    repository: 'https://argoproj.github.io/argo-helm',
    appVersion: 'v1.9.0',
  },
  /**
   * Trivy Operator: vulnerability, config-audit, exposed-secret and RBAC
   * reports of the workloads as custom resources, and their counts as metrics.
   * Chart 0.34.0 is released from the operator's tag v0.32.0 (`deploy/helm`).
   */
  trivyOperator: {
    chart: 'trivy-operator',
    version: '0.34.0',
    repository: 'https://aquasecurity.github.io/helm-charts',
    appVersion: '0.32.0',
  },
  /** OpenCost: cost allocation of the cluster's workloads from Prometheus metrics, with its UI. */
  opencost: {
    chart: 'opencost',
    version: '2.5.17',
    repository: 'https://opencost.github.io/opencost-helm-chart',
    appVersion: '1.120.1',
  },
  /**
   * Falco: runtime threat detection (syscalls through the modern eBPF probe,
   * Kubernetes audit events through the k8saudit plugin), with falcosidekick
   * 0.12.1 (the chart's `0.12.*` dependency) forwarding alerts.
   */
  falco: {
    chart: 'falco',
    version: '9.1.0',
    repository: 'https://falcosecurity.github.io/charts',
    appVersion: '0.44.1',
  },
  /**
   * Velero (server, optional node agent for file-system backup of pod volumes,
   * its CRDs from the chart's `crds/`). Chart 12.1.0 (tag `velero-12.1.0` in
   * vmware-tanzu/helm-charts) installs Velero v1.18.1, the version of the CRDs
   * in schemas/crds/velero.
   */
  velero: {
    chart: 'velero',
    version: '12.1.0',
    repository: 'https://vmware-tanzu.github.io/helm-charts',
    appVersion: 'v1.18.1',
  },
} as const satisfies Record<string, ChartRef>;

/** The key of a chart in {@link CHARTS}. */
export type ChartName = keyof typeof CHARTS;
