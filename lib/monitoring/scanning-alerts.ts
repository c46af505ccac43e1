import { DashboardDefinition } from './dashboards';
import { Panel } from './dashboard';
import { RuleGroupOptions, Rule, Severity } from './rules';

/**
 * The metrics Trivy Operator 0.32 exports for its reports
 * (`pkg/metrics/collector.go` at v0.32.0), each labelled with the scanned
 * workload (`namespace`, `resource_kind`, `resource_name`) and `severity` in
 * title case (`Critical`, `High`, `Medium`, `Low`, `Unknown`).
 */
export const TRIVY_METRICS = {
  /** Vulnerabilities per container image, also by `container_name`, `image_repository`, `image_tag`. */
  vulnerabilities: 'trivy_image_vulnerabilities',
  /** Secrets found in container images. */
  exposedSecrets: 'trivy_image_exposedsecrets',
  /** Failing configuration-audit checks per resource. */
  configAudits: 'trivy_resource_configaudits',
  /** Risky RBAC checks per Role. */
  rbacAssessments: 'trivy_role_rbacassessments',
} as const;

/** The severity label value of a critical finding. */
export const CRITICAL_FINDING = 'Critical';

const IMAGE = 'namespace, resource_kind, resource_name, container_name, image_repository, image_tag';
const RESOURCE = 'namespace, resource_kind, resource_name';

/** Options for {@link scanningRuleGroup}. */
export interface ScanningAlertOptions {
  /** How long a critical finding stands before the alert fires (a report is rewritten on every rescan). @default '15m' */
  readonly for?: string;
}

/**
 * Alerts on critical findings:
 * - `TrivyExposedSecret` (critical): a container image carries a critical
 *   secret (a private key, a cloud credential): rotate it now;
 * - `TrivyCriticalVulnerability` (warning): a running image has critical
 *   vulnerabilities; a ticket to rebuild or patch, not a page: a new CVE in a
 *   base image reaches every workload at once;
 * - `TrivyCriticalMisconfiguration` (warning): a workload fails a critical
 *   configuration-audit check.
 */
export function scanningRuleGroup(options: ScanningAlertOptions = {}): RuleGroupOptions {
  const wait = options.for ?? '15m';
  return {
    name: 'trivy-operator',
    rules: [
      Rule.alert({
        name: 'TrivyExposedSecret',
        expr: `sum by (${IMAGE}) (${TRIVY_METRICS.exposedSecrets}{severity="${CRITICAL_FINDING}"}) > 0`,
        for: wait,
        severity: Severity.CRITICAL,
        summary: 'Critical secret exposed in image {{ $labels.image_repository }}:{{ $labels.image_tag }}',
        description:
          '{{ $value }} critical secret(s) found in container {{ $labels.container_name }} of {{ $labels.resource_kind }} {{ $labels.namespace }}/{{ $labels.resource_name }}. Rotate the secret and rebuild the image (kubectl get exposedsecretreports -n {{ $labels.namespace }}).',
      }),
      Rule.alert({
        name: 'TrivyCriticalVulnerability',
        expr: `sum by (${IMAGE}) (${TRIVY_METRICS.vulnerabilities}{severity="${CRITICAL_FINDING}"}) > 0`,
        for: wait,
        severity: Severity.WARNING,
        summary: 'Critical vulnerabilities in image {{ $labels.image_repository }}:{{ $labels.image_tag }}',
        description:
          '{{ $value }} critical vulnerabilities in container {{ $labels.container_name }} of {{ $labels.resource_kind }} {{ $labels.namespace }}/{{ $labels.resource_name }} (kubectl get vulnerabilityreports -n {{ $labels.namespace }}).',
      }),
      Rule.alert({
        name: 'TrivyCriticalMisconfiguration',
        expr: `sum by (${RESOURCE}) (${TRIVY_METRICS.configAudits}{severity="${CRITICAL_FINDING}"}) > 0`,
        for: wait,
        severity: Severity.WARNING,
        summary: '{{ $labels.resource_kind }} {{ $labels.namespace }}/{{ $labels.resource_name }} fails critical configuration checks',
        description: '{{ $value }} critical configuration-audit check(s) fail (kubectl get configauditreports -n {{ $labels.namespace }}).',
      }),
    ],
  };
}

/** The security scanning dashboard: findings by severity, the images and resources with critical ones. */
export function scanningDashboard(): DashboardDefinition {
  const critical = `{severity="${CRITICAL_FINDING}"}`;
  return {
    uid: 'gitops-security-scanning',
    title: 'Security Scanning',
    description: 'Trivy Operator reports: vulnerabilities, exposed secrets and configuration audits of the running workloads.',
    tags: ['gitops', 'security', 'trivy'],
    refresh: '5m',
    timeFrom: 'now-7d',
    panels: [
      Panel.stat({
        title: 'Critical Vulnerabilities',
        queries: [{ expr: `sum(${TRIVY_METRICS.vulnerabilities}${critical}) or vector(0)` }],
        thresholds: [{ value: 1, color: 'red' }],
      }),
      Panel.stat({
        title: 'High Vulnerabilities',
        queries: [{ expr: `sum(${TRIVY_METRICS.vulnerabilities}{severity="High"}) or vector(0)` }],
        thresholds: [{ value: 1, color: 'orange' }],
      }),
      Panel.stat({
        title: 'Exposed Secrets',
        queries: [{ expr: `sum(${TRIVY_METRICS.exposedSecrets}) or vector(0)` }],
        thresholds: [{ value: 1, color: 'red' }],
      }),
      Panel.stat({
        title: 'Critical Misconfigurations',
        queries: [{ expr: `sum(${TRIVY_METRICS.configAudits}${critical}) or vector(0)` }],
        thresholds: [{ value: 1, color: 'red' }],
      }),
      Panel.timeSeries({
        title: 'Vulnerabilities by Severity',
        queries: [{ expr: `sum by (severity) (${TRIVY_METRICS.vulnerabilities})`, legendFormat: '{{ severity }}' }],
      }),
      Panel.timeSeries({
        title: 'Failing Configuration Checks by Severity',
        queries: [{ expr: `sum by (severity) (${TRIVY_METRICS.configAudits})`, legendFormat: '{{ severity }}' }],
      }),
      Panel.table({
        title: 'Images with Critical Vulnerabilities',
        queries: [{ expr: `topk(20, sum by (namespace, image_repository, image_tag) (${TRIVY_METRICS.vulnerabilities}${critical}) > 0)` }],
      }),
      Panel.table({
        title: 'Namespaces by Failing Configuration Checks',
        queries: [{ expr: `sort_desc(sum by (namespace, severity) (${TRIVY_METRICS.configAudits}) > 0)` }],
      }),
    ],
  };
}
