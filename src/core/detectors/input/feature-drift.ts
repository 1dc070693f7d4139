/**
 * @module
 * Feature drift (cause `covariate_shift`, or `train_serving_skew` when the baseline is the training data and the
 * window is among a version's first): per-feature decisions from `compareColumn` results, corrected across
 * features, with an effect-size floor, and the dataset-level drift share (methods.md 1.13, 2).
 *
 * A feature drifted when BOTH
 * 1. its significance test rejects after Benjamini–Hochberg correction across the features tested in the
 *    window at `alpha` (0.01: with 24 windows a day and tens of features, 0.05 would alarm daily), and
 * 2. its effect size reaches the floor: PSI on reference deciles ≥ `psiFloor` (0.1) for numbers, Jensen–Shannon
 *    distance ≥ the JS floor for categories. p-values shrink with traffic (everything drifts at large n,
 *    methods.md 10.2); the floor keeps a statistically real but harmless change quiet.
 * Dataset drift: the share of tested features that drifted ≥ `driftShare` (0.5, Evidently's default).
 *
 * The JS floor is `max(jsFloor, jsNoiseDistance(K, n, m, jsNoiseLevel))`: methods.md's (and Evidently's,
 * NannyML's) 0.1, unless sampling noise alone reaches it. The distance between two samples is biased upwards by
 * their noise, and with many categories and few rows the bias is the whole distance: two samples of 350 from
 * the same 25 categories sit at JS ≈ 0.15, above 0.1 almost every time. To second order around the pooled
 * proportions, `JSD ≈ X² · (1/n + 1/m) / (8 ln 2)` (base 2), where X² is the chi-square homogeneity statistic,
 * χ²(K − 1) when both samples come from one distribution; the noise distance is the square root at its
 * `jsNoiseLevel` (0.99) quantile — what same-distribution samples stay under 99 % of the time. It falls as
 * 1/√n and drops below 0.1 once there are about 1 500 rows a side for 25 categories (a few hundred for 5), so
 * at large n the floor is the usual 0.1. Measured: 25 equally likely categories, 350 rows a side, the fixed floor
 * was reached by 99 % of same-distribution pairs, this one by about 1 %.
 */
import type { FeatureDriftFigure } from '../../expectations/window-figures.js';
import {
  clampScore,
  type DetectorOutcome,
  type Figure,
  type Finding,
  type Subject,
  type TimeWindow,
} from '../../findings/finding.js';
import { chi2Sf, correctPValues } from '../../stats/index.js';
import { formatNumber, formatShare } from '../software/format.js';
import { scoreAbove } from '../software/score.js';
import type { ColumnDriftTest, ColumnTestResult, MovedSummary } from './drift-tests.js';

/**
 * The JS distance (base 2) that two samples of `n` and `m` values drawn from one distribution over `categories`
 * categories stay under with probability `level` (the module comment's approximation). 0 with fewer than 2
 * categories or an empty side.
 */
export function jsNoiseDistance(categories: number, n: number, m: number, level: number): number {
  if (!(level > 0 && level < 1)) throw new RangeError(`jsNoiseLevel: must be in (0, 1), got ${level}`);
  if (categories < 2 || !(n > 0) || !(m > 0)) return 0;
  const x2 = chi2Quantile(level, categories - 1);
  return Math.sqrt(Math.min(1, (x2 * (1 / n + 1 / m)) / (8 * Math.LN2)));
}

/** The `level` quantile of χ²(df), by bisection on the survival function (60 halvings: far below any use). */
function chi2Quantile(level: number, df: number): number {
  let lo = 0;
  let hi = Math.max(1, df);
  while (chi2Sf(hi, df) > 1 - level) hi *= 2;
  for (let i = 0; i < 60; i++) {
    const mid = (lo + hi) / 2;
    if (chi2Sf(mid, df) > 1 - level) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
}

export interface FeatureDriftConfig {
  /** False-discovery rate of the Benjamini–Hochberg correction across features. */
  alpha: number;
  /** PSI (reference deciles) a numerical feature must reach. */
  psiFloor: number;
  /** Jensen–Shannon distance (base 2) a categorical feature must reach, when sampling noise stays below it. */
  jsFloor: number;
  /** Quantile of the same-distribution JS distance the floor is raised to when noise alone reaches `jsFloor`. */
  jsNoiseLevel: number;
  /** Share of drifted features that makes dataset drift. */
  driftShare: number;
}

export const FEATURE_DRIFT_DEFAULTS: Readonly<FeatureDriftConfig> = {
  alpha: 0.01,
  psiFloor: 0.1,
  jsFloor: 0.1,
  jsNoiseLevel: 0.99,
  driftShare: 0.5,
};

export interface FeatureDriftDecision extends ColumnDriftTest {
  /** BH-adjusted p-value. */
  adjustedP: number;
  significant: boolean;
  /** The effect size reached its floor. */
  material: boolean;
  drifted: boolean;
  floor: number;
}

export interface FeatureDriftAssessment {
  tested: FeatureDriftDecision[];
  skipped: { feature: string; status: 'insufficient_data' | 'not_applicable'; reason: string }[];
  drifted: string[];
  /** drifted / tested; null when nothing was tested. */
  driftShare: number | null;
  datasetDrift: boolean;
  config: FeatureDriftConfig;
}

/**
 * Decides which features drifted (module comment). Edge cases: no tested feature → share null, no dataset
 * drift; p-values outside [0, 1] → RangeError from the correction.
 */
export function assessFeatureDrift(
  results: readonly ColumnTestResult[],
  config: FeatureDriftConfig = FEATURE_DRIFT_DEFAULTS,
): FeatureDriftAssessment {
  const tests = results.flatMap((r) => (r.status === 'tested' ? [r.test] : []));
  const skipped = results.flatMap((r) =>
    r.status === 'tested' ? [] : [{ feature: r.feature, status: r.status, reason: r.reason }],
  );
  const corrected = correctPValues(
    tests.map((t) => t.test.pValue),
    'bh',
    config.alpha,
  );
  const tested = tests.map((t, i): FeatureDriftDecision => {
    const floor =
      t.effect.method === 'psi'
        ? config.psiFloor
        : Math.max(
            config.jsFloor,
            jsNoiseDistance(t.categories ?? 0, t.referenceN, t.currentN, config.jsNoiseLevel),
          );
    const significant = corrected.rejected[i] ?? false;
    const material = t.effect.score >= floor;
    return {
      ...t,
      adjustedP: corrected.adjusted?.[i] ?? t.test.pValue,
      significant,
      material,
      drifted: significant && material,
      floor,
    };
  });
  const drifted = tested.filter((t) => t.drifted).map((t) => t.feature);
  const driftShare = tested.length > 0 ? drifted.length / tested.length : null;
  return {
    tested,
    skipped,
    drifted,
    driftShare,
    datasetDrift: driftShare !== null && drifted.length > 0 && driftShare >= config.driftShare,
    config,
  };
}

/** The drift figures of `WindowFigures.drift`: the automatic method's score, and the decision made here. */
export function driftFigures(a: FeatureDriftAssessment): FeatureDriftFigure[] {
  return a.tested.map((t) => ({
    feature: t.feature,
    method: t.chosen.method,
    score: Number.isFinite(t.chosen.score) ? t.chosen.score : null,
    drifted: t.drifted,
  }));
}

/** "median 620 → 810 (p10 230 → 300, p90 1 500 → 1 900)" or "share of ORD 4.1 % → 12 %". */
export function describeMove(m: MovedSummary): string {
  if (m.kind === 'numbers')
    return `median ${formatNumber(m.before.p50, 2)} → ${formatNumber(m.after.p50, 2)} (p10 ${formatNumber(m.before.p10, 2)} → ${formatNumber(m.after.p10, 2)}, p90 ${formatNumber(m.before.p90, 2)} → ${formatNumber(m.after.p90, 2)})`;
  return `share of "${m.category}" ${formatShare(m.before)} → ${formatShare(m.after)}`;
}

const formatP = (p: number) => (p < 1e-4 ? p.toExponential(1) : p.toPrecision(2));

export interface FeatureDriftContext {
  model: string;
  version?: string | undefined;
  window: TimeWindow;
  /** What the window was compared with. */
  baseline: 'reference' | 'previous_window';
  /** `feature_drift` (covariate_shift) or `distribution_skew` (train_serving_skew). */
  detector: 'feature_drift' | 'distribution_skew';
  /** Features whose change another finding explains better (a unit change, a stuck column): no drift finding. */
  explained?: Readonly<Record<string, string>>;
  /** Per feature, the same test against the other baseline (evidence: sudden or standing change). */
  other?: Readonly<Record<string, { baseline: string; drifted: boolean; effect: number }>>;
  /** Event time the change is first seen, when known. */
  sinceMs?: number | undefined;
}

/**
 * Findings per drifted feature (warning; critical when the effect is ≥ 3× its floor), a `dataset_drift`
 * finding when the drift share reaches `driftShare`, and clear / insufficient-data outcomes otherwise.
 */
export function featureDriftOutcomes(a: FeatureDriftAssessment, ctx: FeatureDriftContext): DetectorOutcome[] {
  const cause = ctx.detector === 'feature_drift' ? 'covariate_shift' : 'train_serving_skew';
  const base: Subject = { model: ctx.model, ...(ctx.version !== undefined ? { version: ctx.version } : {}) };
  const against =
    ctx.baseline === 'reference' ? `the reference of ${ctx.version ?? 'the model'}` : 'the previous window';
  const out: DetectorOutcome[] = [];
  const findings: Finding[] = [];
  for (const t of a.tested) {
    if (!t.drifted) continue;
    const why = ctx.explained?.[t.feature];
    if (why !== undefined) continue;
    const other = ctx.other?.[t.feature];
    const kindWord = ctx.detector === 'feature_drift' ? 'drifted' : 'differs between training and serving';
    const summary =
      `\`${t.feature}\` ${kindWord} against ${against}: ${t.effect.method === 'psi' ? 'PSI' : 'JS distance'} ` +
      `${formatNumber(t.effect.score, 3)} (floor ${formatNumber(t.floor, 3)}${t.effect.method === 'jensenshannon' && t.floor > a.config.jsFloor ? `, raised from ${a.config.jsFloor} for the noise of ${t.categories} categories at ${t.referenceN} and ${t.currentN} rows` : ''}), ${t.test.method === 'ks' ? 'KS' : 'chi-square'} ` +
      `p ${formatP(t.test.pValue)} (BH-adjusted ${formatP(t.adjustedP)} < ${a.config.alpha}); ${describeMove(t.moved)}` +
      `${other ? `; against ${other.baseline}: ${other.drifted ? 'also drifted' : 'unchanged'}` : ''}.`;
    const figures: Figure[] = [
      { name: `${t.effect.method} vs ${ctx.baseline}`, value: t.effect.score, threshold: t.floor },
      { name: `${t.test.method} p-value`, value: t.test.pValue, threshold: a.config.alpha },
      { name: 'BH-adjusted p-value', value: t.adjustedP, threshold: a.config.alpha },
      {
        name: `${t.chosen.method} (automatic choice)`,
        value: Number.isFinite(t.chosen.score) ? t.chosen.score : null,
      },
      { name: 'rows', value: t.currentN, baseline: t.referenceN },
    ];
    findings.push({
      detector: ctx.detector,
      cause,
      subject: { ...base, feature: t.feature },
      window: ctx.window,
      severity: t.effect.score >= 3 * t.floor ? 'critical' : 'warning',
      score: scoreAbove(t.effect.score, t.floor),
      evidence: {
        summary,
        figures,
        detail: {
          baseline: ctx.baseline,
          kind: t.kind,
          test: t.test,
          effect: t.effect,
          chosen: t.chosen,
          moved: t.moved,
          window: ctx.window.kind ?? 'sliding',
          ...(other ? { other } : {}),
        },
      },
      ...(ctx.sinceMs !== undefined ? { sinceMs: ctx.sinceMs } : {}),
    });
  }
  for (const f of findings) out.push({ kind: 'finding', finding: f });
  if (a.tested.length === 0) {
    out.push({
      kind: 'insufficient_data',
      detector: ctx.detector,
      subject: base,
      reason:
        a.skipped.length > 0
          ? `no feature could be tested: ${a.skipped
              .slice(0, 3)
              .map((s) => `${s.feature} (${s.reason})`)
              .join('; ')}`
          : 'no feature to test',
    });
    return out;
  }
  if (findings.length === 0) {
    const explained = a.tested.filter((t) => t.drifted && ctx.explained?.[t.feature] !== undefined);
    out.push({
      kind: 'clear',
      detector: ctx.detector,
      subject: base,
      evidence: {
        summary:
          explained.length > 0
            ? `Only ${explained.map((t) => `\`${t.feature}\``).join(', ')} moved against ${against}, explained by ${explained.map((t) => ctx.explained?.[t.feature]).join(', ')}.`
            : `None of the ${a.tested.length} features drifted against ${against}.`,
        figures: [{ name: 'drifted feature share', value: a.driftShare, threshold: a.config.driftShare }],
      },
    });
  }
  if (ctx.detector === 'feature_drift') {
    if (a.datasetDrift)
      out.push({
        kind: 'finding',
        finding: {
          detector: 'dataset_drift',
          cause: 'covariate_shift',
          subject: base,
          window: ctx.window,
          severity: 'critical',
          score: clampScore(0.5 + 0.5 * (a.driftShare ?? 0)),
          evidence: {
            summary: `${a.drifted.length} of ${a.tested.length} features drifted against ${against} (${formatShare(a.driftShare ?? 0)} ≥ ${formatShare(a.config.driftShare)}): ${a.drifted.map((f) => `\`${f}\``).join(', ')}.`,
            figures: [{ name: 'drifted feature share', value: a.driftShare, threshold: a.config.driftShare }],
            detail: { drifted: a.drifted, tested: a.tested.length, window: ctx.window.kind ?? 'sliding' },
          },
          ...(ctx.sinceMs !== undefined ? { sinceMs: ctx.sinceMs } : {}),
        },
      });
    else
      out.push({
        kind: 'clear',
        detector: 'dataset_drift',
        subject: base,
        evidence: {
          summary: `${a.drifted.length} of ${a.tested.length} features drifted (share ${formatShare(a.driftShare ?? 0)} < ${formatShare(a.config.driftShare)}).`,
          figures: [{ name: 'drifted feature share', value: a.driftShare, threshold: a.config.driftShare }],
        },
      });
  }
  return out;
}
