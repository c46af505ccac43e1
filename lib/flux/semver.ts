/**
 * A validator for SemVer range constraints as Flux evaluates them (the
 * Masterminds semver v3 grammar used by source-controller for HelmChart
 * versions and Git `ref.semver`, and by image-reflector-controller for
 * ImagePolicy ranges):
 *
 * - alternatives separated by `||`, each a list of comparators separated by
 *   whitespace or commas (all must hold);
 * - a comparator is an optional operator (`=`, `!=`, `>`, `<`, `>=`, `=>`,
 *   `<=`, `=<`, `~`, `~>`, `^`) followed by a version, optionally with
 *   whitespace between them;
 * - a version is `v?MAJOR[.MINOR[.PATCH]]` with optional `-prerelease` and
 *   `+build`; a component may be a wildcard (`x`, `X`, `*`), as its last
 *   component;
 * - `A - B` is an inclusive hyphen range.
 *
 * It is written from the grammar, not copied; it only parses (Flux does the
 * matching). It is slightly stricter than upstream where upstream accepts
 * nonsense: leading zeros (`01.2`), a number after a wildcard (`1.x.3`) and
 * numbers beyond 2^53 are rejected.
 */

const NUMBER = '(?:0|[1-9][0-9]*)';
const COMPONENT = '(?:[0-9]+|[xX*])';
const IDENTIFIER = '[0-9A-Za-z-]+';
const VERSION_SOURCE =
  `v?${COMPONENT}(?:\\.${COMPONENT}){0,2}` + `(?:-${IDENTIFIER}(?:\\.${IDENTIFIER})*)?` + `(?:\\+${IDENTIFIER}(?:\\.${IDENTIFIER})*)?`;
const OPERATOR_SOURCE = '(?:!=|>=|=>|<=|=<|~>|>|<|=|~|\\^)';
const COMPARATOR = new RegExp(`^(${OPERATOR_SOURCE}?)\\s*(${VERSION_SOURCE})`);
const HYPHEN_RANGE = new RegExp(`(^|\\s)(${VERSION_SOURCE})\\s+-\\s+(${VERSION_SOURCE})(?=$|\\s|,)`, 'g');
const VERSION = new RegExp(
  `^v?(${COMPONENT})(?:\\.(${COMPONENT}))?(?:\\.(${COMPONENT}))?(?:-(${IDENTIFIER}(?:\\.${IDENTIFIER})*))?(?:\\+(${IDENTIFIER}(?:\\.${IDENTIFIER})*))?$`,
);
const EXACT_VERSION = new RegExp(
  `^${NUMBER}\\.${NUMBER}\\.${NUMBER}(?:-(?:${IDENTIFIER})(?:\\.${IDENTIFIER})*)?(?:\\+${IDENTIFIER}(?:\\.${IDENTIFIER})*)?$`,
);

/** One comparator of a parsed range. */
export interface SemverComparator {
  /** The operator, `''` for none (equality, or a wildcard match). */
  readonly operator: string;
  /** The version as written (without the operator). */
  readonly version: string;
}

/** A parsed range: alternatives (`||`) of comparator lists (all must hold). */
export type SemverRange = readonly (readonly SemverComparator[])[];

/**
 * Parses a range; returns the parsed alternatives, or the reason it does not
 * parse (a sentence naming the offending part).
 */
export function parseSemverRange(input: string): { range: SemverRange } | { error: string } {
  if (typeof input !== 'string' || input.trim() === '') {
    return { error: 'the range is empty' };
  }
  const alternatives: SemverComparator[][] = [];
  for (const rawPart of input.split('||')) {
    if (rawPart.trim() === '') {
      return { error: 'an alternative around "||" is empty' };
    }
    const part = rawPart.replace(HYPHEN_RANGE, (_m, lead: string, from: string, to: string) => `${lead}>=${from} <=${to}`);
    const comparators: SemverComparator[] = [];
    let rest = part.trim();
    while (rest !== '') {
      const match = COMPARATOR.exec(rest);
      if (!match) {
        return { error: `"${rest.split(/[\s,]/)[0]}" is not a comparator such as ">=1.2.0", "~1.2" or "1.x"` };
      }
      const [whole, operator, version] = match;
      const problem = versionProblem(version);
      if (problem) return { error: `"${version}" ${problem}` };
      comparators.push({ operator, version });
      rest = rest.slice(whole.length);
      const separator = /^(\s*,\s*|\s+)/.exec(rest);
      if (separator) {
        rest = rest.slice(separator[0].length);
        if (rest === '') return { error: 'the range ends with a separator' };
      } else if (rest !== '') {
        if (/^(!=|[<>=~^])/.test(rest)) return { error: `"${rest}" follows "${whole}" without a space or comma` };
        const token = `${version}${rest.split(/[\s,]/)[0]}`;
        return { error: `"${token}" is not a version such as "1.2.3", "1.2" or "1.x"` };
      }
    }
    alternatives.push(comparators);
  }
  return { range: alternatives };
}

/** Whether `input` is a range Flux accepts. */
export function isSemverRange(input: string): boolean {
  return 'range' in parseSemverRange(input);
}

/** Why `input` is not a range, or undefined when it is one. */
export function semverRangeProblem(input: string): string | undefined {
  const result = parseSemverRange(input);
  return 'error' in result ? result.error : undefined;
}

/** Whether `input` is an exact SemVer 2.0.0 version (`1.2.3`, `1.2.3-rc.1+build.5`), no `v` prefix. */
export function isExactSemver(input: string): boolean {
  if (typeof input !== 'string' || !EXACT_VERSION.test(input)) return false;
  const prerelease = /^[^-+]*-([^+]*)/.exec(input)?.[1];
  return prerelease === undefined || prerelease.split('.').every((id) => !/^0[0-9]+$/.test(id));
}

function versionProblem(version: string): string | undefined {
  const match = VERSION.exec(version);
  if (!match) return 'is not a version such as "1.2.3", "1.2" or "1.x"';
  const [, major, minor, patch, prerelease] = match;
  const components = [major, minor, patch].filter((c): c is string => c !== undefined);
  let wildcard = false;
  for (const component of components) {
    const isWildcard = /^[xX*]$/.test(component);
    if (wildcard && !isWildcard) return 'has a number after a wildcard; a wildcard must be the last component';
    wildcard = wildcard || isWildcard;
    if (!isWildcard) {
      if (/^0[0-9]/.test(component)) return `has a leading zero in "${component}"`;
      if (Number(component) > Number.MAX_SAFE_INTEGER) return `has a component too large: "${component}"`;
    }
  }
  if (prerelease !== undefined) {
    if (wildcard) return 'combines a wildcard with a pre-release';
    for (const id of prerelease.split('.')) {
      if (/^0[0-9]+$/.test(id)) return `has a numeric pre-release identifier with a leading zero: "${id}"`;
    }
  }
  return undefined;
}
