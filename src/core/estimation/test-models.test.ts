import { describe, expect, it } from 'vitest';
import { seededRng } from '../rng.js';
import { fitLogistic, fitRidge, predictLinear, predictLogistic } from './test-models.js';

describe('reference models', () => {
  it('ridge with a tiny penalty recovers an exact linear relation', () => {
    const x = Array.from({ length: 50 }, (_, i) => [i, (i * 7) % 11]);
    const y = x.map((r) => 3 + 2 * r[0]! - 0.5 * r[1]!);
    const m = fitRidge(x, y, 1e-9);
    expect(predictLinear(m, [100, 3])).toBeCloseTo(3 + 200 - 1.5, 5);
  });
  it('logistic regression recovers the generating coefficients roughly', () => {
    const rng = seededRng(1);
    const x = Array.from({ length: 4000 }, () => [rng.next() * 4 - 2]);
    const y = x.map((r) => (rng.next() < 1 / (1 + Math.exp(-(0.5 + 2 * r[0]!))) ? 1 : 0));
    const m = fitLogistic(x, y, 1e-6);
    expect(predictLogistic(m, [0])).toBeCloseTo(1 / (1 + Math.exp(-0.5)), 1);
    expect(predictLogistic(m, [1])).toBeCloseTo(1 / (1 + Math.exp(-2.5)), 1);
  });
});
