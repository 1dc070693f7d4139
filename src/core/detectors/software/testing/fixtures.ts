/**
 * @module
 * Small builders of hand-made detector inputs for unit tests: an empty window, steady window stats, regular
 * heartbeats. Realistic streams come from `scenario.ts`.
 */
import type { DetectorOutcome, Finding } from '../../../findings/finding.js';
import type { HeartbeatRecord, SoftwareWindowInput, WindowStats } from '../inputs.js';

export const T0 = Date.UTC(2025, 0, 6, 10);
export const WINDOW_MS = 300_000;

/** An input for the window [T0, T0 + 5 min) with nothing in it. */
export function emptyInput(overrides: Partial<SoftwareWindowInput> = {}): SoftwareWindowInput {
  return {
    model: 'churn',
    window: { startMs: T0, endMs: T0 + WINDOW_MS },
    operational: { overall: null, instances: [] },
    heartbeats: [],
    events: [],
    traffic: [],
    registry: [],
    probes: { specs: [], results: [] },
    ...overrides,
  };
}

/** Stats of window `i` relative to T0 (0 = the current window, −1 the one before, …). */
export function windowStats(
  i: number,
  count: number,
  p99 = 200,
  errors: WindowStats['errors'] = {},
  latency: { p50: number; p95: number } = { p50: p99 / 3, p95: (p99 * 2) / 3 },
): WindowStats {
  return {
    startMs: T0 + i * WINDOW_MS,
    endMs: T0 + (i + 1) * WINDOW_MS,
    count,
    latencyMs: { ...latency, p99 },
    errors,
  };
}

/** Heartbeats every `everyMs` from `fromMs` (inclusive) to `toMs` (exclusive). */
export function regularHeartbeats(
  instance: string,
  fromMs: number,
  toMs: number,
  everyMs = 30_000,
  extra: Partial<HeartbeatRecord> = {},
): HeartbeatRecord[] {
  const out: HeartbeatRecord[] = [];
  for (let t = fromMs; t < toMs; t += everyMs) out.push({ instance, timestampMs: t, ...extra });
  return out;
}

/** The findings among outcomes. */
export function findingsOf(outcomes: readonly DetectorOutcome[]): Finding[] {
  return outcomes.flatMap((o) => (o.kind === 'finding' ? [o.finding] : []));
}
