/**
 * A process-wide memo of what is computed from a text alone (how a string is
 * written in YAML, whether it looks like a token, a parsed document): each
 * distinct text is computed once. It keeps at most `limit` texts and starts
 * afresh when full, so memory stays bounded however much a process
 * synthesizes; texts longer than `longest` (rarely repeated, costly to keep
 * and to hash) are computed every time. Results are shared: treat them as read
 * only.
 */
export class TextMemo<V> {
  /** The results; an `undefined` result is kept as {@link NONE}, so one lookup tells a kept one from a missing one. */
  private readonly values = new Map<string, V | typeof NONE>();

  constructor(
    private readonly limit: number,
    private readonly longest = Infinity,
  ) {}

  /** The value for `text`: `compute(text)` the first time, the kept result after (every time for a text over `longest`). */
  public of(text: string, compute: (text: string) => V): V {
    if (text.length > this.longest) return compute(text);
    const known = this.values.get(text);
    if (known !== undefined) return known === NONE ? (undefined as V) : known;
    const value = compute(text);
    if (this.values.size >= this.limit) this.values.clear();
    this.values.set(text, value === undefined ? NONE : value);
    return value;
  }
}

/** Stands for a kept `undefined` result. */
const NONE: unique symbol = Symbol('none');
