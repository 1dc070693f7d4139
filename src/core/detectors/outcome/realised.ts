/**
 * @module
 * Realised performance of one window from the predictions that have a label so far, with confidence intervals
 * (methods.md 5; `core/metrics`):
 *
 * - classification: accuracy (Wilson), and for two classes precision and recall of the positive class (Wilson,
 *   over the predicted / actual positives), F1 (percentile bootstrap, seeded) and ROC AUC from the positive
 *   class's probability (normal interval with the Hanley–McNeil standard error — a bootstrap of AUC costs a sort
 *   per resample; it assumes exponential score distributions and is a little conservative otherwise); more than
 *   two classes: accuracy and macro F1 (bootstrap).
 * - regression: MAE and RMSE (percentile bootstrap).
 *
 * The predicted class is the output's `class`, else the arg-max of its probabilities; labels and classes compare
 * as strings. The positive class is `1`, `true` or `yes` when present, else the second class in sort order.
 */
import normalQuantile from '@stdlib/stats-base-dists-normal-quantile';
import type { FeatureValue, Output, Scalar } from '../../contract/index.js';
import type { PerformanceMetric } from '../../expectations/metrics.js';
import type { MeasuredFigure } from '../../expectations/window-figures.js';
import { binaryRocAuc, positiveIndex } from '../../metrics/classification.js';
import { bootstrapInterval, type MetricInterval, wilsonInterval } from '../../metrics/intervals.js';
import type { Rng } from '../../rng.js';

export interface LabelledPrediction {
  output: Output | null;
  label: Scalar;
  features?: Readonly<Record<string, FeatureValue>>;
}

export type PerformanceTask = 'classification' | 'regression';

/** A realised metric with its interval; ROC AUC uses the Hanley–McNeil normal interval. */
export type RealisedMetric = Omit<MetricInterval, 'method'> & {
  method: MetricInterval['method'] | 'hanley_mcneil';
};

export interface RealisedPerformance {
  task: PerformanceTask;
  /** Labelled rows the metrics use. */
  n: number;
  /** The positive class of a binary problem; null otherwise. */
  positive: string | null;
  classes: string[];
  metrics: Partial<Record<PerformanceMetric, RealisedMetric>>;
}

export interface RealisedOptions {
  confidence: number;
  resamples: number;
}

export const REALISED_DEFAULTS: Readonly<RealisedOptions> = { confidence: 0.95, resamples: 200 };

/** The class a prediction chose: `class`, else the arg-max of its probabilities, else null. */
export function predictedClassOf(output: Output | null | undefined): string | null {
  if (!output) return null;
  if (output.class !== undefined) return String(output.class);
  if (output.probabilities) {
    let best: string | null = null;
    let bestP = -1;
    for (const [k, p] of Object.entries(output.probabilities))
      if (p > bestP) {
        best = k;
        bestP = p;
      }
    return best;
  }
  return null;
}

/** The probability of class `positive` an output gives: its probabilities entry, else its score. */
export function positiveScoreOf(output: Output | null | undefined, positive: string): number | null {
  if (!output) return null;
  const p = output.probabilities?.[positive];
  if (typeof p === 'number' && Number.isFinite(p)) return p;
  if (typeof output.score === 'number' && output.score >= 0 && output.score <= 1) return output.score;
  return null;
}

/** Which task labelled rows describe: classes to compare, or numbers to subtract; null when neither. */
export function taskOf(
  rows: readonly LabelledPrediction[],
  hint: string | null = null,
): PerformanceTask | null {
  if (hint === 'classification' || hint === 'regression') return hint;
  let cls = 0;
  let reg = 0;
  for (const r of rows) {
    if (predictedClassOf(r.output) !== null) cls++;
    else if (typeof r.output?.value === 'number' && typeof r.label === 'number') reg++;
  }
  if (cls === 0 && reg === 0) return null;
  return cls >= reg ? 'classification' : 'regression';
}

function hanleyMcNeil(auc: number, nPos: number, nNeg: number, confidence: number): [number, number] {
  const q1 = auc / (2 - auc);
  const q2 = (2 * auc * auc) / (1 + auc);
  const v = (auc * (1 - auc) + (nPos - 1) * (q1 - auc * auc) + (nNeg - 1) * (q2 - auc * auc)) / (nPos * nNeg);
  const z = normalQuantile(1 - (1 - confidence) / 2, 0, 1);
  const se = Math.sqrt(Math.max(0, v));
  return [Math.max(0, auc - z * se), Math.min(1, auc + z * se)];
}

function classification(
  rows: readonly LabelledPrediction[],
  rng: Rng,
  o: RealisedOptions,
): RealisedPerformance | null {
  const pairs: { actual: string; predicted: string; output: Output | null }[] = [];
  for (const r of rows) {
    const predicted = predictedClassOf(r.output);
    if (predicted !== null) pairs.push({ actual: String(r.label), predicted, output: r.output });
  }
  const n = pairs.length;
  if (n === 0) return null;
  const classes = [...new Set(pairs.flatMap((p) => [p.actual, p.predicted]))].sort();
  const correct = pairs.filter((p) => p.actual === p.predicted).length;
  const metrics: RealisedPerformance['metrics'] = {
    accuracy: wilsonInterval(correct, n, o.confidence, 'accuracy'),
  };
  const codes = new Map(classes.map((c, i) => [c, i]));
  const actual = Int32Array.from(pairs, (p) => codes.get(p.actual)!);
  const predicted = Int32Array.from(pairs, (p) => codes.get(p.predicted)!);
  if (classes.length === 2) {
    const pos = positiveIndex(classes);
    let tp = 0;
    let fp = 0;
    let fn = 0;
    for (let i = 0; i < n; i++) {
      if (predicted[i] === pos && actual[i] === pos) tp++;
      else if (predicted[i] === pos) fp++;
      else if (actual[i] === pos) fn++;
    }
    metrics.precision = wilsonInterval(tp, tp + fp, o.confidence, 'precision');
    metrics.recall = wilsonInterval(tp, tp + fn, o.confidence, 'recall');
    const f1Of = (idx: Int32Array): number | null => {
      let a = 0;
      let b = 0;
      let c = 0;
      for (const i of idx) {
        if (predicted[i] === pos && actual[i] === pos) a++;
        else if (predicted[i] === pos) b++;
        else if (actual[i] === pos) c++;
      }
      return 2 * a + b + c === 0 ? null : (2 * a) / (2 * a + b + c);
    };
    metrics.f1 = bootstrapInterval(n, f1Of, rng, { resamples: o.resamples, confidence: o.confidence }, 'f1');
    const positive = classes[pos]!;
    const scored = pairs.flatMap((p) => {
      const s = positiveScoreOf(p.output, positive);
      return s === null ? [] : [{ s, y: p.actual === positive ? 1 : 0 }];
    });
    if (scored.length > 0) {
      const auc = binaryRocAuc(
        Uint8Array.from(scored, (x) => x.y),
        Float64Array.from(scored, (x) => x.s),
      );
      const nPos = scored.filter((x) => x.y === 1).length;
      if (auc !== null) {
        const [lower, upper] = hanleyMcNeil(auc, nPos, scored.length - nPos, o.confidence);
        metrics.roc_auc = {
          metric: 'roc_auc',
          estimate: auc,
          lower,
          upper,
          confidence: o.confidence,
          method: 'hanley_mcneil',
          n: scored.length,
        };
      }
    }
    return { task: 'classification', n, positive, classes, metrics };
  }
  const k = classes.length;
  const macroF1 = (idx: Int32Array): number | null => {
    const tp = new Array<number>(k).fill(0);
    const fp = new Array<number>(k).fill(0);
    const fn = new Array<number>(k).fill(0);
    for (const i of idx) {
      const a = actual[i]!;
      const p = predicted[i]!;
      if (a === p) tp[a]!++;
      else {
        fp[p]!++;
        fn[a]!++;
      }
    }
    let sum = 0;
    for (let c = 0; c < k; c++) {
      const d = 2 * tp[c]! + fp[c]! + fn[c]!;
      sum += d === 0 ? 0 : (2 * tp[c]!) / d;
    }
    return sum / k;
  };
  metrics.f1 = bootstrapInterval(n, macroF1, rng, { resamples: o.resamples, confidence: o.confidence }, 'f1');
  return { task: 'classification', n, positive: null, classes, metrics };
}

function regression(
  rows: readonly LabelledPrediction[],
  rng: Rng,
  o: RealisedOptions,
): RealisedPerformance | null {
  const y: number[] = [];
  const yhat: number[] = [];
  for (const r of rows) {
    const v = r.output?.value;
    if (
      typeof v === 'number' &&
      typeof r.label === 'number' &&
      Number.isFinite(v) &&
      Number.isFinite(r.label)
    ) {
      y.push(r.label);
      yhat.push(v);
    }
  }
  const n = y.length;
  if (n === 0) return null;
  const mae = (idx: Int32Array) => {
    let s = 0;
    for (const i of idx) s += Math.abs(y[i]! - yhat[i]!);
    return s / idx.length;
  };
  const rmse = (idx: Int32Array) => {
    let s = 0;
    for (const i of idx) s += (y[i]! - yhat[i]!) ** 2;
    return Math.sqrt(s / idx.length);
  };
  const opts = { resamples: o.resamples, confidence: o.confidence };
  return {
    task: 'regression',
    n,
    positive: null,
    classes: [],
    metrics: {
      mae: bootstrapInterval(n, mae, rng, opts, 'mae'),
      rmse: bootstrapInterval(n, rmse, rng, opts, 'rmse'),
    },
  };
}

/**
 * Realised metrics of labelled predictions (module comment); null when no row has what the task needs.
 * `rng` seeds the bootstrap, so the same rows always give the same intervals.
 */
export function realisedPerformance(
  rows: readonly LabelledPrediction[],
  rng: Rng,
  options: { task?: string | null } & Partial<RealisedOptions> = {},
): RealisedPerformance | null {
  const o = { ...REALISED_DEFAULTS, ...options };
  const run = (task: PerformanceTask | null) =>
    task === null
      ? null
      : task === 'classification'
        ? classification(rows, rng, o)
        : regression(rows, rng, o);
  // A declared task the outputs do not fit (a "classification" model logging values) falls back to what they hold.
  return run(taskOf(rows, options.task ?? null)) ?? (options.task ? run(taskOf(rows)) : null);
}

/** The realised metrics as `WindowFigures.realised` wants them: value and n, null for a missing value. */
export function realisedFigures(
  p: RealisedPerformance | null,
): Partial<Record<PerformanceMetric, MeasuredFigure>> {
  const out: Partial<Record<PerformanceMetric, MeasuredFigure>> = {};
  if (p === null) return out;
  for (const [k, m] of Object.entries(p.metrics) as [PerformanceMetric, RealisedMetric][])
    out[k] = { value: m.estimate !== null && Number.isFinite(m.estimate) ? m.estimate : null, n: m.n };
  return out;
}

/** The headline metric of a task: accuracy for classification, MAE for regression. */
export function headlineMetric(task: PerformanceTask): {
  metric: PerformanceMetric;
  higherIsBetter: boolean;
} {
  return task === 'classification'
    ? { metric: 'accuracy', higherIsBetter: true }
    : { metric: 'mae', higherIsBetter: false };
}

export interface SliceSpec {
  feature: string;
  /** At most this many most frequent values become slices. */
  maxValues: number;
}

export interface SlicePerformance {
  /** `feature=value`. */
  slice: string;
  feature: string;
  value: string;
  performance: RealisedPerformance;
}

/**
 * Realised performance per value of categorical features (`feature=value`), for the values with at least
 * `minRows` labelled rows, the most frequent `maxValues` per feature.
 */
export function slicePerformance(
  rows: readonly LabelledPrediction[],
  specs: readonly SliceSpec[],
  rng: Rng,
  options: { task?: string | null; minRows?: number } & Partial<RealisedOptions> = {},
): SlicePerformance[] {
  const minRows = options.minRows ?? 30;
  const out: SlicePerformance[] = [];
  for (const spec of specs) {
    const groups = new Map<string, LabelledPrediction[]>();
    for (const r of rows) {
      const v = r.features?.[spec.feature];
      if (v === null || v === undefined) continue;
      const key = String(v);
      const g = groups.get(key);
      if (g) g.push(r);
      else groups.set(key, [r]);
    }
    const top = [...groups.entries()]
      .filter(([, g]) => g.length >= minRows)
      .sort((a, b) => b[1].length - a[1].length || (a[0] < b[0] ? -1 : 1))
      .slice(0, spec.maxValues);
    for (const [value, g] of top) {
      const performance = realisedPerformance(g, rng, options);
      if (performance)
        out.push({ slice: `${spec.feature}=${value}`, feature: spec.feature, value, performance });
    }
  }
  return out;
}
