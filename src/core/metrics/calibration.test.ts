import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { expectedCalibrationError, fitIsotonic, predictIsotonic } from './calibration.js';
import vectors from './calibration.vectors.json' with { type: 'json' };

const rel = (a: number, b: number) => (b === 0 ? Math.abs(a) : Math.abs(a - b) / Math.abs(b));

describe('expectedCalibrationError (methods.md §5.1)', () => {
  const v = vectors.methods;
  it('equal-width bins: 0.35 on the §5.1 vector', () => {
    expect(expectedCalibrationError(v.scores, v.labels, 'equal_width').value).toBeCloseTo(
      v.eceEqualWidth,
      12,
    );
  });
  it('equal-count bins (n = 8 ≤ 20 → 4 bins of 2): 0.25 on the §5.1 vector', () => {
    const r = expectedCalibrationError(v.scores, v.labels, 'equal_count');
    expect(r.bins.map((b) => b.count)).toEqual([2, 2, 2, 2]);
    expect(r.value).toBeCloseTo(v.eceEqualCount, 12);
  });
  it('matches the NumPy transcription of both binnings on 137 scores', () => {
    const c = vectors.ece137;
    expect(
      rel(expectedCalibrationError(c.scores, c.labels, 'equal_width').value, c.eceEqualWidth),
    ).toBeLessThan(1e-9);
    expect(
      rel(expectedCalibrationError(c.scores, c.labels, 'equal_count').value, c.eceEqualCount),
    ).toBeLessThan(1e-9);
  });
  it('lies in [0, 1], is 0 for perfectly calibrated bins, and bins cover every row', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.double({ min: 0, max: 1, noNaN: true }), fc.constantFrom(0, 1)), {
          minLength: 4,
          maxLength: 200,
        }),
        fc.constantFrom('equal_width' as const, 'equal_count' as const),
        (rows, binning) => {
          const r = expectedCalibrationError(
            rows.map((t) => t[0]),
            rows.map((t) => t[1]),
            binning,
          );
          expect(r.value).toBeGreaterThanOrEqual(0);
          expect(r.value).toBeLessThanOrEqual(1);
          expect(r.bins.reduce((a, b) => a + b.count, 0)).toBe(rows.length);
        },
      ),
    );
    expect(expectedCalibrationError([0, 0, 1, 1], [0, 0, 1, 1], 'equal_count').value).toBe(0);
  });
  it('rejects bad input naming the index', () => {
    expect(() => expectedCalibrationError([0.2, 1.2], [0, 1])).toThrow(/scores\[1\]/);
    expect(() => expectedCalibrationError([0.2, 0.3], [0, 2])).toThrow(/labels\[1\]/);
    expect(() => expectedCalibrationError([0.2, 0.3, 0.4], [0, 1, 1], 'equal_count')).toThrow(/at least 4/);
  });
});

describe('isotonic regression (PAV)', () => {
  it('matches the §5.1 vector: fitted values, f(0.45) and clipping f(0.95)', () => {
    const v = vectors.methods;
    const { model, fitted } = fitIsotonic(v.scores, v.labels);
    for (const [i, f] of fitted.entries()) expect(f).toBeCloseTo(v.fitted[i]!, 11);
    expect(predictIsotonic(model, 0.45)).toBeCloseTo(v.f045, 11);
    expect(predictIsotonic(model, 0.95)).toBe(v.f095);
    expect(predictIsotonic(model, 0)).toBe(0);
  });
  it('matches scipy.optimize.isotonic_regression with weights', () => {
    const c = vectors.weighted;
    const { fitted } = fitIsotonic(c.x, c.y, c.w);
    for (const [i, f] of fitted.entries()) expect(Math.abs(f - c.fitted[i]!)).toBeLessThan(1e-12);
  });
  it('is non-decreasing, keeps the weighted sum, and is idempotent', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.integer({ min: 0, max: 30 }), fc.double({ min: -5, max: 5, noNaN: true })), {
          minLength: 1,
          maxLength: 80,
        }),
        (rows) => {
          const x = rows.map((r) => r[0]);
          const y = rows.map((r) => r[1]);
          const { model, fitted } = fitIsotonic(x, y);
          for (let k = 1; k < model.y.length; k++)
            expect(model.y[k]!).toBeGreaterThanOrEqual(model.y[k - 1]! - 1e-12);
          const sum = (a: number[]) => a.reduce((s, t) => s + t, 0);
          expect(sum(fitted)).toBeCloseTo(sum(y), 8);
          const again = fitIsotonic(x, fitted).fitted;
          for (const [i, f] of again.entries()) expect(f).toBeCloseTo(fitted[i]!, 9);
          // Predictions at the training points equal the fitted values.
          for (const [i, xi] of x.entries()) expect(predictIsotonic(model, xi)).toBeCloseTo(fitted[i]!, 9);
        },
      ),
    );
  });
  it('rejects mismatched or non-finite input', () => {
    expect(() => fitIsotonic([1, 2], [1])).toThrow(/same length/);
    expect(() => fitIsotonic([1, Number.NaN], [1, 2])).toThrow(/x\[1\]/);
    expect(() => fitIsotonic([1, 2], [1, 2], [1, 0])).toThrow(/weights\[1\]/);
  });
});
