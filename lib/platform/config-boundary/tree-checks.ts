/**
 * The synth-time net of the configuration boundary: every rendered object and
 * file of an environment's tree is checked for Kubernetes' limits (names per
 * kind, label and annotation syntax, 256 KiB of annotations), uniqueness (one
 * kind/namespace/name per tree) and secrets, whichever construct or setting
 * made it. Runs where the tree is finalized, before anything is written.
 */
import { parse } from 'yaml';
import { ConfigError } from '../errors';
import type { RenderedManifest } from '../gitops-tree';
import { RedactedValue, scanForSecrets, detectSecret } from '../secret-detector';
import { checkAnnotations, checkLabels, nameProblem, namespaceProblem } from './kubernetes-syntax';
import { formatPath } from './plain-view';
import { SECRET_CHANNELS } from './rules';
import { recordedDocuments } from '../yaml';
import { TextMemo } from '../text-memo';

/** Embedded documents already parsed in this process (the shipped environments share most of them). */
const PARSED_EMBEDDED = new TextMemo<unknown>(256);

/**
 * Parses inline YAML or JSON (Helm values in an Application) for the secret
 * scan; quiet on templates. Text that only looks like YAML (a script, a Rego
 * policy) makes the parser record errors, which are dropped: they are made
 * without a stack trace, the larger part of their cost. A text parsed before
 * (the same policy or script in every environment) is not parsed again: the
 * result is shared, and read only.
 */
export function parseEmbedded(text: string): unknown {
  // A document the library wrote from values (a chart's Helm values) is those values.
  const recorded = recordedDocuments(text);
  return recorded?.length === 1 ? recorded[0] : PARSED_EMBEDDED.of(text, parseQuietly);
}

function parseQuietly(text: string): unknown {
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  let parsed: unknown;
  try {
    parsed = parse(text, { logLevel: 'silent' });
  } finally {
    Error.stackTraceLimit = limit;
  }
  return parsed;
}

/** A name shortened for a message (a 300-character name is shown by its start). */
const short = (name: string): string => (name.length > 63 ? `${name.slice(0, 40)}...(${name.length} characters)` : name);

const refOf = (m: RenderedManifest): string => {
  const md = m.object.metadata ?? {};
  return `${m.object.kind}/${md.namespace ? `${short(md.namespace)}/` : ''}${md.name === undefined ? '(unnamed)' : short(md.name)}`;
};

/** Where an object is, for a message (written out only for a problem: the checks run for every object of the tree). */
const placeOf = (m: RenderedManifest): string => `${m.file}: ${refOf(m)}`;

/** The maps of an object's metadata with a syntax, and their checks. */
const METADATA_MAPS = [
  ['labels', checkLabels],
  ['annotations', checkAnnotations],
] as const;

/** Throws a {@link ConfigError} at the first object of the tree that breaks a Kubernetes limit or repeats another. */
export function checkTreeObjects(environment: string, manifests: readonly RenderedManifest[]): void {
  const where = `Environment "${environment}"`;
  const seen = new Map<string, RenderedManifest>();
  for (const m of manifests) {
    const object = m.object;
    const md = object.metadata ?? {};
    if (typeof md.name === 'string') {
      const problem = nameProblem(object.kind, md.name);
      if (problem) throw new ConfigError(where, `${placeOf(m)} metadata.name`, md.name, `${problem} Shorten the setting it comes from.`);
    }
    if (typeof md.namespace === 'string') {
      const problem = namespaceProblem(md.namespace);
      if (problem) throw new ConfigError(where, `${placeOf(m)} metadata.namespace`, md.namespace, problem);
    }
    for (let i = 0; i < METADATA_MAPS.length; i++) {
      const field = METADATA_MAPS[i][0];
      const check = METADATA_MAPS[i][1];
      const map = md[field];
      if (map === undefined || map === null || typeof map !== 'object') continue;
      const problem = check(map as Record<string, unknown>);
      if (problem) {
        throw new ConfigError(where, `${placeOf(m)} metadata.${formatPath([field, ...(problem.key === undefined ? [] : [problem.key])])}`, problem.value, problem.fix);
      }
    }
    const group = object.apiVersion.includes('/') ? object.apiVersion.split('/')[0] : '';
    const key = `${group}/${object.kind}/${md.namespace ?? ''}/${md.name ?? ''}`;
    const first = seen.get(key);
    if (first) {
      // The bootstrap objects (the root app-of-apps, the Flux sync objects) are the platform's: the other one is renamed.
      const [owner, other] = m.section === 'bootstrap' && first.section !== 'bootstrap' ? [m, first] : [first, m];
      const platformOwned = owner.section === 'bootstrap' && other.section !== 'bootstrap';
      throw new ConfigError(
        where,
        `${other.file}: ${refOf(other)} metadata.name`,
        md.name,
        platformOwned
          ? `${owner.file} defines ${refOf(owner)}, an object the platform owns: rename yours.`
          : `${owner.file} defines ${refOf(owner)} already; one tree holds each kind/namespace/name once, and the second would replace the first: rename one of them.`,
      );
    }
    seen.set(key, m);
  }
}

/** SealedSecrets hold ciphertext by design; their encrypted data is no leak. */
const ENCRYPTED_FIELDS = (m: RenderedManifest, path: string): boolean =>
  m.object.kind === 'SealedSecret' && /^spec\.encryptedData/.test(path);

/**
 * Throws a {@link ConfigError} at the first secret-looking value in the
 * tree: any string of any object (inline Helm values parsed), and any line of
 * the plain files. The value is never shown.
 */
export function checkTreeSecrets(environment: string, manifests: readonly RenderedManifest[], files: ReadonlyMap<string, string>): void {
  const where = `Environment "${environment}"`;
  for (const m of manifests) {
    const found = scanForSecrets(m.object, parseEmbedded).filter((s) => !ENCRYPTED_FIELDS(m, s.path));
    if (found.length > 0) {
      throw new ConfigError(where, `${m.file}: ${refOf(m)} ${found[0].path}`, new RedactedValue(found[0].finding), SECRET_CHANNELS);
    }
  }
  const manifestFiles = new Set(manifests.map((m) => m.file));
  for (const [file, content] of files) {
    if (manifestFiles.has(file)) continue;
    // No token shape or URL pattern reaches across a line break, so the whole text holds one exactly when a line
    // does; only then are the lines looked at, for the first one's number and kind.
    if (!detectSecret(content)) continue;
    const lines = content.split('\n');
    for (let i = 0; i < lines.length; i++) {
      const finding = detectSecret(lines[i]);
      if (finding) throw new ConfigError(where, `${file} line ${i + 1}`, new RedactedValue(finding), SECRET_CHANNELS);
    }
  }
}

/**
 * Throws a {@link ConfigError} at the first secret-looking value in a stack's
 * Terraform JSON (resource arguments, inline Helm values, outputs, variables'
 * defaults): what reaches `cdk.tf.json` reaches the state too.
 */
export function checkTerraformSecrets(environment: string, terraform: unknown): void {
  const found = scanForSecrets(terraform, parseEmbedded);
  if (found.length > 0) {
    throw new ConfigError(`Environment "${environment}"`, `cdk.tf.json ${found[0].path}`, new RedactedValue(found[0].finding), SECRET_CHANNELS);
  }
}
