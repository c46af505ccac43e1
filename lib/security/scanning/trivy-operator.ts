import { Construct } from 'constructs';
import { CHARTS } from '../../platform/catalogue';
import { ControllerInstall, ControllerInstallProps } from '../../platform/controller-install';
import { ConfigError } from '../../platform/errors';
import { Lazy } from 'cdktf';
import { ScannerMetricsTarget } from '../../platform/references';

/** A Trivy severity. */
export type TrivySeverity = 'UNKNOWN' | 'LOW' | 'MEDIUM' | 'HIGH' | 'CRITICAL';

const SEVERITIES: readonly TrivySeverity[] = ['UNKNOWN', 'LOW', 'MEDIUM', 'HIGH', 'CRITICAL'];

/** The reports the operator writes for the workloads, as `group/Kind`. */
export const TRIVY_REPORT_KINDS: readonly string[] = [
  'aquasecurity.github.io/VulnerabilityReport',
  'aquasecurity.github.io/ConfigAuditReport',
  'aquasecurity.github.io/ExposedSecretReport',
  'aquasecurity.github.io/RbacAssessmentReport',
  'aquasecurity.github.io/ClusterRbacAssessmentReport',
];

/** Every kind the chart's CRDs define (chart 0.34.0, `deploy/helm/crds`). */
const TRIVY_CRD_KINDS: readonly string[] = [
  'ClusterComplianceReport',
  'ClusterConfigAuditReport',
  'ClusterInfraAssessmentReport',
  'ClusterRbacAssessmentReport',
  'ClusterSbomReport',
  'ClusterVulnerabilityReport',
  'ConfigAuditReport',
  'ExposedSecretReport',
  'InfraAssessmentReport',
  'RbacAssessmentReport',
  'SbomReport',
  'VulnerabilityReport',
].map((k) => `aquasecurity.github.io/${k}`);

/** Settings of the security scanner (`EnvironmentConfig.security.scanning`). */
export interface TrivyOperatorOptions {
  /** Namespace of the operator and of its scan jobs. @default 'trivy-system' */
  readonly namespace?: string;
  /** Helm release name (the chart names its objects after it). @default 'trivy-operator' */
  readonly releaseName?: string;
  /**
   * Namespaces not scanned (names or glob patterns).
   * @default [] (every namespace)
   */
  readonly excludeNamespaces?: readonly string[];
  /**
   * The severities vulnerability and secret reports record.
   * @default ['UNKNOWN', 'LOW', 'MEDIUM', 'HIGH', 'CRITICAL']
   */
  readonly severities?: readonly TrivySeverity[];
  /** Report only vulnerabilities that have a fixed version. @default false */
  readonly ignoreUnfixed?: boolean;
  /** Scan jobs run at once. @default 3, or 10 when the environment is highly available */
  readonly concurrentScanJobs?: number;
  /** How long a vulnerability report lives before the image is scanned again (a Go duration). @default '24h' */
  readonly reportTtl?: string;
  /** How long a critical finding stands before its alert fires (a Prometheus duration). @default '15m' */
  readonly alertAfter?: string;
  /**
   * Values of the `trivy-operator` chart merged over the ones this install
   * computes, last: the escape hatch for a chart setting without a setting
   * here. Every path must exist in the chart's defaults; never a secret.
   * @default - none
   */
  readonly values?: Readonly<Record<string, unknown>>;
}

/** Options for {@link TrivyOperator}. */
export interface TrivyOperatorProps extends TrivyOperatorOptions, ControllerInstallProps {}

/** The pod-level context of the operator and its scan jobs: non-root, default seccomp (Pod Security restricted). */
const RESTRICTED_POD = { runAsNonRoot: true, runAsUser: 65534, runAsGroup: 65534, fsGroup: 65534, seccompProfile: { type: 'RuntimeDefault' } };
const RESTRICTED_CONTAINER = {
  allowPrivilegeEscalation: false,
  capabilities: { drop: ['ALL'] },
  privileged: false,
  readOnlyRootFilesystem: true,
  runAsNonRoot: true,
  seccompProfile: { type: 'RuntimeDefault' },
};

/**
 * Security scanning with Trivy Operator (pinned chart `trivy-operator`):
 * every workload's images are scanned for vulnerabilities and exposed
 * secrets, every workload, Service, Role and NetworkPolicy is audited for
 * misconfigurations, and the results are kept as `VulnerabilityReport`,
 * `ExposedSecretReport`, `ConfigAuditReport` and `RbacAssessmentReport`
 * objects beside the workloads.
 *
 * The operator and its scan jobs run non-root with the default seccomp
 * profile and no capabilities, so its namespace can enforce Pod Security
 * `restricted`. The infrastructure assessment and the CIS compliance
 * reports are off: their node-collector job mounts the nodes' configuration
 * directories (hostPath), which `baseline` and `restricted` refuse.
 *
 * When the monitoring module is on, the GitOps tree gets (in the operator's
 * namespace) a ServiceMonitor for the operator's metrics, a PrometheusRule
 * alerting on critical findings ({@link scanningRuleGroup}) and a Grafana
 * dashboard ConfigMap, which Grafana's sidecar loads from every namespace.
 * Its state is reported in `gitops_security_status.scanning`.
 */
export class TrivyOperator extends ControllerInstall {
  /** The severities reports record. */
  public readonly severities: readonly TrivySeverity[];
  /** Scan jobs run at once. */
  public readonly concurrentScanJobs: number;
  /**
   * The operator's metrics, for the monitoring module (its prop
   * `securityScanner`), which scrapes them, alerts on critical findings and
   * ships the dashboard.
   */
  public readonly metrics: ScannerMetricsTarget;
  private monitoring?: { readonly alerts: readonly string[]; readonly dashboard: string };

  constructor(scope: Construct, id: string, props: TrivyOperatorProps = {}) {
    // One operator (the HA table's singleton); the scan jobs carry the load (concurrentScanJobs).
    super(scope, id, props, { chart: CHARTS.trivyOperator, defaultNamespace: 'trivy-system', releaseName: props.releaseName ?? 'trivy-operator', role: 'singleton' });
    const platform = this.platform;
    const where = this.node.path;
    const release = this.releaseName;
    this.severities = props.severities ?? SEVERITIES;
    if (!Array.isArray(this.severities) || this.severities.length === 0 || this.severities.some((s) => !SEVERITIES.includes(s))) {
      throw new ConfigError(where, 'severities', this.severities, `List severities from ${SEVERITIES.join(', ')}.`);
    }
    this.concurrentScanJobs = props.concurrentScanJobs ?? (platform.environment.sizing.highAvailability ? 10 : 3);
    if (!Number.isInteger(this.concurrentScanJobs) || this.concurrentScanJobs < 1) {
      throw new ConfigError(where, 'concurrentScanJobs', this.concurrentScanJobs, 'Use a whole number of at least 1.');
    }
    const ttl = props.reportTtl ?? '24h';
    if (!/^([0-9]+(h|m|s))+$/.test(ttl)) throw new ConfigError(where, 'reportTtl', ttl, 'Use a Go duration such as "24h" or "12h30m".');
    const excluded = props.excludeNamespaces ?? [];
    for (const ns of excluded) {
      if (typeof ns !== 'string' || !/^[a-z0-9*?]([-a-z0-9*?]*[a-z0-9*?])?$/.test(ns)) {
        throw new ConfigError(where, 'excludeNamespaces', ns, 'Give namespace names or glob patterns such as "kube-*".');
      }
    }

    const podLabels = { 'app.kubernetes.io/name': 'trivy-operator', 'app.kubernetes.io/instance': release };
    this.installChart({
      values: {
        excludeNamespaces: [...excluded].sort().join(','),
        operator: {
          scanJobsConcurrentLimit: this.concurrentScanJobs,
          vulnerabilityScannerEnabled: true,
          exposedSecretScannerEnabled: true,
          configAuditScannerEnabled: true,
          rbacAssessmentScannerEnabled: true,
          infraAssessmentScannerEnabled: false,
          clusterComplianceEnabled: false,
          scannerReportTTL: ttl,
          metricsFindingsEnabled: true,
        },
        trivy: { severity: SEVERITIES.filter((s) => this.severities.includes(s)).join(','), ignoreUnfixed: props.ignoreUnfixed ?? false },
        trivyOperator: {
          scanJobPodTemplatePodSecurityContext: RESTRICTED_POD,
          scanJobPodTemplateContainerSecurityContext: RESTRICTED_CONTAINER,
        },
        podSecurityContext: RESTRICTED_POD,
        securityContext: RESTRICTED_CONTAINER,
        resources: { requests: { cpu: '50m', memory: '128Mi' }, limits: { cpu: '500m', memory: '512Mi' } },
      },
      facts: {
        serviceAccounts: [release],
        secrets: [release, `${release}-trivy-config`],
        crdKinds: TRIVY_CRD_KINDS,
        services: [{ name: release, labels: podLabels, podLabels, ports: [{ name: 'metrics', port: 80, targetPort: 8080 }], metrics: ['trivy_'] }],
      },
    });
    const operator = { namespace: this.namespace, podLabels };
    platform.requireFlow({ from: operator, to: { namespace: 'kube-system', podLabels: { 'k8s-app': 'kube-dns' } }, port: 53, protocol: 'UDP', why: 'Trivy Operator resolves names' });
    platform.requireFlow({ from: operator, to: { external: 'Kubernetes API server' }, port: 443, why: 'Trivy Operator watches workloads and writes reports' });
    platform.requireFlow({ from: { namespace: this.namespace }, to: { external: 'container registries and the Trivy databases (mirror.gcr.io)' }, port: 443, why: 'scan jobs pull image layers and the vulnerability database' });

    this.metrics = {
      namespace: this.namespace,
      release,
      podLabels,
      alertAfter: props.alertAfter,
      monitoredBy: (monitoring) => {
        this.monitoring = monitoring;
      },
    };

    platform.status.set('gitops_security_status', 'scanning', {
      ...this.install.describe(),
      scanners: ['vulnerabilities', 'exposed-secrets', 'config-audit', 'rbac-assessment'],
      reports: TRIVY_REPORT_KINDS.map((k) => k.split('/')[1]),
      severities: [...this.severities],
      concurrent_scan_jobs: this.concurrentScanJobs,
      report_ttl: ttl,
      excluded_namespaces: [...excluded].sort(),
      alerts: Lazy.listValue({ produce: () => [...(this.monitoring?.alerts ?? [])] }),
      dashboard: Lazy.anyValue({ produce: () => this.monitoring?.dashboard ?? null }),
    });
  }
}
