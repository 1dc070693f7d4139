/**
 * The collector with an ingestion log, in process: the real app on a real PostgreSQL schema, publishing to
 * a real JetStream stream. An answer of 200 means the batch is in the stream; the registry and queries
 * still go to the store; a log that cannot take the batch gives no 200, and a full log answers 503 without
 * losing anything it acknowledged before.
 */
import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_INGEST_LIMITS } from '../core/contract/index.js';
import { backlogOf, connectLog, ensureConsumer } from '../ingest-log/jetstream.js';
import { parseIngestLogUrl } from '../ingest-log/location.js';
import { decodeBatch } from '../ingest-log/message.js';
import { IngestLogPublisher } from '../ingest-log/publisher.js';
import { NatsTestLogs, requireNats } from '../ingest-log/testing.js';
import { startWorker, storeBatch } from '../ingest-log/worker.js';
import { openPostgresStore } from '../store/postgres/postgres-store.js';
import { PgTestSchemas, requirePostgres } from '../store/postgres/testing.js';
import type { Store } from '../store/store.js';
import { buildApp } from './app.js';
import { issueToken } from './auth.js';
import { fixedClock } from './deps.js';
import { LOG_FULL_RETRY_AFTER_S } from './http-errors.js';
import { withIngestLog } from './ingest-log-sink.js';

const logs = new NatsTestLogs();
const schemas = new PgTestSchemas();
beforeAll(async () => {
  await requirePostgres();
  await requireNats();
});
afterAll(async () => {
  await logs.deleteAll();
  await schemas.dropAll();
});

const T0 = Date.UTC(2025, 2, 1, 12);

async function collector(url: string) {
  const loc = parseIngestLogUrl(url);
  const store = await openPostgresStore(schemas.url());
  const publisher = await IngestLogPublisher.connect(loc);
  const logged: Store = withIngestLog(store, publisher);
  const app: FastifyInstance = await buildApp({
    store: logged,
    clock: fixedClock(T0),
    config: DEFAULT_INGEST_LIMITS,
    version: 'test',
  });
  const { token } = await issueToken(logged, { project: 'acme', role: 'admin' }, T0);
  const post = (path: string, payload: unknown) =>
    app.inject({
      method: 'POST',
      url: path,
      payload: payload as object,
      headers: { authorization: `Bearer ${token}` },
    });
  const get = (path: string) =>
    app.inject({ method: 'GET', url: path, headers: { authorization: `Bearer ${token}` } });
  return { loc, store, publisher, logged, app, post, get };
}

describe('collector with an ingestion log', () => {
  it('answers once the batch is in JetStream, and the windows appear once a worker stored it', async () => {
    const c = await collector(logs.url());
    const nc = await connectLog(c.loc, 'probe');
    try {
      expect((await c.post('/v1/models', { name: 'churn', bucketMs: 600_000 })).statusCode).toBe(201);
      expect((await c.store.getModel('acme', 'churn'))?.bucketMs).toBe(600_000);
      const events = [
        { id: 'a', timestamp: T0 - 1000, version: 'v1', features: { x: 1 } },
        { id: 'b', timestamp: T0 - 900, version: 'v1', features: { x: 2 } },
        { id: 'a', timestamp: T0 - 1000, version: 'v1', features: { x: 1 } },
        { id: 'c', version: 'v1', features: { x: 'oops', y: [1] } },
      ];
      const res = await c.post('/v1/models/churn/predictions', events);
      expect(res.statusCode).toBe(200);
      expect(res.json()).toMatchObject({ accepted: 2, duplicates: 1, rejected: [{ index: 3 }] });
      // Logged, not yet stored.
      expect((await c.get('/v1/models/churn/windows')).json().windows).toEqual([]);
      await ensureConsumer(await jetstreamManager(nc), c.loc);
      const consumer = await jetstream(nc).consumers.get(c.loc.stream, c.loc.consumer);
      const m = await consumer.next({ expires: 5000 });
      const batch = decodeBatch(m!.data);
      expect(batch).toMatchObject({ kind: 'predictions', project: 'acme', model: 'churn', receivedAtMs: T0 });
      expect(batch.events.map((e) => (e as { id: string }).id)).toEqual(['a', 'b', 'a']);
      expect(await storeBatch(c.store, batch)).toEqual({ accepted: 2, duplicates: 1 });
      m!.ack();
      const windows = (await c.get('/v1/models/churn/windows?windowMs=600000')).json().windows;
      expect(windows).toHaveLength(1);
      expect(windows[0].predictions).toBe(2);
    } finally {
      await nc.close();
      await c.app.close();
      await c.logged.close();
    }
  });

  it('refuses an event larger than one log message with 413, naming it', async () => {
    const c = await collector(logs.url());
    try {
      const features = Object.fromEntries(Array.from({ length: 600 }, (_, i) => [`f${i}`, 'x'.repeat(2000)]));
      const res = await c.post('/v1/models/churn/predictions', [
        { id: 'small', version: 'v1', features: { a: 1 } },
        { id: 'huge', version: 'v1', features },
      ]);
      expect(res.statusCode).toBe(413);
      expect(res.json().error.issues).toEqual([
        { field: 'events[1]', reason: 'larger than one ingestion log message' },
      ]);
      expect(res.json().error.message).toMatch(/nothing of the batch was stored/);
    } finally {
      await c.app.close();
      await c.logged.close();
    }
  });

  it('gives no 200 when the log cannot take the batch', async () => {
    const c = await collector(logs.url());
    try {
      await c.publisher.close();
      const res = await c.post('/v1/models/churn/predictions', [{ id: 'a', version: 'v1', features: {} }]);
      expect(res.statusCode).toBeGreaterThanOrEqual(500);
      expect((await c.post('/v1/models', { name: 'fraud' })).statusCode).toBe(201);
    } finally {
      await c.app.close();
      await c.store.close();
    }
  });

  it('answers 503 with Retry-After when the log is full, and loses nothing it acknowledged', async () => {
    // 1. A stream of 8 KiB and no worker: batches are acknowledged until it is full, then refused with 503.
    // 2. A worker drains the stream: every acknowledged event is in the store, none of the refused batch.
    // 3. The refused batch, sent again, is acknowledged and stored.
    const c = await collector(logs.url({ maxBytes: '8KiB' }));
    const nc = await connectLog(c.loc, 'probe');
    const jsm = await jetstreamManager(nc);
    let worker: Awaited<ReturnType<typeof startWorker>> | undefined;
    try {
      expect((await c.post('/v1/models', { name: 'churn' })).statusCode).toBe(201);
      const batchOf = (b: number) =>
        Array.from({ length: 5 }, (_, i) => ({
          id: `b${b}-${i}`,
          timestamp: T0 - 60_000 + b * 100 + i,
          version: 'v1',
          features: { x: b * 5 + i },
        }));
      const acknowledged: string[] = [];
      let refused: { b: number; res: Awaited<ReturnType<typeof c.post>> } | null = null;
      for (let b = 0; b < 200 && refused === null; b++) {
        const res = await c.post('/v1/models/churn/predictions', batchOf(b));
        if (res.statusCode === 200) acknowledged.push(...batchOf(b).map((e) => e.id));
        else refused = { b, res };
      }
      expect(refused).not.toBeNull();
      const { b: refusedBatch, res } = refused!;
      expect(acknowledged.length).toBeGreaterThanOrEqual(10);
      expect(res.statusCode).toBe(503);
      expect(res.headers['retry-after']).toBe(String(LOG_FULL_RETRY_AFTER_S));
      const error = res.json().error;
      expect(error.code).toBe('ingest.log_full');
      expect(error.message).toMatch(/^the ingestion log is full \(maximum bytes exceeded on stream T_/);
      expect(error.message).toMatch(/the workers are behind or stopped/);
      expect(error.hint).toMatch(/faultline worker/);
      // Still full: a second attempt is refused the same way, and the registry still answers.
      expect((await c.post('/v1/models/churn/predictions', batchOf(refusedBatch))).statusCode).toBe(503);
      expect((await c.get('/v1/models/churn')).statusCode).toBe(200);

      const drained = async () => {
        const backlog = await backlogOf(jsm, c.loc);
        return backlog.pending === 0 && backlog.ackPending === 0;
      };
      const until = async (what: string, check: () => Promise<boolean>) => {
        const end = Date.now() + 20_000;
        while (!(await check())) {
          if (Date.now() > end) throw new Error(`timed out waiting until ${what}`);
          await new Promise((r) => setTimeout(r, 50));
        }
      };
      worker = await startWorker({ store: c.store, location: c.loc, name: 'w', concurrency: 1, prefetch: 8 });
      await until('the worker drained the stream', drained);
      const stored = async (ids: string[]) =>
        (await Promise.all(ids.map((id) => c.store.getPrediction('acme', 'churn', id)))).filter(
          (p) => p !== null,
        ).length;
      expect(await stored(acknowledged)).toBe(acknowledged.length);
      const refusedIds = batchOf(refusedBatch).map((e) => e.id);
      expect(await stored(refusedIds)).toBe(0);
      expect(worker.stats()).toMatchObject({ accepted: acknowledged.length, terminated: 0 });

      const again = await c.post('/v1/models/churn/predictions', batchOf(refusedBatch));
      expect(again.statusCode).toBe(200);
      expect(again.json()).toMatchObject({ accepted: 5, duplicates: 0 });
      await until('the batch sent again is stored', async () => (await stored(refusedIds)) === 5);
      const windows = (await c.get('/v1/models/churn/windows?windowMs=3600000')).json().windows;
      expect(windows.reduce((n: number, w: { predictions: number }) => n + w.predictions, 0)).toBe(
        acknowledged.length + 5,
      );
    } finally {
      await worker?.stop();
      await nc.close();
      await c.app.close();
      await c.logged.close();
    }
  });

  it('refuses a batch larger than the whole log with 413, so the sender splits it', async () => {
    const c = await collector(logs.url({ maxBytes: '4KiB' }));
    try {
      const events = Array.from({ length: 100 }, (_, i) => ({
        id: `e${i}`,
        version: 'v1',
        features: { x: i },
      }));
      const res = await c.post('/v1/models/churn/predictions', events);
      expect(res.statusCode).toBe(413);
      expect(res.json().error.message).toMatch(
        /more than its maxBytes \(4096\); nothing of the batch was stored/,
      );
      expect(res.json().error.issues).toEqual([
        { field: '(batch)', reason: 'larger than the whole ingestion log' },
      ]);
      const half = await c.post('/v1/models/churn/predictions', events.slice(0, 10));
      expect(half.statusCode).toBe(200);
    } finally {
      await c.app.close();
      await c.logged.close();
    }
  });
});
