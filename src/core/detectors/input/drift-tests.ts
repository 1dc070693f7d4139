/**
 * @module
 * One column compared between two profiles (a reference or a previous window against the current window), as
 * the input detectors need it: a significance test, an effect size, and Evidently's automatic choice for the
 * figures (methods.md 1.13, 6).
 *
 * - Numbers: significance by the two-sample KS from the two KLL sketches with the conservative asymptotic
 *   p-value (computed from D̂ − ε_R − ε_C, so sketch error never makes drift); effect size by PSI on bins cut at the
 *   reference deciles (methods.md 1.4, 6). Deciles are robust to outliers: a few extreme values land in the
 *   outer bins and move PSI little, so tails are left to the edge-case detectors and drift means the bulk moved.
 * - Categories and booleans: categories holding less than `minCategoryShare` of the reference, untracked ones
 *   and categories the reference never had are pooled into one "(other)" bin (sparse expected counts make the
 *   chi-square anti-conservative); significance by the chi-square test of homogeneity on the 2×K table
 *   (methods.md 1.8), effect size by the Jensen–Shannon distance (base 2) of the pooled proportions (1.6).
 *
 * Edge cases: fewer than `minRows` present values on a side → `insufficient_data`; datetime, text and id
 * columns → `not_applicable` (no univariate test).
 */
import type { ColumnProfile } from '../../profile/column-profile.js';
import {
  binnedFromSketches,
  columnProfileDrift,
  wassersteinFromSketches,
} from '../../profile/profile-drift.js';
import { seededRng } from '../../rng.js';
import type { KllSketch } from '../../sketch/kll.js';
import type { DriftMethod } from '../../stats/index.js';
import {
  chiSquareContingency,
  chooseMethod,
  DEFAULT_THRESHOLDS,
  jsDistanceFromProportions,
  ksPValue,
} from '../../stats/index.js';

export type TestedKind = 'numerical' | 'categorical' | 'boolean';

export interface DriftTestOptions {
  /** Fewest present values per side (default 100). */
  minRows: number;
  /** Reference share under which a category is pooled into "(other)" (default 0.01). */
  minCategoryShare: number;
  /** The column's kind; default: what the two profiles hold. */
  kind?: TestedKind | undefined;
}

export const DRIFT_TEST_DEFAULTS: Readonly<DriftTestOptions> = { minRows: 100, minCategoryShare: 0.01 };

/** The comparison of one column: significance, effect size, the automatic method's figure, and what moved. */
export interface ColumnDriftTest {
  feature: string;
  kind: TestedKind;
  /** Conservative sketch KS p-value (numbers) or chi-square homogeneity p-value (categories). */
  test: { method: 'ks' | 'chisquare'; pValue: number; statistic: number | null };
  /** PSI on reference deciles (numbers) or JS distance of pooled proportions (categories). */
  effect: { method: 'psi' | 'jensenshannon'; score: number };
  /** Evidently's automatic choice and its own verdict, for the drift figures. */
  chosen: { method: DriftMethod; score: number; drifted: boolean };
  referenceN: number;
  currentN: number;
  /** Categories compared after pooling (with "(other)"), those present on either side; absent for numbers. */
  categories?: number;
  /** What moved: quantiles before/after for numbers, the category whose share changed most for categories. */
  moved: MovedSummary;
}

export type MovedSummary =
  | {
      kind: 'numbers';
      before: { p10: number; p50: number; p90: number };
      after: { p10: number; p50: number; p90: number };
    }
  | { kind: 'categories'; category: string; before: number; after: number };

export type ColumnTestResult =
  | { status: 'tested'; test: ColumnDriftTest }
  | {
      status: 'insufficient_data' | 'not_applicable';
      feature: string;
      kind: string;
      reason: string;
    };

const OTHER = '(other)';

function presentNumbers(c: ColumnProfile): number {
  return c.kll.n;
}

function quantiles(c: ColumnProfile): { p10: number; p50: number; p90: number } {
  const [p10, p50, p90] = c.kll.quantiles([0.1, 0.5, 0.9]) ?? [Number.NaN, Number.NaN, Number.NaN];
  return { p10: p10!, p50: p50!, p90: p90! };
}

/**
 * Two-sample KS from two KLL sketches: D̂ at the union of retained values, and the conservative p-value of
 * max(0, D̂ − ε_R − ε_C) (methods.md 6). The p-value is the asymptotic one (`kstwo` with n·m/(n+m), methods.md
 * 1.1 step 3) whatever the sizes: the exact recursion costs O(n·m) per column and window, and the sketch bound
 * already makes the test conservative.
 */
export function sketchKs(
  ref: KllSketch,
  cur: KllSketch,
): { statistic: number; pValue: number; bound: number } {
  const a = ref.retainedValues();
  const b = cur.retainedValues();
  const points = Float64Array.from(new Set([...a, ...b])).sort();
  const fr = ref.cdf(points)!;
  const fc = cur.cdf(points)!;
  let d = 0;
  for (let i = 0; i < points.length; i++) d = Math.max(d, Math.abs(fr[i]! - fc[i]!));
  const bound = ref.normalizedRankError(false) + cur.normalizedRankError(false);
  const p = ksPValue(Math.max(0, d - bound), ref.n, cur.n, 'asymp').pValue;
  return { statistic: d, pValue: p, bound };
}

/** Evidently's automatic choice for numbers (methods.md 1.13) and its score, for the drift figures. */
function chosenNumerical(
  ref: ColumnProfile,
  cur: ColumnProfile,
  ks: { pValue: number },
  finite: boolean,
): ColumnDriftTest['chosen'] {
  let distinct = ref.distinct().estimate;
  try {
    distinct = ref.clone(seededRng(0)).merge(cur).distinct().estimate;
  } catch {
    // Profiles of different settings do not merge; the reference's count stands in.
  }
  const method = chooseMethod('numerical', ref.count, Math.round(distinct));
  if (method === 'ks') return { method, score: ks.pValue, drifted: ks.pValue <= DEFAULT_THRESHOLDS.ks };
  if (!finite) return { method: 'ks', score: ks.pValue, drifted: ks.pValue <= DEFAULT_THRESHOLDS.ks };
  const r =
    method === 'wasserstein'
      ? wassersteinFromSketches(ref.kll, cur.kll, Math.sqrt(ref.moments.m2 / Math.max(1, ref.moments.count)))
      : method === 'jensenshannon' || method === 'psi'
        ? binnedFromSketches(ref.kll, cur.kll, method, { bins: 10 })
        : null;
  if (r) return { method, score: r.score, drifted: r.drifted };
  // z-test or chi-square on a few distinct numbers: the columns' own category test.
  const full = columnProfileDrift(ref, cur, { kinds: { [ref.name]: 'numerical' } });
  return full.drift
    ? { method: full.drift.method, score: full.drift.score, drifted: full.drift.drifted }
    : { method: 'ks', score: ks.pValue, drifted: ks.pValue <= DEFAULT_THRESHOLDS.ks };
}

/** Pooled category counts of both sides (see the module comment), keys in a stable order. */
export function pooledCategories(
  ref: ColumnProfile,
  cur: ColumnProfile,
  minCategoryShare: number,
): { keys: string[]; ref: number[]; cur: number[] } {
  const rc = ref.categoryCounts();
  const cc = cur.categoryCounts();
  const kept = [...rc.counts.entries()]
    .filter(([, n]) => rc.total > 0 && n / rc.total >= minCategoryShare)
    .map(([k]) => k)
    .sort();
  const r = kept.map((k) => rc.counts.get(k) ?? 0);
  const c = kept.map((k) => cc.counts.get(k) ?? 0);
  const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
  const rOther = rc.total - sum(r);
  const cOther = cc.total - sum(c);
  if (rOther > 0 || cOther > 0) {
    kept.push(OTHER);
    r.push(rOther);
    c.push(cOther);
  }
  return { keys: kept, ref: r, cur: c };
}

/**
 * Compares one column of a reference profile with the same column of a current profile (module comment).
 * @example compareColumn(refProfile.column('distance')!, curProfile.column('distance')!).status // 'tested'
 */
export function compareColumn(
  ref: ColumnProfile,
  cur: ColumnProfile,
  options: Partial<DriftTestOptions> = {},
): ColumnTestResult {
  const o = { ...DRIFT_TEST_DEFAULTS, ...options };
  const feature = ref.name;
  const inferred = o.kind ?? ref.kind();
  if (inferred !== 'numerical' && inferred !== 'categorical' && inferred !== 'boolean')
    return {
      status: 'not_applicable',
      feature,
      kind: inferred,
      reason: `${inferred} columns have no univariate drift test`,
    };
  const kind: TestedKind = inferred;
  if (kind === 'numerical') {
    const n = presentNumbers(ref);
    const m = presentNumbers(cur);
    if (n < o.minRows || m < o.minRows)
      return {
        status: 'insufficient_data',
        feature,
        kind,
        reason: `${Math.min(n, m)} numbers on the ${n < o.minRows ? 'baseline' : 'current'} side, fewer than ${o.minRows}`,
      };
    const ks = sketchKs(ref.kll, cur.kll);
    const finite = [ref.kll.min!, ref.kll.max!, cur.kll.min!, cur.kll.max!].every(Number.isFinite);
    const psi = finite ? binnedFromSketches(ref.kll, cur.kll, 'psi', { bins: 10 }).score : null;
    return {
      status: 'tested',
      test: {
        feature,
        kind,
        test: { method: 'ks', pValue: ks.pValue, statistic: ks.statistic },
        // Non-finite values leave only KS; its D̂ then stands in as the effect.
        effect: { method: 'psi', score: psi ?? ks.statistic },
        chosen: chosenNumerical(ref, cur, ks, finite),
        referenceN: n,
        currentN: m,
        moved: { kind: 'numbers', before: quantiles(ref), after: quantiles(cur) },
      },
    };
  }
  const rc = ref.categoryCounts();
  const cc = cur.categoryCounts();
  if (rc.total < o.minRows || cc.total < o.minRows)
    return {
      status: 'insufficient_data',
      feature,
      kind,
      reason: `${Math.min(rc.total, cc.total)} values on the ${rc.total < o.minRows ? 'baseline' : 'current'} side, fewer than ${o.minRows}`,
    };
  const pooled = pooledCategories(ref, cur, o.minCategoryShare);
  const chi = chiSquareContingency(pooled.ref, pooled.cur);
  const rTotal = pooled.ref.reduce((a, b) => a + b, 0);
  const cTotal = pooled.cur.reduce((a, b) => a + b, 0);
  const p = pooled.ref.map((x) => x / rTotal);
  const q = pooled.cur.map((x) => x / cTotal);
  const js = jsDistanceFromProportions(p, q, 2);
  let top = 0;
  for (let i = 1; i < p.length; i++) if (Math.abs(q[i]! - p[i]!) > Math.abs(q[top]! - p[top]!)) top = i;
  const full = columnProfileDrift(ref, cur, { kinds: { [feature]: kind } });
  return {
    status: 'tested',
    test: {
      feature,
      kind,
      test: { method: 'chisquare', pValue: chi.pValue, statistic: chi.statistic },
      effect: { method: 'jensenshannon', score: js },
      chosen: full.drift
        ? { method: full.drift.method, score: full.drift.score, drifted: full.drift.drifted }
        : { method: 'jensenshannon', score: js, drifted: false },
      referenceN: rc.total,
      currentN: cc.total,
      categories: pooled.keys.filter((_, i) => pooled.ref[i]! + pooled.cur[i]! > 0).length,
      moved: {
        kind: 'categories',
        category: pooled.keys[top] ?? OTHER,
        before: p[top] ?? 0,
        after: q[top] ?? 0,
      },
    },
  };
}
