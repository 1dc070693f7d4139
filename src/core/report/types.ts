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
  /** Things the reader should know (a method that did not apply, a column in one file only …). */
  notes: string[];
}
