import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type ColumnDrift,
  type ColumnKind,
  categoricalDrift,
  chooseMethod,
  DEFAULT_THRESHOLDS,
  DRIFT_METHODS,
  type DriftMethod,
  numericalDrift,
  numericalDriftSorted,
} from './column-drift.js';
import methods from './distances.vectors.json' with { type: 'json' };
import { isSortedAscending } from './sort.js';
import { expectClose, lattice, seeded, shuffled } from './stats.suite.js';

const f64 = (xs: number[]) => Float64Array.from(xs);
const refSpec = { n: 400, a: 37, c: 3, p: 101, q: 10 };
const curSpec = { n: 300, a: 41, c: 7, p: 103, q: 10, shift: 0.4 };
const SYMMETRIC: DriftMethod[] = [
  'ks',
  'psi',
  'jensenshannon',
  'hellinger',
  'linf',
  'anderson',
  'cvm',
  'ztest',
];

function expectWellFormed(r: ColumnDrift, method: DriftMethod): void {
  expect(r.method).toBe(method);
  expect(Number.isFinite(r.score)).toBe(true);
  if (r.statisticKind === 'p_value') {
    expect(r.pValue).toBe(r.score);
    expect(r.score).toBeGreaterThanOrEqual(0);
    expect(r.score).toBeLessThanOrEqual(1);
  } else expect(r.pValue).toBeNull();
  // JSON-safe: no NaN / Infinity anywhere (they would come back as null and break equality).
  expect(JSON.parse(JSON.stringify(r))).toEqual(r);
}

describe('numericalDrift conformance (every method)', () => {
  it.each(DRIFT_METHODS)('%s: identical samples → no drift, well-formed result', (method) => {
    const a = lattice(refSpec);
    const r = numericalDrift(a, Float64Array.from(a), method);
    expectWellFormed(r, method);
    expect(r.drifted).toBe(false);
    expect(r.threshold).toBe(DEFAULT_THRESHOLDS[method]);
    expect(r.n).toBe(400);
  });

  it.each(DRIFT_METHODS)('%s: invariant to row order, well-formed on shifted data', (method) => {
    const rand = seeded(1);
    const a = lattice(refSpec);
    const b = lattice(curSpec);
    const r1 = numericalDrift(Float64Array.from(a), Float64Array.from(b), method);
    const r2 = numericalDrift(shuffled(a, rand), shuffled(b, rand), method);
    expectWellFormed(r1, method);
    expect(r2).toEqual(r1);
  });

  it.each(SYMMETRIC)('%s: symmetric in reference and current', (method) => {
    const a = lattice(refSpec);
    const b = lattice(curSpec);
    const ab = numericalDrift(Float64Array.from(a), Float64Array.from(b), method);
    const ba = numericalDrift(Float64Array.from(b), Float64Array.from(a), method);
    expect(ba.score).toBeCloseTo(ab.score, 9);
  });

  it('detects a clear shift with every method', () => {
    const a = lattice({ n: 2000, a: 7919, c: 1, p: 2003, q: 2003 });
    const b = lattice({ n: 2000, a: 7907, c: 3, p: 1999, q: 1999, shift: 0.5 });
    for (const method of DRIFT_METHODS) {
      const r = numericalDrift(Float64Array.from(a), Float64Array.from(b), method);
      // per-value categories are not meaningful on continuous data
      if (method === 'chisquare' || method === 'ztest' || method === 'linf') continue;
      expect(r.drifted, method).toBe(true);
    }
  });

  it('sorts its inputs in place (documented) and accepts already sorted input unchanged', () => {
    const a = f64([3, 1, 2]);
    const b = f64([5, 4, 6]);
    numericalDrift(a, b, 'ks');
    expect(isSortedAscending(a) && isSortedAscending(b)).toBe(true);
  });

  it('reproduces Evidently vectors: normed Wasserstein 1.131370849898 and the 1.3 PSI / KL / JS', () => {
    const w = numericalDrift(f64([0, 1, 2, 3, 4]), f64([1, 2, 3, 4, 8]), 'wasserstein');
    expectClose(w.score, 1.131370849898, 1e-9);
    expect(w.drifted).toBe(true);
    const range = (from: number, to: number) =>
      Float64Array.from({ length: to - from + 1 }, (_, i) => from + i);
    const v = methods.sturges;
    for (const [method, want] of [
      ['psi', v.psi],
      ['kl', v.kl],
      ['jensenshannon', v.jensenshannon],
    ] as const) {
      const r = numericalDrift(range(0, 29), range(10, 39), method);
      expectClose(r.score, want, 1e-9);
      expect(r.detail?.binning).toBe('evidently-sturges');
    }
    const nanny = numericalDrift(range(0, 99), range(20, 119), 'jensenshannon', { binning: 'nannyml-doane' });
    expectClose(nanny.score, methods.nannyml.jensenshannon, 1e-9);
  });

  it('applies each drift rule at the boundary (<= for ks and cvm, < for other p-values, >= / > for distances)', () => {
    const a = lattice(refSpec);
    const b = lattice(curSpec);
    const at = (method: DriftMethod) => {
      const base = numericalDrift(Float64Array.from(a), Float64Array.from(b), method);
      return numericalDrift(Float64Array.from(a), Float64Array.from(b), method, { threshold: base.score })
        .drifted;
    };
    expect(at('ks')).toBe(true);
    expect(at('cvm')).toBe(true);
    expect(at('anderson')).toBe(false);
    expect(at('wasserstein')).toBe(true);
    expect(at('psi')).toBe(true);
    expect(at('linf')).toBe(false);
  });

  it('treats each distinct value as a category for chisquare / ztest / linf (few-valued numerical columns)', () => {
    const ref = f64([0, 0, 0, 1, 1, 2]);
    const cur = f64([0, 1, 1, 2, 2, 2, 3]);
    const chi = numericalDrift(Float64Array.from(ref), Float64Array.from(cur), 'chisquare');
    expect(chi.detail?.newCategories).toEqual(['3']);
    expect(chi.pValue).toBe(0);
    const z = numericalDrift(f64([0, 0, 1, 1]), f64([0, 1, 1, 1]), 'ztest');
    expect(z.detail?.zeroCategory).toBe('0');
  });

  it('anderson on samples that are one identical value reports p = 1 rather than failing', () => {
    const r = numericalDrift(f64([2, 2, 2]), f64([2, 2]), 'anderson');
    expect(r.pValue).toBe(1);
    expect(r.drifted).toBe(false);
  });

  it('rejects bad input with a RangeError that names the field', () => {
    expect(() => numericalDrift(new Float64Array(0), f64([1]), 'ks')).toThrow(/ref is empty/);
    expect(() => numericalDrift(f64([1, Number.NaN]), f64([1]), 'ks')).toThrow(/ref\[1\] is NaN/);
    expect(() => numericalDrift(f64([1, 2]), f64([1, Number.POSITIVE_INFINITY]), 'psi')).toThrow(
      /cur\[1\] is Infinity/,
    );
    expect(() => numericalDrift(f64([1, 2]), f64([1]), 'bogus' as DriftMethod)).toThrow(
      /method must be one of/,
    );
    expect(() => numericalDrift(f64([1, 2]), f64([1]), 'ks', { threshold: Number.NaN })).toThrow(/threshold/);
    // ks accepts infinities (they are ordinary values for an ECDF)
    expect(numericalDrift(f64([1, Number.POSITIVE_INFINITY]), f64([1, 2]), 'ks').score).toBeGreaterThan(0);
  });
});

describe('numericalDriftSorted', () => {
  it("gives numericalDrift's result for every method without touching sorted input", () => {
    const r = lattice(refSpec);
    const c = lattice(curSpec);
    for (const method of DRIFT_METHODS) {
      const want = numericalDrift(Float64Array.from(r), Float64Array.from(c), method);
      const rs = Float64Array.from(r).sort();
      const cs = Float64Array.from(c).sort();
      const before = [Float64Array.from(rs), Float64Array.from(cs)];
      expect(numericalDriftSorted(rs, cs, method), method).toEqual(want);
      expect([rs, cs]).toEqual(before);
    }
  });

  it('rejects empty samples, infinities in distance methods, bad methods and thresholds alike', () => {
    const inf = f64([1, Number.POSITIVE_INFINITY]);
    expect(() => numericalDriftSorted(new Float64Array(0), f64([1]), 'ks')).toThrow(/ref is empty/);
    expect(() => numericalDriftSorted(f64([1, 2]), inf, 'psi')).toThrow(/cur\[1\] is Infinity/);
    expect(() => numericalDriftSorted(f64([Number.NEGATIVE_INFINITY, 0]), f64([1]), 'wasserstein')).toThrow(
      /ref\[0\] is -Infinity/,
    );
    expect(() => numericalDriftSorted(f64([1]), f64([1]), 'bogus' as DriftMethod)).toThrow(/method must be/);
    expect(() => numericalDriftSorted(f64([1]), f64([1]), 'ks', { threshold: Number.NaN })).toThrow(
      /threshold/,
    );
    expect(numericalDriftSorted(f64([1, 2]), inf, 'ks').score).toBeGreaterThan(0);
  });
});

describe('categoricalDrift', () => {
  const cat = methods.categorical;
  const ref = new Map(Object.entries(cat.ref));
  const cur = new Map(Object.entries(cat.cur));

  it('methods.md 1.4–1.7, 1.10 on category counts', () => {
    expectClose(categoricalDrift(ref, cur, 'psi').score, cat.psi, 1e-9);
    expectClose(categoricalDrift(ref, cur, 'kl').score, cat.kl, 1e-9);
    expectClose(categoricalDrift(ref, cur, 'jensenshannon').score, cat.jsDistanceBase2, 1e-9);
    expectClose(categoricalDrift(ref, cur, 'hellinger').score, cat.hellinger, 1e-9);
    const linf = categoricalDrift(ref, cur, 'linf');
    expectClose(linf.score, cat.linf, 1e-9);
    expect(linf.detail?.category).toBe(cat.linfCategory);
  });

  it('chi-square: Evidently goodness of fit by default, contingency on request (methods.md 1.8)', () => {
    const r = new Map([
      ['a', 50],
      ['b', 30],
      ['c', 20],
    ]);
    const c = new Map([
      ['a', 30],
      ['b', 45],
      ['c', 25],
    ]);
    const gof = categoricalDrift(r, c, 'chisquare');
    expectClose(gof.score, 2.30559867592e-4, 1e-9);
    expect(gof.drifted).toBe(true);
    const cont = categoricalDrift(r, c, 'chisquare', { chisquare: 'contingency' });
    expectClose(cont.score, 0.013873457763, 1e-9);
    const fresh = categoricalDrift(r, new Map([...c, ['z', 1]]), 'chisquare');
    expect(fresh.detail?.newCategories).toEqual(['z']);
    expect(fresh.pValue).toBe(0);
  });

  it('z-test maps the first sorted category to 0 (methods.md 1.9 vector)', () => {
    const r = categoricalDrift(
      new Map([
        ['no', 60],
        ['yes', 40],
      ]),
      new Map([
        ['no', 45],
        ['yes', 55],
      ]),
      'ztest',
    );
    expectClose(r.score, 0.033672068856, 1e-9);
    expect(r.detail?.zeroCategory).toBe('no');
  });

  it('Evidently divides PSI by the full length, missing rows included, when their counts are given', () => {
    const plain = categoricalDrift(ref, cur, 'psi');
    const withMissing = categoricalDrift(ref, cur, 'psi', { refMissing: 100 });
    expect(withMissing.score).not.toBeCloseTo(plain.score, 3);
    // JS normalises, so missing rows do not change it
    expect(categoricalDrift(ref, cur, 'jensenshannon', { refMissing: 100 }).score).toBeCloseTo(
      categoricalDrift(ref, cur, 'jensenshannon').score,
      12,
    );
  });

  it('reference-leftover (NannyML) pools unseen current categories into one bin', () => {
    const r = categoricalDrift(ref, cur, 'jensenshannon', { categories: 'reference-leftover' });
    expect(r.detail?.categories).toBe(4); // a, b, c + leftover
    expect(r.score).toBeGreaterThan(0);
  });

  it('properties: identical maps → no drift for every categorical method; key order does not matter', () => {
    const counts = fc.dictionary(fc.constantFrom('a', 'b', 'c', 'd', 'e'), fc.integer({ min: 1, max: 200 }), {
      minKeys: 1,
    });
    const catMethods: DriftMethod[] = [
      'chisquare',
      'ztest',
      'jensenshannon',
      'psi',
      'kl',
      'hellinger',
      'linf',
    ];
    fc.assert(
      fc.property(counts, (d) => {
        const m = new Map(Object.entries(d));
        const reversed = new Map([...m].reverse());
        for (const method of catMethods) {
          const r = categoricalDrift(m, m, method);
          expectWellFormed(r, method);
          expect(r.drifted, method).toBe(false);
          expect(categoricalDrift(reversed, m, method)).toEqual(r);
        }
      }),
      { numRuns: 100 },
    );
  });

  it('rejects numerical-only methods, empty and invalid maps', () => {
    expect(() => categoricalDrift(ref, cur, 'ks')).toThrow(/needs numerical samples/);
    expect(() => categoricalDrift(new Map(), cur, 'psi')).toThrow(/ref has no non-missing values/);
    expect(() => categoricalDrift(ref, new Map([['a', -1]]), 'psi')).toThrow(/cur count of "a"/);
  });
});

describe('chooseMethod (Evidently automatic selection, methods.md 1.13)', () => {
  it.each([
    ['numerical', 1000, 2, 'ztest'],
    ['numerical', 1000, 3, 'chisquare'],
    ['numerical', 1000, 5, 'chisquare'],
    ['numerical', 1000, 6, 'ks'],
    ['numerical', 1001, 5, 'jensenshannon'],
    ['numerical', 1001, 6, 'wasserstein'],
    ['categorical', 10, 2, 'ztest'],
    ['categorical', 10, 3, 'chisquare'],
    ['categorical', 5000, 2, 'jensenshannon'],
    ['boolean', 500, 2, 'ztest'],
  ] as const)('%s with %i reference rows and %i distinct values → %s', (kind, rows, unique, want) => {
    expect(chooseMethod(kind, rows, unique)).toBe(want);
  });

  it.each(['text', 'id', 'datetime'] as ColumnKind[])(
    '%s columns have no univariate test: RangeError',
    (kind) => {
      expect(() => chooseMethod(kind, 100, 10)).toThrow(/no univariate drift test/);
    },
  );

  it('rejects nonsense counts', () => {
    expect(() => chooseMethod('numerical', -1, 3)).toThrow(/refRows/);
    expect(() => chooseMethod('numerical', 10, 2.5)).toThrow(/nUnique/);
  });
});
