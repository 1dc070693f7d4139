/**
 * @module
 * What one window bucket of one model version holds, and its algebra: `emptyWindow()`, `addPrediction`,
 * `addPredictions`, `addJoinedLabel`, `addFeedback`, `mergeWindows`, and a versioned binary encoding. Every engine stores
 * windows through these functions, so buckets written by different collector processes, and buckets
 * rolled up into longer windows, merge exactly as if one process had seen all events.
 *
 * A window holds:
 * - operational counters: predictions, status counts, error kinds, per-instance counts, artifact hashes;
 * - a KLL sketch of latency (ms);
 * - mergeable profiles (`core/profile`) of the features, of the outputs (flattened: `class`, `score`,
 *   `value`, `probability.<class>`, `top_item`, `item_count`) and of the joined label values (`label`);
 * - outcome counters from labels joined to its predictions, and a KLL sketch of the time to label (ms);
 * - feedback counts by action;
 * - a bounded uniform sample of rows (id, features, output, label once joined).
 *
 * Failed requests (status `error` or `timeout`) count for the operational figures only — predictions, status
 * counts, error kinds, per-instance counts, artifact hashes and latency — and never enter the feature and output
 * profiles or the row sample. A failed request carries what the handler had when it failed: features a broken
 * upstream never filled, a half-transformed row, no output. Those describe the failure, not the data the model
 * scores, so profiling them would make a crash storm read as missing values or data drift and bury the
 * operational cause under input findings. The drift, quality, skew and output checks read the profiles and the
 * sample, so they see only the requests the model answered; the error rate and latency see every request.
 *
 * Pure: no I/O, no clock; randomness (sketch compaction, sampling) comes in as an `Rng`.
 */
import type {
  FeatureValue,
  FeedbackEvent,
  Output,
  PredictionEvent,
  PredictionStatus,
  Scalar,
} from '../core/contract/index.js';
import { DatasetProfile } from '../core/profile/dataset-profile.js';
import { decodeProfile, encodeProfile } from '../core/profile/profile-codec.js';
import type { ProfileSettings } from '../core/profile/settings.js';
import type { Rng } from '../core/rng.js';
import { ByteReader, ByteWriter, ProfileFormatError } from '../core/sketch/bytes.js';
import { KllSketch } from '../core/sketch/kll.js';
import { Reservoir } from '../core/sketch/reservoir.js';
import type { Timed } from './store.js';

/**
 * Profile settings of every window: the sketch defaults, and no row sample inside the profiles (the
 * window keeps one sample of whole rows, with ids, outputs and labels, instead).
 */
export const WINDOW_PROFILE_SETTINGS: Partial<ProfileSettings> = { sampleRows: 0 };
/** Rows kept in a window's sample: enough for slices and outlier checks, small enough to rewrite per batch. */
export const WINDOW_SAMPLE_ROWS = 256;
/** KLL accuracy for latency and time-to-label (DataSketches default: 1.33% rank error at 99%). */
export const WINDOW_KLL_K = 200;

export interface InstanceCounts {
  predictions: number;
  errors: number;
  timeouts: number;
}

/** Outcome counters from labels joined to predictions of this window. */
export interface LabelCounters {
  /** Labels joined to a prediction of this window. */
  count: number;
  /** Of those, predictions with a class (or probabilities) to compare with the label. */
  classified: number;
  correct: number;
  /** Of those, predictions with a numeric value and a numeric label. */
  regressed: number;
  absErrorSum: number;
  squaredErrorSum: number;
}

/** One sampled row of a window. */
export interface WindowSampleRow {
  id: string;
  instance: string | null;
  features: Record<string, FeatureValue>;
  output: Output | null;
  label: Scalar | null;
}

export interface WindowCounters {
  predictions: number;
  status: Record<PredictionStatus, number>;
  errorKinds: Record<string, number>;
  instances: Record<string, InstanceCounts>;
  artifactHashes: Record<string, number>;
  labels: LabelCounters;
  feedback: { count: number; actions: Record<string, number> };
}

export interface WindowState extends WindowCounters {
  latencyMs: KllSketch;
  features: DatasetProfile;
  outputs: DatasetProfile;
  labelValues: DatasetProfile;
  timeToLabelMs: KllSketch;
  sample: Reservoir<WindowSampleRow>;
}

function emptyCounters(): WindowCounters {
  return {
    predictions: 0,
    status: { ok: 0, error: 0, timeout: 0 },
    errorKinds: {},
    instances: {},
    artifactHashes: {},
    labels: { count: 0, classified: 0, correct: 0, regressed: 0, absErrorSum: 0, squaredErrorSum: 0 },
    feedback: { count: 0, actions: {} },
  };
}

/** The window of no events. */
export function emptyWindow(rng: Rng): WindowState {
  return {
    ...emptyCounters(),
    latencyMs: KllSketch.empty({ k: WINDOW_KLL_K, rng }),
    features: DatasetProfile.empty({ rng, settings: WINDOW_PROFILE_SETTINGS }),
    outputs: DatasetProfile.empty({ rng, settings: WINDOW_PROFILE_SETTINGS }),
    labelValues: DatasetProfile.empty({ rng, settings: WINDOW_PROFILE_SETTINGS }),
    timeToLabelMs: KllSketch.empty({ k: WINDOW_KLL_K, rng }),
    sample: Reservoir.empty<WindowSampleRow>(WINDOW_SAMPLE_ROWS, rng),
  };
}

function bump(record: Record<string, number>, key: string, by = 1): void {
  record[key] = (record[key] ?? 0) + by;
}

/** The output as flat profile columns: class, score, value, probability.<class>, top_item, item_count. */
export function outputColumns(output: Output | null | undefined): Record<string, FeatureValue> {
  const row: Record<string, FeatureValue> = {};
  if (!output) return row;
  if (output.class !== undefined) row.class = output.class;
  if (output.score !== undefined) row.score = output.score;
  if (output.value !== undefined) row.value = output.value;
  if (output.probabilities)
    for (const [k, p] of Object.entries(output.probabilities)) row[`probability.${k}`] = p;
  if (output.items) {
    row.item_count = output.items.length;
    if (output.items.length > 0) row.top_item = output.items[0] as Scalar;
  }
  return row;
}

/** Adds one prediction (mutates and returns `state`). */
export function addPrediction(state: WindowState, event: Timed<PredictionEvent>): WindowState {
  return addPredictions(state, [event]);
}

/** Columns of a batch of rows: a Float64Array (NaN = missing) where every value is a number or missing. */
function columnsOf(rows: readonly Record<string, FeatureValue>[]): Record<string, ArrayLike<unknown>> {
  const columns: Record<string, (FeatureValue | undefined)[]> = {};
  for (let i = 0; i < rows.length; i++) {
    const row = rows[i] as Record<string, FeatureValue>;
    for (const key in row) {
      let values = columns[key];
      if (values === undefined) {
        values = new Array<FeatureValue | undefined>(rows.length).fill(null);
        columns[key] = values;
      }
      values[i] = row[key];
    }
  }
  const out: Record<string, ArrayLike<unknown>> = {};
  for (const [key, values] of Object.entries(columns)) {
    let numeric = true;
    for (const v of values)
      if (v !== null && typeof v !== 'number') {
        numeric = false;
        break;
      }
    out[key] = numeric ? Float64Array.from(values, (v) => (v === null ? Number.NaN : (v as number))) : values;
  }
  return out;
}

/** A request the model answered (status `ok`, the default): the only kind whose features and output are profiled. */
export function isServed(event: { status?: PredictionStatus | undefined }): boolean {
  return (event.status ?? 'ok') === 'ok';
}

/**
 * Adds predictions (mutates and returns `state`); the profiles take them column by column, which is
 * the same as adding them one by one, only faster. Failed requests count only in the operational figures
 * (module comment).
 */
export function addPredictions(state: WindowState, events: readonly Timed<PredictionEvent>[]): WindowState {
  if (events.length === 0) return state;
  for (const event of events) {
    const status = event.status ?? 'ok';
    state.predictions += 1;
    state.status[status] += 1;
    if (event.errorKind !== undefined && status !== 'ok') bump(state.errorKinds, event.errorKind);
    const instance = event.instance ?? '';
    const counts =
      state.instances[instance] ?? (state.instances[instance] = { predictions: 0, errors: 0, timeouts: 0 });
    counts.predictions += 1;
    if (status === 'error') counts.errors += 1;
    if (status === 'timeout') counts.timeouts += 1;
    if (event.artifactHash !== undefined) bump(state.artifactHashes, event.artifactHash);
    if (event.latencyMs !== undefined) state.latencyMs.add(event.latencyMs);
  }
  const served = events.every(isServed) ? events : events.filter(isServed);
  if (served.length === 0) return state;
  state.features.addColumns({ rows: served.length, columns: columnsOf(served.map((e) => e.features)) });
  state.outputs.addColumns({
    rows: served.length,
    columns: columnsOf(served.map((e) => outputColumns(e.output))),
  });
  state.sample.addBatch(served.length, (i) => {
    const event = served[i] as Timed<PredictionEvent>;
    return {
      id: event.id,
      instance: event.instance ?? null,
      features: event.features,
      output: event.output ?? null,
      label: null,
    };
  });
  return state;
}

/** The class a prediction chose: its `class`, else the arg-max of its probabilities, else null. */
export function predictedClass(output: Output | null | undefined): string | null {
  if (!output) return null;
  if (output.class !== undefined) return String(output.class);
  if (output.probabilities) {
    let best: string | null = null;
    let bestP = -1;
    for (const [k, p] of Object.entries(output.probabilities))
      if (p > bestP) {
        best = k;
        bestP = p;
      }
    return best;
  }
  return null;
}

/**
 * Adds one label joined to prediction `id` of this window (mutates and returns `state`): outcome
 * counters, the label distribution, the time to label, and the label of the sampled row if it is sampled.
 */
export function addJoinedLabel(
  state: WindowState,
  joined: { id: string; output: Output | null; value: Scalar; timeToLabelMs: number },
): WindowState {
  const l = state.labels;
  l.count += 1;
  const cls = predictedClass(joined.output);
  if (cls !== null) {
    l.classified += 1;
    if (cls === String(joined.value)) l.correct += 1;
  } else if (joined.output?.value !== undefined && typeof joined.value === 'number') {
    const err = joined.output.value - joined.value;
    l.regressed += 1;
    l.absErrorSum += Math.abs(err);
    l.squaredErrorSum += err * err;
  }
  state.labelValues.addRow({ label: joined.value });
  state.timeToLabelMs.add(joined.timeToLabelMs);
  for (const row of state.sample.items()) if (row.id === joined.id) row.label = joined.value;
  return state;
}

/** Adds one feedback event (mutates and returns `state`). */
export function addFeedback(state: WindowState, event: Timed<FeedbackEvent>): WindowState {
  state.feedback.count += 1;
  bump(state.feedback.actions, event.action);
  return state;
}

function mergeCounters(out: WindowCounters, w: WindowCounters): void {
  out.predictions += w.predictions;
  for (const s of ['ok', 'error', 'timeout'] as const) out.status[s] += w.status[s];
  for (const [k, v] of Object.entries(w.errorKinds)) bump(out.errorKinds, k, v);
  for (const [k, v] of Object.entries(w.artifactHashes)) bump(out.artifactHashes, k, v);
  for (const [k, c] of Object.entries(w.instances)) {
    const t = out.instances[k] ?? (out.instances[k] = { predictions: 0, errors: 0, timeouts: 0 });
    t.predictions += c.predictions;
    t.errors += c.errors;
    t.timeouts += c.timeouts;
  }
  const l = out.labels;
  l.count += w.labels.count;
  l.classified += w.labels.classified;
  l.correct += w.labels.correct;
  l.regressed += w.labels.regressed;
  l.absErrorSum += w.labels.absErrorSum;
  l.squaredErrorSum += w.labels.squaredErrorSum;
  out.feedback.count += w.feedback.count;
  for (const [k, v] of Object.entries(w.feedback.actions)) bump(out.feedback.actions, k, v);
}

function countersOf(w: WindowCounters): WindowCounters {
  const out = emptyCounters();
  mergeCounters(out, w);
  return out;
}

const copyRow = (r: WindowSampleRow): WindowSampleRow => ({ ...r, features: { ...r.features } });

/** A deep copy whose sketches draw from `rng`. */
export function cloneWindow(w: WindowState, rng: Rng): WindowState {
  const sample = Reservoir.of(WINDOW_SAMPLE_ROWS, w.sample.seen, w.sample.items().map(copyRow), rng);
  return {
    ...countersOf(w),
    latencyMs: KllSketch.empty({ k: WINDOW_KLL_K, rng }).merge(w.latencyMs),
    features: w.features.clone(rng),
    outputs: w.outputs.clone(rng),
    labelValues: w.labelValues.clone(rng),
    timeToLabelMs: KllSketch.empty({ k: WINDOW_KLL_K, rng }).merge(w.timeToLabelMs),
    sample,
  };
}

/** Merges two windows into a new one (the inputs are not changed), as if one process had seen both. */
export function mergeWindows(a: WindowState, b: WindowState, rng: Rng): WindowState {
  const out = cloneWindow(a, rng);
  mergeCounters(out, b);
  out.latencyMs.merge(b.latencyMs);
  out.features.merge(b.features);
  out.outputs.merge(b.outputs);
  out.labelValues.merge(b.labelValues);
  out.timeToLabelMs.merge(b.timeToLabelMs);
  out.sample.merge(Reservoir.of(WINDOW_SAMPLE_ROWS, b.sample.seen, b.sample.items().map(copyRow), rng));
  return out;
}

/** The counters alone (plain data), e.g. for comparing windows in tests. */
export function windowCounters(w: WindowState): WindowCounters {
  return countersOf(w);
}

const MAGIC = [0x46, 0x4c, 0x57]; // "FLW"
const FORMAT_VERSION = 2;

function lengthPrefixed(w: ByteWriter, bytes: Uint8Array): void {
  w.varuint(bytes.length);
  w.bytes(bytes);
}

/**
 * Encodes a window: `"FLW" · format u8 · counters (JSON) · latency KLL · time-to-label KLL · features,
 * outputs, labels profiles (length-prefixed .flp blobs) · sample seen count · sample rows (JSON)`.
 */
export function encodeWindow(state: WindowState): Uint8Array {
  const w = new ByteWriter(16_384);
  w.bytes(Uint8Array.from(MAGIC));
  w.u8(FORMAT_VERSION);
  w.string(JSON.stringify(countersOf(state)));
  state.latencyMs.write(w);
  state.timeToLabelMs.write(w);
  lengthPrefixed(w, encodeProfile(state.features));
  lengthPrefixed(w, encodeProfile(state.outputs));
  lengthPrefixed(w, encodeProfile(state.labelValues));
  w.varuint(state.sample.seen);
  w.string(JSON.stringify(state.sample.items()));
  return w.finish();
}

/** Decodes what `encodeWindow` wrote; throws `ProfileFormatError` naming the part that is wrong. */
export function decodeWindow(bytes: Uint8Array, rng: Rng): WindowState {
  const r = new ByteReader(bytes);
  const magic = r.bytes(3, 'window.magic');
  if (magic[0] !== MAGIC[0] || magic[1] !== MAGIC[1] || magic[2] !== MAGIC[2])
    throw new ProfileFormatError('window.magic', 'not a Faultline window');
  const version = r.u8('window.format');
  if (version !== FORMAT_VERSION)
    throw new ProfileFormatError(
      'window.format',
      `format ${version} is not supported (expected ${FORMAT_VERSION})`,
    );
  const counters = JSON.parse(r.string('window.counters')) as WindowCounters;
  const latencyMs = KllSketch.read(r, rng, 'window.latency');
  const timeToLabelMs = KllSketch.read(r, rng, 'window.timeToLabel');
  const profile = (field: string) => decodeProfile(r.bytes(r.varuint(field), field), { rng });
  const features = profile('window.features');
  const outputs = profile('window.outputs');
  const labelValues = profile('window.labels');
  const seen = r.varuint('window.sample.seen');
  const rows = JSON.parse(r.string('window.sample')) as WindowSampleRow[];
  r.expectEnd('window');
  return {
    ...counters,
    latencyMs,
    timeToLabelMs,
    features,
    outputs,
    labelValues,
    sample: Reservoir.of(WINDOW_SAMPLE_ROWS, seen, rows, rng),
  };
}
