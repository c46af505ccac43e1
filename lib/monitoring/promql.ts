import { ConfigError } from '../platform/errors';
import { parsePromQL } from '../platform/promql-parse';

/**
 * PromQL checks done at synth time, so a broken alert or dashboard query
 * fails `cdktf synth` instead of being rejected later by the Prometheus
 * Operator's admission webhook (or silently never firing).
 *
 * The parser is the official Prometheus grammar (`@prometheus-io/lezer-promql`,
 * the one the Prometheus UI uses) in strict mode: any syntax error throws.
 * It checks syntax only: metric and label names are not known at synth time.
 * Each text is parsed once per process (`parsePromQL`), for this check and
 * for the deploy model's metric names alike.
 */

/** The position of the first syntax error in `expr`, or `undefined` when it parses. */
export function promqlSyntaxError(expr: string): { position: number; message: string } | undefined {
  if (typeof expr !== 'string' || expr.trim() === '') {
    return { position: 0, message: 'the expression is empty' };
  }
  return parsePromQL(expr).problem;
}

/** Whether `expr` is syntactically valid PromQL. */
export function isValidPromQL(expr: string): boolean {
  return promqlSyntaxError(expr) === undefined;
}

/**
 * Throws a {@link ConfigError} naming `where` and `field` when `expr` is not
 * valid PromQL; returns the expression otherwise.
 */
export function checkPromQL(where: string, field: string, expr: string): string {
  const error = promqlSyntaxError(expr);
  if (error) {
    const near = typeof expr === 'string' ? expr.slice(error.position, error.position + 20) : '';
    throw new ConfigError(
      where,
      field,
      expr,
      `It is not valid PromQL (${error.message}${near ? ` near "${near}"` : ''}). Fix the expression; check it in the Prometheus UI or with promtool.`,
    );
  }
  return expr;
}

/**
 * A Prometheus duration (`30d`, `1h30m`, `90s`, `0`): the grammar the
 * prometheus-operator CRDs accept for `retention`, `for` and `interval`.
 */
const PROMETHEUS_DURATION = /^(0|(([0-9]+)y)?(([0-9]+)w)?(([0-9]+)d)?(([0-9]+)h)?(([0-9]+)m)?(([0-9]+)s)?(([0-9]+)ms)?)$/;

const UNIT_SECONDS: Record<string, number> = { y: 365 * 86400, w: 7 * 86400, d: 86400, h: 3600, m: 60, s: 1, ms: 0.001 };

/** Whether `value` is a non-empty Prometheus duration such as `30d` or `1h30m`. */
export function isPrometheusDuration(value: unknown): value is string {
  return typeof value === 'string' && value !== '' && PROMETHEUS_DURATION.test(value);
}

/** Throws a {@link ConfigError} unless `value` is a Prometheus duration; returns it. */
export function checkDuration(where: string, field: string, value: unknown): string {
  if (!isPrometheusDuration(value)) {
    throw new ConfigError(
      where,
      field,
      value,
      'Use a Prometheus duration: a number with a unit among y, w, d, h, m, s, ms, such as "30d", "12h" or "1h30m".',
    );
  }
  return value;
}

/** The length of a Prometheus duration in seconds. */
export function durationSeconds(duration: string): number {
  if (!isPrometheusDuration(duration)) throw new Error(`not a Prometheus duration: ${duration}`);
  let total = 0;
  for (const match of duration.matchAll(/([0-9]+)(ms|y|w|d|h|m|s)/g)) {
    total += Number(match[1]) * UNIT_SECONDS[match[2]];
  }
  return total;
}

/** Escapes a string for use inside a double-quoted PromQL label matcher value. */
export function quoteLabelValue(value: string): string {
  return `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}
