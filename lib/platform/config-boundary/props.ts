import type { IConstruct } from 'constructs';
import { ConfigError } from '../errors';
import { findSchemaProblem } from './schema-check';

/**
 * Rejects props that TypeScript would have refused but JavaScript callers
 * (and configs loaded from JSON or YAML) can pass: an unknown key (with the
 * known key it was probably meant to be), a value of the wrong type, a cycle,
 * `Infinity`. `type` is the exported props type, as listed in
 * `scripts/config-schema.ts` (`CHECKED_PROPS`). Handles (a `Platform`, a secret
 * store) may be any object implementing their interface. `scope` is the
 * construct, or a name for a class that is not one (`RbacPolicy`).
 */
export function checkProps(scope: IConstruct | string, type: string, props: unknown): void {
  if (props === undefined || composing > 0) return;
  const where = typeof scope === 'string' ? scope : scope.node.path;
  if (props === null || typeof props !== 'object' || Array.isArray(props)) {
    throw new ConfigError(where, type, props, `Pass the ${type} as an object.`);
  }
  const problem = findSchemaProblem(props, { document: 'props', type, lenient: true });
  if (problem) throw new ConfigError(where, problem.path === '' ? type : `${type}.${problem.path}`, problem.value, problem.fix);
}

/** How many compositions of an already checked config are running (see {@link withCheckedConfig}). */
let composing = 0;

/**
 * Runs `build` with the props checks off. For a composition (`GitOpsStack`)
 * that builds the modules from an environment config its schema has already
 * checked: the modules' props are that config's values and the handles the
 * composition made, so checking them again costs time (each props type's
 * validator is compiled on first use) and finds nothing new. Construction is
 * synchronous, so the region ends when `build` returns or throws.
 */
export function withCheckedConfig<T>(build: () => T): T {
  composing += 1;
  try {
    return build();
  } finally {
    composing -= 1;
  }
}
