/**
 * Mergeable profiles (architecture.md "window"): column and dataset profiles, the `.flp` binary format,
 * JSON summaries, and drift between two profiles without rows (methods.md section 6).
 *
 * @module
 */
export { type CategoryCounts, ColumnProfile, type TypeCounts } from './column-profile.js';
export {
  type ColumnarColumn,
  type ColumnarTable,
  DatasetProfile,
  type DatasetProfileOptions,
  type SampleRow,
  type SampleValue,
  toSampleValue,
} from './dataset-profile.js';
export {
  decodeProfile,
  encodedColumnSizes,
  encodeProfile,
  PROFILE_FORMAT_VERSION,
  PROFILE_MAGIC,
} from './profile-codec.js';
export {
  binnedFromSketches,
  categoricalFromCounts,
  columnProfileDrift,
  ksFromSketches,
  PROFILE_CATEGORICAL_METHODS,
  PROFILE_NUMERICAL_METHODS,
  type ProfileColumnDrift,
  type ProfileDriftOptions,
  type ProfileDriftResult,
  profileDrift,
  type SketchDrift,
  wassersteinFromSketches,
} from './profile-drift.js';
export {
  type ColumnSummary,
  type NumberSummary,
  type ProfileSummary,
  SUMMARY_QUANTILES,
  summarizeProfile,
} from './profile-summary.js';
export {
  type ColumnSettings,
  DEFAULT_PROFILE_SETTINGS,
  PROFILE_COLUMN_KINDS,
  type ProfileColumnKind,
  type ProfileSettings,
  resolveSettings,
  sameSettings,
} from './settings.js';
