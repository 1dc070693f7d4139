/**
 * Two-sample Kolmogorov–Smirnov test with the exact two-sided p-value, as `scipy.stats.ks_2samp(a, b,
 * method='exact')` computes it (methods.md §1.1, §4.7). KSWIN needs it on two windows of 30 values.
 *
 * The statistic is `D = max |F_a(t) − F_b(t)|` over the pooled values with right-continuous ECDFs (ties are
 * handled in D). The p-value is `P(D' ≥ D)` over all `C(n+m, n)` equally likely interleavings of the two samples:
 * a lattice-path count done with probabilities (so it never overflows), with D snapped to the lattice
 * `h / lcm(n, m)` as SciPy does. The exact distribution assumes continuous data; with ties it is conservative.
 */

export interface KsResult {
  statistic: number;
  pValue: number;
}

function gcd(a: number, b: number): number {
  while (b !== 0) [a, b] = [b, a % b];
  return a;
}

/** D of the two-sample KS test; both inputs must be non-empty and free of NaN. */
export function ksStatistic(a: readonly number[], b: readonly number[]): number {
  const x = [...a].sort((p, q) => p - q);
  const y = [...b].sort((p, q) => p - q);
  let i = 0;
  let j = 0;
  let d = 0;
  while (i < x.length && j < y.length) {
    const t = Math.min(x[i]!, y[j]!);
    while (i < x.length && x[i]! <= t) i++;
    while (j < y.length && y[j]! <= t) j++;
    d = Math.max(d, Math.abs(i / x.length - j / y.length));
  }
  return d;
}

/**
 * Exact two-sided p-value `P(D ≥ d)` for sample sizes n and m under H0 (continuous data).
 * Returns 1 when d snaps to 0. Cost O(n·m).
 */
export function ksExactPValue(d: number, n: number, m: number): number {
  if (!Number.isInteger(n) || !Number.isInteger(m) || n < 1 || m < 1)
    throw new RangeError(`ksExactPValue: n and m must be integers ≥ 1, got ${n} and ${m}.`);
  const g = gcd(n, m);
  const a = m / g;
  const b = n / g;
  const lcm = (n / g) * m;
  const h = Math.round(d * lcm);
  if (h <= 0) return 1;
  // prob[j] = probability that a random path reaches (i, j) staying strictly inside |i·a − j·b| < h.
  let prob = new Float64Array(m + 1);
  prob[0] = 1;
  for (let j = 1; j <= m; j++) {
    const inside = Math.abs(-j * b) < h;
    prob[j] = inside ? prob[j - 1]! * ((m - (j - 1)) / (n + m - (j - 1))) : 0;
  }
  for (let i = 1; i <= n; i++) {
    const next = new Float64Array(m + 1);
    for (let j = 0; j <= m; j++) {
      if (Math.abs(i * a - j * b) >= h) continue;
      // Arrive by an a-step from (i−1, j) or a b-step from (i, j−1).
      const fromA = prob[j]! * ((n - (i - 1)) / (n + m - (i - 1) - j));
      const fromB = j > 0 ? next[j - 1]! * ((m - (j - 1)) / (n + m - i - (j - 1))) : 0;
      next[j] = fromA + fromB;
    }
    prob = next;
  }
  return Math.min(1, Math.max(0, 1 - prob[m]!));
}

/** Two-sample KS test, two-sided, exact p-value. Throws naming the sample when one is empty or holds NaN. */
export function ksTwoSampleExact(a: readonly number[], b: readonly number[]): KsResult {
  for (const [name, s] of [
    ['a', a],
    ['b', b],
  ] as const) {
    if (s.length === 0) throw new RangeError(`ksTwoSampleExact: sample ${name} is empty.`);
    if (s.some((v) => !Number.isFinite(v)))
      throw new RangeError(`ksTwoSampleExact: sample ${name} holds a non-finite value.`);
  }
  const statistic = ksStatistic(a, b);
  return { statistic, pValue: ksExactPValue(statistic, a.length, b.length) };
}
