/**
 * End to end, with the real analyser and the default expectations: a whole service goes down at once — no
 * prediction, no heartbeat, nothing more reaches the collector. The watermark stops with the traffic; the
 * scheduler closes the windows of the silence on the wall clock, and the heartbeat expectation opens an
 * incident whose top cause is downtime.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { TEST_T0 } from '../testing.js';
import { createWindowAnalyzer } from './analyzer.js';
import { type EngineCollector, startEngineCollector } from './pipeline-testing.js';

const MIN = 60_000;
const T = Math.floor(TEST_T0 / 3_600_000) * 3_600_000;

let open: EngineCollector[] = [];
afterEach(async () => {
  await Promise.all(open.map((c) => c.close()));
  open = [];
});

/** Twenty minutes of a healthy two-instance service, sent as it happens (the clock follows). */
async function healthyTwentyMinutes(c: EngineCollector): Promise<void> {
  for (let s = 0; s < 20 * 60; s += 30) {
    const t = T + s * 1000;
    c.clock.set(t + 1000);
    const beats = ['pod-a', 'pod-b'].map((instance) => ({
      instance,
      model: 'svc',
      version: 'v1',
      timestamp: t,
      checks: [{ name: 'read_model', ok: true }],
    }));
    expect(
      (await c.call({ method: 'POST', url: '/v1/heartbeats', payload: beats, role: 'ingest' })).statusCode,
    ).toBe(200);
    const preds = Array.from({ length: 10 }, (_, i) => ({
      id: `p${s}-${i}`,
      timestamp: t + i * 100,
      version: 'v1',
      instance: i % 2 === 0 ? 'pod-a' : 'pod-b',
      features: { x: (s + i) % 17 },
      latencyMs: 20 + (i % 5),
    }));
    const r = await c.call({
      method: 'POST',
      url: '/v1/models/svc/predictions',
      payload: preds,
      role: 'ingest',
    });
    expect(r.json().accepted).toBe(10);
    await c.engine.scheduler.tick();
  }
}

describe('a whole service going down', () => {
  it('opens a heartbeat incident diagnosed as downtime, though nothing arrives any more', async () => {
    const c = await startEngineCollector({ analyzer: (store) => createWindowAnalyzer({ store }) });
    open.push(c);
    c.clock.set(T);
    const r = await c.call({
      method: 'POST',
      url: '/v1/models',
      payload: { name: 'svc', windowMs: 5 * MIN, bucketMs: MIN, allowedLatenessMs: MIN },
    });
    expect(r.statusCode).toBe(201);
    await healthyTwentyMinutes(c);
    const list = async () =>
      (await c.call({ method: 'GET', url: '/v1/incidents', role: 'read' })).json().incidents;
    expect(await list()).toEqual([]);

    // Down: no request, no heartbeat. Only the wall clock moves.
    for (let m = 1; m <= 12; m++) {
      c.clock.advance(MIN);
      await c.engine.scheduler.tick();
    }
    const incidents = await list();
    const beat = incidents.find((i: { expectationId: string }) => i.expectationId === 'heartbeat');
    expect(beat, JSON.stringify(incidents)).toBeDefined();
    expect(beat.status).toBe('open');
    expect(beat.causes[0].cause).toBe('downtime');
    expect(beat.scope.instances.sort()).toEqual(['pod-a', 'pod-b']);
  });
});
