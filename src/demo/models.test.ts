import { describe, expect, it } from 'vitest';
import { seededRng } from '../core/rng.js';
import { loadFlights, loadWeather } from './datasets.js';
import {
  artifactHash,
  delayProbability,
  departureHour,
  flightFeatures,
  isDelayed,
  scoreClassifier,
  scoreRegressor,
  trainDelayClassifier,
  trainHighRegressor,
  trainOverfitClassifier,
} from './models.js';
import { planDemo } from './setup.js';

describe('departureHour', () => {
  it('reads HH:MM as hours with a fraction, and nothing else', () => {
    expect(departureHour('2001-01-08 17:30')).toBe(17.5);
    expect(departureHour('2001-01-08 00:05')).toBe(0.08);
    expect(departureHour('2001-01-08T17:30')).toBeNaN();
    expect(departureHour('17:30')).toBeNaN();
  });
});

describe('the demo models on the shipped data', () => {
  const flights = loadFlights().filter((f) => f.date >= '2001-01-08');
  const train = flights.filter((_, i) => i % 3 === 0);
  const test = flights.filter((_, i) => i % 3 === 1);

  it('reads every flight with finite inputs', () => {
    expect(flights.length).toBeGreaterThan(20_000);
    for (const f of flights.slice(0, 2000)) {
      expect(Number.isFinite(departureHour(f.date))).toBe(true);
      expect(f.originCongestion >= 0 && f.originCongestion <= 1).toBe(true);
    }
  });

  it('the delay classifier ranks delays above on-time flights on held-out rows', () => {
    const a = trainDelayClassifier(train);
    // AUC by pairs on a sample: a weak but real model (methods: Mann–Whitney U / (n⁺ n⁻)).
    const rows = test.slice(0, 3000);
    const pos = rows.filter((f) => isDelayed(f) === 1).map((f) => delayProbability(a, flightFeatures(f)));
    const neg = rows.filter((f) => isDelayed(f) === 0).map((f) => delayProbability(a, flightFeatures(f)));
    let wins = 0;
    for (const p of pos) for (const n of neg) wins += p > n ? 1 : p === n ? 0.5 : 0;
    expect(wins / (pos.length * neg.length)).toBeGreaterThan(0.62);
    const s = scoreClassifier(a, test);
    expect(s.accuracy).toBeGreaterThan(0.77);
    expect(s.f1).toBeGreaterThan(0.25);
  });

  it('the overfit release looks excellent on its training rows and worse than the plain model elsewhere', () => {
    const o = trainOverfitClassifier(train);
    const own = scoreClassifier(o, train.slice(0, 1500));
    const held = scoreClassifier(o, test);
    const plain = scoreClassifier(trainDelayClassifier(train), test);
    expect(own.accuracy).toBeGreaterThan(0.95);
    expect(held.accuracy).toBeLessThan(plain.accuracy - 0.05);
  });

  it('the daily-high regressor is within about 2.5 °C on later years', () => {
    const days = loadWeather();
    const a = trainHighRegressor(days.filter((d) => d.date < '2014'));
    const s = scoreRegressor(
      a,
      days.filter((d) => d.date >= '2014'),
    );
    expect(s.mae).toBeLessThan(2.8);
    expect(s.rmse).toBeGreaterThan(s.mae);
  });

  it('hashes artifacts like files: stable for the same model, different for another', () => {
    const a = trainDelayClassifier(train);
    expect(artifactHash(a)).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(artifactHash(trainDelayClassifier(train))).toBe(artifactHash(a));
    expect(artifactHash(trainDelayClassifier(test))).not.toBe(artifactHash(a));
  });
});

describe('planDemo', () => {
  it('is deterministic for a seed and keeps serving rows apart from training rows', () => {
    const a = planDemo(seededRng(7));
    const b = planDemo(seededRng(7));
    expect(a.hashes).toEqual(b.hashes);
    expect(a.models.map((m) => m.versions.map((v) => v.validationMetrics))).toEqual(
      b.models.map((m) => m.versions.map((v) => v.validationMetrics)),
    );
    const key = (r: Record<string, unknown>) =>
      `${r.dep_hour}|${r.origin}|${r.distance}|${r.origin_congestion}|${r.dest_congestion}`;
    const train = new Set(a.models[0]!.versions[0]!.reference.map((r) => key(r)));
    const served = a.pools.flights.map((f) => key({ ...flightFeatures(f) }));
    expect(train.size).toBeGreaterThan(5000);
    // A few distinct flights share all five values; the split itself keeps rows apart.
    expect(served.filter((k) => train.has(k)).length).toBeLessThan(served.length * 0.003);
    // Validation metrics of the overfit release come from its own training rows: far above the honest ones.
    const [v1, , v3] = a.models[0]!.versions;
    expect(v3!.validationMetrics.accuracy!).toBeGreaterThan(v1!.validationMetrics.accuracy! + 0.1);
    // Its reference holds the outputs it memorised on those rows, as a registry would keep them.
    const right = v3!.reference.filter((r) => r.class === r.delayed).length;
    expect(right / v3!.reference.length).toBeGreaterThan(0.95);
  });
});
