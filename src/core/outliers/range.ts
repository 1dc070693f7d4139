/**
 * @module
 * Per-feature out-of-range values against the reference's quantiles (methods.md §7.3), and unseen
 * categories.
 *
 * When to use: every numeric feature, every window — the cheapest edge-case and data-quality signal there
 * is. Fit keeps `lo = Q(q_lo)`, `hi = Q(q_hi)` (NumPy "linear" quantile) per feature, optionally widened by
 * `k·IQR`. A window's metric is the share of its values outside [lo, hi]; the one-sided binomial test asks
 * whether that share exceeds the expected share `q_lo + 1 − q_hi`. Assumptions: rows are independent
 * (serially correlated data makes the test anti-conservative: a burst of extremes is still a finding,
 * but its p-value overstates the evidence). Minimum sample: ~1/expected share reference rows (200 at the
 * defaults) so the quantiles exist; windows of any size (tiny windows simply lack power).
 */
import binomialCdf from '@stdlib/stats-base-dists-binomial-cdf';
import { quantileSorted } from '../stats/binning.js';
import { sortFloat64 } from '../stats/sort.js';

/** A column of a numeric feature; null, undefined and NaN count as missing. */
export type NumericColumn = ArrayLike<number | null | undefined>;

export interface RangeFitOptions {
  /** Lower quantile, default 0.005. */
  qLo?: number;
  /** Upper quantile, default 0.995. */
  qHi?: number;
  /** Widen [lo, hi] by `k·IQR` on each side (IQR = Q(0.75) − Q(0.25)); default 0 (no widening). */
  iqrWiden?: number;
}

export interface FeatureRange {
  feature: string;
  lo: number;
  hi: number;
  /** Share of values expected outside [lo, hi] under the reference: q_lo + 1 − q_hi, or (when widened)
   * the reference's own share outside, floored at 1/(n + 1). */
  expectedShare: number;
  nReference: number;
  /** Missing values in the reference (not used in the fit). */
  missingReference: number;
}

export interface RangeReference {
  qLo: number;
  qHi: number;
  iqrWiden: number;
  features: FeatureRange[];
}

export interface RangeEvaluateOptions {
  /** Significance level of the one-sided binomial test; default 0.01. */
  alpha?: number;
  /** `bonferroni` (default) divides alpha by the number of features tested; `none` does not. */
  correction?: 'bonferroni' | 'none';
  /** How many of the most extreme offending values to keep as evidence per side; default 5. */
  keepExtremes?: number;
}

export interface RangeFeatureResult {
  feature: string;
  lo: number;
  hi: number;
  /** Non-missing values in the window. */
  n: number;
  missing: number;
  below: number;
  above: number;
  /** (below + above) / n, null when n = 0. */
  share: number | null;
  expectedShare: number;
  /** P(X ≥ below + above) for X ~ Binomial(n, expectedShare); null when n = 0. */
  pValue: number | null;
  alert: boolean;
  /** The lowest values below lo and the highest above hi (evidence), most extreme first. */
  extremes: { below: number[]; above: number[] };
}

export interface RangeReport {
  /** The per-feature significance level after correction. */
  alpha: number;
  features: RangeFeatureResult[];
  /** Features that alert, by name. */
  alerts: string[];
}

function finiteSorted(values: NumericColumn): { sorted: Float64Array; missing: number } {
  const out: number[] = [];
  let missing = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (typeof v === 'number' && Number.isFinite(v)) out.push(v);
    else if (v === null || v === undefined || Number.isNaN(v)) missing++;
    else throw new Error(`value ${i} is not a finite number (${String(v)})`);
  }
  return { sorted: sortFloat64(Float64Array.from(out)), missing };
}

/**
 * Fits per-feature bounds on reference columns (methods.md §7.3). Errors name the feature and reason:
 * a feature with no finite value, quantiles out of order, or infinities. Edge cases: a constant
 * feature gets lo = hi = the constant (any other value is out of range).
 */
export function fitRange(
  reference: Readonly<Record<string, NumericColumn>>,
  options: RangeFitOptions = {},
): RangeReference {
  const qLo = options.qLo ?? 0.005;
  const qHi = options.qHi ?? 0.995;
  const k = options.iqrWiden ?? 0;
  if (!(qLo >= 0 && qLo < qHi && qHi <= 1))
    throw new Error(`range: need 0 ≤ qLo < qHi ≤ 1, got qLo = ${qLo}, qHi = ${qHi}`);
  if (!(k >= 0)) throw new Error(`range: iqrWiden must be ≥ 0, got ${k}`);
  const features: FeatureRange[] = [];
  for (const [feature, column] of Object.entries(reference)) {
    let fit: { sorted: Float64Array; missing: number };
    try {
      fit = finiteSorted(column);
    } catch (err) {
      throw new Error(`range: reference feature '${feature}': ${(err as Error).message}`);
    }
    const { sorted, missing } = fit;
    if (sorted.length === 0) throw new Error(`range: reference feature '${feature}' has no finite values`);
    let lo = quantileSorted(sorted, qLo);
    let hi = quantileSorted(sorted, qHi);
    let expectedShare = qLo + 1 - qHi;
    if (k > 0) {
      const iqr = quantileSorted(sorted, 0.75) - quantileSorted(sorted, 0.25);
      lo -= k * iqr;
      hi += k * iqr;
      let outside = 0;
      for (const x of sorted) if (x < lo || x > hi) outside++;
      expectedShare = Math.max(outside / sorted.length, 1 / (sorted.length + 1));
    }
    features.push({ feature, lo, hi, expectedShare, nReference: sorted.length, missingReference: missing });
  }
  return { qLo, qHi, iqrWiden: k, features };
}

/**
 * One-sided binomial test `P(X ≥ k)`, `X ~ Binomial(n, p)` (methods.md §7.3). Edge cases: k ≤ 0 → 1;
 * k > n → 0; p = 0 → 1 if k = 0 else 0.
 */
export function binomialUpperTail(k: number, n: number, p: number): number {
  if (k <= 0) return 1;
  if (k > n) return 0;
  if (p <= 0) return 0;
  if (p >= 1) return 1;
  return Math.min(1, Math.max(0, 1 - binomialCdf(k - 1, n, p)));
}

/**
 * Counts each feature's window values outside the reference bounds and tests the share against the
 * expected share (methods.md §7.3). Features of the reference missing from the window are reported with
 * n = 0 (no alert); window columns unknown to the reference are ignored.
 */
export function evaluateRange(
  reference: RangeReference,
  window: Readonly<Record<string, NumericColumn>>,
  options: RangeEvaluateOptions = {},
): RangeReport {
  const baseAlpha = options.alpha ?? 0.01;
  if (!(baseAlpha > 0 && baseAlpha < 1)) throw new Error(`range: alpha must be in (0, 1), got ${baseAlpha}`);
  const keep = options.keepExtremes ?? 5;
  const alpha =
    (options.correction ?? 'bonferroni') === 'bonferroni'
      ? baseAlpha / Math.max(1, reference.features.length)
      : baseAlpha;
  const features = reference.features.map((f): RangeFeatureResult => {
    const column = window[f.feature] ?? [];
    let sorted: Float64Array;
    let missing: number;
    try {
      ({ sorted, missing } = finiteSorted(column));
    } catch (err) {
      throw new Error(`range: window feature '${f.feature}': ${(err as Error).message}`);
    }
    const n = sorted.length;
    let below = 0;
    while (below < n && sorted[below]! < f.lo) below++;
    let above = 0;
    while (above < n - below && sorted[n - 1 - above]! > f.hi) above++;
    const outside = below + above;
    const pValue = n === 0 ? null : binomialUpperTail(outside, n, f.expectedShare);
    return {
      feature: f.feature,
      lo: f.lo,
      hi: f.hi,
      n,
      missing,
      below,
      above,
      share: n === 0 ? null : outside / n,
      expectedShare: f.expectedShare,
      pValue,
      alert: pValue !== null && pValue < alpha,
      extremes: {
        below: Array.from(sorted.subarray(0, Math.min(below, keep))),
        above: Array.from(sorted.subarray(n - Math.min(above, keep))).reverse(),
      },
    };
  });
  return { alpha, features, alerts: features.filter((f) => f.alert).map((f) => f.feature) };
}

export interface CategoryReport {
  feature: string;
  /** Non-missing values in the window. */
  n: number;
  unseen: number;
  /** unseen / n, null when n = 0. */
  share: number | null;
  alert: boolean;
  /** The most frequent unseen values with their counts, most frequent first (at most 10). */
  topUnseen: { value: string; count: number }[];
}

/**
 * Share of a window's categorical values never seen in the reference (methods.md §7.3, "new
 * categories"). Alerts when the share exceeds `maxShare` (default 0.01). null/undefined/'' are missing.
 */
export function evaluateCategories(
  feature: string,
  reference: Iterable<string | null | undefined>,
  window: Iterable<string | null | undefined>,
  maxShare = 0.01,
): CategoryReport {
  const known = new Set<string>();
  for (const v of reference) if (v !== null && v !== undefined && v !== '') known.add(v);
  const unseenCounts = new Map<string, number>();
  let n = 0;
  let unseen = 0;
  for (const v of window) {
    if (v === null || v === undefined || v === '') continue;
    n++;
    if (!known.has(v)) {
      unseen++;
      unseenCounts.set(v, (unseenCounts.get(v) ?? 0) + 1);
    }
  }
  const share = n === 0 ? null : unseen / n;
  const topUnseen = [...unseenCounts.entries()]
    .map(([value, count]) => ({ value, count }))
    .sort((a, b) => b.count - a.count || (a.value < b.value ? -1 : 1))
    .slice(0, 10);
  return { feature, n, unseen, share, alert: share !== null && share > maxShare, topUnseen };
}
