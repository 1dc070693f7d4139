/**
 * @module
 * A recommender's windows as the feedback-loop detector reads them: the ranked lists its predictions returned,
 * the item each labelled prediction turned out to be about, and impressions and clicks by position from the
 * feedback events (`shown` / `impression` / `view`, `clicked` / `click`). Without impression events every
 * position of every list counts as one impression.
 */
import type { Output, Scalar } from '../../../core/contract/index.js';
import type { RecommenderWindow } from '../../../core/detectors/outcome/feedback-loop.js';
import type { FeedbackRecord } from '../../../store/store.js';

const SHOWN = new Set(['shown', 'impression', 'impressed', 'view', 'viewed', 'displayed']);
const CLICKED = new Set(['clicked', 'click', 'tap', 'tapped', 'opened']);

export interface RankedPrediction {
  id: string;
  timestampMs: number;
  output: Output | null;
  label: Scalar | null;
}

/** True when a prediction returned a ranked list of items. */
export function isRanked(output: Output | null | undefined): boolean {
  return Array.isArray(output?.items);
}

/** One window of a recommender (module comment). */
export function recommenderWindow(
  startMs: number,
  endMs: number,
  predictions: readonly RankedPrediction[],
  feedback: readonly FeedbackRecord[],
): RecommenderWindow {
  const lists: string[][] = [];
  const cases: { target: string; ranked: string[] }[] = [];
  let longest = 0;
  for (const p of predictions) {
    if (p.timestampMs < startMs || p.timestampMs >= endMs || !isRanked(p.output)) continue;
    const list = p.output!.items!.map((i) => String(i));
    if (list.length === 0) continue;
    lists.push(list);
    longest = Math.max(longest, list.length);
    if (p.label !== null) cases.push({ target: String(p.label), ranked: list });
  }
  const inWindow = feedback.filter(
    (f) => f.timestampMs >= startMs && f.timestampMs < endMs && f.position !== null,
  );
  const maxPos = Math.max(longest, ...inWindow.map((f) => (f.position ?? 0) + 1));
  const impressions = new Array<number>(maxPos).fill(0);
  const clicks = new Array<number>(maxPos).fill(0);
  let shownEvents = 0;
  for (const f of inWindow) {
    const pos = f.position!;
    if (SHOWN.has(f.action)) {
      impressions[pos]!++;
      shownEvents++;
    } else if (CLICKED.has(f.action)) clicks[pos]!++;
  }
  if (shownEvents === 0) for (const l of lists) for (let i = 0; i < l.length; i++) impressions[i]!++;
  return {
    startMs,
    endMs,
    lists,
    cases,
    impressionsByPosition: impressions,
    clicksByPosition: clicks.map((c, i) => Math.min(c, impressions[i]!)),
  };
}
