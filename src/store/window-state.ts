/**
 * @module
 * What one window bucket of one model version holds, and its algebra: `emptyWindow()`, `addPrediction`,
 * `addLabel`, `addFeedback`, `mergeWindows`, plus a versioned binary encoding. Every engine stores windows
 * through these functions, so windows written by different collector processes merge exactly.
 *
 * Pure: no I/O, no clock; randomness (for the bounded sample) comes in as an `Rng`.
 */
import type {
  FeedbackEvent,
  Output,
  PredictionEvent,
  PredictionStatus,
  Scalar,
} from '../core/contract/index.js';
import type { Timed } from './store.js';

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

export interface WindowState {
  predictions: number;
  status: Record<PredictionStatus, number>;
  errorKinds: Record<string, number>;
  instances: Record<string, InstanceCounts>;
  artifactHashes: Record<string, number>;
  labels: LabelCounters;
  feedback: { count: number; actions: Record<string, number> };
}

/** The window of no events. */
export function emptyWindow(): WindowState {
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

function bump(record: Record<string, number>, key: string, by = 1): void {
  record[key] = (record[key] ?? 0) + by;
}

/** Adds one prediction (mutates and returns `state`). */
export function addPrediction(state: WindowState, event: Timed<PredictionEvent>): WindowState {
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

/** Adds one label joined to a prediction of this window (mutates and returns `state`). */
export function addLabel(
  state: WindowState,
  joined: { output: Output | null; value: Scalar; timeToLabelMs: number },
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
  return state;
}

/** Adds one feedback event (mutates and returns `state`). */
export function addFeedback(state: WindowState, event: Timed<FeedbackEvent>): WindowState {
  state.feedback.count += 1;
  bump(state.feedback.actions, event.action);
  return state;
}

function mergeCounts(into: Record<string, number>, from: Record<string, number>): void {
  for (const [k, v] of Object.entries(from)) bump(into, k, v);
}

/** Merges two windows into a new one, as if one process had seen the events of both. */
export function mergeWindows(a: WindowState, b: WindowState): WindowState {
  const out = emptyWindow();
  for (const w of [a, b]) {
    out.predictions += w.predictions;
    mergeCounts(out.status, w.status);
    mergeCounts(out.errorKinds, w.errorKinds);
    mergeCounts(out.artifactHashes, w.artifactHashes);
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
    mergeCounts(out.feedback.actions, w.feedback.actions);
  }
  return out;
}

const MAGIC = 0x464c5731; // "FLW1"
const FORMAT_VERSION = 1;

/** Encodes a window as `magic u32 · format u16 · JSON` (UTF-8). */
export function encodeWindow(state: WindowState): Uint8Array {
  const json = new TextEncoder().encode(JSON.stringify(state));
  const out = new Uint8Array(6 + json.length);
  const view = new DataView(out.buffer);
  view.setUint32(0, MAGIC);
  view.setUint16(4, FORMAT_VERSION);
  out.set(json, 6);
  return out;
}

/** Decodes what `encodeWindow` wrote; throws on a foreign or newer format. */
export function decodeWindow(bytes: Uint8Array): WindowState {
  if (bytes.length < 6) throw new Error('window blob: too short');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (view.getUint32(0) !== MAGIC) throw new Error('window blob: not a Faultline window');
  const version = view.getUint16(4);
  if (version !== FORMAT_VERSION) throw new Error(`window blob: format ${version} is not supported`);
  return JSON.parse(new TextDecoder().decode(bytes.subarray(6))) as WindowState;
}
