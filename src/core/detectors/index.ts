/**
 * @module
 * The explicit registry of detectors. Nothing registers itself on import: a detector is known because it is
 * listed here. Families add their own list and append it to `detectors`.
 */
import type { DetectorOutcome } from '../findings/finding.js';
import { errorKindCauses } from './operational/error-kind-causes.js';
import { errorRateMeasure } from './operational/error-rate.js';
import { latencyMeasure } from './operational/latency.js';
import type { Symptom } from './operational/symptom.js';
import { measureSymptoms, SYMPTOMS_DEFAULTS, type SymptomsConfig } from './operational/symptoms.js';
import { throughputMeasure } from './operational/throughput.js';
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

/** Every detector Faultline runs, by family. */
export const detectors = [...softwareDetectors] as const;

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
