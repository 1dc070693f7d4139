import { describe, expect, it } from 'vitest';
import { seededRng } from '../rng.js';
import { estimateDle, fitDle } from './dle.js';

/** A model whose error grows with |x0|: y = 2·x0 + noise·(0.2 + |x0|); the model predicts 2·x0. */
function rows(n: number, seed: number, shift = 0) {
  const rng = seededRng(seed);
  const features: number[][] = [];
  const predictions: number[] = [];
  const targets: number[] = [];
  for (let i = 0; i < n; i++) {
    const x0 = rng.next() * 2 - 1 + shift;
    const x1 = rng.next();
    const noise = (rng.next() + rng.next() + rng.next() - 1.5) * 2;
    features.push([x0, x1]);
    predictions.push(2 * x0);
    targets.push(2 * x0 + noise * (0.2 + Math.abs(x0)) + 10);
  }
  return { features, predictions: predictions.map((p) => p + 10), targets };
}

const mae = (r: ReturnType<typeof rows>) =>
  r.targets.reduce((s, y, i) => s + Math.abs(y - r.predictions[i]!), 0) / r.targets.length;

describe('DLE', () => {
  const model = fitDle(rows(4000, 1, 0.5), { chunkSize: 500 });

  it('follows the error level under covariate shift within the reference range', () => {
    for (const [seed, shift] of [
      [2, 0.5],
      [3, 0.1],
      [4, 0.9],
    ] as const) {
      const chunk = rows(1000, seed, shift);
      // Keep the shifted chunk inside the reference support [-0.5, 1.5].
      const e = estimateDle(model, chunk).metrics.mae;
      expect(Math.abs(e.value! / mae(chunk) - 1)).toBeLessThan(0.1);
      expect(mae(chunk)).toBeGreaterThanOrEqual(e.lower! - 0.05);
    }
  });

  it('alerts when the estimated MAE leaves the reference thresholds', () => {
    const far = rows(500, 5, 1.2);
    expect(estimateDle(model, far).metrics.mae.alert).toBe(true);
    expect(estimateDle(model, rows(500, 6, 0.5)).metrics.mae.alert).toBe(false);
  });

  it('RMSE is √MSE; a JSON round trip gives the same estimate', () => {
    const chunk = rows(300, 7, 0.5);
    const e = estimateDle(model, chunk).metrics;
    expect(e.rmse.value!).toBeCloseTo(Math.sqrt(e.mse.value!), 12);
    const back = JSON.parse(JSON.stringify(model));
    expect(estimateDle(back, chunk)).toEqual(estimateDle(model, chunk));
  });

  it('rejects bad input, naming it', () => {
    expect(() =>
      fitDle({ features: [[1]], predictions: [1], targets: [Number.NaN] }, { chunkSize: 1 }),
    ).toThrow(/targets\[0\]/);
    expect(() =>
      fitDle({ features: [[1]], predictions: [1], targets: [0] }, { chunkSize: 1, mape: true }),
    ).toThrow(/MAPE/);
    expect(() => estimateDle(model, { features: [[1, 2, 3]], predictions: [1] })).toThrow(/3 features/);
  });
});
