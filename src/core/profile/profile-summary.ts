/**
 * @module
 * A plain, JSON-ready description of a profile (for `faultline profile show --json`, the API and the
 * dashboard): counts, moments, quantiles with their rank error, distinct count with bounds, top items with
 * bounds. Undefined values are null, never NaN.
 */
import type { TypeCounts } from './column-profile.js';
import type { DatasetProfile } from './dataset-profile.js';
import type { ProfileColumnKind, ProfileSettings } from './settings.js';

/** The quantiles a summary lists. */
export const SUMMARY_QUANTILES: readonly number[] = [0.01, 0.05, 0.1, 0.25, 0.5, 0.75, 0.9, 0.95, 0.99];

export interface NumberSummary {
  count: number;
  infinite: number;
  mean: number | null;
  /** Sample standard deviation (ddof = 1). */
  stddev: number | null;
  min: number | null;
  max: number | null;
  quantiles: { q: number; value: number }[];
  /** Rank error of each quantile at 99% confidence (0 while the sketch is exact). */
  rankError: number;
}

export interface ColumnSummary {
  name: string;
  kind: ProfileColumnKind;
  declaredKind: ProfileColumnKind | null;
  count: number;
  missing: number;
  /** missing / count, null for a column with no rows. */
  missingShare: number | null;
  types: TypeCounts;
  distinct: { estimate: number; lower: number; upper: number; exact: boolean };
  numbers: NumberSummary | null;
  times: { count: number; min: string; max: string } | null;
  topItems: { item: string; count: number; upperBound: number }[];
  /** Every item count is exact when this is 0. */
  itemsMaxError: number;
  histogram: { edges: number[]; counts: number[] } | null;
}

export interface ProfileSummary {
  rows: number;
  settings: ProfileSettings;
  sampleRows: number;
  columns: ColumnSummary[];
}

/** Summarises a profile; `topItems` limits the listed items per column (default 10). */
export function summarizeProfile(
  profile: DatasetProfile,
  options: { topItems?: number } = {},
): ProfileSummary {
  const limit = options.topItems ?? 10;
  const columns = profile.columns().map((c): ColumnSummary => {
    const count = c.count;
    const m = c.moments.summary();
    const kll = c.kll;
    const numbers: NumberSummary | null =
      c.numberCount === 0
        ? null
        : {
            count: c.numberCount,
            infinite: c.infiniteCount,
            mean: m.mean,
            stddev: m.stddev,
            min: kll.min,
            max: kll.max,
            quantiles: SUMMARY_QUANTILES.map((q) => ({ q, value: kll.quantile(q)! })),
            rankError: kll.normalizedRankError(false),
          };
    const t = c.timeMoments;
    const times =
      t.count === 0
        ? null
        : { count: t.count, min: new Date(t.min!).toISOString(), max: new Date(t.max!).toISOString() };
    const cats = c.categoryCounts();
    const topItems = [...cats.counts]
      .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
      .slice(0, limit)
      .map(([item, n]) => ({ item, count: n, upperBound: n + cats.maxError }));
    const h = c.histogram;
    return {
      name: c.name,
      kind: c.kind(),
      declaredKind: c.declaredKind ?? null,
      count,
      missing: c.missing,
      missingShare: count === 0 ? null : c.missing / count,
      types: c.typeCounts(),
      distinct: c.distinct(),
      numbers,
      times,
      topItems,
      itemsMaxError: cats.maxError,
      histogram: h ? { edges: [...h.edges], counts: h.counts() } : null,
    };
  });
  return {
    rows: profile.rowCount,
    settings: { ...profile.settings },
    sampleRows: profile.sample().length,
    columns,
  };
}
