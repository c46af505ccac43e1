/**
 * Patterns the modules share for validating names and durations, so every
 * module accepts and rejects exactly the same values.
 */

/** A lowercase RFC 1035 label (namespaces, Services, most object names): at most 63 characters. */
export const DNS_LABEL = /^[a-z]([-a-z0-9]{0,61}[a-z0-9])?$/;

/** A Go duration as Kubernetes controllers read it (`5s`, `1m30s`, `1.5h`). */
export const GO_DURATION = /^([0-9]+(\.[0-9]+)?(ms|s|m|h))+$/;

/**
 * The TCP ports a controller opens to reach `urls` besides HTTPS on 443:
 * Git over SSH (`ssh://host[:port]/...` or `git@host:path`, port 22 unless
 * given) and any explicit port (`https://<git host>:8443/...`).
 * Sorted, without duplicates.
 */
export function egressPortsOf(urls: readonly string[]): number[] {
  const ports = new Set<number>();
  for (const url of urls) {
    if (/^[A-Za-z0-9._-]+@[^:/]+:/.test(url)) {
      ports.add(22);
      continue;
    }
    const match = /^([a-z][a-z0-9+.-]*):\/\/(?:[^@/]*@)?(\[[^\]]+\]|[^:/]+)(?::([0-9]+))?/i.exec(url);
    if (!match) continue;
    const scheme = match[1].toLowerCase();
    const port = match[3] !== undefined ? Number(match[3]) : scheme === 'ssh' ? 22 : scheme === 'http' ? 80 : 443;
    if (port !== 443) ports.add(port);
  }
  return [...ports].sort((a, b) => a - b);
}

/**
 * `value` parsed as an `https://` URL that carries no credentials (no user,
 * no password), or undefined when it is not one: an endpoint a controller
 * reaches with credentials kept elsewhere (a Secret, a service account).
 */
export function credentialFreeHttpsUrl(value: unknown): URL | undefined {
  if (typeof value !== 'string') return undefined;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return undefined;
  }
  return url.protocol === 'https:' && url.username === '' && url.password === '' ? url : undefined;
}
