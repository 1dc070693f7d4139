/**
 * @module
 * Feature skew between training and serving rows of the same entities (TFDV `feature_skew_detector`,
 * methods.md §9): rows are joined on an identifier, and every feature is compared value by value.
 *
 * When to use: the training pipeline and the serving pipeline compute the same features separately, and
 * some serving rows can be matched to training rows (logged serving features of entities that were also
 * in the training set, or a replay of training entities through the serving path). Any mismatch means the
 * two pipelines disagree; the typical serving/training ratio then often names the bug (a unit change).
 * Minimum sample: a few dozen joined rows per feature for the ratio to mean something.
 *
 * Counts per feature follow TFDV: over joined pairs, `matchCount` (equal after rounding floats to
 * `roundDigits`), `mismatchCount` (present on both sides, different), `baseOnly` (present in training
 * only), `testOnly` (serving only), `diffCount = baseOnly + testOnly + mismatchCount`. Ids that occur more
 * than once on a side cannot be joined unambiguously: TFDV rejects them, here they are counted and left out.
 */
import { type Cell, type Columns, columnLength, isMissing } from '../multivariate/columns.js';
import { follows, formatFactor, type UnitRelation, unitRelations } from './unit-factors.js';

export interface FeatureSkewOptions {
  /** Identifier column(s) to join on; every one must be present in a row for it to join. */
  id: string | readonly string[];
  /** Features to compare; default: every column of either side but the ids. */
  features?: readonly string[];
  /** Round numbers to this many decimals before comparing (TFDV `float_round_ndigits`); default: exact. */
  roundDigits?: number;
  /** Mismatching pairs kept per feature as evidence; default 5. */
  sampleSize?: number;
  /** Relative tolerance when testing a unit relation on a pair; default 0.01. */
  unitTolerance?: number;
  /** Share of joined pairs (present on both sides) that must follow a unit relation to report it; default 0.5. */
  minUnitShare?: number;
}

export interface JoinSummary {
  trainingRows: number;
  servingRows: number;
  /** Rows with a missing identifier (TFDV `examples_with_missing_identifier_features`). */
  missingIdTraining: number;
  missingIdServing: number;
  /** Distinct ids seen more than once on a side (left out of the join). */
  duplicateIdsTraining: number;
  duplicateIdsServing: number;
  /** Ids joined (unique on both sides). */
  joined: number;
  /** Unique ids found only in training / only in serving (ids duplicated on the other side excluded). */
  trainingOnlyIds: number;
  servingOnlyIds: number;
}

export interface SkewSample {
  id: string;
  training: Cell;
  serving: Cell;
}

export interface UnitExplanation extends UnitRelation {
  /** Share of joined pairs (both present) that follow the relation. */
  share: number;
  /** Pairs both present. */
  pairs: number;
}

export interface FeatureSkewResult {
  feature: string;
  /** Joined pairs where the feature is present in training / in serving. */
  trainingCount: number;
  servingCount: number;
  matchCount: number;
  mismatchCount: number;
  baseOnly: number;
  testOnly: number;
  diffCount: number;
  /** mismatch / (match + mismatch); null when no pair has the feature on both sides. */
  mismatchShare: number | null;
  /** Median of serving/training over numeric mismatches with training ≠ 0; null when there are none. */
  medianRatio: number | null;
  /** The unit relation most joined pairs follow, when one explains the mismatches; else null. */
  unit: UnitExplanation | null;
  /** One plain sentence, or null when the feature matches everywhere. */
  explanation: string | null;
  samples: SkewSample[];
}

export interface FeatureSkewReport {
  join: JoinSummary;
  /** Features with any difference first (by diffCount, descending), then the rest by name. */
  features: FeatureSkewResult[];
}

function roundTo(x: number, digits: number | undefined): number {
  if (digits === undefined || !Number.isFinite(x)) return x;
  // toFixed rounds the exact binary value half away from zero; Python's round() differs only on exact
  // binary ties such as 0.125 → 0.12
  return Number(x.toFixed(digits));
}

function sameValue(a: Cell, b: Cell, digits: number | undefined): boolean {
  if (typeof a === 'number' && typeof b === 'number') return roundTo(a, digits) === roundTo(b, digits);
  return a === b;
}

function idKey(columns: Columns, ids: readonly string[], row: number): string | null {
  const parts: string[] = [];
  for (const name of ids) {
    const v = columns[name]![row];
    if (isMissing(v)) return null;
    parts.push(String(v));
  }
  return parts.join('\u0000');
}

function indexById(
  columns: Columns,
  ids: readonly string[],
  n: number,
): { index: Map<string, number>; missing: number; duplicates: Set<string> } {
  const index = new Map<string, number>();
  const duplicates = new Set<string>();
  let missing = 0;
  for (let i = 0; i < n; i++) {
    const key = idKey(columns, ids, i);
    if (key === null) missing++;
    else if (index.has(key)) duplicates.add(key);
    else index.set(key, i);
  }
  for (const key of duplicates) index.delete(key);
  return { index, missing, duplicates };
}

/** Unique ids of one side absent from the other (ids duplicated on the other side are not "only" here). */
function countOnly(
  index: Map<string, number>,
  other: { index: Map<string, number>; duplicates: Set<string> },
): number {
  let k = 0;
  for (const key of index.keys()) if (!other.index.has(key) && !other.duplicates.has(key)) k++;
  return k;
}

function median(xs: number[]): number | null {
  if (xs.length === 0) return null;
  const s = [...xs].sort((a, b) => a - b);
  const h = (s.length - 1) / 2;
  return (s[Math.floor(h)]! + s[Math.ceil(h)]!) / 2;
}

function percent(share: number): string {
  const p = share * 100;
  return p >= 99.95 && share < 1 ? '99.9' : p.toFixed(p >= 10 ? 0 : 1);
}

/**
 * Joins serving rows to training rows on the id column(s) and compares every feature (methods.md §9).
 * Errors name the side and the column: an id column missing on a side, mismatched column lengths.
 * Edge cases: no joined id → every feature has zero counts and null shares; non-numeric values are
 * compared exactly (strings, booleans); a number and a string never match.
 */
export function featureSkew(
  training: Columns,
  serving: Columns,
  options: FeatureSkewOptions,
): FeatureSkewReport {
  const ids = typeof options.id === 'string' ? [options.id] : [...options.id];
  if (ids.length === 0) throw new Error('feature skew: at least one id column is needed');
  const nt = columnLength(training, 'feature skew training');
  const ns = columnLength(serving, 'feature skew serving');
  for (const id of ids) {
    if (!(id in training)) throw new Error(`feature skew: training has no id column '${id}'`);
    if (!(id in serving)) throw new Error(`feature skew: serving has no id column '${id}'`);
  }
  const digits = options.roundDigits;
  if (digits !== undefined && !(Number.isInteger(digits) && digits >= 0 && digits <= 20))
    throw new Error(`feature skew: roundDigits must be an integer in [0, 20], got ${digits}`);
  const sampleSize = options.sampleSize ?? 5;
  const tol = options.unitTolerance ?? 0.01;
  const minUnitShare = options.minUnitShare ?? 0.5;
  const features =
    options.features ??
    [...new Set([...Object.keys(training), ...Object.keys(serving)])].filter((f) => !ids.includes(f));

  const t = indexById(training, ids, nt);
  const s = indexById(serving, ids, ns);
  const pairs: { key: string; ti: number; si: number }[] = [];
  for (let si = 0; si < ns; si++) {
    const key = idKey(serving, ids, si);
    if (key === null || !s.index.has(key)) continue;
    const ti = t.index.get(key);
    if (ti !== undefined) pairs.push({ key, ti, si });
  }
  const join: JoinSummary = {
    trainingRows: nt,
    servingRows: ns,
    missingIdTraining: t.missing,
    missingIdServing: s.missing,
    duplicateIdsTraining: t.duplicates.size,
    duplicateIdsServing: s.duplicates.size,
    joined: pairs.length,
    trainingOnlyIds: countOnly(t.index, s),
    servingOnlyIds: countOnly(s.index, t),
  };

  const relations = unitRelations();
  const results = features.map((feature): FeatureSkewResult => {
    const tc = training[feature];
    const sc = serving[feature];
    let trainingCount = 0;
    let servingCount = 0;
    let matchCount = 0;
    let mismatchCount = 0;
    let baseOnly = 0;
    let testOnly = 0;
    const ratios: number[] = [];
    const numericPairs: [number, number][] = [];
    const samples: SkewSample[] = [];
    for (const { key, ti, si } of pairs) {
      const a = tc ? tc[ti] : undefined;
      const b = sc ? sc[si] : undefined;
      const hasA = !isMissing(a);
      const hasB = !isMissing(b);
      if (hasA) trainingCount++;
      if (hasB) servingCount++;
      if (hasA && hasB) {
        if (typeof a === 'number' && typeof b === 'number') numericPairs.push([a, b]);
        if (sameValue(a, b, digits)) matchCount++;
        else {
          mismatchCount++;
          if (typeof a === 'number' && typeof b === 'number' && a !== 0) ratios.push(b / a);
          if (samples.length < sampleSize)
            samples.push({ id: key.replaceAll('\u0000', ' | '), training: a, serving: b });
        }
      } else if (hasA) baseOnly++;
      else if (hasB) testOnly++;
    }
    const both = matchCount + mismatchCount;
    let unit: UnitExplanation | null = null;
    if (mismatchCount > 0 && numericPairs.length > 0) {
      for (const relation of relations) {
        let k = 0;
        for (const [a, b] of numericPairs) if (follows(relation, a, b, tol)) k++;
        const share = k / numericPairs.length;
        // a relation must explain more pairs than plain equality does, and at least minUnitShare of them
        if (share >= minUnitShare && k > matchCount && (!unit || share > unit.share))
          unit = { ...relation, share, pairs: numericPairs.length };
      }
    }
    const medianRatio = median(ratios);
    const diffCount = baseOnly + testOnly + mismatchCount;
    let explanation: string | null = null;
    if (unit)
      explanation = `${unit.meaning}: ${unit.formula} for ${percent(unit.share)} % of joined rows of \`${feature}\``;
    else if (mismatchCount > 0)
      explanation =
        `${percent(mismatchCount / both)} % of joined rows of \`${feature}\` differ between serving and training` +
        (medianRatio !== null ? ` (median ratio serving/training ${formatFactor(medianRatio)})` : '');
    else if (baseOnly + testOnly > 0)
      explanation = `\`${feature}\` is missing on one side for ${baseOnly + testOnly} joined rows (training only ${baseOnly}, serving only ${testOnly})`;
    return {
      feature,
      trainingCount,
      servingCount,
      matchCount,
      mismatchCount,
      baseOnly,
      testOnly,
      diffCount,
      mismatchShare: both === 0 ? null : mismatchCount / both,
      medianRatio,
      unit,
      explanation,
      samples,
    };
  });
  results.sort(
    (x, y) => y.diffCount - x.diffCount || (x.feature < y.feature ? -1 : x.feature > y.feature ? 1 : 0),
  );
  return { join, features: results };
}
