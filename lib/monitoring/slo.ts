import { Construct } from 'constructs';
import { ConfigError } from '../platform/errors';
import { checkDuration, checkPromQL, durationSeconds, quoteLabelValue } from './promql';
import { PrometheusRule, Rule, Severity } from './rules';
import { checkProps } from '../platform/config-boundary/props';

/** Options for {@link SloIndicator.availability}. */
export interface AvailabilitySliOptions {
  /** The request counter. @default 'http_requests_total' */
  readonly metric?: string;
  /** Label matchers selecting the service's requests (`job="web-app"`). @default '' (every series) */
  readonly selector?: string;
  /** Label matchers selecting failed requests. @default 'status=~"5.."' */
  readonly errorSelector?: string;
}

/** Options for {@link SloIndicator.latency}. */
export interface LatencySliOptions {
  /** The request-duration histogram, without `_bucket`. @default 'http_request_duration_seconds' */
  readonly histogram?: string;
  /** The latency objective in seconds; it must be a bucket boundary (`le`) of the histogram. */
  readonly thresholdSeconds: number;
  /** Label matchers selecting the service's requests. @default '' (every series) */
  readonly selector?: string;
}

/** Options for {@link SloIndicator.custom}. */
export interface CustomSliOptions {
  /** What the indicator measures, for docs and outputs. */
  readonly description: string;
  /** The error ratio (bad events / all events, 0..1) over a window such as `5m`. */
  readonly errorRatio: (window: string) => string;
}

/**
 * A service level indicator, expressed as the ratio of bad events to all
 * events over a window: the form multi-window burn-rate alerts need.
 */
export class SloIndicator {
  /**
   * Share of requests that did not fail (the seeds' `status!~"5.."` ratio).
   * A service that never failed has no error series at all; its error count
   * defaults to 0 for every group that has requests (`or ... * 0`), so the
   * ratio is 0 rather than missing and the error budget is recorded.
   */
  public static availability(options: AvailabilitySliOptions = {}): SloIndicator {
    const metric = options.metric ?? 'http_requests_total';
    const selector = options.selector ?? '';
    const errors = joinMatchers(selector, options.errorSelector ?? 'status=~"5.."');
    return new SloIndicator('availability', `non-error share of ${metric}`, (window, by) => {
      const all = `sum${by}(rate(${metric}${braces(selector)}[${window}]))`;
      return `(sum${by}(rate(${metric}{${errors}}[${window}])) or ${all} * 0) / ${all}`;
    });
  }

  /**
   * Share of requests faster than a threshold: "p95 under 0.5 s" is a latency
   * SLI with `thresholdSeconds: 0.5` and an objective of 0.95.
   */
  public static latency(options: LatencySliOptions): SloIndicator {
    const histogram = options.histogram ?? 'http_request_duration_seconds';
    const selector = options.selector ?? '';
    const t = options.thresholdSeconds;
    if (typeof t !== 'number' || !Number.isFinite(t) || t <= 0) {
      throw new ConfigError('SloIndicator.latency', 'thresholdSeconds', t, 'Use a positive number of seconds that is a bucket boundary of the histogram, such as 0.5.');
    }
    // Prometheus 3 normalizes integer bucket boundaries to "1.0"; match both spellings.
    const le = Number.isInteger(t) ? `le=~"${t}(\\\\.0)?"` : `le="${t}"`;
    return new SloIndicator(
      'latency',
      `share of ${histogram} under ${t}s`,
      (window, by) =>
        `1 - (sum${by}(rate(${histogram}_bucket{${joinMatchers(selector, le)}}[${window}])) / sum${by}(rate(${histogram}_count${braces(selector)}[${window}])))`,
      (quantile, window, groupBy) =>
        `histogram_quantile(${quantile}, sum by (${['le', ...groupBy].join(', ')}) (rate(${histogram}_bucket${braces(selector)}[${window}])))`,
      t,
    );
  }

  /** Any error ratio you can write in PromQL. */
  public static custom(options: CustomSliOptions): SloIndicator {
    return new SloIndicator('custom', options.description, (window) => options.errorRatio(window));
  }

  private constructor(
    /** `availability`, `latency` or `custom`. */
    public readonly kind: string,
    /** What the indicator measures. */
    public readonly description: string,
    private readonly query: (window: string, by: string) => string,
    /** For latency indicators: the latency quantile over a window. */
    public readonly quantileQuery?: (quantile: number, window: string, groupBy: readonly string[]) => string,
    /** For latency indicators: the threshold in seconds. */
    public readonly thresholdSeconds?: number,
  ) {}

  /** The error ratio over `window`, aggregated by `groupBy`. */
  public errorRatio(window: string, groupBy: readonly string[] = []): string {
    const by = groupBy.length > 0 ? ` by (${groupBy.join(', ')}) ` : '';
    return this.query(window, by);
  }
}

/** One pair of windows of a multi-window, multi-burn-rate alert. */
export interface BurnRateWindow {
  /** The long window: the alert fires only if the budget burned this fast over it. */
  readonly long: string;
  /** The short window: it resets the alert quickly once the burn stops. */
  readonly short: string;
  /** Share of the whole error budget this burn would consume in `long` (0.02 = 2%). */
  readonly budgetConsumed: number;
  /** Critical pages; warning opens a ticket. */
  readonly severity: Severity;
}

/**
 * The Google SRE workbook's windows: page when 2% of a 30-day budget burns
 * in an hour (14.4x) or 5% in six hours (6x); ticket when 10% burns in a
 * day (3x) or in three days (1x). Factors scale with the SLO window.
 */
export const DEFAULT_BURN_RATE_WINDOWS: readonly BurnRateWindow[] = [
  { long: '1h', short: '5m', budgetConsumed: 0.02, severity: Severity.CRITICAL },
  { long: '6h', short: '30m', budgetConsumed: 0.05, severity: Severity.CRITICAL },
  { long: '1d', short: '2h', budgetConsumed: 0.1, severity: Severity.WARNING },
  { long: '3d', short: '6h', budgetConsumed: 0.1, severity: Severity.WARNING },
];

/** Options for an SLO. */
export interface ServiceLevelObjectiveOptions {
  /** The SLO name (`availability`), a lowercase DNS label; it is the `slo` label of every series. */
  readonly name: string;
  /** What is measured. */
  readonly indicator: SloIndicator;
  /** The objective: the share of good events, strictly between 0 and 1 (0.999 = 99.9%). */
  readonly target: number;
  /** The error-budget window (a Prometheus duration). @default '30d' */
  readonly window?: string;
  /** Compute the SLO per value of these labels (one budget per service). @default [] (one budget) */
  readonly groupBy?: readonly string[];
  /** Burn-rate alert windows. @default DEFAULT_BURN_RATE_WINDOWS */
  readonly burnRateWindows?: readonly BurnRateWindow[];
  /** Link to the runbook for the burn-rate alerts. @default - none */
  readonly runbookUrl?: string;
}

/** Options for {@link ServiceLevelObjective}. */
export interface ServiceLevelObjectiveProps extends ServiceLevelObjectiveOptions {
  /** Namespace of the PrometheusRule. @default 'monitoring' */
  readonly namespace?: string;
}

/** The recorded error-ratio series of a window (`slo:sli_error:ratio_rate1h`). */
export function errorRatioSeries(window: string): string {
  return `slo:sli_error:ratio_rate${window}`;
}

/**
 * A service level objective with its error budget. It renders one
 * PrometheusRule holding:
 * - recording rules for the error ratio over every alert window (5m ... 3d),
 *   and over the SLO window (the mean of the 5m ratio);
 * - the objective and the remaining error budget (`slo:error_budget:remaining_ratio`:
 *   1 = untouched, 0 = spent, negative = overspent);
 * - multi-window, multi-burn-rate alerts `SLOErrorBudgetBurn` (critical pages,
 *   warning tickets) whose value is the burn rate.
 */
export class ServiceLevelObjective extends Construct {
  /** The SLO name. */
  public readonly name: string;
  /** The objective (0..1). */
  public readonly target: number;
  /** The error-budget window. */
  public readonly window: string;
  /** The allowed error ratio (1 - target). */
  public readonly errorBudget: number;
  /** The indicator. */
  public readonly indicator: SloIndicator;
  /** The rules. */
  public readonly rule: PrometheusRule;
  /** Burn-rate factors per window pair, as alerted on. */
  public readonly burnRates: ReadonlyArray<{ long: string; short: string; factor: number; severity: string }>;

  constructor(scope: Construct, id: string, props: ServiceLevelObjectiveProps) {
    super(scope, id);
    checkProps(this, 'ServiceLevelObjectiveProps', props);
    const where = this.node.path;
    if (typeof props.name !== 'string' || !/^[a-z]([-a-z0-9]*[a-z0-9])?$/.test(props.name)) {
      throw new ConfigError(where, 'name', props.name, 'Use a lowercase DNS label such as "availability".');
    }
    if (typeof props.target !== 'number' || !(props.target > 0 && props.target < 1)) {
      throw new ConfigError(where, 'target', props.target, 'Use a ratio strictly between 0 and 1, such as 0.999 for 99.9%.');
    }
    this.name = props.name;
    this.target = props.target;
    this.indicator = props.indicator;
    this.window = checkDuration(where, 'window', props.window ?? '30d');
    this.errorBudget = round(1 - props.target);
    const groupBy = [...(props.groupBy ?? [])];
    const windows = props.burnRateWindows ?? DEFAULT_BURN_RATE_WINDOWS;
    if (windows.length === 0) {
      throw new ConfigError(where, 'burnRateWindows', [], 'Give at least one window pair, or leave it out for the SRE workbook defaults.');
    }
    const windowSeconds = durationSeconds(this.window);
    windows.forEach((w, i) => {
      checkDuration(where, `burnRateWindows[${i}].long`, w.long);
      checkDuration(where, `burnRateWindows[${i}].short`, w.short);
      if (durationSeconds(w.short) >= durationSeconds(w.long)) {
        throw new ConfigError(where, `burnRateWindows[${i}].short`, w.short, `The short window must be shorter than the long window (${w.long}).`);
      }
      if (durationSeconds(w.long) >= windowSeconds) {
        throw new ConfigError(where, 'window', this.window, `The SLO window must be longer than every alert window (${w.long}); use "30d" or longer windows.`);
      }
      if (!(w.budgetConsumed > 0 && w.budgetConsumed <= 1)) {
        throw new ConfigError(where, `burnRateWindows[${i}].budgetConsumed`, w.budgetConsumed, 'Use a share of the budget between 0 and 1, such as 0.02.');
      }
    });

    const sloLabel = { slo: this.name };
    const selector = `{slo=${quoteLabelValue(this.name)}}`;
    const alertWindows = [...new Set(['5m', ...windows.flatMap((w) => [w.short, w.long])])].sort(
      (a, b) => durationSeconds(a) - durationSeconds(b),
    );
    const recordings: Rule[] = alertWindows.map((w) =>
      Rule.record({
        record: errorRatioSeries(w),
        expr: checkPromQL(where, `indicator.errorRatio("${w}")`, props.indicator.errorRatio(w, groupBy)),
        labels: sloLabel,
      }),
    );
    recordings.push(
      Rule.record({
        record: errorRatioSeries(this.window),
        expr: `avg_over_time(${errorRatioSeries('5m')}${selector}[${this.window}])`,
        labels: sloLabel,
      }),
      Rule.record({ record: 'slo:objective:ratio', expr: `vector(${this.target})`, labels: sloLabel }),
      Rule.record({
        record: 'slo:error_budget:remaining_ratio',
        expr: `1 - (${errorRatioSeries(this.window)}${selector} / ${this.errorBudget})`,
        labels: sloLabel,
      }),
    );
    if (props.indicator.quantileQuery) {
      recordings.push(
        Rule.record({
          record: 'slo:latency_quantile_seconds:rate5m',
          expr: props.indicator.quantileQuery(this.target, '5m', groupBy),
          labels: { ...sloLabel, quantile: String(this.target) },
        }),
      );
    }

    this.burnRates = windows.map((w) => ({
      long: w.long,
      short: w.short,
      factor: round((w.budgetConsumed * windowSeconds) / durationSeconds(w.long)),
      severity: w.severity.value,
    }));
    const alerts: Rule[] = [];
    for (const severity of [Severity.CRITICAL, Severity.WARNING, Severity.INFO]) {
      const pairs = this.burnRates.filter((b) => b.severity === severity.value);
      if (pairs.length === 0) continue;
      const expr = pairs
        .map(
          (b) =>
            `(${errorRatioSeries(b.long)}${selector} / ${this.errorBudget} > ${b.factor} and ${errorRatioSeries(b.short)}${selector} / ${this.errorBudget} > ${b.factor})`,
        )
        .join(' or ');
      const windowsText = pairs.map((b) => `${b.factor}x over ${b.long} and ${b.short}`).join(', or ');
      alerts.push(
        Rule.alert({
          name: 'SLOErrorBudgetBurn',
          expr,
          severity,
          labels: { ...sloLabel, slo_window: this.window },
          summary: `SLO ${this.name} is burning its ${this.window} error budget {{ printf "%.1f" $value }}x faster than sustainable`,
          description:
            `The ${props.indicator.description} objective is ${percent(this.target)} over ${this.window} ` +
            `(error budget ${percent(this.errorBudget)}). Alerting on burn rates of ${windowsText}.` +
            (groupBy.length > 0 ? ` Affected: ${groupBy.map((l) => `${l}={{ $labels.${l} }}`).join(', ')}.` : ''),
          runbookUrl: props.runbookUrl,
        }),
      );
    }

    this.rule = new PrometheusRule(this, 'Rules', {
      name: `slo-${this.name}`,
      namespace: props.namespace,
      labels: { 'gitops.platform/slo': this.name },
      groups: [
        { name: `slo-${this.name}.recording`, interval: '30s', rules: recordings },
        { name: `slo-${this.name}.alerts`, rules: alerts },
      ],
    });
  }
}

function joinMatchers(...matchers: string[]): string {
  return matchers.filter((m) => m.trim() !== '').join(', ');
}

function braces(selector: string): string {
  return selector.trim() === '' ? '' : `{${selector}}`;
}

function round(value: number): number {
  return Number(value.toPrecision(12));
}

function percent(ratio: number): string {
  return `${round(ratio * 100)}%`;
}
