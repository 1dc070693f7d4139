/**
 * The collector with an ingestion log, in process: the real app on a real PostgreSQL schema, publishing to
 * a real JetStream stream. An answer of 200 means the batch is in the stream; the registry and queries
 * still go to the store; a log that cannot take the batch gives no 200.
 */
import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_INGEST_LIMITS } from '../core/contract/index.js';
import { connectLog, ensureConsumer } from '../ingest-log/jetstream.js';
import { parseIngestLogUrl } from '../ingest-log/location.js';
import { decodeBatch } from '../ingest-log/message.js';
import { IngestLogPublisher } from '../ingest-log/publisher.js';
import { NatsTestLogs, requireNats } from '../ingest-log/testing.js';
import { storeBatch } from '../ingest-log/worker.js';
import { openPostgresStore } from '../store/postgres/postgres-store.js';
import { PgTestSchemas, requirePostgres } from '../store/postgres/testing.js';
import type { Store } from '../store/store.js';
import { buildApp } from './app.js';
import { issueToken } from './auth.js';
import { fixedClock } from './deps.js';
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
});
