/**
 * Guards against secret material in manifests: a key that names a secret
 * (`adminPassword`, `token`, `apiKey`, `webhookUrl`) with a literal value.
 * Keys that name *where* a secret is (`existingSecret`, `passwordKey`,
 * `tokenSecretName`) are fine.
 */
const SECRET_KEY = /(password|passwd|passphrase|token|api[-_]?key|secret[-_]?key|private[-_]?key|webhook[-_]?url|credentials?)$/i;

/** Whether a key names a secret value. */
export function secretLikeKey(key: string): boolean {
  return SECRET_KEY.test(key);
}

/**
 * The dotted paths of secret-like keys with a non-empty string value in a
 * values tree (Helm values), e.g. `grafana.adminPassword`.
 */
export function literalSecretPaths(value: unknown, prefix = ''): string[] {
  const found: string[] = [];
  if (Array.isArray(value)) {
    value.forEach((item, index) => found.push(...literalSecretPaths(item, `${prefix}[${index}]`)));
  } else if (value !== null && typeof value === 'object') {
    for (const [key, child] of Object.entries(value as Record<string, unknown>)) {
      const path = prefix === '' ? key : `${prefix}.${key}`;
      if (secretLikeKey(key) && typeof child === 'string' && child !== '') found.push(path);
      else found.push(...literalSecretPaths(child, path));
    }
  }
  return found;
}
