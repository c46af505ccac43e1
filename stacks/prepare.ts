import { DefaultTokenResolver, StringConcat, TerraformStack, Tokenization } from 'cdktf';
import { hidePlainData, terraformElementsOf } from '../lib/platform/plain-terraform';

const RESOLVER = new DefaultTokenResolver(new StringConcat());

/** What plain data is replaced with while preparing: nothing reads the result. */
const PLAIN_DATA = 'plain data';
const SET_ASIDE = (): string => PLAIN_DATA;

/**
 * Prepares `stack` for synthesis as cdktf's `TerraformStack.prepareStack()`
 * does (a backend, then every element's configuration resolved once in
 * preparing mode, where a reference to another stack registers that stack's
 * output and this stack's remote state), except that plain data is not
 * resolved: resolving it calls nothing and the result is thrown away. An
 * element with no token is skipped (with many Flux tenants that is most of
 * the stack, a namespace each), and in the others only the tokens are
 * resolved, including what a `Lazy` gives (the status outputs, which grow
 * with the environment's services and tenants). cdktf's resolution allocates
 * a context per value: this was a third of the stack's Terraform side per
 * tenant.
 */
export function prepareTerraformElements(stack: TerraformStack): void {
  stack.ensureBackendExists();
  for (const element of terraformElementsOf(stack)) {
    // A configuration that is plain all through is set aside whole: nothing to resolve.
    const hidden = hidePlainData(element.toTerraform(), 0, SET_ASIDE);
    if (hidden !== PLAIN_DATA) Tokenization.resolve(hidden, { scope: stack, preparing: true, resolver: RESOLVER });
  }
}
