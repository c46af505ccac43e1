import { DescribedValue } from '../errors';
import { TextMemo } from '../text-memo';

/**
 * Kubernetes' own limits on names, labels and annotations (the API server's
 * validation in `apimachinery`), checked before anything is written.
 */

/** A DNS subdomain (RFC 1123): up to 253 characters. */
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
/** A DNS label (RFC 1123): up to 63 characters. */
const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
/** The name part of a qualified name (label key) and a label value: up to 63 characters. */
const QUALIFIED_NAME = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;

/** The total size of an object's annotations (keys and values), as the API server counts it. */
export const MAX_ANNOTATIONS_BYTES = 256 * 1024;

/** A problem with one key of a map (or the whole map when `key` is undefined). */
export interface KeyProblem {
  readonly key?: string;
  readonly value: unknown;
  readonly fix: string;
}

/** The problem of a label or annotation key (`prefix/name`), or undefined. */
export function qualifiedKeyProblem(key: string): string | undefined {
  const slash = key.lastIndexOf('/');
  const prefix = slash >= 0 ? key.slice(0, slash) : undefined;
  const name = slash >= 0 ? key.slice(slash + 1) : key;
  if (prefix !== undefined && (prefix.length === 0 || prefix.length > 253 || !DNS_SUBDOMAIN.test(prefix))) {
    return `its prefix "${prefix}" must be a lowercase DNS subdomain of at most 253 characters (such as "gitops.platform")`;
  }
  if (name.length === 0 || name.length > 63 || !QUALIFIED_NAME.test(name)) {
    return 'its name must be 1 to 63 characters: letters, digits, "-", "_" and ".", starting and ending with a letter or digit';
  }
  return undefined;
}

/**
 * {@link qualifiedKeyProblem}'s answers, by key: every object of a tree carries
 * the same few dozen label and annotation keys. A key longer than a prefix, a
 * slash and a name can be (317 characters) is not kept.
 */
const KEY_PROBLEMS = new TextMemo<string | undefined>(20_000, 253 + 1 + 63);

/** Whether a label value of 1 to 63 characters has the syntax, by value: the objects of one item share theirs. */
const LABEL_VALUES = new TextMemo<boolean>(20_000, 63);

const isQualifiedName = (value: string): boolean => QUALIFIED_NAME.test(value);

/** The first problem of a labels map, or undefined. */
export function checkLabels(labels: Readonly<Record<string, unknown>>): KeyProblem | undefined {
  // Indexed: this runs for every object synthesized, and an iterator would allocate a result object per step.
  const keys = Object.keys(labels);
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i];
    const value = labels[key];
    const keyProblem = KEY_PROBLEMS.of(key, qualifiedKeyProblem);
    if (keyProblem) return { key, value, fix: `Not a valid label key: ${keyProblem}.` };
    if (typeof value !== 'string') return { key, value, fix: 'Label values are strings.' };
    if (value !== '' && (value.length > 63 || !LABEL_VALUES.of(value, isQualifiedName))) {
      return { key, value, fix: 'Not a valid label value: at most 63 characters, letters, digits, "-", "_" and ".", starting and ending with a letter or digit (or empty).' };
    }
  }
  return undefined;
}

/** The first problem of an annotations map, or undefined. */
export function checkAnnotations(annotations: Readonly<Record<string, unknown>>): KeyProblem | undefined {
  let bytes = 0;
  const keys = Object.keys(annotations);
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i];
    const value = annotations[key];
    const keyProblem = KEY_PROBLEMS.of(key, qualifiedKeyProblem);
    if (keyProblem) return { key, value, fix: `Not a valid annotation key: ${keyProblem}.` };
    if (typeof value !== 'string') return { key, value, fix: 'Annotation values are strings.' };
    bytes += Buffer.byteLength(key) + Buffer.byteLength(value);
  }
  if (bytes > MAX_ANNOTATIONS_BYTES) {
    return { value: new DescribedValue(`${bytes} bytes of annotations`), fix: `Kubernetes accepts at most ${MAX_ANNOTATIONS_BYTES} bytes (256 KiB) of annotations on one object: move the data into a ConfigMap.` };
  }
  return undefined;
}

/** Kinds whose names must be DNS labels (63 characters), as the API server validates them. */
const DNS_LABEL_KINDS = new Set(['Namespace', 'Service']);

/** Kinds whose names are path segments (RBAC: `system:aggregate-to-view` is valid). */
const PATH_SEGMENT_KINDS = new Set(['ClusterRole', 'ClusterRoleBinding', 'Role', 'RoleBinding']);

/** A name rule: the longest name, its syntax, and how a message describes them. */
interface NameRule {
  readonly max: number;
  readonly pattern: RegExp;
  readonly what: string;
}

const DNS_LABEL_NAME: NameRule = { max: 63, pattern: DNS_LABEL, what: 'a DNS label (lowercase letters, digits and "-", at most 63 characters)' };
const PATH_SEGMENT_NAME: NameRule = { max: 253, pattern: /^(?!\.\.?$)[^/%]+$/, what: 'at most 253 characters without "/" or "%"' };
const DNS_SUBDOMAIN_NAME: NameRule = { max: 253, pattern: DNS_SUBDOMAIN, what: 'a DNS subdomain (lowercase letters, digits, "-" and ".", at most 253 characters)' };

/** The name rule of a kind. */
function namePrinciple(kind: string): NameRule {
  if (DNS_LABEL_KINDS.has(kind)) return DNS_LABEL_NAME;
  if (PATH_SEGMENT_KINDS.has(kind)) return PATH_SEGMENT_NAME;
  return DNS_SUBDOMAIN_NAME;
}

/** The problem of `name` as the name of a `kind`, or undefined. */
export function nameProblem(kind: string, name: string): string | undefined {
  const rule = namePrinciple(kind);
  if (name.length > rule.max || !rule.pattern.test(name)) return `A ${kind} name must be ${rule.what}; this one has ${name.length} characters.`;
  return undefined;
}

/** The problem of a namespace's name, kept per name: the objects of a tree sit in a few namespaces. */
export function namespaceProblem(namespace: string): string | undefined {
  return NAMESPACE_PROBLEMS.of(namespace, namespaceNameProblem);
}

const NAMESPACE_PROBLEMS = new TextMemo<string | undefined>(20_000);

const namespaceNameProblem = (namespace: string): string | undefined => nameProblem('Namespace', namespace);
