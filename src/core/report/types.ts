/**
 * @module
 * The shape of a drift report: what `faultline report --json` writes and what the terminal and HTML
 * renderers read. Every number is finite or null (never NaN), so the JSON is the report.
 */
import type { ClassificationMetrics } from '../metrics/classification.js';
import type { RegressionMetrics } from '../metrics/regression.js';
import type { QualityReport } from '../quality/quality.js';
import type { ColumnKind } from '../schema/kinds.js';
import type { TableFormat } from '../schema/table.js';
import type { DriftMethod } from '../stats/index.js';
import type { CategoricalSummary, Chart, NumericSummary } from './summaries.js';

/** The part a column plays: features are tested for dataset drift; the others are reported apart. */
export type ColumnRole = 'feature' | 'target' | 'prediction' | 'proba' | 'id' | 'timestamp';

/** Where a column's method came from. */
export type MethodSource = 'auto' | 'option' | 'column-types';

/** One column of one file, summarised. */
export interface ColumnSideSummary {
  rows: number;
  missingShare: number;
  numeric: NumericSummary | null;
  categorical: CategoricalSummary | null;
  /** Date-time columns: first and last value, ISO-8601. */
  timeRange: { min: string; max: string } | null;
}

/** One column: its kind, role, drift test result (null fields when not tested) and summaries. */
export interface ColumnReport {
  name: string;
  role: ColumnRole;
  kind: ColumnKind;
  kindSource: 'inferred' | 'override';
  kindReason: string;
  presentIn: 'both' | 'reference' | 'current';
  tested: boolean;
  /** Why the column was not tested; null when it was. */
  skipped: string | null;
  method: DriftMethod | null;
  methodSource: MethodSource | null;
  /** The p-value for p-value tests, the distance for distances. */
  score: number | null;
  /** Null for distances (and untested columns). */
  pValue: number | null;
  threshold: number | null;
  drifted: boolean;
  statisticKind: 'p_value' | 'distance' | null;
  /** Reference and current sample sizes (present values). */
  n: number | null;
  m: number | null;
  detail: Record<string, unknown> | null;
  reference: ColumnSideSummary | null;
  current: ColumnSideSummary | null;
  chart: Chart | null;
}

export interface FileInfo {
  path: string;
  /** `profile` for a saved profile (`faultline profile`) instead of a data file. */
  format: TableFormat | 'profile';
  bytes: number;
  rows: number;
  columns: number;
}

export type Metrics = ClassificationMetrics | RegressionMetrics;

export interface PerformanceReport {
  task: 'classification' | 'regression';
  target: string;
  prediction: string;
  proba: string[];
  reference: Metrics | null;
  current: Metrics | null;
  /** Rows left out because the target or the prediction was missing (or not a label/number). */
  droppedRows: { reference: number; current: number };
  notes: string[];
}

export interface DatasetDrift {
  drifted: boolean;
  /** Share of tested feature columns that drifted. */
  driftShare: number;
  driftedColumns: number;
  testedColumns: number;
  /** The dataset drifts when `driftShare >= driftShareThreshold`. */
  driftShareThreshold: number;
}

export interface ReportSettings {
  method: DriftMethod | 'auto';
  threshold: number | null;
  driftShare: number;
  target: string | null;
  prediction: string | null;
  proba: string[];
  id: string | null;
  timestamp: string | null;
  positiveLabel: string | null;
  /** Seed of the sample-based sections. */
  seed: number;
  /** Performance estimated even when the current file has the target. */
  estimatePerformance: boolean;
}

export interface Report {
  report: 'faultline.drift';
  version: 1;
  reference: FileInfo;
  current: FileInfo;
  settings: ReportSettings;
  dataset: DatasetDrift;
  /** Every column of either file, reference order first; `role` tells features from the rest. */
  columns: ColumnReport[];
  /** Drift of the target column, reported apart from the features (null without --target). */
  targetDrift: ColumnReport | null;
  /** Drift of the prediction and probability columns, reported apart from the features. */
  predictionDrift: ColumnReport[];
  quality: QualityReport;
  performance: PerformanceReport | null;
  /** Joint drift of the numerical features (null when not computed, e.g. from profiles). */
  multivariate: MultivariateReport | null;
  /** Isolation-forest outliers and range tails of the current rows. */
  edgeCases: EdgeCaseReport | null;
  /** Drift of text-column descriptors (empty without text columns). */
  text: TextDriftRow[];
  /** Performance estimated without labels (null unless the reference is labelled and asked or needed). */
  estimatedPerformance: EstimatedPerformanceReport | null;
  /** Things the reader should know (a method that did not apply, a column in one file only …). */
  notes: string[];
}

/** PCA data reconstruction of the current sample against the reference (methods.md 3.1). */
export interface PcaSection {
  features: string[];
  components: number;
  /** Mean reconstruction error of the reference rows and of the current sample. */
  referenceError: number;
  currentError: number | null;
  /** Reference-chunk band: mean ± 3 std of reference chunk errors, chunks of `chunkSize` rows. */
  lower: number;
  upper: number;
  chunkSize: number;
  /** Current chunks of `chunkSize` rows outside the band, of `chunks`. */
  alertChunks: number;
  chunks: number;
  /** (current − reference error)/(σ_ref/√n); null without a sampling error. */
  z: number | null;
  referenceRows: number;
  currentRows: number;
  drifted: boolean;
}

/** MMD permutation test on seeded samples of both files (methods.md 3.2). */
export interface MmdSection {
  mmd2: number;
  pValue: number;
  alpha: number;
  permutations: number;
  nReference: number;
  nCurrent: number;
  drifted: boolean;
}

/** Joint drift of the numerical features: drifted when PCA alarms and MMD confirms. */
export interface MultivariateReport {
  pca: PcaSection | null;
  mmd: MmdSection | null;
  drifted: boolean;
  seed: number;
  notes: string[];
}

/** One current row an isolation forest fitted on the reference finds most anomalous. */
export interface AnomalousRow {
  /** 1-based data row of the current file (the header is not counted). */
  row: number;
  id: string | null;
  score: number;
  values: Record<string, number>;
}

/** Rows of kinds the reference rarely held (methods.md 7). */
export interface EdgeCaseReport {
  features: string[];
  referenceRows: number;
  currentRows: number;
  /** Share of reference-sample rows the forest flags (the contamination it was fitted at). */
  referenceShare: number;
  currentShare: number;
  flagged: number;
  /** One-sided binomial p of `flagged` of `currentRows` at `referenceShare`. */
  pValue: number;
  alpha: number;
  drifted: boolean;
  /** Per feature, share of current values outside the reference's [Q0.5 %, Q99.5 %]. */
  range: {
    feature: string;
    share: number | null;
    expectedShare: number;
    pValue: number | null;
    alert: boolean;
  }[];
  top: AnomalousRow[];
  seed: number;
}

/** Drift of one descriptor of a text column, named `<column>.<descriptor>`. */
export interface TextDriftRow {
  name: string;
  column: string;
  descriptor: string;
  method: DriftMethod;
  score: number;
  pValue: number | null;
  threshold: number;
  drifted: boolean;
  statisticKind: 'p_value' | 'distance';
  n: number;
  m: number;
  referenceMean: number | null;
  currentMean: number | null;
}

/** One estimated metric beside the realised ones. */
export interface EstimatedMetric {
  metric: string;
  estimate: number | null;
  lower: number | null;
  upper: number | null;
  /** Outside the band of the reference chunks. */
  alert: boolean;
  reference: number | null;
  /** Realised on the current file when it has the target, else null. */
  currentRealised: number | null;
}

/** Performance estimated without labels: CBPE (binary classification) or DLE (regression), methods.md 5. */
export interface EstimatedPerformanceReport {
  method: 'cbpe' | 'dle';
  task: 'classification' | 'regression';
  referenceRows: number;
  currentRows: number;
  chunkSize: number;
  /** Whether the current file has the target (then realised figures sit beside the estimates). */
  currentLabelled: boolean;
  metrics: EstimatedMetric[];
  notes: string[];
}
