/**
 * Compensated sums and population moments: the building blocks that keep long sums honest
 * (methods.md section 10, item 6: "Use Kahan or pairwise summation for long streams").
 *
 * @module
 */

/**
 * Neumaier-compensated sum of `values` (methods.md 10.6). Error O(ε)·Σ|x| independent of the length.
 * Edge cases: empty → 0.
 *
 * @example compensatedSum([1e16, 1, -1e16]) // 1 (a naive sum gives 0)
 */
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
 * Mean and population standard deviation (ddof = 0, NumPy `np.std`; used by Evidently's normalised
 * Wasserstein, methods.md 1.2), two passes with compensated sums — never `E[x²] − E[x]²` (methods.md 10.6).
 *
 * Edge cases: empty sample → RangeError; one value → std 0.
 *
 * @example meanStdPop(Float64Array.of(0, 1, 2, 3, 4)) // { mean: 2, std: 1.414213562373 }
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
