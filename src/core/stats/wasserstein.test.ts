import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import scipy from './distances.scipy.vectors.json' with { type: 'json' };
import methods from './distances.vectors.json' with { type: 'json' };
import { sortFloat64 } from './sort.js';
import { expectClose, lattice, seeded, shuffled } from './stats.suite.js';
import {
  assertFinite,
  assertFiniteSorted,
  wasserstein1,
  wasserstein1Sorted,
  wassersteinNormedSorted,
} from './wasserstein.js';

const f64 = (xs: number[]) => Float64Array.from(xs);
const sorted = (xs: Float64Array) => sortFloat64(Float64Array.from(xs));

describe('Wasserstein-1', () => {
  it.each(methods.wasserstein)('methods.md 1.2: W1($ref, $cur) = $w1', (v) => {
    expectClose(wasserstein1(f64(v.ref), f64(v.cur)), v.w1, 1e-9);
    if (v.evidently !== undefined) {
      const res = wassersteinNormedSorted(sorted(f64(v.ref)), sorted(f64(v.cur)));
      expectClose(res.refStd, v.refStd!, 1e-9);
      expectClose(res.score, v.evidently, 1e-9);
    }
  });

  it.each(scipy.wasserstein)(`matches SciPy ${scipy.scipy} wasserstein_distance: $name`, (v) => {
    const a = lattice(v.ref);
    const b = lattice(v.cur);
    expectClose(wasserstein1(a, b), v.w1, 1e-9, 1e-15);
    const res = wassersteinNormedSorted(sorted(a), sorted(b));
    expectClose(res.refStd, v.refStd, 1e-9, 1e-15);
    expectClose(res.score, v.w1 / Math.max(v.refStd, 0.001), 1e-9, 1e-15);
  });

  it('equals mean |sort(R)_i − sort(C)_i| for equal sizes, is symmetric, >= 0 and 0 on identical samples', () => {
    const sample = fc.array(fc.double({ min: -1e6, max: 1e6, noNaN: true }), { minLength: 1, maxLength: 50 });
    fc.assert(
      fc.property(
        sample,
        fc.array(fc.double({ min: -1e6, max: 1e6, noNaN: true }), { minLength: 1, maxLength: 50 }),
        (a, b) => {
          const x = f64(a);
          const y = f64(b);
          const w = wasserstein1(x, y);
          expect(w).toBeGreaterThanOrEqual(0);
          expect(wasserstein1(y, x)).toBeCloseTo(w, 6);
          expect(wasserstein1(x, x)).toBe(0);
          if (a.length === b.length) {
            const sx = sorted(x);
            const sy = sorted(y);
            let s = 0;
            for (let i = 0; i < sx.length; i++) s += Math.abs(sx[i]! - sy[i]!);
            expect(Math.abs(w - s / sx.length)).toBeLessThanOrEqual(1e-9 * Math.max(1, s / sx.length));
          }
        },
      ),
      { numRuns: 200 },
    );
  });

  it('is invariant to row order and translation-equivariant in scale', () => {
    const rand = seeded(9);
    const a = lattice({ n: 300, a: 37, c: 3, p: 101, q: 7 });
    const b = lattice({ n: 200, a: 41, c: 7, p: 103, q: 5 });
    expect(wasserstein1(shuffled(a, rand), shuffled(b, rand))).toBeCloseTo(wasserstein1(a, b), 12);
    const scaled = (x: Float64Array) => x.map((v) => 3 * v + 10);
    expectClose(wasserstein1(scaled(a), scaled(b)), 3 * wasserstein1(a, b), 1e-12);
  });

  it('floors the reference std at 0.001 for a constant reference and rejects non-finite input', () => {
    const res = wassersteinNormedSorted(f64([2, 2, 2]), f64([2, 3]));
    expect(res.refStd).toBe(0);
    expectClose(res.score, 0.5 / 0.001, 1e-12);
    expect(() => wasserstein1(f64([1, Number.POSITIVE_INFINITY]), f64([1]))).toThrow(/ref\[1\] is Infinity/);
    expect(() => wasserstein1Sorted(new Float64Array(0), f64([1]))).toThrow(RangeError);
  });

  it('assertFiniteSorted throws exactly when assertFinite does, naming the same index, on sorted input', () => {
    const value = fc.oneof(
      fc.double({ noNaN: true, noDefaultInfinity: true }),
      fc.constantFrom(Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY),
    );
    const message = (f: () => void) => {
      try {
        f();
        return null;
      } catch (e) {
        return (e as Error).message;
      }
    };
    fc.assert(
      fc.property(fc.array(value, { maxLength: 40 }), (xs) => {
        const a = sorted(f64(xs));
        expect(message(() => assertFiniteSorted(a, 'ref'))).toBe(message(() => assertFinite(a, 'ref')));
      }),
      { numRuns: 300 },
    );
    expect(() =>
      assertFiniteSorted(f64([1, 2, Number.POSITIVE_INFINITY, Number.POSITIVE_INFINITY]), 'cur'),
    ).toThrow(/cur\[2\] is Infinity/);
  });
});
