/**
 * @module
 * Drift per feature over time (the heat map) and data quality per feature, from the profile summaries of the
 * windows in view. The reference is the version's registered reference data set when there is one; otherwise
 * the first quarter of the windows that have data (at least one window), so the dashboard compares "now" with
 * the start of the range the person chose. Each window is scored against it (PSI, see `distribution.ts`).
 */
import type { WindowSummary } from '../../core/contract/index.js';
import type { ColumnSummary } from '../../core/profile/profile-summary.js';
import {
  type Dist,
  distOf,
  driftScore,
  mergeDists,
  outOfRangeShare,
  unseenCategories,
} from './distribution.js';

export type ProfilePart = 'features' | 'outputs' | 'labels';

/** Column summaries of one part of a window summary (empty when the window was fetched without profiles). */
export function columnsOf(w: WindowSummary, part: ProfilePart): ColumnSummary[] {
  return (w.profiles?.[part] ?? []) as unknown as ColumnSummary[];
}

/** Per column: its pooled distribution in each window of the axis (null where the column has no values). */
export function columnDists(
  groups: readonly WindowSummary[][],
  part: ProfilePart,
): Map<string, (Dist | null)[]> {
  const names = new Set<string>();
  for (const g of groups) for (const w of g) for (const c of columnsOf(w, part)) names.add(c.name);
  const out = new Map<string, (Dist | null)[]>();
  for (const name of [...names].sort())
    out.set(
      name,
      groups.map((g) =>
        mergeDists(
          g.map((w) => columnsOf(w, part).find((c) => c.name === name)).map((c) => (c ? distOf(c) : null)),
        ),
      ),
    );
  return out;
}

/** Indices [from, to) of the reference windows: the first quarter (at least one) of those with predictions. */
export function referenceRange(groups: readonly WindowSummary[][]): { from: number; to: number } | null {
  const withData = groups.map((g, i) => (g.some((w) => w.predictions > 0) ? i : -1)).filter((i) => i >= 0);
  if (withData.length === 0) return null;
  const k = Math.max(1, Math.floor(withData.length / 4));
  return { from: withData[0]!, to: withData[k - 1]! + 1 };
}

export interface DriftMatrix {
  features: string[];
  /** scores[f][w]: PSI of feature f in window w against the reference; null where it cannot be computed. */
  scores: (number | null)[][];
  reference: { from: number; to: number } | null;
}

/**
 * The reference distribution of a column: from the version's registered reference data set when given (its
 * profile summary's columns), else from the reference windows of the range.
 */
function referenceDist(
  feature: string,
  perWindow: readonly (Dist | null)[],
  range: { from: number; to: number } | null,
  external: readonly ColumnSummary[] | null,
): Dist | null {
  if (external) {
    const c = external.find((x) => x.name === feature);
    return c ? distOf(c) : null;
  }
  return range ? mergeDists(perWindow.slice(range.from, range.to)) : null;
}

/**
 * The heat map: every feature's drift score in every window, features with the largest recent drift first.
 * `external` is a registered reference (profile summary columns); without it the first quarter of the range is
 * the reference.
 */
export function driftMatrix(
  groups: readonly WindowSummary[][],
  part: ProfilePart = 'features',
  external: readonly ColumnSummary[] | null = null,
): DriftMatrix {
  const dists = columnDists(groups, part);
  const reference = external ? null : referenceRange(groups);
  const rows: { feature: string; scores: (number | null)[] }[] = [];
  for (const [feature, perWindow] of dists) {
    const ref = referenceDist(feature, perWindow, reference, external);
    rows.push({ feature, scores: perWindow.map((d) => driftScore(ref, d).psi) });
  }
  const recent = (s: readonly (number | null)[]) => {
    const vals = s.filter((v): v is number => v !== null);
    return vals.length === 0 ? -1 : Math.max(...vals.slice(-3));
  };
  rows.sort((a, b) => recent(b.scores) - recent(a.scores) || (a.feature < b.feature ? -1 : 1));
  return { features: rows.map((r) => r.feature), scores: rows.map((r) => r.scores), reference };
}

export interface FeatureQuality {
  feature: string;
  kind: 'numeric' | 'categorical' | 'empty';
  /** Missing share in the reference windows and in the current (last quarter) windows. */
  missingReference: number | null;
  missingCurrent: number | null;
  /** Numeric: share of current values outside the reference's [1 %, 99 %] quantiles (≈ 0.02 when unchanged). */
  outOfRange: number | null;
  /** Categorical: categories the reference never had (null when its list is incomplete). */
  unseen: { item: string; count: number }[] | null;
  /** Drift of the current windows against the reference (PSI). */
  psi: number | null;
  /** Values the current windows carry of a type other than the column's main one (e.g. strings in a number). */
  typeMismatches: number;
}

const share = (d: Dist | null) => (d && d.count > 0 ? d.missing / d.count : null);

/** Indices [from, to) of the current windows: the last quarter (at least one) of those with predictions. */
export function currentRange(groups: readonly WindowSummary[][]): { from: number; to: number } | null {
  const withData = groups.map((g, i) => (g.some((w) => w.predictions > 0) ? i : -1)).filter((i) => i >= 0);
  if (withData.length === 0) return null;
  const k = Math.max(1, Math.floor(withData.length / 4));
  return { from: withData[withData.length - k]!, to: withData[withData.length - 1]! + 1 };
}

function mismatches(
  groups: readonly WindowSummary[][],
  range: { from: number; to: number },
  feature: string,
): number {
  let n = 0;
  for (const g of groups.slice(range.from, range.to))
    for (const w of g) {
      const c = columnsOf(w, 'features').find((x) => x.name === feature);
      if (!c) continue;
      const t = c.types;
      const numbers = t.integral + t.fractional;
      const total = numbers + t.boolean + t.string + t.datetime + t.other;
      const main = Math.max(numbers, t.boolean, t.string, t.datetime, t.other);
      n += total - main;
    }
  return n;
}

/** Data quality of each feature: reference against current (see `FeatureQuality`). */
export function featureQuality(
  groups: readonly WindowSummary[][],
  external: readonly ColumnSummary[] | null = null,
): FeatureQuality[] {
  const dists = columnDists(groups, 'features');
  const refRange = external ? null : referenceRange(groups);
  const curRange = currentRange(groups);
  const out: FeatureQuality[] = [];
  for (const [feature, perWindow] of dists) {
    const ref = referenceDist(feature, perWindow, refRange, external);
    const cur = curRange ? mergeDists(perWindow.slice(curRange.from, curRange.to)) : null;
    const kind = cur?.kind ?? ref?.kind ?? 'empty';
    out.push({
      feature,
      kind,
      missingReference: share(ref),
      missingCurrent: share(cur),
      outOfRange:
        ref?.kind === 'numeric' && cur?.kind === 'numeric' && ref.n > 0 && cur.n > 0
          ? outOfRangeShare(ref, cur)
          : null,
      unseen: ref?.kind === 'categorical' && cur?.kind === 'categorical' ? unseenCategories(ref, cur) : null,
      psi: driftScore(ref, cur).psi,
      typeMismatches: curRange ? mismatches(groups, curRange, feature) : 0,
    });
  }
  return out;
}

/** Missing share of each feature in each window (the data-quality chart). */
export function missingShareSeries(
  groups: readonly WindowSummary[][],
): { feature: string; values: (number | null)[] }[] {
  return [...columnDists(groups, 'features')].map(([feature, perWindow]) => ({
    feature,
    values: perWindow.map(share),
  }));
}
