import { DefaultTokenResolver, StringConcat, TerraformStack, Tokenization } from 'cdktf';
import { hidePlainData, mayHoldTokens, terraformElementsOf } from '../lib/platform/plain-terraform';

const RESOLVER = new DefaultTokenResolver(new StringConcat());

/** What plain data is replaced with while preparing: nothing reads the result. */
const SET_ASIDE = (): string => 'plain data';

export { mayHoldTokens };

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
    const config: unknown = element.toTerraform();
    if (mayHoldTokens(config)) {
      Tokenization.resolve(hidePlainData(config, 0, SET_ASIDE), { scope: stack, preparing: true, resolver: RESOLVER });
    }
  }
}
