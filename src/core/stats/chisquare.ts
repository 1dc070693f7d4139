/**
 * Chi-square tests on category counts and the two-proportion z-test (methods.md sections 1.8 and 1.9).
 * Special functions come from @stdlib.
 *
 * @module
 */
import erfc from '@stdlib/math-base-special-erfc';
import gammainc from '@stdlib/math-base-special-gammainc';

/**
 * Chi-square survival function `P(X >= x)`, X ~ χ²(df): the regularised upper incomplete gamma
 * `Q(df/2, x/2)` (@stdlib `gammainc(x/2, df/2, true, true)`) — methods.md 1.8.
 *
 * Edge cases: `x <= 0` → 1; `x = +∞` → 0; `df` must be > 0 (RangeError otherwise).
 *
 * @example chi2Sf(3.5, 2) // 0.173773943450 (= e^{-1.75})
 */
export function chi2Sf(x: number, df: number): number {
  if (!(df > 0) || !Number.isFinite(df))
    throw new RangeError(`chi-square degrees of freedom must be > 0 (got ${df})`);
  if (Number.isNaN(x)) throw new RangeError('chi-square statistic is NaN');
  if (x <= 0) return 1;
  if (x === Number.POSITIVE_INFINITY) return 0;
  return gammainc(x / 2, df / 2, true, true);
}

export interface ChiSquareResult {
  /** χ² statistic; null when it is infinite (a category expected 0 times was observed). */
  statistic: number | null;
  pValue: number;
  df: number;
}

/**
 * Evidently `chisquare` goodness of fit: current counts against reference proportions scaled to the
 * current total, `χ² = Σ (obs − exp)²/exp`, `exp_k = ref_k · (Σcur / Σref)`, `df = K − 1`,
 * `p = chi2.sf(χ², df)` (SciPy `chisquare`) — methods.md 1.8.
 *
 * Deviation, documented: Evidently scales by the row counts *including* missing values, which makes SciPy
 * reject the input when missing shares differ; here the non-missing totals are used.
 *
 * Edge cases: a category with reference count 0 but current count > 0 → statistic null (∞), p = 0 (a new
 * category is drift); categories 0 on both sides are ignored; K = 1 → statistic 0, p = 1; a zero total →
 * RangeError.
 *
 * @example chiSquareGoodnessOfFit([50, 30, 20], [30, 45, 25]) // χ² 16.75, p 2.30559867592e-4
 */
export function chiSquareGoodnessOfFit(
  refCounts: ArrayLike<number>,
  curCounts: ArrayLike<number>,
): ChiSquareResult {
  checkCounts(refCounts, curCounts, 'chi-square');
  const k = refCounts.length;
  const n = sum(refCounts);
  const m = sum(curCounts);
  const scale = m / n;
  let stat = 0;
  let cells = 0;
  let newCategory = false;
  for (let i = 0; i < k; i++) {
    const obs = curCounts[i]!;
    const exp = refCounts[i]! * scale;
    if (exp === 0 && obs === 0) continue;
    cells++;
    if (exp === 0) newCategory = true;
    else stat += (obs - exp) ** 2 / exp;
  }
  const df = cells - 1;
  if (newCategory) return { statistic: null, pValue: 0, df };
  if (df <= 0) return { statistic: 0, pValue: 1, df: 0 };
  return { statistic: stat, pValue: chi2Sf(stat, df), df };
}

/**
 * Chi-square test of homogeneity on the 2×K contingency table `[ref counts; cur counts]`, SciPy
 * `chi2_contingency` (NannyML `chi2`, alibi-detect `ChiSquareDrift`): `E_ij = row_i·col_j/N`,
 * `df = K − 1`, with **Yates' continuity correction when df = 1** (each |O − E| reduced by
 * min(0.5, |O − E|)) — methods.md 1.8. Categories 0 on both sides are dropped first.
 *
 * Edge cases: fewer than 2 non-empty categories → statistic 0, p 1; a zero row total → RangeError.
 *
 * @example chiSquareContingency([60, 40], [45, 55]) // χ² 3.929824561404, p 0.047436892825 (Yates)
 */
export function chiSquareContingency(
  refCounts: ArrayLike<number>,
  curCounts: ArrayLike<number>,
  opts: { yates?: boolean } = {},
): ChiSquareResult {
  checkCounts(refCounts, curCounts, 'chi-square contingency');
  const cols: number[] = [];
  for (let i = 0; i < refCounts.length; i++) if (refCounts[i]! + curCounts[i]! > 0) cols.push(i);
  const df = cols.length - 1;
  if (df <= 0) return { statistic: 0, pValue: 1, df: 0 };
  const rowR = sum(refCounts);
  const rowC = sum(curCounts);
  const total = rowR + rowC;
  const yates = (opts.yates ?? true) && df === 1;
  let stat = 0;
  for (const i of cols) {
    const col = refCounts[i]! + curCounts[i]!;
    for (const [obs, row] of [
      [refCounts[i]!, rowR],
      [curCounts[i]!, rowC],
    ] as const) {
      const exp = (row * col) / total;
      let diff = obs - exp;
      if (yates) diff = Math.sign(diff) * Math.max(Math.abs(diff) - 0.5, 0);
      stat += (diff * diff) / exp;
    }
  }
  return { statistic: stat, pValue: chi2Sf(stat, df), df };
}

export interface ZTestResult {
  /** z statistic (null when undefined: pooled proportion 0 or 1). */
  statistic: number | null;
  pValue: number;
}

/**
 * Two-sided z-test for two proportions (Evidently `z_stattest.py`): `p1 = k1/n1`, `p2 = k2/n2`, pooled
 * `P = (k1+k2)/(n1+n2)`, `z = (p1 − p2)/sqrt(P(1−P)(1/n1 + 1/n2))`, `p = 2(1 − Φ(|z|))` computed as
 * `erfc(|z|/√2)` (same value, no cancellation in the tail) — methods.md 1.9.
 *
 * Edge cases: P ∈ {0, 1} (both samples constant) → p = 1 when p1 = p2, else 0; counts must satisfy
 * 0 <= k <= n and n > 0 (RangeError otherwise).
 *
 * @example zTestProportions(40, 100, 55, 100) // { statistic: −2.123976976214, pValue: 0.033672068856 }
 */
export function zTestProportions(k1: number, n1: number, k2: number, n2: number): ZTestResult {
  for (const [name, k, n] of [
    ['reference', k1, n1],
    ['current', k2, n2],
  ] as const) {
    if (!(n > 0 && Number.isFinite(n))) throw new RangeError(`z-test: ${name} size must be > 0 (got ${n})`);
    if (!(k >= 0 && k <= n)) throw new RangeError(`z-test: ${name} count ${k} is outside [0, ${n}]`);
  }
  const p1 = k1 / n1;
  const p2 = k2 / n2;
  const P = (p1 * n1 + p2 * n2) / (n1 + n2);
  const denom = Math.sqrt(P * (1 - P) * (1 / n1 + 1 / n2));
  if (!(denom > 0)) return { statistic: null, pValue: p1 === p2 ? 1 : 0 };
  const z = (p1 - p2) / denom;
  return { statistic: z, pValue: Math.min(erfc(Math.abs(z) / Math.SQRT2), 1) };
}

function sum(a: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]!;
  return s;
}

function checkCounts(ref: ArrayLike<number>, cur: ArrayLike<number>, what: string): void {
  if (ref.length !== cur.length)
    throw new RangeError(`${what}: count vectors differ in length (${ref.length} vs ${cur.length})`);
  for (const [side, a] of [
    ['reference', ref],
    ['current', cur],
  ] as const) {
    let total = 0;
    for (let i = 0; i < a.length; i++) {
      const c = a[i]!;
      if (!(c >= 0 && Number.isFinite(c))) throw new RangeError(`${what}: ${side} count [${i}] is ${c}`);
      total += c;
    }
    if (total === 0) throw new RangeError(`${what}: ${side} counts sum to 0`);
  }
}
