/**
 * CBPE and DLE measured on real data (files under data/, see their READMEs): the estimate for each chunk is
 * compared with the metric computed from the chunk's true labels, which the estimators never see.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { seededRng } from '../rng.js';
import { confusionMetrics, estimateCbpe, expectedConfusion, fitCbpe } from './cbpe.js';
import { estimateDle, fitDle } from './dle.js';
import { type CsvRecord, txhousingExperiment, weatherExperiment } from './experiments.js';

const dataDir = join(import.meta.dirname, '..', '..', '..', 'data');
const csv = (file: string): CsvRecord[] => parse(readFileSync(join(dataDir, file)), { columns: true });
const mean = (v: number[]) => v.reduce((a, b) => a + b, 0) / v.length;

describe('CBPE on weather (Seattle → Seattle 2015 and New York)', () => {
  const { reference, chunks } = weatherExperiment(csv('weather-seattle-nyc/weather.csv'), 61);
  const model = fitCbpe(reference, seededRng(1), { chunkSize: 61 });
  const rows = chunks.map((c) => {
    const est = estimateCbpe(model, c).metrics;
    const real = confusionMetrics(expectedConfusion(c.labels, c.predictions));
    return { name: c.name, est, accuracy: real.accuracy!, f1: real.f1! };
  });
  const seattle = rows.filter((r) => r.name.startsWith('Seattle'));
  const newYork = rows.filter((r) => r.name.startsWith('New York'));

  it('calibrates the logistic scores (isotonic lowers the ECE on the reference splits)', () => {
    expect(model.calibrated).toBe(true);
  });

  it('same climate: estimated accuracy and F1 within 0.12 of the realised on average, every chunk inside ±3·SE', () => {
    expect(seattle).toHaveLength(6);
    const maeAcc = mean(seattle.map((r) => Math.abs(r.est.accuracy.value! - r.accuracy)));
    const maeF1 = mean(seattle.map((r) => Math.abs(r.est.f1.value! - r.f1)));
    expect(maeAcc).toBeLessThan(0.12);
    expect(maeF1).toBeLessThan(0.12);
    for (const r of seattle) {
      expect(r.accuracy).toBeGreaterThanOrEqual(r.est.accuracy.lower!);
      expect(r.accuracy).toBeLessThanOrEqual(r.est.accuracy.upper!);
    }
  });

  it('another climate is concept shift for this model: CBPE, which assumes none, over-estimates New York', () => {
    expect(newYork.length).toBeGreaterThanOrEqual(20);
    expect(mean(newYork.map((r) => r.est.accuracy.value! - r.accuracy))).toBeGreaterThan(0.05);
  });
});

describe('DLE on Texas housing', () => {
  const { reference, byCity, byYear } = txhousingExperiment(csv('txhousing/txhousing-half.csv'));
  const model = fitDle(reference, { chunkSize: 100 });
  const realMae = (c: (typeof byCity)[number]) =>
    mean(c.targets.map((y, i) => Math.abs(y - c.predictions[i]!)));
  const refMae = mean(reference.targets.map((y, i) => Math.abs(y - reference.predictions[i]!)));

  it('same period, blocks of cities: estimated MAE within 15 % of the realised on average, better than a constant', () => {
    const rel = byCity.map((c) => Math.abs(estimateDle(model, c).metrics.mae.value! / realMae(c) - 1));
    const constant = byCity.map((c) => Math.abs(refMae / realMae(c) - 1));
    expect(mean(rel)).toBeLessThan(0.15);
    expect(mean(rel)).toBeLessThan(mean(constant));
  });

  it('after 2007 prices move (concept drift): the estimate stays near the reference while the realised error grows', () => {
    const late = byYear.filter((c) => Number(c.name) >= 2009);
    for (const c of late) expect(estimateDle(model, c).metrics.mae.value!).toBeLessThan(0.6 * realMae(c));
  });

  it('RMSE and MAPE come with their bands', () => {
    const e = estimateDle(model, byCity[0]!).metrics;
    expect(e.rmse.value!).toBeGreaterThanOrEqual(e.mae.value!);
    expect(e.rmse.lower!).toBeLessThanOrEqual(e.rmse.value!);
    expect(e.mape.value!).toBeGreaterThan(0);
  });
});
