import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { seededRng } from '../rng.js';
import { featureSkew } from './feature-skew.js';
import { follows, unitRelations } from './unit-factors.js';

describe('featureSkew — TFDV counts', () => {
  // ids: 1–4 in training, 2–5 in serving (3 joined); id 6 twice in serving; one serving row without id
  const training = {
    id: [1, 2, 3, 4, 6],
    a: [1.0, 2.0, 3.0, 4.0, 6.0],
    b: ['x', 'y', null, 'w', 'v'],
    c: [0.123, 0.456, 0.789, 0.1, 0.2],
  };
  const serving = {
    id: [2, 3, 4, 5, 6, 6, null],
    a: [2.0, 3.5, 4.0, 5.0, 6.0, 6.0, 7.0],
    b: ['y', 'z', null, 'q', 'v', 'v', 'r'],
    c: [0.4561, 0.7894, 0.1004, 0.5, 0.2, 0.2, 0.3],
  };

  it('summarises the join', () => {
    const r = featureSkew(training, serving, { id: 'id' });
    expect(r.join).toEqual({
      trainingRows: 5,
      servingRows: 7,
      missingIdTraining: 0,
      missingIdServing: 1,
      duplicateIdsTraining: 0,
      duplicateIdsServing: 1,
      joined: 3,
      trainingOnlyIds: 1,
      servingOnlyIds: 1,
    });
  });

  it('counts match, mismatch, base-only, test-only and diff per feature', () => {
    const r = featureSkew(training, serving, { id: 'id' });
    const a = r.features.find((f) => f.feature === 'a')!;
    expect(a).toMatchObject({
      trainingCount: 3,
      servingCount: 3,
      matchCount: 2,
      mismatchCount: 1,
      baseOnly: 0,
      testOnly: 0,
      diffCount: 1,
    });
    expect(a.mismatchShare).toBeCloseTo(1 / 3, 15);
    expect(a.samples).toEqual([{ id: '3', training: 3, serving: 3.5 }]);
    const b = r.features.find((f) => f.feature === 'b')!;
    // id 2: y=y; id 3: null vs z (test only); id 4: w vs null (base only)
    expect(b).toMatchObject({
      trainingCount: 2,
      servingCount: 2,
      matchCount: 1,
      mismatchCount: 0,
      baseOnly: 1,
      testOnly: 1,
      diffCount: 2,
    });
  });

  it('rounds numbers to roundDigits before comparing (float_round_ndigits)', () => {
    const exact = featureSkew(training, serving, { id: 'id' }).features.find((f) => f.feature === 'c')!;
    expect(exact.mismatchCount).toBe(3);
    const r3 = featureSkew(training, serving, { id: 'id', roundDigits: 3 }).features.find(
      (f) => f.feature === 'c',
    )!;
    // 0.456 vs 0.4561 → equal; 0.789 vs 0.7894 → equal; 0.1 vs 0.1004 → equal
    expect(r3.mismatchCount).toBe(0);
    const r4 = featureSkew(training, serving, { id: 'id', roundDigits: 4 }).features.find(
      (f) => f.feature === 'c',
    )!;
    expect(r4.mismatchCount).toBe(3);
  });

  it('joins on several id columns', () => {
    const r = featureSkew(
      { shop: ['a', 'a', 'b'], day: [1, 2, 1], v: [1, 2, 3] },
      { shop: ['a', 'b', 'b'], day: [2, 1, 2], v: [2, 30, 4] },
      { id: ['shop', 'day'] },
    );
    expect(r.join.joined).toBe(2);
    expect(r.features[0]!.samples).toEqual([{ id: 'b | 1', training: 3, serving: 30 }]);
  });

  it('names bad input', () => {
    expect(() => featureSkew({ x: [1] }, { id: [1] }, { id: 'id' })).toThrow(
      /training has no id column 'id'/,
    );
    expect(() => featureSkew({ id: [1] }, { x: [1] }, { id: 'id' })).toThrow(/serving has no id column 'id'/);
    expect(() => featureSkew({ id: [1], a: [1, 2] }, { id: [1] }, { id: 'id' })).toThrow(
      /column 'a' has 2 rows/,
    );
    expect(() => featureSkew({ id: [1] }, { id: [1] }, { id: 'id', roundDigits: -1 })).toThrow(/roundDigits/);
  });
});

describe('featureSkew — unit explanations', () => {
  const rng = seededRng(17);
  const n = 200;
  const id = Array.from({ length: n }, (_, i) => `u${i}`);
  const dollars = Array.from({ length: n }, () => Math.round(rng.next() * 50000) / 100);
  const kg = Array.from({ length: n }, () => 50 + rng.next() * 50);
  const celsius = Array.from({ length: n }, () => -10 + rng.next() * 40);

  it('serving sends cents, training had dollars: names ×100, the share and the feature', () => {
    // 98 % of rows converted to cents, 2 % left untouched
    const cents = dollars.map((d, i) => (i % 50 === 0 ? d : Math.round(d * 100)));
    const r = featureSkew({ id, amount: dollars }, { id, amount: cents }, { id: 'id' });
    const f = r.features[0]!;
    expect(f.feature).toBe('amount');
    expect(f.medianRatio).toBeCloseTo(100, 6);
    expect(f.unit?.slope).toBe(100);
    expect(f.unit?.share).toBeCloseTo(0.98, 12);
    expect(f.explanation).toBe(
      'serving sends cents, training had dollars (or percent vs fraction, cm vs m): serving = 100 × training for 98 % of joined rows of `amount`',
    );
    expect(f.samples).toHaveLength(5);
  });

  it('names ×1000 (g vs kg), ×0.001 and °F vs °C', () => {
    const r = featureSkew(
      { id, weight: kg, back: kg, temp: celsius },
      {
        id,
        weight: kg.map((x) => x * 1000),
        back: kg.map((x) => x / 1000),
        temp: celsius.map((c) => c * 1.8 + 32),
      },
      { id: 'id' },
    );
    const by = (f: string) => r.features.find((x) => x.feature === f)!;
    expect(by('weight').unit?.formula).toBe('serving = 1000 × training');
    expect(by('weight').explanation).toMatch(/^serving sends grams, training had kilograms/);
    expect(by('back').unit?.formula).toBe('serving = 0.001 × training');
    expect(by('temp').unit?.formula).toBe('serving = 1.8 × training + 32');
    expect(by('temp').explanation).toMatch(
      /^serving sends °F, training had °C: .* for 100 % of joined rows of `temp`$/,
    );
  });

  it('a generic power of ten and unexplained noise', () => {
    const r = featureSkew(
      { id, big: dollars, noisy: dollars },
      { id, big: dollars.map((x) => x * 1e4), noisy: dollars.map((x) => x * (1 + (rng.next() - 0.5) * 0.4)) },
      { id: 'id' },
    );
    const big = r.features.find((x) => x.feature === 'big')!;
    expect(big.unit?.meaning).toBe('a scale change by 10^4');
    const noisy = r.features.find((x) => x.feature === 'noisy')!;
    expect(noisy.unit).toBeNull();
    expect(noisy.explanation).toMatch(
      /% of joined rows of `noisy` differ between serving and training \(median ratio/,
    );
  });
});

describe('featureSkew — properties', () => {
  it('identical sides match everywhere; counts add up', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            v: fc.option(fc.double({ noNaN: true, min: -1e6, max: 1e6 }), { nil: null }),
            w: fc.option(fc.integer({ min: 0, max: 3 }), { nil: null }),
          }),
          { maxLength: 40 },
        ),
        fc.array(fc.boolean(), { maxLength: 40 }),
        (rows, flips) => {
          const id = rows.map((_, i) => i);
          const v = rows.map((r) => r.v);
          const w = rows.map((r) => r.w);
          const same = featureSkew({ id, v, w }, { id, v, w }, { id: 'id' });
          for (const f of same.features) expect(f.diffCount).toBe(0);
          const w2 = w.map((x, i) => (flips[i] ? (x === null ? 1 : null) : x));
          const r = featureSkew({ id, v, w }, { id, v, w: w2 }, { id: 'id' }).features.find(
            (f) => f.feature === 'w',
          )!;
          expect(r.matchCount + r.mismatchCount + r.baseOnly + r.testOnly).toBeLessThanOrEqual(rows.length);
          expect(r.trainingCount).toBe(r.matchCount + r.mismatchCount + r.baseOnly);
          expect(r.servingCount).toBe(r.matchCount + r.mismatchCount + r.testOnly);
        },
      ),
    );
  });

  it('every named relation is recognised on exact data', () => {
    const t = Array.from({ length: 30 }, (_, i) => 1 + i * 3.7);
    for (const rel of unitRelations()) {
      const s = t.map((x) => rel.slope * x + rel.intercept);
      const f = featureSkew({ id: t.map((_, i) => i), x: t }, { id: t.map((_, i) => i), x: s }, { id: 'id' })
        .features[0]!;
      expect(f.unit?.formula).toBe(rel.formula);
      expect(t.every((x, i) => follows(rel, x, s[i]!, 1e-9))).toBe(true);
    }
  });
});
