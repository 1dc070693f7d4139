/**
 * @module
 * The input detectors beyond single columns, run offline on two whole files with bounded, seeded samples:
 *
 * - multivariate drift (methods.md 3): PCA data reconstruction fitted on a reference sample, the current
 *   sample's mean error against the band of reference chunks, confirmed by an MMD permutation test on at
 *   most 1 000 rows a side (`fitPcaReconstruction`, `mmdTest`);
 * - edge cases (methods.md 7): an isolation forest fitted on a reference sample, the share of current rows
 *   it flags against the reference's own share (one-sided binomial test and the size rule of the collector's
 *   edge-case detector), the ten most anomalous current rows, and range tails per feature (`fitRange`);
 * - text columns: descriptors of each text column (`fitTextDescriptors`) tested for drift per descriptor
 *   with the stats module (methods.md 1.13 method choice).
 *
 * Every sample is drawn from `seededRng(seed)`, so the same files and seed give the same report.
 */
import { EDGE_CASE_DEFAULTS } from '../detectors/input/edge-cases.js';
import { MULTIVARIATE_DEFAULTS } from '../detectors/input/multivariate.js';
import { mmdTest } from '../multivariate/mmd.js';
import { fitPcaReconstruction } from '../multivariate/pca-reconstruction.js';
import { columnsFromTable } from '../multivariate/table-columns.js';
import { fitIsolationForest } from '../outliers/isolation-forest.js';
import { binomialUpperTail, evaluateRange, fitRange } from '../outliers/range.js';
import { type Rng, seededRng } from '../rng.js';
import { categoryAt } from '../schema/column-values.js';
import type { ColumnKind } from '../schema/kinds.js';
import { columnByName, type Table } from '../schema/table.js';
import { categoricalDrift, chooseMethod, numericalDrift } from '../stats/index.js';
import { fitTextDescriptors, type TextDescriptor } from '../text/descriptors.js';
import { REPORT_SEED, type ReportPlan } from './plan.js';
import type { AnomalousRow, EdgeCaseReport, MultivariateReport, TextDriftRow } from './types.js';

/** Sample sizes (rows per side) of the sample-based sections. */
export const SAMPLE_LIMITS = { pca: 5000, mmd: 1000, forest: 2000, scored: 20000, text: 2000 } as const;

/** Most numerical features the sample-based sections read (the first ones in plan order). */
export const MAX_JOINT_FEATURES = 50;

/** Numerical feature columns present in both files, in plan order. */
export function allNumericFeatures(plan: ReportPlan, reference: Table, current: Table): string[] {
  return plan.jobs
    .filter((j) => j.role === 'feature' && j.kind === 'numerical' && j.presentIn === 'both')
    .map((j) => j.name)
    .filter((n) => columnByName(reference, n)?.numbers && columnByName(current, n)?.numbers);
}

/**
 * The first `MAX_JOINT_FEATURES` numerical feature columns present in both files (so wide files cost
 * bounded work: PCA, MMD and the nanny models grow with the feature count).
 */
export function numericFeatures(plan: ReportPlan, reference: Table, current: Table): string[] {
  return allNumericFeatures(plan, reference, current).slice(0, MAX_JOINT_FEATURES);
}

/** Row indices where every one of `features` holds a finite number. */
function completeRows(table: Table, features: readonly string[]): number[] {
  const cols = features.map((f) => columnByName(table, f)!.numbers!);
  const out: number[] = [];
  for (let i = 0; i < table.rows; i++) if (cols.every((c) => Number.isFinite(c[i]!))) out.push(i);
  return out;
}

/** Up to `k` of `items` drawn uniformly without replacement (partial Fisher–Yates), in random order. */
export function sampleOf<T>(items: readonly T[], k: number, rng: Rng): T[] {
  const a = [...items];
  const take = Math.min(k, a.length);
  for (let i = 0; i < take; i++) {
    const j = i + rng.nextInt(a.length - i);
    const t = a[i]!;
    a[i] = a[j]!;
    a[j] = t;
  }
  return a.slice(0, take);
}

function matrixOf(table: Table, features: readonly string[], rows: readonly number[]): number[][] {
  const cols = features.map((f) => columnByName(table, f)!.numbers!);
  return rows.map((i) => cols.map((c) => c[i]!));
}

function columnsOf(table: Table, features: readonly string[], rows: readonly number[]) {
  return Object.fromEntries(
    features.map((f) => {
      const c = columnByName(table, f)!.numbers!;
      return [f, rows.map((i) => c[i]!)];
    }),
  );
}

const mean = (v: readonly number[]) => v.reduce((a, b) => a + b, 0) / v.length;

/**
 * Multivariate drift of the numerical features (methods.md 3.1, 3.2). The PCA part drifts when the current
 * sample's mean reconstruction error leaves the reference-chunk band (mean ± 3 std of chunk errors); the
 * whole drifts when PCA drifts and MMD (p < 0.05, 100 permutations, features scaled by the reference std)
 * confirms. Null parts and a note when there are fewer than two numerical features or too few rows.
 */
export function multivariateDrift(
  reference: Table,
  current: Table,
  plan: ReportPlan,
  seed: number = REPORT_SEED,
): MultivariateReport {
  const rng = seededRng(seed);
  const features = numericFeatures(plan, reference, current);
  const total = allNumericFeatures(plan, reference, current).length;
  const notes =
    total > features.length
      ? [`the first ${features.length} of ${total} numerical features are compared jointly`]
      : [];
  const empty = (note: string): MultivariateReport => ({
    pca: null,
    mmd: null,
    drifted: false,
    seed,
    notes: [note],
  });
  if (features.length < 2) return empty(`${features.length} numerical feature(s): needs two or more`);
  const refRows = sampleOf(completeRows(reference, features), SAMPLE_LIMITS.pca, rng);
  const curRows = sampleOf(completeRows(current, features), SAMPLE_LIMITS.pca, rng);
  if (refRows.length < 100 || curRows.length < MULTIVARIATE_DEFAULTS.minRows)
    return empty(
      `${refRows.length} reference and ${curRows.length} current complete rows: needs 100 and ${MULTIVARIATE_DEFAULTS.minRows}`,
    );
  const chunkSize = Math.max(20, Math.min(500, Math.floor(refRows.length / 10)));
  const model = fitPcaReconstruction(columnsOf(reference, features, refRows), {
    continuous: features,
    categorical: [],
    chunkSize,
  });
  const whole = model.evaluate(columnsOf(current, features, curRows));
  let alertChunks = 0;
  let chunks = 0;
  for (let s = 0; s + chunkSize <= curRows.length; s += chunkSize) {
    chunks++;
    if (model.evaluate(columnsOf(current, features, curRows.slice(s, s + chunkSize))).alert) alertChunks++;
  }
  const referenceError = mean(model.referenceChunks);
  const cur = whole.meanError;
  const z =
    cur !== null && whole.samplingError !== null && whole.samplingError > 0
      ? (cur - referenceError) / whole.samplingError
      : null;
  const pca = {
    features,
    components: model.nComponents,
    referenceError,
    currentError: cur,
    lower: model.lower,
    upper: model.upper,
    chunkSize,
    alertChunks,
    chunks,
    z,
    referenceRows: refRows.length,
    currentRows: curRows.length,
    drifted: cur !== null && (cur > model.upper || cur < model.lower),
  };
  const alpha = MULTIVARIATE_DEFAULTS.mmdAlpha;
  const t = mmdTest(
    matrixOf(reference, features, refRows.slice(0, SAMPLE_LIMITS.mmd)),
    matrixOf(current, features, curRows.slice(0, SAMPLE_LIMITS.mmd)),
    { rng, standardize: 'reference', nPermutations: 100, pValue: alpha },
  );
  const mmd = {
    mmd2: t.mmd2,
    pValue: t.pValue,
    alpha,
    permutations: t.nPermutations,
    nReference: t.nReference,
    nCurrent: t.nCurrent,
    drifted: t.pValue < alpha,
  };
  return { pca, mmd, drifted: pca.drifted && mmd.drifted, seed, notes };
}

/**
 * Edge cases (methods.md 7): isolation forest (100 trees, contamination 0.01) fitted on up to 2 000
 * reference rows, scored on up to 20 000 current rows. Drifted when the one-sided binomial p < 0.001 and the
 * current share is at least max(3 × reference share, reference share + 0.02) (the collector's rule). Null
 * with fewer than 50 complete rows a side or no numerical feature.
 */
export function edgeCases(
  reference: Table,
  current: Table,
  plan: ReportPlan,
  seed: number = REPORT_SEED,
): EdgeCaseReport | null {
  const rng = seededRng(seed + 1);
  const features = numericFeatures(plan, reference, current);
  if (features.length === 0) return null;
  const refRows = sampleOf(completeRows(reference, features), SAMPLE_LIMITS.forest, rng);
  const curRows = sampleOf(completeRows(current, features), SAMPLE_LIMITS.scored, rng).sort((a, b) => a - b);
  const c = EDGE_CASE_DEFAULTS;
  if (refRows.length < c.minRows || curRows.length < c.minRows) return null;
  const refM = matrixOf(reference, features, refRows);
  const forest = fitIsolationForest(refM, { rng, nEstimators: 100, contamination: 0.01 });
  const referenceShare = Math.max(forest.predictOutlier(refM).filter(Boolean).length / refM.length, 0.01);
  const curM = matrixOf(current, features, curRows);
  const scores = forest.scores(curM);
  const flags = forest.predictOutlier(curM);
  const flagged = flags.filter(Boolean).length;
  const currentShare = flagged / curM.length;
  const pValue = binomialUpperTail(flagged, curM.length, referenceShare);
  const idName = plan.settings.id;
  const idCol = idName ? columnByName(current, idName) : undefined;
  const idKind: ColumnKind = (idName ? plan.kinds.get(idName) : undefined) ?? 'id';
  const top: AnomalousRow[] = scores
    .map((s, k) => [s, k] as const)
    .sort((a, b) => b[0] - a[0] || a[1] - b[1])
    .slice(0, 10)
    .map(([score, k]) => {
      const i = curRows[k]!;
      return {
        row: i + 1,
        id: idCol ? categoryAt(idCol, idKind, i) : null,
        score,
        values: Object.fromEntries(features.map((f, j) => [f, curM[k]![j]!])),
      };
    });
  const rangeRef = fitRange(
    Object.fromEntries(
      features.map((f) => [f, refRows.map((i) => columnByName(reference, f)!.numbers![i]!)]),
    ),
  );
  const range = evaluateRange(
    rangeRef,
    Object.fromEntries(features.map((f, j) => [f, curM.map((r) => r[j]!)])),
    { alpha: c.alpha },
  ).features.map((f) => ({
    feature: f.feature,
    share: f.share,
    expectedShare: f.expectedShare,
    pValue: Number.isFinite(f.pValue) ? f.pValue : null,
    alert: f.alert,
  }));
  return {
    features,
    referenceRows: refM.length,
    currentRows: curM.length,
    referenceShare,
    currentShare,
    flagged,
    pValue,
    alpha: c.alpha,
    drifted:
      pValue < c.alpha && currentShare >= Math.max(c.minRatio * referenceShare, referenceShare + c.minExcess),
    range,
    top,
    seed,
  };
}

/** The descriptors a text column is tested on. */
export const TEXT_DRIFT_DESCRIPTORS: readonly TextDescriptor[] = [
  'chars',
  'tokens',
  'oovShare',
  'nonLetterShare',
  'latinShare',
];

function texts(table: Table, name: string, rows: readonly number[]): (string | null)[] {
  const cells = columnsFromTable(table, [name])[name] ?? [];
  return rows.map((i) => {
    const v = cells[i];
    return typeof v === 'string' ? v : null;
  });
}

const finiteOf = (v: readonly (number | null)[]) =>
  Float64Array.from(v.filter((x): x is number => x !== null && Number.isFinite(x)));

/**
 * Drift of each text feature's descriptors (length in characters and tokens, out-of-vocabulary share,
 * non-letter share, Latin share, dominant script) on up to 2 000 texts a side, each descriptor tested with
 * the method `chooseMethod` picks for it. Rows are named `<column>.<descriptor>`; a descriptor with no
 * value on either side is left out.
 */
export function textDrift(
  reference: Table,
  current: Table,
  plan: ReportPlan,
  seed: number = REPORT_SEED,
): TextDriftRow[] {
  const rng = seededRng(seed + 2);
  const out: TextDriftRow[] = [];
  const names = plan.jobs
    .filter((j) => j.role === 'feature' && j.kind === 'text' && j.presentIn === 'both')
    .map((j) => j.name);
  for (const column of names) {
    const all = (t: Table) => Array.from({ length: t.rows }, (_, i) => i);
    const refTexts = texts(reference, column, sampleOf(all(reference), SAMPLE_LIMITS.text, rng));
    const curTexts = texts(current, column, sampleOf(all(current), SAMPLE_LIMITS.text, rng));
    const model = fitTextDescriptors(refTexts);
    const cur = model.describe(curTexts);
    const row = (
      descriptor: string,
      d: ReturnType<typeof numericalDrift>,
      rm: number | null,
      cm: number | null,
    ) =>
      out.push({
        name: `${column}.${descriptor}`,
        column,
        descriptor,
        method: d.method,
        score: d.score,
        pValue: d.pValue,
        threshold: d.threshold,
        drifted: d.drifted,
        statisticKind: d.statisticKind,
        n: d.n,
        m: d.m,
        referenceMean: rm,
        currentMean: cm,
      });
    for (const descriptor of TEXT_DRIFT_DESCRIPTORS) {
      const r = finiteOf(model.reference[descriptor]);
      const c = finiteOf(cur[descriptor]);
      if (r.length === 0 || c.length === 0) continue;
      const unique = new Set([...r, ...c]).size;
      const method = chooseMethod('numerical', r.length, unique);
      row(descriptor, numericalDrift(r, c, method), mean([...r]), mean([...c]));
    }
    const counts = (v: readonly (string | null)[]) => {
      const m = new Map<string, number>();
      for (const s of v) if (s !== null) m.set(s, (m.get(s) ?? 0) + 1);
      return m;
    };
    const rs = counts(model.reference.script);
    const cs = counts(cur.script);
    if (rs.size > 0 && cs.size > 0) {
      const method = chooseMethod('categorical', refTexts.length, new Set([...rs.keys(), ...cs.keys()]).size);
      row('script', categoricalDrift(rs, cs, method), null, null);
    }
  }
  return out;
}
