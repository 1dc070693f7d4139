/**
 * @module
 * Multivariate drift (cause `covariate_shift`, methods.md 3): the joint distribution of the features moved
 * while no single feature did (a correlation that flipped, two sensors that stopped agreeing).
 *
 * Primary signal: PCA data reconstruction (NannyML, methods.md 3.1) fitted on the reference sample. The window's
 * mean reconstruction error is compared with the reference's mean through the sampling error σ_ref/√n of the
 * window's size (so any window size is judged alike): z = (error − reference mean)/(σ_ref/√n) ≥ `zMin` and a
 * relative rise ≥ `minRise`. Confirmation: an MMD permutation test (methods.md 3.2) on the bounded samples must
 * also reject at `mmdAlpha`. Reported only when no univariate drift explains the change.
 */
import type { DetectorOutcome, Subject, TimeWindow } from '../../findings/finding.js';
import { formatNumber } from '../software/format.js';
import { scoreAbove } from '../software/score.js';

export interface MultivariateConfig {
  zMin: number;
  minRise: number;
  mmdAlpha: number;
  minRows: number;
}

export const MULTIVARIATE_DEFAULTS: Readonly<MultivariateConfig> = {
  zMin: 4,
  minRise: 0.1,
  mmdAlpha: 0.05,
  minRows: 50,
};

export interface ReconstructionFacts {
  n: number;
  meanError: number;
  referenceMean: number;
  /** σ_ref/√n for the window's n. */
  samplingError: number;
  components: number;
  features: string[];
}

export interface MmdFacts {
  pValue: number;
  mmd2: number;
  nReference: number;
  nCurrent: number;
  permutations: number;
}

export interface MultivariateContext {
  model: string;
  version?: string | undefined;
  window: TimeWindow;
  /** Features that drifted on their own (then the joint change is explained). */
  univariateDrifted: readonly string[];
}

/** The z of the window's reconstruction error (see the module comment); null without a sampling error. */
export function reconstructionZ(r: ReconstructionFacts): number | null {
  return r.samplingError > 0 ? (r.meanError - r.referenceMean) / r.samplingError : null;
}

/**
 * Whether the PCA signal alone calls for confirmation by MMD (so the costlier test runs only then).
 */
export function reconstructionAlarm(
  r: ReconstructionFacts,
  config: MultivariateConfig = MULTIVARIATE_DEFAULTS,
): boolean {
  const z = reconstructionZ(r);
  const rise = r.referenceMean > 0 ? r.meanError / r.referenceMean - 1 : 0;
  return r.n >= config.minRows && z !== null && z >= config.zMin && rise >= config.minRise;
}

/** The `multivariate_drift` outcome for one window. */
export function multivariateOutcome(
  recon: ReconstructionFacts | null,
  mmd: MmdFacts | null,
  ctx: MultivariateContext,
  config: MultivariateConfig = MULTIVARIATE_DEFAULTS,
): DetectorOutcome {
  const subject: Subject = {
    model: ctx.model,
    ...(ctx.version !== undefined ? { version: ctx.version } : {}),
  };
  const detector = 'multivariate_drift';
  if (recon === null)
    return {
      kind: 'not_applicable',
      detector,
      subject,
      reason: 'no reference sample with two or more features',
    };
  if (recon.n < config.minRows)
    return {
      kind: 'insufficient_data',
      detector,
      subject,
      reason: `${recon.n} rows, fewer than ${config.minRows}`,
    };
  const z = reconstructionZ(recon);
  const rise = recon.referenceMean > 0 ? recon.meanError / recon.referenceMean - 1 : 0;
  const figures = [
    { name: 'mean reconstruction error', value: recon.meanError, baseline: recon.referenceMean },
    { name: 'z against the reference', value: z, threshold: config.zMin },
    ...(mmd ? [{ name: 'MMD permutation p-value', value: mmd.pValue, threshold: config.mmdAlpha }] : []),
  ];
  const alarm = reconstructionAlarm(recon, config) && mmd !== null && mmd.pValue < config.mmdAlpha;
  if (!alarm)
    return {
      kind: 'clear',
      detector,
      subject,
      evidence: {
        summary: `Rows reconstruct from the reference's ${recon.components} principal components as well as the reference does (error ${formatNumber(recon.meanError, 3)} vs ${formatNumber(recon.referenceMean, 3)}).`,
        figures,
      },
    };
  if (ctx.univariateDrifted.length > 0)
    return {
      kind: 'clear',
      detector,
      subject,
      evidence: {
        summary: `The joint distribution moved, and univariate drift of ${ctx.univariateDrifted.map((f) => `\`${f}\``).join(', ')} explains it.`,
        figures,
      },
    };
  return {
    kind: 'finding',
    finding: {
      detector,
      cause: 'covariate_shift',
      subject,
      window: ctx.window,
      severity: 'warning',
      score: scoreAbove(z ?? 0, config.zMin),
      evidence: {
        summary: `The features moved together while none drifted alone: rows reconstruct ${formatNumber(rise * 100, 0)} % worse from the reference's ${recon.components} principal components (z ${formatNumber(z ?? 0, 1)}), and an MMD test rejects (p ${mmd!.pValue}).`,
        figures,
        detail: { features: recon.features, mmd, window: ctx.window.kind ?? 'sliding' },
      },
    },
  };
}
