/**
 * The order the platform sorts names in: `String.prototype.localeCompare`'s,
 * without its cost where it need not be paid. Text made only of lowercase
 * letters, digits, `.`, `-` and `/` (Kubernetes names and namespaces, and
 * `namespace/name` pairs) sorts the same by UTF-16 code units as by the
 * collation (checked for every string of up to three such characters), and is
 * compared so. Any other text goes to `localeCompare`. Initialising the
 * collation costs about 8 ms in a process, and a comparison through it about
 * a microsecond; a synthesis sorts thousands of names. Such names also sort
 * the same whatever the process's locale.
 */
const SIMPLE = /^[a-z0-9./-]*$/;

/** A negative number when `a` comes first, positive when `b` does, 0 when they are equal. */
export function compareNames(a: string, b: string): number {
  if (SIMPLE.test(a) && SIMPLE.test(b)) return a < b ? -1 : a > b ? 1 : 0;
  return a.localeCompare(b);
}
