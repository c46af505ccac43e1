/** Levenshtein distance, ignoring case (`selfheal` is 0 from `selfHeal`, `retension` 1 from `retention`). */
export function editDistance(a: string, b: string): number {
  const x = a.toLowerCase();
  const y = b.toLowerCase();
  let previous = Array.from({ length: y.length + 1 }, (_, j) => j);
  for (let i = 1; i <= x.length; i++) {
    const current = [i];
    for (let j = 1; j <= y.length; j++) {
      current[j] = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (x[i - 1] === y[j - 1] ? 0 : 1));
    }
    previous = current;
  }
  return previous[y.length];
}

/**
 * The known key closest to `given`, when it is close enough to be a
 * misspelling: at most a third of its length away (and at most 3 edits), or
 * else a known key that contains it or is contained in it (`replica` for
 * `controllerReplicas`).
 */
export function didYouMean(given: string, known: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of [...known].sort()) {
    const distance = editDistance(given, candidate);
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  if (best === undefined) return undefined;
  const limit = Math.min(3, Math.max(1, Math.floor(Math.max(given.length, best.length) / 3)));
  if (bestDistance <= limit) return best;
  const g = given.toLowerCase();
  if (g.length < 4) return undefined;
  return [...known].sort().find((candidate) => {
    const c = candidate.toLowerCase();
    return c.length >= 4 && (c.includes(g) || g.includes(c));
  });
}
