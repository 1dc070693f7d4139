/**
 * Wasserstein-1 (earth mover's) distance between two 1-D samples and Evidently's normalised variant
 * (methods.md section 1.2).
 *
 * @module
 */
import { lowerBound } from './binning.js';
import { meanStdPop } from './moments.js';
import { sortFloat64 } from './sort.js';

/**
 * `W1 = ∫ |F_ref(t) − F_cur(t)| dt` on **ascending** samples, in one merge pass with compensated
 * summation (SciPy `wasserstein_distance` with equal weights). See {@link wasserstein1}.
 */
export function wasserstein1Sorted(ref: Float64Array, cur: Float64Array): number {
  const n1 = ref.length;
  const n2 = cur.length;
  if (n1 === 0 || n2 === 0)
    throw new RangeError(`Wasserstein needs non-empty samples (ref has ${n1}, cur has ${n2} values)`);
  let i = 0;
  let j = 0;
  let sum = 0;
  let c = 0;
  let prev = Math.min(ref[0]!, cur[0]!);
  while (i < n1 || j < n2) {
    let v: number;
    if (j >= n2) v = ref[i]!;
    else if (i >= n1) v = cur[j]!;
    else {
      const x = ref[i]!;
      const y = cur[j]!;
      v = x <= y ? x : y;
    }
    // Between the previous pooled value and v both ECDFs are constant at i/n1 and j/n2; the gap is
    // kept as the exact integer |i·n2 − j·n1| and divided by n1·n2 once at the end.
    const x = Math.abs(i * n2 - j * n1) * (v - prev);
    const t = sum + x;
    c += Math.abs(sum) >= Math.abs(x) ? sum - t + x : x - t + sum;
    sum = t;
    prev = v;
    while (i < n1 && ref[i]! <= v) i++;
    while (j < n2 && cur[j]! <= v) j++;
  }
  return (sum + c) / n1 / n2;
}

/**
 * Wasserstein-1 distance between two samples, in the units of the data (methods.md 1.2; NannyML's
 * unnormalised "wasserstein"). Inputs are copied and sorted; values must be finite.
 *
 * Edge cases: an empty sample → RangeError; identical samples → 0; non-finite values → RangeError
 * (an infinite value makes the distance meaningless).
 *
 * @example wasserstein1(Float64Array.of(0, 1, 2, 3, 4), Float64Array.of(1, 2, 3, 4, 8)) // 1.6
 */
export function wasserstein1(ref: Float64Array, cur: Float64Array): number {
  assertFinite(ref, 'ref');
  assertFinite(cur, 'cur');
  return wasserstein1Sorted(sortFloat64(Float64Array.from(ref)), sortFloat64(Float64Array.from(cur)));
}

/** Evidently's floor on the reference standard deviation (constant reference columns). */
export const WASSERSTEIN_STD_FLOOR = 0.001;

/**
 * Evidently's normalised Wasserstein distance: `W1(ref, cur) / max(std_pop(ref), 0.001)`
 * (evidentlyai/evidently `wasserstein_distance_norm.py`; methods.md 1.2). Drift when `>= 0.1` by default.
 * Unitless: "how many reference standard deviations the mass has to move".
 *
 * Edge cases: constant reference → divided by 0.001; empty sample or non-finite value → RangeError.
 *
 * @example wassersteinNormedSorted(Float64Array.of(0, 1, 2, 3, 4), Float64Array.of(1, 2, 3, 4, 8))
 * // { score: 1.131370849898, w1: 1.6, refStd: 1.414213562373 }
 */
export function wassersteinNormedSorted(
  ref: Float64Array,
  cur: Float64Array,
): { score: number; w1: number; refStd: number } {
  const w1 = wasserstein1Sorted(ref, cur);
  const refStd = meanStdPop(ref).std;
  return { score: w1 / Math.max(refStd, WASSERSTEIN_STD_FLOOR), w1, refStd };
}

function notFinite(field: string, i: number, v: number): RangeError {
  return new RangeError(
    `${field}[${i}] is ${v}: drop NaN and ±Infinity before computing a distance or histogram`,
  );
}

/** Throws a RangeError naming `field` when `values` holds NaN or ±Infinity. */
export function assertFinite(values: Float64Array, field: string): void {
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (!Number.isFinite(v)) throw notFinite(field, i, v);
  }
}

/**
 * {@link assertFinite} for **ascending, NaN-free** values in O(log n): infinities can only sit at the ends,
 * so the ends decide, and the error names the same (first) index the linear check would.
 */
export function assertFiniteSorted(values: Float64Array, field: string): void {
  const n = values.length;
  if (n === 0) return;
  if (values[0] === Number.NEGATIVE_INFINITY) throw notFinite(field, 0, values[0]);
  if (values[n - 1] === Number.POSITIVE_INFINITY) {
    const i = lowerBound(values, Number.POSITIVE_INFINITY);
    throw notFinite(field, i, values[i]!);
  }
}
