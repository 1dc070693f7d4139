/**
 * @module
 * The input side of one version's window: data quality, feature drift against the reference and the previous
 * window, train–serving skew (the version's first windows, and joined ids), multivariate drift, prediction and
 * label drift, and edge cases. Reads nothing: the analyser hands in the window's profiles and rows and the
 * version's fits.
 */
import type { FeatureValue, Output, Scalar } from '../../../core/contract/index.js';
import {
  assessDataQuality,
  DATA_QUALITY_DEFAULTS,
  type DataQualityConfig,
  type ExpectedKind,
  type QualityRow,
  type SchemaFacts,
} from '../../../core/detectors/input/data-quality.js';
import {
  type ColumnTestResult,
  compareColumn,
  type TestedKind,
} from '../../../core/detectors/input/drift-tests.js';
import {
  EDGE_CASE_DEFAULTS,
  type EdgeCaseConfig,
  edgeCaseOutcomes,
} from '../../../core/detectors/input/edge-cases.js';
import {
  assessFeatureDrift,
  FEATURE_DRIFT_DEFAULTS,
  type FeatureDriftAssessment,
  type FeatureDriftConfig,
  featureDriftOutcomes,
} from '../../../core/detectors/input/feature-drift.js';
import {
  FEATURE_SKEW_DEFAULTS,
  type FeatureSkewConfig,
  featureSkewOutcomes,
} from '../../../core/detectors/input/feature-skew.js';
import {
  type MmdFacts,
  MULTIVARIATE_DEFAULTS,
  type MultivariateConfig,
  multivariateOutcome,
  type ReconstructionFacts,
  reconstructionAlarm,
} from '../../../core/detectors/input/multivariate.js';
import { labelDriftOutcomes, predictionDriftOutcomes } from '../../../core/detectors/input/output-drift.js';
import type { DetectorOutcome, TimeWindow } from '../../../core/findings/finding.js';
import { mmdTest } from '../../../core/multivariate/mmd.js';
import { type OutputCheck, runOutputChecks } from '../../../core/outliers/output-checks.js';
import { evaluateRange } from '../../../core/outliers/range.js';
import type { DatasetProfile } from '../../../core/profile/dataset-profile.js';
import type { Rng } from '../../../core/rng.js';
import { featureSkew } from '../../../core/skew/feature-skew.js';
import type { VersionFits } from './reference.js';

export interface InputConfig {
  minRows: number;
  /** Windows of a new version judged for train–serving skew against the reference. */
  skewWindows: number;
  /** Rows per side for the MMD confirmation. */
  mmdRows: number;
  featureDrift: FeatureDriftConfig;
  dataQuality: DataQualityConfig;
  edgeCases: EdgeCaseConfig;
  multivariate: MultivariateConfig;
  featureSkew: FeatureSkewConfig;
}

export const INPUT_DEFAULTS: Readonly<InputConfig> = {
  minRows: 100,
  skewWindows: 1,
  mmdRows: 300,
  featureDrift: FEATURE_DRIFT_DEFAULTS,
  dataQuality: DATA_QUALITY_DEFAULTS,
  edgeCases: EDGE_CASE_DEFAULTS,
  multivariate: MULTIVARIATE_DEFAULTS,
  featureSkew: FEATURE_SKEW_DEFAULTS,
};

/** One version's share of the window. */
export interface VersionWindowData {
  version: string;
  features: DatasetProfile;
  outputs: DatasetProfile;
  labels: DatasetProfile;
  previous: { features: DatasetProfile; outputs: DatasetProfile; labels: DatasetProfile } | null;
  /** Rows for row-level checks: every row of the window, or its uniform sample when the window is large. */
  rows: { id: string; features: Record<string, FeatureValue>; output: Output | null; label: Scalar | null }[];
  /**
   * Failed requests whose features are all there: the edge-case checks read them next to `rows` (a request the
   * model fails on because its inputs lie far outside the reference is an edge case), and nothing else does.
   */
  failedRows?: { id: string; features: Record<string, FeatureValue> }[];
  /** Index of the window among the version's windows (0: its first). */
  windowIndex: number;
  /** Features whose drift against the reference the version's first window already showed. */
  firstWindowDrift: readonly string[] | null;
}

export interface InputAnalysis {
  outcomes: DetectorOutcome[];
  drift: FeatureDriftAssessment | null;
  baseline: 'reference' | 'previous_window' | null;
  /** Drifted features (covariate shift), skew excluded. */
  drifted: string[];
  /** Features skewed between training and serving. */
  skewed: string[];
  labelDrifted: boolean;
  schema: SchemaFacts | null;
}

const TESTED = new Set(['numerical', 'categorical', 'boolean']);

function compareProfiles(
  baseline: DatasetProfile,
  current: DatasetProfile,
  features: readonly string[],
  kinds: Readonly<Record<string, ExpectedKind>>,
  minRows: number,
): ColumnTestResult[] {
  const out: ColumnTestResult[] = [];
  for (const f of features) {
    const kind = kinds[f];
    if (kind === undefined || !TESTED.has(kind)) continue;
    const b = baseline.column(f);
    const c = current.column(f);
    if (!b || !c) continue;
    out.push(compareColumn(b, c, { kind: kind as TestedKind, minRows }));
  }
  return out;
}

/** The assessment restricted to some features (the others count as not drifted). */
function restricted(a: FeatureDriftAssessment, keep: (f: string) => boolean): FeatureDriftAssessment {
  const tested = a.tested.map((t) => (keep(t.feature) ? t : { ...t, drifted: false }));
  const drifted = tested.filter((t) => t.drifted).map((t) => t.feature);
  const share = tested.length > 0 ? drifted.length / tested.length : null;
  return {
    ...a,
    tested,
    drifted,
    driftShare: share,
    datasetDrift: share !== null && drifted.length > 0 && share >= a.config.driftShare,
  };
}

function columnsOfRows(
  rows: readonly { features: Readonly<Record<string, unknown>> }[],
  names: readonly string[],
) {
  const out: Record<string, (number | string | boolean | null)[]> = {};
  for (const n of names)
    out[n] = rows.map((r) => {
      const v = r.features[n];
      return typeof v === 'number' || typeof v === 'string' || typeof v === 'boolean' ? v : null;
    });
  return out;
}

function subsample<T>(xs: readonly T[], n: number, rng: Rng): T[] {
  if (xs.length <= n) return [...xs];
  const idx = Array.from(xs, (_, i) => i);
  for (let i = 0; i < n; i++) {
    const j = i + rng.nextInt(idx.length - i);
    [idx[i], idx[j]] = [idx[j]!, idx[i]!];
  }
  return idx.slice(0, n).map((i) => xs[i]!);
}

/** Runs every input-side detector on one version's window (module comment). */
export function analyseInputs(
  fits: VersionFits,
  data: VersionWindowData,
  ctx: { model: string; window: TimeWindow; outputChecks: readonly OutputCheck[] | null; rng: Rng },
  config: InputConfig = INPUT_DEFAULTS,
): InputAnalysis {
  const { model, rng } = ctx;
  const window: TimeWindow = { ...ctx.window, kind: 'sliding' };
  const version = data.version;
  const ref = fits.profile;
  const layout = fits.layout;
  const hasLayout = ref !== null || layout.declared;
  const features = hasLayout ? layout.features : data.features.columnNames();
  const kinds: Record<string, ExpectedKind> = {};
  for (const f of features)
    kinds[f] =
      layout.kinds[f] ?? (data.features.column(f)?.kind() as ExpectedKind | undefined) ?? 'categorical';
  const outcomes: DetectorOutcome[] = [];
  const qualityRows: QualityRow[] = data.rows.map((r) => ({ features: r.features, output: r.output }));

  // Data quality first: it explains drift of the features it names.
  const quality = assessDataQuality(
    {
      features,
      kinds,
      declared: layout.declared,
      current: data.features,
      baseline: ref ?? data.previous?.features ?? null,
      baselineName: ref ? 'reference' : 'previous_window',
      rows: qualityRows,
      referenceRows: ref ? fits.sample : null,
    },
    { model, version, window },
    config.dataQuality,
  );
  const inFirstWindows = data.windowIndex < config.skewWindows;
  for (const f of quality.findings) {
    // A unit change a new version brought with it is a difference between training and serving pipelines.
    if (
      f.detector === 'unit_change' &&
      ref &&
      (inFirstWindows || data.firstWindowDrift?.includes(f.subject.feature ?? ''))
    )
      outcomes.push({
        kind: 'finding',
        finding: { ...f, cause: 'train_serving_skew', window: { ...window, kind: 'cumulative' } },
      });
    else outcomes.push({ kind: 'finding', finding: f });
  }
  if (quality.findings.length === 0)
    outcomes.push({
      kind: 'clear',
      detector: 'data_quality',
      subject: { model, version },
      evidence: {
        summary: `No data-quality problem in ${features.length} features (${quality.schema.rowsChecked} rows checked).`,
        figures: [],
      },
    });
  const explained = quality.explains;

  // Feature drift: against the reference, and against the previous window.
  const vsRef = ref ? compareProfiles(ref, data.features, features, kinds, config.minRows) : null;
  const vsPrev = data.previous
    ? compareProfiles(data.previous.features, data.features, features, kinds, config.minRows)
    : null;
  const refA = vsRef ? assessFeatureDrift(vsRef, config.featureDrift) : null;
  const prevA = vsPrev ? assessFeatureDrift(vsPrev, config.featureDrift) : null;
  const primary = refA ?? prevA;
  const baseline = refA ? 'reference' : prevA ? 'previous_window' : null;
  let drifted: string[] = [];
  let skewed: string[] = [];
  if (primary && baseline) {
    const other: Record<string, { baseline: string; drifted: boolean; effect: number }> = {};
    const secondary = refA ? prevA : null;
    for (const t of secondary?.tested ?? [])
      other[t.feature] = { baseline: 'the previous window', drifted: t.drifted, effect: t.effect.score };
    const isSkew = (f: string) =>
      baseline === 'reference' && (inFirstWindows || (data.firstWindowDrift?.includes(f) ?? false));
    skewed = primary.drifted.filter((f) => isSkew(f) && explained[f] === undefined);
    drifted = primary.drifted.filter((f) => !isSkew(f) && explained[f] === undefined);
    const cov = restricted(primary, (f) => !isSkew(f));
    outcomes.push(
      ...featureDriftOutcomes(cov, {
        model,
        version,
        window,
        baseline,
        detector: 'feature_drift',
        explained: Object.fromEntries([
          ...Object.entries(explained),
          ...primary.drifted
            .filter(isSkew)
            .map((f) => [f, 'train–serving skew since the version started'] as const),
        ]),
        other,
      }),
    );
    if (baseline === 'reference' && (inFirstWindows || skewed.length > 0)) {
      const sk = restricted(primary, isSkew);
      outcomes.push(
        ...featureDriftOutcomes(sk, {
          model,
          version,
          window: { ...window, kind: 'cumulative' },
          baseline,
          detector: 'distribution_skew',
          explained,
        }),
      );
    }
  } else
    outcomes.push({
      kind: 'insufficient_data',
      detector: 'feature_drift',
      subject: { model, version },
      reason: 'no reference profile and no previous window of this version to compare with',
    });

  // Feature skew on joined ids.
  if (layout.idColumn !== null && ref && data.rows.some((r) => layout.idColumn! in r.features)) {
    const names = [layout.idColumn, ...features.filter((f) => f !== layout.idColumn)];
    const report = featureSkew(
      columnsOfRows(
        fits.sample.map((features) => ({ features })),
        names,
      ),
      columnsOfRows(data.rows, names),
      { id: layout.idColumn },
    );
    const sk = featureSkewOutcomes(
      report,
      { model, version, window, id: layout.idColumn },
      config.featureSkew,
    );
    for (const o of sk)
      if (o.kind === 'finding' && o.finding.subject.feature) skewed.push(o.finding.subject.feature);
    outcomes.push(...sk);
  }

  // Prediction drift and label drift.
  const outBase = ref && fits.layout.outputs.length > 0 ? ref : (data.previous?.outputs ?? null);
  const outName = ref && fits.layout.outputs.length > 0 ? 'reference' : 'previous_window';
  const outputCols = outBase
    ? [
        'class',
        'score',
        'value',
        ...outBase
          .columnNames()
          .filter((c) => c.startsWith('probability.'))
          .slice(-1),
      ].filter((c) => outBase.column(c) && data.outputs.column(c))
    : [];
  const outResults = outBase
    ? outputCols.map((c) =>
        compareColumn(outBase.column(c)!, data.outputs.column(c)!, { minRows: config.minRows }),
      )
    : [];
  outcomes.push(
    ...predictionDriftOutcomes(
      outResults,
      { model, version, window, baseline: outName, inputDrifted: [...drifted, ...skewed] },
      config.featureDrift,
    ),
  );
  const curLabels = data.labels.column('label');
  const target = layout.target;
  let labelResults: ColumnTestResult[] = [];
  let labelBaseline: 'reference' | 'previous_window' = 'reference';
  if (curLabels && ref && target && ref.column(target)) {
    const kind = (layout.kinds[target] ?? ref.column(target)!.kind()) as string;
    const refCol = ref.column(target)!;
    const tk: TestedKind =
      kind === 'numerical' && (refCol.distinct().estimate > 20 || curLabels.distinct().estimate > 20)
        ? 'numerical'
        : kind === 'boolean'
          ? 'boolean'
          : refCol.kind() === 'numerical' && refCol.distinct().estimate > 20
            ? 'numerical'
            : 'categorical';
    labelResults = [compareColumn(refCol, curLabels, { kind: tk, minRows: config.minRows })];
  } else if (curLabels && data.previous?.labels.column('label')) {
    labelBaseline = 'previous_window';
    labelResults = [
      compareColumn(data.previous.labels.column('label')!, curLabels, { minRows: config.minRows }),
    ];
  }
  const labelOutcomes = labelDriftOutcomes(
    labelResults,
    { model, version, window, baseline: labelBaseline, inputDrifted: drifted },
    config.featureDrift,
  );
  outcomes.push(...labelOutcomes);
  const labelDrifted = labelOutcomes.some((o) => o.kind === 'finding');

  // Edge cases: the answered requests, then the failed ones with every feature.
  const edgeRows: { features: Record<string, FeatureValue> }[] = [...data.rows, ...(data.failedRows ?? [])];
  let outlierInput = null;
  let flagged: boolean[] | null = null;
  if (fits.outliers && edgeRows.length > 0) {
    const enc = fits.outliers.encoder;
    const matrix = edgeRows.map((r) => enc.encode(r.features));
    const scores = fits.outliers.forest.scores(matrix);
    const flags = fits.outliers.forest.predictOutlier(matrix);
    flagged = flags;
    const order = scores.map((s, i) => [s, i] as const).sort((a, b) => b[0] - a[0]);
    outlierInput = {
      n: matrix.length,
      outliers: flags.filter(Boolean).length,
      expectedShare: fits.outliers.expectedShare,
      examples: order.slice(0, 5).map(([score, i]) => ({ score, features: edgeRows[i]!.features })),
      features: enc.features,
    };
  }
  const range =
    fits.range && edgeRows.length > 0
      ? evaluateRange(
          fits.range,
          Object.fromEntries(
            fits.range.features.map((f) => [
              f.feature,
              edgeRows.map((r) => {
                const v = r.features[f.feature];
                return typeof v === 'number' && Number.isFinite(v) ? v : null;
              }),
            ]),
          ),
          { alpha: config.edgeCases.alpha },
        )
      : null;
  const checks =
    ctx.outputChecks && ctx.outputChecks.length > 0
      ? runOutputChecks(
          data.rows.map((r) => ({
            id: r.id,
            input: r.features,
            output: r.output,
            ...(r.label !== null ? { label: r.label } : {}),
          })),
          ctx.outputChecks,
          { maxKept: 20 },
        )
      : null;
  outcomes.push(
    ...edgeCaseOutcomes(
      {
        outliers: outlierInput,
        range,
        outputChecks: checks,
        explained: {
          ...explained,
          ...Object.fromEntries(drifted.map((f) => [f, 'drift'])),
          ...Object.fromEntries(skewed.map((f) => [f, 'train–serving skew'])),
        },
      },
      { model, version, window },
      config.edgeCases,
    ),
  );
  const kept = flagged ? data.rows.filter((_, i) => !flagged![i]) : data.rows;

  // Multivariate drift, on the rows the isolation forest does not call outliers (edge cases are not drift).
  let recon: ReconstructionFacts | null = null;
  let mmd: MmdFacts | null = null;
  if (fits.pca && kept.length > 0) {
    const m = fits.pca.model;
    const res = m.evaluate(columnsOfRows(kept, m.features));
    if (res.meanError !== null && res.samplingError !== null)
      recon = {
        n: res.n,
        meanError: res.meanError,
        referenceMean: fits.pca.referenceMean,
        samplingError: res.samplingError,
        components: m.nComponents,
        features: m.features,
      };
    if (recon && reconstructionAlarm(recon, config.multivariate) && fits.outliers) {
      const enc = fits.outliers.encoder;
      const refM = subsample(fits.sample, config.mmdRows, rng).map((r) => enc.encode(r));
      const curM = subsample(kept, config.mmdRows, rng).map((r) => enc.encode(r.features));
      const t = mmdTest(refM, curM, { rng, standardize: 'reference', nPermutations: 100 });
      mmd = {
        pValue: t.pValue,
        mmd2: t.mmd2,
        nReference: t.nReference,
        nCurrent: t.nCurrent,
        permutations: t.nPermutations,
      };
    }
  }
  outcomes.push(
    multivariateOutcome(
      recon,
      mmd,
      { model, version, window, univariateDrifted: [...(primary?.drifted ?? [])] },
      config.multivariate,
    ),
  );

  return {
    outcomes,
    drift: primary,
    baseline,
    drifted,
    skewed: [...new Set(skewed)],
    labelDrifted,
    schema: quality.schema,
  };
}
