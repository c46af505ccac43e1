import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { ConfigError } from '../platform/errors';
import {
  AnalysisTemplate as AnalysisTemplateResource,
  AnalysisTemplateSpecMetrics,
  AnalysisTemplateSpecMetricsCount,
  AnalysisTemplateSpecMetricsFailureLimit,
  AnalysisTemplateSpecMetricsInconclusiveLimit,
} from '../imports/argoproj.io-rollouts';
import { k8s } from 'cdk8s-plus-27';
import { RESTRICTED_CONTAINER_SECURITY_CONTEXT, RESTRICTED_POD_SECURITY_CONTEXT } from '../platform/workload-security';
import { DNS_LABEL } from '../platform/patterns';

/** The Prometheus the seeds query: the in-cluster service of the monitoring stack. */
export const DEFAULT_PROMETHEUS_ADDRESS = 'http://prometheus.monitoring.svc.cluster.local:9090';

const DURATION = /^([0-9]+(ms|s|m|h))+$/;
const ARG_REFERENCE = /\{\{\s*args\.([A-Za-z0-9_.-]+)\s*\}\}/g;

/** An argument of an AnalysisTemplate. */
export interface AnalysisArgument {
  /** The name, used as `{{args.<name>}}` in queries. */
  readonly name: string;
  /** A default value; an argument without one must be given by every Rollout that runs the template. @default - required */
  readonly value?: string;
}

/** Options for {@link AnalysisMetric.prometheus}. */
export interface PrometheusMetricOptions {
  /** The metric's name (a lowercase DNS label). */
  readonly name: string;
  /** The PromQL query; `{{args.<name>}}` is replaced by Argo Rollouts with the run's arguments. */
  readonly query: string;
  /** The Prometheus server. @default DEFAULT_PROMETHEUS_ADDRESS */
  readonly address?: string;
  /** Time between measurements. @default '30s' */
  readonly interval?: string;
  /** Number of measurements. @default 5 */
  readonly count?: number;
  /** Expression a measurement must satisfy (`result[0] >= 0.95`). @default - none; then `failureCondition` is required */
  readonly successCondition?: string;
  /**
   * Expression that fails a measurement. With both conditions set, a
   * measurement that meets neither (no data) is inconclusive.
   * @default - none
   */
  readonly failureCondition?: string;
  /** Failed measurements tolerated before the analysis fails. @default 3 */
  readonly failureLimit?: number;
  /**
   * Inconclusive measurements tolerated; one more makes the analysis
   * inconclusive, which pauses the Rollout until someone promotes or aborts it.
   * @default - the provider's default (0)
   */
  readonly inconclusiveLimit?: number;
  /** Delay before the first measurement. @default - none */
  readonly initialDelay?: string;
  /** Query timeout in seconds. @default - the provider's default */
  readonly timeoutSeconds?: number;
}

/** Options for {@link AnalysisMetric.job}. */
export interface JobMetricOptions {
  /** The metric's name (a lowercase DNS label). */
  readonly name: string;
  /** The Job to run (its pod template must be admitted in the Rollout's namespace). */
  readonly spec: k8s.JobSpec;
  /** Labels of the Job. @default - none */
  readonly labels?: Readonly<Record<string, string>>;
  /** Failed Jobs tolerated before the analysis fails. @default 0 */
  readonly failureLimit?: number;
}

/** One metric of an AnalysisTemplate. */
export class AnalysisMetric {
  /** A metric measured by querying Prometheus. */
  public static prometheus(options: PrometheusMetricOptions): AnalysisMetric {
    const where = 'AnalysisMetric.prometheus';
    if (typeof options.name !== 'string' || !DNS_LABEL.test(options.name)) {
      throw new ConfigError(where, 'name', options.name, 'Use a lowercase DNS label, such as "success-rate".');
    }
    if (typeof options.query !== 'string' || options.query.trim() === '') {
      throw new ConfigError(where, 'query', options.query, 'Give the PromQL query the metric measures.');
    }
    const address = options.address ?? DEFAULT_PROMETHEUS_ADDRESS;
    if (!/^https?:\/\/[^\s/]+/.test(address)) {
      throw new ConfigError(where, 'address', address, 'Use the http(s) URL of the Prometheus server, such as "http://prometheus.monitoring.svc.cluster.local:9090".');
    }
    for (const field of ['interval', 'initialDelay'] as const) {
      const value = options[field];
      if (value !== undefined && !DURATION.test(value)) {
        throw new ConfigError(where, field, value, 'Use a duration such as "30s" or "1m".');
      }
    }
    const count = options.count ?? 5;
    if (!Number.isInteger(count) || count < 1) {
      throw new ConfigError(where, 'count', count, 'Use a whole number of measurements, at least 1.');
    }
    const failureLimit = options.failureLimit ?? 3;
    if (!Number.isInteger(failureLimit) || failureLimit < 0) {
      throw new ConfigError(where, 'failureLimit', failureLimit, 'Use a whole number, 0 or more.');
    }
    if (options.inconclusiveLimit !== undefined && (!Number.isInteger(options.inconclusiveLimit) || options.inconclusiveLimit < 0)) {
      throw new ConfigError(where, 'inconclusiveLimit', options.inconclusiveLimit, 'Use a whole number, 0 or more.');
    }
    if (!options.successCondition && !options.failureCondition) {
      throw new ConfigError(where, 'successCondition', options.successCondition, 'Give a successCondition (such as "result[0] >= 0.95") or a failureCondition.');
    }
    if (options.timeoutSeconds !== undefined && (!Number.isInteger(options.timeoutSeconds) || options.timeoutSeconds < 1)) {
      throw new ConfigError(where, 'timeoutSeconds', options.timeoutSeconds, 'Use a whole number of seconds, at least 1.');
    }
    return new AnalysisMetric(options.name, 'prometheus', {
      name: options.name,
      interval: options.interval ?? '30s',
      initialDelay: options.initialDelay,
      count: AnalysisTemplateSpecMetricsCount.fromNumber(count),
      successCondition: options.successCondition,
      failureCondition: options.failureCondition,
      failureLimit: AnalysisTemplateSpecMetricsFailureLimit.fromNumber(failureLimit),
      inconclusiveLimit:
        options.inconclusiveLimit === undefined ? undefined : AnalysisTemplateSpecMetricsInconclusiveLimit.fromNumber(options.inconclusiveLimit),
      provider: { prometheus: { address, query: options.query, timeout: options.timeoutSeconds } },
    }, options.query);
  }

  /**
   * A metric measured by running a Kubernetes Job in the Rollout's namespace:
   * the measurement succeeds when the Job succeeds. `{{args.<name>}}` in the
   * Job (command, environment) is replaced by Argo Rollouts.
   */
  public static job(options: JobMetricOptions): AnalysisMetric {
    const where = 'AnalysisMetric.job';
    if (typeof options.name !== 'string' || !DNS_LABEL.test(options.name)) {
      throw new ConfigError(where, 'name', options.name, 'Use a lowercase DNS label, such as "preview-load".');
    }
    const failureLimit = options.failureLimit ?? 0;
    if (!Number.isInteger(failureLimit) || failureLimit < 0) {
      throw new ConfigError(where, 'failureLimit', failureLimit, 'Use a whole number, 0 or more.');
    }
    const spec = k8s.toJson_JobSpec(options.spec) as Record<string, unknown>;
    return new AnalysisMetric(options.name, 'job', {
      name: options.name,
      failureLimit: AnalysisTemplateSpecMetricsFailureLimit.fromNumber(failureLimit),
      provider: { job: { metadata: options.labels ? { labels: { ...options.labels } } : undefined, spec } },
    }, JSON.stringify(spec));
  }

  /** The arguments the metric's query uses (`{{args.<name>}}`), sorted. */
  public readonly argumentNames: readonly string[];

  private constructor(
    /** The metric's name. */
    public readonly name: string,
    /** The provider (`prometheus` or `job`). */
    public readonly provider: 'prometheus' | 'job',
    private readonly spec: AnalysisTemplateSpecMetrics,
    /** The query, as given (for a Job metric, the Job spec as JSON). */
    public readonly query: string,
  ) {
    this.argumentNames = [...new Set([...query.matchAll(ARG_REFERENCE)].map((m) => m[1]))].sort();
  }

  /** The metric as the AnalysisTemplate's `spec.metrics[]` entry. */
  public render(): AnalysisTemplateSpecMetrics {
    return this.spec;
  }
}

/** Options for {@link AnalysisTemplate}. */
export interface AnalysisTemplateProps {
  /** The template's name, referenced by Rollouts. */
  readonly name: string;
  /** The namespace. @default - none (the namespace of the sync) */
  readonly namespace?: string;
  /** The arguments. @default [] */
  readonly args?: readonly AnalysisArgument[];
  /** The metrics (at least one). */
  readonly metrics: readonly AnalysisMetric[];
  /** Extra labels. @default {} */
  readonly labels?: Readonly<Record<string, string>>;
  /** Annotations (such as the Argo CD sync wave). @default {} */
  readonly annotations?: Readonly<Record<string, string>>;
}

/** Options for {@link AnalysisTemplate.successRate} and {@link AnalysisTemplate.errorRate}. */
export interface RateTemplateOptions {
  /** The template's name. @default 'success-rate' / 'error-rate' */
  readonly name?: string;
  /** The namespace. @default - none */
  readonly namespace?: string;
  /** The Prometheus server. @default DEFAULT_PROMETHEUS_ADDRESS */
  readonly address?: string;
  /** The threshold: the lowest success rate, or the highest error rate. @default 0.95 / 0.05 */
  readonly threshold?: number;
  /** Time between measurements. @default '30s' */
  readonly interval?: string;
  /** Number of measurements. @default 5 */
  readonly count?: number;
  /** Failed measurements tolerated. @default 3 */
  readonly failureLimit?: number;
  /** Extra labels. @default {} */
  readonly labels?: Readonly<Record<string, string>>;
  /** Annotations. @default {} */
  readonly annotations?: Readonly<Record<string, string>>;
}

/**
 * The share of one Service's requests (by the seeds' `http_requests_total`,
 * scraped per Service, so `service` is the Service the pods were reached
 * through) whose status matches, over the last two minutes. The matching
 * requests default to 0 (`or vector(0)`): a series for a status that never
 * occurred does not exist, and the share must then be 0, not "no data". The
 * result is empty only when the Service has no request series at all (not
 * scraped, or never called), and NaN when it had no request in the window.
 */
function rateQuery(statusMatcher: string): string {
  return (
    `(sum(rate(http_requests_total{service="{{args.service-name}}",status${statusMatcher}}[2m])) or vector(0))\n` +
    '/\nsum(rate(http_requests_total{service="{{args.service-name}}"}[2m]))\n'
  );
}

/** A measurement with data: a non-empty result that is a number. */
const HAS_DATA = 'len(result) > 0 && !isNaN(result[0])';

/** Measurements without data tolerated before an analysis is inconclusive (and the Rollout pauses). */
export const NO_DATA_TOLERANCE = 2;

/** The load a {@link AnalysisTemplate.previewLoad} Job sends: one request a second for four minutes. */
export const PREVIEW_LOAD_SECONDS = 240;

/** The image of the preview load Job: the curl project's official image, pinned. */
export const PREVIEW_LOAD_IMAGE = 'docker.io/curlimages/curl:8.11.1';

/** Options for {@link AnalysisTemplate.previewLoad}. */
export interface PreviewLoadOptions {
  /** The template's name. @default 'preview-load' */
  readonly name?: string;
  /** The namespace. @default - none */
  readonly namespace?: string;
  /** The load image (it needs `sh` and `curl`). @default PREVIEW_LOAD_IMAGE */
  readonly image?: string;
  /** Extra labels. @default {} */
  readonly labels?: Readonly<Record<string, string>>;
  /** Annotations. @default {} */
  readonly annotations?: Readonly<Record<string, string>>;
}

/**
 * An Argo Rollouts AnalysisTemplate: metrics measured while a Rollout
 * progresses; a failed analysis aborts the Rollout and shifts traffic back.
 * It lives in the synced tree (plain YAML), so `{{args.*}}` reach Argo
 * Rollouts untouched.
 */
export class AnalysisTemplate extends Construct {
  /**
   * The seeds' success-rate template: the share of non-5xx requests of the
   * Service named by the `service-name` argument must stay at or above the
   * threshold (0.95) over 5 measurements 30s apart, tolerating 3 failures.
   * The first measurement waits a minute, so the two-minute rate has at least
   * two scrapes of new pods. Without data (no request series, or no request in
   * the window) a measurement is neither a success nor a failure: the new
   * version was not exercised, so it is inconclusive; more than
   * {@link NO_DATA_TOLERANCE} such measurements make the analysis
   * inconclusive and pause the Rollout for a person to decide.
   */
  public static successRate(scope: Construct, id: string, options: RateTemplateOptions = {}): AnalysisTemplate {
    const threshold = checkThreshold(options.threshold ?? 0.95);
    return new AnalysisTemplate(scope, id, {
      name: options.name ?? 'success-rate',
      namespace: options.namespace,
      labels: options.labels,
      annotations: options.annotations,
      args: [{ name: 'service-name' }],
      metrics: [
        AnalysisMetric.prometheus({
          name: 'success-rate',
          address: options.address,
          interval: options.interval,
          initialDelay: '1m',
          count: options.count,
          failureLimit: options.failureLimit,
          inconclusiveLimit: NO_DATA_TOLERANCE,
          successCondition: `${HAS_DATA} && result[0] >= ${threshold}`,
          failureCondition: `${HAS_DATA} && result[0] < ${threshold}`,
          query: rateQuery('!~"5.."'),
        }),
      ],
    });
  }

  /**
   * The error-rate template: the share of 5xx requests of the Service named by
   * `service-name` must stay at or below the threshold (0.05). No request in
   * the window (NaN) counts as no errors: after a promotion the active Service
   * may simply be quiet. No request series at all means nothing scrapes the
   * Service, so the measurement is inconclusive rather than a pass.
   */
  public static errorRate(scope: Construct, id: string, options: RateTemplateOptions = {}): AnalysisTemplate {
    const threshold = checkThreshold(options.threshold ?? 0.05);
    return new AnalysisTemplate(scope, id, {
      name: options.name ?? 'error-rate',
      namespace: options.namespace,
      labels: options.labels,
      annotations: options.annotations,
      args: [{ name: 'service-name' }],
      metrics: [
        AnalysisMetric.prometheus({
          name: 'error-rate',
          address: options.address,
          interval: options.interval,
          count: options.count,
          failureLimit: options.failureLimit,
          inconclusiveLimit: NO_DATA_TOLERANCE,
          successCondition: `len(result) > 0 && (isNaN(result[0]) || result[0] <= ${threshold})`,
          failureCondition: `${HAS_DATA} && result[0] > ${threshold}`,
          query: rateQuery('=~"5.."'),
        }),
      ],
    });
  }

  /**
   * Real traffic for a Service nobody calls yet, such as a blue-green preview
   * before promotion: a Job in the Rollout's namespace sends one request a
   * second for four minutes to `http://<service-name><request-path>` (args
   * `service-name`, `request-path`, default `/`), so a `success-rate` run in
   * the same analysis measures real responses instead of 0/0. The Job fails
   * only when no request got any HTTP answer (the preview is unreachable);
   * the status codes are for the success rate to judge. It runs without an
   * Istio sidecar (a Job whose sidecar keeps running never completes), as
   * Pod Security `restricted` admits it, and with requests and limits.
   */
  public static previewLoad(scope: Construct, id: string, options: PreviewLoadOptions = {}): AnalysisTemplate {
    const image = options.image ?? PREVIEW_LOAD_IMAGE;
    const script = [
      `end=$(( $(date +%s) + ${PREVIEW_LOAD_SECONDS} ))`,
      'answered=0',
      'unanswered=0',
      'while [ "$(date +%s)" -lt "$end" ]; do',
      '  if curl -sS -o /dev/null --max-time 5 "$TARGET_URL"; then answered=$((answered + 1)); else unanswered=$((unanswered + 1)); fi',
      '  sleep 1',
      'done',
      'echo "requests to $TARGET_URL: $answered answered, $unanswered unanswered"',
      '[ "$answered" -gt 0 ]',
    ].join('\n');
    return new AnalysisTemplate(scope, id, {
      name: options.name ?? 'preview-load',
      namespace: options.namespace,
      labels: options.labels,
      annotations: options.annotations,
      args: [{ name: 'service-name' }, { name: 'request-path', value: '/' }],
      metrics: [
        AnalysisMetric.job({
          name: 'preview-load',
          spec: {
            backoffLimit: 0,
            activeDeadlineSeconds: PREVIEW_LOAD_SECONDS + 60,
            template: {
              metadata: {
                labels: { 'app.kubernetes.io/name': 'preview-load' },
                annotations: { 'sidecar.istio.io/inject': 'false' },
              },
              spec: {
                restartPolicy: 'Never',
                automountServiceAccountToken: false,
                securityContext: { ...RESTRICTED_POD_SECURITY_CONTEXT },
                containers: [
                  {
                    name: 'load',
                    image,
                    command: ['/bin/sh', '-c', script],
                    env: [{ name: 'TARGET_URL', value: 'http://{{args.service-name}}{{args.request-path}}' }],
                    securityContext: { ...RESTRICTED_CONTAINER_SECURITY_CONTEXT },
                    resources: {
                      requests: { cpu: k8s.Quantity.fromString('10m'), memory: k8s.Quantity.fromString('16Mi') },
                      limits: { cpu: k8s.Quantity.fromString('100m'), memory: k8s.Quantity.fromString('64Mi') },
                    },
                  },
                ],
              },
            },
          },
        }),
      ],
    });
  }

  /** The generated resource. */
  public readonly resource: ApiObject;
  /** The template's name. */
  public readonly name: string;
  /** The arguments. */
  public readonly args: readonly AnalysisArgument[];
  /** The metrics. */
  public readonly metrics: readonly AnalysisMetric[];

  constructor(scope: Construct, id: string, props: AnalysisTemplateProps) {
    super(scope, id);
    const where = this.node.path;
    if (typeof props.name !== 'string' || !DNS_LABEL.test(props.name)) {
      throw new ConfigError(where, 'name', props.name, 'Use a lowercase DNS label, such as "success-rate".');
    }
    const args = props.args ?? [];
    const argNames = new Set<string>();
    for (const arg of args) {
      if (!/^[A-Za-z0-9_.-]+$/.test(arg.name ?? '')) {
        throw new ConfigError(where, 'args.name', arg.name, 'Use letters, digits, ".", "_" or "-".');
      }
      if (argNames.has(arg.name)) throw new ConfigError(where, 'args', arg.name, 'Declare each argument once.');
      argNames.add(arg.name);
    }
    if (!props.metrics || props.metrics.length === 0) {
      throw new ConfigError(where, 'metrics', props.metrics ?? [], 'Give at least one metric, such as AnalysisMetric.prometheus({...}).');
    }
    const metricNames = new Set<string>();
    for (const metric of props.metrics) {
      if (metricNames.has(metric.name)) throw new ConfigError(where, 'metrics', metric.name, 'Give each metric a different name.');
      metricNames.add(metric.name);
      for (const used of metric.argumentNames) {
        if (!argNames.has(used)) {
          throw new ConfigError(
            where,
            `metrics.${metric.name}.query`,
            `{{args.${used}}}`,
            `The template declares no argument "${used}": add { name: "${used}" } to args, or fix the query.`,
          );
        }
      }
    }
    this.name = props.name;
    this.args = args.map((a) => ({ ...a }));
    this.metrics = [...props.metrics];
    this.resource = new AnalysisTemplateResource(this, 'Resource', {
      metadata: {
        name: props.name,
        namespace: props.namespace,
        labels: props.labels && Object.keys(props.labels).length > 0 ? { ...props.labels } : undefined,
        annotations: props.annotations && Object.keys(props.annotations).length > 0 ? { ...props.annotations } : undefined,
      },
      spec: {
        args: args.length > 0 ? args.map((a) => ({ name: a.name, value: a.value })) : undefined,
        metrics: props.metrics.map((m) => m.render()),
      },
    });
  }

  /** Arguments without a default value: every run must give them. */
  public get requiredArgs(): string[] {
    return this.args.filter((a) => a.value === undefined).map((a) => a.name);
  }
}

function checkThreshold(value: number): number {
  if (typeof value !== 'number' || !(value >= 0 && value <= 1)) {
    throw new ConfigError('AnalysisTemplate', 'threshold', value, 'Use a ratio from 0 to 1, such as 0.95.');
  }
  return value;
}
