import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  chooseWindowMs,
  DEFAULT_REFRESH_S,
  rangeFromQuery,
  rangeToQuery,
  refreshFromQuery,
  resolveRange,
} from './time-range.js';

describe('time range', () => {
  it('defaults to the last 24 hours and ignores bad values', () => {
    expect(rangeFromQuery({})).toEqual({ kind: 'relative', key: '24h' });
    expect(rangeFromQuery({ range: '5y' })).toEqual({ kind: 'relative', key: '24h' });
    expect(rangeFromQuery({ range: 'constructor' })).toEqual({ kind: 'relative', key: '24h' });
    expect(rangeFromQuery({ from: '2025-03-02T00:00:00Z', to: '2025-03-01T00:00:00Z' })).toEqual({
      kind: 'relative',
      key: '24h',
    });
  });

  it('reads fixed bounds as ISO or epoch ms, and writes them back as ISO', () => {
    const r = rangeFromQuery({ from: '2025-03-01T00:00:00Z', to: String(Date.UTC(2025, 2, 2)) });
    expect(r).toEqual({ kind: 'absolute', fromMs: Date.UTC(2025, 2, 1), toMs: Date.UTC(2025, 2, 2) });
    expect(rangeToQuery(r)).toEqual({
      range: '',
      from: '2025-03-01T00:00:00.000Z',
      to: '2025-03-02T00:00:00.000Z',
    });
    expect(resolveRange({ kind: 'relative', key: '6h' }, 10 * 3_600_000)).toEqual({
      fromMs: 4 * 3_600_000,
      toMs: 10 * 3_600_000,
    });
  });

  it('reads the refresh period from the allowed choices only', () => {
    expect(refreshFromQuery({ refresh: '0' })).toBe(0);
    expect(refreshFromQuery({ refresh: '300' })).toBe(300);
    expect(refreshFromQuery({ refresh: '7' })).toBe(DEFAULT_REFRESH_S);
    expect(refreshFromQuery({})).toBe(DEFAULT_REFRESH_S);
  });

  it('picks nice window sizes: an hour for a day, five minutes for an hour', () => {
    expect(chooseWindowMs(86_400_000, 300_000, 60)).toBe(1_800_000);
    expect(chooseWindowMs(86_400_000, 300_000, 24)).toBe(3_600_000);
    expect(chooseWindowMs(3_600_000, 300_000, 60)).toBe(300_000);
    expect(() => chooseWindowMs(1000, 0)).toThrow(/bucketMs/);
  });

  it('window sizes are multiples of the bucket and give at most maxPoints windows (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 60_000, max: 90 * 86_400_000 }),
        fc.constantFrom(1_000, 60_000, 300_000, 900_000, 3_600_000, 7_000),
        fc.integer({ min: 1, max: 200 }),
        (span, bucket, maxPoints) => {
          const w = chooseWindowMs(span, bucket, maxPoints);
          expect(w % bucket).toBe(0);
          expect(w).toBeGreaterThanOrEqual(bucket);
          if (bucket <= span / maxPoints) expect(span / w).toBeLessThanOrEqual(maxPoints);
        },
      ),
    );
  });
});
