/**
 * @module
 * One-sided binomial tails for counts (errors out of requests, an instance's requests out of all), from the
 * @stdlib binomial CDF. The upper tail is computed as a lower tail of the complement, so small tails keep their
 * precision instead of vanishing in 1 − CDF.
 */
import binomialCdf from '@stdlib/stats-base-dists-binomial-cdf';

/**
 * P(X ≥ k) for X ~ Binomial(n, p). Counts are rounded to integers. Edge cases: k ≤ 0 → 1; k > n → 0; p = 0 → 0
 * for k ≥ 1; p = 1 → 1.
 * @example binomialUpperTail(3, 10, 0.1) // ≈ 0.0702 (scipy.stats.binom.sf(2, 10, 0.1))
 */
export function binomialUpperTail(k: number, n: number, p: number): number {
  const kk = Math.round(k);
  const nn = Math.round(n);
  if (kk <= 0) return 1;
  if (kk > nn) return 0;
  if (p <= 0) return 0;
  if (p >= 1) return 1;
  // X ≥ k  ⇔  n − X ≤ n − k, and n − X ~ Binomial(n, 1 − p).
  return binomialCdf(nn - kk, nn, 1 - p);
}

/**
 * P(X ≤ k) for X ~ Binomial(n, p). Counts are rounded to integers. Edge cases: k < 0 → 0; k ≥ n → 1.
 * @example binomialLowerTail(0, 10, 0.5) // 0.0009765625
 */
export function binomialLowerTail(k: number, n: number, p: number): number {
  const kk = Math.round(k);
  const nn = Math.round(n);
  if (kk < 0) return 0;
  if (kk >= nn) return 1;
  if (p <= 0) return 1;
  if (p >= 1) return 0;
  return binomialCdf(kk, nn, p);
}
