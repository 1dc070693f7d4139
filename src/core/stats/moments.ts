/**
 * Compensated sums and population moments: the building blocks that keep long sums honest
 * (methods.md section 10, item 6: "Use Kahan or pairwise summation for long streams").
 *
 * @module
 */

/** Neumaier-compensated sum of `values`. Empty → 0. Error O(ε) independent of length. */
export function compensatedSum(values: ArrayLike<number>): number {
  let sum = 0;
  let c = 0;
  for (let i = 0; i < values.length; i++) {
    const x = values[i]!;
    const t = sum + x;
    c += Math.abs(sum) >= Math.abs(x) ? sum - t + x : x - t + sum;
    sum = t;
  }
  return sum + c;
}

/**
 * Mean and population standard deviation (ddof = 0, NumPy `np.std`), two-pass with compensated sums.
 * Edge cases: empty → `{ mean: NaN, std: NaN }` is never returned: a RangeError is thrown instead;
 * one value → std 0.
 */
export function meanStdPop(values: ArrayLike<number>): { mean: number; std: number } {
  const n = values.length;
  if (n === 0) throw new RangeError('mean/std of an empty sample');
  const mean = compensatedSum(values) / n;
  let sum = 0;
  let c = 0;
  for (let i = 0; i < n; i++) {
    const d = values[i]! - mean;
    const x = d * d;
    const t = sum + x;
    c += Math.abs(sum) >= Math.abs(x) ? sum - t + x : x - t + sum;
    sum = t;
  }
  return { mean, std: Math.sqrt((sum + c) / n) };
}
