/**
 * @module
 * Degenerate feedback loops of recommenders (cause `feedback_loop`, methods.md 8) from what the collector
 * stores: the ranked lists each prediction returned (`output.items`), the item each user turned out to want
 * (the label of the prediction), and feedback events by position (`shown`, `clicked`, …).
 *
 * Per window: exposure per catalogue item (appearances in the lists shown; zero-exposure items of the catalogue
 * included), Gini, catalogue coverage, top-1 % share, APLT and long-tail coverage against the training
 * popularity's head/tail split, hit rate of the least and most popular halves, CTR by position. Across the
 * version's windows (cumulative: oldest first, the current one last), `detectFeedbackLoop` asks for a
 * significant and material rise of concentration with a fall of the long tail. The previous version's last
 * window is kept as evidence (a new version that jumps in concentration shows there).
 */

import { catalogueCounts } from '../../feedback/exposure.js';
import { type HitCase, splitHeadTail } from '../../feedback/long-tail.js';
import {
  detectFeedbackLoop,
  LOOP_DETECTOR_DEFAULTS,
  type LoopDetectorOptions,
} from '../../feedback/loop-detector.js';
import { ctrByPosition, type PositionCtr } from '../../feedback/position.js';
import type { FeedbackWindowMetrics } from '../../feedback/window-metrics.js';
import { feedbackWindowMetrics } from '../../feedback/window-metrics.js';
import type { DetectorOutcome, Subject, TimeWindow } from '../../findings/finding.js';

export interface RecommenderWindow {
  startMs: number;
  endMs: number;
  /** The ranked lists returned in the window, best first. */
  lists: string[][];
  /** Labelled predictions: the item wanted and the list shown. */
  cases: HitCase[];
  /** Index 0 = position 1. */
  impressionsByPosition: number[];
  clicksByPosition: number[];
}

export interface FeedbackLoopInput {
  /** The version's windows, oldest first, ending with the current one. */
  windows: RecommenderWindow[];
  /** Training popularity of items (interactions per item); the first window's exposure when unknown. */
  popularity: Readonly<Record<string, number>>;
  /** The catalogue; default: every item of the popularity and of the lists. */
  catalogue?: readonly string[];
  /** The previous version's last window, for the evidence. */
  previousVersion?: { version: string; metrics: FeedbackWindowMetrics } | undefined;
  /** Hit rate cut-off (default 10). */
  k?: number;
}

export interface FeedbackLoopContext {
  model: string;
  version?: string | undefined;
  window: TimeWindow;
}

export interface FeedbackWindowFacts {
  impressions: number;
  metrics: FeedbackWindowMetrics;
  ctr: PositionCtr[];
}

function exposuresOf(lists: readonly string[][]): Map<string, number> {
  const m = new Map<string, number>();
  for (const l of lists) for (const i of l) m.set(i, (m.get(i) ?? 0) + 1);
  return m;
}

/** The catalogue used: the given one, else the popularity's items and every item shown, sorted. */
export function catalogueOf(input: FeedbackLoopInput): string[] {
  if (input.catalogue) return [...input.catalogue];
  const s = new Set(Object.keys(input.popularity));
  for (const w of input.windows) for (const l of w.lists) for (const i of l) s.add(i);
  return [...s].sort();
}

/** Figures of every window of the input (same catalogue and head/tail split for all). */
export function feedbackWindowFacts(input: FeedbackLoopInput): FeedbackWindowFacts[] {
  const catalogue = catalogueOf(input);
  const popularity =
    Object.keys(input.popularity).length > 0
      ? input.popularity
      : Object.fromEntries(exposuresOf(input.windows[0]?.lists ?? []));
  const split = splitHeadTail(popularity);
  return input.windows.map((w) => {
    const exposures = catalogueCounts(exposuresOf(w.lists), catalogue);
    const lists = w.lists.filter((l) => l.length > 0);
    const metrics = feedbackWindowMetrics(
      { exposures, lists, cases: w.cases },
      { popularity, split, k: input.k ?? 10 },
    );
    const clicks = w.clicksByPosition.map((c, i) => Math.min(c, w.impressionsByPosition[i] ?? 0));
    return {
      impressions: exposures.reduce((a, b) => a + b, 0),
      metrics,
      ctr: w.impressionsByPosition.length > 0 ? ctrByPosition(w.impressionsByPosition, clicks) : [],
    };
  });
}

/** The `feedback_loop` outcome over the version's windows, and the current window's figures. */
export function feedbackLoopOutcome(
  input: FeedbackLoopInput,
  ctx: FeedbackLoopContext,
  options: Partial<LoopDetectorOptions> = {},
): { outcome: DetectorOutcome; current: FeedbackWindowFacts | null } {
  const subject: Subject = {
    model: ctx.model,
    ...(ctx.version !== undefined ? { version: ctx.version } : {}),
  };
  if (input.windows.every((w) => w.lists.length === 0))
    return {
      outcome: {
        kind: 'not_applicable',
        detector: 'feedback_loop',
        subject,
        reason: 'no ranked outputs (output.items) in the window',
      },
      current: null,
    };
  const facts = feedbackWindowFacts(input);
  const pick = (k: keyof FeedbackWindowMetrics) => facts.map((f) => f.metrics[k]);
  const first = input.windows[0]!;
  const { outcome } = detectFeedbackLoop(
    {
      topShare: pick('topShare'),
      topFraction: 0.01,
      gini: pick('gini'),
      tailHitRate: pick('tailHitRate'),
      aplt: pick('aplt'),
      longTailCoverage: pick('longTailCoverage'),
      headHitRate: pick('headHitRate'),
    },
    { subject, window: { startMs: first.startMs, endMs: ctx.window.endMs, kind: 'cumulative' } },
    { ...LOOP_DETECTOR_DEFAULTS, ...options },
  );
  const current = facts[facts.length - 1] ?? null;
  if (outcome.kind === 'finding') {
    outcome.finding.evidence.detail = {
      ...outcome.finding.evidence.detail,
      ctrByPosition: current?.ctr ?? [],
      ...(input.previousVersion ? { previousVersion: input.previousVersion } : {}),
      window: 'cumulative',
    };
  }
  return { outcome, current };
}
