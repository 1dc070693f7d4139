/**
 * @module
 * Train–serving feature skew (cause `train_serving_skew`, methods.md 9): serving rows joined to training rows
 * on an id (`core/skew/feature-skew.ts`), value by value. A feature is skewed when at least `minMismatchShare` of
 * the joined pairs (and at least `minMismatches` of them) disagree; the unit relation most pairs follow, when one
 * does, is the sentence ("serving sends cents, training had dollars"). Cumulative: every joined row of the
 * version so far counts.
 */
import type { DetectorOutcome, Subject, TimeWindow } from '../../findings/finding.js';
import type { FeatureSkewReport } from '../../skew/feature-skew.js';
import { formatShare } from '../software/format.js';
import { scoreShare } from '../software/score.js';

export interface FeatureSkewConfig {
  minJoined: number;
  minMismatchShare: number;
  minMismatches: number;
}

export const FEATURE_SKEW_DEFAULTS: Readonly<FeatureSkewConfig> = {
  minJoined: 20,
  minMismatchShare: 0.05,
  minMismatches: 5,
};

export interface FeatureSkewContext {
  model: string;
  version?: string | undefined;
  window: TimeWindow;
  /** The id column joined on. */
  id: string;
}

/** Outcomes of a feature-skew report: a finding per skewed feature, else clear or insufficient data. */
export function featureSkewOutcomes(
  report: FeatureSkewReport | null,
  ctx: FeatureSkewContext,
  config: FeatureSkewConfig = FEATURE_SKEW_DEFAULTS,
): DetectorOutcome[] {
  const subject: Subject = {
    model: ctx.model,
    ...(ctx.version !== undefined ? { version: ctx.version } : {}),
  };
  const detector = 'feature_skew';
  if (report === null)
    return [
      {
        kind: 'not_applicable',
        detector,
        subject,
        reason: 'the reference has no id column that serving rows carry',
      },
    ];
  if (report.join.joined < config.minJoined)
    return [
      {
        kind: 'insufficient_data',
        detector,
        subject,
        reason: `${report.join.joined} serving rows joined the reference on \`${ctx.id}\`, fewer than ${config.minJoined}`,
      },
    ];
  const out: DetectorOutcome[] = [];
  for (const f of report.features) {
    if (f.feature === ctx.id || f.mismatchShare === null) continue;
    if (f.mismatchShare < config.minMismatchShare || f.mismatchCount < config.minMismatches) continue;
    out.push({
      kind: 'finding',
      finding: {
        detector,
        cause: 'train_serving_skew',
        subject: { ...subject, feature: f.feature },
        window: ctx.window,
        severity: f.mismatchShare >= 0.5 ? 'critical' : 'warning',
        score: scoreShare(f.mismatchShare),
        evidence: {
          summary:
            f.explanation ??
            `\`${f.feature}\` differs between serving and training for ${formatShare(f.mismatchShare)} of ${f.matchCount + f.mismatchCount} rows joined on \`${ctx.id}\`.`,
          figures: [
            { name: 'mismatch share', value: f.mismatchShare, threshold: config.minMismatchShare },
            { name: 'joined rows', value: report.join.joined },
            ...(f.medianRatio !== null
              ? [{ name: 'median serving/training ratio', value: f.medianRatio }]
              : []),
          ],
          detail: {
            unit: f.unit,
            samples: f.samples.slice(0, 5),
            join: report.join,
            window: ctx.window.kind ?? 'cumulative',
          },
        },
      },
    });
  }
  if (out.length === 0)
    out.push({
      kind: 'clear',
      detector,
      subject,
      evidence: {
        summary: `${report.join.joined} serving rows joined the reference on \`${ctx.id}\`; every feature matches.`,
        figures: [{ name: 'joined rows', value: report.join.joined }],
      },
    });
  return out;
}
