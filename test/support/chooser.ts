/**
 * A deterministic stream of small choices for generated test inputs (the same
 * every run): each call gives a whole number from 0 to `n - 1`.
 */
export function chooser(seed: number): (n: number) => number {
  let x = seed;
  return (n) => {
    x = (x * 1103515245 + 12345) % 2147483648;
    return x % n;
  };
}
