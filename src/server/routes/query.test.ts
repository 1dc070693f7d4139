import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { decodeProfile } from '../../core/profile/profile-codec.js';
import { seededRng } from '../../core/rng.js';
import { decodeWindow } from '../../store/window-state.js';
import type { TestCollector } from '../testing.js';
import { startTestCollector, TEST_T0 } from '../testing.js';

let c: TestCollector;
beforeEach(async () => {
  c = await startTestCollector();
});
afterEach(async () => {
  await c.close();
});

const HOUR = 3_600_000;
const H0 = Math.floor(TEST_T0 / HOUR) * HOUR - 3 * HOUR; // three hours before the clock

async function send(events: object[]) {
  const res = await c.call({
    method: 'POST',
    url: '/v1/models/churn/predictions',
    role: 'ingest',
    payload: events,
  });
  expect(res.statusCode).toBe(200);
  return res.json();
}

const pred = (i: number, ts: number, extra: object = {}) => ({
  id: `p${i}`,
  version: 'v1',
  timestamp: ts,
  features: { age: 20 + (i % 50), plan: i % 2 ? 'pro' : 'free' },
  output: { class: i % 3 ? 'stay' : 'churn' },
  latencyMs: i % 100,
  instance: `pod-${i % 2}`,
  ...extra,
});

describe('GET /v1/models/:model/windows', () => {
  beforeEach(async () => {
    await c.call({
      method: 'POST',
      url: '/v1/models',
      payload: { name: 'churn', windowMs: HOUR, bucketMs: 300_000, allowedLatenessMs: 600_000 },
    });
  });

  it('rolls 5-minute buckets up into the hour, by event time, and marks closed windows', async () => {
    // 120 predictions over two hours (one per minute), sent newest first to show arrival order does not matter.
    await send(Array.from({ length: 120 }, (_, i) => pred(i, H0 + i * 60_000)).reverse());
    const res = await c.call({ method: 'GET', url: '/v1/models/churn/windows', role: 'read' });
    const body = res.json();
    expect(body).toMatchObject({
      model: 'churn',
      windowMs: HOUR,
      watermark: new Date(H0 + 119 * 60_000 - 600_000).toISOString(),
    });
    expect(
      body.windows.map((w: { start: string; buckets: number; predictions: number; closed: boolean }) => [
        w.start,
        w.buckets,
        w.predictions,
        w.closed,
      ]),
    ).toEqual([
      [new Date(H0).toISOString(), 12, 60, true],
      [new Date(H0 + HOUR).toISOString(), 12, 60, false],
    ]);
    const w = body.windows[0];
    expect(w.latencyMs).toMatchObject({ count: 60, min: 0, max: 59 });
    expect(w.latencyMs.p50).toBeGreaterThanOrEqual(28);
    expect(w.latencyMs.p50).toBeLessThanOrEqual(31);
    expect(w.instances).toEqual({
      'pod-0': { predictions: 30, errors: 0, timeouts: 0 },
      'pod-1': { predictions: 30, errors: 0, timeouts: 0 },
    });
    const fine = await c.call({
      method: 'GET',
      url: `/v1/models/churn/windows?windowMs=300000&from=${H0 + HOUR}`,
      role: 'read',
    });
    expect(fine.json().windows).toHaveLength(12);
    expect(fine.json().windows[0]).toMatchObject({ buckets: 1, predictions: 5, windowMs: 300_000 });
  });

  it('reads long ranges a chunk at a time and still merges every bucket once', async () => {
    // 400 five-minute buckets (33 h 20 min) for two versions: far more than one read of 64 buckets.
    const events = [];
    for (let b = 0; b < 400; b++)
      for (const version of ['v1', 'v2'])
        events.push(pred(events.length, H0 - 30 * HOUR + b * 300_000, { version }));
    for (let i = 0; i < events.length; i += 400) await send(events.slice(i, i + 400));
    const get = async (q: string) =>
      (await c.call({ method: 'GET', url: `/v1/models/churn/windows?${q}`, role: 'read' })).json()
        .windows as {
        start: string;
        version: string;
        buckets: number;
        predictions: number;
      }[];
    const hourly = await get('limit=1000');
    expect(hourly.reduce((n, w) => n + w.predictions, 0)).toBe(800);
    expect(hourly).toHaveLength(2 * 34);
    expect(new Set(hourly.map((w) => `${w.start}/${w.version}`)).size).toBe(hourly.length);
    const fine = await get('windowMs=300000&limit=10000');
    expect(fine).toHaveLength(800);
    const daily = await get('windowMs=86400000');
    expect(daily.reduce((n, w) => n + w.predictions, 0)).toBe(800);
    expect(daily.every((w) => w.buckets <= 288)).toBe(true);
    const firstThree = await get('limit=3');
    expect(firstThree.map((w) => w.start)).toEqual(hourly.slice(0, 3).map((w) => w.start));
  });

  it('refuses a window size that is not a multiple of the bucket size', async () => {
    const res = await c.call({
      method: 'GET',
      url: '/v1/models/churn/windows?windowMs=400000',
      role: 'read',
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().error).toMatchObject({
      code: 'query.window_ms_invalid',
      issues: [{ field: 'windowMs' }],
    });
  });

  it('adds profiles, the sample and mergeable blobs on request', async () => {
    await send(Array.from({ length: 30 }, (_, i) => pred(i, H0 + i * 1000)));
    await c.call({
      method: 'POST',
      url: '/v1/models/churn/labels',
      role: 'ingest',
      payload: [{ predictionId: 'p0', value: 'churn', timestamp: H0 + 3_600_000 }],
    });
    const res = await c.call({
      method: 'GET',
      url: '/v1/models/churn/windows?include=profiles,sample,blobs',
      role: 'read',
    });
    const [w] = res.json().windows;
    expect(w.labels).toMatchObject({
      count: 1,
      classification: { correct: 1, total: 1, accuracy: 1 },
      timeToLabelMs: { p50: 3_600_000 },
    });
    const age = w.profiles.features.find((col: { name: string }) => col.name === 'age');
    expect(age).toMatchObject({ count: 30, missing: 0, numbers: { min: 20, max: 49 } });
    expect(w.profiles.outputs.map((col: { name: string }) => col.name)).toEqual(['class']);
    expect(w.profiles.labels[0]).toMatchObject({ name: 'label', count: 1 });
    expect(w.sample.seen).toBe(30);
    expect(w.sample.rows.find((r: { id: string }) => r.id === 'p0')).toMatchObject({
      label: 'churn',
      instance: 'pod-0',
    });
    const features = decodeProfile(Buffer.from(w.blobs.features, 'base64'));
    expect(features.rowCount).toBe(30);
    const window = decodeWindow(Buffer.from(w.blobs.window, 'base64'), seededRng(1));
    expect(window.predictions).toBe(30);
  });

  it('filters by version and answers 404 for an unknown model', async () => {
    await send([pred(1, H0), pred(2, H0, { version: 'v2' })]);
    const v2 = await c.call({ method: 'GET', url: '/v1/models/churn/windows?version=v2', role: 'read' });
    expect(v2.json().windows.map((w: { version: string }) => w.version)).toEqual(['v2']);
    const none = await c.call({ method: 'GET', url: '/v1/models/nope/windows', role: 'read' });
    expect(none.statusCode).toBe(404);
  });

  it('rejects an unknown include part naming the valid ones', async () => {
    const res = await c.call({ method: 'GET', url: '/v1/models/churn/windows?include=charts', role: 'read' });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.issues[0]).toMatchObject({
      field: 'include',
      reason: expect.stringContaining('profiles, sample, blobs'),
    });
  });
});

describe('predictions, events, heartbeats', () => {
  it('pages predictions by time and filters by instance', async () => {
    await send(Array.from({ length: 10 }, (_, i) => pred(i, H0 + i * 1000)));
    const page = await c.call({
      method: 'GET',
      url: `/v1/models/churn/predictions?from=${new Date(H0 + 2000).toISOString()}&to=${H0 + 6000}&instance=pod-0&limit=2`,
      role: 'read',
    });
    expect(page.json().predictions.map((p: { id: string }) => p.id)).toEqual(['p4', 'p2']);
    const bad = await c.call({ method: 'GET', url: '/v1/models/churn/predictions?limit=0', role: 'read' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.issues[0].field).toBe('limit');
    const missing = await c.call({ method: 'GET', url: '/v1/models/churn/predictions/zzz', role: 'read' });
    expect(missing.statusCode).toBe(404);
    expect(missing.json().error.code).toBe('query.prediction_not_found');
  });
});
