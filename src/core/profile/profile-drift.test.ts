import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type Rng, seededRng } from '../rng.js';
import { KllSketch } from '../sketch/kll.js';
import {
  categoricalDrift,
  jsDistanceFromProportions,
  ks2samp,
  numericalDrift,
  psiFromProportions,
} from '../stats/index.js';
import { DatasetProfile } from './dataset-profile.js';
import {
  binnedFromSketches,
  categoricalFromCounts,
  ksFromSketches,
  profileDrift,
  wassersteinFromSketches,
} from './profile-drift.js';

const dataDir = join(import.meta.dirname, '..', '..', '..', 'data', 'profiles');
const rel = (a: number, b: number) => Math.abs(a - b) / Math.abs(b);

function records(file: string): Record<string, string>[] {
  return parse(readFileSync(join(dataDir, file), 'utf8'), { columns: true }) as Record<string, string>[];
}

function kll(xs: ArrayLike<number>, seed = 1): KllSketch {
  return KllSketch.empty({ rng: seededRng(seed) }).addNumbers(xs);
}

/** Exact masses of the bins (−∞, e0), [e0, e1), …, [e_last, ∞). */
function exactMasses(xs: Float64Array, edges: number[]): number[] {
  const out = new Array(edges.length + 1).fill(0);
  for (const x of xs) {
    let b = 0;
    while (b < edges.length && edges[b]! <= x) b++;
    out[b] += 1 / xs.length;
  }
  return out;
}

function profileOf(rows: Record<string, unknown>[], seed: number): DatasetProfile {
  return DatasetProfile.empty({ rng: seededRng(seed), settings: { sampleRows: 0 } }).addRows(rows);
}

describe('drift from exact sketches equals row-based drift', () => {
  it('KS reproduces methods.md vectors 1.1-a and 1.1-b (exact p-values)', () => {
    const a = ksFromSketches(
      kll([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]),
      kll([3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14]),
    );
    expect(a.detail!.statistic).toBeCloseTo(1 / 3, 12);
    expect(rel(a.score, 0.476956480052)).toBeLessThan(1e-9);
    expect([a.exact, a.errorBound, a.decisionCertain, a.drifted]).toEqual([true, 0, true, false]);
    const b = ksFromSketches(
      kll([0.1, 0.2, 0.2, 0.3, 0.5, 0.5, 0.5, 0.9]),
      kll([0.2, 0.5, 0.5, 0.6, 0.7, 0.9, 0.9, 1.0]),
    );
    expect(b.detail!.statistic).toBe(0.5);
    expect(rel(b.pValue!, 0.282672882673)).toBeLessThan(1e-9);
  });

  it('categorical measures reproduce methods.md 1.4 / 1.6 / 1.10 vectors from profiles', () => {
    const rows = (spec: [string, number][]) =>
      spec.flatMap(([v, n]) => Array.from({ length: n }, () => ({ c: v })));
    const ref = profileOf(
      rows([
        ['a', 50],
        ['b', 30],
        ['c', 20],
      ]),
      1,
    )
      .column('c')!
      .categoryCounts();
    const cur = profileOf(
      rows([
        ['a', 40],
        ['b', 40],
        ['d', 20],
      ]),
      2,
    )
      .column('c')!
      .categoryCounts();
    expect(rel(categoricalFromCounts(ref, cur, 'psi').score, 3.089923365701)).toBeLessThan(1e-9);
    expect(rel(categoricalFromCounts(ref, cur, 'jensenshannon').score, 0.457368478867)).toBeLessThan(1e-9);
    const linf = categoricalFromCounts(ref, cur, 'linf');
    expect(linf.score).toBeCloseTo(0.2, 12);
    expect(linf.detail!.category).toBe('d');
    const chi = categoricalFromCounts(ref, cur, 'chisquare');
    expect(chi.pValue).toBe(0);
    expect(chi.detail!.newCategories).toEqual(['d']);
    for (const m of [chi, linf]) expect([m.exact, m.errorBound]).toEqual([true, 0]);
  });

  it('KS, Wasserstein and binned PSI/JS equal core/stats on the rows while n <= k (property)', () => {
    const sample = fc.array(fc.integer({ min: -20, max: 20 }), { minLength: 1, maxLength: 200 });
    fc.assert(
      fc.property(sample, sample, (r, c) => {
        const R = Float64Array.from(r);
        const C = Float64Array.from(c);
        const sr = kll(R);
        const sc = kll(C, 2);
        const ks = ksFromSketches(sr, sc);
        const rows = ks2samp(R, C);
        expect(ks.detail!.statistic).toBeCloseTo(rows.statistic, 12);
        expect(ks.pValue).toBeCloseTo(rows.pValue, 12);
        const mean = r.reduce((s, x) => s + x, 0) / r.length;
        const std = Math.sqrt(r.reduce((s, x) => s + (x - mean) ** 2, 0) / r.length);
        const w = wassersteinFromSketches(sr, sc, std);
        expect(w.score).toBeCloseTo(numericalDrift(R.slice(), C.slice(), 'wasserstein').score, 9);
        const psi = binnedFromSketches(sr, sc, 'psi');
        const edges = psi.detail!.edges as number[];
        expect(psi.score).toBeCloseTo(psiFromProportions(exactMasses(R, edges), exactMasses(C, edges)), 9);
        const js = binnedFromSketches(sr, sc, 'jensenshannon');
        expect(js.score).toBeCloseTo(
          jsDistanceFromProportions(exactMasses(R, edges), exactMasses(C, edges), 2),
          9,
        );
        for (const m of [ks, w, psi, js]) expect(m.errorBound).toBe(0);
      }),
      { numRuns: 80 },
    );
  });
});

describe('drift from estimating sketches stays within the stated bound', () => {
  const draw = (rng: Rng, n: number, shift: number, scale: number) =>
    Float64Array.from({ length: n }, () => shift + scale * Math.log(1 / (1 - rng.next())));

  it('KS: |D̂ − D| <= ε_R + ε_C, and p is conservative (property over shifts and sizes)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 300, max: 20_000 }),
        fc.integer({ min: 300, max: 20_000 }),
        fc.double({ min: 0, max: 0.5, noNaN: true }),
        fc.integer(),
        (n, m, shift, seed) => {
          const rng = seededRng(seed);
          const R = draw(rng, n, 0, 1);
          const C = draw(rng, m, shift, 1);
          const ks = ksFromSketches(kll(R, seed), kll(C, seed + 1));
          const exact = ks2samp(R, C, { method: 'asymp' });
          expect(Math.abs((ks.detail!.statistic as number) - exact.statistic)).toBeLessThanOrEqual(
            ks.errorBound!,
          );
          if (ks.detail!.resolvable) expect(ks.pValue!).toBeGreaterThanOrEqual(exact.pValue * (1 - 1e-9));
          else expect(ks.pValue).toBe(1);
        },
      ),
      { numRuns: 25 },
    );
  });

  it('PSI, JS and Wasserstein: the row-based value on the same bins lies inside the stated range', () => {
    const rng = seededRng(77);
    for (const [shift, scale] of [
      [0, 1],
      [0.1, 1],
      [0.5, 1.5],
      [2, 1],
    ] as const) {
      const R = draw(rng, 20_000, 0, 1);
      const C = draw(rng, 15_000, shift, scale);
      const sr = kll(R, 3);
      const sc = kll(C, 4);
      for (const method of ['psi', 'jensenshannon'] as const) {
        const d = binnedFromSketches(sr, sc, method);
        const edges = d.detail!.edges as number[];
        const eps = d.detail!.massError as { ref: number; cur: number };
        const floor = (p: number[], e: number) => p.map((x) => (method === 'psi' ? Math.max(x, e) : x));
        const truth =
          method === 'psi'
            ? psiFromProportions(floor(exactMasses(R, edges), eps.ref), floor(exactMasses(C, edges), eps.cur))
            : jsDistanceFromProportions(exactMasses(R, edges), exactMasses(C, edges), 2);
        expect(d.exact).toBe(false);
        expect(Math.abs(d.score - truth)).toBeLessThanOrEqual(d.errorBound!);
      }
      const mean = R.reduce((s, x) => s + x, 0) / R.length;
      const std = Math.sqrt(R.reduce((s, x) => s + (x - mean) ** 2, 0) / R.length);
      const w = wassersteinFromSketches(sr, sc, std);
      const exactW = numericalDrift(R.slice(), C.slice(), 'wasserstein').score;
      expect(Math.abs(w.score - exactW)).toBeLessThanOrEqual(w.errorBound!);
    }
  });

  it('categorical: an "(other)" bin and bounds when the frequent items overflow', () => {
    const rng = seededRng(5);
    const make = (n: number, skew: number) =>
      Array.from({ length: n }, () => ({ k: `item-${Math.floor(rng.next() ** skew * 3000)}` }));
    const ra = make(20_000, 3);
    const ca = make(20_000, 2.5);
    const ref = DatasetProfile.empty({
      rng: seededRng(1),
      settings: { frequentItems: 64, sampleRows: 0 },
    }).addRows(ra);
    const cur = DatasetProfile.empty({
      rng: seededRng(2),
      settings: { frequentItems: 64, sampleRows: 0 },
    }).addRows(ca);
    const rc = ref.column('k')!.categoryCounts();
    const cc = cur.column('k')!.categoryCounts();
    expect(rc.maxError).toBeGreaterThan(0);
    const count = (rows: { k: string }[]) => {
      const m = new Map<string, number>();
      for (const { k } of rows) m.set(k, (m.get(k) ?? 0) + 1);
      return m;
    };
    const exactLinf = categoricalDrift(count(ra), count(ca), 'linf').score;
    const linf = categoricalFromCounts(rc, cc, 'linf');
    expect(linf.detail!.otherBin).toBe(true);
    expect(Math.abs(linf.score - exactLinf)).toBeLessThanOrEqual(linf.errorBound!);
    const chi = categoricalFromCounts(rc, cc, 'chisquare');
    expect(chi.errorBound).toBeNull();
  });
});

describe('profile drift on real data (bounds hold against row-based drift)', () => {
  const flights = records('flights-2001h1-1pct.csv');
  const month = (mm: string) => flights.filter((r) => r.date!.startsWith(`2001-${mm}`));
  const asRows = (rs: Record<string, string>[]) =>
    rs.map((r) => ({ delay: Number(r.delay), distance: Number(r.distance), origin: r.origin! }));
  const numbers = (rs: Record<string, string>[], col: string) => Float64Array.from(rs, (r) => Number(r[col]));

  it.each([
    ['01', '02'],
    ['01', '05'],
    ['01', '06'],
  ])('flights %s vs %s: KS and Wasserstein within bounds, origin categories exact', (a, b) => {
    const ra = month(a);
    const rb = month(b);
    const result = profileDrift(profileOf(asRows(ra), 1), profileOf(asRows(rb), 2));
    expect(result.referenceRows).toBe(ra.length);
    for (const col of ['delay', 'distance']) {
      const c = result.columns.find((x) => x.column === col)!;
      expect(c.status).toBe('tested');
      expect(c.kind).toBe('numerical');
      const R = numbers(ra, col);
      const C = numbers(rb, col);
      const ks = c.measures.find((m) => m.method === 'ks')!;
      const exact = ks2samp(R, C);
      expect(Math.abs((ks.detail!.statistic as number) - exact.statistic)).toBeLessThanOrEqual(
        ks.errorBound!,
      );
      const w = c.measures.find((m) => m.method === 'wasserstein')!;
      expect(
        Math.abs(w.score - numericalDrift(R.slice(), C.slice(), 'wasserstein').score),
      ).toBeLessThanOrEqual(w.errorBound!);
      // Evidently's choice for > 1000 reference rows and many distinct values.
      expect(c.drift!.method).toBe('wasserstein');
    }
    const origin = result.columns.find((x) => x.column === 'origin')!;
    expect(origin.kind).toBe('categorical');
    const counts = (rs: Record<string, string>[]) => {
      const m = new Map<string, number>();
      for (const r of rs) m.set(r.origin!, (m.get(r.origin!) ?? 0) + 1);
      return m;
    };
    for (const method of ['jensenshannon', 'linf', 'psi', 'chisquare'] as const) {
      const got = origin.measures.find((m) => m.method === method)!;
      expect(got.exact).toBe(true);
      expect(got.score).toBeCloseTo(categoricalDrift(counts(ra), counts(rb), method).score, 12);
    }
  });

  it('weather 2012 vs 2015: numeric columns within bounds, weather categories exact', () => {
    const weather = records('weather.csv');
    const year = (y: string) => weather.filter((r) => r.date!.startsWith(y));
    const cols = ['precipitation', 'temp_max', 'temp_min', 'wind'];
    const asW = (rs: Record<string, string>[]) =>
      rs.map((r) => ({
        ...Object.fromEntries(cols.map((c) => [c, Number(r[c])])),
        weather: r.weather!,
        location: r.location!,
      }));
    const ra = year('2012');
    const rb = year('2015');
    const result = profileDrift(profileOf(asW(ra), 3), profileOf(asW(rb), 4));
    for (const col of cols) {
      const c = result.columns.find((x) => x.column === col)!;
      const ks = c.measures.find((m) => m.method === 'ks')!;
      const exact = ks2samp(numbers(ra, col), numbers(rb, col));
      expect(Math.abs((ks.detail!.statistic as number) - exact.statistic)).toBeLessThanOrEqual(
        ks.errorBound!,
      );
    }
    const w = result.columns.find((x) => x.column === 'weather')!;
    expect(w.drift!.method).toBe('chisquare');
    expect(w.drift!.exact).toBe(true);
    const counts = (rs: Record<string, string>[]) => {
      const m = new Map<string, number>();
      for (const r of rs) m.set(r.weather!, (m.get(r.weather!) ?? 0) + 1);
      return m;
    };
    expect(w.drift!.score).toBeCloseTo(categoricalDrift(counts(ra), counts(rb), 'chisquare').score, 12);
    expect(JSON.stringify(result)).not.toMatch(/NaN|Infinity/);
  });

  it('low-cardinality numbers use one bin per value, as Evidently, from their exact counts', () => {
    const rng = seededRng(8);
    const ref = Array.from({ length: 3000 }, () => ({ x: rng.nextInt(4) }));
    const cur = Array.from({ length: 3000 }, () => ({ x: Math.min(3, rng.nextInt(5)) }));
    const d = profileDrift(profileOf(ref, 1), profileOf(cur, 2)).columns[0]!;
    expect(d.drift!.method).toBe('jensenshannon');
    expect(d.drift!.detail!.binning).toBe('distinct-values');
    expect(d.drift!.exact).toBe(true);
    const rows = numericalDrift(
      Float64Array.from(ref, (r) => r.x),
      Float64Array.from(cur, (r) => r.x),
      'jensenshannon',
    );
    expect(d.drift!.score).toBeCloseTo(rows.score, 12);
  });

  it('reports columns it cannot test with a reason', () => {
    const a = profileOf([{ x: 1, when: new Date(0), only: 'a' }], 1);
    const b = profileOf([{ x: 2, when: new Date(1), only: null }], 2);
    const r = profileDrift(a, b);
    expect(r.columns.find((c) => c.column === 'when')).toMatchObject({
      status: 'not_applicable',
      kind: 'datetime',
    });
    expect(r.columns.find((c) => c.column === 'only')).toMatchObject({
      status: 'insufficient_data',
      reason: 'no values in the current profile',
    });
    const empty = profileOf([], 3);
    expect(profileDrift(a, empty).columns[0]).toMatchObject({
      status: 'insufficient_data',
      reason: 'column "x" is missing from the current profile',
    });
    expect(() => profileDrift(a, b, { methods: { x: 'anderson' } })).toThrow(
      /anderson cannot be computed from profiles/,
    );
  });
});
