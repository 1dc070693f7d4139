/**
 * @module
 * The explicit registry of detectors. Nothing registers itself on import: a detector is known because it is
 * listed here. Families add their own list and append it to `detectors`.
 */
import { LOOP_DETECTOR_DEFAULTS } from '../feedback/loop-detector.js';
import type { Cause, DetectorOutcome } from '../findings/finding.js';
import { DATA_QUALITY_DEFAULTS } from './input/data-quality.js';
import { DRIFT_TEST_DEFAULTS } from './input/drift-tests.js';
import { EDGE_CASE_DEFAULTS } from './input/edge-cases.js';
import { FEATURE_DRIFT_DEFAULTS } from './input/feature-drift.js';
import { FEATURE_SKEW_DEFAULTS } from './input/feature-skew.js';
import { MULTIVARIATE_DEFAULTS } from './input/multivariate.js';
import { errorKindCauses } from './operational/error-kind-causes.js';
import { errorRateMeasure } from './operational/error-rate.js';
import { latencyMeasure } from './operational/latency.js';
import type { Symptom } from './operational/symptom.js';
import { measureSymptoms, SYMPTOMS_DEFAULTS, type SymptomsConfig } from './operational/symptoms.js';
import { throughputMeasure } from './operational/throughput.js';
import { CONCEPT_DRIFT_DEFAULTS } from './outcome/concept-drift.js';
import { GENERALISATION_DEFAULTS } from './outcome/hyperparameters.js';
import { SLICE_DEFAULTS } from './outcome/slices.js';
import { artifactMismatch } from './software/artifact-mismatch.js';
import { crashLoop } from './software/crash-loop.js';
import { environmentFingerprint } from './software/environment-fingerprint.js';
import { heartbeatGap } from './software/heartbeat-gap.js';
import { hostMetrics } from './software/host-metrics.js';
import { type SoftwareWindowInput, softwareInputProblems } from './software/inputs.js';
import { mixedVersions } from './software/mixed-versions.js';
import { selfChecks } from './software/self-checks.js';
import { unintendedVersion } from './software/unintended-version.js';
import { upstreamProbe } from './software/upstream-probe.js';

export type { SymptomMeasure } from './operational/measure.js';
export type { Symptom, SymptomMetric } from './operational/symptom.js';
export type { SoftwareDetector } from './software/detector.js';
export {
  errorKindOf,
  type ServingRowLike,
  softwareInputFromRows,
  windowStatsOf,
} from './software/from-rows.js';
export type * from './software/inputs.js';
export type { ProbeKind, ProbeSpec } from './software/probe-spec.js';

/** Software and operational detectors: each turns one window of operational data into findings of a cause. */
export const softwareDetectors = [
  heartbeatGap,
  crashLoop,
  upstreamProbe,
  artifactMismatch,
  unintendedVersion,
  mixedVersions,
  selfChecks,
  environmentFingerprint,
  hostMetrics,
  errorKindCauses,
] as const;

export type SoftwareDetectorId = (typeof softwareDetectors)[number]['id'];

/** Symptom measures (latency, throughput, error rate): figures for the diagnosis, not causes. */
export const symptomMeasures = [latencyMeasure, throughputMeasure, errorRateMeasure] as const;

/** What the registry knows of a detector that does not take the software input: its id, family, causes, defaults. */
export interface DetectorInfo {
  readonly id: string;
  readonly family: 'input' | 'outcome';
  readonly causes: readonly Cause[];
  readonly defaults: Readonly<Record<string, unknown>>;
}

/** Input-side detectors (`src/core/detectors/input`), run by the window analyser on profiles and rows. */
export const inputDetectors: readonly DetectorInfo[] = [
  {
    id: 'schema_violations',
    family: 'input',
    causes: ['data_quality'],
    defaults: { ...DATA_QUALITY_DEFAULTS },
  },
  { id: 'missing_values', family: 'input', causes: ['data_quality'], defaults: { ...DATA_QUALITY_DEFAULTS } },
  { id: 'out_of_range', family: 'input', causes: ['data_quality'], defaults: { ...DATA_QUALITY_DEFAULTS } },
  {
    id: 'unseen_categories',
    family: 'input',
    causes: ['data_quality'],
    defaults: { ...DATA_QUALITY_DEFAULTS },
  },
  { id: 'stuck_column', family: 'input', causes: ['data_quality'], defaults: { ...DATA_QUALITY_DEFAULTS } },
  { id: 'duplicate_rows', family: 'input', causes: ['data_quality'], defaults: { ...DATA_QUALITY_DEFAULTS } },
  {
    id: 'unit_change',
    family: 'input',
    causes: ['data_quality', 'train_serving_skew'],
    defaults: { ...DATA_QUALITY_DEFAULTS },
  },
  {
    id: 'feature_drift',
    family: 'input',
    causes: ['covariate_shift'],
    defaults: { ...FEATURE_DRIFT_DEFAULTS, ...DRIFT_TEST_DEFAULTS },
  },
  {
    id: 'dataset_drift',
    family: 'input',
    causes: ['covariate_shift'],
    defaults: { ...FEATURE_DRIFT_DEFAULTS },
  },
  {
    id: 'multivariate_drift',
    family: 'input',
    causes: ['covariate_shift'],
    defaults: { ...MULTIVARIATE_DEFAULTS },
  },
  {
    id: 'prediction_drift',
    family: 'input',
    causes: ['label_shift'],
    defaults: { ...FEATURE_DRIFT_DEFAULTS },
  },
  { id: 'label_drift', family: 'input', causes: ['label_shift'], defaults: { ...FEATURE_DRIFT_DEFAULTS } },
  {
    id: 'distribution_skew',
    family: 'input',
    causes: ['train_serving_skew'],
    defaults: { ...FEATURE_DRIFT_DEFAULTS },
  },
  {
    id: 'feature_skew',
    family: 'input',
    causes: ['train_serving_skew'],
    defaults: { ...FEATURE_SKEW_DEFAULTS },
  },
  { id: 'outlier_share', family: 'input', causes: ['edge_cases'], defaults: { ...EDGE_CASE_DEFAULTS } },
  { id: 'range_tail', family: 'input', causes: ['edge_cases'], defaults: { ...EDGE_CASE_DEFAULTS } },
  { id: 'output_checks', family: 'input', causes: ['edge_cases'], defaults: { ...EDGE_CASE_DEFAULTS } },
];

/** Outcome detectors (`src/core/detectors/outcome`), run on labels, estimates and feedback. */
export const outcomeDetectors: readonly DetectorInfo[] = [
  {
    id: 'concept_drift',
    family: 'outcome',
    causes: ['concept_drift'],
    defaults: { ...CONCEPT_DRIFT_DEFAULTS },
  },
  {
    id: 'generalisation_gap',
    family: 'outcome',
    causes: ['poor_hyperparameters'],
    defaults: { ...GENERALISATION_DEFAULTS },
  },
  { id: 'slice_performance', family: 'outcome', causes: ['edge_cases'], defaults: { ...SLICE_DEFAULTS } },
  {
    id: 'feedback_loop',
    family: 'outcome',
    causes: ['feedback_loop'],
    defaults: { ...LOOP_DETECTOR_DEFAULTS },
  },
];

/** Every detector Faultline runs, by family. */
export const detectors = [...softwareDetectors] as const;

/** The ids of every detector of every family, for documentation and validation. */
export const DETECTOR_IDS: readonly string[] = [
  ...softwareDetectors.map((d) => d.id),
  ...inputDetectors.map((d) => d.id),
  ...outcomeDetectors.map((d) => d.id),
];

/** Per-detector config overrides, shallow-merged over each detector's defaults. */
export type SoftwareOverrides = {
  [D in (typeof softwareDetectors)[number] as D['id']]?: Partial<D['defaults']>;
};

export interface SoftwareRun {
  outcomes: DetectorOutcome[];
  symptoms: Symptom[];
}

/**
 * Runs every software detector and every symptom measure on one window. Throws a RangeError listing each
 * invalid field (`heartbeats[3].timestampMs: must be a finite number, got NaN`) when the input is malformed.
 */
export function runSoftwareDetectors(
  input: SoftwareWindowInput,
  overrides: SoftwareOverrides = {},
  symptomsConfig: SymptomsConfig = SYMPTOMS_DEFAULTS,
): SoftwareRun {
  const problems = softwareInputProblems(input);
  if (problems.length > 0)
    throw new RangeError(
      `Invalid software detector input: ${problems.slice(0, 10).join('; ')}${problems.length > 10 ? ` (and ${problems.length - 10} more)` : ''}`,
    );
  const outcomes: DetectorOutcome[] = [];
  for (const d of softwareDetectors) {
    const config = { ...d.defaults, ...(overrides[d.id] ?? {}) };
    outcomes.push(
      ...(d.run as (i: SoftwareWindowInput, c: typeof config) => DetectorOutcome[])(input, config),
    );
  }
  return { outcomes, symptoms: measureSymptoms(input, symptomsConfig) };
}
