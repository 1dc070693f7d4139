/**
 * A scripted, seeded traffic scenario for scale tests and the scale bench: two models over three hours of
 * event time, with back-filled batches, batches re-sent (as an SDK retry through another collector does),
 * a batch holding the same id twice, labels that arrive before their predictions, heartbeats, events and,
 * in a second phase, feedback on stored predictions. Things go wrong in it, so that detection has work: a
 * release (v2) whose traffic differs from its training data (older, from three cities of eight), failed requests, a failed
 * self-check, a dependency change, a crash and an instance going silent.
 *
 * Models allow four hours of lateness, more than the scenario spans: no window closes while it is being
 * sent, whatever the order; windows are evaluated once everything is stored (`POST /v1/evaluate` with
 * `until: SCENARIO_END`), so every engine sees the same events when it evaluates.
 *
 * Every batch is an HTTP request body. Order inside a phase must not matter to the final windows; the
 * second phase refers to predictions of the first, so it is sent once the first is stored.
 */
import type { Rng } from '../../src/core/rng.js';
import { seededRng } from '../../src/core/rng.js';

export const SCENARIO_T0 = Date.UTC(2025, 1, 10);
const MIN = 60_000;
/** Every window of the scenario ends by then (three hours of traffic, the last window closed). */
export const SCENARIO_END = SCENARIO_T0 + 4 * 60 * MIN;

export interface ScenarioRequest {
  path: string;
  body: Record<string, unknown>[];
}

export interface SetupRequest {
  method: 'POST' | 'PUT';
  path: string;
  /** JSON, or the text of a CSV file when `contentType` says so. */
  body: Record<string, unknown> | string;
  contentType: 'application/json' | 'text/csv';
}

export interface Scenario {
  /** Models, versions and references, sent first (they go to the store directly, not through the log). */
  setup: SetupRequest[];
  /** Phases in order; requests of one phase may be sent in any order and concurrently. */
  phases: ScenarioRequest[][];
  /** Every distinct prediction by model and id (the first copy, as the store keeps it). */
  predictions: Map<string, Map<string, Record<string, unknown> & { timestamp: number; version: string }>>;
  /** The label of each labelled prediction, by model and id (the first copy). */
  labels: Map<string, Map<string, { value: string | number; timestamp: number }>>;
}

function pick<T>(rng: Rng, xs: readonly T[]): T {
  return xs[rng.nextInt(xs.length)] as T;
}

function chunks<T>(xs: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < xs.length; i += size) out.push(xs.slice(i, i + size));
  return out;
}

function shuffle<T>(rng: Rng, xs: T[]): T[] {
  for (let i = xs.length - 1; i > 0; i--) {
    const j = rng.nextInt(i + 1);
    [xs[i], xs[j]] = [xs[j] as T, xs[i] as T];
  }
  return xs;
}

/** Builds the scenario; `scale` multiplies the number of predictions (1 → 6 000). */
export function buildScenario(seed = 7, scale = 1): Scenario {
  const rng = seededRng(seed);
  const predictions: Scenario['predictions'] = new Map([
    ['churn', new Map()],
    ['price', new Map()],
  ]);
  const labels: Scenario['labels'] = new Map([
    ['churn', new Map()],
    ['price', new Map()],
  ]);
  const cities = ['Oslo', 'Rome', 'Lima', 'Pune', 'Kyiv', 'Oulu', 'Nice', 'Bern'];

  const churn = Array.from({ length: Math.round(4000 * scale) }, (_, i) => {
    const ts = SCENARIO_T0 + Math.floor(rng.next() * 180 * MIN);
    const version = ts < SCENARIO_T0 + 90 * MIN || rng.next() < 0.3 ? 'v1' : 'v2';
    const p = Math.round(rng.next() * 1000) / 1000;
    const failed = rng.next() < 0.03;
    return {
      id: `c${i}`,
      timestamp: ts,
      version,
      artifactHash: `sha:${version}`,
      instance: pick(rng, ['pod-1', 'pod-2', 'pod-3']),
      features: {
        // v2 serves an older population, from fewer cities, than the one both versions were trained on.
        age: (version === 'v2' ? 34 : 18) + rng.nextInt(62),
        income: rng.next() < 0.1 ? null : Math.round(rng.next() * 1e5) / 10,
        city: pick(rng, version === 'v2' ? cities.slice(0, 3) : cities),
        vip: rng.next() < 0.2,
      },
      output: { class: p >= 0.5 ? 'yes' : 'no', probabilities: { yes: p } },
      latencyMs: Math.round(5 + -Math.log(1 - rng.next()) * 40 * 10) / 10,
      ...(failed ? { status: 'error', errorKind: pick(rng, ['oom', 'upstream']) } : {}),
    };
  });
  const price = Array.from({ length: Math.round(2000 * scale) }, (_, i) => ({
    id: `p${i}`,
    timestamp: SCENARIO_T0 + Math.floor(rng.next() * 180 * MIN),
    version: 'r1',
    artifactHash: 'sha:r1',
    features: { sqft: 300 + rng.nextInt(3000), rooms: 1 + rng.nextInt(6) },
    output: { value: Math.round(rng.next() * 5e5) },
    latencyMs: 2 + rng.nextInt(30),
  }));
  for (const e of churn) predictions.get('churn')?.set(e.id, e);
  for (const e of price) predictions.get('price')?.set(e.id, e);

  const labelOf = (model: string, e: { id: string; timestamp: number; output: Record<string, unknown> }) => {
    const value =
      model === 'churn'
        ? rng.next() < 0.7
          ? (e.output.class as string)
          : e.output.class === 'yes'
            ? 'no'
            : 'yes'
        : Math.round((e.output.value as number) * (0.8 + 0.4 * rng.next()));
    const l = { predictionId: e.id, value, timestamp: e.timestamp + (1 + rng.nextInt(60)) * MIN };
    labels.get(model)?.set(e.id, { value, timestamp: l.timestamp });
    return l;
  };
  const churnLabels = churn.filter(() => rng.next() < 0.6).map((e) => labelOf('churn', e));
  const priceLabels = price.filter(() => rng.next() < 0.5).map((e) => labelOf('price', e));

  // Prediction batches of 100 in event-time order of their first event, then partly shuffled: back-fills.
  const predReqs = [
    ...chunks(churn, 100).map((body) => ({ path: '/v1/models/churn/predictions', body })),
    ...chunks(price, 100).map((body) => ({ path: '/v1/models/price/predictions', body })),
  ];
  const labelReqs = [
    ...chunks(churnLabels, 150).map((body) => ({ path: '/v1/models/churn/labels', body })),
    ...chunks(priceLabels, 150).map((body) => ({ path: '/v1/models/price/labels', body })),
  ];
  // The same id twice in one batch: the first copy is kept.
  const withDup = predReqs[3] as ScenarioRequest;
  withDup.body = [...withDup.body, { ...(withDup.body[0] as Record<string, unknown>), latencyMs: 999 }];
  const resent = [
    ...[2, 9, 17, 25, 33, 41].filter((i) => i < predReqs.length).map((i) => predReqs[i] as ScenarioRequest),
    labelReqs[1] as ScenarioRequest,
  ];
  const heartbeats = chunks(
    Array.from({ length: 30 }, (_, i) => ({
      instance: `pod-${1 + (i % 3)}`,
      model: 'churn',
      version: i < 15 ? 'v1' : 'v2',
      timestamp: SCENARIO_T0 + i * 6 * MIN,
      fingerprint: { runtime: 'node 20', lockfileHash: i < 20 ? 'L1' : 'L2' },
      host: { cpuPercent: 20 + i },
      checks: [{ name: 'read_model', ok: i !== 12 }],
    })),
    10,
  ).map((body) => ({ path: '/v1/heartbeats', body }));
  const events = [
    { id: 'e1', kind: 'deploy', timestamp: SCENARIO_T0 + 90 * MIN, model: 'churn', version: 'v2' },
    { id: 'e2', kind: 'crash', timestamp: SCENARIO_T0 + 100 * MIN, instance: 'pod-2', message: 'SIGSEGV' },
    { id: 'e3', kind: 'oom', timestamp: SCENARIO_T0 + 110 * MIN, instance: 'pod-3' },
  ];
  const eventReqs = [
    { path: '/v1/events', body: events.slice(0, 2) },
    { path: '/v1/events', body: events.slice(1) },
  ];
  // A tenth of the label batches go first: their predictions are not stored yet when they arrive.
  const early = labelReqs.filter((_, i) => i % 10 === 0);
  const late = labelReqs.filter((_, i) => i % 10 !== 0);
  const phase1 = [...early, ...shuffle(rng, [...predReqs, ...late, ...resent, ...heartbeats, ...eventReqs])];

  const feedback = churn
    .filter(() => rng.next() < 0.08)
    .map((e, i) => ({
      id: `f${i}`,
      predictionId: e.id,
      item: pick(rng, ['a', 'b', 'c']),
      position: rng.nextInt(3),
      action: pick(rng, ['shown', 'shown', 'clicked']),
      timestamp: e.timestamp + rng.nextInt(30) * MIN,
    }));
  const phase2 = chunks(feedback, 100).map((body) => ({ path: '/v1/models/churn/feedback', body }));

  // The training data of both churn versions: 800 rows like v1's traffic.
  const reference = [
    'age,income,city,vip',
    ...Array.from({ length: 800 }, () =>
      [
        18 + rng.nextInt(62),
        rng.next() < 0.1 ? '' : Math.round(rng.next() * 1e5) / 10,
        pick(rng, cities),
        rng.next() < 0.2,
      ].join(','),
    ),
  ].join('\n');
  const json = (path: string, body: Record<string, unknown>): SetupRequest => ({
    method: 'POST',
    path,
    body,
    contentType: 'application/json',
  });
  const lateness = { allowedLatenessMs: 4 * 60 * MIN };
  return {
    setup: [
      json('/v1/models', {
        name: 'churn',
        task: 'classification',
        windowMs: 3_600_000,
        bucketMs: 15 * MIN,
        ...lateness,
      }),
      json('/v1/models', { name: 'price', task: 'regression', ...lateness }),
      ...['v1', 'v2'].flatMap((v) => [
        json('/v1/models/churn/versions', { version: v, artifactHash: `sha:${v}` }),
        {
          method: 'PUT' as const,
          path: `/v1/models/churn/versions/${v}/reference`,
          body: reference,
          contentType: 'text/csv' as const,
        },
      ]),
    ],
    phases: [phase1, phase2],
    predictions,
    labels,
  };
}
