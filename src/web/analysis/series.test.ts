import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { WindowSummary } from '../../core/contract/index.js';
import { wilsonInterval } from '../../core/metrics/intervals.js';
import {
  accuracySeries,
  byStart,
  coverageMs,
  deployments,
  errorKindSeries,
  instanceErrorRates,
  labelledShareSeries,
  latencySeries,
  maeSeries,
  perUnit,
  timeAxis,
  trafficSeries,
  versionTraffic,
} from './series.js';
import { windowOf } from './window-fixtures.js';

const H = 3_600_000;
const q = (p50: number, p99: number) => ({
  count: 100,
  min: 1,
  p50,
  p90: p50 * 2,
  p95: p50 * 3,
  p99,
  max: p99 * 2,
});

function w(start: number, version: string, extra: Partial<WindowSummary>): WindowSummary {
  return windowOf([], start, H, version, extra);
}

describe('operational series', () => {
  const windows = [
    w(0, 'v1', {
      predictions: 100,
      status: { ok: 90, error: 8, timeout: 2 },
      errorKinds: { oom: 8 },
      latencyMs: q(40, 200),
      instances: { a: { predictions: 100, errors: 8, timeouts: 2 } },
      artifactHashes: { h1: 100 },
    }),
    w(0, 'v2', {
      predictions: 300,
      status: { ok: 300, error: 0, timeout: 0 },
      latencyMs: q(50, 150),
      artifactHashes: { h2: 300 },
    }),
    w(2 * H, 'v2', {
      predictions: 60,
      status: { ok: 54, error: 6, timeout: 0 },
      errorKinds: { timeout_upstream: 6 },
    }),
  ];
  const axis = timeAxis(0, 3 * H, H);
  const groups = byStart(windows, axis);

  it('puts each window on a complete axis, with empty windows where nothing was seen', () => {
    expect(axis).toEqual([0, H, 2 * H]);
    expect(groups.map((g) => g.length)).toEqual([2, 0, 1]);
  });

  it('adds counts over versions and turns them into rates over the elapsed part of each window', () => {
    const coverage = coverageMs(axis, H, 2.5 * H);
    expect(coverage).toEqual([H, H, H / 2]);
    const t = trafficSeries(groups, coverage);
    expect(t.predictions).toEqual([400, 0, 60]);
    expect(t.errorRate).toEqual([0.025, null, 0.1]);
    expect(t.rps[0]).toBeCloseTo(400 / 3600, 12);
    // The window still filling up is not a dip: 60 in half an hour is 120 an hour.
    expect(t.rps[2]).toBeCloseTo(60 / 1800, 12);
    expect(perUnit([10], [0], 1000)).toEqual([null]);
    expect(perUnit([10, 10], [H, H / 10], H, H / 4)).toEqual([10, null]);
  });

  it('lists error kinds largest first and takes the worst version for latency quantiles', () => {
    expect(errorKindSeries(groups)).toEqual([
      { kind: 'oom', counts: [8, 0, 0] },
      { kind: 'timeout_upstream', counts: [0, 0, 6] },
    ]);
    const l = latencySeries(groups);
    expect(l.p50).toEqual([50, null, null]);
    expect(l.p99).toEqual([200, null, null]);
  });

  it('gives each instance its own error rate', () => {
    expect(instanceErrorRates(groups)).toEqual([{ instance: 'a', values: [0.1, null, null] }]);
  });

  it('tells where each version ran and what share of traffic it had', () => {
    expect(versionTraffic(groups)).toEqual([
      { version: 'v2', counts: [300, 0, 60] },
      { version: 'v1', counts: [100, 0, 0] },
    ]);
    const d = deployments(windows);
    expect(d.map((x) => x.version)).toEqual(['v2', 'v1']);
    expect(d.find((x) => x.version === 'v1')!.artifactHashes).toEqual({ h1: 100 });
  });
});

describe('performance series', () => {
  it('sums correct and classified over versions and gives the Wilson interval of the sum', () => {
    const groups = [
      [
        w(0, 'v1', {
          predictions: 50,
          labels: {
            count: 40,
            timeToLabelMs: null,
            classification: { correct: 30, total: 40, accuracy: 0.75 },
            regression: null,
          },
        }),
        w(0, 'v2', {
          predictions: 50,
          labels: {
            count: 50,
            timeToLabelMs: null,
            classification: { correct: 45, total: 50, accuracy: 0.9 },
            regression: null,
          },
        }),
      ],
      [],
    ];
    const a = accuracySeries(groups);
    const ci = wilsonInterval(75, 90);
    expect(a.value).toEqual([75 / 90, null]);
    expect(a.lower[0]).toBe(ci.lower);
    expect(a.upper[0]).toBe(ci.upper);
    expect(a.n).toEqual([90, 0]);
    expect(labelledShareSeries(groups)).toEqual([0.9, null]);
  });

  it('weights MAE by labelled count across versions', () => {
    const groups = [
      [
        w(0, 'v1', {
          labels: {
            count: 10,
            timeToLabelMs: null,
            classification: null,
            regression: { count: 10, mae: 1, rmse: 1 },
          },
        }),
        w(0, 'v2', {
          labels: {
            count: 30,
            timeToLabelMs: null,
            classification: null,
            regression: { count: 30, mae: 3, rmse: 3 },
          },
        }),
      ],
    ];
    expect(maeSeries(groups)).toEqual([2.5]);
  });

  it('the accuracy band always holds the estimate (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 5000 }), fc.integer({ min: 0, max: 5000 }), (k, extra) => {
        const n = k + extra;
        const a = accuracySeries([
          [
            w(0, 'v', {
              labels: {
                count: n,
                timeToLabelMs: null,
                classification: { correct: k, total: n, accuracy: null },
                regression: null,
              },
            }),
          ],
        ]);
        if (n === 0) expect(a.value[0]).toBeNull();
        else {
          expect(a.lower[0]!).toBeLessThanOrEqual(a.value[0]! + 1e-12);
          expect(a.upper[0]!).toBeGreaterThanOrEqual(a.value[0]! - 1e-12);
        }
      }),
    );
  });
});
