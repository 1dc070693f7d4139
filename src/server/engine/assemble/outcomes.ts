/**
 * @module
 * The outcome side of one version's window: realised performance from joined labels (overall and by slice),
 * CBPE or DLE estimates, concept drift, the generalisation gap, and catastrophic slices. Reads nothing: the
 * analyser hands in the labelled rows, the window's outputs, the version's fits and the input analysis.
 */

import type { InputDriftSummary, IntervalLike } from '../../../core/concept/verdict.js';
import type { FeatureValue, Output, Scalar } from '../../../core/contract/index.js';
import {
  CONCEPT_DRIFT_DEFAULTS,
  type ConceptDriftConfig,
  conceptDriftOutcome,
} from '../../../core/detectors/outcome/concept-drift.js';
import { cbpeFigures, dleFigures } from '../../../core/detectors/outcome/estimated.js';
import {
  GENERALISATION_DEFAULTS,
  type GeneralisationConfig,
  generalisationOutcome,
} from '../../../core/detectors/outcome/hyperparameters.js';
import {
  headlineMetric,
  type LabelledPrediction,
  positiveScoreOf,
  predictedClassOf,
  type RealisedPerformance,
  realisedPerformance,
  type SlicePerformance,
  slicePerformance,
} from '../../../core/detectors/outcome/realised.js';
import { SLICE_DEFAULTS, type SliceConfig, sliceOutcomes } from '../../../core/detectors/outcome/slices.js';
import { estimateCbpe } from '../../../core/estimation/cbpe.js';
import { estimateDle } from '../../../core/estimation/dle.js';
import type { PerformanceMetric } from '../../../core/expectations/metrics.js';
import type { EstimatedFigure } from '../../../core/expectations/window-figures.js';
import type { DetectorOutcome, TimeWindow } from '../../../core/findings/finding.js';
import type { Rng } from '../../../core/rng.js';
import type { VersionRecord } from '../../../store/store.js';
import type { InputAnalysis } from './inputs.js';
import type { VersionFits } from './reference.js';

export interface OutcomeConfig {
  conceptDrift: ConceptDriftConfig;
  generalisation: GeneralisationConfig;
  slices: SliceConfig;
  minSliceRows: number;
  sliceValues: number;
}

export const OUTCOME_DEFAULTS: Readonly<OutcomeConfig> = {
  conceptDrift: CONCEPT_DRIFT_DEFAULTS,
  generalisation: GENERALISATION_DEFAULTS,
  slices: SLICE_DEFAULTS,
  minSliceRows: 30,
  sliceValues: 10,
};

export interface OutcomeRows {
  /** Every prediction row of the version in the window (outputs for the estimators). */
  rows: readonly { features: Record<string, FeatureValue>; output: Output | null; label: Scalar | null }[];
  /** Labelled predictions of the earlier windows, when the reference has no performance to compare with. */
  earlier: readonly LabelledPrediction[] | null;
  /** Labelled predictions of the version from its first window to the end of this one (generalisation gap). */
  sinceStart: readonly LabelledPrediction[] | null;
  windowIndex: number;
  versionStartMs: number;
}

export interface OutcomeAnalysis {
  outcomes: DetectorOutcome[];
  realised: RealisedPerformance | null;
  slices: SlicePerformance[];
  estimated: Partial<Record<PerformanceMetric, EstimatedFigure>> | null;
}

const toInterval = (
  m: { estimate: number | null; lower: number | null; upper: number | null; n: number } | undefined,
): IntervalLike | null => (m ? { estimate: m.estimate, lower: m.lower, upper: m.upper, n: m.n } : null);

/** Runs the outcome detectors of one version's window (module comment). */
export function analyseOutcomes(
  version: VersionRecord,
  fits: VersionFits,
  data: OutcomeRows,
  inputs: InputAnalysis,
  ctx: { model: string; task: string | null; window: TimeWindow; rng: Rng },
  config: OutcomeConfig = OUTCOME_DEFAULTS,
): OutcomeAnalysis {
  const { model, rng } = ctx;
  const window: TimeWindow = { ...ctx.window, kind: 'sliding' };
  const v = version.version;
  const outcomes: DetectorOutcome[] = [];
  const labelled: LabelledPrediction[] = data.rows.flatMap((r) =>
    r.label === null ? [] : [{ output: r.output, label: r.label, features: r.features }],
  );
  const task = ctx.task ?? fits.performance?.task ?? null;
  const realised = labelled.length > 0 ? realisedPerformance(labelled, rng, { task }) : null;
  const sliceFeatures = fits.layout.features.filter(
    (f) => fits.layout.kinds[f] === 'categorical' || fits.layout.kinds[f] === 'boolean',
  );
  const slices =
    realised !== null
      ? slicePerformance(
          labelled,
          sliceFeatures.map((feature) => ({ feature, maxValues: config.sliceValues })),
          rng,
          { task: realised.task, minRows: config.minSliceRows, resamples: 50 },
        )
      : [];

  // Estimated performance.
  let estimated: OutcomeAnalysis['estimated'] = null;
  if (fits.cbpe) {
    const { positive } = fits.cbpe;
    const scores: number[] = [];
    const predictions: number[] = [];
    for (const r of data.rows) {
      const s = positiveScoreOf(r.output, positive);
      const c = predictedClassOf(r.output);
      if (s === null || !(s >= 0 && s <= 1)) continue;
      scores.push(s);
      predictions.push((c ?? (s >= 0.5 ? positive : '')) === positive ? 1 : 0);
    }
    if (scores.length > 0) estimated = cbpeFigures(estimateCbpe(fits.cbpe.model, { scores, predictions }));
  } else if (fits.dle) {
    const rows = data.rows.filter(
      (r) => typeof r.output?.value === 'number' && Number.isFinite(r.output.value),
    );
    if (rows.length > 0)
      estimated = dleFigures(
        estimateDle(fits.dle.model, {
          features: rows.map((r) => fits.dle!.encoder.encode(r.features)),
          predictions: rows.map((r) => r.output!.value!),
        }),
      );
  }

  // Concept drift: the headline metric against the reference's, or the earlier windows'.
  if (realised !== null) {
    const { metric, higherIsBetter } = headlineMetric(realised.task);
    let reference: IntervalLike | null = null;
    let referenceSource: 'reference' | 'previous_windows' = 'reference';
    if (fits.performance && fits.performance.task === realised.task)
      reference = toInterval(fits.performance.metrics[metric]);
    else if (data.earlier && data.earlier.length > 0) {
      const e = realisedPerformance(data.earlier, rng, { task: realised.task });
      reference = toInterval(e?.metrics[metric]);
      referenceSource = 'previous_windows';
    }
    const est = estimated?.[metric];
    const inputSummary: InputDriftSummary | null =
      inputs.drift === null
        ? null
        : {
            featuresTested: inputs.drift.tested.length,
            driftedFeatures: [
              ...inputs.drifted,
              ...inputs.skewed,
              ...(inputs.labelDrifted ? ['(labels)'] : []),
            ],
            datasetDrift: inputs.drift.datasetDrift,
          };
    const { outcome } = conceptDriftOutcome(
      {
        metric,
        higherIsBetter,
        current: toInterval(realised.metrics[metric]),
        reference,
        referenceSource,
        ...(est && est.value !== null
          ? { estimated: { estimate: est.value, lower: est.lower, upper: est.upper, n: est.n } }
          : {}),
        inputs: inputSummary,
      },
      { model, version: v, window },
      config.conceptDrift,
    );
    outcomes.push(outcome);
    outcomes.push(
      ...sliceOutcomes(
        slices,
        fits.slices,
        { current: realised, reference: toInterval(fits.performance?.metrics[metric]) },
        { model, version: v, window },
        config.slices,
      ),
    );
  } else
    outcomes.push({
      kind: 'insufficient_data',
      detector: 'concept_drift',
      subject: { model, version: v },
      reason: 'no labelled prediction in the window yet',
    });

  // Generalisation gap over the version's first windows.
  if (Object.keys(version.validationMetrics).length > 0) {
    const production =
      data.sinceStart && data.sinceStart.length > 0
        ? realisedPerformance(data.sinceStart, rng, { task })
        : null;
    outcomes.push(
      generalisationOutcome(
        {
          validation: version.validationMetrics,
          production,
          windowIndex: data.windowIndex,
          drifted: inputs.drifted,
          skewed: inputs.skewed,
        },
        {
          model,
          version: v,
          window: { startMs: data.versionStartMs, endMs: window.endMs, kind: 'cumulative' },
        },
        config.generalisation,
      ),
    );
  }
  return { outcomes, realised, slices, estimated };
}
