import { Construct } from 'constructs';
import { KubeCronJob, KubeServiceAccount, Quantity } from 'cdk8s-plus-27/lib/imports/k8s';
import { ConfigError } from '../../platform/errors';
import { imageTag, isDigestPinned } from '../policies/pinned-images';
import { RESTRICTED_CONTAINER_SECURITY_CONTEXT, RESTRICTED_POD_SECURITY_CONTEXT } from '../../platform/workload-security';

/** Options for {@link ComplianceReportJob}. */
export interface ComplianceReportJobProps {
  /** The namespace. @default 'monitoring' */
  readonly namespace?: string;
  /** The environment, passed to the reporter. */
  readonly environment: string;
  /**
   * The reporter image: fully qualified (registry host first) and pinned to a tag or digest.
   * @default DEFAULT_COMPLIANCE_REPORTER_IMAGE
   */
  readonly image?: string;
  /** Cron schedule. @default '0 6 * * 1' */
  readonly schedule?: string;
  /** The e-mail addresses the report goes to. */
  readonly recipients: readonly string[];
  /** Prometheus URL. @default 'http://prometheus.monitoring.svc.cluster.local:9090' */
  readonly prometheusUrl?: string;
}

/**
 * The default reporter image: the official Python image, fully qualified and
 * pinned. The seed names `compliance-reporter:v1.0.0`, which resolves to
 * `docker.io/library/compliance-reporter`, an image that does not exist; the
 * seed's reporter script is not published anywhere, so give your own reporter
 * image (with `/app/generate_report.py`) in `security.complianceReport.image`.
 */
export const DEFAULT_COMPLIANCE_REPORTER_IMAGE = 'docker.io/library/python:3.13.1-slim-bookworm';

const CRON = /^(\S+\s+){4}\S+$/;
const EMAIL = /^[^@\s,]+@[^@\s,]+\.[a-z]{2,}$/i;

/**
 * The seed's weekly compliance report (Mondays 06:00 UTC): a CronJob running
 * the reporter against Prometheus, as a non-root, read-only container with
 * requests and limits, no service-account token, and at most one run at a time.
 */
export class ComplianceReportJob extends Construct {
  /** The CronJob. */
  public readonly cronJob: KubeCronJob;
  /** The schedule. */
  public readonly schedule: string;
  /** The image. */
  public readonly image: string;
  /** The namespace. */
  public readonly namespace: string;

  constructor(scope: Construct, id: string, props: ComplianceReportJobProps) {
    super(scope, id);
    this.namespace = props.namespace ?? 'monitoring';
    this.schedule = props.schedule ?? '0 6 * * 1';
    this.image = props.image ?? DEFAULT_COMPLIANCE_REPORTER_IMAGE;
    const recipients = props.recipients;
    const prometheus = props.prometheusUrl ?? 'http://prometheus.monitoring.svc.cluster.local:9090';
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
      throw new ConfigError(this.node.path, 'image', this.image, `Pin the reporter image to a version tag (${DEFAULT_COMPLIANCE_REPORTER_IMAGE}) or a digest.`);
    }
    if (recipients === undefined || recipients.length === 0 || recipients.some((r) => !EMAIL.test(r))) {
      throw new ConfigError(this.node.path, 'recipients', recipients, 'List the e-mail addresses the report goes to (name@host, one per entry).');
    }
    try {
      new URL(prometheus);
    } catch {
      throw new ConfigError(this.node.path, 'prometheusUrl', prometheus, 'Use the Prometheus URL, such as "http://prometheus.monitoring.svc.cluster.local:9090".');
    }
    const name = 'gitops-compliance-report';
    new KubeServiceAccount(this, 'ServiceAccount', {
      metadata: { name: 'compliance-reporter', namespace: this.namespace },
      automountServiceAccountToken: false,
    });
    this.cronJob = new KubeCronJob(this, 'Resource', {
      metadata: { name, namespace: this.namespace },
      spec: {
        schedule: this.schedule,
        timeZone: 'Etc/UTC',
        concurrencyPolicy: 'Forbid',
        startingDeadlineSeconds: 3600,
        successfulJobsHistoryLimit: 3,
        failedJobsHistoryLimit: 3,
        jobTemplate: {
          spec: {
            backoffLimit: 2,
            activeDeadlineSeconds: 3600,
            template: {
              metadata: { labels: { 'app.kubernetes.io/name': 'compliance-reporter' } },
              spec: {
                serviceAccountName: 'compliance-reporter',
                automountServiceAccountToken: false,
                restartPolicy: 'OnFailure',
                securityContext: { ...RESTRICTED_POD_SECURITY_CONTEXT, fsGroup: 65532 },
                containers: [
                  {
                    name: 'compliance-reporter',
                    image: this.image,
                    env: [
                      { name: 'PROMETHEUS_URL', value: prometheus },
                      { name: 'REPORT_RECIPIENTS', value: recipients.join(',') },
                      { name: 'GITOPS_ENVIRONMENT', value: props.environment },
                    ],
                    command: [
                      '/bin/sh',
                      '-c',
                      'python3 /app/generate_report.py --prometheus-url "$PROMETHEUS_URL" --report-type weekly --output-format pdf --recipients "$REPORT_RECIPIENTS"',
                    ],
                    securityContext: RESTRICTED_CONTAINER_SECURITY_CONTEXT,
                    resources: {
                      requests: { cpu: Quantity.fromString('100m'), memory: Quantity.fromString('128Mi') },
                      limits: { cpu: Quantity.fromString('500m'), memory: Quantity.fromString('512Mi') },
                    },
                    volumeMounts: [{ name: 'tmp', mountPath: '/tmp' }],
                  },
                ],
                volumes: [{ name: 'tmp', emptyDir: { sizeLimit: Quantity.fromString('256Mi') } }],
              },
            },
          },
        },
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
