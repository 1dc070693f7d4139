import { describe, expect, it } from 'vitest';
import type { WindowStats } from '../software/inputs.js';
import { emptyInput, windowStats } from '../software/testing/fixtures.js';
import { ERROR_RATE_DEFAULTS, errorCount, measureErrorRates } from './error-rate.js';

function input(current: WindowStats, previous: WindowStats[]) {
  return emptyInput({
    operational: { overall: null, instances: [{ instance: 'web-1', current, previous }] },
  });
}
const quiet = Array.from({ length: 12 }, (_, i) =>
  windowStats(i - 12, 1000, 200, { client_error: 2, timeout: i % 4 === 0 ? 1 : 0 }),
);

describe('error-rate symptoms', () => {
  it('counts errors by kind and in total', () => {
    const w = windowStats(0, 100, 200, { timeout: 2, server_error: 3 });
    expect(errorCount(w, 'all')).toBe(5);
    expect(errorCount(w, 'timeout')).toBe(2);
    expect(errorCount(w, 'oom')).toBe(0);
  });

  it('flags a burst of timeouts against the pooled baseline, and the total over its 1 % limit', () => {
    const out = measureErrorRates(input(windowStats(0, 1000, 200, { client_error: 2, timeout: 40 }), quiet));
    const timeout = out.find((s) => s.metric === 'error_rate_timeout')!;
    expect(timeout.baseline).toBeCloseTo(3 / 12000, 12);
    expect(timeout.shifted).toBe(true);
    expect(timeout.statistic!.value).toBeLessThan(1e-20);
    const all = out.find((s) => s.metric === 'error_rate')!;
    expect(all.value).toBeCloseTo(0.042, 12);
    expect(all.overLimit).toBe(true);
    expect(all.summary).toContain('over the 1 % limit');
    expect(out.find((s) => s.metric === 'error_rate_client_error')!.shifted).toBe(false);
  });

  it('does not flag background noise, a lone error on a clean history, or 1 error in 50 against the limit', () => {
    const noise = measureErrorRates(input(windowStats(0, 1000, 200, { client_error: 4, timeout: 1 }), quiet));
    expect(noise.some((s) => s.shifted || s.overLimit)).toBe(false);
    const clean = Array.from({ length: 12 }, (_, i) => windowStats(i - 12, 1000));
    const lone = measureErrorRates(input(windowStats(0, 1000, 200, { server_error: 1 }), clean));
    expect(lone.some((s) => s.shifted)).toBe(false);
    const small = measureErrorRates(input(windowStats(0, 50, 200, { server_error: 1 }), []));
    expect(small.find((s) => s.metric === 'error_rate')!.overLimit).toBe(false);
  });

  it('reports kinds only when there is something to report', () => {
    const out = measureErrorRates(input(windowStats(0, 1000, 200, {}), []), {
      ...ERROR_RATE_DEFAULTS,
      minBaselineWindows: 0,
    });
    expect(out.map((s) => s.metric)).toEqual(['error_rate']);
    expect(measureErrorRates(input(windowStats(0, 0), []))).toEqual([]);
  });
});
