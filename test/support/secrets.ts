/**
 * Patterns of secret material that must never appear in a synthesized file.
 * References (secret names, `$secret:key`, `*_file` paths, `${var.x}`) are fine;
 * literal tokens, keys, hashes and webhook URLs are not.
 */
export const SECRET_PATTERNS: ReadonlyArray<{ readonly name: string; readonly pattern: RegExp }> = [
  { name: 'private key', pattern: /-----BEGIN [A-Z ]*PRIVATE KEY-----/ },
  { name: 'JSON web token', pattern: /\beyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}/ },
  { name: 'AWS access key id', pattern: /\b(AKIA|ASIA)[0-9A-Z]{16}\b/ },
  { name: 'GitHub token', pattern: /\b(ghp|gho|ghu|ghs|ghr)_[A-Za-z0-9]{30,}\b|\bgithub_pat_[A-Za-z0-9_]{30,}/ },
  { name: 'GitLab token', pattern: /\bglpat-[A-Za-z0-9_-]{20,}/ },
  { name: 'Slack token', pattern: /\bxox[abposr]-[A-Za-z0-9-]{10,}/ },
  { name: 'Slack webhook URL', pattern: /hooks\.slack\.com\/services\/[A-Za-z0-9]+\/[A-Za-z0-9]+/ },
  { name: 'Microsoft Teams webhook URL', pattern: /\.webhook\.office\.com\/webhookb2\/[A-Za-z0-9-]+/ },
  { name: 'PagerDuty routing key', pattern: /(routing_key|service_key|integrationKey)["']?\s*[:=]\s*["']?[a-f0-9]{32}\b/i },
  { name: 'bcrypt hash', pattern: /\$2[aby]\$\d{2}\$[./A-Za-z0-9]{53}/ },
  { name: 'age secret key', pattern: /AGE-SECRET-KEY-1[0-9A-Z]{50,}/ },
  { name: 'basic-auth credentials in a URL', pattern: /https?:\/\/[^\s/:@"']+:[^\s/@"']+@/ },
  {
    name: 'literal password value',
    pattern: /["']?(password|passwd|adminPassword|admin_password|clientSecret|client_secret|bearerToken|token)["']?\s*[:=]\s*["']?(?!\$|\{|\/|""|''|null|\s*$)[A-Za-z0-9+/=_!@#%^&*-]{8,}/i,
  },
];

/** The secret patterns found in `content`, one line each (`file: name`). */
export function findSecrets(file: string, content: string): string[] {
  const found: string[] = [];
  for (const { name, pattern } of SECRET_PATTERNS) {
    const match = pattern.exec(content);
    if (match) {
      const line = content.slice(0, match.index).split('\n').length;
      found.push(`${file}:${line}: ${name}`);
    }
  }
  return found;
}
