/**
 * A change only in the joint distribution: the correlation of two N(0, 1) features flips from +0.8 to −0.8
 * at window 8 of 16, every marginal stays the same. Both multivariate detectors must find it from the
 * change point on; the univariate KS test on each feature (the stats module's ks2samp) must not.
 */
import { describe, expect, it } from 'vitest';
import { seededRng } from '../rng.js';
import { ks2samp } from '../stats/ks.js';
import { mmdTest } from './mmd.js';
import { fitPcaReconstruction, rowsToColumns } from './pca-reconstruction.js';

function gaussian(rng: ReturnType<typeof seededRng>): number {
  return Math.sqrt(-2 * Math.log(1 - rng.next())) * Math.cos(2 * Math.PI * rng.next());
}

function correlated(rng: ReturnType<typeof seededRng>, n: number, rho: number): number[][] {
  return Array.from({ length: n }, () => {
    const a = gaussian(rng);
    return [a, rho * a + Math.sqrt(1 - rho * rho) * gaussian(rng)];
  });
}

describe('a correlation flip with unchanged marginals', () => {
  const rng = seededRng(2024);
  const reference = correlated(rng, 2000, 0.8);
  const windows = Array.from({ length: 16 }, (_, w) => correlated(rng, 200, w < 8 ? 0.8 : -0.8));
  const changed = [8, 9, 10, 11, 12, 13, 14, 15];

  it('PCA reconstruction alerts exactly from the change point on', () => {
    const model = fitPcaReconstruction(rowsToColumns(reference), { chunkSize: 200 });
    const alerts = windows.flatMap((w, i) => (model.evaluate(rowsToColumns(w)).alert ? [i] : []));
    expect(alerts).toEqual(changed);
  });

  it('MMD detects every changed window', () => {
    const refSample = reference.slice(0, 400);
    const drift = windows.flatMap((w, i) => (mmdTest(refSample, w, { rng: seededRng(i) }).drift ? [i] : []));
    expect(drift.filter((i) => i >= 8)).toEqual(changed);
    expect(drift.filter((i) => i < 8).length).toBeLessThanOrEqual(1);
  });

  it('univariate KS per feature finds no more than chance after the change', () => {
    const column = (rows: number[][], j: number) => Float64Array.from(rows, (r) => r[j]!);
    let rejections = 0;
    for (const w of changed)
      for (const j of [0, 1])
        if (ks2samp(column(reference, j), column(windows[w]!, j)).pValue < 0.05) rejections++;
    // 16 tests at α = 0.05 under unchanged marginals: Binomial(16, 0.05) ≥ 4 has probability < 1 %
    expect(rejections).toBeLessThanOrEqual(3);
  });
});
