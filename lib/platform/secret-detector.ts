/**
 * One detector for secrets in free text: known token shapes anywhere, and
 * high-entropy values in fields named like secrets. The configuration errors
 * use it to redact values, and synthesis runs it over every string that ends in
 * `cdk.tf.json` or the GitOps tree, so no token, password or key reaches a file.
 */

import { TextMemo } from './text-memo';

/** What a value looks like, when it looks like a secret. */
export interface SecretFinding {
  /** The kind of secret, for messages (`a GitHub token`); never the value. */
  readonly kind: string;
}

/** Known token shapes, most specific first. None matches across a line break (the tree check relies on it). */
const TOKEN_SHAPES: ReadonlyArray<{ readonly kind: string; readonly pattern: RegExp }> = [
  { kind: 'a private key', pattern: /-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?-----/ },
  { kind: 'a GitHub token', pattern: /\b(?:gh[pousr]_[A-Za-z0-9]{36,}|github_pat_[A-Za-z0-9_]{22,})/ },
  { kind: 'a GitLab token', pattern: /\bgl(?:pat|dt|rt|ptt|oas|cbt|imt|ft|agent)-[A-Za-z0-9_-]{20,}/ },
  { kind: 'a Slack token', pattern: /\bxox[abposre]-[A-Za-z0-9-]{10,}/ },
  { kind: 'a Slack webhook URL', pattern: /hooks\.slack\.com\/(?:services|workflows|triggers)\/[A-Za-z0-9_/-]{20,}/ },
  { kind: 'an AWS access key', pattern: /\b(?:AKIA|ASIA|ABIA|ACCA|AGPA|AIDA|AROA|ANPA|ANVA|APKA)[A-Z0-9]{16}\b/ },
  { kind: 'a PagerDuty key', pattern: /events\.pagerduty\.com\/[^\s"']*[?&/](?:routing_key|integration_key|service_key)[=/][A-Za-z0-9]{20,}/ },
  { kind: 'a JSON Web Token', pattern: /\beyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}/ },
  { kind: 'a bcrypt hash', pattern: /\$2[abxy]?\$\d{2}\$[./A-Za-z0-9]{53}/ },
];

/**
 * Every token shape in one expression: a text holds one of them exactly when
 * it matches this, and one search of the text replaces a search per shape
 * (about three times faster over a tree's files). Only a text that matches is
 * searched shape by shape, for the kind.
 */
const ANY_TOKEN_SHAPE = new RegExp(TOKEN_SHAPES.map(({ pattern }) => `(?:${pattern.source})`).join('|'));

/** The length of the shortest text a token shape matches (`xoxb-` and ten characters, a Slack token). */
const SHORTEST_TOKEN = 15;

/** A URL with a password: `scheme://user:password@host`. Template references (`$(VAR)`, `${VAR}`, `{{ }}`) are not credentials. */
const URL_CREDENTIALS = /[A-Za-z][A-Za-z0-9+.-]*:\/\/([^/\s:@'"]+):([^/\s@'"]+)@[^\s/]/g;

/** Field names that hold a password: any value there is one (`password`, `authPassword`, `passphrase`). */
const PASSWORD_FIELD = /pass(word|wd|phrase)?$/i;

/** Field names that hold a token or key: a random-looking value there is one (`apiToken`, `routing_key`, `clientSecret`). */
const SECRET_FIELD = /(pass(word|wd|phrase)?|secret|token|api[-_]?key|private[-_]?key|credentials?|auth[-_]?key|routing[-_]?key|integration[-_]?key|service[-_]?key|access[-_]?key|bearer)$/i;

/**
 * Field names that name or reference a secret rather than hold one
 * (`tokenSecretName`, `passwordKey`, `secretRef`, `existingSecret`).
 */
const REFERENCE_FIELD = /(secret|token|password|key)[-_]?(name|names|ref|key|keys|field|path|file|namespace|store|reference|id|type|kind|mtime|variable)$|^(existing|remote)|secretRef|SecretName|remoteKey|variableName/i;

/** Shannon entropy in bits per character. */
export function entropy(value: string): number {
  const counts = new Map<string, number>();
  for (const c of value) counts.set(c, (counts.get(c) ?? 0) + 1);
  let bits = 0;
  for (const n of counts.values()) {
    const p = n / value.length;
    bits -= p * Math.log2(p);
  }
  return bits;
}

/**
 * The last key of a field path (`authPassword` of `alerting.warning[0].authPassword`):
 * without the list indexes it ends with (`[0]`), the last run of characters other
 * than `.`, `[`, `]` and `"` (`b/c` of `a["b/c"]`); the path itself when it has none.
 */
export function lastKey(field: string): string {
  // A plain key (most of the fields a scan sees) is its own last key.
  if (PLAIN_KEY.test(field)) return field;
  // Read from the end, without a regular expression or a list: the config's checks ask this of every value's path.
  let end = field.length;
  while (end > 0 && field.charCodeAt(end - 1) === CLOSE_BRACKET) {
    let i = end - 2;
    while (i >= 0 && isDigit(field.charCodeAt(i))) i--;
    if (i === end - 2 || i < 0 || field.charCodeAt(i) !== OPEN_BRACKET) break;
    end = i;
  }
  while (end > 0 && isPathSyntax(field.charCodeAt(end - 1))) end--;
  let start = end;
  while (start > 0 && !isPathSyntax(field.charCodeAt(start - 1))) start--;
  return start < end ? field.slice(start, end) : field;
}

const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;

const isDigit = (code: number): boolean => code >= 0x30 && code <= 0x39;

/** `.`, `[`, `]` or `"`: what separates the keys of a path. */
const isPathSyntax = (code: number): boolean => code === 0x2e || code === OPEN_BRACKET || code === CLOSE_BRACKET || code === 0x22;

/** A field name with no path syntax. */
const PLAIN_KEY = /^[^.[\]"]+$/;

/** Whether a field's name says it holds a secret (and not only names one). */
export function isSecretField(field: string): boolean {
  // The same few hundred keys are asked about for every object: each is tested once. A path is answered by its
  // last key, which alone decides: the config's paths (a field of their own for every value of every service or
  // tenant) would otherwise fill the memo.
  return SECRET_FIELDS.of(lastKey(field), namesASecret);
}

/** Whether a last key ({@link lastKey}) names a field that holds a secret. */
function namesASecret(key: string): boolean {
  return SECRET_FIELD.test(key) && !REFERENCE_FIELD.test(key);
}

/** {@link isSecretField}'s answers, by last key (a path's last key is its own field: {@link lastKey} gives it back). */
const SECRET_FIELDS = new TextMemo<boolean>(20_000);

/** A reference resolved elsewhere, or a value already withheld: `$secret:key`, `${var.x}`, `$(VAR)`, `{{ .x }}`, `<...>`, `(redacted)`, `***`. */
function isReference(value: string): boolean {
  return /^\$[A-Za-z_][\w:.-]*$|^\$\{[^}]+\}$|^\$\([^)]+\)$|^\{\{.*\}\}$|^<[^>]+>$|^\(redacted\)$|^\*+$/.test(value.trim());
}

/** A value with the look of a random token: long, no spaces, mixed letters and digits, high entropy. */
function looksRandom(value: string): boolean {
  if (value.length < 16 || /\s/.test(value) || isReference(value)) return false;
  if (!/^[A-Za-z0-9+/=_\-.~!@#%^&*:]+$/.test(value)) return false;
  const digits = (value.match(/[0-9]/g) ?? []).length;
  const letters = (value.match(/[A-Za-z]/g) ?? []).length;
  if (digits < 2 || letters < 2) return false;
  return entropy(value) >= 3.5;
}

/**
 * What `value` (found in `field`, when known) looks like if it is a secret:
 * a known token shape, a URL with a password, or (in a field named like a
 * secret) any non-empty value that is not a reference, a boolean or a number.
 */
export function detectSecret(value: string, field?: string): SecretFinding | undefined {
  // A text shorter than any token is only looked at for a URL, which costs less than a lookup in the memo.
  const shaped = value.length < SHORTEST_TOKEN ? urlCredentials(value) : SHORT_SHAPES.of(value, shapeOf);
  if (shaped) return shaped;
  if (field !== undefined && isSecretField(field)) {
    const trimmed = value.trim();
    if (trimmed === '' || isReference(trimmed) || /^(true|false|\d+)$/.test(trimmed)) return undefined;
    if (PASSWORD_FIELD.test(lastKey(field)) && trimmed.length >= 4) return { kind: `a password in "${lastKey(field)}"` };
    if (looksRandom(trimmed)) return { kind: `a token in "${lastKey(field)}"` };
  }
  return undefined;
}

/** The shape found in strings of 15 to 256 characters: names, labels and images recur across the objects of a tree. */
const SHORT_SHAPES = new TextMemo<SecretFinding | undefined>(20_000, 256);

/**
 * A known token shape or a URL with a password in `value`, whatever field
 * holds it; `value` is no shorter than {@link SHORTEST_TOKEN} (a shorter one
 * can only hold a URL: {@link detectSecret} asks {@link urlCredentials}).
 */
function shapeOf(value: string): SecretFinding | undefined {
  if (ANY_TOKEN_SHAPE.test(value)) {
    // Indexed loops here and in the scan: they run for every string synthesized, mostly before V8 optimizes them,
    // and an iterator would allocate a result object per step.
    for (let i = 0; i < TOKEN_SHAPES.length; i++) {
      if (TOKEN_SHAPES[i].pattern.test(value)) return { kind: TOKEN_SHAPES[i].kind };
    }
  }
  return urlCredentials(value);
}

/** A URL with a password in `value`. */
function urlCredentials(value: string): SecretFinding | undefined {
  // Most strings hold no URL: the credentials pattern needs `://` and `@`.
  if (value.includes('://') && value.includes('@')) {
    for (const match of value.matchAll(URL_CREDENTIALS)) {
      const password = match[2];
      if (!isReference(password) && !/^\$|\{\{/.test(password)) return { kind: 'a URL with credentials' };
    }
  }
  return undefined;
}

/** A value withheld from a message: only what kind of secret it looked like is shown. */
export class RedactedValue {
  constructor(readonly finding: SecretFinding) {}
  toString(): string {
    return `a redacted value (it looks like ${this.finding.kind})`;
  }
}

/** `value` as it may be shown in a message: redacted when it (or any string in it) looks secret. */
export function redact(value: unknown, field?: string): unknown {
  const finding = findSecretIn(value, field);
  return finding ? new RedactedValue(finding) : value;
}

/** The first secret-looking string in `value` (a string, or strings inside objects and lists). */
export function findSecretIn(value: unknown, field?: string, depth = 0): SecretFinding | undefined {
  if (typeof value === 'string') return detectSecret(value, field);
  if (depth > 8 || value === null || typeof value !== 'object') return undefined;
  if (Array.isArray(value)) {
    for (const item of value) {
      const found = findSecretIn(item, field, depth + 1);
      if (found) return found;
    }
    return undefined;
  }
  for (const [key, item] of Object.entries(value)) {
    const found = findSecretIn(item, field === undefined ? key : `${field}.${key}`, depth + 1);
    if (found) return found;
  }
  return undefined;
}

/** One secret found in a synthesized value. */
export interface SecretLocation {
  /** The path of the field inside the scanned value (`metadata.annotations["x"]`). */
  readonly path: string;
  readonly finding: SecretFinding;
}

/**
 * Every secret-looking string in a synthesized value (a manifest, a Terraform
 * resource), with its path. Strings that hold YAML or JSON (inline Helm values)
 * are parsed and scanned field by field when `parse` is given.
 */
export function scanForSecrets(value: unknown, parse?: (text: string) => unknown): SecretLocation[] {
  const found: SecretLocation[] = [];
  // A field's path is written out only for a finding, from its parent's place and its own key or index;
  // a place is allocated once per list or object, for its members, not once per field.
  const visit = (node: unknown, parent: FieldPath | undefined, step: string | number | undefined, key: string | undefined, depth: number): void => {
    if (depth > 64) return;
    if (typeof node === 'string') {
      const finding = detectSecret(node, key);
      if (finding) {
        found.push({ path: pathOf(step === undefined ? parent : { parent, step }), finding });
        return;
      }
      if (parse && node.includes('\n') && /:\s/.test(node) && !node.includes('{{')) {
        const parsed = safeParse(parse, node);
        // The embedded document's fields continue the string's own path.
        if (parsed !== null && typeof parsed === 'object') visit(parsed, parent, step, key, depth + 1);
      }
      return;
    }
    if (node === null || typeof node !== 'object') return;
    const here = step === undefined ? parent : { parent, step };
    if (Array.isArray(node)) {
      for (let i = 0; i < node.length; i++) visit(node[i], here, i, key, depth + 1);
      return;
    }
    const record = node as Record<string, unknown>;
    const keys = Object.keys(record);
    for (let i = 0; i < keys.length; i++) visit(record[keys[i]], here, keys[i], keys[i], depth + 1);
  };
  visit(value, undefined, undefined, undefined, 0);
  return found;
}

/** A field's place in a scanned value: its parent's place and its key (or list index). */
interface FieldPath {
  readonly parent: FieldPath | undefined;
  readonly step: string | number;
}

/** `a.b[0]["c/d"]` for a {@link FieldPath}. */
function pathOf(where: FieldPath | undefined): string {
  const steps: (string | number)[] = [];
  for (let at = where; at !== undefined; at = at.parent) steps.push(at.step);
  let out = '';
  for (let i = steps.length - 1; i >= 0; i--) {
    const step = steps[i];
    out = typeof step === 'number' ? `${out}[${step}]` : joinPath(out, step);
  }
  return out;
}

function safeParse(parse: (text: string) => unknown, text: string): unknown {
  try {
    return parse(text);
  } catch {
    return null;
  }
}

/** `a.b`, or `a["b/c"]` for keys that are not identifiers. */
export function joinPath(at: string, key: string): string {
  if (/^[A-Za-z_$][\w$-]*$/.test(key) && !key.includes('-')) return at === '' ? key : `${at}.${key}`;
  return `${at}[${JSON.stringify(key)}]`;
}
