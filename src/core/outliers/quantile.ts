/**
 * NumPy's default ("linear", type 7) quantile of an ascending-sorted array (methods.md §7.3):
 * `h = (n − 1)·q`, `Q(q) = x[⌊h⌋] + (h − ⌊h⌋)(x[⌊h⌋+1] − x[⌊h⌋])`, 0-based. Edge cases: q is clipped to
 * [0, 1]; a single value is every quantile; an empty array throws.
 */
export function quantileSorted(sorted: ArrayLike<number>, q: number): number {
  const n = sorted.length;
  if (n === 0) throw new Error('quantile: needs at least one value');
  const h = (n - 1) * Math.min(1, Math.max(0, q));
  const lo = Math.floor(h);
  const a = sorted[lo]!;
  if (lo + 1 >= n) return a;
  const b = sorted[lo + 1]!;
  return a + (h - lo) * (b - a);
}

/** {@link quantileSorted} on an unsorted array (copies and sorts; NaN must be removed beforehand). */
export function quantileLinear(values: readonly number[], q: number): number {
  return quantileSorted(Float64Array.from(values).sort(), q);
}
