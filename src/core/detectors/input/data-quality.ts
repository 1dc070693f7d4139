/**
 * @module
 * Data quality of one window (cause `data_quality`; architecture.md "data collection / processing problems"):
 * schema and type violations, missing values up, values outside the reference range, unseen categories, a stuck
 * column, duplicated events, and a unit or scale change with the quantiles before and after.
 *
 * The baseline is the version's reference when it has one, else the previous window. Every check needs both a
 * significant departure (one-sided tests at `alpha`, Bonferroni over the features checked) and a material size,
 * so that a clean day stays quiet:
 * - `missing_values`: missing share up by ≥ `missingRise` (5 points) against the baseline;
 * - `schema_violations`: ≥ `schemaShare` (1 %) of rows (and ≥ `minSchemaRows`) break the declared schema —
 *   a declared feature of the wrong type, or a feature the schema does not list;
 * - `out_of_range`: ≥ `outOfRangeShare` (25 %) of the values lie outside the reference [min, max] — systematic,
 *   not a few extremes (those are edge cases);
 * - `unseen_categories`: ≥ `unseenShare` (1 %, and ≥ `minUnseen` values) of a categorical feature's values were
 *   never seen in the reference (only when the reference's categories are known exactly), at least 3× and
 *   significantly (binomial) more than the Good–Turing rate of new values (reference singletons / rows);
 * - `stuck_column`: one distinct value over ≥ `stuckMinRows` rows where the baseline had several;
 * - `duplicate_rows`: the share of rows repeating another row (features and output) rose by ≥ `duplicateRise`
 *   against the reference sample at the same sample size;
 * - `unit_change`: the current quantiles (5–95 %, or 10–90 % when the tails are noisy) are, within `unitTolerance`
 *   (20 %) of the current 10–90 % spread, a unit transform (× 10^k, cents, °F, …) of the reference's
 *   (`core/skew/unit-change.ts`); it explains range and drift findings of the same feature, which are then
 *   left out. Zero-inflated columns (at least `unitZeroShare`, 10 %, zeros on a side: rain, refunds, counts)
 *   are judged apart, see `unitChangeOf`.
 */
import type { FeatureValue, Output } from '../../contract/index.js';
import type { DetectorOutcome, Figure, Finding, Subject, TimeWindow } from '../../findings/finding.js';
import { binomialUpperTail } from '../../outliers/range.js';
import type { ColumnProfile } from '../../profile/column-profile.js';
import type { DatasetProfile } from '../../profile/dataset-profile.js';
import { asCurrentVsReference, type UnitChangeResult, unitChange } from '../../skew/unit-change.js';
import { type UnitRelation, unitRelations } from '../../skew/unit-factors.js';
import { ks2samp, zTestProportions } from '../../stats/index.js';
import { formatNumber, formatShare } from '../software/format.js';
import { scoreAbove } from '../software/score.js';

export type ExpectedKind = 'numerical' | 'categorical' | 'boolean' | 'text' | 'datetime' | 'id';

export interface DataQualityConfig {
  /** One-sided significance per check, Bonferroni over the features checked. */
  alpha: number;
  missingRise: number;
  schemaShare: number;
  minSchemaRows: number;
  outOfRangeShare: number;
  unseenShare: number;
  minUnseen: number;
  stuckMinRows: number;
  duplicateRise: number;
  /** Fewest values per side for the unit-change test. */
  unitMinCount: number;
  /** Largest quantile discrepancy (share of the current spread) for a unit relation to match. */
  unitTolerance: number;
  /** Share of zeros on either side from which a column is judged on its non-zero values. */
  unitZeroShare: number;
  /** Largest change of the zero share a scale change may come with (it keeps zeros at zero). */
  unitZeroShareTolerance: number;
  /** The non-zero values, the relation undone, must not differ at this KS level. */
  unitFitAlpha: number;
}

export const DATA_QUALITY_DEFAULTS: Readonly<DataQualityConfig> = {
  alpha: 0.001,
  missingRise: 0.05,
  schemaShare: 0.01,
  minSchemaRows: 3,
  outOfRangeShare: 0.25,
  unseenShare: 0.01,
  minUnseen: 5,
  stuckMinRows: 50,
  duplicateRise: 0.05,
  unitMinCount: 30,
  unitTolerance: 0.2,
  unitZeroShare: 0.1,
  unitZeroShareTolerance: 0.1,
  unitFitAlpha: 0.01,
};

/** A row of the window as stored: its features and output. */
export interface QualityRow {
  features: Readonly<Record<string, FeatureValue>>;
  output?: Output | null;
}

export interface DataQualityInput {
  /** Features checked (the schema's, else the reference's, else the window's). */
  features: readonly string[];
  /** Expected kind per feature (declared schema, else the reference profile's inferred kind). */
  kinds: Readonly<Record<string, ExpectedKind>>;
  /** True when `kinds` is a declared schema: undeclared features then violate it. */
  declared: boolean;
  current: DatasetProfile;
  /** The reference profile, or the previous window's when there is no reference. */
  baseline: DatasetProfile | null;
  baselineName: 'reference' | 'previous_window';
  /** Rows of the window (all of them, or a uniform sample when the window is large). */
  rows: readonly QualityRow[];
  /** The reference sample rows (unit change, duplicates); null without a reference. */
  referenceRows: readonly Readonly<Record<string, unknown>>[] | null;
}

export interface SchemaFacts {
  rowsChecked: number;
  rowsViolating: number;
  violations: { field: string; reason: string; count: number }[];
}

export interface DataQualityAssessment {
  schema: SchemaFacts;
  findings: Finding[];
  /** Per feature, the data-quality finding that explains a change of its distribution (unit change, stuck…). */
  explains: Record<string, string>;
  checked: string[];
}

const present = (c: ColumnProfile) => c.count - c.missing;

function missingShare(profile: DatasetProfile, feature: string): { missing: number; rows: number } {
  const c = profile.column(feature);
  const rows = profile.rowCount;
  if (!c) return { missing: rows, rows };
  return { missing: Math.max(0, rows - present(c)), rows };
}

/** One-sided p-value that the current share exceeds the baseline share. */
function riseP(k0: number, n0: number, k1: number, n1: number): number {
  if (n0 === 0 || n1 === 0) return 1;
  if (k1 / n1 <= k0 / n0) return 1;
  return zTestProportions(k0, n0, k1, n1).pValue / 2;
}

function typeOk(kind: ExpectedKind, v: FeatureValue): boolean {
  if (v === null) return true;
  if (kind === 'numerical') return typeof v === 'number';
  if (kind === 'boolean')
    return typeof v === 'boolean' || v === 0 || v === 1 || v === 'true' || v === 'false';
  if (kind === 'datetime') return typeof v === 'string' || typeof v === 'number';
  return true;
}

/** Schema facts of the rows: declared features of the wrong type, undeclared features. */
export function schemaFacts(input: Pick<DataQualityInput, 'rows' | 'kinds' | 'declared'>): SchemaFacts {
  const counts = new Map<string, { field: string; reason: string; count: number }>();
  const bump = (field: string, reason: string) => {
    const key = `${field}\u0000${reason}`;
    const c = counts.get(key);
    if (c) c.count++;
    else counts.set(key, { field, reason, count: 1 });
  };
  let violating = 0;
  for (const row of input.rows) {
    let bad = false;
    for (const [field, v] of Object.entries(row.features)) {
      const kind = input.kinds[field];
      if (kind === undefined) {
        if (input.declared) {
          bump(field, 'not in the schema');
          bad = true;
        }
        continue;
      }
      if (!typeOk(kind, v)) {
        bump(field, `expected ${kind}, got ${typeof v}`);
        bad = true;
      }
    }
    if (bad) violating++;
  }
  return {
    rowsChecked: input.rows.length,
    rowsViolating: violating,
    violations: [...counts.values()].sort((a, b) => b.count - a.count || (a.field < b.field ? -1 : 1)),
  };
}

function numbersOf(
  rows: readonly { features: Readonly<Record<string, unknown>> }[],
  feature: string,
): number[] {
  const out: number[] = [];
  for (const r of rows) {
    const v = r.features[feature];
    if (typeof v === 'number' && Number.isFinite(v)) out.push(v);
  }
  return out;
}

function duplicateShare(keys: readonly string[]): number {
  if (keys.length === 0) return 0;
  return 1 - new Set(keys).size / keys.length;
}

/**
 * A unit change as `unitChange` detects it, or — tails of small windows being noisy — when the best relation
 * fits the 10–90 % quantiles within `tolerance` of the current 10–90 % spread while "no change" misses by more
 * than 3 × `tolerance`.
 */
export function unitChanged(r: UnitChangeResult, tolerance: number): boolean {
  if (r.detected) return true;
  if (r.relation === null || r.identityDiscrepancy === null || r.identityDiscrepancy <= 3 * tolerance)
    return false;
  const inner = r.quantiles.filter((q) => q.level >= 0.1 && q.level <= 0.9);
  const lo = inner[0]?.current;
  const hi = inner[inner.length - 1]?.current;
  if (lo === undefined || hi === undefined || !(hi > lo)) return false;
  return inner.every((q) => Math.abs(q.current - q.predicted) / (hi - lo) <= tolerance);
}

/** A unit change found on one feature: the relation and what the finding shows of it. */
export interface UnitChangeVerdict {
  relation: UnitRelation;
  summary: string;
  figures: Figure[];
  detail: Record<string, unknown>;
}

const zeroShareOf = (xs: readonly number[]) =>
  xs.length === 0 ? 0 : xs.filter((x) => x === 0).length / xs.length;

/**
 * The unit-change check of one numerical feature: `before` (reference) and `after` (window) values.
 *
 * Most columns: `unitChange` on the quantiles, accepted by `unitChanged`. A zero-inflated column (at least
 * `unitZeroShare` zeros on a side) is judged apart, because its low quantiles are all 0 on both sides and fit any
 * scale factor, so the fit rests on the three upper quantiles of a few noisy non-zero values — ×1.609 or
 * ×0.621 (miles and kilometres) then matched two same-distribution samples of a column that is 0 on 70 % of
 * rows in one window in ten, at 350 rows. Such a column needs:
 * - a scale relation (× k, intercept 0) only while the zero share holds within `unitZeroShareTolerance`: a
 *   unit change keeps zeros at zero; when the zero share moved, only an affine relation (°C → °F sends 0 to 32)
 *   is accepted, on the whole column;
 * - at least `unitMinCount` non-zero values on each side;
 * - the non-zero values to differ as sent (two-sample KS p < `alpha`) and not once a scale relation is undone
 *   (reference × k against the window: KS p ≥ `unitFitAlpha`): the change is significant, and the relation
 *   accounts for all of it. The relation is the first of the known ones, most common first, that passes.
 */
export function unitChangeOf(
  feature: string,
  before: readonly number[],
  after: readonly number[],
  config: DataQualityConfig,
  alpha: number,
): UnitChangeVerdict | null {
  const options = { minCount: config.unitMinCount, tolerance: config.unitTolerance };
  const zb = zeroShareOf(before);
  const za = zeroShareOf(after);
  const whole = () => {
    const r = unitChange(feature, before, after, options);
    return unitChanged(r, config.unitTolerance) && r.relation ? r : null;
  };
  if (Math.max(zb, za) < config.unitZeroShare) {
    const r = whole();
    return r?.relation ? quantileVerdict(feature, r, r.relation, config) : null;
  }
  if (Math.abs(zb - za) > config.unitZeroShareTolerance) {
    const r = whole();
    return r?.relation && r.relation.intercept !== 0 ? quantileVerdict(feature, r, r.relation, config) : null;
  }
  const nb = Float64Array.from(before.filter((x) => x !== 0));
  const na = Float64Array.from(after.filter((x) => x !== 0));
  if (nb.length < config.unitMinCount || na.length < config.unitMinCount) return null;
  const asSent = ks2samp(nb, na).pValue;
  if (!(asSent < alpha)) return null;
  // Scale relations in the list's order, the most common units first: of the factors the data cannot tell
  // apart (× 1000 and × 1024 on a hundred values), the usual one.
  let found: { relation: UnitRelation; undone: number } | null = null;
  for (const r of unitRelations()) {
    if (r.intercept !== 0) continue;
    const undone = ks2samp(
      nb.map((x) => x * r.slope),
      na,
    ).pValue;
    if (undone >= config.unitFitAlpha) {
      found = { relation: asCurrentVsReference(r), undone };
      break;
    }
  }
  if (found === null) return null;
  const { relation, undone } = found;
  const q = unitChange(feature, nb, na, options).quantiles.map((x, k, all) => ({
    ...x,
    predicted: relation.slope * (relation.slope >= 0 ? x.reference : all[all.length - 1 - k]!.reference),
  }));
  const median = (k: 'reference' | 'current') => formatNumber(q[3]![k], 3);
  return {
    relation,
    summary:
      `\`${feature}\` changed unit or scale on its non-zero values: ${relation.meaning} — ${relation.formula} ` +
      `(non-zero median ${median('reference')} → ${median('current')}; zeros ${formatShare(zb)} of the reference and ` +
      `${formatShare(za)} of the window, kept as a unit change keeps them; KS p ${asSent.toExponential(1)} as sent, ` +
      `${undone.toPrecision(2)} with the relation undone).`,
    figures: [
      { name: 'non-zero median', value: q[3]?.current ?? null, baseline: q[3]?.reference ?? null },
      { name: 'zero share', value: za, baseline: zb, threshold: config.unitZeroShare },
      { name: 'KS p-value as sent', value: asSent, threshold: alpha },
      { name: 'KS p-value with the relation undone', value: undone, threshold: config.unitFitAlpha },
    ],
    detail: {
      relation,
      quantiles: q,
      nonZero: { reference: nb.length, current: na.length },
      zeroShare: { reference: zb, current: za },
    },
  };
}

/** The verdict of a relation `unitChange` found on the quantiles. */
function quantileVerdict(
  feature: string,
  r: UnitChangeResult,
  relation: UnitRelation,
  config: DataQualityConfig,
): UnitChangeVerdict {
  return {
    relation,
    summary: r.explanation ?? `\`${feature}\` changed unit or scale: ${relation.formula}.`,
    figures: [
      { name: 'median', value: r.quantiles[3]?.current ?? null, baseline: r.quantiles[3]?.reference ?? null },
      { name: 'relation discrepancy', value: r.discrepancy, threshold: config.unitTolerance },
      { name: 'no-change discrepancy', value: r.identityDiscrepancy, threshold: 3 * config.unitTolerance },
    ],
    detail: { relation, quantiles: r.quantiles, ratioOfMedians: r.ratioOfMedians },
  };
}

const rowKey = (r: QualityRow) => JSON.stringify([r.features, r.output ?? null]);

export interface DataQualityContext {
  model: string;
  version?: string | undefined;
  window: TimeWindow;
}

/** Runs every data-quality check of the module comment on one window and returns its findings. */
export function assessDataQuality(
  input: DataQualityInput,
  ctx: DataQualityContext,
  config: DataQualityConfig = DATA_QUALITY_DEFAULTS,
): DataQualityAssessment {
  const base: Subject = { model: ctx.model, ...(ctx.version !== undefined ? { version: ctx.version } : {}) };
  const findings: Finding[] = [];
  const explains: Record<string, string> = {};
  const features = input.features;
  const alpha = config.alpha / Math.max(1, features.length);
  const against = input.baselineName === 'reference' ? 'the reference' : 'the previous window';
  const make = (
    detector: string,
    feature: string | null,
    score: number,
    summary: string,
    figures: Figure[],
    detail: Record<string, unknown> = {},
  ): Finding => ({
    detector,
    cause: 'data_quality',
    subject: feature === null ? base : { ...base, feature },
    window: ctx.window,
    severity: score >= 0.75 ? 'critical' : 'warning',
    score,
    evidence: {
      summary,
      figures,
      detail: { ...detail, baseline: input.baselineName, window: ctx.window.kind ?? 'sliding' },
    },
  });

  // Schema and types.
  const schema = schemaFacts(input);
  if (schema.rowsChecked > 0) {
    const share = schema.rowsViolating / schema.rowsChecked;
    if (share >= config.schemaShare && schema.rowsViolating >= config.minSchemaRows) {
      const top = schema.violations[0]!;
      findings.push(
        make(
          'schema_violations',
          top.field,
          scoreAbove(share, config.schemaShare),
          `${formatShare(share)} of rows (${schema.rowsViolating} of ${schema.rowsChecked}) break the ${input.declared ? 'declared schema' : 'reference column types'}: ${schema.violations
            .slice(0, 3)
            .map((v) => `\`${v.field}\` ${v.reason} (${v.count})`)
            .join(', ')}.`,
          [{ name: 'violating row share', value: share, threshold: config.schemaShare }],
          { violations: schema.violations.slice(0, 20) },
        ),
      );
    }
  }

  // Unit changes first: they explain range and drift findings of the same feature.
  const unit = new Set<string>();
  if (input.referenceRows !== null) {
    const refRows = input.referenceRows.map((r) => ({ features: r }));
    for (const f of features) {
      if (input.kinds[f] !== 'numerical') continue;
      const before = numbersOf(refRows, f);
      const after = numbersOf(input.rows, f);
      if (before.length < config.unitMinCount || after.length < config.unitMinCount) continue;
      const v = unitChangeOf(f, before, after, config, alpha);
      if (v === null) continue;
      unit.add(f);
      explains[f] = `a unit change (${v.relation.meaning})`;
      findings.push(make('unit_change', f, 0.9, v.summary, v.figures, v.detail));
    }
  }

  for (const f of features) {
    const cur = input.current.column(f);
    const kind = input.kinds[f];
    // Missing values.
    if (input.baseline) {
      const b = missingShare(input.baseline, f);
      const c = missingShare(input.current, f);
      const before = b.rows > 0 ? b.missing / b.rows : 0;
      const after = c.rows > 0 ? c.missing / c.rows : 0;
      const p = riseP(b.missing, b.rows, c.missing, c.rows);
      if (after - before >= config.missingRise && p < alpha) {
        findings.push(
          make(
            'missing_values',
            f,
            scoreAbove(after - before, config.missingRise),
            `\`${f}\` is missing in ${formatShare(after)} of rows, up from ${formatShare(before)} in ${against} (one-sided p ${p.toExponential(1)}).`,
            [
              {
                name: 'missing share',
                value: after,
                baseline: before,
                threshold: before + config.missingRise,
              },
              { name: 'rows', value: c.rows, baseline: b.rows },
            ],
          ),
        );
        if (after >= 0.5) explains[f] ??= 'missing values';
      }
    }
    if (!cur) continue;
    const ref = input.baseline?.column(f);
    // Out of the reference range (systematic), unless a unit change explains it.
    if (
      kind === 'numerical' &&
      ref &&
      input.baselineName === 'reference' &&
      !unit.has(f) &&
      !ref.kll.isEmpty
    ) {
      const lo = ref.kll.min!;
      const hi = ref.kll.max!;
      const values = numbersOf(input.rows, f);
      const outside = values.filter((v) => v < lo || v > hi).length;
      const share = values.length > 0 ? outside / values.length : 0;
      if (values.length >= config.unitMinCount && share >= config.outOfRangeShare) {
        explains[f] ??= 'values outside the reference range';
        findings.push(
          make(
            'out_of_range',
            f,
            scoreAbove(share, config.outOfRangeShare),
            `${formatShare(share)} of \`${f}\` values (${outside} of ${values.length}) lie outside the reference range [${formatNumber(lo, 3)}, ${formatNumber(hi, 3)}].`,
            [{ name: 'share outside reference range', value: share, threshold: config.outOfRangeShare }],
            { referenceMin: lo, referenceMax: hi },
          ),
        );
      }
    }
    // Unseen categories (only when the reference's categories are known exactly).
    if ((kind === 'categorical' || kind === 'boolean') && ref && input.baselineName === 'reference') {
      const rc = ref.categoryCounts();
      const cc = cur.categoryCounts();
      if (rc.maxError === 0 && rc.untracked === 0 && cc.total > 0) {
        let unseen = 0;
        const examples: [string, number][] = [];
        for (const [k, n] of cc.counts)
          if (!rc.counts.has(k) && n > 0) {
            unseen += n;
            examples.push([k, n]);
          }
        const share = unseen / cc.total;
        // Good–Turing: the chance that a new value is one the reference never had is about the share of
        // reference values seen exactly once (rare categories keep turning up).
        let singletons = 0;
        for (const n of rc.counts.values()) if (n === 1) singletons++;
        const expected = Math.max(singletons, 1) / Math.max(rc.total, 1);
        const p = binomialUpperTail(unseen, cc.total, expected);
        if (share >= Math.max(config.unseenShare, 3 * expected) && unseen >= config.minUnseen && p < alpha) {
          examples.sort((a, b) => b[1] - a[1]);
          findings.push(
            make(
              'unseen_categories',
              f,
              scoreAbove(share, config.unseenShare * 5),
              `${formatShare(share)} of \`${f}\` values (${unseen} of ${cc.total}) are categories the reference never had: ${examples
                .slice(0, 5)
                .map(([k, n]) => `"${k}" (${n})`)
                .join(', ')}.`,
              [
                {
                  name: 'unseen category share',
                  value: share,
                  baseline: expected,
                  threshold: config.unseenShare,
                },
                { name: 'binomial p-value', value: p, threshold: alpha },
              ],
              { examples: examples.slice(0, 10).map(([value, count]) => ({ value, count })) },
            ),
          );
          if (share >= 0.2) explains[f] ??= 'unseen categories';
        }
      }
    }
    // Stuck column.
    const n = present(cur);
    if (ref && n >= config.stuckMinRows) {
      const d = cur.distinct();
      const rd = ref.distinct();
      if (d.exact && d.estimate === 1 && rd.estimate >= 2) {
        const only = cur.kll.isEmpty ? [...cur.categoryCounts().counts.keys()][0] : String(cur.kll.min);
        explains[f] = 'a stuck column';
        findings.push(
          make(
            'stuck_column',
            f,
            0.9,
            `\`${f}\` holds one value ("${only}") in all ${n} rows of the window, where ${against} had ${Math.round(rd.estimate)} distinct values.`,
            [{ name: 'distinct values', value: 1, baseline: Math.round(rd.estimate) }],
          ),
        );
      }
    }
  }

  // Duplicated events: rows repeating another row, against the reference sample at the same size. Features with
  // a finding of their own are left out of the comparison (a stuck or missing column makes rows alike).
  const confounded = new Set(findings.flatMap((x) => (x.subject.feature ? [x.subject.feature] : [])));
  const dupFeatures = input.features.filter((f) => !confounded.has(f));
  if (
    dupFeatures.length > 0 &&
    input.referenceRows !== null &&
    input.rows.length >= 50 &&
    input.referenceRows.length >= 50
  ) {
    const size = Math.min(input.rows.length, input.referenceRows.length);
    const cur = input.rows.slice(0, size).map(rowKey);
    const refKeys = input.referenceRows.slice(0, size).map((r) => {
      const features: Record<string, unknown> = {};
      for (const f of dupFeatures) if (f in r) features[f] = r[f];
      return JSON.stringify(features);
    });
    const curFeatureKeys = input.rows.slice(0, size).map((r) => {
      const features: Record<string, unknown> = {};
      for (const f of dupFeatures) if (f in r.features) features[f] = r.features[f];
      return JSON.stringify(features);
    });
    // Features only, both sides alike (the reference has no outputs); the output-inclusive share is evidence.
    const before = duplicateShare(refKeys);
    const after = duplicateShare(curFeatureKeys);
    const withOutput = duplicateShare(cur);
    const k0 = Math.round(before * size);
    const k1 = Math.round(after * size);
    const p = riseP(k0, size, k1, size);
    if (after - before >= config.duplicateRise && p < config.alpha) {
      findings.push(
        make(
          'duplicate_rows',
          null,
          scoreAbove(after - before, config.duplicateRise),
          `${formatShare(after)} of rows repeat another row of the window (${formatShare(withOutput)} with the same output too), against ${formatShare(before)} in a reference sample of the same size (${size} rows): events may be sent twice.`,
          [
            {
              name: 'duplicate row share',
              value: after,
              baseline: before,
              threshold: before + config.duplicateRise,
            },
          ],
        ),
      );
    }
  }
  return { schema, findings, explains, checked: [...features] };
}

/** The findings of an assessment as detector outcomes, with a clear outcome when the window is clean. */
export function dataQualityOutcomes(a: DataQualityAssessment, ctx: DataQualityContext): DetectorOutcome[] {
  const base: Subject = { model: ctx.model, ...(ctx.version !== undefined ? { version: ctx.version } : {}) };
  const out: DetectorOutcome[] = a.findings.map((finding) => ({ kind: 'finding', finding }));
  if (a.findings.length === 0)
    out.push({
      kind: 'clear',
      detector: 'data_quality',
      subject: base,
      evidence: {
        summary: `No data-quality problem in ${a.checked.length} features (${a.schema.rowsChecked} rows checked against the schema).`,
        figures: [
          {
            name: 'violating row share',
            value: a.schema.rowsChecked > 0 ? a.schema.rowsViolating / a.schema.rowsChecked : null,
          },
        ],
      },
    });
  return out;
}
