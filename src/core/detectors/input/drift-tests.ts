/**
 * @module
 * One column compared between two profiles (a reference or a previous window against the current window), as
 * the input detectors need it: a significance test, an effect size, and Evidently's automatic choice for the
 * figures (methods.md 1.13, 6).
 *
 * - Numbers: significance by the two-sample KS from the two KLL sketches with the conservative p-value
 *   (computed from D̂ − ε_R − ε_C, so sketch error never makes drift); effect size by PSI on bins cut at the
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
import { columnProfileDrift } from '../../profile/profile-drift.js';
import type { DriftMethod } from '../../stats/index.js';
import { chiSquareContingency, jsDistanceFromProportions } from '../../stats/index.js';

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
    const full = columnProfileDrift(ref, cur, { kinds: { [feature]: 'numerical' } });
    const ks = full.measures.find((x) => x.method === 'ks');
    const psi = full.measures.find((x) => x.method === 'psi');
    if (!ks || !full.drift)
      return { status: 'insufficient_data', feature, kind, reason: full.reason ?? 'no KS result' };
    return {
      status: 'tested',
      test: {
        feature,
        kind,
        test: { method: 'ks', pValue: ks.score, statistic: Number(ks.detail?.statistic ?? 0) },
        // Non-finite values leave only KS; its D̂ then stands in as the effect.
        effect: psi
          ? { method: 'psi', score: psi.score }
          : { method: 'psi', score: Number(ks.detail?.statistic ?? 0) },
        chosen: { method: full.drift.method, score: full.drift.score, drifted: full.drift.drifted },
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
      moved: {
        kind: 'categories',
        category: pooled.keys[top] ?? OTHER,
        before: p[top] ?? 0,
        after: q[top] ?? 0,
      },
    },
  };
}
