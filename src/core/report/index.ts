/**
 * The drift report: plan, per-column jobs, quality, performance and assembly, plus its JSON shape.
 * @module
 */
export {
  assembleReport,
  buildReport,
  type DetectorSections,
  detectorSections,
  EMPTY_DETECTORS,
  reportSections,
} from './build-report.js';
export { runColumnJob } from './column-job.js';
export { estimatePerformance } from './estimated-performance.js';
export { edgeCases, multivariateDrift, textDrift } from './input-detectors.js';
export { assessPerformance } from './performance.js';
export {
  CATEGORICAL_METHODS,
  type ColumnJob,
  methodFits,
  planReport,
  REPORT_SEED,
  type ReportOptions,
  type ReportPlan,
} from './plan.js';
export type { BarsChart, CategoricalSummary, Chart, HistogramChart, NumericSummary } from './summaries.js';
export type * from './types.js';
