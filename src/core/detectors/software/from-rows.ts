/**
 * @module
 * Builds a `SoftwareWindowInput` from the operational facts of predictions (the store's serving rows: version,
 * artifact hash, instance, time, latency, status, error kind) plus heartbeats, events, registry and probes. This
 * is the pure half of what the collector does per (model, window); it computes exact latency quantiles from the
 * rows (a collector holding only KLL sketches passes their quantiles instead and skips this).
 */
import type { TimeWindow } from '../../findings/finding.js';
import type {
  ErrorKind,
  HeartbeatRecord,
  InstanceOperational,
  ProbeResult,
  RegisteredVersion,
  ServingEvent,
  SoftwareWindowInput,
  TrafficSlice,
  WindowStats,
} from './inputs.js';
import type { ProbeSpec } from './probe-spec.js';

/** The operational facts of one prediction, as the store lists them. */
export interface ServingRowLike {
  version: string;
  artifactHash: string | null;
  instance: string | null;
  timestampMs: number;
  latencyMs: number | null;
  status: 'ok' | 'error' | 'timeout';
  errorKind?: string | null;
}

const KIND_WORDS: [RegExp, ErrorKind][] = [
  [/^(timeout|timeouterror|etimedout|esockettimedout|deadline_exceeded|deadlineexceeded)$/i, 'timeout'],
  [/^(oom|enomem|memoryerror|outofmemoryerror|err_worker_out_of_memory|out_of_memory)$/i, 'oom'],
  [/^(crash|sigsegv|sigabrt|sigkill|sigbus|segfault)$/i, 'crash'],
  [/^(client_error|bad_request|validationerror|invalid_argument|4\d\d)$/i, 'client_error'],
  [/^(server_error|internal|internal_error|5\d\d)$/i, 'server_error'],
];

/**
 * The error kind a prediction counts under: null when it is ok; the kind named by `errorKind` when it is one of
 * the known words (case-insensitive: `ETIMEDOUT` and `TimeoutError` are timeouts, `ENOMEM` and `MemoryError` are
 * oom, `SIGSEGV` is a crash, `4xx`/`5xx` codes are client/server errors); a `timeout` status without a known
 * kind is a timeout; anything else is `other`.
 * @example errorKindOf('error', 'ENOMEM') // 'oom'
 */
export function errorKindOf(status: ServingRowLike['status'], errorKind?: string | null): ErrorKind | null {
  if (status === 'ok') return null;
  if (errorKind) for (const [re, kind] of KIND_WORDS) if (re.test(errorKind)) return kind;
  return status === 'timeout' ? 'timeout' : 'other';
}

/** Quantile by linear interpolation between order statistics (NumPy's default) of sorted values. */
function quantileSorted(sorted: ArrayLike<number>, q: number): number {
  const h = (sorted.length - 1) * q;
  const lo = Math.floor(h);
  const hi = Math.min(lo + 1, sorted.length - 1);
  return sorted[lo]! + (h - lo) * (sorted[hi]! - sorted[lo]!);
}

/**
 * Window stats of the rows in [startMs, endMs) (rows outside are ignored): count, exact p50/p95/p99 of the
 * latencies (NumPy's linear interpolation; null when no row has a latency), and errors by kind.
 * @example windowStatsOf(rows, t0, t0 + 300_000).latencyMs?.p99
 */
export function windowStatsOf(rows: readonly ServingRowLike[], startMs: number, endMs: number): WindowStats {
  const latencies: number[] = [];
  const errors: Partial<Record<ErrorKind, number>> = {};
  let count = 0;
  for (const r of rows) {
    if (r.timestampMs < startMs || r.timestampMs >= endMs) continue;
    count++;
    if (r.latencyMs !== null && Number.isFinite(r.latencyMs)) latencies.push(r.latencyMs);
    const kind = errorKindOf(r.status, r.errorKind);
    if (kind) errors[kind] = (errors[kind] ?? 0) + 1;
  }
  // A typed array sorts numerically without a comparator call per step (several times faster).
  const sorted = Float64Array.from(latencies).sort();
  return {
    startMs,
    endMs,
    count,
    latencyMs:
      sorted.length === 0
        ? null
        : {
            p50: quantileSorted(sorted, 0.5),
            p95: quantileSorted(sorted, 0.95),
            p99: quantileSorted(sorted, 0.99),
          },
    errors,
  };
}

export interface FromRowsArgs {
  model: string;
  window: TimeWindow;
  /** Rows of the window and of the `baselineWindows` windows before it (older rows are ignored). */
  rows: readonly ServingRowLike[];
  baselineWindows?: number;
  heartbeats?: HeartbeatRecord[];
  events?: ServingEvent[];
  registry?: RegisteredVersion[];
  probes?: { specs: ProbeSpec[]; results: ProbeResult[] };
}

/**
 * Assembles the detector input of one window from serving rows: model-wide and per-instance stats of the window
 * and of the `baselineWindows` (default 12) equally long windows before it, and the window's traffic slices
 * whose `firstSeenMs` goes back through the contiguous run of windows (within the rows given) that served the
 * same (version, artifactHash, instance). Rows without an instance count model-wide only.
 */
export function softwareInputFromRows(args: FromRowsArgs): SoftwareWindowInput {
  const { window: w } = args;
  const len = w.endMs - w.startMs;
  const depth = args.baselineWindows ?? 12;
  const earliest = w.startMs - depth * len;
  const rows = args.rows.filter((r) => r.timestampMs >= earliest && r.timestampMs < w.endMs);
  // One pass: rows bucketed by window index (0 = oldest, depth = current), model-wide and per instance.
  const bucketsOf = () => Array.from({ length: depth + 1 }, (): ServingRowLike[] => []);
  const overall = bucketsOf();
  const byInstance = new Map<string, ServingRowLike[][]>();
  for (const r of rows) {
    const idx = Math.floor((r.timestampMs - earliest) / len);
    overall[idx]!.push(r);
    if (r.instance === null) continue;
    let b = byInstance.get(r.instance);
    if (!b) byInstance.set(r.instance, (b = bucketsOf()));
    b[idx]!.push(r);
  }
  const series = (buckets: ServingRowLike[][]) => {
    const all = buckets.map((b, k) => {
      const start = earliest + k * len;
      return windowStatsOf(b, start, start + len);
    });
    return { current: all.at(-1)!, previous: all.slice(0, -1) };
  };
  const perInstance: InstanceOperational[] = [...byInstance.keys()].sort().map((instance) => ({
    instance,
    ...series(byInstance.get(instance)!),
  }));
  // Traffic slices: per (version, artifactHash, instance) triple — looked up through nested maps, which is much
  // cheaper per row than building a string key — the first event time in each window and the current slice.
  interface Slot {
    firsts: (number | undefined)[];
    slice: TrafficSlice | null;
  }
  const slots = new Map<string, Map<string | null, Map<string | null, Slot>>>();
  const all: Slot[] = [];
  for (const r of rows) {
    let byHash = slots.get(r.version);
    if (!byHash) slots.set(r.version, (byHash = new Map()));
    let byInst = byHash.get(r.artifactHash);
    if (!byInst) byHash.set(r.artifactHash, (byInst = new Map()));
    let slot = byInst.get(r.instance);
    if (!slot) {
      byInst.set(r.instance, (slot = { firsts: [], slice: null }));
      all.push(slot);
    }
    const idx = Math.floor((r.timestampMs - earliest) / len);
    const f = slot.firsts[idx];
    if (f === undefined || r.timestampMs < f) slot.firsts[idx] = r.timestampMs;
    if (r.timestampMs < w.startMs) continue;
    const s = slot.slice;
    if (s) {
      s.count++;
      if (r.timestampMs > s.lastSeenMs) s.lastSeenMs = r.timestampMs;
    } else
      slot.slice = {
        version: r.version,
        artifactHash: r.artifactHash,
        instance: r.instance,
        count: 1,
        firstSeenMs: r.timestampMs,
        lastSeenMs: r.timestampMs,
      };
  }
  const order = (t: TrafficSlice) => `${t.version}\u0000${t.artifactHash ?? ''}\u0000${t.instance ?? ''}`;
  const traffic = all
    .filter((slot) => slot.slice !== null)
    .map((slot) => {
      // Back through the contiguous run of windows that served the triple.
      let idx = depth;
      while (idx > 0 && slot.firsts[idx - 1] !== undefined) idx--;
      return { ...slot.slice!, firstSeenMs: slot.firsts[idx]! };
    })
    .sort((a, b) => order(a).localeCompare(order(b)));
  return {
    model: args.model,
    window: w,
    operational: { overall: series(overall), instances: perInstance },
    heartbeats: args.heartbeats ?? [],
    events: args.events ?? [],
    traffic,
    registry: args.registry ?? [],
    probes: args.probes ?? { specs: [], results: [] },
  };
}
