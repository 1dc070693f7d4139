/**
 * Two collectors sharing one store (two connections to one SQLite file, as two processes would hold): each
 * window is evaluated, and each incident change reported, once; a model another process is evaluating is
 * left to it (the scheduler) or waited for (an API call), and a person's action waits for a run to finish.
 */
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { SqliteStore } from '../../store/sqlite/sqlite-store.js';
import { openSqliteStore } from '../../store/sqlite/sqlite-store.js';
import { TEST_T0 } from '../testing.js';
import { modelLeaseName } from './pipeline.js';
import { createEngine, type Engine } from './pipeline-engine.js';
import {
  type EngineCollector,
  FixedWindowAnalyzer,
  latencyScript,
  send,
  setUpChurn,
  W,
} from './pipeline-testing.js';

let cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const f of cleanup.reverse()) await f();
  cleanup = [];
});

/** A second "process": its own connection to the first collector's database file and its own engine. */
async function secondEngine(
  c: EngineCollector,
  leaseWaitMs?: number,
): Promise<{ engine: Engine; store: SqliteStore; analyzer: FixedWindowAnalyzer }> {
  const store = await openSqliteStore(join(c.dir, 'faultline.db'), { synchronous: 'normal' });
  const analyzer = new FixedWindowAnalyzer(latencyScript);
  const engine = createEngine({
    store,
    analyzer,
    clock: c.clock,
    intervalMs: 0,
    log: () => undefined,
    print: () => undefined,
    publicProject: 'acme',
    ...(leaseWaitMs === undefined ? {} : { leaseWaitMs }),
  });
  cleanup.push(async () => {
    await engine.close();
    await store.close();
  });
  return { engine, store, analyzer };
}

async function churn(leaseWaitMs?: number): Promise<EngineCollector & { analyzer: FixedWindowAnalyzer }> {
  const analyzer = new FixedWindowAnalyzer(latencyScript);
  const c = await setUpChurn({ analyzer, ...(leaseWaitMs === undefined ? {} : { leaseWaitMs }) });
  cleanup.push(() => c.close());
  return Object.assign(c, { analyzer });
}

describe('collectors sharing one store', () => {
  it('evaluate each window once and report each incident change once when both run at the same moment', async () => {
    const c = await churn();
    const other = await secondEngine(c);
    const changes: string[] = [];
    for (const e of [c.engine, other.engine])
      e.onIncident((_p, change) => {
        changes.push(`${change.kind}:${change.incident.expectationId}`);
      });
    await send(c, 0, 90);
    const [a, b] = await Promise.all([
      c.engine.pipeline.runModel('acme', 'churn'),
      other.engine.pipeline.runModel('acme', 'churn'),
    ]);
    // One of them evaluated every window; the other waited for it and found nothing left.
    const counts = [a.windows.length, b.windows.length].sort((x, y) => x - y);
    expect(counts[0]).toBe(0);
    expect(counts[1]).toBeGreaterThan(10);
    expect(c.analyzer.calls.length + other.analyzer.calls.length).toBe(counts[1]);
    expect(changes).toEqual(['opened:latency_p99', 'resolved:latency_p99']);
    const incidents = (await c.call({ method: 'GET', url: '/v1/incidents', role: 'read' })).json().incidents;
    expect(incidents).toHaveLength(1);
    // Evaluating again, from either, finds nothing left.
    for (const e of [c.engine, other.engine])
      expect((await e.pipeline.runModel('acme', 'churn')).windows).toEqual([]);
  });

  it('share the models between their schedulers, each window evaluated by one of them', async () => {
    const c = await churn();
    const other = await secondEngine(c);
    const r = await c.call({
      method: 'POST',
      url: '/v1/models',
      payload: { name: 'price', allowedLatenessMs: 0, windowMs: 3_600_000, bucketMs: W },
    });
    expect(r.statusCode).toBe(201);
    await send(c, 0, 90);
    const prices = Array.from({ length: 90 }, (_, m) => ({
      id: `q${m}`,
      timestamp: TEST_T0 + m * 60_000 + 1000,
      version: 'r1',
      features: { sqft: 300 + m },
      latencyMs: 20,
    }));
    const sent = await c.call({ method: 'POST', url: '/v1/models/price/predictions', payload: prices });
    expect(sent.json().accepted).toBe(90);
    const changes: string[] = [];
    for (const e of [c.engine, other.engine])
      e.onIncident((_p, change) => {
        changes.push(`${change.incident.model}:${change.kind}`);
      });
    const [a, b] = await Promise.all([c.engine.scheduler.tick(), other.engine.scheduler.tick()]);
    // Each model was evaluated by exactly one scheduler, whole; the other left it (or found nothing left).
    for (const model of ['churn', 'price']) {
      const by = [a, b].map((runs) => runs.find((x) => x.model === model)?.windows.length ?? 0);
      expect(
        by.filter((n) => n > 0),
        model,
      ).toHaveLength(1);
    }
    const total = [...a, ...b].reduce((n, x) => n + x.windows.length, 0);
    expect(c.analyzer.calls.length + other.analyzer.calls.length).toBe(total);
    expect(changes.sort()).toEqual(['churn:opened', 'churn:resolved', 'price:opened', 'price:resolved']);
    // Looked at again, both find nothing due.
    expect([...(await c.engine.scheduler.tick()), ...(await other.engine.scheduler.tick())]).toEqual([]);
  });

  it('leaves a model someone else is evaluating to them, or waits, then says the model is busy', async () => {
    const c = await churn(150);
    await send(c, 0, 30);
    const other = await secondEngine(c, 150);
    const held = await c.store.tryAcquireLease(modelLeaseName('acme', 'churn'), 'collector-b', 60_000);
    expect(held.acquired).toBe(true);

    // The scheduler does not wait: it looks again next time.
    const skipped = await other.engine.pipeline.runModel('acme', 'churn', { wait: false });
    expect(skipped).toMatchObject({ heldBy: 'collector-b', windows: [] });
    expect(await other.engine.scheduler.tick()).toEqual([]);
    expect(other.analyzer.calls).toEqual([]);
    // An explicit evaluation waits, then answers 503 naming who holds the model.
    await expect(other.engine.pipeline.runModel('acme', 'churn')).rejects.toMatchObject({
      code: 'engine.busy',
    });
    const busy = await c.call({
      method: 'POST',
      url: '/v1/evaluate',
      payload: { model: 'churn' },
      role: 'ingest',
    });
    expect(busy.statusCode).toBe(503);
    expect(busy.json().error).toMatchObject({ code: 'engine.busy' });
    expect(busy.json().error.message).toContain('collector-b');

    expect(await c.store.releaseLease(modelLeaseName('acme', 'churn'), 'collector-b')).toBe(true);
    const run = await other.engine.pipeline.runModel('acme', 'churn', { wait: false });
    expect(run.heldBy).toBeNull();
    expect(run.windows.length).toBeGreaterThan(0);
    // The lease is given back after the run: the first collector can take it at once.
    const next = await c.store.tryAcquireLease(modelLeaseName('acme', 'churn'), 'collector-c', 1000);
    expect(next.acquired).toBe(true);
  });

  it('makes an acknowledgement wait for a run in progress instead of being overwritten by it', async () => {
    const c = await churn();
    await send(c, 0, 45); // the latency incident is open (bad from minute 30)
    await c.engine.pipeline.runModel('acme', 'churn');
    const [inc] = (await c.call({ method: 'GET', url: '/v1/incidents', role: 'read' })).json().incidents;
    expect(inc.status).toBe('open');
    const other = await secondEngine(c, 150);
    const held = await c.store.tryAcquireLease(modelLeaseName('acme', 'churn'), 'collector-b', 60_000);
    expect(held.acquired).toBe(true);
    await expect(other.engine.pipeline.acknowledge('acme', inc.id, { by: 'ana' })).rejects.toMatchObject({
      code: 'engine.busy',
    });
    await c.store.releaseLease(modelLeaseName('acme', 'churn'), 'collector-b');
    const acked = await other.engine.pipeline.acknowledge('acme', inc.id, { by: 'ana' });
    expect(acked.status).toBe('acknowledged');
    // A later run by the first collector keeps the acknowledgement.
    await send(c, 45, 48);
    await c.engine.pipeline.runModel('acme', 'churn');
    expect((await c.store.getIncident('acme', inc.id))?.status).toBe('acknowledged');
  });
});
