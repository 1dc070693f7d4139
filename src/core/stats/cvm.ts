/**
 * Two-sample Cramér–von Mises test, as SciPy `cramervonmises_2samp` and Evidently's copy of it
 * (`cramer_von_mises_stattest.py`) — methods.md section 1.12.
 *
 * @module
 */

/**
 * `'auto'` picks exact when max(n, m) <= `exactMaxN` (Evidently: 10, the default here; SciPy: 20),
 * else asymptotic.
 */
export type CvmMethod = 'auto' | 'exact' | 'asymptotic';

export interface CvmResult {
  /** T = U/(n m N) − (4nm − 1)/(6N). */
  statistic: number;
  pValue: number;
  method: 'exact' | 'asymptotic';
}

/** Evidently's auto rule: exact if max(n, m) <= 10. */
export const CVM_EXACT_MAX_N_EVIDENTLY = 10;
/** SciPy's auto rule: exact if max(n, m) <= 20. */
export const CVM_EXACT_MAX_N_SCIPY = 20;

/**
 * `e^q · K_ν(q)` for q > 0 by the integral `∫_0^∞ exp(−q(cosh t − 1)) cosh(ν t) dt` (DLMF 10.32.9),
 * with the trapezoid rule — exponentially convergent for this analytic, doubly-exponentially decaying
 * integrand (step <= σ/2 of its Gaussian core, cut where the integrand is below e^-60).
 *
 * Hand-written because no maintained JavaScript library offers K_ν for fractional ν (@stdlib has only
 * J0/J1/Y0/Y1); needed only for ν = 1/4 in the CvM limiting distribution. Checked against SciPy
 * `kve(0.25, q)` to 1e-13 relative in cvm.test.ts.
 */
export function scaledBesselK(nu: number, q: number): number {
  if (!(q > 0)) throw new RangeError(`scaledBesselK needs q > 0 (got ${q})`);
  const h = Math.min(0.125, 0.5 / Math.sqrt(q));
  // Upper limit: q(cosh T − 1) − ν T >= 60.
  let T = h;
  while (q * (Math.cosh(T) - 1) - Math.abs(nu) * T < 60) T += h;
  let sum = 0.5; // t = 0 term, halved (the integrand is even: trapezoid on [0, ∞))
  for (let t = h; t <= T; t += h) {
    const s = Math.sinh(t / 2);
    sum += Math.exp(-2 * q * s * s) * Math.cosh(nu * t);
  }
  return sum * h;
}

/**
 * CDF of the limiting distribution of the Cramér–von Mises statistic (Csörgő & Faraway 1996, eq. 1.2):
 * `Σ_k Γ(k+½)/(Γ(k+1) π^{3/2} √x) · √(4k+1) · e^{−q} K_{1/4}(q)`, `q = (4k+1)²/(16x)`, summed until a
 * term is below 1e-7 (SciPy `_cdf_cvm_inf`). Not accurate for x > ~4 where it is ~1.
 *
 * Edge cases: x <= 0 → 0.
 */
export function cvmLimitCdf(x: number): number {
  if (!(x > 0)) return 0;
  let total = 0;
  let gammaRatio = Math.sqrt(Math.PI); // Γ(k+½)/Γ(k+1) at k = 0
  for (let k = 0; k < 10_000; k++) {
    if (k > 0) gammaRatio *= (k - 0.5) / k;
    const y = 4 * k + 1;
    const q = (y * y) / (16 * x);
    // e^{−q} K_{1/4}(q) = e^{−2q} · (e^{q} K_{1/4}(q))
    const term =
      (gammaRatio / (Math.PI ** 1.5 * Math.sqrt(x))) *
      Math.sqrt(y) *
      Math.exp(-2 * q) *
      scaledBesselK(0.25, q);
    total += term;
    if (Math.abs(term) < 1e-7) break;
  }
  return total;
}

/** U = n Σ (r_x(i) − i)² + m Σ (r_y(j) − j)² with pooled midranks, in one merge pass (compensated sums). */
function uStatistic(x: Float64Array, y: Float64Array): number {
  const nx = x.length;
  const ny = y.length;
  let i = 0;
  let j = 0;
  let below = 0;
  const sx = { sum: 0, c: 0 };
  const sy = { sum: 0, c: 0 };
  while (i < nx || j < ny) {
    const v = j >= ny || (i < nx && x[i]! <= y[j]!) ? x[i]! : y[j]!;
    const i0 = i;
    const j0 = j;
    while (i < nx && x[i]! <= v) i++;
    while (j < ny && y[j]! <= v) j++;
    const tie = i - i0 + (j - j0);
    const midrank = below + (tie + 1) / 2;
    for (let p = i0; p < i; p++) addCompensated(sx, (midrank - (p + 1)) ** 2);
    for (let p = j0; p < j; p++) addCompensated(sy, (midrank - (p + 1)) ** 2);
    below += tie;
  }
  return nx * (sx.sum + sx.c) + ny * (sy.sum + sy.c);
}

function addCompensated(acc: { sum: number; c: number }, v: number): void {
  const t = acc.sum + v;
  acc.c += Math.abs(acc.sum) >= Math.abs(v) ? acc.sum - t + v : v - t + acc.sum;
  acc.sum = t;
}

function gcd(a: number, b: number): number {
  let x = a;
  let y = b;
  while (y) [x, y] = [y, x % y];
  return x;
}

function binomial(n: number, k: number): number {
  let r = 1;
  for (let i = 1; i <= k; i++) r = (r * (n - k + i)) / i;
  return Math.round(r);
}

/**
 * Exact p-value `P(U' >= U)` over all C(m+n, m) rank splits, by the frequency-table recursion of Xiao,
 * Gordon & Yakovlev (2006), J. Stat. Softw. 17(8), Algorithm 1 (SciPy `_pval_cvm_2samp_exact`).
 */
function exactPValue(u: number, m: number, n: number): number {
  const lcm = (m / gcd(m, n)) * n;
  const a = lcm / m;
  const b = lcm / n;
  const mn = m * n;
  // zeta = floor(lcm²(m+n)(6U − mn(4mn−1)) / (6 m² n²)), in exact integers (4U is an integer: midranks).
  const u4 = Math.round(4 * u);
  const num = lcm * lcm * (m + n) * (6 * u4 - 4 * mn * (4 * mn - 1));
  const den = 24 * mn * mn;
  let zeta = Math.floor(num / den);
  if (zeta * den > num) zeta -= 1;
  else if ((zeta + 1) * den <= num) zeta += 1;

  let gs: Map<number, number>[] = [new Map([[0, 1]])];
  for (let v = 1; v <= m; v++) gs.push(new Map());
  for (let uu = 0; uu <= n; uu++) {
    const next: Map<number, number>[] = [];
    let tmp = new Map<number, number>();
    for (let v = 0; v <= m; v++) {
      const merged = new Map(tmp);
      for (const [val, freq] of gs[v]!) merged.set(val, (merged.get(val) ?? 0) + freq);
      const shift = (a * v - b * uu) ** 2;
      tmp = new Map();
      for (const [val, freq] of merged) tmp.set(val + shift, freq);
      next.push(tmp);
    }
    gs = next;
  }
  let hits = 0;
  for (const [val, freq] of gs[m]!) if (val >= zeta) hits += freq;
  return hits / binomial(m + n, m);
}

/**
 * Two-sample Cramér–von Mises test on **ascending** samples. Midranks `r` of the pooled sample,
 * `U = n Σ (r_x(i) − i)² + m Σ (r_y(j) − j)²`, `T = U/(nmN) − (4nm − 1)/(6N)`. Exact p: share of all
 * rank splits with `U' >= U`. Asymptotic: `Tn = 1/6 + (T − E_T)/sqrt(45 Var_T)` against the limiting
 * distribution, `p = 1` when `Tn < 0.003` (methods.md 1.12). O(N) after sorting (asymptotic path).
 * Evidently flags drift when `p <= 0.1`.
 *
 * Edge cases: a sample with fewer than 2 observations → RangeError; the exact path is meant for small
 * samples (its cost grows roughly like (n m)² — `'auto'` keeps it at max(n, m) <= 20).
 *
 * @example cramerVonMisesSorted(x, y, { method: 'exact' }) // methods.md 1.12: T 0.420751633987, p 0.069436445907
 */
export function cramerVonMisesSorted(
  x: Float64Array,
  y: Float64Array,
  opts: { method?: CvmMethod; exactMaxN?: number } = {},
): CvmResult {
  const nx = x.length;
  const ny = y.length;
  if (nx <= 1 || ny <= 1)
    throw new RangeError(`Cramér-von Mises needs at least 2 observations per sample (ref ${nx}, cur ${ny})`);
  const method = opts.method ?? 'auto';
  const exactMaxN = opts.exactMaxN ?? CVM_EXACT_MAX_N_EVIDENTLY;
  const mode: 'exact' | 'asymptotic' =
    method === 'auto' ? (Math.max(nx, ny) > exactMaxN ? 'asymptotic' : 'exact') : method;
  const u = uStatistic(x, y);
  const k = nx * ny;
  const N = nx + ny;
  const t = u / (k * N) - (4 * k - 1) / (6 * N);
  if (mode === 'exact') return { statistic: t, pValue: exactPValue(u, nx, ny), method: 'exact' };
  const et = (1 + 1 / N) / 6;
  const vt = ((N + 1) * (4 * k * N - 3 * (nx * nx + ny * ny) - 2 * k)) / (45 * N * N * 4 * k);
  const tn = 1 / 6 + (t - et) / Math.sqrt(45 * vt);
  const p = tn < 0.003 ? 1 : Math.max(0, 1 - cvmLimitCdf(tn));
  return { statistic: t, pValue: Math.min(p, 1), method: 'asymptotic' };
}
