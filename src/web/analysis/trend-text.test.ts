import { describe, expect, it } from 'vitest';
import { olsSlopeText, seriesTrend } from './trend-text.js';

describe('trend in words', () => {
  it('fits the slope over window index, skipping empty windows (methods.md 8 Gini vector)', () => {
    const t = seriesTrend([0.52, null, 0.55, 0.57, 0.61, 0.64])!;
    expect(t.n).toBe(5);
    const dense = seriesTrend([0.52, 0.55, 0.57, 0.61, 0.64])!;
    expect(dense.slope).toBeCloseTo(0.03, 12);
    expect(dense.pValue!).toBeCloseTo(3.519224e-4, 9);
    expect(olsSlopeText([0.52, 0.55, 0.57, 0.61, 0.64], 'per window')).toBe(
      'trend +0.030 per window (p < 0.001)',
    );
    expect(olsSlopeText([0.5, 0.4, 0.6, 0.5], 'per window')).toMatch(/^no significant trend/);
    expect(olsSlopeText([0.5, null], 'per window')).toBe('too few windows for a trend');
  });
});
