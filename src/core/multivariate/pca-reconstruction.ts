/**
 * @module
 * Data-reconstruction drift (NannyML `DataReconstructionDriftCalculator`, methods.md §3.1).
 *
 * When to use: several features whose *joint* distribution may change while each marginal holds still
 * (a correlation that flips sign, a sensor pair that stops agreeing). PCA is fitted on the reference; a
 * chunk whose rows are reconstructed worse than the reference chunks were has moved off the reference's
 * principal subspace. Assumptions: relations are roughly linear; features have been standardised on the
 * reference (done here). Minimum sample: the reference must hold several chunks (≥ 5, default 10) of
 * the chunk size used later, so the mean ± 3 std thresholds mean something.
 *
 * Steps (fit on reference): impute (continuous → mean, categorical → most frequent); frequency-encode
 * categoricals (value → share of reference rows holding it, unseen → 0); standardise (`(x − mean)/std_pop`,
 * std 0 → 1 as sklearn's `StandardScaler`); PCA keeping the fewest components whose cumulative explained
 * variance ratio is > 0.65. Row error = ‖z − ẑ‖₂ with ẑ = μ + (z − μ)WᵀW; chunk metric = mean row error.
 */
export type { Cell, Columns } from './columns.js';

import { type Columns, columnLength, isMissing } from './columns.js';
import { assertNumericRows, columnMeans, covarianceMatrix, type Matrix, symmetricEigen } from './linalg.js';

export interface PcaReconstructionOptions {
  /** Numeric features; default: every column whose non-missing values are all numbers. */
  continuous?: readonly string[];
  /** Categorical features; default: every other column. */
  categorical?: readonly string[];
  /** Share of variance the kept components must exceed; default 0.65. */
  varianceKept?: number;
  /** Rows per reference chunk for the thresholds; default ⌊n/10⌋ (ten chunks). Use the window size. */
  chunkSize?: number;
  /** Multiplier of the std in mean ± k·std; default 3. */
  stdMultiplier?: number;
  /** ddof of the std over reference chunk metrics: 0 (current NannyML, default) or 1 (older releases). */
  ddof?: 0 | 1;
}

export interface PcaChunkResult {
  n: number;
  /** Mean reconstruction error of the chunk's rows; null for an empty chunk. */
  meanError: number | null;
  lower: number;
  upper: number;
  alert: boolean;
  /** σ_ref/√n, σ_ref = std (ddof 0) of per-row errors on the reference; null for an empty chunk. */
  samplingError: number | null;
}

export interface PcaReconstructionModel {
  features: string[];
  continuous: string[];
  categorical: string[];
  nComponents: number;
  /** Explained-variance ratio of every principal component, descending. */
  explainedVarianceRatio: number[];
  /** Reference chunk metrics the thresholds were computed from. */
  referenceChunks: number[];
  chunkSize: number;
  lower: number;
  upper: number;
  /** Std (ddof 0) of per-row reconstruction errors over the whole reference. */
  referenceRowErrorStd: number;
  /** Reconstruction error of every row of `columns` (same feature names as the reference). */
  rowErrors(columns: Columns): number[];
  /** Chunk metric and alert for one chunk of rows. */
  evaluate(columns: Columns): PcaChunkResult;
}

interface Preprocessor {
  features: string[];
  continuous: string[];
  categorical: string[];
  toMatrix(columns: Columns, what: string): number[][];
}

function fitPreprocessor(reference: Columns, options: PcaReconstructionOptions): Preprocessor {
  const n = columnLength(reference, 'pca reconstruction reference');
  if (n < 2) throw new Error(`pca reconstruction reference: needs at least 2 rows, got ${n}`);
  let continuous = options.continuous ? [...options.continuous] : undefined;
  let categorical = options.categorical ? [...options.categorical] : undefined;
  if (!continuous || !categorical) {
    const numeric: string[] = [];
    const other: string[] = [];
    for (const [name, col] of Object.entries(reference)) {
      if (continuous?.includes(name) || categorical?.includes(name)) continue;
      let allNumbers = true;
      for (let i = 0; i < col.length && allNumbers; i++) {
        const v = col[i];
        if (!isMissing(v) && typeof v !== 'number') allNumbers = false;
      }
      (allNumbers ? numeric : other).push(name);
    }
    continuous ??= numeric;
    categorical ??= other;
  }
  for (const name of [...continuous, ...categorical])
    if (!(name in reference)) throw new Error(`pca reconstruction reference: no column '${name}'`);
  const features = [...continuous, ...categorical];
  if (features.length === 0) throw new Error('pca reconstruction reference: no features to use');

  const fill = new Map<string, number>();
  for (const name of continuous) {
    const col = reference[name]!;
    let sum = 0;
    let count = 0;
    for (let i = 0; i < col.length; i++) {
      const v = col[i];
      if (isMissing(v)) continue;
      if (typeof v !== 'number' || !Number.isFinite(v))
        throw new Error(
          `pca reconstruction reference: column '${name}', row ${i}: not a finite number (${String(v)})`,
        );
      sum += v;
      count++;
    }
    if (count === 0) throw new Error(`pca reconstruction reference: column '${name}' has no values`);
    fill.set(name, sum / count);
  }
  const encoders = new Map<string, { freq: Map<string, number>; mode: string }>();
  for (const name of categorical) {
    const col = reference[name]!;
    const counts = new Map<string, number>();
    for (let i = 0; i < col.length; i++) {
      const v = col[i];
      if (!isMissing(v)) counts.set(String(v), (counts.get(String(v)) ?? 0) + 1);
    }
    if (counts.size === 0) throw new Error(`pca reconstruction reference: column '${name}' has no values`);
    let mode = '';
    let best = -1;
    for (const [k, c] of counts) if (c > best || (c === best && k < mode)) [mode, best] = [k, c];
    // imputed rows take the mode, so they count towards its frequency (encoder fitted after imputation)
    let missing = col.length;
    for (const c of counts.values()) missing -= c;
    counts.set(mode, best + missing);
    const freq = new Map<string, number>();
    for (const [k, c] of counts) freq.set(k, c / col.length);
    encoders.set(name, { freq, mode });
  }
  const raw = (columns: Columns, what: string): number[][] => {
    const m = columnLength(columns, what);
    for (const name of features) if (!(name in columns)) throw new Error(`${what}: no column '${name}'`);
    const rows: number[][] = Array.from({ length: m }, () => new Array<number>(features.length));
    continuous!.forEach((name, j) => {
      const col = columns[name]!;
      const f = fill.get(name)!;
      for (let i = 0; i < m; i++) {
        const v = col[i];
        if (isMissing(v)) rows[i]![j] = f;
        else if (typeof v === 'number' && Number.isFinite(v)) rows[i]![j] = v;
        else throw new Error(`${what}: column '${name}', row ${i}: not a finite number (${String(v)})`);
      }
    });
    categorical!.forEach((name, k) => {
      const j = continuous!.length + k;
      const col = columns[name]!;
      const { freq, mode } = encoders.get(name)!;
      for (let i = 0; i < m; i++) {
        const v = col[i];
        rows[i]![j] = freq.get(isMissing(v) ? mode : String(v)) ?? 0;
      }
    });
    return rows;
  };
  const encoded = raw(reference, 'pca reconstruction reference');
  const mean = columnMeans(encoded);
  const scale = covarianceMatrix(encoded, 'mle', mean).map((row, j) => {
    const sd = Math.sqrt(row[j]!);
    return sd > 0 ? sd : 1;
  });
  return {
    features,
    continuous,
    categorical,
    toMatrix: (columns, what) =>
      raw(columns, what).map((row) => row.map((x, j) => (x - mean[j]!) / scale[j]!)),
  };
}

/** Population std (ddof 0) or sample std (ddof 1) of `xs`; 0 when there are too few values. */
function std(xs: readonly number[], ddof: 0 | 1): number {
  const n = xs.length;
  if (n - ddof <= 0) return 0;
  const m = xs.reduce((s, x) => s + x, 0) / n;
  return Math.sqrt(xs.reduce((s, x) => s + (x - m) ** 2, 0) / (n - ddof));
}

/**
 * Principal axes of a standardised matrix and the number kept: the fewest whose cumulative explained
 * variance ratio is > `varianceKept` (sklearn `PCA(n_components=float)`: `searchsorted(side='right') + 1`).
 */
export function principalComponents(
  z: Matrix,
  varianceKept: number,
): { mean: number[]; components: number[][]; ratio: number[]; nComponents: number } {
  assertNumericRows(z, 'pca');
  const mean = columnMeans(z);
  const { values, vectors } = symmetricEigen(covarianceMatrix(z, 'mle', mean));
  const clipped = values.map((v) => Math.max(0, v));
  const total = clipped.reduce((s, v) => s + v, 0);
  const ratio = clipped.map((v) => (total > 0 ? v / total : 0));
  let nComponents = 0;
  let cum = 0;
  while (nComponents < ratio.length) {
    cum += ratio[nComponents]!;
    nComponents++;
    if (cum > varianceKept) break;
  }
  return { mean, components: vectors.slice(0, nComponents), ratio, nComponents };
}

/**
 * Fits the data-reconstruction drift detector on reference columns (methods.md §3.1) and computes the
 * thresholds from reference chunks. Errors name the column and row of bad values. Edge cases: constant
 * features are scaled by 1 and contribute nothing; when every feature is constant all errors are 0 and any
 * change in a chunk still shows as a larger error.
 */
export function fitPcaReconstruction(
  reference: Columns,
  options: PcaReconstructionOptions = {},
): PcaReconstructionModel {
  const varianceKept = options.varianceKept ?? 0.65;
  if (!(varianceKept > 0 && varianceKept < 1))
    throw new Error(`pca reconstruction: varianceKept must be in (0, 1), got ${varianceKept}`);
  const k = options.stdMultiplier ?? 3;
  const ddof = options.ddof ?? 0;
  const pre = fitPreprocessor(reference, options);
  const z = pre.toMatrix(reference, 'pca reconstruction reference');
  const n = z.length;
  const { mean, components, ratio, nComponents } = principalComponents(z, varianceKept);
  const d = mean.length;

  const errorsOf = (rows: number[][]): number[] =>
    rows.map((row) => {
      const centred = row.map((x, j) => x - mean[j]!);
      const recon = new Array<number>(d).fill(0);
      for (const w of components) {
        let score = 0;
        for (let j = 0; j < d; j++) score += centred[j]! * w[j]!;
        for (let j = 0; j < d; j++) recon[j]! += score * w[j]!;
      }
      let s = 0;
      for (let j = 0; j < d; j++) s += (centred[j]! - recon[j]!) ** 2;
      return Math.sqrt(s);
    });

  const referenceErrors = errorsOf(z);
  const chunkSize = options.chunkSize ?? Math.floor(n / 10);
  if (!Number.isInteger(chunkSize) || chunkSize < 1 || chunkSize > n)
    throw new Error(`pca reconstruction: chunkSize must be an integer in [1, ${n}], got ${chunkSize}`);
  const referenceChunks: number[] = [];
  // full chunks only: a short last chunk would widen the thresholds with its extra noise
  for (let start = 0; start + chunkSize <= n; start += chunkSize) {
    let s = 0;
    for (let i = start; i < start + chunkSize; i++) s += referenceErrors[i]!;
    referenceChunks.push(s / chunkSize);
  }
  const chunkMean = referenceChunks.reduce((s, x) => s + x, 0) / referenceChunks.length;
  const chunkStd = std(referenceChunks, ddof);
  const lower = Math.max(0, chunkMean - k * chunkStd);
  const upper = chunkMean + k * chunkStd;
  const referenceRowErrorStd = std(referenceErrors, 0);

  const rowErrors = (columns: Columns): number[] =>
    errorsOf(pre.toMatrix(columns, 'pca reconstruction chunk'));
  return {
    features: pre.features,
    continuous: pre.continuous,
    categorical: pre.categorical,
    nComponents,
    explainedVarianceRatio: ratio,
    referenceChunks,
    chunkSize,
    lower,
    upper,
    referenceRowErrorStd,
    rowErrors,
    evaluate: (columns) => {
      const errors = rowErrors(columns);
      const m = errors.length;
      if (m === 0) return { n: 0, meanError: null, lower, upper, alert: false, samplingError: null };
      const meanError = errors.reduce((s, x) => s + x, 0) / m;
      return {
        n: m,
        meanError,
        lower,
        upper,
        alert: meanError > upper || meanError < lower,
        samplingError: referenceRowErrorStd / Math.sqrt(m),
      };
    },
  };
}

/** Turns rows into columns named `names` (or `x0`, `x1`, …), for callers holding a matrix. */
export function rowsToColumns(rows: Matrix, names?: readonly string[]): Record<string, number[]> {
  const d = rows[0]?.length ?? names?.length ?? 0;
  const keys = names ?? Array.from({ length: d }, (_, j) => `x${j}`);
  const out: Record<string, number[]> = {};
  keys.forEach((key, j) => {
    out[key] = rows.map((r) => r[j]!);
  });
  return out;
}
