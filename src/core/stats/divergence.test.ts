import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { binSamples } from './binning.js';
import methods from './distances.vectors.json' with { type: 'json' };
import {
  hellingerFromProportions,
  jsDistanceFromProportions,
  jsDivergenceFromProportions,
  klFromProportions,
  linfFromProportions,
  psiFromProportions,
} from './divergence.js';
import { expectClose } from './stats.suite.js';

const range = (from: number, to: number) => Float64Array.from({ length: to - from + 1 }, (_, i) => from + i);

// methods.md 1.4 categorical data: keys [a, b, c, d]
const r = [0.5, 0.3, 0.2, 0];
const c = [0.4, 0.4, 0, 0.2];
const cat = methods.categorical;

describe('divergences on methods.md vectors', () => {
  it('categorical (1.4–1.7, 1.10): PSI, KL, JS (base 2, base e, TFDV), Hellinger, L∞', () => {
    expectClose(psiFromProportions(r, c), cat.psi, 1e-9);
    expectClose(klFromProportions(r, c), cat.kl, 1e-9);
    expectClose(jsDistanceFromProportions(r, c), cat.jsDistanceBase2, 1e-9);
    expectClose(jsDistanceFromProportions(r, c, Math.E), cat.jsDistanceBaseE, 1e-9);
    expectClose(jsDivergenceFromProportions(r, c), cat.jsDivergenceTfdv, 1e-9);
    expectClose(hellingerFromProportions(r, c), cat.hellinger, 1e-9);
    const linf = linfFromProportions(r, c);
    expectClose(linf.distance, cat.linf, 1e-9);
    expect(linf.index).toBe(3); // 'd' — the last key attaining the max, as TFDV
  });

  it('numeric Evidently binning (1.3): PSI, KL (with fill) and JS (without)', () => {
    const v = methods.sturges;
    const b = binSamples(range(v.ref.from, v.ref.to), range(v.cur.from, v.cur.to), 'evidently-sturges');
    expectClose(psiFromProportions(b.ref, b.cur), v.psi, 1e-9);
    expectClose(klFromProportions(b.ref, b.cur), v.kl, 1e-9);
    expectClose(jsDistanceFromProportions(b.ref, b.cur), v.jensenshannon, 1e-9);
  });

  it('NannyML continuous (1.6, 1.7): doane bins with leftover → JS and Hellinger', () => {
    const v = methods.nannyml;
    const b = binSamples(range(v.ref.from, v.ref.to), range(v.cur.from, v.cur.to), 'nannyml-doane');
    expectClose(jsDistanceFromProportions(b.ref, b.cur), v.jensenshannon, 1e-9);
    expectClose(hellingerFromProportions(b.ref, b.cur), v.hellinger, 1e-9);
  });

  it('PSI without fill is +∞ when a bin is empty on one side only', () => {
    expect(psiFromProportions(r, c, { fill: 'none' })).toBe(Number.POSITIVE_INFINITY);
    expect(klFromProportions(r, c, { fill: 'none' })).toBe(Number.POSITIVE_INFINITY);
  });
});

describe('divergence invariants (property tests)', () => {
  const counts = fc.array(fc.nat({ max: 1000 }), { minLength: 1, maxLength: 12 });
  const pair = fc
    .tuple(counts, counts)
    .map(([a, b]) => {
      const k = Math.min(a.length, b.length);
      const x = a.slice(0, k);
      const y = b.slice(0, k);
      x[0]! += 1;
      y[k - 1]! += 1; // both non-zero somewhere
      return [x, y] as const;
    })
    .map(([a, b]) => {
      const sa = a.reduce((s, v) => s + v, 0);
      const sb = b.reduce((s, v) => s + v, 0);
      return [Float64Array.from(a, (v) => v / sa), Float64Array.from(b, (v) => v / sb)] as const;
    });

  it('PSI >= 0 and symmetric; KL >= 0; JS distance and Hellinger in [0, 1] and symmetric; L∞ in [0, 1]', () => {
    fc.assert(
      fc.property(pair, ([p, q]) => {
        const psi = psiFromProportions(p, q);
        expect(psi).toBeGreaterThanOrEqual(0);
        expect(psiFromProportions(q, p)).toBeCloseTo(psi, 9);
        expect(klFromProportions(p, q)).toBeGreaterThanOrEqual(0);
        const js = jsDistanceFromProportions(p, q);
        expect(js).toBeGreaterThanOrEqual(0);
        expect(js).toBeLessThanOrEqual(1);
        expect(jsDistanceFromProportions(q, p)).toBeCloseTo(js, 12);
        const h = hellingerFromProportions(p, q);
        expect(h).toBeGreaterThanOrEqual(0);
        expect(h).toBeLessThanOrEqual(1);
        expect(hellingerFromProportions(q, p)).toBeCloseTo(h, 12);
        const linf = linfFromProportions(p, q).distance;
        expect(linf).toBeGreaterThanOrEqual(0);
        expect(linf).toBeLessThanOrEqual(1);
        expect(jsDivergenceFromProportions(p, q)).toBeCloseTo(js * js, 12);
      }),
      { numRuns: 300 },
    );
  });

  it('identical distributions give 0 for every measure; disjoint supports give JS = H = L∞ = 1', () => {
    fc.assert(
      fc.property(pair, ([p]) => {
        expect(psiFromProportions(p, p)).toBe(0);
        expect(klFromProportions(p, p)).toBe(0);
        expect(jsDistanceFromProportions(p, p)).toBe(0);
        expect(hellingerFromProportions(p, p)).toBe(0);
        expect(linfFromProportions(p, p).distance).toBe(0);
      }),
    );
    expect(jsDistanceFromProportions([1, 0], [0, 1])).toBeCloseTo(1, 12);
    expect(hellingerFromProportions([1, 0], [0, 1])).toBeCloseTo(1, 12);
    expect(linfFromProportions([1, 0], [0, 1]).distance).toBe(1);
  });

  it('is invariant to bin order (the same permutation of both vectors)', () => {
    fc.assert(
      fc.property(pair, ([p, q]) => {
        const rp = Float64Array.from(p).reverse();
        const rq = Float64Array.from(q).reverse();
        expect(psiFromProportions(rp, rq)).toBeCloseTo(psiFromProportions(p, q), 9);
        expect(jsDistanceFromProportions(rp, rq)).toBeCloseTo(jsDistanceFromProportions(p, q), 12);
        expect(hellingerFromProportions(rp, rq)).toBeCloseTo(hellingerFromProportions(p, q), 12);
      }),
    );
  });

  it('rejects mismatched, negative, non-finite and zero-sum inputs with RangeErrors that say which', () => {
    expect(() => psiFromProportions([0.5, 0.5], [1])).toThrow(/differ in length/);
    expect(() => jsDistanceFromProportions([-0.1, 1.1], [0.5, 0.5])).toThrow(/reference proportion \[0\]/);
    expect(() => hellingerFromProportions([0.5, 0.5], [Number.NaN, 1])).toThrow(/current proportion \[0\]/);
    expect(() => klFromProportions([0, 0], [0.5, 0.5], { fill: 'none' })).toThrow(/sum to 0/);
    expect(() => jsDistanceFromProportions([0.5, 0.5], [0.5, 0.5], 1)).toThrow(/log base/);
  });
});
