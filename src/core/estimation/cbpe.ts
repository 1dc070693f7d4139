/**
 * CBPE — confidence-based performance estimation for binary classifiers (NannyML; methods.md §5.1): estimates
 * accuracy, precision, recall, F1, specificity and ROC AUC of a window **without labels**, from the model's
 * calibrated scores, with a ±3·SE sampling-error band and alert thresholds learnt on a labelled reference.
 *
 * Fit (on a labelled reference: scores, the model's predicted labels, true labels):
 * 1. Calibration, as NannyML's `needs_calibration`: over 3 stratified shuffle splits (10 % test), fit isotonic
 *    regression on the train part and compare the equal-count ECE of raw and calibrated test scores; if the
 *    calibrated ECE is lower on average, fit isotonic regression on the whole reference and calibrate every
 *    later score. (`calibration: 'always' | 'never'` overrides the test.)
 * 2. Sampling-error components from the reference labels (std and fraction per metric, §5.1).
 * 3. Alert thresholds: realised metric per reference chunk of `chunkSize` rows (the remainder joins the last
 *    chunk), mean ± 3 std (ddof 0), clipped to [0, 1]; null with fewer than 2 chunks.
 *
 * Estimate (per window: scores and predicted labels): the expected confusion matrix with calibrated p,
 * `TP = Σ_{ŷ=1} p`, `FP = Σ_{ŷ=1} (1−p)`, `TN = Σ_{ŷ=0} (1−p)`, `FN = Σ_{ŷ=0} p`, then ratio-of-expectation metrics,
 * and NannyML's estimated ROC AUC curve. Assumes no concept drift: P(y | score) is the same as on the reference.
 *
 * Multiclass (`estimateCbpeMulticlass`): one-vs-rest — a binary CBPE per class on that class's probability and
 * "predicted this class", then the macro average (unweighted mean over classes) of each metric; accuracy is
 * `Σ_rows p(predicted class) / n`. Its sampling errors are not computed (null).
 */

import {
  expectedCalibrationError,
  fitIsotonic,
  type IsotonicModel,
  predictIsotonic,
} from '../metrics/calibration.js';
import { binaryRocAuc } from '../metrics/classification.js';
import type { Rng } from '../rng.js';

export const CBPE_METRICS = ['accuracy', 'precision', 'recall', 'f1', 'specificity', 'roc_auc'] as const;
export type CbpeMetric = (typeof CBPE_METRICS)[number];

export interface BinaryOutputs {
  /** Model score = probability of class 1, in [0, 1]. */
  scores: readonly number[];
  /** The model's predicted label, 0 or 1. */
  predictions: readonly number[];
}

export interface LabelledOutputs extends BinaryOutputs {
  labels: readonly number[];
}

export interface CbpeOptions {
  /** Rows per reference chunk for the alert thresholds (required: the same size you will estimate on). */
  chunkSize: number;
  calibration?: 'auto' | 'always' | 'never';
}

export interface SamplingComponent {
  /** Population std of the per-row contributions on the reference. */
  std: number;
  /** Share of rows the metric is computed on (1 for accuracy, predicted-positive share for precision, …). */
  fraction: number;
}

/** A fitted CBPE: plain JSON-serialisable data. */
export interface CbpeModel {
  calibrated: boolean;
  calibrator: IsotonicModel | null;
  /** Mean equal-count ECE of raw and calibrated scores over the splits; null when not tested. */
  calibrationCheck: { rawEce: number; calibratedEce: number } | null;
  sampling: Record<CbpeMetric, SamplingComponent | null>;
  thresholds: Record<CbpeMetric, { lower: number | null; upper: number | null }>;
  referenceRows: number;
  referenceChunks: number;
}

export interface MetricEstimate {
  value: number | null;
  /** Standard error of a chunk of this size; null when not available. */
  samplingError: number | null;
  /** value ± 3·SE, clipped to [0, 1]. */
  lower: number | null;
  upper: number | null;
  /** value outside the reference thresholds. */
  alert: boolean;
}

export interface CbpeEstimate {
  n: number;
  metrics: Record<CbpeMetric, MetricEstimate>;
}

function checkOutputs(o: BinaryOutputs, fn: string, labels?: readonly number[]): void {
  const n = o.scores.length;
  if (o.predictions.length !== n)
    throw new RangeError(
      `${fn}: scores and predictions must have the same length, got ${n} and ${o.predictions.length}.`,
    );
  if (labels !== undefined && labels.length !== n)
    throw new RangeError(
      `${fn}: scores and labels must have the same length, got ${n} and ${labels.length}.`,
    );
  for (let i = 0; i < n; i++) {
    const s = o.scores[i]!;
    if (!(s >= 0 && s <= 1))
      throw new RangeError(`${fn}: scores[${i}] must be a probability in [0, 1], got ${s}.`);
    const p = o.predictions[i]!;
    if (p !== 0 && p !== 1) throw new RangeError(`${fn}: predictions[${i}] must be 0 or 1, got ${p}.`);
    if (labels !== undefined && labels[i] !== 0 && labels[i] !== 1)
      throw new RangeError(`${fn}: labels[${i}] must be 0 or 1, got ${labels[i]}.`);
  }
}

export interface ExpectedConfusion {
  tp: number;
  fp: number;
  tn: number;
  fn: number;
}

/** Expected confusion matrix from probabilities `p` of class 1 and predicted labels (exact counts when p is 0/1). */
export function expectedConfusion(p: ArrayLike<number>, predictions: ArrayLike<number>): ExpectedConfusion {
  let tp = 0;
  let fp = 0;
  let tn = 0;
  let fn = 0;
  for (let i = 0; i < p.length; i++) {
    const q = p[i]!;
    if (predictions[i] === 1) {
      tp += q;
      fp += 1 - q;
    } else {
      fn += q;
      tn += 1 - q;
    }
  }
  return { tp, fp, tn, fn };
}

const ratio = (a: number, b: number): number | null => (b > 0 ? a / b : null);

/** accuracy, precision, recall, F1 (2TP/(2TP+FP+FN)), specificity from a (possibly expected) confusion matrix. */
export function confusionMetrics(c: ExpectedConfusion): Omit<Record<CbpeMetric, number | null>, 'roc_auc'> {
  const n = c.tp + c.fp + c.tn + c.fn;
  return {
    accuracy: ratio(c.tp + c.tn, n),
    precision: ratio(c.tp, c.tp + c.fp),
    recall: ratio(c.tp, c.tp + c.fn),
    f1: ratio(2 * c.tp, 2 * c.tp + c.fp + c.fn),
    specificity: ratio(c.tn, c.tn + c.fp),
  };
}

/**
 * CBPE's estimated ROC AUC (NannyML `estimate_roc_auc`, methods.md §5.1): thresholds are the sorted p with a 1
 * appended, and — as in NannyML's arrays — that appended 1 also enters the cumulative sums as a row with p = 1,
 * so TP(t) = Σ_{p≥t} p + 1 (vector: 0.8675). The curve points (FPR, TPR) over distinct thresholds are integrated
 * by the trapezoid rule. The phantom row biases the estimate up by O(1/Σp); negligible for chunks of hundreds.
 * Null for an empty chunk or when Σ(1−p) = 0.
 */
export function estimatedRocAuc(p: ArrayLike<number>): number | null {
  const n = p.length;
  if (n === 0) return null;
  const th = Float64Array.from({ length: n + 1 }, (_, i) => (i < n ? p[i]! : 1)).sort();
  // suffix sums (≥ i) and prefix sums (< i)
  const m = th.length;
  const sufP = new Float64Array(m + 1);
  const sufQ = new Float64Array(m + 1);
  for (let i = m - 1; i >= 0; i--) {
    sufP[i] = sufP[i + 1]! + th[i]!;
    sufQ[i] = sufQ[i + 1]! + (1 - th[i]!);
  }
  const totP = sufP[0]!;
  const totQ = sufQ[0]!;
  if (totQ <= 0) return null;
  const fpr: number[] = [];
  const tpr: number[] = [];
  for (let i = 0; i < m; i++) {
    if (i > 0 && th[i] === th[i - 1]) continue;
    const tp = sufP[i]!;
    const fn = totP - tp;
    const fp = sufQ[i]!;
    const tn = totQ - fp;
    tpr.push(tp / (tp + fn));
    fpr.push(fp / (fp + tn));
  }
  let area = 0;
  for (let k = 1; k < fpr.length; k++) area += ((fpr[k - 1]! - fpr[k]!) * (tpr[k - 1]! + tpr[k]!)) / 2;
  return Math.abs(area);
}

function popStd(values: ArrayLike<number>): number {
  const n = values.length;
  if (n === 0) return 0;
  let mean = 0;
  for (let i = 0; i < n; i++) mean += values[i]!;
  mean /= n;
  let s = 0;
  for (let i = 0; i < n; i++) s += (values[i]! - mean) ** 2;
  return Math.sqrt(s / n);
}

/**
 * Sampling-error components of methods.md §5.1 from labelled reference rows: `SE = std / sqrt(n_chunk · fraction)`.
 * ROC AUC: classes are flipped so positives are the minority; after a stable sort by score, the j-th positive
 * (0-based) contributes `(rank_j − j) / n_neg`, the number of negatives ranked below it. Specificity uses the
 * recall construction on the negatives.
 */
export function samplingComponents(ref: LabelledOutputs): Record<CbpeMetric, SamplingComponent | null> {
  const { scores, predictions: yh, labels: y } = ref;
  const n = y.length;
  const comp = (vals: number[]): SamplingComponent | null =>
    vals.length === 0 ? null : { std: popStd(vals), fraction: vals.length / n };
  const acc: number[] = [];
  const prec: number[] = [];
  const rec: number[] = [];
  const spec: number[] = [];
  let tp = 0;
  let fp = 0;
  let fn = 0;
  for (let i = 0; i < n; i++) {
    acc.push(y[i] === yh[i] ? 1 : 0);
    if (yh[i] === 1) prec.push(y[i] === 1 ? 1 : 0);
    if (y[i] === 1) rec.push(yh[i] === 1 ? 1 : 0);
    if (y[i] === 0) spec.push(yh[i] === 0 ? 1 : 0);
    if (y[i] === 1 && yh[i] === 1) tp++;
    else if (y[i] === 0 && yh[i] === 1) fp++;
    else if (y[i] === 1 && yh[i] === 0) fn++;
  }
  const relevant = tp + fp + fn;
  const factor = relevant / ((fn + fp) * 0.5 + tp);
  const f1 = relevant === 0 ? [] : [...Array(tp).fill(factor), ...Array(fp + fn).fill(0)];

  let auc: SamplingComponent | null = null;
  const nPos0 = y.reduce((a: number, b) => a + b, 0);
  if (nPos0 > 0 && nPos0 < n) {
    const flip = nPos0 / n > 0.5;
    const yy = y.map((v) => (flip ? 1 - v : v));
    const ss = scores.map((s) => (flip ? 1 - s : s));
    const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => ss[a]! - ss[b]! || a - b);
    const nPos = flip ? n - nPos0 : nPos0;
    const nNeg = n - nPos;
    const ser: number[] = [];
    order.forEach((row, rank) => {
      if (yy[row] === 1) ser.push((rank - ser.length) / nNeg);
    });
    auc = { std: popStd(ser), fraction: nPos / n };
  }
  return {
    accuracy: comp(acc),
    precision: comp(prec),
    recall: comp(rec),
    f1: comp(f1),
    specificity: comp(spec),
    roc_auc: auc,
  };
}

/** Stratified shuffle split: per class, a shuffled `testShare` (at least 1 row) goes to test. */
function stratifiedSplit(
  labels: readonly number[],
  testShare: number,
  rng: Rng,
): { train: number[]; test: number[] } {
  const train: number[] = [];
  const test: number[] = [];
  for (const cls of [0, 1]) {
    const idx = labels.flatMap((v, i) => (v === cls ? [i] : []));
    for (let i = idx.length - 1; i > 0; i--) {
      const j = rng.nextInt(i + 1);
      [idx[i], idx[j]] = [idx[j]!, idx[i]!];
    }
    const k = Math.min(idx.length - 1, Math.max(1, Math.round(idx.length * testShare)));
    test.push(...idx.slice(0, k));
    train.push(...idx.slice(k));
  }
  return { train, test };
}

function calibrationCheck(ref: LabelledOutputs, rng: Rng): { rawEce: number; calibratedEce: number } | null {
  const pos = ref.labels.reduce((a: number, b) => a + b, 0);
  if (pos < 2 || ref.labels.length - pos < 2 || ref.labels.length < 40) return null;
  let raw = 0;
  let cal = 0;
  for (let s = 0; s < 3; s++) {
    const { train, test } = stratifiedSplit(ref.labels, 0.1, rng);
    const { model } = fitIsotonic(
      train.map((i) => ref.scores[i]!),
      train.map((i) => ref.labels[i]!),
    );
    const ys = test.map((i) => ref.labels[i]!);
    raw += expectedCalibrationError(
      test.map((i) => ref.scores[i]!),
      ys,
      'equal_count',
    ).value;
    cal += expectedCalibrationError(
      test.map((i) => predictIsotonic(model, ref.scores[i]!)),
      ys,
      'equal_count',
    ).value;
  }
  return { rawEce: raw / 3, calibratedEce: cal / 3 };
}

function realisedMetrics(rows: LabelledOutputs): Record<CbpeMetric, number | null> {
  const base = confusionMetrics(expectedConfusion(rows.labels, rows.predictions));
  const auc = binaryRocAuc(Uint8Array.from(rows.labels), Float64Array.from(rows.scores));
  return { ...base, roc_auc: auc };
}

/** Fits CBPE on a labelled reference (see the module comment). `rng` drives the calibration splits. */
export function fitCbpe(reference: LabelledOutputs, rng: Rng, options: CbpeOptions): CbpeModel {
  checkOutputs(reference, 'fitCbpe', reference.labels);
  const n = reference.scores.length;
  const { chunkSize } = options;
  if (!Number.isInteger(chunkSize) || chunkSize < 1)
    throw new RangeError(`fitCbpe: chunkSize must be an integer ≥ 1, got ${chunkSize}.`);
  if (n === 0) throw new RangeError('fitCbpe: the reference is empty.');
  const mode = options.calibration ?? 'auto';
  const check = mode === 'auto' ? calibrationCheck(reference, rng) : null;
  const calibrate = mode === 'always' || (check !== null && check.calibratedEce < check.rawEce);
  const calibrator = calibrate ? fitIsotonic(reference.scores, reference.labels).model : null;

  const chunks = Math.floor(n / chunkSize);
  const perChunk: Record<CbpeMetric, number[]> = {
    accuracy: [],
    precision: [],
    recall: [],
    f1: [],
    specificity: [],
    roc_auc: [],
  };
  for (let c = 0; c < chunks; c++) {
    const lo = c * chunkSize;
    const hi = c === chunks - 1 ? n : lo + chunkSize;
    const m = realisedMetrics({
      scores: reference.scores.slice(lo, hi),
      predictions: reference.predictions.slice(lo, hi),
      labels: reference.labels.slice(lo, hi),
    });
    for (const k of CBPE_METRICS) if (m[k] !== null) perChunk[k].push(m[k]);
  }
  const thresholds = {} as CbpeModel['thresholds'];
  for (const k of CBPE_METRICS) {
    const v = perChunk[k];
    if (v.length < 2) thresholds[k] = { lower: null, upper: null };
    else {
      const mean = v.reduce((a, b) => a + b, 0) / v.length;
      const sd = popStd(v);
      thresholds[k] = { lower: Math.max(0, mean - 3 * sd), upper: Math.min(1, mean + 3 * sd) };
    }
  }
  return {
    calibrated: calibrate,
    calibrator,
    calibrationCheck: check,
    sampling: samplingComponents(reference),
    thresholds,
    referenceRows: n,
    referenceChunks: chunks,
  };
}

/** Applies the fitted calibrator (if any) to a raw score. */
export function calibrateScore(model: CbpeModel, score: number): number {
  return model.calibrator === null ? score : predictIsotonic(model.calibrator, score);
}

/** Estimates the metrics of one window of unlabelled outputs with a fitted CBPE. */
export function estimateCbpe(model: CbpeModel, chunk: BinaryOutputs): CbpeEstimate {
  checkOutputs(chunk, 'estimateCbpe');
  const n = chunk.scores.length;
  const p = Float64Array.from(chunk.scores, (s) => calibrateScore(model, s));
  const values: Record<CbpeMetric, number | null> = {
    ...confusionMetrics(expectedConfusion(p, chunk.predictions)),
    roc_auc: estimatedRocAuc(p),
  };
  const metrics = {} as Record<CbpeMetric, MetricEstimate>;
  for (const k of CBPE_METRICS) {
    const value = values[k];
    const comp = model.sampling[k];
    const se =
      comp === null || n === 0 || comp.fraction === 0 ? null : comp.std / Math.sqrt(n * comp.fraction);
    const th = model.thresholds[k];
    metrics[k] = {
      value,
      samplingError: se,
      lower: value === null || se === null ? null : Math.max(0, value - 3 * se),
      upper: value === null || se === null ? null : Math.min(1, value + 3 * se),
      alert:
        value !== null &&
        ((th.lower !== null && value < th.lower) || (th.upper !== null && value > th.upper)),
    };
  }
  return { n, metrics };
}

/**
 * Multiclass CBPE, one-vs-rest macro average (see the module comment). `probabilities[i][c]` is the calibrated
 * probability of class c for row i (rows sum to 1); `predictions[i]` the predicted class index.
 */
export function estimateCbpeMulticlass(
  probabilities: readonly (readonly number[])[],
  predictions: readonly number[],
): Record<CbpeMetric, number | null> {
  const n = probabilities.length;
  if (predictions.length !== n)
    throw new RangeError(
      `estimateCbpeMulticlass: ${n} probability rows but ${predictions.length} predictions.`,
    );
  if (n === 0)
    return { accuracy: null, precision: null, recall: null, f1: null, specificity: null, roc_auc: null };
  const k = probabilities[0]!.length;
  probabilities.forEach((row, i) => {
    if (row.length !== k)
      throw new RangeError(
        `estimateCbpeMulticlass: probabilities[${i}] has ${row.length} classes, expected ${k}.`,
      );
    if (!Number.isInteger(predictions[i]) || predictions[i]! < 0 || predictions[i]! >= k)
      throw new RangeError(
        `estimateCbpeMulticlass: predictions[${i}] must be a class index in [0, ${k}), got ${predictions[i]}.`,
      );
  });
  let acc = 0;
  for (let i = 0; i < n; i++) acc += probabilities[i]![predictions[i]!]!;
  const sums: Record<Exclude<CbpeMetric, 'accuracy'>, number[]> = {
    precision: [],
    recall: [],
    f1: [],
    specificity: [],
    roc_auc: [],
  };
  for (let c = 0; c < k; c++) {
    const p = Float64Array.from(probabilities, (row) => row[c]!);
    const yh = Uint8Array.from(predictions, (v) => (v === c ? 1 : 0));
    const m = confusionMetrics(expectedConfusion(p, yh));
    const auc = estimatedRocAuc(p);
    for (const key of ['precision', 'recall', 'f1', 'specificity'] as const)
      if (m[key] !== null) sums[key].push(m[key]);
    if (auc !== null) sums.roc_auc.push(auc);
  }
  const mean = (v: number[]) => (v.length === 0 ? null : v.reduce((a, b) => a + b, 0) / v.length);
  return {
    accuracy: acc / n,
    precision: mean(sums.precision),
    recall: mean(sums.recall),
    f1: mean(sums.f1),
    specificity: mean(sums.specificity),
    roc_auc: mean(sums.roc_auc),
  };
}
