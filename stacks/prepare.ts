import { DefaultTokenResolver, StringConcat, TerraformElement, TerraformStack, Token, Tokenization } from 'cdktf';
import { IConstruct } from 'constructs';

/** The string forms of cdktf tokens: `${TfToken[...]}`, `#{TfToken[...]}` (list), `&{TfToken[...]}` (map). */
const TOKEN_MARKER = 'TfToken[';

/** A number token written into a string (cdktf's own pattern for them). */
const NUMBER_IN_STRING = /[-|\d|.+]+(e[-|\d|.|e|E|+]+)/;

const RESOLVER = new DefaultTokenResolver(new StringConcat());

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
function terraformElementsOf(stack: TerraformStack): TerraformElement[] {
  const out: TerraformElement[] = [];
  const visit = (node: IConstruct): void => {
    if (TerraformElement.isTerraformElement(node)) out.push(node);
    for (const child of node.node.children) if (!TerraformStack.isStack(child)) visit(child);
  };
  visit(stack);
  return out;
}

/**
 * Prepares `stack` for synthesis as cdktf's `TerraformStack.prepareStack()`
 * does (a backend, then every element's configuration resolved once in
 * preparing mode, where a reference to another stack registers that stack's
 * output and this stack's remote state), except that an element whose
 * configuration holds no token is not resolved: resolving plain data calls
 * nothing and its result is thrown away. With many Flux tenants that is most
 * of the stack (a namespace each), and cdktf's resolution allocates a context
 * per value: a third of what the stack's Terraform side costs per tenant.
 */
export function prepareTerraformElements(stack: TerraformStack): void {
  stack.ensureBackendExists();
  for (const element of terraformElementsOf(stack)) {
    const config: unknown = element.toTerraform();
    if (mayHoldTokens(config)) Tokenization.resolve(config, { scope: stack, preparing: true, resolver: RESOLVER });
  }
}
