/**
 * @module
 * Drift of what the model outputs and of the labels that come back (cause `label_shift`; architecture.md
 * "distribution shift — label / prediction"), kept apart:
 *
 * - `label_drift`: the distribution of joined labels against the reference's target column (or the previous
 *   window's labels). Labels are the direct evidence of a prior shift.
 * - `prediction_drift`: the distribution of the outputs (class, score, value, probabilities) against the
 *   reference's output columns (or the previous window). Predictions are a function of the inputs, so when
 *   input features drifted the prediction drift follows from them and is not reported on its own; with inputs
 *   steady it is the early, label-free sign of a shifted target (or of a changed model).
 *
 * Decisions use the feature-drift rule (BH across the compared columns, effect floor).
 */
import type { DetectorOutcome, Subject, TimeWindow } from '../../findings/finding.js';
import { formatNumber } from '../software/format.js';
import { scoreAbove } from '../software/score.js';
import type { ColumnTestResult } from './drift-tests.js';
import {
  assessFeatureDrift,
  describeMove,
  FEATURE_DRIFT_DEFAULTS,
  type FeatureDriftConfig,
} from './feature-drift.js';

export interface OutputDriftContext {
  model: string;
  version?: string | undefined;
  window: TimeWindow;
  baseline: 'reference' | 'previous_window';
  /** Input features that drifted in the same window. */
  inputDrifted: readonly string[];
}

function outcomesFor(
  detector: 'label_drift' | 'prediction_drift',
  results: readonly ColumnTestResult[],
  ctx: OutputDriftContext,
  config: FeatureDriftConfig,
): DetectorOutcome[] {
  const subject: Subject = {
    model: ctx.model,
    ...(ctx.version !== undefined ? { version: ctx.version } : {}),
  };
  if (results.length === 0)
    return [
      {
        kind: 'not_applicable',
        detector,
        subject,
        reason:
          detector === 'label_drift'
            ? 'no labels in the window or no target column in the baseline'
            : 'no output column to compare',
      },
    ];
  const a = assessFeatureDrift(results, config);
  if (a.tested.length === 0)
    return [
      {
        kind: 'insufficient_data',
        detector,
        subject,
        reason: a.skipped.map((s) => `${s.feature}: ${s.reason}`).join('; '),
      },
    ];
  const against = ctx.baseline === 'reference' ? 'the reference' : 'the previous window';
  const drifted = a.tested.filter((t) => t.drifted);
  if (drifted.length === 0)
    return [
      {
        kind: 'clear',
        detector,
        subject,
        evidence: {
          summary: `${detector === 'label_drift' ? 'Labels' : 'Outputs'} hold steady against ${against} (${a.tested.map((t) => `${t.feature} ${t.effect.method} ${formatNumber(t.effect.score, 3)}`).join(', ')}).`,
          figures: a.tested.map((t) => ({
            name: `${t.feature} ${t.effect.method}`,
            value: t.effect.score,
            threshold: t.floor,
          })),
        },
      },
    ];
  if (detector === 'prediction_drift' && ctx.inputDrifted.length > 0)
    return [
      {
        kind: 'clear',
        detector,
        subject,
        evidence: {
          summary: `Outputs moved (${drifted.map((t) => t.feature).join(', ')}), as the drift of ${ctx.inputDrifted.map((f) => `\`${f}\``).join(', ')} explains.`,
          figures: drifted.map((t) => ({
            name: `${t.feature} ${t.effect.method}`,
            value: t.effect.score,
            threshold: t.floor,
          })),
        },
      },
    ];
  return drifted.map((t) => ({
    kind: 'finding',
    finding: {
      detector,
      cause: 'label_shift',
      subject: { ...subject, feature: t.feature },
      window: ctx.window,
      severity:
        detector === 'label_drift' ? (t.effect.score >= 3 * t.floor ? 'critical' : 'warning') : 'warning',
      score: scoreAbove(t.effect.score, t.floor) * (detector === 'label_drift' ? 1 : 0.8),
      evidence: {
        summary:
          detector === 'label_drift'
            ? `The labels shifted against ${against}: ${describeMove(t.moved)} (${t.effect.method} ${formatNumber(t.effect.score, 3)}, p ${t.test.pValue.toExponential(1)}).`
            : `The model's \`${t.feature}\` output shifted against ${against} while its inputs held still: ${describeMove(t.moved)} (${t.effect.method} ${formatNumber(t.effect.score, 3)}, p ${t.test.pValue.toExponential(1)}).`,
        figures: [
          { name: `${t.effect.method} vs ${ctx.baseline}`, value: t.effect.score, threshold: t.floor },
          { name: `${t.test.method} p-value`, value: t.test.pValue, threshold: config.alpha },
          { name: 'rows', value: t.currentN, baseline: t.referenceN },
        ],
        detail: {
          moved: t.moved,
          test: t.test,
          effect: t.effect,
          baseline: ctx.baseline,
          window: ctx.window.kind ?? 'sliding',
        },
      },
    },
  }));
}

/** Label drift outcomes from the comparisons of the label column (usually one). */
export function labelDriftOutcomes(
  results: readonly ColumnTestResult[],
  ctx: OutputDriftContext,
  config: FeatureDriftConfig = FEATURE_DRIFT_DEFAULTS,
): DetectorOutcome[] {
  return outcomesFor('label_drift', results, ctx, config);
}

/** Prediction drift outcomes from the comparisons of the output columns. */
export function predictionDriftOutcomes(
  results: readonly ColumnTestResult[],
  ctx: OutputDriftContext,
  config: FeatureDriftConfig = FEATURE_DRIFT_DEFAULTS,
): DetectorOutcome[] {
  return outcomesFor('prediction_drift', results, ctx, config);
}
