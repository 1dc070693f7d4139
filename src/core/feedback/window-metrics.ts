/**
 * The per-window figures the feedback-loop detector follows, computed from what a recommender logged in one
 * window: impressions per item, the lists shown, and (when known) what each user actually wanted.
 */
import { catalogueCoverage, exposureGini, topShare } from './exposure.js';
import {
  averagePercentageLongTail,
  type HeadTailSplit,
  type HitCase,
  hitRateByPopularity,
  longTailCoverage,
  type Popularity,
} from './long-tail.js';

export interface FeedbackWindowInput {
  /** Impressions per catalogue item, zero-exposure items included. */
  exposures: readonly number[];
  /** Lists shown in the window. */
  lists: readonly (readonly string[])[];
  /** Evaluated cases (wanted item and list), when labels exist. */
  cases?: readonly HitCase[];
}

export interface FeedbackWindowMetrics {
  topShare: number | null;
  gini: number | null;
  catalogueCoverage: number | null;
  aplt: number | null;
  longTailCoverage: number | null;
  /** Hit rate@k of cases whose wanted item is in the least popular half of the catalogue / the most popular half. */
  tailHitRate: number | null;
  headHitRate: number | null;
}

export interface FeedbackWindowOptions {
  /** Training popularity of each item (buckets and ARP). */
  popularity: Popularity;
  /** Head/tail split for APLT and long-tail coverage (see `splitHeadTail`). */
  split: HeadTailSplit;
  /** Cut-off of the hit rate (default 10). */
  k?: number;
  /** Fraction of the catalogue whose exposure share is followed (default 0.01, the top 1 %). */
  topFraction?: number;
}

/** Computes the followed figures of one window; null where the window lacks what a figure needs. */
export function feedbackWindowMetrics(
  w: FeedbackWindowInput,
  o: FeedbackWindowOptions,
): FeedbackWindowMetrics {
  const k = o.k ?? 10;
  let tailHitRate: number | null = null;
  let headHitRate: number | null = null;
  if (w.cases !== undefined && w.cases.length > 0) {
    const buckets = hitRateByPopularity(w.cases, o.popularity, k, 2);
    tailHitRate = buckets[0]?.hitRate ?? null;
    headHitRate = buckets.length > 1 ? (buckets[buckets.length - 1]?.hitRate ?? null) : null;
  }
  return {
    topShare: w.exposures.length === 0 ? null : topShare(w.exposures, o.topFraction ?? 0.01),
    gini: exposureGini(w.exposures),
    catalogueCoverage: catalogueCoverage(w.exposures),
    aplt: averagePercentageLongTail(w.lists, o.split.tail),
    longTailCoverage: longTailCoverage(w.lists, o.split.tail),
    tailHitRate,
    headHitRate,
  };
}
