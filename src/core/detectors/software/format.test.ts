import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatDuration, formatMs, formatNumber, formatRatio, formatShare, formatTime } from './format.js';
import { scoreAbove, scoreShare } from './score.js';

describe('evidence formatting', () => {
  it('writes numbers, durations, times, shares and ratios as the evidence sentences use them', () => {
    expect(formatMs(2340)).toBe('2 340 ms');
    expect(formatMs(71.14)).toBe('71.1 ms');
    expect(formatNumber(1234567)).toBe('1 234 567');
    expect(formatNumber(-2340)).toBe('-2 340');
    expect(formatDuration(250_000)).toBe('4 min 10 s');
    expect(formatDuration(3_900_000)).toBe('1 h 5 min');
    expect(formatDuration(850)).toBe('850 ms');
    expect(formatDuration(120_000)).toBe('2 min');
    expect(formatTime(Date.UTC(2025, 0, 6, 10, 5, 12))).toBe('2025-01-06 10:05:12 UTC');
    expect(formatShare(0.0123)).toBe('1.23 %');
    expect(formatShare(0.5)).toBe('50 %');
    expect(formatShare(1 / 3)).toBe('33.3 %');
    expect(formatShare(0)).toBe('0 %');
    expect(formatRatio(4.1)).toBe('4.1×');
    expect(formatRatio(156.2)).toBe('156×');
  });
});

describe('scores', () => {
  it('0.5 at the threshold, 0.75 at twice it, towards 1 beyond; 0 for nothing', () => {
    expect(scoreAbove(2, 2)).toBe(0.5);
    expect(scoreAbove(4, 2)).toBe(0.75);
    expect(scoreAbove(1, 2)).toBe(0.25);
    expect(scoreAbove(0, 2)).toBe(0);
    expect(scoreAbove(3, 0)).toBe(1);
    expect(scoreShare(0)).toBe(0.5);
    expect(scoreShare(1)).toBe(1);
  });

  it('stays in [0, 1] and never decreases as the signal grows', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0, max: 1e9, noNaN: true }),
        fc.double({ min: 0, max: 1e9, noNaN: true }),
        fc.double({ min: 1e-6, max: 1e6, noNaN: true }),
        (a, b, t) => {
          const [lo, hi] = a <= b ? [a, b] : [b, a];
          expect(scoreAbove(lo, t)).toBeGreaterThanOrEqual(0);
          expect(scoreAbove(hi, t)).toBeLessThanOrEqual(1);
          expect(scoreAbove(hi, t)).toBeGreaterThanOrEqual(scoreAbove(lo, t));
        },
      ),
    );
  });
});
