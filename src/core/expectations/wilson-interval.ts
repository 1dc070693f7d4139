/**
 * @module
 * The Wilson score interval for a binomial proportion (Wilson 1927), the confidence stated with error rates,
 * accuracy, precision and recall in expectation evaluations. It behaves well near 0 and 1, where the normal
 * (Wald) interval collapses to a point.
 */
import normalQuantile from '@stdlib/stats-base-dists-normal-quantile';

export interface ProportionInterval {
  lower: number;
  upper: number;
  /** Confidence level, e.g. 0.95. */
  level: number;
}

/**
 * Wilson score interval for `successes` out of `n` trials at confidence `level` (two-sided, no continuity
 * correction), matching `scipy.stats.binomtest(k, n).proportion_ci(level, method='wilson')`.
 * Bounds are clipped to [0, 1], and are exactly 0 when `successes = 0` and exactly 1 when `successes = n`.
 * Returns null when n = 0. Throws on negative or non-integer counts, successes > n, or a level outside (0, 1).
 * @example wilsonInterval(5, 10) // => { lower: 0.2365930905, upper: 0.7634069095, level: 0.95 }
 */
export function wilsonInterval(successes: number, n: number, level = 0.95): ProportionInterval | null {
  if (!Number.isInteger(n) || n < 0)
    throw new Error(`wilsonInterval: n must be a whole number ≥ 0, got ${n}`);
  if (!Number.isInteger(successes) || successes < 0 || successes > n)
    throw new Error(`wilsonInterval: successes must be a whole number in [0, n], got ${successes} of ${n}`);
  if (!(level > 0 && level < 1)) throw new Error(`wilsonInterval: level must be in (0, 1), got ${level}`);
  if (n === 0) return null;
  const z = normalQuantile(1 - (1 - level) / 2, 0, 1);
  const z2 = z * z;
  const p = successes / n;
  const denom = 1 + z2 / n;
  const center = (p + z2 / (2 * n)) / denom;
  const half = (z / denom) * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n));
  return {
    lower: successes === 0 ? 0 : Math.max(0, center - half),
    upper: successes === n ? 1 : Math.min(1, center + half),
    level,
  };
}
