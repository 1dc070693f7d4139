/**
 * @module
 * Everything the demo prepares before the first request: the data split (seeded), the trained artifacts of every
 * version with their hashes and validation metrics, the serving pools, and what the registry is told — models,
 * versions (artifact hash, validation metrics, validated environment, schema), reference data sets and
 * expectations — sent through the collector's HTTP API as any user would.
 */
import type { ModelExpectationsInput } from '../core/expectations/schema.js';
import type { Rng } from '../core/rng.js';
import type { Flight, WeatherDay } from './datasets.js';
import { loadFlights, loadWeather } from './datasets.js';
import type { DemoArtifacts, DemoPools } from './fleet.js';
import { validatedFingerprint } from './fleet.js';
import {
  artifactHash,
  delayProbability,
  flightFeatures,
  isDelayed,
  predictHigh,
  scoreClassifier,
  scoreRegressor,
  trainDelayClassifier,
  trainHighRegressor,
  trainOverfitClassifier,
  weatherFeatures,
} from './models.js';
import { OnlineRecommender } from './recommender.js';
import type { DemoModel } from './timeline.js';
import { ALLOWED_LATENESS_MS, BUCKET_MS, WINDOW_MS } from './timeline.js';

export interface VersionPlan {
  version: string;
  description: string;
  artifactHash: string;
  validationMetrics: Record<string, number>;
  /** Rows of the data the version was trained on, as the reference data set (features, target, outputs). */
  reference: Record<string, string | number | null>[];
  intended: boolean;
}

export interface ModelPlan {
  name: DemoModel;
  task: 'classification' | 'regression' | 'ranking';
  description: string;
  features: Record<string, 'numerical' | 'categorical'>;
  target?: string;
  versions: VersionPlan[];
  expectations: ModelExpectationsInput;
}

export interface DemoPlan {
  recommender: OnlineRecommender;
  artifacts: DemoArtifacts;
  hashes: Record<DemoModel, Record<string, string>>;
  pools: DemoPools;
  models: ModelPlan[];
}

function shuffle<T>(items: readonly T[], rng: Rng): T[] {
  const a = [...items];
  for (let i = a.length - 1; i > 0; i--) {
    const j = rng.nextInt(i + 1);
    const t = a[i]!;
    a[i] = a[j]!;
    a[j] = t;
  }
  return a;
}

const round = (x: number, d = 4) => Math.round(x * 10 ** d) / 10 ** d;

function flightReference(rows: readonly Flight[], artifact: DemoArtifacts['flight-delays'][string]) {
  return rows.map((f) => {
    const x = flightFeatures(f);
    const p = delayProbability(artifact, x);
    // Output columns as the collector's windows name them: class, probability.<class>, score.
    return {
      ...x,
      delayed: isDelayed(f),
      class: p >= artifact.threshold ? 1 : 0,
      'probability.0': round(1 - p),
      'probability.1': round(p),
      score: round(p),
    };
  });
}

function weatherReference(rows: readonly WeatherDay[], artifact: DemoArtifacts['daily-high'][string]) {
  return rows.map((d) => {
    const x = weatherFeatures(d);
    return { ...x, temp_max: d.tempMax, value: round(predictHigh(artifact, x), 2) };
  });
}

/** The expectations every demo model shares: integrity checks and the serving SLOs, judged on one-hour windows. */
function baseExpectations(latencyP99Ms: number): NonNullable<ModelExpectationsInput['expectations']> {
  return [
    { kind: 'artifact', id: 'artifact', over: '1h' },
    { kind: 'heartbeat', id: 'heartbeat', every: '5m', missedBeats: 1, over: '1h' },
    { kind: 'self_checks', id: 'self_checks', over: '1h' },
    {
      kind: 'threshold',
      id: 'latency_p99',
      metric: 'latency_p99_ms',
      comparator: '<',
      threshold: latencyP99Ms,
      over: '1h',
    },
    {
      kind: 'threshold',
      id: 'error_rate',
      metric: 'error_rate',
      comparator: '<',
      threshold: 0.01,
      decideOn: 'interval',
      over: '1h',
    },
  ];
}

/**
 * Loads the data, splits it (seeded), trains every version and describes what the registry gets. Flights: 30 %
 * to train, 10 % to validate, 60 % to serve. Weather: 2012 trains the older v1; 40 % of the days of 2012–2015
 * train v2, 10 % validate, 50 % are served; the served winter days are the turned season; the days with the most
 * rain carry the record storm.
 */
export function planDemo(rng: Rng, dataDir?: string): DemoPlan {
  const flights = shuffle(
    loadFlights(dataDir).filter((f) => f.date >= '2001-01-08'),
    rng,
  );
  const nTrain = Math.round(flights.length * 0.3);
  const nValid = Math.round(flights.length * 0.1);
  const trainFlights = flights.slice(0, nTrain);
  const validFlights = flights.slice(nTrain, nTrain + nValid);
  const serveFlights = flights.slice(nTrain + nValid);
  const fd1 = trainDelayClassifier(trainFlights);
  const fd2 = trainDelayClassifier([...trainFlights, ...validFlights.slice(0, nValid / 2)]);
  const fd3 = trainOverfitClassifier(trainFlights);
  const classifierMetrics = (a: typeof fd1, rows: readonly Flight[]) => {
    const s = scoreClassifier(a, rows);
    return {
      accuracy: round(s.accuracy),
      precision: round(s.precision),
      recall: round(s.recall),
      f1: round(s.f1),
    };
  };

  const days = loadWeather(dataDir);
  const mixed = shuffle(days, rng);
  const trainDays = mixed.slice(0, Math.round(days.length * 0.4));
  const validDays = mixed.slice(trainDays.length, Math.round(days.length * 0.5));
  const served = mixed.slice(trainDays.length + validDays.length);
  const year2012 = days.filter((d) => d.date < '2013');
  const dh1 = trainHighRegressor(year2012);
  const dh2 = trainHighRegressor(trainDays);
  const winter = served.filter((d) => ['12', '01', '02'].includes(d.date.slice(5, 7)));
  const extreme = [...days]
    .sort((a, b) => b.precipitation - a.precipitation || (a.date < b.date ? -1 : 1))
    .slice(0, 60);
  const regressorMetrics = (a: typeof dh1, rows: readonly WeatherDay[]) => {
    const s = scoreRegressor(a, rows);
    return { mae: round(s.mae), rmse: round(s.rmse) };
  };

  const recommender = new OnlineRecommender(rng);
  const interactions = recommender
    .likedPairs()
    .map((p) => ({ segment: `taste-${p.user % recommender.options.clusters}`, item: p.item }));

  const artifacts: DemoArtifacts = {
    'flight-delays': { v1: fd1, v2: fd2, v3: fd3 },
    'daily-high': { v1: dh1, v2: dh2 },
    'home-feed': { v1: { policy: 'explore' }, v2: { policy: 'greedy' } },
  };
  const hashes: Record<DemoModel, Record<string, string>> = {
    'flight-delays': { v1: artifactHash(fd1), v2: artifactHash(fd2), v3: artifactHash(fd3) },
    'daily-high': { v1: artifactHash(dh1), v2: artifactHash(dh2) },
    'home-feed': {
      v1: `sha256:${'0e'.repeat(32)}`,
      v2: `sha256:${'9a'.repeat(32)}`,
    },
  };
  const flightFeaturesSpec = {
    origin: 'categorical',
    dep_hour: 'numerical',
    distance: 'numerical',
    origin_congestion: 'numerical',
    dest_congestion: 'numerical',
  } as const;

  const models: ModelPlan[] = [
    {
      name: 'flight-delays',
      task: 'classification',
      description:
        'Flags flights likely to arrive more than 15 minutes late (logistic regression, US flights 2001)',
      features: { ...flightFeaturesSpec },
      target: 'delayed',
      versions: [
        {
          version: 'v1',
          description: 'logistic regression on departure hour, distance and airport congestion',
          artifactHash: hashes['flight-delays'].v1!,
          validationMetrics: classifierMetrics(fd1, validFlights),
          reference: flightReference(trainFlights, fd1),
          intended: true,
        },
        {
          version: 'v2',
          description: 'the same model retrained on more rows, served by the new feature service',
          artifactHash: hashes['flight-delays'].v2!,
          validationMetrics: classifierMetrics(fd2, validFlights.slice(nValid / 2)),
          reference: flightReference([...trainFlights, ...validFlights.slice(0, nValid / 2)], fd2),
          intended: false,
        },
        {
          version: 'v3',
          description:
            'boosted trees (300 trees of depth 8, leaves of 1 row), validated on its training rows',
          artifactHash: hashes['flight-delays'].v3!,
          validationMetrics: classifierMetrics(fd3, trainFlights.slice(0, 1500)),
          // The rows it was validated on, with the outputs it memorised: every later window falls from perfect
          // accuracy against them, which the diagnosis must tell from a changed concept.
          reference: flightReference(trainFlights.slice(0, 1500), fd3),
          intended: false,
        },
      ],
      expectations: {
        useDefaults: false,
        expectations: [
          ...baseExpectations(300),
          { kind: 'schema', id: 'schema', over: '1h' },
          {
            kind: 'threshold',
            id: 'accuracy',
            metric: 'accuracy',
            comparator: '>=',
            threshold: 0.75,
            decideOn: 'interval',
            over: '1h',
          },
          {
            kind: 'threshold',
            id: 'drifted_features',
            metric: 'drifted_feature_share',
            comparator: '<=',
            threshold: 0.2,
            over: '1h',
          },
        ],
      },
    },
    {
      name: 'daily-high',
      task: 'regression',
      description:
        "Forecasts the day's high temperature (°C) from the morning's readings (ridge regression, NOAA)",
      features: {
        location: 'categorical',
        temp_min: 'numerical',
        precipitation: 'numerical',
        wind: 'numerical',
      },
      target: 'temp_max',
      versions: [
        {
          version: 'v1',
          description: 'ridge regression trained on 2012',
          artifactHash: hashes['daily-high'].v1!,
          validationMetrics: regressorMetrics(dh1, validDays),
          reference: weatherReference(year2012, dh1),
          intended: false,
        },
        {
          version: 'v2',
          description: 'ridge regression trained on 40 % of the days of 2012–2015',
          artifactHash: hashes['daily-high'].v2!,
          validationMetrics: regressorMetrics(dh2, validDays),
          reference: weatherReference(trainDays, dh2),
          intended: true,
        },
      ],
      expectations: {
        useDefaults: false,
        expectations: [
          ...baseExpectations(150),
          { kind: 'schema', id: 'schema', over: '1h' },
          { kind: 'threshold', id: 'mae', metric: 'mae', comparator: '<=', threshold: 3.5, over: '1h' },
          {
            kind: 'threshold',
            id: 'drifted_features',
            metric: 'drifted_feature_share',
            comparator: '<',
            threshold: 0.2,
            over: '1h',
          },
        ],
      },
    },
    {
      name: 'home-feed',
      task: 'ranking',
      description: 'Ranks 10 of 200 catalogue items for each visit (simulated users and catalogue)',
      features: { segment: 'categorical' },
      versions: [
        {
          version: 'v1',
          description: 'ε-greedy ranking on per-segment click-through rate (ε = 0.3)',
          artifactHash: hashes['home-feed'].v1!,
          validationMetrics: {},
          reference: interactions,
          intended: true,
        },
        {
          version: 'v2',
          description: 'greedy ranking on its own clicks, no exploration',
          artifactHash: hashes['home-feed'].v2!,
          validationMetrics: {},
          reference: interactions,
          intended: false,
        },
      ],
      expectations: {
        useDefaults: false,
        expectations: [
          ...baseExpectations(300),
          {
            kind: 'threshold',
            id: 'exposure_gini',
            metric: 'exposure_gini',
            comparator: '<',
            threshold: 0.5,
            over: '1h',
          },
        ],
      },
    },
  ];
  return {
    recommender,
    artifacts,
    hashes,
    pools: { flights: serveFlights, days: served, winterDays: winter, extremeDays: extreme },
    models,
  };
}

/** Calls the collector's HTTP API with `token`; throws with the answer's error when it is not 2xx. */
export async function api(
  base: string,
  token: string,
  method: string,
  path: string,
  body?: unknown,
  contentType = 'application/json',
): Promise<unknown> {
  const res = await fetch(`${base}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${token}`,
      ...(body === undefined ? {} : { 'content-type': contentType }),
    },
    ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
  });
  const text = await res.text();
  if (res.status >= 300) throw new Error(`${method} ${path} answered ${res.status}: ${text.slice(0, 500)}`);
  return text.length > 0 ? JSON.parse(text) : null;
}

/** Registers models, versions, references and expectations through the HTTP API. */
export async function registerPlan(base: string, adminToken: string, plan: DemoPlan): Promise<void> {
  for (const m of plan.models) {
    await api(base, adminToken, 'POST', '/v1/models', {
      name: m.name,
      description: m.description,
      task: m.task,
      windowMs: WINDOW_MS,
      bucketMs: BUCKET_MS,
      allowedLatenessMs: ALLOWED_LATENESS_MS,
    });
    for (const v of m.versions) {
      await api(base, adminToken, 'POST', `/v1/models/${m.name}/versions`, {
        version: v.version,
        artifactHash: v.artifactHash,
        description: v.description,
        validationMetrics: v.validationMetrics,
        fingerprint: validatedFingerprint(m.name),
        schema: { features: m.features, ...(m.target === undefined ? {} : { target: m.target }) },
        intended: v.intended,
      });
      if (v.reference.length > 0)
        await api(
          base,
          adminToken,
          'PUT',
          `/v1/models/${m.name}/versions/${v.version}/reference`,
          `${v.reference.map((r) => JSON.stringify(r)).join('\n')}\n`,
          'application/x-ndjson',
        );
    }
    await api(base, adminToken, 'PUT', `/v1/models/${m.name}/expectations`, m.expectations);
  }
}
