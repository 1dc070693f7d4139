import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { seededRng, xoshiro128StarStar } from './rng.js';

describe('seededRng (xoshiro128**)', () => {
  it('reproduces the reference xoshiro128** outputs from state {1, 2, 3, 4}', () => {
    // From a direct transcription of prng.di.unimi.it/xoshiro128starstar.c.
    const rng = xoshiro128StarStar(1, 2, 3, 4);
    expect(Array.from({ length: 6 }, () => rng.nextUint32())).toEqual([
      11520, 0, 5927040, 70819200, 2031721883, 1637235492,
    ]);
  });

  it('is deterministic for a seed and differs between seeds', () => {
    const a = seededRng(7);
    const b = seededRng(7);
    const c = seededRng(8);
    const xa = Array.from({ length: 20 }, () => a.next());
    expect(Array.from({ length: 20 }, () => b.next())).toEqual(xa);
    expect(Array.from({ length: 20 }, () => c.next())).not.toEqual(xa);
  });

  it('next() lies in [0, 1) and nextInt(n) in [0, n)', () => {
    fc.assert(
      fc.property(fc.integer(), fc.integer({ min: 1, max: 2 ** 32 }), (seed, n) => {
        const rng = seededRng(seed);
        for (let i = 0; i < 50; i++) {
          const u = rng.next();
          const k = rng.nextInt(n);
          if (!(u >= 0 && u < 1)) return false;
          if (!(Number.isInteger(k) && k >= 0 && k < n)) return false;
        }
        return true;
      }),
    );
  });

  it('is uniform: chi-square over 100 buckets for next() and nextInt(7)', () => {
    const rng = seededRng(2024);
    const n = 200_000;
    const b100 = new Float64Array(100);
    const b7 = new Float64Array(7);
    for (let i = 0; i < n; i++) {
      b100[Math.floor(rng.next() * 100)]! += 1;
      b7[rng.nextInt(7)]! += 1;
    }
    const chi = (counts: Float64Array) => {
      const e = n / counts.length;
      return counts.reduce((s, c) => s + (c - e) ** 2 / e, 0);
    };
    // 99.99th percentiles: chi2(99) ≈ 151.3, chi2(6) ≈ 27.9.
    expect(chi(b100)).toBeLessThan(151.3);
    expect(chi(b7)).toBeLessThan(27.9);
  });

  it('rejects bad arguments with a clear message', () => {
    expect(() => seededRng(Number.NaN)).toThrow(/seed must be a finite number/);
    expect(() => seededRng(1).nextInt(0)).toThrow(/n must be an integer in \[1, 2\^32\]/);
    expect(() => seededRng(1).nextInt(2.5)).toThrow(/got 2.5/);
  });
});
