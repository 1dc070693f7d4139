import { describe, expect, it } from 'vitest';
import { errorKindOf, type ServingRowLike, softwareInputFromRows, windowStatsOf } from './from-rows.js';
import type { SoftwareWindowInput } from './inputs.js';
import { windowInputs } from './testing/assemble.js';
import { T0 } from './testing/fixtures.js';
import { generateScenario, ROGUE_HASH } from './testing/scenario.js';

describe('error kinds from the wire', () => {
  it.each([
    ['error', 'ETIMEDOUT', 'timeout'],
    ['error', 'TimeoutError', 'timeout'],
    ['timeout', undefined, 'timeout'],
    ['timeout', 'whatever', 'timeout'],
    ['error', 'ENOMEM', 'oom'],
    ['error', 'MemoryError', 'oom'],
    ['error', 'SIGSEGV', 'crash'],
    ['error', 'crash', 'crash'],
    ['error', '404', 'client_error'],
    ['error', 'server_error', 'server_error'],
    ['error', '503', 'server_error'],
    ['error', 'RangeError', 'other'],
    ['error', null, 'other'],
    ['ok', 'ETIMEDOUT', null],
  ] as const)('%s / %s → %s', (status, kind, expected) => {
    expect(errorKindOf(status, kind)).toBe(expected);
  });
});

describe('window stats from rows', () => {
  it('counts, quantiles as numpy.quantile (linear), errors by kind, and ignores rows outside the window', () => {
    const rows: ServingRowLike[] = [10, 20, 30, 40, 50, 60, 70, 80, 90, 1000].map((latencyMs, i) => ({
      version: 'v3',
      artifactHash: null,
      instance: 'web-1',
      timestampMs: T0 + i,
      latencyMs,
      status: i === 9 ? 'timeout' : i === 8 ? 'error' : 'ok',
      errorKind: i === 8 ? 'ENOMEM' : null,
    }));
    rows.push({ ...rows[0]!, timestampMs: T0 - 1, latencyMs: 5000 });
    const s = windowStatsOf(rows, T0, T0 + 1000);
    expect(s.count).toBe(10);
    // numpy.quantile([10,20,…,90,1000], [0.5, 0.95, 0.99]) = [55., 590.5, 918.1] (NumPy 2.4)
    expect(s.latencyMs!.p50).toBeCloseTo(55, 10);
    expect(s.latencyMs!.p95).toBeCloseTo(590.5, 10);
    expect(s.latencyMs!.p99).toBeCloseTo(918.1, 10);
    expect(s.errors).toEqual({ oom: 1, timeout: 1 });
    expect(windowStatsOf([], T0, T0 + 1000)).toEqual({
      startMs: T0,
      endMs: T0 + 1000,
      count: 0,
      latencyMs: null,
      errors: {},
    });
  });
});

describe('assembling a window from serving rows', () => {
  it('gives the same operational series and traffic as the stream assembler', () => {
    const H = 3_600_000;
    const scenario = generateScenario({
      seed: 4,
      startMs: Date.UTC(2025, 0, 6, 9),
      durationMs: 3 * H,
      faults: [
        { kind: 'wrong_artifact', instance: 'web-2', from: 2 * H - 600_000, artifactHash: ROGUE_HASH },
      ],
    });
    const windows = windowInputs(scenario);
    const sortTraffic = (i: SoftwareWindowInput) => ({
      ...i,
      traffic: [...i.traffic].sort((a, b) =>
        `${a.version}${a.artifactHash}${a.instance}`.localeCompare(
          `${b.version}${b.artifactHash}${b.instance}`,
        ),
      ),
    });
    for (const k of [12, 23, 24, 30]) {
      const expected = windows.input(k);
      const built = softwareInputFromRows({
        model: scenario.model,
        window: expected.window,
        rows: scenario.predictions,
        heartbeats: expected.heartbeats,
        events: expected.events,
        registry: scenario.registry,
        probes: expected.probes,
      });
      // The rows reach back 12 windows: a run that began earlier is dated from the oldest of them.
      const earliest = expected.window.startMs - 12 * 300_000;
      const clamp = (i: SoftwareWindowInput) => ({
        ...i,
        traffic: i.traffic.map((t) => ({
          ...t,
          firstSeenMs: t.firstSeenMs < earliest + 300_000 ? earliest : t.firstSeenMs,
        })),
      });
      expect(clamp(sortTraffic(built))).toEqual(clamp(sortTraffic(expected)));
    }
    // The foreign artifact's run began in window 22: its first-seen time is carried into window 24.
    const slice = windows.input(24).traffic.find((t) => t.artifactHash === ROGUE_HASH)!;
    expect(slice.firstSeenMs).toBeGreaterThanOrEqual(scenario.startMs + 2 * H - 600_000);
    expect(slice.firstSeenMs).toBeLessThan(scenario.startMs + 2 * H - 500_000);
  });
});
