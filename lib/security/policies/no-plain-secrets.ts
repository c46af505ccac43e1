import { ManifestObject } from '../../platform/gitops-tree';
import { arrayAt, valueAt } from './match';
import { Policy, PolicyFinding } from './policy';

/** The label the External Secrets Operator puts on every Secret it writes. */
export const ESO_MANAGED_LABEL = 'reconcile.external-secrets.io/managed';

const RULE = 'holds literal data';

/** Options for {@link noPlainSecretsPolicy}. */
export interface NoPlainSecretsOptions {
  /**
   * The label every object of the generated GitOps tree carries (the charts
   * add it). In the cluster, only Secrets with it are checked: Secrets that
   * controllers write (External Secrets, Sealed Secrets, SOPS decryption by
   * Flux) legitimately hold data.
   * @default 'gitops.platform/environment'
   */
  readonly scopeLabel?: string;
}

/**
 * No plain Secrets (seed 002 `validate.sh`): a Secret from the GitOps tree
 * holds no `data` or `stringData`. Use an ExternalSecret, a SealedSecret or a
 * SOPS-encrypted file instead. Secrets owned by a controller (owner
 * references) or written by the External Secrets Operator are out of scope.
 */
export function noPlainSecretsPolicy(options: NoPlainSecretsOptions = {}): Policy {
  const scopeLabel = options.scopeLabel ?? 'gitops.platform/environment';
  return new Policy({
    id: 'no-plain-secrets',
    constraintKind: 'GitOpsNoPlainSecrets',
    title: 'No plain Secrets in the GitOps tree',
    description:
      'A Secret synced from the GitOps tree holds no data or stringData: secret values come from ExternalSecrets, SealedSecrets or SOPS, never from Git in clear.',
    kinds: [{ apiGroups: [''], kinds: ['Secret'] }],
    labelSelector: [
      { key: scopeLabel, operator: 'Exists' },
      { key: ESO_MANAGED_LABEL, operator: 'DoesNotExist' },
    ],
    parameterSchema: {},
    parameters: {},
    rules: [RULE],
    evaluate: (object: ManifestObject): PolicyFinding[] => {
      if (arrayAt(object, ['metadata', 'ownerReferences']).length > 0) return [];
      const fields = ['data', 'stringData'].filter((f) => {
        const value = valueAt(object, [f]);
        return value !== null && typeof value === 'object' && Object.keys(value).length > 0;
      });
      if (fields.length === 0) return [];
      return [
        {
          rule: RULE,
          detail: `${RULE} in ${fields.join(', ')}`,
          fix: 'materialise the Secret with an ExternalSecret (ExternalSecretCredentials) or a SealedSecret, or keep it SOPS-encrypted outside the generated tree; reference it by name',
        },
      ];
    },
    rego: `
violation[{"msg": msg}] {
  not exempt
  input.review.object.kind == "Secret"
  not owned
  fields := [f | f := payload_fields[_]; count(object.get(input.review.object, f, {})) > 0]
  count(fields) > 0
  msg := sprintf("%v: ${RULE} in %v. Fix: use an ExternalSecret, a SealedSecret or a SOPS-encrypted file; never a Secret with data in Git.", [object_ref, concat(", ", fields)])
}

payload_fields := ["data", "stringData"]

owned {
  count(object.get(input.review.object.metadata, "ownerReferences", [])) > 0
}
`,
  });
}
