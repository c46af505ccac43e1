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
    super(`${where}: ${field} is ${describeValue(value)}. ${fix}`);
    this.name = 'ConfigError';
    this.where = where;
    this.field = field;
  }
}

/** Renders a value for an error message, never more than a line. */
export function describeValue(value: unknown): string {
  if (value === undefined) return 'not set';
  if (typeof value === 'string') return value === '' ? 'empty' : JSON.stringify(value);
  const text = JSON.stringify(value);
  if (text === undefined) return String(value);
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
