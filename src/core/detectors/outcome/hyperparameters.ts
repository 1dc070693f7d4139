/**
 * @module
 * Poor hyperparameters / overfitting (cause `poor_hyperparameters`; architecture.md "generalisation gap"): the
 * version's production performance over its first windows falls well short of the validation metrics stored
 * with it in the registry, from the first window on, with no drift and no skew to explain the gap.
 *
 * Cumulative: the production metric pools every labelled prediction of the version from its first window to
 * the end of the current one, and is judged only while the window is among the version's first `firstWindows`.
 * A gap needs the whole interval on the worse side: for metrics where higher is better, upper bound <
 * validation − `minGap`; for errors, lower bound > validation × (1 + `minRelativeGap`).
 */
import type { PerformanceMetric } from '../../expectations/metrics.js';
import type { DetectorOutcome, Subject, TimeWindow } from '../../findings/finding.js';
import { formatNumber } from '../software/format.js';
import type { RealisedPerformance } from './realised.js';

export interface GeneralisationConfig {
  firstWindows: number;
  minLabelled: number;
  minGap: number;
  minRelativeGap: number;
}

export const GENERALISATION_DEFAULTS: Readonly<GeneralisationConfig> = {
  firstWindows: 3,
  minLabelled: 100,
  minGap: 0.05,
  minRelativeGap: 0.2,
};

const SYNONYMS: Record<string, PerformanceMetric> = {
  accuracy: 'accuracy',
  acc: 'accuracy',
  precision: 'precision',
  recall: 'recall',
  f1: 'f1',
  f1score: 'f1',
  rocauc: 'roc_auc',
  auc: 'roc_auc',
  auroc: 'roc_auc',
  mae: 'mae',
  meanabsoluteerror: 'mae',
  rmse: 'rmse',
  rootmeansquarederror: 'rmse',
};

const HIGHER_IS_BETTER: Record<PerformanceMetric, boolean> = {
  accuracy: true,
  precision: true,
  recall: true,
  f1: true,
  roc_auc: true,
  mae: false,
  rmse: false,
};

/** Validation metrics under the names Faultline uses (`val_accuracy`, `AUC`, `f1-score` are recognised). */
export function normaliseValidationMetrics(
  metrics: Readonly<Record<string, number>>,
): Partial<Record<PerformanceMetric, number>> {
  const out: Partial<Record<PerformanceMetric, number>> = {};
  for (const [k, v] of Object.entries(metrics)) {
    if (!Number.isFinite(v)) continue;
    const key = k
      .toLowerCase()
      .replace(/^(val|valid|validation|test)[_\-. ]?/, '')
      .replace(/[^a-z0-9]/g, '');
    const m = SYNONYMS[key];
    if (m !== undefined) out[m] = v;
  }
  return out;
}

export interface GeneralisationInput {
  validation: Readonly<Record<string, number>>;
  /** Production performance pooled from the version's first window to the end of this one. */
  production: RealisedPerformance | null;
  /** Index of the current window among the version's windows (0 = its first). */
  windowIndex: number;
  /** Explanations that rule the gap out: drifted features, skewed features. */
  drifted: readonly string[];
  skewed: readonly string[];
}

export interface GeneralisationContext {
  model: string;
  version: string;
  /** From the version's first window start to the current window end. */
  window: TimeWindow;
}

/** The `generalisation_gap` outcome for one version and window. */
export function generalisationOutcome(
  input: GeneralisationInput,
  ctx: GeneralisationContext,
  config: GeneralisationConfig = GENERALISATION_DEFAULTS,
): DetectorOutcome {
  const subject: Subject = { model: ctx.model, version: ctx.version };
  const detector = 'generalisation_gap';
  const validation = normaliseValidationMetrics(input.validation);
  const names = Object.keys(validation) as PerformanceMetric[];
  if (names.length === 0)
    return {
      kind: 'not_applicable',
      detector,
      subject,
      reason:
        'the version has no validation metric Faultline knows (accuracy, precision, recall, f1, roc_auc, mae, rmse)',
    };
  if (input.windowIndex >= config.firstWindows)
    return {
      kind: 'not_applicable',
      detector,
      subject,
      reason: `judged on a version's first ${config.firstWindows} windows; this is window ${input.windowIndex + 1}`,
    };
  const p = input.production;
  if (p === null || p.n < config.minLabelled)
    return {
      kind: 'insufficient_data',
      detector,
      subject,
      reason: `${p?.n ?? 0} labelled predictions since the version started, fewer than ${config.minLabelled}`,
    };
  const gaps: {
    metric: PerformanceMetric;
    validation: number;
    production: number;
    lower: number | null;
    upper: number | null;
    n: number;
  }[] = [];
  for (const m of names) {
    const prod = p.metrics[m];
    const v = validation[m]!;
    if (!prod || prod.estimate === null) continue;
    const worse = HIGHER_IS_BETTER[m]
      ? prod.upper !== null && prod.upper < v - config.minGap
      : prod.lower !== null && prod.lower > v * (1 + config.minRelativeGap);
    if (worse)
      gaps.push({
        metric: m,
        validation: v,
        production: prod.estimate,
        lower: prod.lower,
        upper: prod.upper,
        n: prod.n,
      });
  }
  const figures = names.flatMap((m) => {
    const prod = p.metrics[m];
    return prod
      ? [{ name: `${m} (production vs validation)`, value: prod.estimate, baseline: validation[m]! }]
      : [];
  });
  if (gaps.length === 0)
    return {
      kind: 'clear',
      detector,
      subject,
      evidence: {
        summary: `Production performance of ${ctx.version} matches its validation metrics (${p.n} labelled predictions).`,
        figures,
      },
    };
  if (input.drifted.length > 0 || input.skewed.length > 0) {
    const why = [
      ...input.skewed.map((f) => `skew of \`${f}\``),
      ...input.drifted.map((f) => `drift of \`${f}\``),
    ];
    return {
      kind: 'clear',
      detector,
      subject,
      evidence: {
        summary: `Production falls short of validation, but ${why.slice(0, 4).join(', ')} explains it better than the model's fit.`,
        figures,
      },
    };
  }
  const g = gaps[0]!;
  const size = Math.abs(g.validation - g.production);
  return {
    kind: 'finding',
    finding: {
      detector,
      cause: 'poor_hyperparameters',
      subject,
      window: { ...ctx.window, kind: 'cumulative' },
      severity: size >= 0.15 * Math.max(Math.abs(g.validation), 1e-9) ? 'critical' : 'warning',
      score: Math.min(1, 0.5 + size / Math.max(Math.abs(g.validation), 1e-9)),
      evidence: {
        summary: `${ctx.version} validated at ${g.metric} ${formatNumber(g.validation, 3)} but scores ${formatNumber(g.production, 3)} [${formatNumber(g.lower ?? Number.NaN, 3)}, ${formatNumber(g.upper ?? Number.NaN, 3)}] in production from its first window on (${g.n} labelled predictions), with no drift and no skew: the model does not generalise (overfitting or poor hyperparameters).`,
        figures,
        detail: { gaps, window: 'cumulative' },
      },
    },
  };
}
