import { describe, expect, it } from 'vitest';
import { emptyInput, windowStats } from '../software/testing/fixtures.js';
import { LATENCY_DEFAULTS, measureLatency } from './latency.js';

const history = (p99s: number[], count = 400) => p99s.map((p, i) => windowStats(i - p99s.length, count, p));
const steady = [560, 580, 570, 590, 555, 575, 565, 585, 570, 560, 580, 575];

function input(current: ReturnType<typeof windowStats>, previous = history(steady)) {
  return emptyInput({
    operational: { overall: null, instances: [{ instance: 'web-3', current, previous }] },
  });
}

describe('latency symptoms', () => {
  it('flags a p99 4× its baseline on the instance, with the numbers in the sentence', () => {
    const out = measureLatency(input(windowStats(0, 400, 2340)));
    const p99 = out.find((s) => s.metric === 'latency_p99_ms')!;
    expect(p99.subject).toEqual({ model: 'churn', instance: 'web-3' });
    expect(p99.shifted).toBe(true);
    expect(p99.overLimit).toBe(true);
    expect(p99.direction).toBe('up');
    expect(p99.baseline).toBe(572.5);
    expect(p99.baselineWindows).toBe(12);
    expect(p99.summary).toBe(
      'p99 latency 2 340 ms on instance web-3, 4.1× its 12-window baseline of 573 ms, over the 1 000 ms limit.',
    );
  });

  it('does not flag an ordinary window, nor a ratio that a noisy history explains', () => {
    const calm = measureLatency(input(windowStats(0, 400, 600)));
    expect(calm.every((s) => !s.shifted && !s.overLimit)).toBe(true);
    // A history that swings between 300 and 900 ms: 950 ms is 1.6× the median but within its spread.
    const noisy = history([300, 900, 320, 880, 310, 890, 600, 650, 300, 900, 620, 580]);
    const p99 = measureLatency(input(windowStats(0, 400, 950), noisy)).find(
      (s) => s.metric === 'latency_p99_ms',
    )!;
    expect(p99.shifted).toBe(false);
  });

  it('needs the ratio as well as the z-score: a flat history does not make 10 % slower a shift', () => {
    const flat = history(Array(12).fill(500));
    const p99 = measureLatency(input(windowStats(0, 400, 560), flat)).find(
      (s) => s.metric === 'latency_p99_ms',
    )!;
    expect(p99.statistic!.value).toBeGreaterThan(LATENCY_DEFAULTS.zThreshold / 5);
    expect(p99.shifted).toBe(false);
  });

  it('judges p99 only with enough requests, and without history only against the limit', () => {
    const few = measureLatency(input(windowStats(0, 100, 5000)));
    expect(few.map((s) => s.metric)).toEqual(['latency_p50_ms', 'latency_p95_ms']);
    const fresh = measureLatency(input(windowStats(0, 400, 1500), []));
    const p99 = fresh.find((s) => s.metric === 'latency_p99_ms')!;
    expect(p99.baseline).toBeNull();
    expect(p99.shifted).toBe(false);
    expect(p99.overLimit).toBe(true);
  });

  it('skips windows without latency or traffic', () => {
    const cur = { ...windowStats(0, 0), latencyMs: null };
    expect(measureLatency(input(cur))).toEqual([]);
  });
});
