/**
 * @module
 * Reads what the software and operational detectors need for one model and window out of the store and shapes
 * it as their input (`SoftwareWindowInput`): per-instance and model-wide stats of the window and of the
 * `baselineWindows` windows before it (count, exact latency quantiles, errors by kind), heartbeats and events of
 * the window and its lookback, probe results (events of kind `probe`), the window's traffic by (version,
 * artifact hash, instance) with the start of each run, and the registry as it stood during the window (the version
 * intended then, and since when). Also the per-instance facts of `WindowFigures.instances`.
 */
import type { Fingerprint, SelfCheck } from '../../../core/contract/index.js';
import type {
  HeartbeatRecord as DetectorHeartbeat,
  ErrorKind,
  ProbeResult,
  ProbeSpec,
  ServingEvent,
  SoftwareWindowInput,
  TrafficSlice,
} from '../../../core/detectors/index.js';
import { errorKindOf, softwareInputFromRows } from '../../../core/detectors/software/from-rows.js';
import type { InstanceFigures, OperationalFigures } from '../../../core/expectations/window-figures.js';
import type { TimeWindow } from '../../../core/findings/finding.js';
import type { IntendedSpan } from '../../../store/intended-history.js';
import type { EventRecord, HeartbeatRecord, ServingRow, Store, VersionRecord } from '../../../store/store.js';

export interface ServingConfig {
  baselineWindows: number;
  lookbackMs: number;
  /** Most prediction rows read for the current window, and again for the baseline windows. */
  maxServingRows: number;
  /** Most heartbeats and events read. */
  maxEvents: number;
}

export interface ServingAssembly {
  input: SoftwareWindowInput;
  instances: InstanceFigures[];
  /** Model-wide operational figures of the window from its rows (p90 included). */
  operational: OperationalFigures;
  /** The current window's rows were cut at `maxServingRows`. */
  truncated: boolean;
}

/** Quantile by linear interpolation between order statistics (NumPy's default) of sorted values. */
function quantileSorted(sorted: readonly number[], q: number): number {
  const h = (sorted.length - 1) * q;
  const lo = Math.floor(h);
  const hi = Math.min(lo + 1, sorted.length - 1);
  return sorted[lo]! + (h - lo) * (sorted[hi]! - sorted[lo]!);
}

interface Acc {
  count: number;
  errors: number;
  timeouts: number;
  latencies: number[];
  kinds: Partial<Record<ErrorKind, number>>;
}

const emptyAcc = (): Acc => ({ count: 0, errors: 0, timeouts: 0, latencies: [], kinds: {} });

function add(acc: Acc, r: ServingRow): void {
  acc.count++;
  if (r.latencyMs !== null) acc.latencies.push(r.latencyMs);
  if (r.status === 'error') acc.errors++;
  if (r.status === 'timeout') acc.timeouts++;
  if (r.status !== 'ok') {
    const k = errorKindOf(r.status, r.errorKind);
    if (k) acc.kinds[k] = (acc.kinds[k] ?? 0) + 1;
  }
}

function operationalOf(acc: Acc): OperationalFigures {
  const sorted = [...acc.latencies].sort((a, b) => a - b);
  return {
    requests: acc.count,
    errors: acc.errors,
    timeouts: acc.timeouts,
    latencyMs:
      sorted.length === 0
        ? null
        : {
            p50: quantileSorted(sorted, 0.5),
            p90: quantileSorted(sorted, 0.9),
            p95: quantileSorted(sorted, 0.95),
            p99: quantileSorted(sorted, 0.99),
          },
    latencyCount: sorted.length,
  };
}

function toDetectorHeartbeat(h: HeartbeatRecord): DetectorHeartbeat {
  const out: DetectorHeartbeat = { instance: h.instance, timestampMs: h.timestampMs };
  if (h.version !== null) out.version = h.version;
  if (h.artifactHash !== null) out.artifactHash = h.artifactHash;
  if (h.intervalMs !== null) out.intervalMs = h.intervalMs;
  const start = h.host.processStartMs;
  if (typeof start === 'number' && Number.isFinite(start)) out.processStartMs = start;
  if (h.fingerprint !== null) out.fingerprint = h.fingerprint;
  out.host = h.host;
  if (h.checks.length > 0) out.checks = h.checks;
  return out;
}

function toServingEvent(e: EventRecord): ServingEvent {
  const out: ServingEvent = { kind: e.kind, timestampMs: e.timestampMs };
  if (e.instance !== null) out.instance = e.instance;
  if (e.version !== null) out.version = e.version;
  if (e.message !== null) out.message = e.message;
  out.attributes = e.attributes;
  return out;
}

const attr = (e: EventRecord, ...names: string[]) => {
  for (const n of names) {
    const v = e.attributes[n];
    if (v !== undefined && v !== null) return v;
  }
  return undefined;
};

/** A probe event as a probe result: `attributes.dependency` (or `name`), `ok`, `latencyMs`, `status`, `error`. */
export function probeResultOf(e: EventRecord): ProbeResult | null {
  const dependency = attr(e, 'dependency', 'name', 'target');
  if (typeof dependency !== 'string' || dependency.length === 0) return null;
  const ok = attr(e, 'ok', 'healthy', 'up');
  const latency = attr(e, 'latencyMs', 'latency_ms');
  const status = attr(e, 'status', 'statusCode');
  const error = attr(e, 'error');
  const out: ProbeResult = {
    dependency,
    timestampMs: e.timestampMs,
    ok: ok === true || ok === 'true' || ok === 1,
    latencyMs: typeof latency === 'number' && Number.isFinite(latency) && latency >= 0 ? latency : null,
  };
  if (typeof status === 'number') out.status = status;
  if (typeof error === 'string') out.error = error;
  else if (e.message !== null && !out.ok) out.error = e.message;
  return out;
}

/**
 * Probe specs read off probe events when none are configured: per dependency, the kind and target its events
 * name (`attributes.kind`, `attributes.target`), the interval they declare or their median spacing, and the
 * timeout they declare (else 10 s).
 */
export function probeSpecsFromEvents(events: readonly EventRecord[]): ProbeSpec[] {
  const by = new Map<string, EventRecord[]>();
  for (const e of events) {
    const r = probeResultOf(e);
    if (!r) continue;
    const list = by.get(r.dependency);
    if (list) list.push(e);
    else by.set(r.dependency, [e]);
  }
  const specs: ProbeSpec[] = [];
  for (const [name, list] of [...by.entries()].sort((a, b) => (a[0] < b[0] ? -1 : 1))) {
    const sorted = [...list].sort((a, b) => a.timestampMs - b.timestampMs);
    const declared = sorted.map((e) => attr(e, 'intervalMs')).find((v) => typeof v === 'number' && v > 0);
    const gaps = sorted
      .slice(1)
      .map((e, i) => e.timestampMs - sorted[i]!.timestampMs)
      .filter((d) => d > 0);
    gaps.sort((a, b) => a - b);
    const intervalMs =
      typeof declared === 'number' ? declared : (gaps[Math.floor(gaps.length / 2)] ?? 60_000);
    const kind = attr(sorted[0]!, 'kind') === 'tcp' ? 'tcp' : 'http';
    const target = attr(sorted[0]!, 'target');
    const timeout = sorted.map((e) => attr(e, 'timeoutMs')).find((v) => typeof v === 'number' && v > 0);
    const safe = name.replace(/[^A-Za-z0-9.-]/g, '-');
    const fallback = kind === 'tcp' ? `${safe}:80` : `http://${safe}`;
    const validTarget =
      typeof target === 'string' &&
      (kind === 'tcp' ? /^[^\s:/]+:\d{1,5}$/.test(target) : /^https?:\/\/\S+$/.test(target));
    specs.push({
      name,
      kind,
      target: validTarget ? (target as string) : fallback,
      intervalMs,
      timeoutMs: typeof timeout === 'number' ? timeout : 10_000,
    });
  }
  return specs;
}

/** Longest stretch without a heartbeat inside the window (see `InstanceFigures.longestHeartbeatGapMs`). */
function longestGap(times: readonly number[], before: number | null, w: TimeWindow): number {
  let prev = before ?? w.startMs;
  let longest = 0;
  for (const t of times) {
    longest = Math.max(longest, t - Math.max(prev, w.startMs));
    prev = t;
  }
  return Math.max(longest, w.endMs - Math.max(prev, w.startMs));
}

/** Assembles the software input and the per-instance figures of one window (module comment). */
export async function assembleServing(
  store: Store,
  project: string,
  model: string,
  window: TimeWindow,
  versions: readonly VersionRecord[],
  intended: IntendedSpan | null,
  config: ServingConfig,
  probeSpecs?: readonly ProbeSpec[],
): Promise<ServingAssembly> {
  const W = window.endMs - window.startMs;
  const B = config.baselineWindows;
  // The current window and the baseline are read apart, so a cut at the row limit never loses the current one.
  const current = await store.listServingRows(project, model, {
    fromMs: window.startMs,
    toMs: window.endMs,
    limit: config.maxServingRows,
  });
  const baseline =
    B > 0
      ? await store.listServingRows(project, model, {
          fromMs: window.startMs - B * W,
          toMs: window.startMs,
          limit: config.maxServingRows,
        })
      : [];
  const overall = emptyAcc();
  const perInstance = new Map<string, Acc>();
  for (const r of current) {
    add(overall, r);
    if (r.instance === null) continue;
    let acc = perInstance.get(r.instance);
    if (!acc) perInstance.set(r.instance, (acc = emptyAcc()));
    add(acc, r);
  }
  const servingInstances = new Set([
    ...perInstance.keys(),
    ...baseline.flatMap((r) => (r.instance ? [r.instance] : [])),
  ]);

  // Heartbeats and events of the lookback and the window, for this model's instances.
  const from = window.startMs - config.lookbackMs;
  const beats = (
    await store.listHeartbeats(project, { fromMs: from, toMs: window.endMs, limit: config.maxEvents })
  ).filter((h) => h.model === model || (h.model === null && servingInstances.has(h.instance)));
  const events = (
    await store.listEvents(project, { fromMs: from, toMs: window.endMs, limit: config.maxEvents })
  ).filter(
    (e) =>
      e.model === model || (e.model === null && (e.instance === null || servingInstances.has(e.instance))),
  );
  const probes = events.filter((e) => e.kind === 'probe');
  const results = probes.flatMap((e) => {
    const r = probeResultOf(e);
    return r ? [r] : [];
  });
  const input: SoftwareWindowInput = softwareInputFromRows({
    model,
    window: { startMs: window.startMs, endMs: window.endMs, kind: 'sliding' },
    rows: [...baseline, ...current],
    baselineWindows: B,
    heartbeats: beats.map(toDetectorHeartbeat),
    events: events.filter((e) => e.kind !== 'probe').map(toServingEvent),
    registry: versions
      .filter((v) => v.registered)
      .map((v) => ({
        version: v.version,
        artifactHash: v.artifactHash,
        // The version intended at the window's end, not the registry's current one: a window before a deploy is
        // judged against the version intended then (store/intended-history.ts).
        intended: v.version === intended?.version,
        ...(v.version === intended?.version && intended.sinceMs !== null
          ? { intendedSinceMs: intended.sinceMs }
          : {}),
        createdAtMs: v.createdAtMs,
        fingerprint: (v.fingerprint as Fingerprint | null) ?? null,
      })),
    probes: { specs: probeSpecs ? [...probeSpecs] : probeSpecsFromEvents(probes), results },
  });

  // Per-instance figures.
  const beatsBy = new Map<string, HeartbeatRecord[]>();
  for (const h of [...beats].sort((a, b) => a.timestampMs - b.timestampMs)) {
    const list = beatsBy.get(h.instance);
    if (list) list.push(h);
    else beatsBy.set(h.instance, [h]);
  }
  const names = [...new Set([...perInstance.keys(), ...beatsBy.keys()])].sort();
  const figures: InstanceFigures[] = names.map((name) => {
    const list = beatsBy.get(name) ?? [];
    const before = list.filter((h) => h.timestampMs < window.startMs);
    const inside = list.filter((h) => h.timestampMs >= window.startMs && h.timestampMs < window.endMs);
    const last = [...before, ...inside].at(-1) ?? null;
    const served = new Map<string, { version: string; artifactHash: string; predictions: number }>();
    for (const t of input.traffic as TrafficSlice[])
      if (t.instance === name) {
        const key = `${t.version}\u0000${t.artifactHash ?? ''}`;
        const x = served.get(key);
        if (x) x.predictions += t.count;
        else
          served.set(key, { version: t.version, artifactHash: t.artifactHash ?? '', predictions: t.count });
      }
    if (served.size === 0 && last?.version)
      served.set('hb', { version: last.version, artifactHash: last.artifactHash ?? '', predictions: 0 });
    const f: InstanceFigures = { instance: name };
    const acc = perInstance.get(name);
    if (acc) f.operational = operationalOf(acc);
    f.lastHeartbeatMs = last?.timestampMs ?? null;
    f.longestHeartbeatGapMs =
      list.length === 0
        ? null
        : longestGap(
            inside.map((h) => h.timestampMs),
            before.at(-1)?.timestampMs ?? null,
            window,
          );
    f.served = [...served.values()];
    const checks = [...before, ...inside].reverse().find((h) => h.checks.length > 0)?.checks;
    if (checks) f.checks = checks.map((c: SelfCheck) => ({ ...c }));
    return f;
  });
  return {
    input,
    instances: figures,
    operational: operationalOf(overall),
    truncated: current.length >= config.maxServingRows,
  };
}
