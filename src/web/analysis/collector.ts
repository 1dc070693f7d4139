/**
 * @module
 * What the collector decided, laid on the dashboard's time axis. The collector evaluates each expectation over
 * windows of the expectation's own length (`GET /v1/evaluations`) and records its detectors' findings per
 * analysed window (`GET /v1/findings`); a chart has a window size of its own (about 60 points over the range).
 * These functions map the first onto the second, so the pages draw the figures and verdicts incidents are opened
 * on, rather than a second opinion computed in the browser from window summaries. Pure: no DOM, no fetch.
 */
import type { EvaluationView, EvidenceView, ExpectationView } from '../views.js';

const overlaps = (aStart: number, aEnd: number, bStart: number, bEnd: number): boolean =>
  aStart < bEnd && bStart < aEnd;

/** Whether `a` lies further than `b` on the wrong side of a limit read as `value comparator threshold`. */
function worse(a: number, b: number, comparator: string | null): boolean {
  return comparator === '>' || comparator === '>=' ? a < b : a > b;
}

export interface EvaluatedSeries {
  value: (number | null)[];
  lower: (number | null)[];
  upper: (number | null)[];
  /** The evaluation each chart window shows; null where the collector evaluated none with a figure. */
  shown: (EvaluationView | null)[];
}

/**
 * The collector's figure per chart window: the evaluation whose window overlaps it. A chart window longer than the
 * expectation's overlaps several; it shows the one furthest on the wrong side of the limit (a coarse view must not
 * hide a violation), the latest of equal ones. Windows no evaluation with a figure covers stay null.
 */
export function evaluatedSeries(
  evaluations: readonly EvaluationView[],
  axisMs: readonly number[],
  windowMs: number,
): EvaluatedSeries {
  const out: EvaluatedSeries = { value: [], lower: [], upper: [], shown: [] };
  for (const t of axisMs) {
    let best: EvaluationView | null = null;
    for (const ev of evaluations) {
      if (ev.value === null || !overlaps(ev.windowStartMs, ev.windowEndMs, t, t + windowMs)) continue;
      if (
        best === null ||
        worse(ev.value, best.value!, ev.comparator) ||
        (ev.value === best.value && ev.windowEndMs > best.windowEndMs)
      )
        best = ev;
    }
    out.shown.push(best);
    out.value.push(best?.value ?? null);
    out.lower.push(best?.lower ?? null);
    out.upper.push(best?.upper ?? null);
  }
  return out;
}

/** The limit of the latest evaluation that states one (an expectation changed mid-range shows its current limit). */
export function limitOf(
  evaluations: readonly EvaluationView[],
): { threshold: number; comparator: string } | null {
  let latest: EvaluationView | null = null;
  for (const ev of evaluations)
    if (ev.threshold !== null && (latest === null || ev.windowEndMs > latest.windowEndMs)) latest = ev;
  return latest === null ? null : { threshold: latest.threshold!, comparator: latest.comparator ?? '' };
}

/** The ids of the model's expectations on `metric`, in the order listed. */
export function expectationsOn(expectations: readonly ExpectationView[], metric: string): string[] {
  return expectations.filter((e) => e.metric === metric).map((e) => e.id);
}

/**
 * The expectation whose evaluated windows tell where the collector analysed the model (each analysis runs every
 * detector): the drift-share one when set, since its figure also says whether drift could be tested; otherwise
 * the finest-grained one whose windows over `rangeMs` fit in `limit` evaluations, else the coarsest.
 */
export function analysedExpectation(
  expectations: readonly ExpectationView[],
  rangeMs: number,
  limit: number,
): string | null {
  const drift = expectations.find((e) => e.metric === 'drifted_feature_share');
  if (drift) return drift.id;
  const timed = expectations
    .filter((e): e is ExpectationView & { overMs: number } => e.overMs !== null && e.overMs > 0)
    .sort((a, b) => a.overMs - b.overMs);
  return (timed.find((e) => rangeMs / e.overMs <= limit) ?? timed[timed.length - 1])?.id ?? null;
}

export type DriftVerdict = 'clear' | 'drifted' | 'skewed' | 'quality';
type Flag = Exclude<DriftVerdict, 'clear'>;

/** The detectors whose findings are per-feature drift verdicts, and what each one says. */
export const DRIFT_DETECTORS: Readonly<Record<string, Flag>> = {
  feature_drift: 'drifted',
  distribution_skew: 'skewed',
};

/**
 * What a finding says about its feature: drift or skew from the drift detectors; a data-quality finding (a unit
 * change, values out of range) is the collector's explanation of a move it does not call drift, though its
 * drift-share figure still counts the feature. Null for findings that name no feature or say nothing of it.
 */
export function verdictOf(f: EvidenceView): Flag | null {
  if (f.subject.feature === undefined) return null;
  const v = f.detector === null ? undefined : DRIFT_DETECTORS[f.detector];
  return v ?? (f.cause === 'data_quality' ? 'quality' : null);
}

/** Verdicts as heat-map values. */
export const VERDICT_VALUE: Readonly<Record<DriftVerdict, number>> = {
  clear: 0,
  drifted: 1,
  skewed: 2,
  quality: 3,
};

/** When one chart window holds several findings on a feature, the verdict shown: drift, then skew, then quality. */
const PRECEDENCE: Readonly<Record<Flag, number>> = { drifted: 3, skewed: 2, quality: 1 };

export interface DriftVerdicts {
  /** Features with findings first (most flagged windows first), then the others in the order given. */
  features: string[];
  /** cells[f][w]: the collector's verdict on feature f in chart window w; null where it did not analyse it. */
  cells: (DriftVerdict | null)[][];
  /** Per chart window: the collector analysed it (an evaluation with a figure covers it) and it had traffic. */
  evaluated: boolean[];
  /** Per feature: the chart windows in which the collector raised a finding on it. */
  flagged: Record<string, number>;
  /** The summaries of the findings behind a flagged cell, keyed `feature index:window index`. */
  notes: Map<string, string[]>;
}

/**
 * The collector's per-feature drift verdicts per chart window: drifted, skewed or a data-quality problem where a
 * finding names the feature in a window overlapping it (`verdictOf`), clear where the collector analysed the
 * window (`analysed` holds evaluations of the expectation chosen by `analysedExpectation`) and raised none.
 */
export function driftVerdicts(input: {
  axisMs: readonly number[];
  windowMs: number;
  /** Features seen in the window summaries. */
  features: readonly string[];
  findings: readonly EvidenceView[];
  analysed: readonly EvaluationView[];
  /** Per chart window: whether it had predictions. */
  hasData: readonly boolean[];
}): DriftVerdicts {
  const { axisMs, windowMs } = input;
  const evaluated = axisMs.map(
    (t, i) =>
      input.hasData[i] !== false &&
      input.analysed.some(
        (ev) => ev.value !== null && overlaps(ev.windowStartMs, ev.windowEndMs, t, t + windowMs),
      ),
  );
  const hits = new Map<string, { verdict: Flag; summaries: string[] }[]>();
  for (const f of input.findings) {
    const verdict = verdictOf(f);
    const feature = f.subject.feature;
    if (verdict === null || feature === undefined) continue;
    if (f.windowStartMs === null || f.windowEndMs === null) continue;
    let row = hits.get(feature);
    if (!row) {
      row = axisMs.map(() => ({ verdict: 'drifted' as const, summaries: [] }));
      hits.set(feature, row);
    }
    for (let i = 0; i < axisMs.length; i++) {
      if (!overlaps(f.windowStartMs, f.windowEndMs, axisMs[i]!, axisMs[i]! + windowMs)) continue;
      const cell = row[i]!;
      if (cell.summaries.length === 0 || PRECEDENCE[verdict] > PRECEDENCE[cell.verdict])
        cell.verdict = verdict;
      cell.summaries.push(f.summary);
    }
  }
  const flagged: Record<string, number> = {};
  for (const [feature, row] of hits) {
    const n = row.filter((c) => c.summaries.length > 0).length;
    if (n > 0) flagged[feature] = n;
  }
  const names = [...new Set([...input.features, ...hits.keys()])];
  const order = new Map(names.map((f, i) => [f, i]));
  const features = names.sort(
    (a, b) => (flagged[b] ?? 0) - (flagged[a] ?? 0) || order.get(a)! - order.get(b)!,
  );
  const notes = new Map<string, string[]>();
  const cells = features.map((feature, fi) =>
    axisMs.map((_, i): DriftVerdict | null => {
      const cell = hits.get(feature)?.[i];
      if (cell && cell.summaries.length > 0) {
        notes.set(`${fi}:${i}`, cell.summaries);
        return cell.verdict;
      }
      return evaluated[i] ? 'clear' : null;
    }),
  );
  return { features, cells, evaluated, flagged, notes };
}

/** Per row of `features` (e.g. the PSI exploration's), the chart windows where the collector raised a finding. */
export function flaggedCells(verdicts: DriftVerdicts, features: readonly string[]): boolean[][] {
  const index = new Map(verdicts.features.map((f, i) => [f, i]));
  return features.map((f) => {
    const row = index.get(f);
    return row === undefined
      ? verdicts.evaluated.map(() => false)
      : verdicts.cells[row]!.map((v) => v !== null && v !== 'clear');
  });
}

/** Whether some chart window with traffic was not analysed by the collector (the PSI exploration is for those). */
export function hasUnevaluated(verdicts: DriftVerdicts, hasData: readonly boolean[]): boolean {
  return verdicts.evaluated.some((e, i) => !e && hasData[i] === true);
}
