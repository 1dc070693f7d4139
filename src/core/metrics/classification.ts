/**
 * @module
 * Classification metrics with scikit-learn's definitions (sklearn.metrics, 1.2–1.5): confusion matrix,
 * accuracy, precision, recall, F1, ROC AUC and log loss. Labels are dense codes into a sorted label list,
 * so a million rows cost two Int32Arrays.
 *
 * Conventions, as scikit-learn's defaults:
 * - Confusion matrix rows are actual classes, columns predicted classes, both in label order.
 * - Binary problems (two labels) report precision, recall and F1 of the positive label (`average='binary'`);
 *   more labels report the unweighted mean over labels (`average='macro'`).
 * - A ratio with a zero denominator counts as 0 (`zero_division=0`; scikit-learn also warns).
 * - ROC AUC is the area under the trapezoidal ROC curve, which equals the Mann–Whitney probability
 *   P(score⁺ > score⁻) + ½·P(score⁺ = score⁻); it is computed that way (midranks, O(n log n)). Multiclass is
 *   one-vs-rest, macro-averaged (`multi_class='ovr'`). Null when a class has no positive or no negative row.
 * - Log loss clips probabilities to [1e-15, 1 − 1e-15], then renormalises each row to sum 1 (scikit-learn
 *   1.2's `eps=1e-15`; later releases clip at the float64 epsilon, which differs only for scores of exactly 0
 *   or 1).
 */

/** Rows of a classification problem: actual and predicted labels as codes into `labels`. */
export interface ClassificationRows {
  /** All labels that occur in either column, sorted. */
  labels: readonly string[];
  actual: Int32Array;
  predicted: Int32Array;
  /**
   * Predicted probability per label: `scores[k][i]` is P(label k) for row i; either one array per label,
   * or, for two labels, a single array holding the probability of the positive (second) label.
   */
  scores?: readonly Float64Array[] | null;
  /** Code of the positive label of a binary problem; defaults to `positiveIndex(labels)`. */
  positive?: number;
}

export interface ConfusionMatrix {
  labels: readonly string[];
  /** `counts[a][p]`: rows whose actual label is `a` and predicted label is `p`. */
  counts: number[][];
}

export interface ClassificationMetrics {
  task: 'classification';
  rows: number;
  labels: readonly string[];
  /** The positive label for binary problems, null for multiclass. */
  positiveLabel: string | null;
  average: 'binary' | 'macro';
  accuracy: number | null;
  precision: number | null;
  recall: number | null;
  f1: number | null;
  rocAuc: number | null;
  logLoss: number | null;
  confusionMatrix: ConfusionMatrix;
}

/**
 * Confusion matrix, scikit-learn's `confusion_matrix(y_true, y_pred, labels=labels)`.
 * @example confusionMatrix(Int32Array.of(0, 1, 1), Int32Array.of(0, 0, 1), 2) // [[1, 0], [1, 1]]
 */
export function confusionMatrix(actual: Int32Array, predicted: Int32Array, k: number): number[][] {
  const m = Array.from({ length: k }, () => new Array<number>(k).fill(0));
  for (let i = 0; i < actual.length; i++) m[actual[i]!]![predicted[i]!]!++;
  return m;
}

/** Accuracy (share of rows predicted right), `accuracy_score`; null for no rows. */
export function accuracy(actual: Int32Array, predicted: Int32Array): number | null {
  if (actual.length === 0) return null;
  let right = 0;
  for (let i = 0; i < actual.length; i++) if (actual[i] === predicted[i]) right++;
  return right / actual.length;
}

const ratio = (a: number, b: number) => (b === 0 ? 0 : a / b);

/** Precision, recall and F1 of label `k` from a confusion matrix (`zero_division=0`). */
export function perLabelScores(m: number[][], k: number): { precision: number; recall: number; f1: number } {
  const tp = m[k]![k]!;
  let predictedK = 0;
  let actualK = 0;
  for (let j = 0; j < m.length; j++) {
    predictedK += m[j]![k]!;
    actualK += m[k]![j]!;
  }
  const precision = ratio(tp, predictedK);
  const recall = ratio(tp, actualK);
  // F1 = 2TP / (2TP + FP + FN), which is 0 when both precision and recall are undefined or zero.
  const f1 = ratio(2 * tp, predictedK + actualK);
  return { precision, recall, f1 };
}

/**
 * ROC AUC of binary labels (`positive[i]` 1 or 0) against scores, `roc_auc_score`: the trapezoidal area,
 * computed as the midrank Mann–Whitney statistic. Null when all rows are of one class. NaN scores are not
 * allowed (the caller drops those rows).
 * @example binaryRocAuc(Uint8Array.of(0, 0, 1, 1), Float64Array.of(0.1, 0.4, 0.35, 0.8)) // 0.75
 */
export function binaryRocAuc(positive: Uint8Array, score: Float64Array): number | null {
  const n = positive.length;
  let nPos = 0;
  for (let i = 0; i < n; i++) nPos += positive[i]!;
  const nNeg = n - nPos;
  if (nPos === 0 || nNeg === 0) return null;
  const order = new Uint32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  order.sort((a, b) => score[a]! - score[b]!);
  let rankSumPos = 0;
  let i = 0;
  while (i < n) {
    let j = i + 1;
    const s = score[order[i]!]!;
    while (j < n && score[order[j]!]! === s) j++;
    // Rows i..j-1 tie: each gets the mean rank (1-based) of the run.
    const midrank = (i + 1 + j) / 2;
    for (let k = i; k < j; k++) if (positive[order[k]!] === 1) rankSumPos += midrank;
    i = j;
  }
  return (rankSumPos - (nPos * (nPos + 1)) / 2) / (nPos * nNeg);
}

const EPS = 1e-15;

/**
 * Log loss (cross-entropy, natural log), `log_loss(y_true, y_prob, eps=1e-15)`: probabilities are clipped to
 * [eps, 1 − eps] and each row renormalised to sum 1. `scores` as in `ClassificationRows`. Null for no rows.
 */
export function logLoss(actual: Int32Array, scores: readonly Float64Array[], k: number): number | null {
  const n = actual.length;
  if (n === 0) return null;
  const binaryOne = scores.length === 1 && k === 2;
  let total = 0;
  for (let i = 0; i < n; i++) {
    let sum = 0;
    let mine = 0;
    if (binaryOne) {
      const p1 = clip(scores[0]![i]!);
      const p0 = clip(1 - scores[0]![i]!);
      sum = p0 + p1;
      mine = actual[i] === 1 ? p1 : p0;
    } else {
      for (let c = 0; c < scores.length; c++) {
        const p = clip(scores[c]![i]!);
        sum += p;
        if (c === actual[i]) mine = p;
      }
    }
    total -= Math.log(mine / sum);
  }
  return total / n;
}

function clip(p: number): number {
  return Math.max(EPS, Math.min(p, 1 - EPS));
}

/** Index of the positive label of a binary problem: `1`, `true` or `yes` when present, else the second label. */
export function positiveIndex(labels: readonly string[]): number {
  const i = labels.findIndex((l) => ['1', 'true', 'yes', '1.0'].includes(l.toLowerCase()));
  return i >= 0 ? i : 1;
}

/**
 * All classification metrics of `rows`. Binary when there are exactly two labels (positive label
 * `rows.positive`, else from `positiveIndex`), macro-averaged otherwise. ROC AUC and log loss need `scores`.
 */
export function classificationMetrics(rows: ClassificationRows): ClassificationMetrics {
  const k = rows.labels.length;
  const n = rows.actual.length;
  const m = confusionMatrix(rows.actual, rows.predicted, k);
  const binary = k === 2;
  const pos = binary ? (rows.positive ?? positiveIndex(rows.labels)) : -1;
  let precision: number | null = null;
  let recall: number | null = null;
  let f1: number | null = null;
  if (n > 0 && binary) ({ precision, recall, f1 } = perLabelScores(m, pos));
  else if (n > 0 && k > 0) {
    let p = 0;
    let r = 0;
    let f = 0;
    for (let c = 0; c < k; c++) {
      const s = perLabelScores(m, c);
      p += s.precision;
      r += s.recall;
      f += s.f1;
    }
    precision = p / k;
    recall = r / k;
    f1 = f / k;
  }
  let rocAuc: number | null = null;
  let loss: number | null = null;
  const scores = rows.scores;
  if (scores && n > 0 && k >= 2) {
    const oneColumn = scores.length === 1 && binary;
    // With a single probability column it is P(positive); align it with label codes.
    const perLabel: Float64Array[] = oneColumn
      ? pos === 1
        ? [complement(scores[0]!), scores[0]!]
        : [scores[0]!, complement(scores[0]!)]
      : [...scores];
    if (binary) {
      rocAuc = binaryRocAuc(indicator(rows.actual, pos), perLabel[pos]!);
    } else {
      let sum = 0;
      let defined = true;
      for (let c = 0; c < k; c++) {
        const a = binaryRocAuc(indicator(rows.actual, c), perLabel[c]!);
        if (a === null) defined = false;
        else sum += a;
      }
      rocAuc = defined ? sum / k : null;
    }
    loss = logLoss(rows.actual, perLabel, k);
  }
  return {
    task: 'classification',
    rows: n,
    labels: rows.labels,
    positiveLabel: binary ? rows.labels[pos]! : null,
    average: binary ? 'binary' : 'macro',
    accuracy: accuracy(rows.actual, rows.predicted),
    precision,
    recall,
    f1,
    rocAuc,
    logLoss: loss,
    confusionMatrix: { labels: rows.labels, counts: m },
  };
}

function indicator(actual: Int32Array, c: number): Uint8Array {
  const out = new Uint8Array(actual.length);
  for (let i = 0; i < actual.length; i++) out[i] = actual[i] === c ? 1 : 0;
  return out;
}

function complement(p: Float64Array): Float64Array {
  const out = new Float64Array(p.length);
  for (let i = 0; i < p.length; i++) out[i] = 1 - p[i]!;
  return out;
}
