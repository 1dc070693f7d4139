/**
 * @module
 * Detects a numeric feature whose unit or scale changed between a reference and a current sample, with
 * no join needed: the current quantiles equal a known transform of the reference quantiles (× 10^k,
 * cents vs dollars, g vs kg, °F vs °C, …) while the untransformed ones do not.
 *
 * When to use: alongside drift tests, to turn "the distribution of `amount` drifted" into "`amount` is now
 * sent in cents". Assumptions: the population is otherwise stable (a unit change and a real shift at the
 * same time will not match). Minimum sample: 30 values per side (default); deciles of smaller samples
 * are too noisy.
 *
 * Test: quantiles at 5, 10, 25, 50, 75, 90, 95 % of both samples (NumPy "linear"); for every relation R,
 * discrepancy = max_p |q_cur(p) − R(q_ref(p))| / spread, spread = q_cur(0.9) − q_cur(0.1) (or the
 * largest |quantile| when that is 0). A unit change is reported when the best relation's discrepancy is
 * ≤ `tolerance` (0.1) and the identity's is > 3 × `tolerance` — the relation explains the change and
 * something did change.
 */
import { type Cell, type Columns, isMissing } from '../multivariate/columns.js';
import { quantileSorted } from '../stats/binning.js';
import { sortFloat64 } from '../stats/sort.js';
import { type UnitRelation, unitRelations } from './unit-factors.js';

export const UNIT_CHANGE_LEVELS = [0.05, 0.1, 0.25, 0.5, 0.75, 0.9, 0.95] as const;

export interface UnitChangeOptions {
  /** Largest discrepancy (share of the current 10–90 % spread) for a relation to match; default 0.1. */
  tolerance?: number;
  /** Fewest finite values per side to test; default 30. */
  minCount?: number;
}

export interface QuantileComparison {
  level: number;
  reference: number;
  current: number;
  /** The relation applied to the reference quantile. */
  predicted: number;
}

export interface UnitChangeResult {
  feature: string;
  nReference: number;
  nCurrent: number;
  /** true when a relation explains the change (see the module comment). */
  detected: boolean;
  /** The best-fitting non-identity relation, phrased current vs reference; null when too few values. */
  relation: UnitRelation | null;
  /** Its discrepancy (share of the current spread). */
  discrepancy: number | null;
  /** Discrepancy of "nothing changed". */
  identityDiscrepancy: number | null;
  /** median(current) / median(reference); null when the reference median is 0 or values are too few. */
  ratioOfMedians: number | null;
  quantiles: QuantileComparison[];
  /** Plain words when detected, else null. */
  explanation: string | null;
}

function finiteSorted(values: ArrayLike<unknown>, what: string): Float64Array {
  const out: number[] = [];
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (isMissing(v as Cell)) continue;
    if (typeof v !== 'number' || !Number.isFinite(v))
      throw new Error(`${what}, row ${i}: not a finite number (${String(v)})`);
    out.push(v);
  }
  return sortFloat64(Float64Array.from(out));
}

/** Rephrases a relation between training and serving as one between reference and current. */
export function asCurrentVsReference(r: UnitRelation): UnitRelation {
  const swap = (s: string) => s.replaceAll('serving', 'current').replaceAll('training', 'reference');
  return { ...r, formula: swap(r.formula), meaning: swap(r.meaning) };
}

const IDENTITY: UnitRelation = {
  slope: 1,
  intercept: 0,
  formula: 'current = reference',
  meaning: 'no change',
};

function fmt(x: number): string {
  return Number(x.toPrecision(4)).toString();
}

/**
 * Tests one feature for a unit or scale change between `reference` and `current` values (missing values
 * ignored). Errors name the feature and row of a non-numeric value.
 */
export function unitChange(
  feature: string,
  reference: ArrayLike<unknown>,
  current: ArrayLike<unknown>,
  options: UnitChangeOptions = {},
): UnitChangeResult {
  const tolerance = options.tolerance ?? 0.1;
  const minCount = options.minCount ?? 30;
  if (!(tolerance > 0)) throw new Error(`unit change: tolerance must be > 0, got ${tolerance}`);
  const ref = finiteSorted(reference, `unit change: reference '${feature}'`);
  const cur = finiteSorted(current, `unit change: current '${feature}'`);
  const base = { feature, nReference: ref.length, nCurrent: cur.length };
  if (ref.length < minCount || cur.length < minCount)
    return {
      ...base,
      detected: false,
      relation: null,
      discrepancy: null,
      identityDiscrepancy: null,
      ratioOfMedians: null,
      quantiles: [],
      explanation: null,
    };
  const qr = UNIT_CHANGE_LEVELS.map((p) => quantileSorted(ref, p));
  const qc = UNIT_CHANGE_LEVELS.map((p) => quantileSorted(cur, p));
  let spread = qc[5]! - qc[1]!;
  if (!(spread > 0)) spread = Math.max(...qc.map(Math.abs), 1e-12);
  const discrepancyOf = (r: UnitRelation): number => {
    let worst = 0;
    UNIT_CHANGE_LEVELS.forEach((_, k) => {
      // a negative slope reverses the order: the current p-quantile comes from the reference (1 − p)-quantile
      const from = r.slope >= 0 ? qr[k]! : qr[UNIT_CHANGE_LEVELS.length - 1 - k]!;
      worst = Math.max(worst, Math.abs(qc[k]! - (r.slope * from + r.intercept)) / spread);
    });
    return worst;
  };
  let best: UnitRelation | null = null;
  let bestD = Number.POSITIVE_INFINITY;
  for (const r of unitRelations()) {
    const d = discrepancyOf(r);
    if (d < bestD) [best, bestD] = [r, d];
  }
  const identityDiscrepancy = discrepancyOf(IDENTITY);
  const relation = best ? asCurrentVsReference(best) : null;
  const detected = relation !== null && bestD <= tolerance && identityDiscrepancy > 3 * tolerance;
  const median = (a: readonly number[]) => a[3]!;
  const ratioOfMedians = median(qr) !== 0 ? median(qc) / median(qr) : null;
  const quantiles = UNIT_CHANGE_LEVELS.map((level, k) => {
    const from = relation && relation.slope < 0 ? qr[UNIT_CHANGE_LEVELS.length - 1 - k]! : qr[k]!;
    return {
      level,
      reference: qr[k]!,
      current: qc[k]!,
      predicted: relation ? relation.slope * from + relation.intercept : qr[k]!,
    };
  });
  const explanation =
    detected && relation
      ? `\`${feature}\` changed unit or scale: ${relation.meaning} — ${relation.formula} ` +
        `(median ${fmt(median(qr))} → ${fmt(median(qc))}, 10 % ${fmt(qr[1]!)} → ${fmt(qc[1]!)}, ` +
        `90 % ${fmt(qr[5]!)} → ${fmt(qc[5]!)}; shape unchanged within ${(bestD * 100).toFixed(1)} % of the spread)`
      : null;
  return {
    ...base,
    detected,
    relation,
    discrepancy: bestD,
    identityDiscrepancy,
    ratioOfMedians,
    quantiles,
    explanation,
  };
}

/**
 * Runs {@link unitChange} on every column present on both sides whose values are numbers (columns holding
 * text are skipped). Detected changes come first.
 */
export function detectUnitChanges(
  reference: Columns,
  current: Columns,
  options: UnitChangeOptions = {},
): UnitChangeResult[] {
  const numeric = (col: ArrayLike<unknown>) => {
    let seen = false;
    for (let i = 0; i < col.length; i++) {
      const v = col[i];
      if (isMissing(v as Cell)) continue;
      if (typeof v !== 'number') return false;
      seen = true;
    }
    return seen;
  };
  const out: UnitChangeResult[] = [];
  for (const [feature, col] of Object.entries(reference)) {
    const other = current[feature];
    if (!other || !numeric(col) || !numeric(other)) continue;
    out.push(unitChange(feature, col, other, options));
  }
  return out.sort((a, b) => Number(b.detected) - Number(a.detected));
}
