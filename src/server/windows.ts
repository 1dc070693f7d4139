/**
 * @module
 * Window answers: stored buckets rolled up into windows of the requested size (5-minute buckets merge
 * into the hour, hours into a day), each marked closed once the model's watermark has passed its end.
 */
import type { Quantiles, WindowSummary, WindowsQuery } from '../core/contract/index.js';
import { FaultlineError, toIso } from '../core/contract/index.js';
import { encodeProfile } from '../core/profile/profile-codec.js';
import { summarizeProfile } from '../core/profile/profile-summary.js';
import type { Rng } from '../core/rng.js';
import type { KllSketch } from '../core/sketch/kll.js';
import type { ModelRecord, Store, WindowRecord } from '../store/store.js';
import type { WindowState } from '../store/window-state.js';
import { encodeWindow, mergeWindows } from '../store/window-state.js';
import { watermarkOf } from './wire.js';

export interface RolledWindow {
  version: string;
  startMs: number;
  windowMs: number;
  buckets: number;
  state: WindowState;
}

/** Checks a requested window size against the model's bucket size; returns the size to use. */
export function windowSizeFor(model: ModelRecord, requested: number | undefined): number {
  const size = requested ?? model.windowMs;
  if (size % model.bucketMs !== 0)
    throw new FaultlineError(
      'query.window_ms_invalid',
      `windowMs ${size} is not a multiple of the bucket size ${model.bucketMs} of model "${model.name}"`,
      {
        hint: `use a multiple of ${model.bucketMs}`,
        issues: [{ field: 'windowMs', reason: `must be a multiple of ${model.bucketMs}` }],
      },
    );
  return size;
}

/** Merges buckets into windows of `windowMs`, per version, oldest first. The buckets are not changed. */
export function rollUp(buckets: readonly WindowRecord[], windowMs: number, rng: Rng): RolledWindow[] {
  const byKey = new Map<string, RolledWindow>();
  for (const b of buckets) {
    const startMs = Math.floor(b.startMs / windowMs) * windowMs;
    const key = `${startMs}\u0000${b.version}`;
    const w = byKey.get(key);
    if (!w) byKey.set(key, { version: b.version, startMs, windowMs, buckets: 1, state: b.state });
    else {
      w.state = mergeWindows(w.state, b.state, rng);
      w.buckets += 1;
    }
  }
  return [...byKey.values()].sort((a, b) => a.startMs - b.startMs || (a.version < b.version ? -1 : 1));
}

/** Buckets decoded at once while answering; bounds the memory of one windows query. */
const BUCKETS_PER_READ = 64;

/**
 * Visits the rolled-up windows of a model in order, reading stored buckets a chunk at a time so that
 * only a few dozen decoded buckets are held at once, whatever the range. Stops after `limit` windows.
 */
export async function forEachWindow(
  store: Store,
  project: string,
  model: string,
  q: {
    version?: string | undefined;
    fromMs?: number | undefined;
    toMs?: number | undefined;
    windowMs: number;
    limit: number;
  },
  rng: Rng,
  visit: (w: RolledWindow) => void,
): Promise<number> {
  const align = (ms: number) => Math.floor(ms / q.windowMs) * q.windowMs;
  let cursor = q.fromMs === undefined ? undefined : align(q.fromMs);
  let visited = 0;
  while (visited < q.limit) {
    const range = { version: q.version, fromMs: cursor, toMs: q.toMs };
    let buckets = await store.listWindows(project, model, { ...range, limit: BUCKETS_PER_READ });
    if (buckets.length === 0) break;
    const full = buckets.length === BUCKETS_PER_READ;
    let next: number | undefined;
    if (full) {
      // The last window of a full chunk may continue in the next one: keep it for the next read.
      const lastStart = align((buckets[buckets.length - 1] as WindowRecord).startMs);
      const complete = buckets.filter((b) => align(b.startMs) < lastStart);
      if (complete.length > 0) {
        buckets = complete;
        next = lastStart;
      } else {
        // One window holds more buckets than a chunk: read that window whole.
        const end = Math.min(lastStart + q.windowMs, q.toMs ?? Number.POSITIVE_INFINITY);
        buckets = await store.listWindows(project, model, { ...range, toMs: end, limit: 1_000_000 });
        next = lastStart + q.windowMs;
      }
    }
    for (const w of rollUp(buckets, q.windowMs, rng)) {
      if (visited >= q.limit) break;
      visit(w);
      visited += 1;
    }
    if (!full || next === undefined || (q.toMs !== undefined && next >= q.toMs)) break;
    cursor = next;
  }
  return visited;
}

function ratio(n: number, d: number): number | null {
  return d > 0 ? n / d : null;
}

/** Quantiles of a KLL sketch, or null when it is empty. */
export function quantilesOf(kll: KllSketch): Quantiles | null {
  if (kll.isEmpty) return null;
  const [p50, p90, p95, p99] = kll.quantiles([0.5, 0.9, 0.95, 0.99])!;
  return { count: kll.n, min: kll.min!, p50: p50!, p90: p90!, p95: p95!, p99: p99!, max: kll.max! };
}

const base64 = (bytes: Uint8Array) =>
  Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64');

/** The wire summary of one rolled-up window, with the parts `query.include` asks for. */
export function summarizeWindow(
  model: ModelRecord,
  w: RolledWindow,
  query: Pick<WindowsQuery, 'include'>,
): WindowSummary {
  const wm = watermarkOf(model);
  const s = w.state;
  const l = s.labels;
  const include = new Set(query.include);
  const summary: WindowSummary = {
    model: model.name,
    version: w.version,
    start: toIso(w.startMs),
    end: toIso(w.startMs + w.windowMs),
    windowMs: w.windowMs,
    buckets: w.buckets,
    closed: wm !== null && w.startMs + w.windowMs <= wm,
    predictions: s.predictions,
    status: s.status,
    errorKinds: s.errorKinds,
    latencyMs: quantilesOf(s.latencyMs),
    instances: s.instances,
    artifactHashes: s.artifactHashes,
    labels: {
      count: l.count,
      timeToLabelMs: quantilesOf(s.timeToLabelMs),
      classification:
        l.classified > 0
          ? { correct: l.correct, total: l.classified, accuracy: ratio(l.correct, l.classified) }
          : null,
      regression:
        l.regressed > 0
          ? {
              count: l.regressed,
              mae: ratio(l.absErrorSum, l.regressed),
              rmse: Math.sqrt(l.squaredErrorSum / l.regressed),
            }
          : null,
    },
    feedback: s.feedback,
  };
  if (include.has('profiles')) {
    const columns = (p: WindowState['features']) =>
      summarizeProfile(p).columns as unknown as Record<string, unknown>[];
    summary.profiles = {
      features: columns(s.features),
      outputs: columns(s.outputs),
      labels: columns(s.labelValues),
    };
  }
  if (include.has('sample'))
    summary.sample = {
      seen: s.sample.seen,
      rows: s.sample.items() as unknown as Record<string, unknown>[],
    };
  if (include.has('blobs'))
    summary.blobs = {
      window: base64(encodeWindow(s)),
      features: base64(encodeProfile(s.features)),
      outputs: base64(encodeProfile(s.outputs)),
      labels: base64(encodeProfile(s.labelValues)),
    };
  return summary;
}
