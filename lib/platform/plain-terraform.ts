import { IResolvable, IResolveContext, TerraformElement, TerraformStack, Token, Tokenization } from 'cdktf';
import { IConstruct } from 'constructs';
import { copyPlain } from './plain-object';

/**
 * Plain data in a stack's Terraform configuration, kept out of cdktf's token
 * resolution.
 *
 * cdktf resolves every value of every element twice while writing a stack
 * (each element's configuration, then the merged document), allocating a
 * resolution context per value. Plain data (strings, numbers, booleans, lists
 * and plain objects with no token in them) comes out of that unchanged, as a
 * copy without `undefined` entries. The platform's status outputs and the
 * Terraform namespaces grow with the environment (a service, a tenant each),
 * and resolving them was about a fifth of a synthesis with 1,000 Flux tenants
 * or delivery services. Here each plain list or object below an element's
 * body is swapped for a marker string before cdktf resolves, and the marker
 * for a copy of the data after: the JSON is the same, byte for byte.
 */

/** The string forms of cdktf tokens: `${TfToken[...]}`, `#{TfToken[...]}` (list), `&{TfToken[...]}` (map). */
const TOKEN_MARKER = 'TfToken[';

/** A number token written into a string (cdktf's own pattern for them). */
const NUMBER_IN_STRING = /[-|\d|.+]+(e[-|\d|.|e|E|+]+)/;

/**
 * Whether resolving `value` could call a token: it holds a string or number
 * token, or an object that is not plain data (a Lazy, a reference, anything
 * with a `resolve` method, or a class instance cdktf would reject). Plain
 * strings, numbers, booleans, lists and plain objects of them never do.
 */
export function mayHoldTokens(value: unknown): boolean {
  switch (typeof value) {
    case 'string':
      return value.includes(TOKEN_MARKER) || NUMBER_IN_STRING.test(value);
    case 'number':
      return Token.isUnresolved(value);
    case 'object': {
      if (value === null) return false;
      if (Array.isArray(value)) return value.some((item) => mayHoldTokens(item));
      const prototype = Object.getPrototypeOf(value) as unknown;
      if (prototype !== Object.prototype && prototype !== null) return true;
      for (const key of Object.keys(value)) {
        if (mayHoldTokens(key) || mayHoldTokens((value as Record<string, unknown>)[key])) return true;
      }
      return false;
    }
    case 'undefined':
    case 'boolean':
      return false;
    default:
      // Functions, symbols, bigints: let cdktf resolve them and report what it finds.
      return true;
  }
}

/** The Terraform elements of `stack`, in construct order, without those of nested stacks (as cdktf collects them). */
export function terraformElementsOf(stack: TerraformStack): TerraformElement[] {
  const out: TerraformElement[] = [];
  const visit = (node: IConstruct): void => {
    if (TerraformElement.isTerraformElement(node)) out.push(node);
    for (const child of node.node.children) if (!TerraformStack.isStack(child)) visit(child);
  };
  visit(stack);
  return out;
}

/** What {@link hideIn} gives for a value that is plain data all through. */
const PLAIN: unique symbol = Symbol('plain');

/**
 * `value` with every plain list or object at `minDepth` or deeper replaced by
 * what `stash` gives for it. A list or object that holds a token is copied
 * with its plain members replaced; a token object (a `Lazy`) is wrapped so
 * that what it resolves to is treated the same way, from its own depth on; a
 * token string or number and any other non-plain object are kept. A list
 * with a token string or number among its own members is kept whole (cdktf
 * resolves a list token with its list), as is an object with a token for a
 * key. `value` itself is not changed.
 */
export function hidePlainData(value: unknown, minDepth: number, stash: (plain: unknown) => string): unknown {
  const hidden = hideIn(value, minDepth, stash, 0);
  return hidden === PLAIN ? stashed(value, 0, minDepth, stash) : hidden;
}

function hideIn(value: unknown, minDepth: number, stash: (plain: unknown) => string, depth: number): unknown {
  if (typeof value !== 'object' || value === null) return mayHoldTokens(value) ? value : PLAIN;
  if (Array.isArray(value)) {
    const items = value.map((item) => hideIn(item, minDepth, stash, depth + 1));
    if (items.every((item) => item === PLAIN)) return PLAIN;
    if (value.some((item, i) => items[i] !== PLAIN && (typeof item !== 'object' || item === null))) return value;
    return items.map((item, i) => (item === PLAIN ? stashed(value[i], depth + 1, minDepth, stash) : item));
  }
  if (Tokenization.isResolvable(value)) return asideWhenResolved(value, Math.max(0, minDepth - depth), stash);
  const prototype = Object.getPrototypeOf(value) as unknown;
  if (prototype !== Object.prototype && prototype !== null) return value;
  const record = value as Record<string, unknown>;
  const keys = Object.keys(record);
  // Indexed loops: this visits every object of every element, mostly before V8 optimizes it, where each callback
  // of some/map/every/forEach is a call of its own.
  for (let i = 0; i < keys.length; i++) if (mayHoldTokens(keys[i])) return value;
  const members: unknown[] = new Array(keys.length);
  let plain = true;
  for (let i = 0; i < keys.length; i++) {
    members[i] = hideIn(record[keys[i]!], minDepth, stash, depth + 1);
    if (members[i] !== PLAIN) plain = false;
  }
  if (plain) return PLAIN;
  const out: Record<string, unknown> = {};
  for (let i = 0; i < keys.length; i++) {
    out[keys[i]!] = members[i] === PLAIN ? stashed(record[keys[i]!], depth + 1, minDepth, stash) : members[i];
  }
  return out;
}

/**
 * Plain data as it goes into the copy: a list or object deep enough is
 * stashed; one above `minDepth` is copied with its members treated so; a
 * scalar is kept.
 */
function stashed(plain: unknown, depth: number, minDepth: number, stash: (plain: unknown) => string): unknown {
  if (typeof plain !== 'object' || plain === null) return plain;
  if (depth >= minDepth) return stash(plain);
  if (Array.isArray(plain)) return plain.map((item) => stashed(item, depth + 1, minDepth, stash));
  const out: Record<string, unknown> = {};
  const keys = Object.keys(plain);
  for (let i = 0; i < keys.length; i++) out[keys[i]!] = stashed((plain as Record<string, unknown>)[keys[i]!], depth + 1, minDepth, stash);
  return out;
}

/**
 * A token that resolves as `token` does, to that value with its plain data
 * stashed. A token that registers a post-processor sees and gives its value
 * as it is: what the post-processor does with the value is its own.
 */
function asideWhenResolved(token: IResolvable, minDepth: number, stash: (plain: unknown) => string): IResolvable {
  return {
    creationStack: token.creationStack,
    resolve(context: IResolveContext): unknown {
      // The context itself, not a copy: a token may set its flags (suppressBraces) for what it resolves next.
      const register = context.registerPostProcessor;
      let postProcessed = false;
      context.registerPostProcessor = (postProcessor): void => {
        postProcessed = true;
        register.call(context, postProcessor);
      };
      let resolved: unknown;
      try {
        resolved = token.resolve(context);
      } finally {
        context.registerPostProcessor = register;
      }
      return postProcessed ? resolved : hidePlainData(resolved, minDepth, stash);
    },
    toString: () => token.toString(),
  };
}

/**
 * How deep plain data is set aside in each section of an element's
 * configuration. A resource's or data source's body
 * (`{ resource: { <type>: { <name>: body } } }`) is its own: it is set aside
 * whole, at depth 3. In the other sections (`output`, `provider`, `terraform`,
 * `variable`, ...) a body can be shared or extended (a provider is a list
 * cdktf joins, a backend is merged with the stack's overrides), so only the
 * members of a body are set aside, from depth 4. The merge of the elements'
 * configurations into one document sees the same sections, types and names.
 */
const SET_ASIDE_FROM: Readonly<Record<string, number>> = { resource: 3, data: 3 };
const SET_ASIDE_FROM_OTHERS = 4;

const setAsideFrom = (section: string): number => SET_ASIDE_FROM[section] ?? SET_ASIDE_FROM_OTHERS;

/** An element's configuration with its plain data set aside, section by section. */
function elementAside(config: unknown, stash: (plain: unknown) => string): unknown {
  if (typeof config !== 'object' || config === null || Array.isArray(config)) return config;
  const out: Record<string, unknown> = {};
  for (const [section, body] of Object.entries(config)) out[section] = hidePlainData(body, setAsideFrom(section) - 1, stash);
  return out;
}

/**
 * Whether the stack's overrides (merged into the resolved document) could meet
 * set-aside data: one that merges into a section below where it sets data aside.
 */
function overridesReachAside(overrides: unknown): boolean {
  if (typeof overrides !== 'object' || overrides === null) return true;
  return Object.entries(overrides).some(([section, value]) => 1 + keyDepth(value) > setAsideFrom(section));
}

let synthesisCount = 0;

/** How many keys deep a plain object goes (`{ terraform: { required_version: '>= 1.11' } }` is 2). */
function keyDepth(value: unknown): number {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return 0;
  let deepest = 0;
  for (const member of Object.values(value)) deepest = Math.max(deepest, keyDepth(member));
  return 1 + deepest;
}

/**
 * The stack's Terraform JSON from `toTerraform` (cdktf's `TerraformStack.toTerraform`),
 * with the elements' plain data kept out of cdktf's resolution (see above). A stack
 * override (`TerraformStack.addOverride`) is merged into the resolved document:
 * one that reaches below where its section sets data aside could meet it there,
 * so a stack with such an override is resolved as it is. The platform's own
 * (`terraform.required_version`, `terraform.backend.s3.use_lockfile`) stay above.
 */
export function terraformWithPlainDataAside(stack: TerraformStack, toTerraform: () => unknown): unknown {
  const overrides = (stack as unknown as { rawOverrides?: unknown }).rawOverrides;
  if (overrides === undefined || overridesReachAside(overrides)) return toTerraform();
  const tag = `\u0000gitops-plain-${++synthesisCount}-${Math.random().toString(36).slice(2)}-`;
  const aside: unknown[] = [];
  const stash = (plain: unknown): string => `${tag}${aside.push(plain) - 1}`;
  const elements = terraformElementsOf(stack);
  const restores: Array<() => void> = [];
  for (const element of elements) {
    const own = Object.getOwnPropertyDescriptor(element, 'toTerraform');
    const original = element.toTerraform;
    element.toTerraform = () => elementAside(original.call(element), stash) as ReturnType<TerraformElement['toTerraform']>;
    restores.push(own === undefined ? () => delete (element as { toTerraform?: unknown }).toTerraform : () => Object.defineProperty(element, 'toTerraform', own));
  }
  let json: unknown;
  try {
    json = toTerraform();
  } finally {
    for (const restore of restores) restore();
  }
  if (aside.length === 0) return json;
  const putBack = (value: unknown): unknown => {
    if (typeof value === 'string') {
      if (!value.startsWith(tag)) return value;
      const index = Number(value.slice(tag.length));
      return index < aside.length ? copyPlain(aside[index]) : value;
    }
    if (typeof value !== 'object' || value === null) return value;
    if (Array.isArray(value)) {
      for (let i = 0; i < value.length; i++) value[i] = putBack(value[i]);
      return value;
    }
    const record = value as Record<string, unknown>;
    for (const key of Object.keys(record)) record[key] = putBack(record[key]);
    return record;
  };
  return putBack(json);
}
