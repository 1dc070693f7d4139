/**
 * @module
 * The demo's models, trained in-process on the shipped real data with the reference models of core
 * (`fitLogistic`, `fitRidge`, `fitGbrt`): a flight-delay classifier and a daily-high regressor. Each trained model
 * is an artifact — plain JSON — whose SHA-256 is the artifact hash the registry and the serving instances report,
 * so a wrong artifact in production is a different hash, as it would be for a model file.
 */
import { createHash } from 'node:crypto';
import type { GbrtModel } from '../core/estimation/gbrt.js';
import { fitGbrt, predictGbrt } from '../core/estimation/gbrt.js';
import type { LinearModel } from '../core/estimation/test-models.js';
import { fitLogistic, fitRidge, predictLinear, predictLogistic } from '../core/estimation/test-models.js';
import type { Flight, WeatherDay } from './datasets.js';

/** A flight counts as delayed when it arrives more than this many minutes late. */
export const DELAY_MINUTES = 15;

export type ClassifierArtifact =
  | { kind: 'logistic'; model: LinearModel; threshold: number }
  | { kind: 'gbrt'; model: GbrtModel; threshold: number };

export interface RegressorArtifact {
  kind: 'ridge';
  model: LinearModel;
}

/** What the flight-delay model is given, after the transform: the features it logs. */
export interface FlightFeatures {
  origin: string;
  /** Departure hour with minutes as a fraction, e.g. 17.5 for 17:30. */
  dep_hour: number;
  distance: number;
  origin_congestion: number;
  dest_congestion: number;
}

/** What the daily-high model is given: the morning's readings of one city. */
export interface WeatherFeatures {
  location: string;
  temp_min: number;
  precipitation: number;
  wind: number;
}

/** `sha256:<hex>` of the artifact's JSON: the model file's hash. */
export function artifactHash(artifact: ClassifierArtifact | RegressorArtifact): string {
  return `sha256:${createHash('sha256').update(JSON.stringify(artifact)).digest('hex')}`;
}

export function isDelayed(f: Pick<Flight, 'delay'>): 0 | 1 {
  return f.delay > DELAY_MINUTES ? 1 : 0;
}

/** Departure hour of `YYYY-MM-DD HH:MM` as hours with a fraction; NaN when the text is not of that form. */
export function departureHour(date: string): number {
  const m = /^\d{4}-\d{2}-\d{2} (\d{2}):(\d{2})$/.exec(date);
  if (!m) return Number.NaN;
  return Math.round((Number(m[1]) + Number(m[2]) / 60) * 100) / 100;
}

/** The numeric vector the classifier reads from its features. */
export function flightVector(f: FlightFeatures): number[] {
  return [f.dep_hour, Math.log(Math.max(1, f.distance)), f.origin_congestion, f.dest_congestion];
}

/** The numeric vector the regressor reads from its features. */
export function weatherVector(f: WeatherFeatures): number[] {
  return [f.temp_min, f.precipitation, f.wind, f.location === 'Seattle' ? 1 : 0];
}

/** Probability of a delay under a classifier artifact, clamped to [0, 1]. */
export function delayProbability(a: ClassifierArtifact, f: FlightFeatures): number {
  const x = flightVector(f);
  const p = a.kind === 'logistic' ? predictLogistic(a.model, x) : predictGbrt(a.model, x);
  return Math.min(1, Math.max(0, p));
}

/** Predicted daily high (°C) under a regressor artifact. */
export function predictHigh(a: RegressorArtifact, f: WeatherFeatures): number {
  return predictLinear(a.model, weatherVector(f));
}

/** The features of a flight as the healthy transform computes them. */
export function flightFeatures(f: Flight): FlightFeatures {
  return {
    origin: f.origin,
    dep_hour: departureHour(f.date),
    distance: f.distance,
    origin_congestion: f.originCongestion,
    dest_congestion: f.destCongestion,
  };
}

export function weatherFeatures(d: WeatherDay): WeatherFeatures {
  return { location: d.location, temp_min: d.tempMin, precipitation: d.precipitation, wind: d.wind };
}

/** Share of correct classifications and F1 of the positive class. */
export interface ClassifierScores {
  accuracy: number;
  precision: number;
  recall: number;
  f1: number;
  rows: number;
}

/** Scores a classifier artifact on labelled flights. */
export function scoreClassifier(a: ClassifierArtifact, flights: readonly Flight[]): ClassifierScores {
  let correct = 0;
  let tp = 0;
  let fp = 0;
  let fn = 0;
  for (const f of flights) {
    const yhat = delayProbability(a, flightFeatures(f)) >= a.threshold ? 1 : 0;
    const y = isDelayed(f);
    if (yhat === y) correct += 1;
    if (yhat === 1 && y === 1) tp += 1;
    if (yhat === 1 && y === 0) fp += 1;
    if (yhat === 0 && y === 1) fn += 1;
  }
  const ratio = (n: number, d: number) => (d > 0 ? n / d : 0);
  return {
    accuracy: ratio(correct, flights.length),
    precision: ratio(tp, tp + fp),
    recall: ratio(tp, tp + fn),
    f1: ratio(2 * tp, 2 * tp + fp + fn),
    rows: flights.length,
  };
}

/** Mean absolute and root mean squared error of a regressor artifact on labelled days. */
export function scoreRegressor(
  a: RegressorArtifact,
  days: readonly WeatherDay[],
): { mae: number; rmse: number } {
  let abs = 0;
  let sq = 0;
  for (const d of days) {
    const e = predictHigh(a, weatherFeatures(d)) - d.tempMax;
    abs += Math.abs(e);
    sq += e * e;
  }
  const n = Math.max(1, days.length);
  return { mae: abs / n, rmse: Math.sqrt(sq / n) };
}

/**
 * L2-regularised logistic regression on the four flight inputs. The cut-off 0.35 flags about one flight in ten,
 * trading accuracy for catching a third of the delays.
 */
export function trainDelayClassifier(train: readonly Flight[]): ClassifierArtifact {
  const x = train.map((f) => flightVector(flightFeatures(f)));
  const y = train.map(isDelayed);
  return { kind: 'logistic', model: fitLogistic(x, y, 1), threshold: 0.35 };
}

/**
 * Boosted trees with deep trees, tiny leaves and a high learning rate on a small slice of the training rows: a
 * model that memorises its data. Scored on those same rows it looks excellent, which is the mistake the demo's
 * overfit release makes.
 */
export function trainOverfitClassifier(train: readonly Flight[]): ClassifierArtifact {
  const rows = train.slice(0, 1500);
  const x = rows.map((f) => flightVector(flightFeatures(f)));
  const y = rows.map(isDelayed);
  const model = fitGbrt(x, y, { trees: 300, maxDepth: 8, minLeaf: 1, learningRate: 0.3, bins: 64 });
  return { kind: 'gbrt', model, threshold: 0.35 };
}

/** Ridge regression of the daily high on the morning's minimum, precipitation, wind and city. */
export function trainHighRegressor(train: readonly WeatherDay[]): RegressorArtifact {
  const x = train.map((d) => weatherVector(weatherFeatures(d)));
  const y = train.map((d) => d.tempMax);
  return { kind: 'ridge', model: fitRidge(x, y, 1) };
}
