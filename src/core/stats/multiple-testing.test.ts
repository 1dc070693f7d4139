import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { correctPValues, datasetDrift } from './multiple-testing.js';
import v from './multiple-testing.vectors.json' with { type: 'json' };

describe('correctPValues (methods.md 2)', () => {
  it('BH: i* = 2, threshold 0.01, the two smallest rejected', () => {
    const r = correctPValues(v.p, 'bh', v.alpha);
    expect(r.rejected).toEqual(v.bh.rejected);
    expect(r.threshold).toBeCloseTo(v.bh.threshold, 15);
  });

  it('Bonferroni: threshold 0.005, one rejection; none: p < α', () => {
    const r = correctPValues(v.p, 'bonferroni', v.alpha);
    expect(r.threshold).toBeCloseTo(v.bonferroni.threshold, 15);
    expect(r.rejected.filter(Boolean).length).toBe(v.bonferroni.rejections);
    expect(r.adjusted?.[0]).toBeCloseTo(0.01, 15);
    expect(correctPValues(v.p, 'none').rejected.filter(Boolean).length).toBe(5);
  });

  it('BH adjusted p-values: monotone in p, >= p, and p̃ < α exactly for the rejected ones', () => {
    const ps = fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: 1, maxLength: 40 });
    fc.assert(
      fc.property(ps, fc.double({ min: 0.001, max: 0.5, noNaN: true }), (p, alpha) => {
        const bh = correctPValues(p, 'bh', alpha);
        const bonf = correctPValues(p, 'bonferroni', alpha);
        const adj = bh.adjusted!;
        for (let i = 0; i < p.length; i++) {
          expect(adj[i]!).toBeGreaterThanOrEqual(p[i]! - 1e-15);
          expect(adj[i]!).toBeLessThanOrEqual(1);
          for (let j = 0; j < p.length; j++)
            if (p[i]! < p[j]!) expect(adj[i]!).toBeLessThanOrEqual(adj[j]! + 1e-15);
          // Bonferroni rejections are a subset of BH rejections
          if (bonf.rejected[i]) expect(bh.rejected[i]).toBe(true);
          expect(bh.rejected[i]).toBe(
            adj[i]! < alpha - 1e-12 || (bh.rejected[i] && Math.abs(adj[i]! - alpha) < 1e-12),
          );
        }
      }),
      { numRuns: 200 },
    );
  });

  it('is invariant to the order of the columns', () => {
    const r = correctPValues(v.p, 'bh');
    const rev = correctPValues([...v.p].reverse(), 'bh');
    expect([...rev.rejected].reverse()).toEqual(r.rejected);
    expect(rev.threshold).toBe(r.threshold);
  });

  it('handles no columns and rejects invalid p-values and α', () => {
    expect(correctPValues([], 'bh')).toEqual({ rejected: [], threshold: 0.05, adjusted: [] });
    expect(() => correctPValues([0.5, 1.2], 'bh')).toThrow(/p\[1\]/);
    expect(() => correctPValues([0.5], 'bh', 0)).toThrow(/alpha/);
  });
});

describe('datasetDrift (Evidently drift_share)', () => {
  it('drifts when the drifted share reaches 0.5 (>=)', () => {
    expect(datasetDrift([{ drifted: true }, { drifted: false }])).toEqual({
      drifted: true,
      driftShare: 0.5,
      driftedColumns: 1,
      columns: 2,
    });
    expect(datasetDrift([{ drifted: true }, { drifted: false }, { drifted: false }]).drifted).toBe(false);
    expect(datasetDrift([{ drifted: true }, { drifted: false }, { drifted: false }], 0.3).drifted).toBe(true);
  });

  it('no columns: share 0, not drifted; invalid share → RangeError', () => {
    expect(datasetDrift([])).toEqual({ drifted: false, driftShare: 0, driftedColumns: 0, columns: 0 });
    expect(() => datasetDrift([], 0)).toThrow(/driftShare/);
  });
});
