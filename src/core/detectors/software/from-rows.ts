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
function quantileSorted(sorted: readonly number[], q: number): number {
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
  latencies.sort((a, b) => a - b);
  return {
    startMs,
    endMs,
    count,
    latencyMs:
      latencies.length === 0
        ? null
        : {
            p50: quantileSorted(latencies, 0.5),
            p95: quantileSorted(latencies, 0.95),
            p99: quantileSorted(latencies, 0.99),
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
  const bounds = Array.from({ length: depth + 1 }, (_, k) => w.startMs - (depth - k) * len);
  const series = (subset: readonly ServingRowLike[]) => {
    const all = bounds.map((start) => windowStatsOf(subset, start, start + len));
    return { current: all.at(-1)!, previous: all.slice(0, -1) };
  };
  const instances = [...new Set(rows.map((r) => r.instance).filter((i): i is string => i !== null))].sort();
  const perInstance: InstanceOperational[] = instances.map((instance) => ({
    instance,
    ...series(rows.filter((r) => r.instance === instance)),
  }));
  // Traffic slices: which windows (by index back from the current one) served each triple, and when first.
  const key = (r: ServingRowLike) => `${r.version}\u0000${r.artifactHash ?? ''}\u0000${r.instance ?? ''}`;
  const seen = new Map<string, Map<number, number>>();
  const slices = new Map<string, TrafficSlice>();
  for (const r of rows) {
    const k = key(r);
    const idx = Math.floor((r.timestampMs - earliest) / len);
    const firsts = seen.get(k) ?? new Map<number, number>();
    firsts.set(idx, Math.min(firsts.get(idx) ?? Number.POSITIVE_INFINITY, r.timestampMs));
    seen.set(k, firsts);
    if (r.timestampMs < w.startMs) continue;
    const s = slices.get(k);
    if (s) {
      s.count++;
      s.lastSeenMs = Math.max(s.lastSeenMs, r.timestampMs);
      s.firstSeenMs = Math.min(s.firstSeenMs, r.timestampMs);
    } else
      slices.set(k, {
        version: r.version,
        artifactHash: r.artifactHash,
        instance: r.instance,
        count: 1,
        firstSeenMs: r.timestampMs,
        lastSeenMs: r.timestampMs,
      });
  }
  const traffic = [...slices.entries()]
    .sort((a, b) => a[0].localeCompare(b[0]))
    .map(([k, s]) => {
      const firsts = seen.get(k)!;
      let idx = depth;
      while (firsts.has(idx - 1)) idx--;
      return { ...s, firstSeenMs: firsts.get(idx)! };
    });
  return {
    model: args.model,
    window: w,
    operational: { overall: series(rows), instances: perInstance },
    heartbeats: args.heartbeats ?? [],
    events: args.events ?? [],
    traffic,
    registry: args.registry ?? [],
    probes: args.probes ?? { specs: [], results: [] },
  };
}
