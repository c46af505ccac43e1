import { findSecretIn, RedactedValue } from './secret-detector';

/** A value shown in words instead of as data (`a circular reference`, `Infinity`). */
export class DescribedValue {
  constructor(readonly text: string) {}
  toString(): string {
    return this.text;
  }
}

/**
 * A configuration error: one message that names where the problem is, the
 * field, the bad value and the fix. Thrown before anything is synthesized.
 */
export class ConfigError extends Error {
  /** Where the error was found: an environment name or a construct path. */
  public readonly where: string;
  /** The dotted name of the offending field. */
  public readonly field: string;

  constructor(where: string, field: string, value: unknown, fix: string) {
    super(`${where}: ${field} is ${describeValue(value, field)}. ${fix}`);
    this.name = 'ConfigError';
    this.where = where;
    this.field = field;
  }
}

/**
 * Renders a value for an error message, never more than a line. A value that
 * looks secret (a token shape, or any value of a password field named by
 * `field`) is never shown: the message says what it looks like instead.
 */
export function describeValue(value: unknown, field?: string): string {
  if (value instanceof RedactedValue || value instanceof DescribedValue) return value.toString();
  if (value === undefined) return 'not set';
  const secret = safeFindSecret(value, field);
  if (secret) return new RedactedValue(secret).toString();
  if (typeof value === 'function') return 'a function';
  if (typeof value === 'bigint') return `${String(value)}n`;
  if (typeof value === 'symbol') return 'a symbol';
  if (typeof value === 'string') {
    if (value === '') return 'empty';
    return value.length > 120 ? `${JSON.stringify(value.slice(0, 80))}... (${value.length} characters)` : JSON.stringify(value);
  }
  if (value instanceof Map || value instanceof Set) return `a ${value.constructor.name} of ${value.size} entries`;
  if (typeof value === 'number' && !Number.isFinite(value)) return String(value);
  let text: string | undefined;
  try {
    text = JSON.stringify(value);
  } catch {
    text = undefined;
  }
  if (text === undefined) {
    const name = (value as { constructor?: { name?: string } } | null)?.constructor?.name;
    return value !== null && typeof value === 'object' && name ? `a ${name}` : String(value);
  }
  return text.length > 120 ? `${text.slice(0, 117)}...` : text;
}

/**
 * Synthesis stopped because rendered objects break rules the environment
 * enforces (policies under `deny`, manifest checks). The message lists every
 * problem, one per line, with the object and the fix.
 */
export class PolicyViolationError extends Error {
  /** The environment whose objects broke the rules. */
  public readonly environment: string;
  /** One line per problem. */
  public readonly problems: readonly string[];

  constructor(environment: string, problems: readonly string[], message?: string) {
    super(message ?? `Environment "${environment}": ${problems.length} policy violation(s):\n  - ${problems.join('\n  - ')}`);
    this.name = 'PolicyViolationError';
    this.environment = environment;
    this.problems = problems;
  }
}

function safeFindSecret(value: unknown, field?: string): ReturnType<typeof findSecretIn> {
  try {
    return findSecretIn(value, field);
  } catch {
    return undefined;
  }
}
