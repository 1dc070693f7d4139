import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  binSamples,
  evidentlyZeroFill,
  histogramBinEdges,
  histogramCounts,
  lowerBound,
  quantileSorted,
  upperBound,
} from './binning.js';
import scipy from './distances.scipy.vectors.json' with { type: 'json' };
import methods from './distances.vectors.json' with { type: 'json' };
import { sortFloat64 } from './sort.js';
import { expectClose, lattice } from './stats.suite.js';

const range = (from: number, to: number) => Float64Array.from({ length: to - from + 1 }, (_, i) => from + i);

function edgeSample(s: (typeof scipy.edges)[number]['sample']): Float64Array {
  if ('square' in s) return Float64Array.from({ length: 500 }, (_, i) => i ** 2 / 1000);
  return sortFloat64(lattice(s));
}

describe('NumPy histogram edges and quantiles', () => {
  it.each(scipy.edges)(`match NumPy ${scipy.numpy} (sturges, doane, linear quantiles): $name`, (v) => {
    const x = edgeSample(v.sample);
    const sturges = histogramBinEdges(x, 'sturges');
    const doane = histogramBinEdges(x, 'doane');
    expect(sturges.length).toBe(v.sturges.length);
    expect(doane.length).toBe(v.doane.length);
    sturges.forEach((e, i) => {
      expectClose(e, v.sturges[i]!, 1e-12, 1e-12);
    });
    doane.forEach((e, i) => {
      expectClose(e, v.doane[i]!, 1e-12, 1e-12);
    });
    for (const [q, want] of Object.entries(v.quantiles))
      expectClose(quantileSorted(x, Number(q)), want, 1e-12, 1e-12);
  });

  it('counts like np.histogram: [a, b) bins, last bin closed, outside values dropped', () => {
    const x = Float64Array.of(-1, 0, 0.5, 1, 1.5, 2, 2, 3);
    expect(Array.from(histogramCounts(x, [0, 1, 2]))).toEqual([2, 4]);
    expect(lowerBound(x, 2)).toBe(5);
    expect(upperBound(x, 2)).toBe(7);
  });
});

describe('binSamples', () => {
  it('evidently-sturges reproduces methods.md 1.3 (pooled Sturges, 7 bins)', () => {
    const v = methods.sturges;
    const b = binSamples(range(v.ref.from, v.ref.to), range(v.cur.from, v.cur.to), 'evidently-sturges');
    expect(b.mode).toBe('histogram');
    b.edges!.forEach((e, i) => {
      expectClose(e, v.edges[i]!, 1e-9);
    });
    b.ref.forEach((p, i) => {
      expectClose(p, v.refProportions[i]!, 1e-5, 1e-12);
    });
    b.cur.forEach((p, i) => {
      expectClose(p, v.curProportions[i]!, 1e-5, 1e-12);
    });
  });

  it('evidently-sturges uses one bin per distinct value when the reference has <= 20 of them', () => {
    const ref = Float64Array.of(1, 1, 2, 3, 3, 3);
    const cur = Float64Array.of(2, 4, 4);
    const b = binSamples(ref, cur, 'evidently-sturges');
    expect(b.mode).toBe('distinct-values');
    expect(b.values).toEqual([1, 2, 3, 4]);
    expect(Array.from(b.ref)).toEqual([2 / 6, 1 / 6, 3 / 6, 0]);
    expect(Array.from(b.cur)).toEqual([0, 1 / 3, 0, 2 / 3]);
  });

  it('nannyml-doane: 8 Doane bins on 0..99 and a 0.2 leftover for 20..119 (methods.md 1.6)', () => {
    const v = methods.nannyml;
    const b = binSamples(range(v.ref.from, v.ref.to), range(v.cur.from, v.cur.to), 'nannyml-doane');
    expect(b.leftover).toBe(true);
    expect(b.ref.length).toBe(v.doaneBins + 1);
    expectClose(b.cur[b.cur.length - 1]!, v.leftover, 1e-12);
    expect(b.ref[b.ref.length - 1]).toBe(0);
  });

  it('nannyml-doane bins few-valued references per value, unseen current values go to the leftover', () => {
    const ref = sortFloat64(Float64Array.from({ length: 200 }, (_, i) => i % 4));
    const cur = Float64Array.of(0, 1, 1, 7, 9);
    const b = binSamples(ref, sortFloat64(cur), 'nannyml-doane');
    expect(b.mode).toBe('distinct-values');
    expect(b.values).toEqual([0, 1, 2, 3]);
    expect(Array.from(b.cur)).toEqual([0.2, 0.4, 0, 0, 0.4]);
  });

  it('reference-quantiles: deciles of the reference hold 10 % each, open outer bins catch everything', () => {
    const ref = range(1, 1000);
    const cur = Float64Array.of(-50, 5000);
    const b = binSamples(ref, cur, 'reference-quantiles');
    expect(b.ref.length).toBe(10);
    b.ref.forEach((p) => {
      expectClose(p, 0.1, 1e-12);
    });
    expect(b.cur[0]).toBe(0.5);
    expect(b.cur[9]).toBe(0.5);
    expect(b.edges![0]).toBe(Number.NEGATIVE_INFINITY);
    const quartiles = binSamples(ref, cur, { kind: 'reference-quantiles', bins: 4 });
    expect(quartiles.ref.length).toBe(4);
    const constant = binSamples(Float64Array.of(5, 5, 5), Float64Array.of(4, 5, 6), 'reference-quantiles');
    expect(Array.from(constant.ref)).toEqual([0, 1]);
  });

  it('fixed-edges: np.histogram inside, underflow / overflow bins only when needed, input checked', () => {
    const ref = Float64Array.of(0, 1, 2, 3);
    const inside = binSamples(ref, Float64Array.of(0.5, 3), { kind: 'fixed-edges', edges: [0, 2, 3] });
    expect(inside.edges).toEqual([0, 2, 3]);
    expect(Array.from(inside.cur)).toEqual([0.5, 0.5]);
    const outside = binSamples(ref, Float64Array.of(-1, 10), { kind: 'fixed-edges', edges: [0, 2, 3] });
    expect(outside.edges).toEqual([Number.NEGATIVE_INFINITY, 0, 2, 3, Number.POSITIVE_INFINITY]);
    expect(Array.from(outside.cur)).toEqual([0.5, 0, 0, 0.5]);
    expect(() => binSamples(ref, ref, { kind: 'fixed-edges', edges: [0, 0] })).toThrow(/strictly increasing/);
    expect(() => binSamples(ref, ref, { kind: 'fixed-edges', edges: [1] })).toThrow(/binning.edges/);
    expect(() => binSamples(ref, ref, { kind: 'reference-quantiles', bins: 0 })).toThrow(/binning.bins/);
    expect(() => binSamples(new Float64Array(0), ref, 'evidently-sturges')).toThrow(/ref has 0/);
  });

  it('proportions of every variant sum to 1 on each side (mass conservation)', () => {
    const sample = fc
      .array(fc.integer({ min: -500, max: 500 }), { minLength: 1, maxLength: 300 })
      .map((xs) => sortFloat64(Float64Array.from(xs, (x) => x / 7)));
    const variants = [
      'evidently-sturges',
      'evidently-hellinger',
      'nannyml-doane',
      'reference-quantiles',
      { kind: 'fixed-edges', edges: [-10, 0, 10] },
    ] as const;
    fc.assert(
      fc.property(sample, sample, (a, b) => {
        for (const v of variants) {
          const res = binSamples(a, b, v);
          const s = (p: Float64Array) => p.reduce((x, y) => x + y, 0);
          expect(Math.abs(s(res.ref) - 1)).toBeLessThan(1e-9);
          expect(Math.abs(s(res.cur) - 1)).toBeLessThan(1e-9);
          expect(res.ref.length).toBe(res.cur.length);
        }
      }),
      { numRuns: 150 },
    );
  });
});

describe('evidentlyZeroFill', () => {
  it('fills zeros with 0.0001, or min_nonzero/1e6 when the smallest share is tiny; no renormalisation', () => {
    expect(Array.from(evidentlyZeroFill([0.5, 0.3, 0.2, 0]))).toEqual([0.5, 0.3, 0.2, 0.0001]);
    expect(Array.from(evidentlyZeroFill([0.99995, 0.00005, 0]))).toEqual([0.99995, 0.00005, 0.00005 / 1e6]);
    expect(Array.from(evidentlyZeroFill([0, 0]))).toEqual([0, 0]);
  });
});
