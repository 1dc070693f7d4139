/**
 * @module
 * Scripted serving streams for the analyser's tests and benchmark: a real collector (`startTestCollector`) fed,
 * through its HTTP API, with hourly windows of predictions, labels, heartbeats and events built from the January
 * 2001 flights of `data/flights/jan.csv` (data/flights/README.md names source and licence), and with any cause
 * injected into chosen windows.
 *
 * The flights are shuffled with a seed and split: the first `referenceRows` become the version's reference
 * (features, the `delayed` target, and the model's outputs as `class` and `probability.1`); serving windows draw
 * from the rest. A clean window is a random draw, so every window is a fair sample of the same month (the same
 * split measures false alarms).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { SimulationResult } from '../../core/feedback/simulate.js';
import { type Rng, seededRng } from '../../core/rng.js';
import type { TestCollector } from '../testing.js';

export const HOUR = 3_600_000;

export interface Flight {
  distance: number;
  origin: string;
  destination: string;
  hour: number;
  delay: number;
  delayed: number;
  predicted: number;
  proba: number;
  predictedDelay: number;
}

/** The January flights of `data/flights/jan.csv`. */
export function loadFlights(): Flight[] {
  const text = readFileSync(
    join(import.meta.dirname, '..', '..', '..', 'data', 'flights', 'jan.csv'),
    'utf8',
  );
  const [header, ...lines] = text.trim().split('\n');
  const cols = header!.split(',');
  const at = (name: string) => cols.indexOf(name);
  const i = {
    date: at('date'),
    distance: at('distance'),
    origin: at('origin'),
    destination: at('destination'),
    delay: at('delay'),
    delayed: at('delayed'),
    predicted: at('predicted'),
    proba: at('delay_proba'),
    predictedDelay: at('predicted_delay'),
  };
  return lines.map((line) => {
    const f = line.split(',');
    return {
      distance: Number(f[i.distance]),
      origin: f[i.origin]!,
      destination: f[i.destination]!,
      hour: Number(f[i.date]!.slice(11, 13)),
      delay: Number(f[i.delay]),
      delayed: Number(f[i.delayed]),
      predicted: Number(f[i.predicted]),
      proba: Number(f[i.proba]),
      predictedDelay: Number(f[i.predictedDelay]),
    };
  });
}

/** A seeded shuffle (Fisher–Yates) of a copy. */
export function shuffle<T>(xs: readonly T[], rng: Rng): T[] {
  const out = [...xs];
  for (let i = out.length - 1; i > 0; i--) {
    const j = rng.nextInt(i + 1);
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

/** The reference CSV of a classifier version: features, target, and the model's outputs. */
export function referenceCsv(rows: readonly Flight[], extra: { id?: boolean } = {}): string {
  const head = ['distance', 'origin', 'destination', 'hour', 'delayed', 'class', 'probability.1'];
  if (extra.id) head.unshift('flight_id');
  const lines = rows.map((r, k) => {
    const cells = [r.distance, r.origin, r.destination, r.hour, r.delayed, r.predicted, r.proba];
    return (extra.id ? [`F${k}`, ...cells] : cells).join(',');
  });
  return `${head.join(',')}\n${lines.join('\n')}\n`;
}

/** The reference CSV of a regressor version predicting the arrival delay: features, `delay`, and `value`. */
export function regressionReferenceCsv(rows: readonly Flight[]): string {
  const head = ['distance', 'origin', 'destination', 'hour', 'delay', 'value'];
  const lines = rows.map((r) =>
    [r.distance, r.origin, r.destination, r.hour, r.delay, r.predictedDelay].join(','),
  );
  return `${head.join(',')}\n${lines.join('\n')}\n`;
}

export const FLIGHT_SCHEMA = {
  features: { distance: 'numerical', origin: 'categorical', destination: 'categorical', hour: 'numerical' },
  target: 'delayed',
} as const;

export interface ModelSetup {
  model: string;
  version?: string;
  artifactHash?: string;
  reference: readonly Flight[] | null;
  validationMetrics?: Record<string, number>;
  intended?: boolean;
  schema?: unknown;
  fingerprint?: Record<string, unknown>;
  /** The reference carries a `flight_id` column (F0, F1, …). */
  idColumn?: boolean;
  /** A regressor of the arrival delay (`value`, target `delay`) instead of the delay classifier. */
  task?: 'classification' | 'regression';
}

async function ok(res: { statusCode: number; body: string }, what: string): Promise<void> {
  if (res.statusCode !== 200 && res.statusCode !== 201)
    throw new Error(`${what}: ${res.statusCode} ${res.body}`);
}

/** Registers the model and a version, and uploads its reference. */
export async function setupModel(c: TestCollector, s: ModelSetup): Promise<void> {
  await ok(
    await c.call({
      method: 'POST',
      url: '/v1/models',
      payload: { name: s.model, task: s.task ?? 'classification', windowMs: HOUR },
    }),
    'model',
  );
  await ok(
    await c.call({
      method: 'POST',
      url: `/v1/models/${s.model}/versions`,
      payload: {
        version: s.version ?? 'v1',
        artifactHash: s.artifactHash ?? `sha-${s.version ?? 'v1'}`,
        intended: s.intended ?? true,
        schema: s.schema ?? (s.task === 'regression' ? { ...FLIGHT_SCHEMA, target: 'delay' } : FLIGHT_SCHEMA),
        ...(s.validationMetrics ? { validationMetrics: s.validationMetrics } : {}),
        ...(s.fingerprint ? { fingerprint: s.fingerprint } : {}),
      },
    }),
    'version',
  );
  if (s.reference)
    await ok(
      await c.call({
        method: 'PUT',
        url: `/v1/models/${s.model}/versions/${s.version ?? 'v1'}/reference`,
        headers: { 'content-type': 'text/csv' },
        payload:
          s.task === 'regression'
            ? regressionReferenceCsv(s.reference)
            : referenceCsv(s.reference, { id: s.idColumn ?? false }),
      }),
      'reference',
    );
}

export interface WindowSpec {
  model: string;
  startMs: number;
  rows: readonly Flight[];
  version?: string;
  artifactHash?: string;
  instances?: readonly string[];
  /** Features sent for a row (default: distance, origin, destination, hour). */
  features?: (r: Flight, i: number) => Record<string, number | string | boolean | null>;
  /** The label sent for a row (default: `delayed`); null sends none. */
  label?: (r: Flight, i: number) => number | string | null;
  /** Latency of a request (default: 20–40 ms). */
  latencyMs?: (i: number, instance: string, rng: Rng) => number;
  status?: (i: number, instance: string) => { status: 'ok' | 'error' | 'timeout'; errorKind?: string };
  /** Heartbeats every `heartbeatMs` from each instance (default every 60 s); null sends none. */
  heartbeatMs?: number | null;
  /** Instances that send no heartbeat after this time. */
  silentFrom?: Record<string, number>;
  heartbeat?: (instance: string, t: number) => Record<string, unknown>;
  /** Ids prefix (default: model + window start). */
  idPrefix?: string;
  output?: (r: Flight) => Record<string, unknown>;
  seed?: number;
}

async function postBatches(c: TestCollector, url: string, events: unknown[]): Promise<void> {
  for (let i = 0; i < events.length; i += 5000)
    await ok(
      await c.call({
        method: 'POST',
        url,
        role: 'ingest',
        headers: { 'content-type': 'application/json' },
        payload: JSON.stringify(events.slice(i, i + 5000)),
      }),
      url,
    );
}

const defaultFeatures = (r: Flight) => ({
  distance: r.distance,
  origin: r.origin,
  destination: r.destination,
  hour: r.hour,
});

/** Sends one window: predictions spread over the hour, their labels (10 minutes after the window), heartbeats. */
export async function sendWindow(c: TestCollector, w: WindowSpec): Promise<void> {
  const rng = seededRng(w.seed ?? w.startMs % 100_003);
  const instances = w.instances ?? ['pod-1', 'pod-2'];
  const prefix = w.idPrefix ?? `${w.model}-${w.startMs}`;
  const n = w.rows.length;
  const predictions = w.rows.map((r, i) => {
    const instance = instances[i % instances.length]!;
    const status = w.status?.(i, instance) ?? { status: 'ok' as const };
    return {
      id: `${prefix}-${i}`,
      timestamp: w.startMs + Math.floor(((i + 0.5) * HOUR) / n),
      version: w.version ?? 'v1',
      artifactHash: w.artifactHash ?? `sha-${w.version ?? 'v1'}`,
      instance,
      features: (w.features ?? defaultFeatures)(r, i),
      output: w.output
        ? w.output(r)
        : { class: r.predicted, probabilities: { '1': r.proba, '0': 1 - r.proba } },
      latencyMs: w.latencyMs ? w.latencyMs(i, instance, rng) : 20 + 20 * rng.next(),
      ...status,
    };
  });
  await postBatches(c, `/v1/models/${w.model}/predictions`, predictions);
  const labels = w.rows.flatMap((r, i) => {
    const value = w.label ? w.label(r, i) : r.delayed;
    return value === null
      ? []
      : [{ predictionId: `${prefix}-${i}`, value, timestamp: w.startMs + HOUR + 600_000 }];
  });
  if (labels.length > 0) await postBatches(c, `/v1/models/${w.model}/labels`, labels);
  const every = w.heartbeatMs === undefined ? 60_000 : w.heartbeatMs;
  if (every !== null) {
    const beats: unknown[] = [];
    for (const instance of instances)
      for (let t = w.startMs; t < w.startMs + HOUR; t += every) {
        if (w.silentFrom?.[instance] !== undefined && t >= w.silentFrom[instance]!) continue;
        beats.push({
          id: `${prefix}-hb-${instance}-${t}`,
          instance,
          model: w.model,
          version: w.version ?? 'v1',
          artifactHash: w.artifactHash ?? `sha-${w.version ?? 'v1'}`,
          timestamp: t,
          intervalMs: every,
          host: { cpuPercent: 30 + 5 * rng.next(), memoryPercent: 40 + 5 * rng.next(), processStartMs: 0 },
          ...(w.heartbeat ? w.heartbeat(instance, t) : {}),
        });
      }
    await postBatches(c, '/v1/heartbeats', beats);
  }
}

/** Sends free-form events (deploys, crashes, probe results). */
export async function sendEvents(
  c: TestCollector,
  events: readonly Record<string, unknown>[],
): Promise<void> {
  await postBatches(c, '/v1/events', [...events]);
}

/**
 * Sends a simulated recommender (`core/feedback/simulate.ts`) as a model: the training popularity as the
 * reference (one `item` row per interaction), then one window per simulated window — one prediction per user
 * with the ranked list as `output.items` and the item the user wanted as its label — and click feedback at
 * the simulated positions.
 */
export async function sendRecommender(
  c: TestCollector,
  model: string,
  sim: SimulationResult,
  t0: number,
  options: { version?: string } = {},
): Promise<void> {
  const version = options.version ?? 'v1';
  await ok(
    await c.call({
      method: 'POST',
      url: '/v1/models',
      payload: { name: model, task: 'ranking', windowMs: HOUR },
    }),
    'model',
  );
  await ok(
    await c.call({
      method: 'POST',
      url: `/v1/models/${model}/versions`,
      payload: { version, artifactHash: `sha-${version}`, intended: true },
    }),
    'version',
  );
  const interactions = Object.entries(sim.trainingPopularity).flatMap(([item, n]) =>
    Array.from({ length: n }, () => item),
  );
  await ok(
    await c.call({
      method: 'PUT',
      url: `/v1/models/${model}/versions/${version}/reference`,
      headers: { 'content-type': 'application/x-ndjson' },
      payload: interactions.map((item) => JSON.stringify({ item })).join('\n'),
    }),
    'reference',
  );
  for (const w of sim.windows) {
    const start = t0 + w.index * HOUR;
    const n = w.lists.length;
    const prefix = `${model}-${start}`;
    const predictions = w.lists.map((list, u) => ({
      id: `${prefix}-${u}`,
      timestamp: start + Math.floor(((u + 0.5) * HOUR) / n),
      version,
      artifactHash: `sha-${version}`,
      instance: 'pod-1',
      features: { user: `u${u}` },
      output: { items: list },
      latencyMs: 15,
    }));
    await postBatches(c, `/v1/models/${model}/predictions`, predictions);
    const labels = w.cases.map((k, u) => ({
      predictionId: `${prefix}-${u}`,
      value: k.target,
      timestamp: start + HOUR,
    }));
    await postBatches(c, `/v1/models/${model}/labels`, labels);
    const rng = seededRng(start % 10_007);
    const clicks: unknown[] = [];
    w.clicksByPosition.forEach((count, pos) => {
      for (let j = 0; j < count; j++) {
        const u = rng.nextInt(n);
        clicks.push({
          id: `${prefix}-click-${pos}-${j}`,
          predictionId: `${prefix}-${u}`,
          item: w.lists[u]![pos] ?? w.lists[u]![0]!,
          position: pos,
          action: 'clicked',
          timestamp: start + Math.floor(((u + 0.5) * HOUR) / n) + 1000,
        });
      }
    });
    if (clicks.length > 0) await postBatches(c, `/v1/models/${model}/feedback`, clicks);
  }
}
