/**
 * @module
 * Puts a drift report together: plan (`planReport`), one job per column (`runColumnJob`), data quality
 * (`assessQuality`), model performance (`assessPerformance`) and the dataset drift decision (Evidently's
 * share of drifted features, methods.md section 2; no multiplicity correction, as Evidently).
 *
 * `buildReport` runs everything on the calling thread; callers with threads run the plan's jobs
 * elsewhere and call `assembleReport` with the results, which gives the same report.
 */
import { assessQuality, type QualityReport } from '../quality/quality.js';
import { columnByName, type Table } from '../schema/table.js';
import { datasetDrift } from '../stats/index.js';
import { runColumnJob } from './column-job.js';
import { estimatePerformance } from './estimated-performance.js';
import { edgeCases, multivariateDrift, textDrift } from './input-detectors.js';
import { assessPerformance } from './performance.js';
import { planReport, type ReportOptions, type ReportPlan } from './plan.js';
import type {
  ColumnReport,
  EdgeCaseReport,
  EstimatedPerformanceReport,
  FileInfo,
  MultivariateReport,
  PerformanceReport,
  Report,
  TextDriftRow,
} from './types.js';

function fileInfo(t: Table): FileInfo {
  return {
    path: t.source.path,
    format: t.source.format,
    bytes: t.source.bytes,
    rows: t.rows,
    columns: t.columns.length,
  };
}

/** Builds the report from the column results of `plan.jobs` (same order) and the other sections. */
export function assembleReport(
  reference: Table,
  current: Table,
  plan: ReportPlan,
  columns: readonly ColumnReport[],
  quality: QualityReport,
  performance: PerformanceReport | null,
  detectors: DetectorSections = EMPTY_DETECTORS,
): Report {
  const features = columns.filter((c) => c.role === 'feature' && c.tested);
  const d = datasetDrift(features, plan.settings.driftShare);
  const notes = [...plan.notes, ...(performance?.notes ?? [])];
  if (plan.settings.estimatePerformance && detectors !== EMPTY_DETECTORS && !detectors.estimatedPerformance)
    notes.push(
      '--estimate-performance needs --target and --prediction, and the target column in the reference file',
    );
  const untestedFeatures = columns.filter((c) => c.role === 'feature' && !c.tested && c.presentIn === 'both');
  if (features.length === 0) notes.push('no feature column could be tested for drift');
  else if (untestedFeatures.length > 0) {
    notes.push(
      `${untestedFeatures.length} feature column(s) not tested: ${untestedFeatures.map((c) => c.name).join(', ')}`,
    );
  }
  return {
    report: 'faultline.drift',
    version: 1,
    reference: fileInfo(reference),
    current: fileInfo(current),
    settings: plan.settings,
    dataset: {
      drifted: d.drifted,
      driftShare: d.driftShare,
      driftedColumns: d.driftedColumns,
      testedColumns: d.columns,
      driftShareThreshold: plan.settings.driftShare,
    },
    columns: [...columns],
    targetDrift: columns.find((c) => c.role === 'target') ?? null,
    predictionDrift: columns.filter((c) => c.role === 'prediction' || c.role === 'proba'),
    quality,
    performance,
    multivariate: detectors.multivariate,
    edgeCases: detectors.edgeCases,
    text: detectors.text,
    estimatedPerformance: detectors.estimatedPerformance,
    notes,
  };
}

/** The sections of the detectors beyond single columns (sample-based, seeded by `plan.settings.seed`). */
export interface DetectorSections {
  multivariate: MultivariateReport | null;
  edgeCases: EdgeCaseReport | null;
  text: TextDriftRow[];
  estimatedPerformance: EstimatedPerformanceReport | null;
}

/** No detector section (reports from profiles, which hold no rows). */
export const EMPTY_DETECTORS: DetectorSections = {
  multivariate: null,
  edgeCases: null,
  text: [],
  estimatedPerformance: null,
};

/** Multivariate drift, edge cases, text descriptors and estimated performance of two tables. */
export function detectorSections(
  reference: Table,
  current: Table,
  plan: ReportPlan,
  performance: PerformanceReport | null,
): DetectorSections {
  const seed = plan.settings.seed;
  return {
    multivariate: multivariateDrift(reference, current, plan, seed),
    edgeCases: edgeCases(reference, current, plan, seed),
    text: textDrift(reference, current, plan, seed),
    estimatedPerformance: estimatePerformance(
      reference,
      current,
      plan,
      performance,
      plan.settings.estimatePerformance,
      seed,
    ),
  };
}

/** Every section except the column jobs (for callers that run the jobs themselves). */
export function reportSections(
  reference: Table,
  current: Table,
  plan: ReportPlan,
): { quality: QualityReport; performance: PerformanceReport | null; detectors: DetectorSections } {
  const performance = assessPerformance(reference, current, plan.settings, plan.kinds);
  return {
    quality: assessQuality(reference, current, plan.schema, plan.kinds),
    performance,
    detectors: detectorSections(reference, current, plan, performance),
  };
}

/**
 * The whole report, computed on this thread. `onColumn` is called after each column job (for progress).
 * Throws `DataError` for option problems (see `planReport`, `assessPerformance`).
 */
export function buildReport(
  reference: Table,
  current: Table,
  options: ReportOptions = {},
  onColumn?: (done: number, total: number) => void,
): Report {
  const plan = planReport(reference, current, options);
  const { quality, performance, detectors } = reportSections(reference, current, plan);
  const columns = plan.jobs.map((job, i) => {
    const r = runColumnJob(job, columnByName(reference, job.name), columnByName(current, job.name));
    onColumn?.(i + 1, plan.jobs.length);
    return r;
  });
  return assembleReport(reference, current, plan, columns, quality, performance, detectors);
}
