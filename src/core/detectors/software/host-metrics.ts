/**
 * @module
 * Hardware failure (cause `hardware_failure`): host metrics reported with heartbeats out of their limits or
 * shifting abruptly — CPU saturation, memory pressure, heat and throttling where readable, GPU errors where
 * present, OOM kills — tied to the instances whose latency or errors also moved.
 *
 * Host keys read (flat numbers in `heartbeat.host`, as the contract recommends): `cpuPercent`,
 * `memoryUsedBytes` + `memoryTotalBytes` (or `memoryPercent`), `temperatureC`, `throttled` (> 0 while the CPU or
 * GPU is throttled), `gpuErrors` and `oomKills` (cumulative counters). `oom` events count as OOM kills.
 *
 * Per instance and window: levels (cpu, memory, temperature) are the median of the window's heartbeats — or of
 * the run of at least `minTrailingPoints` heartbeats at its end, for a change that began mid-window — so one
 * busy second is not saturation; counters count their increase since the last heartbeat before the window.
 * A level is a problem over its limit, or when it jumped: robust z ≥ `zThreshold` against the heartbeats of the
 * lookback (needs `minBaselinePoints`) and at least `minDelta` above their median. A hot host whose latency and
 * errors did not move is a warning; one whose latency or errors also rose (`measureSymptoms`) is critical.
 */
import type { DetectorOutcome } from '../../findings/finding.js';
import { median, robustBaseline, robustZ } from '../operational/robust-baseline.js';
import {
  measureSymptoms,
  movedSymptoms,
  SYMPTOMS_DEFAULTS,
  type SymptomsConfig,
} from '../operational/symptoms.js';
import type { SoftwareDetector } from './detector.js';
import { formatNumber } from './format.js';
import { heartbeatsByInstance, inWindow } from './heartbeats.js';
import type { HeartbeatRecord, SoftwareWindowInput } from './inputs.js';
import { scoreAbove } from './score.js';
import { longestCrossingSuffix } from './trailing-run.js';

/** The `heartbeat.host` keys this detector reads. */
export const HOST_METRIC_KEYS = [
  'cpuPercent',
  'memoryUsedBytes',
  'memoryTotalBytes',
  'memoryPercent',
  'temperatureC',
  'throttled',
  'gpuErrors',
  'oomKills',
] as const;

type Level = 'cpuPercent' | 'memoryPercent' | 'temperatureC';
type Counter = 'throttled' | 'gpuErrors' | 'oomKills';

export interface HostMetricsConfig {
  /** Limits on the window median of each level. */
  limits: Record<Level, number>;
  /** A jump must also be at least this far above the lookback median (in the metric's unit). */
  minDelta: Record<Level, number>;
  zThreshold: number;
  relativeSpreadFloor: number;
  minBaselinePoints: number;
  /** A run of at least this many heartbeats at the end of the window is judged on its own median. */
  minTrailingPoints: number;
  /** Above this many throttled heartbeats, or counter increases, in the window is a problem (0: any). */
  counterLimits: Record<Counter, number>;
  symptoms: SymptomsConfig;
}

export const HOST_METRICS_DEFAULTS: Readonly<HostMetricsConfig> = {
  limits: { cpuPercent: 95, memoryPercent: 95, temperatureC: 90 },
  minDelta: { cpuPercent: 30, memoryPercent: 20, temperatureC: 15 },
  zThreshold: 6,
  relativeSpreadFloor: 0.05,
  minBaselinePoints: 10,
  minTrailingPoints: 3,
  counterLimits: { throttled: 0, gpuErrors: 0, oomKills: 0 },
  symptoms: SYMPTOMS_DEFAULTS,
};

const ID = 'host_metrics';

const LEVEL_TEXT: Record<Level, { name: string; unit: string; suffix: string }> = {
  cpuPercent: { name: 'CPU', unit: '%', suffix: ' %' },
  memoryPercent: { name: 'memory', unit: '%', suffix: ' %' },
  temperatureC: { name: 'temperature', unit: '°C', suffix: ' °C' },
};

const COUNTER_TEXT: Record<Counter, string> = {
  throttled: 'heartbeats reporting thermal throttling',
  gpuErrors: 'GPU errors',
  oomKills: 'OOM kills',
};

function level(h: HeartbeatRecord, key: Level): number | null {
  const host = h.host;
  if (!host) return null;
  if (key === 'memoryPercent') {
    const used = host.memoryUsedBytes;
    const total = host.memoryTotalBytes;
    if (typeof used === 'number' && typeof total === 'number' && total > 0) return (100 * used) / total;
  }
  const v = host[key];
  return typeof v === 'number' && Number.isFinite(v) ? v : null;
}

/**
 * Increase of a cumulative counter over [start, end) and when it first rose: from the last value before the
 * window; a drop means the process restarted and the counter began again from 0.
 */
function counterIncrease(list: HeartbeatRecord[], key: 'gpuErrors' | 'oomKills', start: number, end: number) {
  let prev: number | null = null;
  let increase = 0;
  let firstAtMs: number | null = null;
  for (const h of list) {
    const v = h.host?.[key];
    if (typeof v !== 'number' || !Number.isFinite(v)) continue;
    if (h.timestampMs >= end) break;
    if (h.timestampMs >= start) {
      const step = prev === null ? 0 : v >= prev ? v - prev : v;
      if (step > 0 && firstAtMs === null) firstAtMs = h.timestampMs;
      increase += step;
    }
    prev = v;
  }
  return { increase, firstAtMs };
}

interface Problem {
  text: string;
  score: number;
  /** First heartbeat (or event) in the window that showed it. */
  atMs: number;
  figure: { name: string; value: number; unit: string; baseline?: number | null; threshold?: number | null };
}

function levelProblems(
  list: HeartbeatRecord[],
  current: HeartbeatRecord[],
  w: SoftwareWindowInput['window'],
  config: HostMetricsConfig,
): Problem[] {
  const problems: Problem[] = [];
  for (const key of ['cpuPercent', 'memoryPercent', 'temperatureC'] as const) {
    const points = current
      .map((h) => ({ t: h.timestampMs, v: level(h, key) }))
      .filter((p): p is { t: number; v: number } => p.v !== null);
    const windowMedian = robustBaseline(points.map((p) => p.v))?.median ?? null;
    if (windowMedian === null) continue;
    const t = LEVEL_TEXT[key];
    const history = list
      .filter((h) => h.timestampMs < w.startMs)
      .map((h) => level(h, key))
      .filter((v): v is number => v !== null);
    const base = history.length >= config.minBaselinePoints ? robustBaseline(history) : null;
    const limit = config.limits[key];
    const isOver = (x: number) => x >= limit;
    const hasJumped = (x: number) =>
      base !== null &&
      robustZ(x, base, config.relativeSpreadFloor) >= config.zThreshold &&
      x - base.median >= config.minDelta[key];
    // The window's median, or — for a change that began mid-window — the median of the run since it began.
    const run = longestCrossingSuffix(
      points.map((p) => p.v),
      config.minTrailingPoints,
      (m) => isOver(m) || hasJumped(m),
    );
    const now =
      isOver(windowMedian) || hasJumped(windowMedian) || run === 0
        ? windowMedian
        : median(points.slice(-run).map((p) => p.v))!;
    const over = isOver(now);
    const jumped = hasJumped(now);
    if (!over && !jumped) continue;
    const crossing = over ? limit : base!.median + config.minDelta[key];
    let text = `${t.name} ${formatNumber(now, 1)}${t.suffix}`;
    if (over) text += ` (limit ${formatNumber(limit, 0)}${t.suffix})`;
    if (base)
      text += `, up from ${formatNumber(base.median, 1)}${t.suffix} over the previous ${history.length} heartbeats`;
    problems.push({
      text,
      score: Math.max(
        over ? scoreAbove(now, limit) : 0,
        jumped && base ? scoreAbove(now - base.median, config.minDelta[key]) : 0,
      ),
      atMs: (points.find((p) => p.v >= crossing) ?? points[0]!).t,
      figure: { name: t.name, value: now, unit: t.unit, baseline: base?.median ?? null, threshold: limit },
    });
  }
  return problems;
}

function counterProblems(
  list: HeartbeatRecord[],
  current: HeartbeatRecord[],
  oomEventTimes: number[],
  w: SoftwareWindowInput['window'],
  config: HostMetricsConfig,
): Problem[] {
  const problems: Problem[] = [];
  const flagged = current.filter((h) => (h.host?.throttled ?? 0) > 0);
  const counts: Record<Counter, { n: number; atMs: number | null }> = {
    throttled: { n: flagged.length, atMs: flagged[0]?.timestampMs ?? null },
    gpuErrors: (() => {
      const c = counterIncrease(list, 'gpuErrors', w.startMs, w.endMs);
      return { n: c.increase, atMs: c.firstAtMs };
    })(),
    oomKills: (() => {
      const c = counterIncrease(list, 'oomKills', w.startMs, w.endMs);
      const firsts = [c.firstAtMs, ...oomEventTimes].filter((t): t is number => t !== null);
      return { n: c.increase + oomEventTimes.length, atMs: firsts.length > 0 ? Math.min(...firsts) : null };
    })(),
  };
  for (const key of ['throttled', 'gpuErrors', 'oomKills'] as const) {
    const { n, atMs } = counts[key];
    if (n <= config.counterLimits[key]) continue;
    problems.push({
      text:
        key === 'throttled'
          ? `throttled in ${n} of ${current.length} heartbeats`
          : `${formatNumber(n, 0)} ${COUNTER_TEXT[key]}`,
      score: scoreAbove(n, config.counterLimits[key] + 1),
      atMs: atMs ?? w.startMs,
      figure: { name: COUNTER_TEXT[key], value: n, unit: 'count', threshold: config.counterLimits[key] },
    });
  }
  return problems;
}

function run(input: SoftwareWindowInput, config: HostMetricsConfig): DetectorOutcome[] {
  const { model, window: w } = input;
  const hbs = heartbeatsByInstance(input.heartbeats.filter((h) => h.timestampMs < w.endMs));
  if (hbs.size === 0)
    return [
      {
        kind: 'insufficient_data',
        detector: ID,
        subject: { model },
        reason: 'no heartbeats in the window or its lookback',
      },
    ];
  if (!input.heartbeats.some((h) => h.host && Object.keys(h.host).length > 0))
    return [
      {
        kind: 'not_applicable',
        detector: ID,
        subject: { model },
        reason: 'heartbeats carry no host metrics',
      },
    ];
  const out: DetectorOutcome[] = [];
  let symptoms: ReturnType<typeof measureSymptoms> | null = null;
  let judged = 0;
  for (const [instance, list] of hbs) {
    const current = list.filter((h) => inWindow(h.timestampMs, w) && h.host);
    const oomEventTimes = input.events
      .filter((e) => e.kind === 'oom' && e.instance === instance && inWindow(e.timestampMs, w))
      .map((e) => e.timestampMs);
    if (current.length === 0 && oomEventTimes.length === 0) continue;
    judged++;
    const problems = [
      ...levelProblems(list, current, w, config),
      ...counterProblems(list, current, oomEventTimes, w, config),
    ];
    if (problems.length === 0) continue;
    symptoms ??= measureSymptoms(input, config.symptoms);
    const moved = movedSymptoms(symptoms, instance);
    const version = list.at(-1)?.version;
    let summary = `Host of instance ${instance}: ${problems.map((p) => p.text).join('; ')}`;
    summary +=
      moved.length > 0
        ? `. Its service moved too: ${moved[0]!.summary}`
        : `. Its latency and errors did not move.`;
    const score = Math.max(...problems.map((p) => p.score));
    out.push({
      kind: 'finding',
      finding: {
        detector: ID,
        cause: 'hardware_failure',
        subject: { model, instance, ...(version ? { version } : {}) },
        window: w,
        severity: moved.length > 0 ? 'critical' : 'warning',
        score: moved.length > 0 ? Math.min(1, score + 0.15) : score,
        evidence: {
          summary,
          figures: problems.map((p) => p.figure),
          detail: {
            symptomsMoved: moved.map((s) => ({ metric: s.metric, value: s.value, baseline: s.baseline })),
          },
        },
        sinceMs: Math.min(...problems.map((p) => p.atMs)),
      },
    });
  }
  if (out.length === 0 && judged === 0)
    return [
      {
        kind: 'insufficient_data',
        detector: ID,
        subject: { model },
        reason: 'no heartbeat with host metrics in the window',
      },
    ];
  if (out.length === 0)
    out.push({
      kind: 'clear',
      detector: ID,
      subject: { model },
      evidence: { summary: `Host metrics within limits and steady on ${judged} instance(s).`, figures: [] },
    });
  return out;
}

export const hostMetrics: SoftwareDetector<typeof ID, HostMetricsConfig> = {
  id: ID,
  family: 'software',
  causes: ['hardware_failure'],
  defaults: HOST_METRICS_DEFAULTS,
  run,
};
