/**
 * Calibration of binary scores: expected calibration error (ECE) in its two common binnings, and isotonic
 * regression (pool-adjacent-violators) to recalibrate scores — methods.md §5.1, used by CBPE.
 */

export type EceBinning = 'equal_width' | 'equal_count';

export interface EceBin {
  count: number;
  meanScore: number;
  meanLabel: number;
}

export interface EceResult {
  value: number;
  binning: EceBinning;
  /** Non-empty bins, in score order. */
  bins: EceBin[];
}

function checkScoresLabels(scores: readonly number[], labels: readonly number[], fn: string): void {
  if (scores.length !== labels.length)
    throw new RangeError(
      `${fn}: scores and labels must have the same length, got ${scores.length} and ${labels.length}.`,
    );
  for (let i = 0; i < scores.length; i++) {
    const s = scores[i]!;
    if (!(s >= 0 && s <= 1))
      throw new RangeError(`${fn}: scores[${i}] must be a probability in [0, 1], got ${s}.`);
    const y = labels[i]!;
    if (y !== 0 && y !== 1) throw new RangeError(`${fn}: labels[${i}] must be 0 or 1, got ${y}.`);
  }
}

function summarise(scores: readonly number[], labels: readonly number[], members: number[]): EceBin {
  let s = 0;
  let y = 0;
  for (const i of members) {
    s += scores[i]!;
    y += labels[i]!;
  }
  return { count: members.length, meanScore: s / members.length, meanLabel: y / members.length };
}

/**
 * Expected calibration error `Σ_b (|b|/n)·|mean(score_b) − mean(label_b)|` (methods.md §5.1).
 *
 * - `equal_width` (default `bins` 10): bin edges `i · (1/bins)` as `numpy.linspace(0, 1, bins + 1)` computes
 *   them, left-closed `[lo, hi)` as `numpy.digitize`, with a score of exactly 1 in the last bin. (The float edges
 *   matter at the boundaries: `3 · 0.1 = 0.30000000000000004`, so a score of 0.3 falls in the third bin.)
 * - `equal_count` (NannyML's `calibration.py`): sort by score and cut the index range at
 *   `floor(linspace(0, n, bins + 1))`; when `n ≤ 2·bins` use `n // 2` bins, and fewer than 2 bins is an error.
 *
 * Edge cases: empty input throws; scores outside [0, 1] or labels other than 0/1 throw naming the index.
 */
export function expectedCalibrationError(
  scores: readonly number[],
  labels: readonly number[],
  binning: EceBinning = 'equal_count',
  bins = 10,
): EceResult {
  checkScoresLabels(scores, labels, 'expectedCalibrationError');
  const n = scores.length;
  if (n === 0) throw new RangeError('expectedCalibrationError: needs at least one score.');
  if (!Number.isInteger(bins) || bins < 1)
    throw new RangeError(`expectedCalibrationError: bins must be an integer ≥ 1, got ${bins}.`);
  const groups: number[][] = [];
  if (binning === 'equal_width') {
    const step = 1 / bins;
    const members: number[][] = Array.from({ length: bins }, () => []);
    for (let i = 0; i < n; i++) {
      const s = scores[i]!;
      // Index of the last edge ≤ s, searched against the float edges k·step (see doc comment).
      let b = Math.min(bins - 1, Math.floor(s * bins));
      while (b > 0 && b * step > s) b--;
      while (b < bins - 1 && (b + 1) * step <= s) b++;
      members[b]!.push(i);
    }
    for (const m of members) if (m.length > 0) groups.push(m);
  } else if (binning === 'equal_count') {
    let count = bins;
    if (n <= 2 * bins) {
      count = Math.floor(n / 2);
      if (count < 2)
        throw new RangeError(`expectedCalibrationError: equal_count needs at least 4 scores, got ${n}.`);
    }
    const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => scores[a]! - scores[b]! || a - b);
    const step = n / count;
    for (let k = 0; k < count; k++) {
      const lo = Math.trunc(k * step);
      const hi = k === count - 1 ? n : Math.trunc((k + 1) * step);
      if (hi > lo) groups.push(order.slice(lo, hi));
    }
  } else {
    throw new RangeError(
      `expectedCalibrationError: binning must be equal_width or equal_count, got ${String(binning)}.`,
    );
  }
  const out = groups.map((g) => summarise(scores, labels, g));
  const value = out.reduce((acc, b) => acc + (b.count / n) * Math.abs(b.meanScore - b.meanLabel), 0);
  return { value, binning, bins: out };
}

/** A fitted isotonic (non-decreasing) map: breakpoints `x` ascending with their fitted `y`. JSON-serialisable. */
export interface IsotonicModel {
  x: number[];
  y: number[];
}

/**
 * Fits a non-decreasing step function to `(x, y)` by pool-adjacent-violators with optional positive weights
 * (methods.md §5.1; scipy.optimize.isotonic_regression / sklearn IsotonicRegression(increasing=True)).
 * Equal x values are first merged into their weighted mean, as sklearn does. Returns the model and the fitted
 * value of every input row (original order). Throws on empty, mismatched or non-finite input.
 */
export function fitIsotonic(
  x: readonly number[],
  y: readonly number[],
  weights?: readonly number[],
): { model: IsotonicModel; fitted: number[] } {
  const n = x.length;
  if (n === 0) throw new RangeError('fitIsotonic: needs at least one point.');
  if (y.length !== n)
    throw new RangeError(`fitIsotonic: x and y must have the same length, got ${n} and ${y.length}.`);
  if (weights !== undefined && weights.length !== n)
    throw new RangeError(`fitIsotonic: weights must have the length of x (${n}), got ${weights.length}.`);
  for (let i = 0; i < n; i++) {
    if (!Number.isFinite(x[i]!)) throw new RangeError(`fitIsotonic: x[${i}] must be finite, got ${x[i]}.`);
    if (!Number.isFinite(y[i]!)) throw new RangeError(`fitIsotonic: y[${i}] must be finite, got ${y[i]}.`);
    const w = weights?.[i] ?? 1;
    if (!(w > 0 && Number.isFinite(w)))
      throw new RangeError(`fitIsotonic: weights[${i}] must be > 0, got ${w}.`);
  }
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => x[a]! - x[b]! || a - b);
  // Merge ties in x: unique xs with the weighted mean of their y.
  const ux: number[] = [];
  const uy: number[] = [];
  const uw: number[] = [];
  const rowGroup = new Int32Array(n);
  for (const i of order) {
    const w = weights?.[i] ?? 1;
    const last = ux.length - 1;
    if (last >= 0 && ux[last] === x[i]) {
      uy[last] = (uy[last]! * uw[last]! + y[i]! * w) / (uw[last]! + w);
      uw[last]! += w;
    } else {
      ux.push(x[i]!);
      uy.push(y[i]!);
      uw.push(w);
    }
    rowGroup[i] = ux.length - 1;
  }
  // Pool adjacent violators over blocks (value, weight, size).
  const bv: number[] = [];
  const bw: number[] = [];
  const bn: number[] = [];
  for (let k = 0; k < ux.length; k++) {
    bv.push(uy[k]!);
    bw.push(uw[k]!);
    bn.push(1);
    while (bv.length > 1 && bv[bv.length - 2]! > bv[bv.length - 1]!) {
      const v2 = bv.pop()!;
      const w2 = bw.pop()!;
      const n2 = bn.pop()!;
      const j = bv.length - 1;
      bv[j] = (bv[j]! * bw[j]! + v2 * w2) / (bw[j]! + w2);
      bw[j]! += w2;
      bn[j]! += n2;
    }
  }
  const fittedUnique: number[] = [];
  bv.forEach((v, j) => {
    for (let t = 0; t < bn[j]!; t++) fittedUnique.push(v);
  });
  const fitted = Array.from({ length: n }, (_, i) => fittedUnique[rowGroup[i]!]!);
  return { model: { x: ux, y: fittedUnique }, fitted };
}

/**
 * Evaluates a fitted isotonic model at `v`: linear interpolation between breakpoints, clipped to the first and
 * last fitted values outside their range (sklearn `out_of_bounds='clip'`). NaN input throws.
 */
export function predictIsotonic(model: IsotonicModel, v: number): number {
  if (Number.isNaN(v)) throw new RangeError('predictIsotonic: value must not be NaN.');
  const { x, y } = model;
  const last = x.length - 1;
  if (last < 0) throw new RangeError('predictIsotonic: the model has no breakpoints.');
  if (v <= x[0]!) return y[0]!;
  if (v >= x[last]!) return y[last]!;
  let lo = 0;
  let hi = last;
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if (x[mid]! <= v) lo = mid;
    else hi = mid;
  }
  const t = (v - x[lo]!) / (x[hi]! - x[lo]!);
  return y[lo]! + t * (y[hi]! - y[lo]!);
}
