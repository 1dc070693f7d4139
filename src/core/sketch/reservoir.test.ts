import chisquareCdf from '@stdlib/stats-base-dists-chisquare-cdf';
import { describe, expect, it } from 'vitest';
import { seededRng } from '../rng.js';
import { Reservoir } from './reservoir.js';

/** Upper tail of chi-square(df) at x. */
const chi2Sf = (x: number, df: number) => 1 - chisquareCdf(x, df);

/**
 * Chi-square test of equal inclusion probabilities π = capacity/N over `trials` independent samples.
 * Each item's inclusion count is Binomial(trials, π), so the cells are scaled by π(1 − π) rather than π;
 * the counts sum to trials·capacity, which removes one degree of freedom: df = N − 1.
 */
function inclusionChiSquare(
  counts: Float64Array,
  trials: number,
  capacity: number,
): { stat: number; p: number } {
  const pi = capacity / counts.length;
  const expected = trials * pi;
  let stat = 0;
  for (const c of counts) stat += (c - expected) ** 2 / (expected * (1 - pi));
  return { stat, p: chi2Sf(stat, counts.length - 1) };
}

describe('Reservoir', () => {
  it('algorithm R keeps a uniform sample (chi-square on inclusion counts)', () => {
    const N = 60;
    const cap = 10;
    const trials = 6000;
    const counts = new Float64Array(N);
    for (let t = 0; t < trials; t++) {
      const r = Reservoir.empty<number>(cap, seededRng(t));
      for (let i = 0; i < N; i++) r.add(i);
      for (const x of r.items()) counts[x]! += 1;
    }
    expect(inclusionChiSquare(counts, trials, cap).p).toBeGreaterThan(0.001);
  });

  it.each([
    ['both full, unequal populations', 30, 70, 10],
    ['A not full', 6, 94, 10],
    ['both not full, union over capacity', 7, 8, 10],
    ['tiny A', 1, 49, 5],
  ])('merge is a uniform sample of the union: %s (N1=%i, N2=%i, cap=%i)', (_name, n1, n2, cap) => {
    const trials = 8000;
    const counts = new Float64Array(n1 + n2);
    for (let t = 0; t < trials; t++) {
      const a = Reservoir.empty<number>(cap, seededRng(3 * t));
      const b = Reservoir.empty<number>(cap, seededRng(3 * t + 1));
      for (let i = 0; i < n1; i++) a.add(i);
      b.addBatch(n2, (i) => n1 + i);
      const m = Reservoir.of(cap, a.seen, a.items(), seededRng(3 * t + 2)).merge(b);
      expect(m.seen).toBe(n1 + n2);
      expect(m.size).toBe(Math.min(cap, n1 + n2));
      expect(new Set(m.items()).size).toBe(m.size);
      for (const x of m.items()) counts[x]! += 1;
    }
    const { p } = inclusionChiSquare(counts, trials, Math.min(cap, n1 + n2));
    expect(p).toBeGreaterThan(0.001);
  });

  it('a biased merge would be caught: drawing slots half-and-half fails the same test', () => {
    // The same test on a deliberately wrong merge (5 slots from each side regardless of N1, N2).
    const n1 = 20;
    const n2 = 80;
    const trials = 8000;
    const counts = new Float64Array(n1 + n2);
    for (let t = 0; t < trials; t++) {
      const a = Reservoir.empty<number>(10, seededRng(2 * t));
      const b = Reservoir.empty<number>(10, seededRng(2 * t + 1));
      for (let i = 0; i < n1; i++) a.add(i);
      for (let i = 0; i < n2; i++) b.add(n1 + i);
      for (const x of [...a.items().slice(0, 5), ...b.items().slice(0, 5)]) counts[x]! += 1;
    }
    expect(inclusionChiSquare(counts, trials, 10).p).toBeLessThan(1e-6);
  });

  it('merging capacities 12 and 6 keeps a uniform sample of 6', () => {
    const trials = 6000;
    const counts = new Float64Array(50);
    for (let t = 0; t < trials; t++) {
      const a = Reservoir.empty<number>(12, seededRng(2 * t));
      const b = Reservoir.empty<number>(6, seededRng(2 * t + 1));
      for (let i = 0; i < 20; i++) a.add(i);
      for (let i = 20; i < 50; i++) b.add(i);
      const m = a.merge(b);
      expect(m.capacity).toBe(6);
      expect(m.size).toBe(6);
      for (const x of m.items()) counts[x]! += 1;
    }
    expect(inclusionChiSquare(counts, trials, 6).p).toBeGreaterThan(0.001);
  });

  it('chained merges of many parts stay uniform', () => {
    const sizes = [5, 17, 3, 40, 11, 24];
    const N = sizes.reduce((a, b) => a + b, 0);
    const cap = 8;
    const trials = 6000;
    const counts = new Float64Array(N);
    for (let t = 0; t < trials; t++) {
      let next = 0;
      const parts = sizes.map((s, j) => {
        const r = Reservoir.empty<number>(cap, seededRng(t * 10 + j));
        for (let i = 0; i < s; i++) r.add(next++);
        return r;
      });
      const m = parts.slice(1).reduce((acc, p) => acc.merge(p), parts[0]!);
      for (const x of m.items()) counts[x]! += 1;
    }
    expect(inclusionChiSquare(counts, trials, cap).p).toBeGreaterThan(0.001);
  });

  it('capacity 0 counts but keeps nothing; bad arguments are rejected', () => {
    const r = Reservoir.empty<number>(0, seededRng(1))
      .add(1)
      .addBatch(5, (i) => i);
    expect(r.seen).toBe(6);
    expect(r.items()).toEqual([]);
    expect(() => Reservoir.empty(-1, seededRng(1))).toThrow(/capacity must be a non-negative integer/);
    expect(() => Reservoir.of(3, 5, [1], seededRng(1))).toThrow(/must hold 3, not 1/);
    expect(Reservoir.empty<number>(2, seededRng(1)).add(7).merge(r).capacity).toBe(0);
  });
});
