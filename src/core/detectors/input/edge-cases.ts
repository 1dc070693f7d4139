/**
 * @module
 * Edge cases on the input side (cause `edge_cases`; methods.md 7): rows the reference rarely or never held.
 *
 * - `outlier_share`: the share of window rows an isolation forest fitted on the reference sample calls
 *   outliers, against the share it calls outliers on the reference itself (`expectedShare`, the
 *   contamination the forest's offset was set at). A finding needs the one-sided binomial p < `alpha` AND
 *   a share ≥ max(`minRatio` × expected, expected + `minExcess`): with hundreds of rows a slightly
 *   heavier tail is significant yet harmless.
 * - `range_tail`: per numeric feature, the share of values outside the reference's [Q(0.005), Q(0.995)]
 *   (`core/outliers/range.ts`, binomial test with Bonferroni over features at `alpha`), with the same size
 *   rule. Features whose change a data-quality finding explains (a unit change, a systematic out-of-range)
 *   are left out: that is not an edge case. The same goes for the outlier share when any feature's change is
 *   explained that way (the forest sees every feature at once).
 * - `output_checks`: user-declared rules on outputs (`core/outliers/output-checks.ts`): a finding when at
 *   least `minViolations` records break a rule.
 */
import type { DetectorOutcome, Finding, Subject, TimeWindow } from '../../findings/finding.js';
import type { OutputCheckReport } from '../../outliers/output-checks.js';
import { binomialUpperTail, type RangeReport } from '../../outliers/range.js';
import { formatNumber, formatShare } from '../software/format.js';
import { scoreAbove } from '../software/score.js';

export interface EdgeCaseConfig {
  alpha: number;
  minRatio: number;
  minExcess: number;
  minRows: number;
  minViolations: number;
}

export const EDGE_CASE_DEFAULTS: Readonly<EdgeCaseConfig> = {
  alpha: 0.001,
  minRatio: 3,
  minExcess: 0.02,
  minRows: 50,
  minViolations: 1,
};

/** The isolation forest's verdict on a window's rows. */
export interface OutlierShareInput {
  n: number;
  outliers: number;
  /** Share of reference rows at or beyond the forest's offset. */
  expectedShare: number;
  /** The most anomalous rows (scores and features), most anomalous first, as evidence. */
  examples: { score: number; features: Record<string, unknown> }[];
  features: string[];
}

export interface EdgeCaseInput {
  outliers: OutlierShareInput | null;
  range: RangeReport | null;
  outputChecks: OutputCheckReport | null;
  /** Features whose change another finding explains (data quality, drift, skew): no range or outlier finding. */
  explained: Readonly<Record<string, string>>;
}

export interface EdgeCaseContext {
  model: string;
  version?: string | undefined;
  window: TimeWindow;
}

function material(share: number, expected: number, c: EdgeCaseConfig): boolean {
  return share >= Math.max(c.minRatio * expected, expected + c.minExcess);
}

/** Findings and clear / insufficient-data outcomes of the input-side edge-case detectors. */
export function edgeCaseOutcomes(
  input: EdgeCaseInput,
  ctx: EdgeCaseContext,
  config: EdgeCaseConfig = EDGE_CASE_DEFAULTS,
): DetectorOutcome[] {
  const base: Subject = { model: ctx.model, ...(ctx.version !== undefined ? { version: ctx.version } : {}) };
  const out: DetectorOutcome[] = [];
  const finding = (f: Omit<Finding, 'cause' | 'window'>): DetectorOutcome => ({
    kind: 'finding',
    finding: { ...f, cause: 'edge_cases', window: ctx.window },
  });
  const windowKind = ctx.window.kind ?? 'sliding';

  const o = input.outliers;
  if (o === null)
    out.push({
      kind: 'not_applicable',
      detector: 'outlier_share',
      subject: base,
      reason: 'no reference sample with numeric features to fit an isolation forest on',
    });
  else if (o.n < config.minRows)
    out.push({
      kind: 'insufficient_data',
      detector: 'outlier_share',
      subject: base,
      reason: `${o.n} rows in the window, fewer than ${config.minRows}`,
    });
  else {
    const share = o.outliers / o.n;
    const p = binomialUpperTail(o.outliers, o.n, o.expectedShare);
    const confounders = Object.entries(input.explained);
    if (p < config.alpha && material(share, o.expectedShare, config) && confounders.length > 0)
      out.push({
        kind: 'clear',
        detector: 'outlier_share',
        subject: base,
        evidence: {
          summary: `${formatShare(share)} of rows are isolation-forest outliers (expected ${formatShare(o.expectedShare)}), as ${confounders
            .slice(0, 3)
            .map(([f, why]) => `${why} of \`${f}\``)
            .join(', ')} explains.`,
          figures: [{ name: 'outlier share', value: share, baseline: o.expectedShare }],
        },
      });
    else if (p < config.alpha && material(share, o.expectedShare, config))
      out.push(
        finding({
          detector: 'outlier_share',
          subject: base,
          severity: share >= 0.2 ? 'critical' : 'warning',
          score: scoreAbove(
            share,
            Math.max(config.minRatio * o.expectedShare, o.expectedShare + config.minExcess),
          ),
          evidence: {
            summary: `${formatShare(share)} of rows (${o.outliers} of ${o.n}) are outliers for an isolation forest fitted on the reference, where ${formatShare(o.expectedShare)} are expected (binomial p ${p.toExponential(1)}).`,
            figures: [
              { name: 'outlier share', value: share, baseline: o.expectedShare },
              { name: 'binomial p-value', value: p, threshold: config.alpha },
            ],
            detail: { examples: o.examples.slice(0, 5), features: o.features, window: windowKind },
          },
        }),
      );
    else
      out.push({
        kind: 'clear',
        detector: 'outlier_share',
        subject: base,
        evidence: {
          summary: `${formatShare(share)} of rows are isolation-forest outliers (expected ${formatShare(o.expectedShare)}).`,
          figures: [{ name: 'outlier share', value: share, baseline: o.expectedShare }],
        },
      });
  }

  const r = input.range;
  if (r !== null) {
    let any = false;
    for (const f of r.features) {
      if (f.share === null || f.n < config.minRows || input.explained[f.feature] !== undefined) continue;
      if (!(f.alert && material(f.share, f.expectedShare, config))) continue;
      any = true;
      const extremes = [...f.extremes.below, ...f.extremes.above].slice(0, 5);
      out.push(
        finding({
          detector: 'range_tail',
          subject: { ...base, feature: f.feature },
          severity: 'warning',
          score: scoreAbove(
            f.share,
            Math.max(config.minRatio * f.expectedShare, f.expectedShare + config.minExcess),
          ),
          evidence: {
            summary: `${formatShare(f.share)} of \`${f.feature}\` values (${f.below} below ${formatNumber(f.lo, 3)}, ${f.above} above ${formatNumber(f.hi, 3)}) lie outside the reference's [Q0.5 %, Q99.5 %], where ${formatShare(f.expectedShare)} are expected; most extreme: ${extremes.map((x) => formatNumber(x, 3)).join(', ')}.`,
            figures: [
              { name: 'share outside [Q0.5 %, Q99.5 %]', value: f.share, baseline: f.expectedShare },
              { name: 'binomial p-value', value: f.pValue, threshold: r.alpha },
            ],
            detail: {
              lo: f.lo,
              hi: f.hi,
              below: f.below,
              above: f.above,
              extremes: f.extremes,
              window: windowKind,
            },
          },
        }),
      );
    }
    if (!any)
      out.push({
        kind: 'clear',
        detector: 'range_tail',
        subject: base,
        evidence: {
          summary: `No feature has more values outside the reference's [Q0.5 %, Q99.5 %] than expected (${r.features.length} checked).`,
          figures: [],
        },
      });
  }

  const c = input.outputChecks;
  if (c !== null) {
    let any = false;
    for (const s of c.checks) {
      if (s.violations < config.minViolations || s.share === null) continue;
      any = true;
      const examples = c.violations.filter((v) => v.check === s.check).slice(0, 3);
      out.push(
        finding({
          detector: 'output_checks',
          subject: base,
          severity: s.share >= 0.01 ? 'warning' : 'info',
          score: scoreAbove(s.share, 0.01),
          evidence: {
            summary: `Output check "${s.check}" (${s.kind}) failed for ${s.violations} of ${s.evaluated} predictions (${formatShare(s.share)}): ${examples.map((v) => v.reason).join('; ')}.`,
            figures: [{ name: `${s.check} violation share`, value: s.share }],
            detail: {
              check: s.check,
              kind: s.kind,
              examples: examples.map((v) => ({ id: v.id ?? null, reason: v.reason })),
              window: windowKind,
            },
          },
        }),
      );
    }
    if (!any)
      out.push({
        kind: 'clear',
        detector: 'output_checks',
        subject: base,
        evidence: {
          summary: `All ${c.checks.length} output checks passed on ${c.records} predictions.`,
          figures: [],
        },
      });
  }
  return out;
}
