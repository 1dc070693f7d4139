import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { regressionMetrics } from './regression.js';
import vectors from './regression.vectors.json' with { type: 'json' };

const close = (a: number | null, b: number) => {
  expect(a).not.toBeNull();
  expect(Math.abs((a as number) - b)).toBeLessThanOrEqual(1e-12 * Math.max(1, Math.abs(b)));
};

describe('regression metrics against scikit-learn (regression.vectors.json)', () => {
  it.each(vectors.cases)('$name', (c) => {
    const m = regressionMetrics(Float64Array.from(c.actual), Float64Array.from(c.predicted));
    close(m.mae, c.mae);
    close(m.rmse, c.rmse);
    close(m.mape, c.mape);
    close(m.r2, c.r2);
  });
});

describe('regression metrics from their definitions', () => {
  it('computes a small case by hand', () => {
    // errors 1, -1, 2: MAE 4/3, RMSE sqrt(6/3), MAPE (1/2 + 1/4 + 2/8)/3 = 1/3;
    // mean y = 14/3, SS_tot = (8/3)² + (2/3)² + (10/3)² = 168/9, SS_res = 6 → R² = 1 − 54/168.
    const m = regressionMetrics(Float64Array.of(2, 4, 8), Float64Array.of(1, 5, 6));
    expect(m.mae).toBeCloseTo(4 / 3, 14);
    expect(m.rmse).toBeCloseTo(Math.sqrt(2), 14);
    expect(m.mape).toBeCloseTo(1 / 3, 14);
    expect(m.r2).toBeCloseTo(1 - 54 / 168, 14);
  });

  it('gives nulls for no rows', () => {
    expect(regressionMetrics(new Float64Array(0), new Float64Array(0))).toEqual({
      task: 'regression',
      rows: 0,
      mae: null,
      rmse: null,
      mape: null,
      r2: null,
    });
  });

  it('keeps RMSE ≥ MAE ≥ 0 and R² ≤ 1 (property)', () => {
    const value = fc.integer({ min: -1e8, max: 1e8 }).map((v) => v / 100);
    fc.assert(
      fc.property(fc.array(fc.tuple(value, value), { minLength: 1, maxLength: 50 }), (rows) => {
        const m = regressionMetrics(
          Float64Array.from(rows.map(([a]) => a)),
          Float64Array.from(rows.map(([, b]) => b)),
        );
        expect(m.mae!).toBeGreaterThanOrEqual(0);
        expect(m.rmse! * (1 + 1e-12)).toBeGreaterThanOrEqual(m.mae!);
        expect(m.r2!).toBeLessThanOrEqual(1 + 1e-12);
      }),
    );
  });
});
