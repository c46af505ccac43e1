import { ConfigError } from '../platform/errors';
import { GO_DURATION } from '../platform/patterns';

/** The namespace Flux runs in and keeps its cluster-level objects in. */
export const FLUX_NAMESPACE = 'flux-system';

const DURATION_NO_HOURS = /^([0-9]+(\.[0-9]+)?(ms|s|m))+$/;
const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/**
 * Checks a Go duration as the Flux CRDs accept it (`30s`, `5m`, `1h30m`) and
 * that it is not zero. `allowHours: false` for the timeouts whose schema
 * only allows `ms`, `s` and `m`.
 */
export function checkDuration(where: string, field: string, value: string, options: { allowHours?: boolean } = {}): string {
  const allowHours = options.allowHours ?? true;
  const pattern = allowHours ? GO_DURATION : DURATION_NO_HOURS;
  const units = allowHours ? '"30s", "5m" or "1h30m"' : '"30s", "90s" or "5m" (no hours)';
  if (typeof value !== 'string' || !pattern.test(value)) {
    throw new ConfigError(where, field, value, `Use a Go duration such as ${units}.`);
  }
  if (!/[1-9]/.test(value)) {
    throw new ConfigError(where, field, value, `A zero duration never fires; use a positive duration such as ${units}.`);
  }
  return value;
}

/** Checks an optional duration; returns it unchanged. */
export function checkOptionalDuration(
  where: string,
  field: string,
  value: string | undefined,
  options: { allowHours?: boolean } = {},
): string | undefined {
  return value === undefined ? undefined : checkDuration(where, field, value, options);
}

/** Checks an object name (DNS-1123 subdomain, at most 253 characters). */
export function checkName(where: string, field: string, value: string, maxLength = 253): string {
  if (typeof value !== 'string' || value.length > maxLength || !DNS_SUBDOMAIN.test(value)) {
    throw new ConfigError(
      where,
      field,
      value,
      `Use a Kubernetes object name: lowercase letters, digits, "-" and ".", starting and ending with a letter or digit, at most ${maxLength} characters.`,
    );
  }
  return value;
}

/** Checks a namespace name (DNS-1123 label, at most 63 characters). */
export function checkNamespace(where: string, field: string, value: string): string {
  if (typeof value !== 'string' || value.length > 63 || !DNS_LABEL.test(value)) {
    throw new ConfigError(
      where,
      field,
      value,
      'Use a namespace name: a DNS label of lowercase letters, digits and "-", starting and ending with a letter or digit, at most 63 characters.',
    );
  }
  return value;
}

/** Checks the name of a referenced Secret or ConfigMap. */
export function checkSecretName(where: string, field: string, value: string): string {
  if (typeof value !== 'string' || value.length > 253 || !DNS_SUBDOMAIN.test(value)) {
    throw new ConfigError(
      where,
      field,
      value,
      'Give the name of a Kubernetes Secret (never the secret value itself): lowercase letters, digits, "-" and ".".',
    );
  }
  return value;
}

/** Checks a URL against the schemes a CRD accepts and rejects credentials embedded in it. */
export function checkUrl(where: string, field: string, value: string, schemes: readonly string[]): string {
  let url: URL | undefined;
  try {
    url = new URL(value);
  } catch {
    url = undefined;
  }
  const scheme = url?.protocol.replace(/:$/, '');
  if (!url || !scheme || !schemes.includes(scheme) || url.hostname === '') {
    throw new ConfigError(where, field, value, `Use a ${schemes.map((s) => `${s}://`).join(' or ')} URL.`);
  }
  // `ssh://git@host/...` names the SSH user, which is not a secret; a password never belongs in a URL.
  if (url.password !== '' || (url.username !== '' && scheme !== 'ssh')) {
    throw new ConfigError(
      where,
      field,
      value.replace(/\/\/[^/]*@/, '//***@'),
      'Remove the credentials from the URL; put them in a Secret and reference it with secretRef.',
    );
  }
  return value;
}

/** Checks a path inside a source artifact (`./deploy/prod`, `clusters/dev`). */
export function checkArtifactPath(where: string, field: string, value: string): string {
  if (
    typeof value !== 'string' ||
    value === '' ||
    value.startsWith('/') ||
    value.split('/').includes('..') ||
    /\s/.test(value)
  ) {
    throw new ConfigError(
      where,
      field,
      value,
      'Use a relative path inside the source, such as "./deploy/production" or "clusters/dev" (no "..", no leading "/").',
    );
  }
  return value;
}

/** Checks a Git branch or tag name (`git check-ref-format` rules that matter in practice). */
export function checkGitRefName(where: string, field: string, value: string): string {
  if (
    typeof value !== 'string' ||
    value === '' ||
    !/^[A-Za-z0-9._/-]+$/.test(value) ||
    value.startsWith('/') ||
    value.endsWith('/') ||
    value.endsWith('.lock') ||
    value.includes('..') ||
    value.includes('//') ||
    value.startsWith('-')
  ) {
    throw new ConfigError(where, field, value, 'Use a Git branch or tag name such as "main", "release/1.2" or "v1.2.3".');
  }
  return value;
}

/** Label values (and keys) put on objects; keys may carry a DNS prefix. */
export function checkLabels(where: string, field: string, labels: Readonly<Record<string, string>> | undefined): void {
  if (!labels) return;
  for (const [key, value] of Object.entries(labels)) {
    const [prefix, name] = key.includes('/') ? key.split('/', 2) : [undefined, key];
    if ((prefix !== undefined && !DNS_SUBDOMAIN.test(prefix)) || !/^[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$/.test(name)) {
      throw new ConfigError(where, `${field}.${key}`, key, 'Use a label key such as "team" or "<your domain>/team".');
    }
    if (value !== '' && !/^[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$/.test(value)) {
      throw new ConfigError(where, `${field}.${key}`, value, 'Use a label value of at most 63 letters, digits, "-", "_" and ".".');
    }
  }
}

/** Copies a record, or returns undefined for an empty / missing one (so no `{}` lands in a manifest). */
export function nonEmptyRecord<T>(record: Readonly<Record<string, T>> | undefined): Record<string, T> | undefined {
  return record && Object.keys(record).length > 0 ? { ...record } : undefined;
}

/** Copies a list, or returns undefined for an empty / missing one (so no `[]` lands in a manifest). */
export function nonEmptyList<T>(list: readonly T[] | undefined): T[] | undefined {
  return list && list.length > 0 ? [...list] : undefined;
}

/** Checks that a Go regular expression also compiles as a JavaScript one (named groups `(?P<x>` are accepted). */
export function checkRegex(where: string, field: string, pattern: string): RegExp {
  try {
    return new RegExp(pattern.replace(/\(\?P</g, '(?<'));
  } catch (error) {
    throw new ConfigError(where, field, pattern, `It is not a valid regular expression (${(error as Error).message}).`);
  }
}
