/**
 * @module
 * Robust baselines for operational series: the median and the median absolute deviation (MAD) of previous
 * windows, so that one bad window in the history does not move the baseline.
 */

/** Scale factor that makes the MAD a consistent estimator of the standard deviation for normal data. */
export const MAD_TO_SD = 1.4826;

export interface RobustBaseline {
  median: number;
  /** Raw median absolute deviation (not scaled). */
  mad: number;
  /** Number of values the baseline was computed from. */
  n: number;
}

/**
 * Median of the finite values (the mean of the two middle values for an even count); null when there are none.
 * @example median([3, 1, 2, 10]) // 2.5
 */
export function median(values: readonly number[]): number | null {
  const xs = values.filter(Number.isFinite).sort((a, b) => a - b);
  const n = xs.length;
  if (n === 0) return null;
  const mid = n >> 1;
  return n % 2 === 1 ? xs[mid]! : (xs[mid - 1]! + xs[mid]!) / 2;
}

/**
 * Median and MAD (median of |x − median|) of the finite values; null when there are none. All values equal → MAD 0.
 * @example robustBaseline([10, 11, 9, 10, 100]) // { median: 10, mad: 1, n: 5 }
 */
export function robustBaseline(values: readonly number[]): RobustBaseline | null {
  const xs = values.filter(Number.isFinite);
  const med = median(xs);
  if (med === null) return null;
  const mad = median(xs.map((x) => Math.abs(x - med)))!;
  return { median: med, mad, n: xs.length };
}

/**
 * Robust z-score (x − median) / scale with scale = max(1.4826·MAD, relativeFloor·|median|, absoluteFloor): the
 * floors keep a perfectly flat history (MAD 0) from turning a tiny move into an infinite z.
 * @example robustZ(30, { median: 10, mad: 2, n: 12 }, 0.05) // (30 − 10) / 2.9652 ≈ 6.74
 */
export function robustZ(x: number, b: RobustBaseline, relativeFloor: number, absoluteFloor = 1e-9): number {
  const scale = Math.max(MAD_TO_SD * b.mad, relativeFloor * Math.abs(b.median), absoluteFloor);
  return (x - b.median) / scale;
}
