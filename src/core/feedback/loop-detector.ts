/**
 * Degenerate feedback-loop detector (methods.md §8): from per-window series of exposure concentration and of how
 * the long tail is served, decides whether a loop is forming and says so in one sentence built from the numbers.
 *
 * A loop is reported when, over at least `minWindows` windows,
 * 1. a concentration series rises — the top share of exposure or the Gini index — and
 * 2. a long-tail series falls — the tail's hit rate, its share of the recommendations (APLT), or long-tail
 *    coverage —
 * each with a significant monotone trend (Kendall's τ against the window index, two-sided p < `alpha`; exact for
 * short series) **and** a material size: the OLS line moves by at least `minRelativeChange` of its starting
 * level across the windows. Significance alone would flag tiny drifts on large traffic; size alone would flag
 * noise. When a new model version starts mid-series, pass only its windows.
 */
import {
  clampScore,
  type DetectorOutcome,
  type Evidence,
  type Figure,
  type Subject,
  type TimeWindow,
} from '../findings/index.js';
import { kendallTau, olsTrend } from './trend.js';

export const LOOP_DETECTOR_ID = 'feedback_loop';

export interface FeedbackSeries {
  /** Share of exposure taken by the top `topFraction` of items, per window. */
  topShare?: readonly (number | null)[];
  /** Fraction of the catalogue behind `topShare` (default 0.01), for the sentence. */
  topFraction?: number;
  gini?: readonly (number | null)[];
  tailHitRate?: readonly (number | null)[];
  aplt?: readonly (number | null)[];
  longTailCoverage?: readonly (number | null)[];
  /** Followed for the evidence only (a loop often lifts the head while it starves the tail). */
  headHitRate?: readonly (number | null)[];
}

export interface LoopDetectorOptions {
  alpha: number;
  minWindows: number;
  minRelativeChange: number;
}

export const LOOP_DETECTOR_DEFAULTS: Readonly<LoopDetectorOptions> = {
  alpha: 0.05,
  minWindows: 5,
  minRelativeChange: 0.25,
};

type SeriesName = 'topShare' | 'gini' | 'tailHitRate' | 'aplt' | 'longTailCoverage' | 'headHitRate';

export interface SeriesTrend {
  metric: SeriesName;
  /** Windows with a value. */
  windows: number;
  first: number;
  last: number;
  /** OLS slope per window and its two-sided p-value (null with fewer than 3 windows). */
  slope: number;
  slopePValue: number | null;
  tau: number | null;
  tauPValue: number | null;
  /** Change of the fitted line across the windows, relative to its starting level. */
  relativeChange: number;
  direction: 'rising' | 'falling' | 'flat';
  /** Significant and material in the direction a loop would push it. */
  loopLike: boolean;
}

export interface LoopAssessment {
  outcome: DetectorOutcome;
  trends: SeriesTrend[];
}

const CONCENTRATION: SeriesName[] = ['topShare', 'gini'];
const TAIL: SeriesName[] = ['tailHitRate', 'aplt', 'longTailCoverage'];

function trendOf(
  metric: SeriesName,
  series: readonly (number | null)[],
  o: LoopDetectorOptions,
): SeriesTrend | null {
  const x: number[] = [];
  const y: number[] = [];
  series.forEach((v, i) => {
    if (v === null) return;
    if (!Number.isFinite(v))
      throw new RangeError(`detectFeedbackLoop: ${metric}[${i}] must be a finite number or null, got ${v}.`);
    x.push(i);
    y.push(v);
  });
  if (y.length < Math.max(2, o.minWindows)) return null;
  const constant = y.every((v) => v === y[0]);
  const ols = olsTrend(y, x);
  const kt = constant ? { tau: null, pValue: null } : kendallTau(x, y);
  const start = ols.intercept + ols.slope * x[0]!;
  const end = ols.intercept + ols.slope * x[x.length - 1]!;
  const relativeChange = (end - start) / Math.max(Math.abs(start), 1e-9);
  const significant = kt.pValue !== null && kt.pValue < o.alpha;
  const direction = significant && kt.tau !== null ? (kt.tau > 0 ? 'rising' : 'falling') : 'flat';
  const wanted = CONCENTRATION.includes(metric) ? 'rising' : TAIL.includes(metric) ? 'falling' : null;
  const material = Math.abs(relativeChange) >= o.minRelativeChange;
  return {
    metric,
    windows: y.length,
    first: y[0]!,
    last: y[y.length - 1]!,
    slope: ols.slope,
    slopePValue: ols.pValue,
    tau: kt.tau,
    tauPValue: kt.pValue,
    relativeChange,
    direction,
    loopLike: wanted !== null && direction === wanted && material,
  };
}

const pct = (v: number) => `${Math.round(v * 100)} %`;
const num = (v: number) => v.toFixed(2);

function phrase(t: SeriesTrend, topFraction: number): string {
  const span = `over ${t.windows} windows`;
  switch (t.metric) {
    case 'topShare':
      return `the top ${pct(topFraction)} of items take a growing share of exposure (${pct(t.first)} → ${pct(t.last)} ${span})`;
    case 'gini':
      return `exposure concentrates on fewer items (Gini ${num(t.first)} → ${num(t.last)} ${span})`;
    case 'tailHitRate':
      return `the long tail's hit rate falls (${num(t.first)} → ${num(t.last)})`;
    case 'aplt':
      return `the long tail's share of recommendations falls (${pct(t.first)} → ${pct(t.last)})`;
    case 'longTailCoverage':
      return `fewer long-tail items are ever shown (coverage ${pct(t.first)} → ${pct(t.last)})`;
    case 'headHitRate':
      return `the head's hit rate moves ${num(t.first)} → ${num(t.last)}`;
  }
}

const LABEL: Record<SeriesName, string> = {
  topShare: 'top share',
  gini: 'Gini',
  tailHitRate: 'tail hit rate',
  aplt: 'APLT',
  longTailCoverage: 'long-tail coverage',
  headHitRate: 'head hit rate',
};

function brief(t: SeriesTrend): string {
  return `${LABEL[t.metric]} ${num(t.first)} → ${num(t.last)}`;
}

function figure(t: SeriesTrend): Figure {
  return { name: `${t.metric} (last window)`, value: t.last, baseline: t.first };
}

/**
 * Assesses a feedback loop from per-window series (oldest first, null for a window without the figure).
 * Returns a `feedback_loop` finding with the evidence sentence, a clear result, or insufficient data (fewer
 * than `minWindows` windows in every concentration or every tail series).
 */
export function detectFeedbackLoop(
  series: FeedbackSeries,
  context: { subject: Subject; window: TimeWindow },
  options: Partial<LoopDetectorOptions> = {},
): LoopAssessment {
  const o = { ...LOOP_DETECTOR_DEFAULTS, ...options };
  if (!(o.alpha > 0 && o.alpha < 1))
    throw new RangeError(`detectFeedbackLoop: alpha must be in (0, 1), got ${o.alpha}.`);
  if (!Number.isInteger(o.minWindows) || o.minWindows < 3)
    throw new RangeError(`detectFeedbackLoop: minWindows must be an integer ≥ 3, got ${o.minWindows}.`);
  const topFraction = series.topFraction ?? 0.01;
  const trends: SeriesTrend[] = [];
  for (const name of [...CONCENTRATION, ...TAIL, 'headHitRate'] as SeriesName[]) {
    const s = series[name];
    if (s === undefined) continue;
    const t = trendOf(name, s, o);
    if (t !== null) trends.push(t);
  }
  const { subject, window } = context;
  const conc = trends.filter((t) => CONCENTRATION.includes(t.metric));
  const tail = trends.filter((t) => TAIL.includes(t.metric));
  if (conc.length === 0 || tail.length === 0)
    return {
      trends,
      outcome: {
        kind: 'insufficient_data',
        detector: LOOP_DETECTOR_ID,
        subject,
        reason: `needs at least ${o.minWindows} windows of a concentration series (top share or Gini) and of a long-tail series (tail hit rate, APLT or long-tail coverage).`,
      },
    };

  const rising = conc.filter((t) => t.loopLike);
  const falling = tail.filter((t) => t.loopLike);
  const figures = trends.map(figure);
  if (rising.length === 0 || falling.length === 0) {
    const list = (ts: SeriesTrend[]) => ts.map(brief).join(', ');
    const why =
      rising.length === 0
        ? `exposure concentration shows no significant, material rise (${list(conc)})`
        : `${phrase(rising[0]!, topFraction)}, but the long tail holds up (${list(tail)})`;
    const evidence: Evidence = { summary: `No feedback loop: ${why}.`, figures, detail: { trends } };
    return { trends, outcome: { kind: 'clear', detector: LOOP_DETECTOR_ID, subject, evidence } };
  }

  const lead = rising[0]!;
  const sentence = `${phrase(lead, topFraction)}, while ${falling.map((t) => phrase(t, topFraction)).join(' and ')}`;
  const head = trends.find((t) => t.metric === 'headHitRate');
  const headNote =
    head !== undefined && head.direction === 'rising'
      ? `; the head's hit rate rises (${num(head.first)} → ${num(head.last)})`
      : '';
  const summary = `${sentence.charAt(0).toUpperCase()}${sentence.slice(1)}${headNote}.`;
  const strength = [...rising, ...falling].map((t) => Math.min(1, Math.abs(t.relativeChange)));
  const severity = falling.some((t) => t.metric === 'tailHitRate') ? 'critical' : 'warning';
  return {
    trends,
    outcome: {
      kind: 'finding',
      finding: {
        detector: LOOP_DETECTOR_ID,
        cause: 'feedback_loop',
        subject,
        window,
        severity,
        score: clampScore(strength.reduce((a, b) => a + b, 0) / strength.length),
        evidence: { summary, figures, detail: { trends } },
      },
    },
  };
}
