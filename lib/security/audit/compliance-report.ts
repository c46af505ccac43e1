import { Construct } from 'constructs';
import {
  IntOrString,
  KubeClusterRole,
  KubeClusterRoleBinding,
  KubeConfigMap,
  KubeCronJob,
  KubeNetworkPolicy,
  KubeRole,
  KubeRoleBinding,
  KubeServiceAccount,
  Quantity,
} from 'cdk8s-plus-27/lib/imports/k8s';
import { ConfigError } from '../../platform/errors';
import { compareNames } from '../../platform/compare';
import { imageTag, isDigestPinned } from '../policies/pinned-images';
import { RESTRICTED_CONTAINER_SECURITY_CONTEXT, RESTRICTED_POD_SECURITY_CONTEXT } from '../../platform/workload-security';
import type { PodSecurityLevel } from '../isolation/pod-security';
import { COMPLIANCE_REPORT_SCRIPT } from './compliance-script';

/** Options for {@link ComplianceReportJob}. */
export interface ComplianceReportJobProps {
  /** The namespace. @default 'monitoring' */
  readonly namespace?: string;
  /** The environment, named in the report. */
  readonly environment: string;
  /**
   * The image that runs the script: fully qualified (registry host first),
   * pinned to a tag or digest, with `python3` (3.8 or later) on its path.
   * @default DEFAULT_COMPLIANCE_REPORTER_IMAGE
   */
  readonly image?: string;
  /** Cron schedule. @default '0 6 * * 1' */
  readonly schedule?: string;
  /** The e-mail addresses the report goes to (named in the report). */
  readonly recipients: readonly string[];
  /** The URL of the Prometheus the report queries for firing alerts (the monitoring module's, from the stack). */
  readonly prometheusUrl: string;
  /**
   * The alerts that make the cluster non-compliant while they fire (a PromQL selector of `ALERTS`).
   * @default 'ALERTS{alertstate="firing",severity="critical"}'
   */
  readonly alertSelector?: string;
  /** The namespace of the Argo CD Applications it checks. @default 'argocd' */
  readonly argocdNamespace?: string;
  /** The Pod Security level every namespace must enforce at least. @default 'restricted' */
  readonly podSecurityDefault?: PodSecurityLevel;
  /** Namespaces whose expected level differs from the default. @default {} */
  readonly podSecurityExceptions?: Readonly<Record<string, PodSecurityLevel>>;
  /**
   * CIDRs the API server is reached in (the job's egress on 443 and 6443).
   * @default ['0.0.0.0/0']
   */
  readonly apiServerCidrs?: readonly string[];
}

/**
 * The default image: the official Python image, pinned by digest. The digest
 * is that of `docker.io/library/python:3.14.7-slim-bookworm` (the multi-arch
 * index) as Renovate recorded it on 2026-08-13 in a public repository's
 * Dockerfile (SlashNephy/m2ts-calendar, commit 878e119a). Refresh with
 * `docker buildx imagetools inspect python:<tag>` and bump tag and digest together.
 */
export const DEFAULT_COMPLIANCE_REPORTER_IMAGE =
  'docker.io/library/python:3.14.7-slim-bookworm@sha256:23c59390fc717bf09f9336908199a0ae75d9c4264bf296123f94ad772fea3b52';

const CRON = /^(\S+\s+){4}\S+$/;
const EMAIL = /^[^@\s,]+@[^@\s,]+\.[a-z]{2,}$/i;
const NAME = 'gitops-compliance-report';
const APP_LABELS = { 'app.kubernetes.io/name': 'compliance-reporter' };
const SCRIPT_DIR = '/opt/compliance';
const LEVELS: readonly PodSecurityLevel[] = ['privileged', 'baseline', 'restricted'];

/**
 * The seed's weekly compliance report (Mondays 06:00 UTC), made real: a
 * CronJob that runs {@link COMPLIANCE_REPORT_SCRIPT} (shipped in a ConfigMap)
 * on a public image pinned by digest. It reads Gatekeeper's audit results,
 * the namespaces' Pod Security labels and the Argo CD Applications' sync and
 * health with a read-only service account, and the firing alerts from
 * Prometheus; it prints a JSON report and fails the Job when the cluster is
 * not compliant (`KubeJobFailed` fires). The pod is restricted (non-root,
 * read-only, no capabilities), and a NetworkPolicy lets it reach only DNS,
 * the API server and Prometheus.
 */
export class ComplianceReportJob extends Construct {
  /** The CronJob. */
  public readonly cronJob: KubeCronJob;
  /** The ConfigMap with the script. */
  public readonly script: KubeConfigMap;
  /** The schedule. */
  public readonly schedule: string;
  /** The image. */
  public readonly image: string;
  /** The namespace. */
  public readonly namespace: string;
  /** The labels of the reporter's pods. */
  public readonly podLabels: Readonly<Record<string, string>> = APP_LABELS;
  /** The Prometheus the report queries: its namespace (from the URL's host) and port. */
  public readonly prometheus: { readonly url: string; readonly namespace?: string; readonly port: number };

  constructor(scope: Construct, id: string, props: ComplianceReportJobProps) {
    super(scope, id);
    this.namespace = props.namespace ?? 'monitoring';
    this.schedule = props.schedule ?? '0 6 * * 1';
    this.image = props.image ?? DEFAULT_COMPLIANCE_REPORTER_IMAGE;
    const recipients = props.recipients;
    const argocdNamespace = props.argocdNamespace ?? 'argocd';
    const podSecurityDefault = props.podSecurityDefault ?? 'restricted';
    const exceptions = props.podSecurityExceptions ?? {};
    const apiServerCidrs = props.apiServerCidrs ?? ['0.0.0.0/0'];
    if (!CRON.test(this.schedule)) {
      throw new ConfigError(this.node.path, 'schedule', this.schedule, 'Use a five-field cron expression such as "0 6 * * 1".');
    }
    if (!hasRegistry(this.image)) {
      throw new ConfigError(
        this.node.path,
        'image',
        this.image,
        `Name the registry first, so the node pulls the image you mean (such as "ghcr.io/<owner>/${this.image}" or "${DEFAULT_COMPLIANCE_REPORTER_IMAGE}").`,
      );
    }
    if (!isDigestPinned(this.image) && ['', 'latest'].includes(imageTag(this.image))) {
      throw new ConfigError(this.node.path, 'image', this.image, `Pin the image to a version tag or, better, a digest (${DEFAULT_COMPLIANCE_REPORTER_IMAGE}).`);
    }
    if (recipients === undefined || recipients.length === 0 || recipients.some((r) => !EMAIL.test(r))) {
      throw new ConfigError(this.node.path, 'recipients', recipients, 'List the e-mail addresses the report goes to (name@host, one per entry).');
    }
    let prometheus: URL;
    try {
      prometheus = new URL(props.prometheusUrl);
      if (!['http:', 'https:'].includes(prometheus.protocol)) throw new Error('scheme');
    } catch {
      throw new ConfigError(this.node.path, 'prometheusUrl', props.prometheusUrl, 'Use the Prometheus URL, such as "http://prometheus-operated.monitoring.svc:9090".');
    }
    for (const [ns, level] of [['(default)', podSecurityDefault], ...Object.entries(exceptions)] as const) {
      if (!LEVELS.includes(level)) throw new ConfigError(this.node.path, `podSecurity ${ns}`, level, `Use one of ${LEVELS.join(', ')}.`);
    }
    const host = prometheus.hostname.split('.');
    this.prometheus = {
      url: props.prometheusUrl,
      namespace: host.length >= 2 && host[2] === 'svc' ? host[1] : host.length === 2 ? host[1] : undefined,
      port: prometheus.port ? Number(prometheus.port) : prometheus.protocol === 'https:' ? 443 : 80,
    };

    const account = new KubeServiceAccount(this, 'ServiceAccount', {
      metadata: { name: 'compliance-reporter', namespace: this.namespace },
      automountServiceAccountToken: false,
    });
    const subject = { kind: 'ServiceAccount', name: account.name, namespace: this.namespace };
    // Read-only, and only what the script reads.
    const clusterRole = new KubeClusterRole(this, 'ClusterRole', {
      metadata: { name: 'gitops-compliance-reporter' },
      rules: [
        { apiGroups: [''], resources: ['namespaces'], verbs: ['get', 'list'] },
        { apiGroups: ['constraints.gatekeeper.sh'], resources: ['*'], verbs: ['get', 'list'] },
      ],
    });
    new KubeClusterRoleBinding(this, 'ClusterRoleBinding', {
      metadata: { name: 'gitops-compliance-reporter' },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: clusterRole.name },
      subjects: [subject],
    });
    const role = new KubeRole(this, 'ArgoCdRole', {
      metadata: { name: 'gitops-compliance-reporter', namespace: argocdNamespace },
      rules: [{ apiGroups: ['argoproj.io'], resources: ['applications'], verbs: ['get', 'list'] }],
    });
    new KubeRoleBinding(this, 'ArgoCdRoleBinding', {
      metadata: { name: 'gitops-compliance-reporter', namespace: argocdNamespace },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: role.name },
      subjects: [subject],
    });
    this.script = new KubeConfigMap(this, 'Script', {
      metadata: { name: `${NAME}-script`, namespace: this.namespace },
      data: { 'compliance_report.py': COMPLIANCE_REPORT_SCRIPT },
    });

    this.cronJob = new KubeCronJob(this, 'Resource', {
      metadata: { name: NAME, namespace: this.namespace },
      spec: {
        schedule: this.schedule,
        timeZone: 'Etc/UTC',
        concurrencyPolicy: 'Forbid',
        startingDeadlineSeconds: 3600,
        successfulJobsHistoryLimit: 3,
        failedJobsHistoryLimit: 3,
        jobTemplate: {
          spec: {
            // One retry (an unreadable API exits 2); a non-compliant cluster fails both runs (exit 1).
            backoffLimit: 1,
            activeDeadlineSeconds: 3600,
            template: {
              metadata: { labels: { ...APP_LABELS } },
              spec: {
                serviceAccountName: account.name,
                // The script reads the API with the account's token.
                automountServiceAccountToken: true,
                restartPolicy: 'OnFailure',
                securityContext: { ...RESTRICTED_POD_SECURITY_CONTEXT, fsGroup: 65532 },
                containers: [
                  {
                    name: 'compliance-reporter',
                    image: this.image,
                    command: ['python3', `${SCRIPT_DIR}/compliance_report.py`],
                    env: [
                      { name: 'GITOPS_ENVIRONMENT', value: props.environment },
                      { name: 'PROMETHEUS_URL', value: props.prometheusUrl },
                      { name: 'PROMETHEUS_ALERTS', value: props.alertSelector ?? 'ALERTS{alertstate="firing",severity="critical"}' },
                      { name: 'ARGOCD_NAMESPACE', value: argocdNamespace },
                      { name: 'POD_SECURITY_DEFAULT', value: podSecurityDefault },
                      { name: 'POD_SECURITY_EXCEPTIONS', value: JSON.stringify(Object.fromEntries(Object.entries(exceptions).sort(([a], [b]) => compareNames(a, b)))) },
                      { name: 'REPORT_RECIPIENTS', value: recipients.join(',') },
                      { name: 'PYTHONDONTWRITEBYTECODE', value: '1' },
                    ],
                    securityContext: RESTRICTED_CONTAINER_SECURITY_CONTEXT,
                    resources: {
                      requests: { cpu: Quantity.fromString('50m'), memory: Quantity.fromString('64Mi') },
                      limits: { cpu: Quantity.fromString('500m'), memory: Quantity.fromString('256Mi') },
                    },
                    volumeMounts: [
                      { name: 'script', mountPath: SCRIPT_DIR, readOnly: true },
                      { name: 'tmp', mountPath: '/tmp' },
                    ],
                  },
                ],
                volumes: [
                  { name: 'script', configMap: { name: this.script.name, defaultMode: 0o444 } },
                  { name: 'tmp', emptyDir: { sizeLimit: Quantity.fromString('64Mi') } },
                ],
              },
            },
          },
        },
      },
    });

    // Egress: DNS, the API server, Prometheus; nothing comes in.
    new KubeNetworkPolicy(this, 'NetworkPolicy', {
      metadata: { name: NAME, namespace: this.namespace },
      spec: {
        podSelector: { matchLabels: { ...APP_LABELS } },
        policyTypes: ['Ingress', 'Egress'],
        egress: [
          {
            to: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' } }, podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } } }],
            ports: [{ protocol: 'UDP', port: IntOrString.fromNumber(53) }, { protocol: 'TCP', port: IntOrString.fromNumber(53) }],
          },
          {
            to: apiServerCidrs.map((cidr) => ({ ipBlock: { cidr } })),
            ports: [{ protocol: 'TCP', port: IntOrString.fromNumber(443) }, { protocol: 'TCP', port: IntOrString.fromNumber(6443) }],
          },
          {
            ...(this.prometheus.namespace ? { to: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': this.prometheus.namespace } } }] } : {}),
            ports: [{ protocol: 'TCP', port: IntOrString.fromNumber(this.prometheus.port) }],
          },
        ],
      },
    });
  }
}

/** Whether an image reference starts with a registry host (`ghcr.io/...`, `registry:5000/...`, `localhost/...`). */
function hasRegistry(image: string): boolean {
  const slash = image.indexOf('/');
  if (slash < 0) return false;
  const host = image.slice(0, slash);
  return host.includes('.') || host.includes(':') || host === 'localhost';
}
