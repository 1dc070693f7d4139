import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { seededRng } from '../rng.js';
import { detectUnitChanges, unitChange } from './unit-change.js';

function gaussian(rng: ReturnType<typeof seededRng>): number {
  return Math.sqrt(-2 * Math.log(1 - rng.next())) * Math.cos(2 * Math.PI * rng.next());
}

const rng = seededRng(23);
const price = Array.from({ length: 400 }, () => Math.exp(3 + 0.6 * gaussian(rng)));
const price2 = Array.from({ length: 400 }, () => Math.exp(3 + 0.6 * gaussian(rng)));
const tempC = Array.from({ length: 400 }, () => 15 + 8 * gaussian(rng));
const tempC2 = Array.from({ length: 400 }, () => 15 + 8 * gaussian(rng));

describe('unitChange', () => {
  it('finds dollars → cents on independent samples and shows before/after quantiles', () => {
    const r = unitChange(
      'amount',
      price,
      price2.map((x) => x * 100),
    );
    expect(r.detected).toBe(true);
    expect(r.relation?.formula).toBe('current = 100 × reference');
    expect(r.relation?.meaning).toBe(
      'current sends cents, reference had dollars (or percent vs fraction, cm vs m)',
    );
    expect(r.ratioOfMedians).toBeGreaterThan(80);
    expect(r.ratioOfMedians).toBeLessThan(125);
    expect(r.quantiles.map((q) => q.level)).toEqual([0.05, 0.1, 0.25, 0.5, 0.75, 0.9, 0.95]);
    expect(Math.abs(r.quantiles[3]!.current / r.quantiles[3]!.predicted - 1)).toBeLessThan(0.1);
    expect(r.explanation).toMatch(
      /^`amount` changed unit or scale: current sends cents.*median .* → .*shape unchanged within/,
    );
  });

  it('finds °C → °F and g → kg', () => {
    expect(
      unitChange(
        't',
        tempC,
        tempC2.map((c) => 1.8 * c + 32),
      ).relation?.formula,
    ).toBe('current = 1.8 × reference + 32');
    const kg = unitChange(
      'w',
      price,
      price2.map((x) => x / 1000),
    );
    expect(kg.detected).toBe(true);
    expect(kg.relation?.formula).toBe('current = 0.001 × reference');
  });

  it('does not report an unchanged feature, nor a real shift that no unit explains', () => {
    const same = unitChange('amount', price, price2);
    expect(same.detected).toBe(false);
    expect(same.explanation).toBeNull();
    const shifted = unitChange(
      'amount',
      price,
      price2.map((x) => x * 1.3 + 5),
    );
    expect(shifted.detected).toBe(false);
    const reshaped = unitChange(
      'amount',
      price,
      price2.map((x) => 100 * x ** 1.5),
    );
    expect(reshaped.detected).toBe(false);
  });

  it('needs minCount values per side and names bad values', () => {
    const r = unitChange('x', [1, 2, 3], [100, 200, 300]);
    expect(r).toMatchObject({ detected: false, relation: null, quantiles: [] });
    expect(() => unitChange('x', [1, 'a'], [1])).toThrow(/reference 'x', row 1: not a finite number/);
  });

  it('detectUnitChanges scans numeric columns and puts detections first', () => {
    const results = detectUnitChanges(
      { amount: price, temp: tempC, city: price.map(() => 'x') },
      { amount: price2.map((x) => x * 100), temp: tempC2, city: price2.map(() => 'y') },
    );
    expect(results.map((r) => [r.feature, r.detected])).toEqual([
      ['amount', true],
      ['temp', false],
    ]);
  });

  it('property: any named power-of-ten rescale of the same sample is detected exactly', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: -6, max: 6 }).filter((k) => k !== 0),
        (k) => {
          const r = unitChange(
            'x',
            price,
            price.map((x) => x * 10 ** k),
          );
          expect(r.detected).toBe(true);
          expect(r.relation!.slope).toBeCloseTo(10 ** k, 9);
          expect(r.discrepancy!).toBeLessThan(1e-9);
        },
      ),
    );
  });

  it('false alarms: no detection over 30 pairs of independent samples from one distribution', () => {
    const s = seededRng(77);
    let hits = 0;
    for (let t = 0; t < 30; t++) {
      const a = Array.from({ length: 100 }, () => 50 + 10 * gaussian(s));
      const b = Array.from({ length: 100 }, () => 50 + 10 * gaussian(s));
      if (unitChange('x', a, b).detected) hits++;
    }
    expect(hits).toBe(0);
  });
});
