import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { seededRng } from '../rng.js';
import { ByteReader, ByteWriter } from './bytes.js';
import { FixedHistogram } from './fixed-histogram.js';
import { KllSketch } from './kll.js';

describe('FixedHistogram', () => {
  it('counts into (−∞, e0), [e0, e1), …, [e_last, ∞) and ignores NaN', () => {
    const h = FixedHistogram.empty([0, 1, 2]).addNumbers([-5, 0, 0.5, 1, 1.5, 2, 2.5, Number.NaN]);
    expect(h.counts()).toEqual([1, 2, 2, 2]);
    expect(h.total).toBe(7);
  });

  it('agrees with an exact KLL exclusive pmf on the same edges (and differs from the inclusive one)', () => {
    const xs = [3, 1, 4, 1, 5, 9, 2, 6, 5, 3, 5];
    const edges = [1, 3, 5];
    const h = FixedHistogram.empty(edges).addNumbers(xs);
    expect(h.counts()).toEqual([0, 3, 3, 5]);
    const kll = KllSketch.empty({ rng: seededRng(1) }).addNumbers(xs);
    expect(kll.pmf(edges)!.map((p) => p * xs.length)).toEqual([2, 3, 4, 2].map((c) => expect.closeTo(c, 9)));
    const pmf = kll.pmf(edges, { inclusive: false })!;
    expect(h.counts().map((c) => c / xs.length)).toEqual(pmf.map((p) => expect.closeTo(p, 12)));
  });

  it('merge equals the histogram of the union (property) and needs equal edges', () => {
    fc.assert(
      fc.property(fc.array(fc.double({ noNaN: true })), fc.array(fc.double({ noNaN: true })), (a, b) => {
        const edges = [-10, -1, 0, 1, 10];
        const ha = FixedHistogram.empty(edges).addNumbers(a);
        const hb = FixedHistogram.empty(edges).addNumbers(b);
        expect(ha.clone().merge(hb).counts()).toEqual(
          FixedHistogram.empty(edges)
            .addNumbers([...a, ...b])
            .counts(),
        );
      }),
    );
    expect(() => FixedHistogram.empty([0, 1]).merge(FixedHistogram.empty([0, 2]))).toThrow(/different edges/);
  });

  it('validates edges', () => {
    expect(() => FixedHistogram.empty([])).toThrow(/must not be empty/);
    expect(() => FixedHistogram.empty([0, 0])).toThrow(/strictly increasing: edge 1/);
    expect(() => FixedHistogram.empty([0, Number.POSITIVE_INFINITY])).toThrow(/edge 1 must be finite/);
  });

  it('round-trips bit for bit', () => {
    const h = FixedHistogram.empty([0.1, 0.2, 0.35]).addNumbers([0, 0.15, 0.3, 1, 0.2]);
    const w = new ByteWriter();
    h.write(w);
    const bytes = w.finish();
    const back = FixedHistogram.read(new ByteReader(bytes));
    expect(back.counts()).toEqual(h.counts());
    const w2 = new ByteWriter();
    back.write(w2);
    expect(w2.finish()).toEqual(bytes);
  });
});
