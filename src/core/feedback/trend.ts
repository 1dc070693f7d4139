/**
 * Trend tests over a per-window metric series (methods.md §8, "Detecting a loop over time"): is the Gini of
 * exposure, the head's share or the tail's hit rate drifting one way across windows?
 *
 * - `olsTrend`: least-squares slope per window with its two-sided p-value from Student's t with n − 2 degrees of
 *   freedom (`scipy.stats.linregress`).
 * - `kendallTau`: Kendall's τ-b between two series with SciPy's p-value (`scipy.stats.kendalltau`,
 *   method 'auto': exact when there are no ties and n ≤ 33, else the tie-corrected normal approximation).
 * - `mannKendall`: the Mann–Kendall trend test on one series (S statistic, tie-corrected variance, continuity
 *   correction, two-sided normal p-value) — the usual rank test for monotone trend in monitoring series.
 */
import normalCdf from '@stdlib/stats-base-dists-normal-cdf';
import tCdf from '@stdlib/stats-base-dists-t-cdf';

export interface OlsTrend {
  n: number;
  slope: number;
  intercept: number;
  /** Standard error of the slope; null when n < 3. */
  stderr: number | null;
  /** t statistic of the slope; null when n < 3 or the fit is exact. */
  t: number | null;
  /** Two-sided p-value for slope ≠ 0; null when n < 3. */
  pValue: number | null;
}

function checkSeries(y: readonly number[], fn: string, name = 'y'): void {
  for (let i = 0; i < y.length; i++)
    if (!Number.isFinite(y[i]!))
      throw new RangeError(`${fn}: ${name}[${i}] must be a finite number, got ${y[i]}.`);
}

/**
 * Ordinary least-squares line through `(x_i, y_i)` (x defaults to 0, 1, 2, …: one step per window) with the
 * slope's standard error and two-sided t-test p-value on n − 2 degrees of freedom, as `scipy.stats.linregress`.
 * Edge cases: fewer than 2 points or constant x throws; n = 2 gives null stderr/t/p; an exact fit gives p = 0
 * (p = 1 when the slope is also 0) and t null.
 */
export function olsTrend(y: readonly number[], x?: readonly number[]): OlsTrend {
  const n = y.length;
  checkSeries(y, 'olsTrend');
  const xs = x ?? Array.from({ length: n }, (_, i) => i);
  if (xs.length !== n)
    throw new RangeError(`olsTrend: x and y must have the same length, got ${xs.length} and ${n}.`);
  checkSeries(xs, 'olsTrend', 'x');
  if (n < 2) throw new RangeError(`olsTrend: needs at least 2 points, got ${n}.`);
  let mx = 0;
  let my = 0;
  for (let i = 0; i < n; i++) {
    mx += xs[i]!;
    my += y[i]!;
  }
  mx /= n;
  my /= n;
  let sxx = 0;
  let sxy = 0;
  let syy = 0;
  for (let i = 0; i < n; i++) {
    const dx = xs[i]! - mx;
    const dy = y[i]! - my;
    sxx += dx * dx;
    sxy += dx * dy;
    syy += dy * dy;
  }
  if (sxx === 0) throw new RangeError('olsTrend: x is constant, the slope is undefined.');
  const slope = sxy / sxx;
  const intercept = my - slope * mx;
  if (n < 3) return { n, slope, intercept, stderr: null, t: null, pValue: null };
  const df = n - 2;
  const sse = Math.max(0, syy - slope * sxy);
  const stderr = Math.sqrt(sse / df / sxx);
  if (stderr === 0) return { n, slope, intercept, stderr: 0, t: null, pValue: slope === 0 ? 1 : 0 };
  const t = slope / stderr;
  return { n, slope, intercept, stderr, t, pValue: Math.min(1, 2 * tCdf(-Math.abs(t), df)) };
}

export interface KendallTau {
  n: number;
  /** τ-b; null when either series is constant. */
  tau: number | null;
  pValue: number | null;
  method: 'exact' | 'asymptotic';
}

/**
 * Two-sided p-value of `n` untied items with `c = min(concordant, discordant)`: `min(1, 2·P(I ≤ c))` where I is
 * the number of inversions of a uniformly random permutation (Kendall 1970; `scipy.stats.mstats_basic._kendall_p_exact`).
 * The inversion distribution is built one item at a time with probabilities, so nothing overflows.
 */
export function kendallExactPValue(n: number, c: number): number {
  const tot = (n * (n - 1)) / 2;
  c = Math.min(c, tot - c);
  if (n <= 2) return 1;
  let dist = new Float64Array(c + 1);
  dist[0] = 1;
  for (let j = 2; j <= n; j++) {
    // Adding item j adds 0..j−1 inversions with equal probability: a moving sum of width j.
    const next = new Float64Array(c + 1);
    let window = 0;
    for (let k = 0; k <= c; k++) {
      window += dist[k]!;
      if (k - j >= 0) window -= dist[k - j]!;
      next[k] = window / j;
    }
    dist = next;
  }
  let p = 0;
  for (let k = 0; k <= c; k++) p += dist[k]!;
  return Math.min(1, 2 * p);
}

function tieSums(values: readonly number[]): { pairs: number; t2: number; t5: number } {
  const counts = new Map<number, number>();
  for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
  let pairs = 0;
  let t2 = 0;
  let t5 = 0;
  for (const t of counts.values()) {
    if (t < 2) continue;
    pairs += (t * (t - 1)) / 2;
    t2 += t * (t - 1) * (t - 2);
    t5 += t * (t - 1) * (2 * t + 5);
  }
  return { pairs, t2, t5 };
}

/**
 * Kendall's τ-b of x and y with the p-value of `scipy.stats.kendalltau(x, y)` (method 'auto'). O(n²), meant for
 * series of windows. Edge cases: fewer than 2 points throws; a constant series gives null τ and p.
 */
export function kendallTau(x: readonly number[], y: readonly number[]): KendallTau {
  const n = x.length;
  if (y.length !== n)
    throw new RangeError(`kendallTau: x and y must have the same length, got ${n} and ${y.length}.`);
  checkSeries(x, 'kendallTau', 'x');
  checkSeries(y, 'kendallTau', 'y');
  if (n < 2) throw new RangeError(`kendallTau: needs at least 2 points, got ${n}.`);
  let con = 0;
  let dis = 0;
  for (let i = 0; i < n; i++)
    for (let j = i + 1; j < n; j++) {
      const s = Math.sign(x[j]! - x[i]!) * Math.sign(y[j]! - y[i]!);
      if (s > 0) con++;
      else if (s < 0) dis++;
    }
  const tot = (n * (n - 1)) / 2;
  const tx = tieSums(x);
  const ty = tieSums(y);
  if (tx.pairs === tot || ty.pairs === tot) return { n, tau: null, pValue: null, method: 'asymptotic' };
  const cmd = con - dis;
  const tau = Math.max(-1, Math.min(1, cmd / Math.sqrt(tot - tx.pairs) / Math.sqrt(tot - ty.pairs)));
  const noTies = tx.pairs === 0 && ty.pairs === 0;
  if (noTies && (n <= 33 || Math.min(dis, tot - dis) <= 1))
    return { n, tau, pValue: kendallExactPValue(n, tot - dis), method: 'exact' };
  const m = n * (n - 1);
  const variance =
    (m * (2 * n + 5) - tx.t5 - ty.t5) / 18 +
    (2 * tx.pairs * ty.pairs) / m +
    (tx.t2 * ty.t2) / (9 * m * (n - 2));
  const z = cmd / Math.sqrt(variance);
  return { n, tau, pValue: Math.min(1, 2 * normalCdf(-Math.abs(z), 0, 1)), method: 'asymptotic' };
}

export interface MannKendall {
  n: number;
  /** S = Σ_{i<j} sign(y_j − y_i). */
  s: number;
  /** Var(S) with the tie correction `[n(n−1)(2n+5) − Σ t(t−1)(2t+5)] / 18`. */
  variance: number;
  /** (S − 1)/√Var for S > 0, (S + 1)/√Var for S < 0, 0 otherwise. */
  z: number;
  pValue: number;
  trend: 'increasing' | 'decreasing' | 'none';
}

/**
 * Mann–Kendall test for a monotone trend in one series against time (Mann 1945, Kendall 1975), two-sided at
 * `alpha` (default 0.05) for the `trend` label. Normal approximation with continuity correction; with fewer than
 * ~8 points the normal approximation is rough — use `kendallTau(time, y)` for its exact p-value there.
 * Edge cases: fewer than 2 points throws; a constant series gives S = 0, z = 0, p = 1.
 */
export function mannKendall(y: readonly number[], alpha = 0.05): MannKendall {
  const n = y.length;
  checkSeries(y, 'mannKendall');
  if (n < 2) throw new RangeError(`mannKendall: needs at least 2 points, got ${n}.`);
  let s = 0;
  for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) s += Math.sign(y[j]! - y[i]!);
  const variance = (n * (n - 1) * (2 * n + 5) - tieSums(y).t5) / 18;
  const z = variance === 0 || s === 0 ? 0 : (s > 0 ? s - 1 : s + 1) / Math.sqrt(variance);
  const pValue = Math.min(1, 2 * normalCdf(-Math.abs(z), 0, 1));
  const trend = pValue < alpha ? (s > 0 ? 'increasing' : 'decreasing') : 'none';
  return { n, s, variance, z, pValue, trend };
}
