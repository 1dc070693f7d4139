import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { seededRng } from '../rng.js';
import {
  bootstrapInterval,
  formatMetric,
  pairedBootstrapInterval,
  wilsonInterval,
  withCoverage,
} from './intervals.js';
import vectors from './intervals.vectors.json' with { type: 'json' };

const rel = (a: number, b: number) => (b === 0 ? Math.abs(a) : Math.abs(a - b) / Math.abs(b));

describe('wilsonInterval', () => {
  it.each(vectors.wilson)('$successes/$n at $confidence matches SciPy', (v) => {
    const r = wilsonInterval(v.successes, v.n, v.confidence);
    expect(rel(r.lower!, v.lower)).toBeLessThan(1e-9);
    expect(rel(r.upper!, v.upper)).toBeLessThan(1e-9);
    expect(r.estimate).toBe(v.successes / v.n);
  });

  it('contains the estimate, stays in [0, 1] and narrows as n grows', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 5000 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        (n, share) => {
          const k = Math.round(share * n);
          const r = wilsonInterval(k, n);
          expect(r.lower!).toBeGreaterThanOrEqual(0);
          expect(r.upper!).toBeLessThanOrEqual(1);
          expect(r.lower!).toBeLessThanOrEqual(r.estimate! + 1e-12);
          expect(r.upper!).toBeGreaterThanOrEqual(r.estimate! - 1e-12);
          const wider = wilsonInterval(k * 4, n * 4);
          expect(wider.upper! - wider.lower!).toBeLessThan(r.upper! - r.lower! + 1e-12);
        },
      ),
    );
  });

  it('returns nulls for an empty window and rejects impossible counts', () => {
    expect(wilsonInterval(0, 0)).toMatchObject({ estimate: null, lower: null, upper: null, n: 0 });
    expect(() => wilsonInterval(5, 3)).toThrow(/successes must be an integer in \[0, n\]/);
    expect(() => wilsonInterval(1, 3, 1.5)).toThrow(/confidence/);
  });
});

describe('bootstrapInterval (percentile)', () => {
  const x = vectors.bootstrapMean.data;
  const mean = (idx: Int32Array) => {
    let s = 0;
    for (const i of idx) s += x[i]!;
    return s / idx.length;
  };

  it('agrees with scipy.stats.bootstrap(method="percentile") on the mean within Monte Carlo error', () => {
    const r = bootstrapInterval(x.length, mean, seededRng(1), { resamples: 4000, confidence: 0.9 }, 'mean');
    expect(r.estimate).toBeCloseTo(vectors.bootstrapMean.mean, 12);
    expect(Math.abs(r.lower! - vectors.bootstrapMean.lower)).toBeLessThan(0.02);
    expect(Math.abs(r.upper! - vectors.bootstrapMean.upper)).toBeLessThan(0.02);
  });

  it('is deterministic for a seed and ordered lower ≤ upper', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1e6 }), (seed) => {
        const a = bootstrapInterval(x.length, mean, seededRng(seed), { resamples: 50 });
        const b = bootstrapInterval(x.length, mean, seededRng(seed), { resamples: 50 });
        expect(a).toEqual(b);
        expect(a.lower!).toBeLessThanOrEqual(a.upper!);
      }),
      { numRuns: 20 },
    );
  });

  it('counts resamples where the statistic is undefined and leaves them out', () => {
    // F1 of the positive class is undefined when a resample has no positive label and no positive prediction.
    const y = [1, 0, 0, 0, 0, 0, 0, 0];
    const p = [1, 0, 0, 0, 0, 0, 0, 1];
    const f1 = (ys: number[], ps: number[]) => {
      let tp = 0;
      let fp = 0;
      let fn = 0;
      ys.forEach((t, i) => {
        if (t === 1 && ps[i] === 1) tp++;
        else if (t === 0 && ps[i] === 1) fp++;
        else if (t === 1) fn++;
      });
      return tp + fp + fn === 0 ? null : (2 * tp) / (2 * tp + fp + fn);
    };
    const r = pairedBootstrapInterval(y, p, f1, seededRng(2), { resamples: 500 }, 'f1');
    expect(r.estimate).toBeCloseTo(2 / 3, 12);
    expect(r.undefinedResamples).toBeGreaterThan(0);
    expect(r.undefinedResamples).toBeLessThan(500);
    expect(r.lower!).toBeGreaterThanOrEqual(0);
    expect(r.upper!).toBeLessThanOrEqual(1);
  });

  it('empty input gives null bounds; mismatched arrays are rejected', () => {
    expect(bootstrapInterval(0, () => 1, seededRng(1))).toMatchObject({ estimate: null, lower: null });
    expect(() => pairedBootstrapInterval([1], [1, 0], () => 1, seededRng(1))).toThrow(/same length/);
  });
});

describe('formatMetric', () => {
  it('says the metric, its interval, n and the labelled share', () => {
    const m = withCoverage(wilsonInterval(1092, 1200, 0.95, 'accuracy'), 3000);
    expect(formatMetric(m)).toBe('accuracy 0.91 [0.89, 0.92], n=1200, labelled 40 %');
    expect(formatMetric(withCoverage(wilsonInterval(0, 0, 0.95, 'accuracy'), 10))).toBe(
      'accuracy n/a (no labelled rows), n=0, labelled 0 %',
    );
  });
});
