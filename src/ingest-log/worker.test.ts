/**
 * Workers against a real NATS JetStream and a real PostgreSQL: batches logged by the publisher end up in
 * the store once, whatever is redelivered, and a batch that cannot be stored yet comes back until it can.
 */
import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PredictionEvent } from '../core/contract/index.js';
import { openPostgresStore } from '../store/postgres/postgres-store.js';
import { PG_TEST_URL, PgTestSchemas, requirePostgres } from '../store/postgres/testing.js';
import type { Timed } from '../store/store.js';
import { backlogOf, connectLog, ensureConsumer, ensureStream } from './jetstream.js';
import { parseIngestLogUrl } from './location.js';
import { decodeBatch } from './message.js';
import { IngestLogPublisher } from './publisher.js';
import { NatsTestLogs, requireNats } from './testing.js';
import type { RunningWorker, WorkerProblem } from './worker.js';
import { retryDelayMs, startWorker, storeBatch } from './worker.js';

const logs = new NatsTestLogs();
const schemas = new PgTestSchemas();
beforeAll(async () => {
  await requireNats();
  await requirePostgres();
});
afterAll(async () => {
  await logs.deleteAll();
  await schemas.dropAll();
});

const T0 = Date.UTC(2025, 0, 1);
const HOUR = 3_600_000;

function batch(b: number, size: number): Timed<PredictionEvent>[] {
  return Array.from({ length: size }, (_, i) => ({
    id: `b${b}-${i}`,
    timestamp: T0 + ((b * size + i) % 180) * 60_000,
    version: 'v1',
    features: { x: i },
  }));
}

async function until(what: string, check: () => Promise<boolean>, timeoutMs = 20_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`timed out waiting until ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function drained(loc: ReturnType<typeof parseIngestLogUrl>): Promise<() => Promise<boolean>> {
  const nc = await connectLog(loc, 'test-probe');
  const jsm = await jetstreamManager(nc);
  return async () => {
    const b = await backlogOf(jsm, loc);
    if (b.pending === 0 && b.ackPending === 0) {
      await nc.close();
      return true;
    }
    return false;
  };
}

describe('ingestion log workers', () => {
  it('store every logged batch once with two workers sharing the consumer', async () => {
    const loc = parseIngestLogUrl(logs.url());
    const url = schemas.url();
    const publisher = await IngestLogPublisher.connect(loc);
    const stores = await Promise.all([openPostgresStore(url), openPostgresStore(url)]);
    const workers: RunningWorker[] = [];
    try {
      for (const [i, s] of stores.entries())
        workers.push(
          await startWorker({ store: s, location: loc, name: `w${i}`, concurrency: 2, prefetch: 8 }),
        );
      for (let b = 0; b < 40; b++)
        await publisher.append({
          kind: 'predictions',
          project: 'acme',
          model: 'm',
          receivedAtMs: T0,
          events: batch(b, 30),
        });
      // The same batch again (an SDK retry through another collector): nothing is counted twice.
      await publisher.append({
        kind: 'predictions',
        project: 'acme',
        model: 'm',
        receivedAtMs: T0,
        events: batch(7, 30),
      });
      await until('the consumer is drained', await drained(loc));
      const windows = await stores[0]!.listWindows('acme', 'm', { limit: 10 });
      expect(windows.map((w) => (w.startMs - T0) / HOUR)).toEqual([0, 1, 2]);
      expect(windows.reduce((n, w) => n + w.state.predictions, 0)).toBe(1200);
      expect(windows.reduce((n, w) => n + w.state.features.rowCount, 0)).toBe(1200);
      const stats = workers.map((w) => w.stats());
      expect(stats.reduce((n, s) => n + s.batches, 0)).toBe(41);
      expect(stats.reduce((n, s) => n + s.accepted, 0)).toBe(1200);
      expect(stats.reduce((n, s) => n + s.duplicates, 0)).toBe(30);
      expect(stats.every((s) => s.batches > 0)).toBe(true);
    } finally {
      for (const w of workers) await w.stop();
      await publisher.close();
      for (const s of stores) await s.close();
    }
  });

  it('counts a batch committed by a worker that died before acknowledging it once', async () => {
    // 1. A first worker takes a batch and stores it, then "dies" without acknowledging.
    // 2. After the ack wait JetStream hands the batch to a second worker, which stores it again.
    // 3. The store drops every event as already stored: windows count each event once.
    const loc = parseIngestLogUrl(logs.url({ ackWaitMs: '1000' }));
    const store = await openPostgresStore(schemas.url());
    const publisher = await IngestLogPublisher.connect(loc);
    const nc = await connectLog(loc, 'dying-worker');
    let worker: RunningWorker | undefined;
    try {
      await ensureConsumer(await jetstreamManager(nc), loc);
      await publisher.append({
        kind: 'predictions',
        project: 'acme',
        model: 'm',
        receivedAtMs: T0,
        events: batch(0, 50),
      });
      const consumer = await jetstream(nc).consumers.get(loc.stream, loc.consumer);
      const m = await consumer.next({ expires: 5000 });
      expect(m).not.toBeNull();
      expect(await storeBatch(store, decodeBatch(m!.data))).toEqual({ accepted: 50, duplicates: 0 });
      await nc.close(); // no ack
      worker = await startWorker({ store, location: loc, name: 'heir', concurrency: 1, prefetch: 4 });
      await until('the batch is redelivered and acknowledged', async () => worker!.stats().batches === 1);
      expect(worker.stats()).toMatchObject({ batches: 1, accepted: 0, duplicates: 50, redelivered: 1 });
      const [w] = await store.listWindows('acme', 'm', { limit: 5 });
      expect(w?.state.predictions).toBe(50);
    } finally {
      await worker?.stop();
      await publisher.close();
      await store.close();
    }
  });

  it('terminates a message that is not a batch and goes on with the rest', async () => {
    const loc = parseIngestLogUrl(logs.url());
    const store = await openPostgresStore(schemas.url());
    const publisher = await IngestLogPublisher.connect(loc);
    const problems: WorkerProblem[] = [];
    const worker = await startWorker({
      store,
      location: loc,
      name: 'w',
      concurrency: 1,
      prefetch: 4,
      onProblem: (p) => problems.push(p),
    });
    const nc = await connectLog(loc, 'rogue');
    try {
      await jetstream(nc).publish(
        `${loc.subjectPrefix}.predictions`,
        new TextEncoder().encode('{"v":1,"kind":"x"}'),
      );
      await publisher.append({
        kind: 'predictions',
        project: 'acme',
        model: 'm',
        receivedAtMs: T0,
        events: batch(1, 5),
      });
      await until('the good batch is stored', async () => worker.stats().batches === 1);
      await until('the bad message is reported', async () => problems.length === 1);
      expect(problems[0]).toMatchObject({ action: 'terminated', deliveries: 1 });
      expect(problems[0]?.reason).toMatch(/kind/);
      expect(worker.stats().terminated).toBe(1);
      await until('the consumer is drained', await drained(loc));
    } finally {
      await nc.close();
      await worker.stop();
      await publisher.close();
      await store.close();
    }
  });

  it('retries a batch the database could not take and stores it once it can', async () => {
    // 1. Another session holds an exclusive lock on `models`, so the worker's transaction waits.
    // 2. That waiting backend is terminated: the store call fails and the worker hands the batch back.
    // 3. The lock is released; the batch comes back after the retry delay and is stored once.
    const loc = parseIngestLogUrl(logs.url());
    const url = schemas.url();
    const schema = new URL(url).searchParams.get('schema')!;
    const store = await openPostgresStore(url);
    const publisher = await IngestLogPublisher.connect(loc);
    const problems: WorkerProblem[] = [];
    const locker = new pg.Client({ connectionString: PG_TEST_URL });
    await locker.connect();
    let worker: RunningWorker | undefined;
    try {
      await locker.query('BEGIN');
      await locker.query(`LOCK TABLE ${pg.escapeIdentifier(schema)}.models IN ACCESS EXCLUSIVE MODE`);
      worker = await startWorker({
        store,
        location: loc,
        name: 'w',
        concurrency: 1,
        prefetch: 1,
        onProblem: (p) => problems.push(p),
      });
      await publisher.append({
        kind: 'predictions',
        project: 'acme',
        model: 'm',
        receivedAtMs: T0,
        events: batch(2, 20),
      });
      let killed = 0;
      await until('the worker waits for the lock', async () => {
        const r = await locker.query(
          'SELECT pg_terminate_backend(pid) FROM pg_locks WHERE relation = $1::regclass AND NOT granted',
          [`${pg.escapeIdentifier(schema)}.models`],
        );
        killed = r.rowCount ?? 0;
        return killed > 0;
      });
      await until('the failure is reported', async () => problems.length > 0);
      expect(problems[0]).toMatchObject({ action: 'retry', deliveries: 1 });
      await locker.query('COMMIT');
      await until('the batch is stored', async () => worker!.stats().batches === 1);
      expect(worker.stats()).toMatchObject({ accepted: 20, duplicates: 0, redelivered: 1, retried: 1 });
      const [w] = await store.listWindows('acme', 'm', { limit: 5 });
      expect(w?.state.predictions).toBe(20);
    } finally {
      await locker.end();
      await worker?.stop();
      await publisher.close();
      await store.close();
    }
  });

  it('stores the prediction batches of one model it pulled together in one transaction', async () => {
    const loc = parseIngestLogUrl(logs.url());
    const store = await openPostgresStore(schemas.url());
    const publisher = await IngestLogPublisher.connect(loc);
    let worker: RunningWorker | undefined;
    try {
      // Logged before the worker starts, so that it pulls many at once; one batch of another model between.
      for (let b = 0; b < 24; b++) {
        await publisher.append({
          kind: 'predictions',
          project: 'acme',
          model: 'm',
          receivedAtMs: T0 + b,
          events: batch(b, 40),
        });
        if (b === 5)
          await publisher.append({
            kind: 'predictions',
            project: 'acme',
            model: 'other',
            receivedAtMs: T0,
            events: batch(0, 10),
          });
      }
      await publisher.append({
        kind: 'predictions',
        project: 'acme',
        model: 'm',
        receivedAtMs: T0,
        events: batch(3, 40),
      });
      worker = await startWorker({
        store,
        location: loc,
        name: 'w',
        concurrency: 1,
        prefetch: 32,
        maxGroupEvents: 400,
      });
      await until('the consumer is drained', await drained(loc));
      const s = worker.stats();
      expect(s).toMatchObject({ batches: 26, accepted: 24 * 40 + 10, duplicates: 40 });
      expect(s.transactions).toBeLessThan(26);
      expect(s.transactions).toBeGreaterThanOrEqual(4); // at most 400 events (10 batches) per transaction
      const windows = await store.listWindows('acme', 'm', { limit: 10 });
      expect(windows.reduce((n, w) => n + w.state.predictions, 0)).toBe(24 * 40);
      expect((await store.getPrediction('acme', 'm', 'b7-0'))?.receivedAtMs).toBe(T0 + 7);
      expect((await store.listWindows('acme', 'other', { limit: 10 }))[0]?.state.predictions).toBe(10);
    } finally {
      await worker?.stop();
      await publisher.close();
      await store.close();
    }
  });

  it('backs off retries from half a second to half a minute', () => {
    expect([1, 2, 3, 4, 10, 100].map(retryDelayMs)).toEqual([500, 1000, 2000, 4000, 30_000, 30_000]);
  });

  it('makes the stream and consumer once however many processes start at the same time', async () => {
    const loc = parseIngestLogUrl(logs.url());
    const conns = await Promise.all([1, 2, 3, 4].map((i) => connectLog(loc, `starter-${i}`)));
    try {
      const jsms = await Promise.all(conns.map((nc) => jetstreamManager(nc)));
      await Promise.all(jsms.map((jsm) => ensureStream(jsm, loc)));
      const infos = await Promise.all(jsms.map((jsm) => ensureConsumer(jsm, loc)));
      expect(new Set(infos.map((i) => i.name))).toEqual(new Set([loc.consumer]));
      const s = await jsms[0]!.streams.info(loc.stream);
      expect(s.config).toMatchObject({
        retention: 'workqueue',
        storage: 'file',
        subjects: [`${loc.subjectPrefix}.>`],
      });
    } finally {
      for (const nc of conns) await nc.close();
    }
  });
});
