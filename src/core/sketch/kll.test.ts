import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type Rng, seededRng } from '../rng.js';
import { ByteReader, ByteWriter } from './bytes.js';
import { KllSketch, kllLevelCapacity, kllNormalizedRankError } from './kll.js';
import vectors from './kll.vectors.json' with { type: 'json' };

const EPS_RANK = kllNormalizedRankError(200, false);
const EPS_PMF = kllNormalizedRankError(200, true);

/** Exact inclusive ECDF of sorted data at x (methods.md 0: upperBound(sorted, x)/n). */
function ecdf(sorted: Float64Array, x: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid]! <= x) lo = mid + 1;
    else hi = mid;
  }
  return lo / sorted.length;
}

/** Largest |rank̂ − rank| over the retained values and 200 data quantiles. */
function maxRankError(s: KllSketch, data: Float64Array): number {
  const sorted = data.slice().sort();
  const points = [...s.retainedValues()];
  for (let i = 0; i < 200; i++) points.push(sorted[Math.floor((i / 200) * sorted.length)]!);
  let worst = 0;
  for (const x of points) worst = Math.max(worst, Math.abs(s.rank(x)! - ecdf(sorted, x)));
  return worst;
}

function sketchOf(data: ArrayLike<number>, rng: Rng, k = 200): KllSketch {
  return KllSketch.empty({ k, rng }).addNumbers(data);
}

function shuffled(n: number, rng: Rng): Float64Array {
  const xs = Float64Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = rng.nextInt(i + 1);
    const t = xs[i]!;
    xs[i] = xs[j]!;
    xs[j] = t;
  }
  return xs;
}

const rel = (a: number, b: number) => Math.abs(a - b) / Math.abs(b);

describe('KLL normalized rank error', () => {
  it.each(vectors.cases)('k = $k matches methods.md', (c) => {
    expect(rel(kllNormalizedRankError(c.k, false), c.singleSided)).toBeLessThan(1e-9);
    expect(rel(kllNormalizedRankError(c.k, true), c.doubleSided)).toBeLessThan(1e-9);
  });

  it('level capacities follow DataSketches: k at the top, ×2/3 per level, at least 8', () => {
    expect(kllLevelCapacity(200, 1, 0)).toBe(200);
    expect(kllLevelCapacity(200, 2, 0)).toBe(133);
    expect(kllLevelCapacity(200, 3, 0)).toBe(89);
    expect(kllLevelCapacity(200, 20, 0)).toBe(8);
  });
});

describe('KllSketch', () => {
  it('is exact while n <= k: ranks are the ECDF and quantiles the inverted CDF', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: -50, max: 50 }), { minLength: 1, maxLength: 200 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        (xs, q) => {
          const s = sketchOf(xs, seededRng(1));
          const sorted = Float64Array.from(xs).sort();
          expect(s.isEstimationMode).toBe(false);
          expect(s.normalizedRankError(false)).toBe(0);
          for (let x = -51; x <= 51; x += 0.5) expect(s.rank(x)).toBe(ecdf(sorted, x));
          const idx = Math.max(0, Math.ceil(q * xs.length) - 1);
          const expected = q === 0 ? sorted[0] : q === 1 ? sorted[xs.length - 1] : sorted[idx];
          expect(s.quantile(q)).toBe(expected);
        },
      ),
    );
  });

  it('compacts from the (k+1)-th item on and keeps min and max exactly', () => {
    const s = sketchOf(shuffled(201, seededRng(3)), seededRng(4));
    expect(s.isEstimationMode).toBe(true);
    expect(s.min).toBe(0);
    expect(s.max).toBe(200);
    expect(s.quantile(0)).toBe(0);
    expect(s.quantile(1)).toBe(200);
  });

  it('empty is a real state: n 0, null answers, identity of merge', () => {
    const rng = seededRng(1);
    const e = KllSketch.empty({ rng });
    expect([e.n, e.min, e.max, e.rank(1), e.quantile(0.5), e.cdf([1]), e.pmf([1])]).toEqual([
      0,
      null,
      null,
      null,
      null,
      null,
      null,
    ]);
    const a = sketchOf([1, 2, 3], rng);
    expect(a.clone().merge(e).quantiles([0, 0.5, 1])).toEqual([1, 2, 3]);
    expect(e.clone().merge(a).quantiles([0, 0.5, 1])).toEqual([1, 2, 3]);
  });

  it('ignores NaN and rejects bad arguments with clear messages', () => {
    const s = sketchOf([1, Number.NaN, 2], seededRng(1));
    expect(s.n).toBe(2);
    expect(() => s.quantile(1.5)).toThrow(/q must be in \[0, 1\], got 1.5/);
    expect(() => s.rank(Number.NaN)).toThrow(/x must not be NaN/);
    expect(() => s.cdf([1, 1])).toThrow(/strictly increasing: point 1/);
    expect(() => KllSketch.empty({ k: 4, rng: seededRng(1) })).toThrow(
      /k must be an integer in \[8, 65535\], got 4/,
    );
    expect(() => s.merge(KllSketch.empty({ k: 100, rng: seededRng(1) }).add(1))).toThrow(
      /different k \(200 and 100\)/,
    );
  });

  const n = 100_000;
  const orders: Array<[string, (rng: Rng) => Float64Array]> = [
    ['sorted', () => Float64Array.from({ length: n }, (_, i) => i)],
    ['reversed', () => Float64Array.from({ length: n }, (_, i) => n - i)],
    ['random', (rng) => shuffled(n, rng)],
    ['many ties (10 values)', (rng) => Float64Array.from({ length: n }, () => rng.nextInt(10))],
    [
      'Pareto(α = 1.1) heavy tail',
      (rng) => Float64Array.from({ length: n }, () => (1 - rng.next()) ** (-1 / 1.1)),
    ],
    ['zig-zag (alternating extremes)', () => Float64Array.from({ length: n }, (_, i) => (i % 2 ? i : n - i))],
  ];

  it.each(orders)('rank error stays inside the bound on %s input (3 seeds)', (_name, make) => {
    for (const seed of [1, 2, 3]) {
      const data = make(seededRng(100 + seed));
      const s = sketchOf(data, seededRng(seed));
      expect(s.n).toBe(n);
      expect(maxRankError(s, data)).toBeLessThanOrEqual(EPS_RANK);
      expect(s.min).toBe(data.reduce((a, b) => Math.min(a, b)));
      expect(s.max).toBe(data.reduce((a, b) => Math.max(a, b)));
    }
  });

  it('PMF on deciles stays inside the double-sided bound', () => {
    const rng = seededRng(9);
    const data = Float64Array.from({ length: n }, () => rng.next() * rng.next());
    const s = sketchOf(data, seededRng(10));
    const sorted = data.slice().sort();
    const edges = Array.from({ length: 9 }, (_, i) => sorted[Math.floor(((i + 1) / 10) * n)]!);
    const pmf = s.pmf(edges)!;
    let prev = 0;
    edges.forEach((e, i) => {
      const exact = ecdf(sorted, e) - prev;
      prev = ecdf(sorted, e);
      expect(Math.abs(pmf[i]! - exact)).toBeLessThanOrEqual(EPS_PMF);
    });
    expect(pmf.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
  });

  it('stays inside the bound after many merges (sequential and as a tree) of uneven parts', () => {
    const rng = seededRng(11);
    const data = Float64Array.from(
      { length: 200_000 },
      () => Math.exp(3 * rng.next()) * (rng.next() < 0.5 ? -1 : 1),
    );
    const parts: KllSketch[] = [];
    let at = 0;
    const mergeRng = seededRng(12);
    while (at < data.length) {
      const len = 1 + rng.nextInt(6000);
      parts.push(sketchOf(data.subarray(at, at + len), mergeRng));
      at += len;
    }
    expect(parts.length).toBeGreaterThan(50);
    const sequential = parts.reduce((acc, p) => acc.merge(p), KllSketch.empty({ rng: mergeRng }));
    let level = parts.map((p) => p.clone());
    while (level.length > 1) {
      const next: KllSketch[] = [];
      for (let i = 0; i < level.length; i += 2)
        next.push(i + 1 < level.length ? level[i]!.merge(level[i + 1]!) : level[i]!);
      level = next;
    }
    for (const s of [sequential, level[0]!]) {
      expect(s.n).toBe(data.length);
      expect(maxRankError(s, data)).toBeLessThanOrEqual(EPS_RANK);
      expect(s.retained).toBeLessThan(1000);
    }
  });

  it('merge(A, B) and merge(B, A) both answer like the sketch of A ∪ B within the bound', () => {
    const rng = seededRng(21);
    const a = Float64Array.from({ length: 30_000 }, () => rng.next());
    const b = Float64Array.from({ length: 50_000 }, () => 0.5 + rng.next());
    const all = new Float64Array([...a, ...b]);
    const sa = sketchOf(a, seededRng(22));
    const sb = sketchOf(b, seededRng(23));
    expect(maxRankError(sa.clone().merge(sb), all)).toBeLessThanOrEqual(EPS_RANK);
    expect(maxRankError(sb.clone().merge(sa), all)).toBeLessThanOrEqual(EPS_RANK);
    expect(sa.clone().merge(sb).n).toBe(80_000);
  });

  it('merging a sketch with itself doubles every weight', () => {
    const s = sketchOf(shuffled(5000, seededRng(5)), seededRng(6));
    const d = s.clone().merge(s);
    expect(d.n).toBe(10_000);
    expect(Math.abs(d.rank(2500)! - 0.5)).toBeLessThanOrEqual(EPS_RANK);
  });

  it('is deterministic given the Rng', () => {
    const data = shuffled(50_000, seededRng(7));
    const a = sketchOf(data, seededRng(8));
    const b = sketchOf(data, seededRng(8));
    expect(a.quantiles([0.1, 0.5, 0.9])).toEqual(b.quantiles([0.1, 0.5, 0.9]));
  });

  it('add and addNumbers agree exactly for the same Rng', () => {
    const data = shuffled(20_000, seededRng(7));
    const a = sketchOf(data, seededRng(8));
    const b = KllSketch.empty({ rng: seededRng(8) });
    for (const x of data) b.add(x);
    expect(bytesOf(a)).toEqual(bytesOf(b));
  });

  it('quantiles are monotone and CDFs non-decreasing ending at 1 (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ noNaN: true, min: -1e9, max: 1e9 }), { minLength: 1, maxLength: 3000 }),
        fc.integer(),
        (xs, seed) => {
          const s = sketchOf(xs, seededRng(seed));
          const qs = s.quantiles([0, 0.1, 0.25, 0.5, 0.75, 0.9, 1])!;
          for (let i = 1; i < qs.length; i++) expect(qs[i]!).toBeGreaterThanOrEqual(qs[i - 1]!);
          const c = s.cdf([-1e6, 0, 1e6])!;
          expect(c[3]).toBe(1);
          for (let i = 1; i < c.length; i++) expect(c[i]!).toBeGreaterThanOrEqual(c[i - 1]!);
          const sorted = Float64Array.from(xs).sort();
          expect(maxRankError(s, Float64Array.from(xs))).toBeLessThanOrEqual(EPS_RANK);
          expect(s.min).toBe(sorted[0]);
          expect(s.max).toBe(sorted[sorted.length - 1]);
        },
      ),
      { numRuns: 60 },
    );
  });
});

function bytesOf(s: KllSketch): Uint8Array {
  const w = new ByteWriter();
  s.write(w);
  return w.finish();
}

describe('KllSketch serialisation', () => {
  const rng = seededRng(31);
  const cases: Array<[string, Float64Array]> = [
    ['integers', Float64Array.from({ length: 100_000 }, () => rng.nextInt(5000) - 1000)],
    ['one decimal', Float64Array.from({ length: 100_000 }, () => Math.round(rng.next() * 400 - 100) / 10)],
    [
      'raw doubles with -0 and ±Infinity',
      Float64Array.from({ length: 1000 }, (_, i) =>
        i === 0 ? -0 : i === 1 ? Number.POSITIVE_INFINITY : i === 2 ? Number.NEGATIVE_INFINITY : rng.next(),
      ),
    ],
    ['few values (exact mode)', Float64Array.from([3.5, 1, 2])],
  ];

  it.each(cases)('round-trips %s bit for bit', (_name, data) => {
    const s = sketchOf(data, seededRng(32));
    const bytes = bytesOf(s);
    const back = KllSketch.read(new ByteReader(bytes), seededRng(33));
    expect(bytesOf(back)).toEqual(bytes);
    expect(back.n).toBe(s.n);
    expect(Object.is(back.min, s.min)).toBe(true);
    expect(back.max).toBe(s.max);
    const qs = [0, 0.01, 0.3, 0.5, 0.77, 0.99, 1];
    expect(back.quantiles(qs)).toEqual(s.quantiles(qs));
    expect(Array.from(back.retainedValues())).toEqual(Array.from(s.retainedValues()));
    // The read sketch keeps working: more values and merges.
    back.addNumbers(data).merge(s);
    expect(back.n).toBe(3 * s.n);
  });

  it('stores integer-valued items compactly (well under 8 bytes per item)', () => {
    const s = sketchOf(cases[0]![1], seededRng(32));
    expect(bytesOf(s).length).toBeLessThan(3 * s.retained);
  });

  it('rejects corrupt input with a message naming the field', () => {
    const s = sketchOf(cases[0]![1], seededRng(32));
    const bytes = bytesOf(s);
    expect(() => KllSketch.read(new ByteReader(bytes.subarray(0, bytes.length - 5)), rng)).toThrow(
      /kll\.items\[\d+\]: truncated/,
    );
    const badK = bytes.slice();
    badK[0] = 2;
    badK[1] = 0;
    expect(() => KllSketch.read(new ByteReader(badK), rng)).toThrow(/kll\.k: k = 2 is below the minimum 8/);
    // Change n (the varuint right after k) so the level weights no longer add up.
    const badN = bytesOf(sketchOf([1, 2, 3], seededRng(1)));
    badN[2] = 4;
    expect(() => KllSketch.read(new ByteReader(badN), rng)).toThrow(/level weights sum to 3 but n = 4/);
  });
});
