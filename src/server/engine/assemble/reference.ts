/**
 * @module
 * What the analyser fits once per model version and reference revision, and keeps in memory: the decoded
 * reference profile and sample, how the reference's columns map to features, target and outputs, and the fitted
 * reference models (quantile ranges, isolation forest, PCA reconstruction, CBPE or DLE, realised performance
 * overall and per slice, item popularity).
 *
 * Reference columns are read by name: the target is the schema's `target`, else a column `label` or `target`;
 * model outputs use the names the windows flatten outputs to — `class`, `score`, `value`, `probability.<class>`;
 * an id column is one whose profile kind is `id` (or that is named `id`); a recommender's training interactions
 * name their item in a column `item`. Features are the schema's, else every other reference column.
 */
import type { FeatureValue, ModelSchemaSpec, Output, Scalar } from '../../../core/contract/index.js';
import type { ExpectedKind } from '../../../core/detectors/input/data-quality.js';
import {
  type LabelledPrediction,
  type RealisedPerformance,
  realisedPerformance,
  type SlicePerformance,
  slicePerformance,
} from '../../../core/detectors/outcome/realised.js';
import { type CbpeModel, fitCbpe } from '../../../core/estimation/cbpe.js';
import { type DleModel, fitDle } from '../../../core/estimation/dle.js';
import {
  fitPcaReconstruction,
  type PcaReconstructionModel,
} from '../../../core/multivariate/pca-reconstruction.js';
import { fitIsolationForest, type IsolationForest } from '../../../core/outliers/isolation-forest.js';
import { fitRange, type RangeReference } from '../../../core/outliers/range.js';
import type { DatasetProfile } from '../../../core/profile/dataset-profile.js';
import { decodeProfile } from '../../../core/profile/profile-codec.js';
import { type Rng, seededRng } from '../../../core/rng.js';
import type { ReferenceRecord, VersionRecord } from '../../../store/store.js';

export const OUTPUT_COLUMNS = ['class', 'score', 'value', 'top_item', 'item_count'] as const;
const isOutputColumn = (c: string) =>
  (OUTPUT_COLUMNS as readonly string[]).includes(c) || c.startsWith('probability.');

export interface ReferenceLayout {
  features: string[];
  kinds: Record<string, ExpectedKind>;
  /** The kinds come from a declared schema. */
  declared: boolean;
  target: string | null;
  /** Output columns present in the reference. */
  outputs: string[];
  idColumn: string | null;
  itemColumn: string | null;
}

/** Encodes rows as numbers for the isolation forest and DLE: numbers as they are (missing → reference median),
 * categories as their reference frequency (unseen or missing → 0). */
export interface RowEncoder {
  features: string[];
  encode(row: Readonly<Record<string, unknown>>): number[];
}

export interface OutlierModel {
  forest: IsolationForest;
  encoder: RowEncoder;
  /** Share of reference rows the forest's offset flags. */
  expectedShare: number;
}

export interface VersionFits {
  key: string;
  version: string;
  reference: ReferenceRecord | null;
  profile: DatasetProfile | null;
  sample: Record<string, unknown>[];
  layout: ReferenceLayout;
  range: RangeReference | null;
  outliers: OutlierModel | null;
  pca: { model: PcaReconstructionModel; referenceMean: number } | null;
  cbpe: { model: CbpeModel; positive: string } | null;
  dle: { model: DleModel; encoder: RowEncoder } | null;
  /** Realised performance of the reference sample (target and output columns), and per slice. */
  performance: RealisedPerformance | null;
  slices: SlicePerformance[];
  /** Interactions per item in the training data (recommenders). */
  popularity: Record<string, number>;
  /** Cached per version: did the version's first window already differ from the reference, per feature. */
  firstWindow?: { startMs: number; drifted: string[] } | undefined;
}

export interface FitOptions {
  /** Outlier share the isolation forest's offset is set at on the reference. */
  contamination: number;
  /** Trees of the isolation forest. */
  trees: number;
  /** Slices per categorical feature. */
  sliceValues: number;
  minSliceRows: number;
}

export const FIT_DEFAULTS: Readonly<FitOptions> = {
  contamination: 0.01,
  trees: 100,
  sliceValues: 10,
  minSliceRows: 30,
};

function profileKind(k: string): ExpectedKind {
  return k === 'numerical' ||
    k === 'categorical' ||
    k === 'boolean' ||
    k === 'text' ||
    k === 'datetime' ||
    k === 'id'
    ? k
    : 'categorical';
}

/** How a version's reference maps to features, target and outputs (module comment). */
export function referenceLayout(
  schema: ModelSchemaSpec | null,
  profile: DatasetProfile | null,
  columnKinds?: Record<string, string>,
): ReferenceLayout {
  const columns = profile?.columnNames() ?? [];
  const has = (c: string) => columns.includes(c);
  const target = schema?.target ?? (has('label') ? 'label' : has('target') ? 'target' : null);
  const kindOf = (c: string): ExpectedKind =>
    profileKind(columnKinds?.[c] ?? profile?.column(c)?.kind() ?? 'categorical');
  const idColumn =
    columns.find((c) => c !== target && !isOutputColumn(c) && (c === 'id' || kindOf(c) === 'id')) ?? null;
  const itemColumn = has('item') ? 'item' : null;
  const outputs = columns.filter(isOutputColumn);
  if (schema) {
    const features = Object.keys(schema.features);
    const kinds: Record<string, ExpectedKind> = {};
    for (const f of features) kinds[f] = profileKind(schema.features[f]!);
    return {
      features,
      kinds,
      declared: true,
      target,
      outputs,
      idColumn: idColumn && has(idColumn) ? idColumn : null,
      itemColumn,
    };
  }
  const features = columns.filter(
    (c) => c !== target && !isOutputColumn(c) && c !== idColumn && c !== itemColumn,
  );
  const kinds: Record<string, ExpectedKind> = {};
  for (const f of features) kinds[f] = kindOf(f);
  return { features, kinds, declared: false, target, outputs, idColumn, itemColumn };
}

/** Reference rows as labelled predictions (target and output columns), empty without both. */
export function referenceLabelled(
  sample: readonly Record<string, unknown>[],
  layout: ReferenceLayout,
): LabelledPrediction[] {
  if (layout.target === null || layout.outputs.length === 0) return [];
  const out: LabelledPrediction[] = [];
  for (const row of sample) {
    const label = row[layout.target];
    if (label === null || label === undefined || label === '') continue;
    const output: Output = {};
    for (const c of layout.outputs) {
      const v = row[c];
      if (v === null || v === undefined || v === '') continue;
      if (c === 'class' && (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean'))
        output.class = v;
      else if (c === 'score' && typeof v === 'number') output.score = v;
      else if (c === 'value' && typeof v === 'number') output.value = v;
      else if (c.startsWith('probability.') && typeof v === 'number' && v >= 0 && v <= 1)
        (output.probabilities ??= {})[c.slice('probability.'.length)] = v;
    }
    if (Object.keys(output).length === 0) continue;
    const features: Record<string, FeatureValue> = {};
    for (const f of layout.features) {
      const v = row[f];
      if (v === null || typeof v === 'number' || typeof v === 'string' || typeof v === 'boolean')
        features[f] = v;
    }
    out.push({ output, label: label as Scalar, features });
  }
  return out;
}

/** A row encoder fitted on reference rows (see `RowEncoder`). */
export function fitEncoder(
  rows: readonly Record<string, unknown>[],
  layout: ReferenceLayout,
): RowEncoder | null {
  const numeric: string[] = [];
  const categorical: string[] = [];
  for (const f of layout.features) {
    const k = layout.kinds[f];
    if (k === 'numerical') numeric.push(f);
    else if (k === 'categorical' || k === 'boolean') categorical.push(f);
  }
  const features = [...numeric, ...categorical];
  if (features.length === 0 || rows.length < 10) return null;
  const medians = new Map<string, number>();
  for (const f of numeric) {
    const xs = rows.map((r) => r[f]).filter((v): v is number => typeof v === 'number' && Number.isFinite(v));
    xs.sort((a, b) => a - b);
    medians.set(f, xs.length > 0 ? xs[Math.floor(xs.length / 2)]! : 0);
  }
  const freqs = new Map<string, Map<string, number>>();
  for (const f of categorical) {
    const m = new Map<string, number>();
    for (const r of rows) {
      const v = r[f];
      if (v === null || v === undefined) continue;
      m.set(String(v), (m.get(String(v)) ?? 0) + 1);
    }
    for (const [k, c] of m) m.set(k, c / rows.length);
    freqs.set(f, m);
  }
  return {
    features,
    encode(row) {
      const out: number[] = [];
      for (const f of numeric) {
        const v = row[f];
        out.push(typeof v === 'number' && Number.isFinite(v) ? v : medians.get(f)!);
      }
      for (const f of categorical) {
        const v = row[f];
        out.push(v === null || v === undefined ? 0 : (freqs.get(f)!.get(String(v)) ?? 0));
      }
      return out;
    },
  };
}

function columnsOf(
  rows: readonly Record<string, unknown>[],
  names: readonly string[],
): Record<string, (number | string | boolean | null)[]> {
  const out: Record<string, (number | string | boolean | null)[]> = {};
  for (const n of names)
    out[n] = rows.map((r) => {
      const v = r[n];
      return typeof v === 'number' || typeof v === 'string' || typeof v === 'boolean' ? v : null;
    });
  return out;
}

function tryFit<T>(f: () => T): T | null {
  try {
    return f();
  } catch {
    return null;
  }
}

/** Fits everything of a version (module comment). Any fit the reference cannot support is null. */
export function fitVersion(
  key: string,
  version: VersionRecord,
  reference: ReferenceRecord | null,
  task: string | null,
  options: FitOptions = FIT_DEFAULTS,
  rng: Rng = seededRng(1),
): VersionFits {
  const profile = reference ? tryFit(() => decodeProfile(reference.profile, { rng: seededRng(2) })) : null;
  const layout = referenceLayout(
    version.schema,
    profile,
    reference?.columnKinds as Record<string, string> | undefined,
  );
  const sample = reference?.sample ?? [];
  const numeric = layout.features.filter((f) => layout.kinds[f] === 'numerical');
  const range =
    sample.length >= 50 && numeric.length > 0
      ? tryFit(() =>
          fitRange(
            Object.fromEntries(
              numeric
                .map(
                  (f) =>
                    [f, sample.map((r) => (typeof r[f] === 'number' ? (r[f] as number) : null))] as const,
                )
                .filter(([, col]) => col.some((v) => v !== null && Number.isFinite(v))),
            ),
          ),
        )
      : null;
  const encoder = sample.length >= 50 ? fitEncoder(sample, layout) : null;
  let outliers: OutlierModel | null = null;
  if (encoder) {
    const matrix = sample.map((r) => encoder.encode(r));
    const forest = tryFit(() =>
      fitIsolationForest(matrix, { rng, nEstimators: options.trees, contamination: options.contamination }),
    );
    if (forest) {
      const flagged = forest.predictOutlier(matrix).filter(Boolean).length;
      outliers = { forest, encoder, expectedShare: Math.max(flagged / matrix.length, options.contamination) };
    }
  }
  const pcaFeatures = layout.features.filter((f) =>
    ['numerical', 'categorical', 'boolean'].includes(layout.kinds[f]!),
  );
  let pca: VersionFits['pca'] = null;
  if (sample.length >= 100 && pcaFeatures.length >= 2) {
    const cont = pcaFeatures.filter(
      (f) => layout.kinds[f] === 'numerical' && sample.some((r) => typeof r[f] === 'number'),
    );
    const cat = pcaFeatures.filter((f) => layout.kinds[f] !== 'numerical');
    const model = tryFit(() =>
      fitPcaReconstruction(columnsOf(sample, [...cont, ...cat]), { continuous: cont, categorical: cat }),
    );
    if (model && model.referenceChunks.length > 0)
      pca = {
        model,
        referenceMean: model.referenceChunks.reduce((a, b) => a + b, 0) / model.referenceChunks.length,
      };
  }
  const labelled = referenceLabelled(sample, layout);
  const performance = labelled.length >= 30 ? realisedPerformance(labelled, seededRng(3), { task }) : null;
  let cbpe: VersionFits['cbpe'] = null;
  let dle: VersionFits['dle'] = null;
  if (
    performance?.task === 'classification' &&
    performance.classes.length === 2 &&
    performance.positive !== null
  ) {
    const positive = performance.positive;
    const rows = labelled.flatMap((r) => {
      const p =
        r.output?.probabilities?.[positive] ?? (typeof r.output?.score === 'number' ? r.output.score : null);
      const cls =
        r.output?.class !== undefined
          ? String(r.output.class)
          : p !== null
            ? p >= 0.5
              ? positive
              : ''
            : null;
      if (p === null || p === undefined || cls === null || !(p >= 0 && p <= 1)) return [];
      return [
        { score: p, prediction: cls === positive ? 1 : 0, label: String(r.label) === positive ? 1 : 0 },
      ];
    });
    if (rows.length >= 100)
      cbpe = tryFit(() => ({
        model: fitCbpe(
          {
            scores: rows.map((r) => r.score),
            predictions: rows.map((r) => r.prediction),
            labels: rows.map((r) => r.label),
          },
          seededRng(4),
          { chunkSize: 100 },
        ),
        positive,
      }));
  }
  if (performance?.task === 'regression' && encoder) {
    const rows = labelled.filter((r) => typeof r.output?.value === 'number' && typeof r.label === 'number');
    if (rows.length >= 100)
      dle = tryFit(() => ({
        model: fitDle(
          {
            features: rows.map((r) => encoder.encode(r.features ?? {})),
            predictions: rows.map((r) => r.output!.value!),
            targets: rows.map((r) => r.label as number),
          },
          { chunkSize: 100, mape: false, nanny: { trees: 60 } },
        ),
        encoder,
      }));
  }
  const sliceFeatures = layout.features.filter(
    (f) => layout.kinds[f] === 'categorical' || layout.kinds[f] === 'boolean',
  );
  const slices =
    performance !== null
      ? slicePerformance(
          labelled,
          sliceFeatures.map((feature) => ({ feature, maxValues: options.sliceValues })),
          seededRng(5),
          { task: performance.task, minRows: options.minSliceRows, resamples: 50 },
        )
      : [];
  const popularity: Record<string, number> = {};
  if (layout.itemColumn && profile) {
    const counts = profile.column(layout.itemColumn)?.categoryCounts();
    if (counts) for (const [k, n] of counts.counts) popularity[k] = n;
  }
  return {
    key,
    version: version.version,
    reference,
    profile,
    sample,
    layout,
    range,
    outliers,
    pca,
    cbpe,
    dle,
    performance,
    slices,
    popularity,
  };
}

/** A small LRU of fitted versions, keyed by project, model, version and reference revision. */
export class FitCache {
  private readonly map = new Map<string, VersionFits>();
  constructor(private readonly capacity = 32) {}
  get size(): number {
    return this.map.size;
  }
  clear(): void {
    this.map.clear();
  }
  get(key: string): VersionFits | undefined {
    const hit = this.map.get(key);
    if (hit) {
      this.map.delete(key);
      this.map.set(key, hit);
    }
    return hit;
  }
  set(key: string, fits: VersionFits): void {
    this.map.set(key, fits);
    while (this.map.size > this.capacity) this.map.delete(this.map.keys().next().value as string);
  }
}
