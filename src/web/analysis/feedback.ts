/**
 * @module
 * Feedback-loop figures per window for a recommender (methods.md 8), from what the collector keeps: each
 * window's uniform sample of predictions (their ranked `output.items` and, once joined, the label = the item the
 * user wanted) and its exact counts of feedback actions. Exposure counts every listed item once per list.
 *
 * Item popularity (for the long tail and the popularity buckets) is the exposure in the reference windows —
 * the first quarter of the range — standing in for training popularity, which the collector does not hold.
 * Figures from samples are estimates; each comes with the number of lists it rests on.
 */
import type { WindowSummary } from '../../core/contract/index.js';
import { catalogueCounts, catalogueCoverage, exposureGini } from '../../core/feedback/exposure.js';
import {
  averagePercentageLongTail,
  type HitCase,
  hitRateByPopularity,
  splitHeadTail,
} from '../../core/feedback/long-tail.js';
import { referenceRange } from './drift.js';

interface SampleRow {
  output?: { items?: unknown[] } | null;
  label?: unknown;
}

/** The ranked lists (and wanted items, when labelled) sampled in each window of the axis. */
export function sampledLists(groups: readonly WindowSummary[][]): { lists: string[][]; cases: HitCase[] }[] {
  return groups.map((g) => {
    const lists: string[][] = [];
    const cases: HitCase[] = [];
    for (const w of g)
      for (const r of (w.sample?.rows ?? []) as SampleRow[]) {
        const items = r.output?.items;
        if (!Array.isArray(items) || items.length === 0) continue;
        const list = items.map((i) => String(i));
        lists.push(list);
        if (r.label !== null && r.label !== undefined) cases.push({ target: String(r.label), ranked: list });
      }
    return { lists, cases };
  });
}

export interface FeedbackSeries {
  /** Lists in each window's sample. */
  lists: number[];
  gini: (number | null)[];
  coverage: (number | null)[];
  /** Average share of long-tail items per list (APLT). */
  longTailShare: (number | null)[];
  /** Hit rate@k of cases whose wanted item is in the less / more popular half of the catalogue. */
  tailHitRate: (number | null)[];
  headHitRate: (number | null)[];
  /** Click-through: clicked / shown from the exact feedback counts; null when nothing was shown. */
  ctr: (number | null)[];
  catalogueSize: number;
  tailSize: number;
  reference: { from: number; to: number } | null;
}

/** Hit rates are read at this cut-off. */
export const HIT_RATE_K = 10;

export function feedbackSeries(groups: readonly WindowSummary[][]): FeedbackSeries {
  const sampled = sampledLists(groups);
  const reference = referenceRange(groups);
  const popularity = new Map<string, number>();
  const catalogue = new Set<string>();
  sampled.forEach((s, i) => {
    const inRef = reference !== null && i >= reference.from && i < reference.to;
    for (const l of s.lists)
      for (const item of l) {
        catalogue.add(item);
        if (inRef) popularity.set(item, (popularity.get(item) ?? 0) + 1);
      }
  });
  // Items first seen after the reference have popularity 0: they belong to the tail.
  for (const item of catalogue) if (!popularity.has(item)) popularity.set(item, 0);
  const items = [...catalogue].sort();
  const split =
    popularity.size > 0 ? splitHeadTail(popularity) : { head: new Set<string>(), tail: new Set<string>() };
  const out: FeedbackSeries = {
    lists: [],
    gini: [],
    coverage: [],
    longTailShare: [],
    tailHitRate: [],
    headHitRate: [],
    ctr: [],
    catalogueSize: items.length,
    tailSize: split.tail.size,
    reference,
  };
  sampled.forEach((s, i) => {
    const exposures = new Map<string, number>();
    for (const l of s.lists) for (const item of l) exposures.set(item, (exposures.get(item) ?? 0) + 1);
    const counts = catalogueCounts(exposures, items);
    out.lists.push(s.lists.length);
    out.gini.push(s.lists.length > 0 ? exposureGini(counts) : null);
    out.coverage.push(s.lists.length > 0 ? catalogueCoverage(counts) : null);
    out.longTailShare.push(averagePercentageLongTail(s.lists, split.tail));
    if (s.cases.length > 0 && popularity.size > 1) {
      const b = hitRateByPopularity(s.cases, popularity, HIT_RATE_K, 2);
      out.tailHitRate.push(b[0]?.hitRate ?? null);
      out.headHitRate.push(b.length > 1 ? (b[b.length - 1]?.hitRate ?? null) : null);
    } else {
      out.tailHitRate.push(null);
      out.headHitRate.push(null);
    }
    const g = groups[i] ?? [];
    const shown = g.reduce((a, w) => a + (w.feedback.actions.shown ?? 0), 0);
    const clicked = g.reduce((a, w) => a + (w.feedback.actions.clicked ?? 0), 0);
    out.ctr.push(shown > 0 ? clicked / shown : null);
  });
  return out;
}
