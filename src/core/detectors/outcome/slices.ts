/**
 * @module
 * Catastrophic slices (cause `edge_cases`; architecture.md "slices where errors are catastrophic"): a value of a
 * categorical feature whose realised headline metric fell far below the same slice's on the reference, while the
 * model as a whole held up. Comparing each slice with itself keeps slices that are always hard quiet.
 *
 * A slice is catastrophic when its metric is worse than its reference value by ≥ `minDrop` (accuracy, absolute)
 * or by ≥ `minRelativeRise` of its reference error (regression), the two intervals do not overlap, and the
 * overall metric moved by less than half that much.
 */
import type { IntervalLike } from '../../concept/verdict.js';
import type { DetectorOutcome, Subject, TimeWindow } from '../../findings/finding.js';
import { formatNumber } from '../software/format.js';
import { headlineMetric, type RealisedPerformance, type SlicePerformance } from './realised.js';

export interface SliceConfig {
  minDrop: number;
  minRelativeRise: number;
}

export const SLICE_DEFAULTS: Readonly<SliceConfig> = { minDrop: 0.2, minRelativeRise: 1 };

export interface SliceContext {
  model: string;
  version?: string | undefined;
  window: TimeWindow;
}

/** `edge_cases` findings for catastrophic slices, or a clear / not-applicable outcome. */
export function sliceOutcomes(
  current: readonly SlicePerformance[],
  reference: readonly SlicePerformance[],
  overall: { current: RealisedPerformance | null; reference: IntervalLike | null },
  ctx: SliceContext,
  config: SliceConfig = SLICE_DEFAULTS,
): DetectorOutcome[] {
  const subject: Subject = {
    model: ctx.model,
    ...(ctx.version !== undefined ? { version: ctx.version } : {}),
  };
  const detector = 'slice_performance';
  if (reference.length === 0 || overall.current === null)
    return [
      {
        kind: 'not_applicable',
        detector,
        subject,
        reason: 'no labelled slices on both the reference and the window',
      },
    ];
  const { metric, higherIsBetter } = headlineMetric(overall.current.task);
  const all = overall.current.metrics[metric]?.estimate ?? null;
  const allRef = overall.reference?.estimate ?? null;
  const byName = new Map(reference.map((s) => [s.slice, s]));
  const out: DetectorOutcome[] = [];
  for (const s of current) {
    const ref = byName.get(s.slice)?.performance.metrics[metric];
    const cur = s.performance.metrics[metric];
    if (!ref || !cur || ref.estimate === null || cur.estimate === null) continue;
    const worse = higherIsBetter ? ref.estimate - cur.estimate : cur.estimate - ref.estimate;
    const needed = higherIsBetter ? config.minDrop : config.minRelativeRise * Math.abs(ref.estimate);
    const apart = higherIsBetter
      ? cur.upper !== null && ref.lower !== null && cur.upper < ref.lower
      : cur.lower !== null && ref.upper !== null && cur.lower > ref.upper;
    const overallMove = all !== null && allRef !== null ? (higherIsBetter ? allRef - all : all - allRef) : 0;
    if (worse < needed || !apart || overallMove >= worse / 2) continue;
    out.push({
      kind: 'finding',
      finding: {
        detector,
        cause: 'edge_cases',
        subject: { ...subject, slice: s.slice, feature: s.feature },
        window: ctx.window,
        severity: 'warning',
        score: Math.min(1, 0.5 + worse / (4 * needed)),
        evidence: {
          summary: `${metric} on ${s.slice} is ${formatNumber(cur.estimate, 3)} (n=${cur.n}) against ${formatNumber(ref.estimate, 3)} on the same slice of the reference, while the model as a whole ${all !== null && allRef !== null ? `is at ${formatNumber(all, 3)} (reference ${formatNumber(allRef, 3)})` : 'held up'}.`,
          figures: [
            { name: `${metric} on ${s.slice}`, value: cur.estimate, baseline: ref.estimate },
            { name: `overall ${metric}`, value: all, baseline: allRef },
          ],
          detail: { slice: s.slice, current: cur, reference: ref, window: ctx.window.kind ?? 'sliding' },
        },
      },
    });
  }
  if (out.length === 0)
    out.push({
      kind: 'clear',
      detector,
      subject,
      evidence: {
        summary: `No slice fell far below its reference ${metric} (${current.length} slices checked).`,
        figures: [],
      },
    });
  return out;
}
