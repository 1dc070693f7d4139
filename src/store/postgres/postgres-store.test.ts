import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PredictionEvent } from '../../core/contract/index.js';
import { seededRng } from '../../core/rng.js';
import type { Timed } from '../store.js';
import { runEngineStateContract, runStoreContract } from '../store-contract.suite.js';
import { addPrediction, emptyWindow, windowCounters } from '../window-state.js';
import { parsePostgresUrl } from './connection.js';
import type { PostgresStore } from './postgres-store.js';
import { openPostgresStore } from './postgres-store.js';
import { PG_TEST_URL, PgTestSchemas, requirePostgres, withParams } from './testing.js';

const schemas = new PgTestSchemas();
beforeAll(requirePostgres);
afterAll(() => schemas.dropAll());

runStoreContract('postgres', () => openPostgresStore(schemas.url()));
runEngineStateContract('postgres', () => openPostgresStore(schemas.url()));

const T0 = Date.UTC(2025, 0, 1);
const HOUR = 3_600_000;

function prediction(
  id: string,
  ts: number,
  extra: Partial<Timed<PredictionEvent>> = {},
): Timed<PredictionEvent> {
  return {
    id,
    timestamp: ts,
    version: 'v1',
    features: { x: ts % 7, city: ts % 2 ? 'Oslo' : 'Rome' },
    ...extra,
  };
}

/** Several independent stores (each its own pool, as separate processes have) on one schema. */
async function writers(n: number): Promise<PostgresStore[]> {
  const url = schemas.url();
  return Promise.all(Array.from({ length: n }, (_, i) => openPostgresStore(url, { rng: seededRng(i + 1) })));
}

describe('postgres engine', () => {
  it('reads its own URL parameters and names a bad one', () => {
    expect(parsePostgresUrl('postgres://u@h:5433/db?schema=f_1&pool=3&sslmode=disable')).toEqual({
      connectionString: 'postgres://u@h:5433/db?sslmode=disable',
      schema: 'f_1',
      poolSize: 3,
    });
    expect(parsePostgresUrl('postgresql://h/db').schema).toBe('faultline');
    expect(() => parsePostgresUrl('postgres://h/db?schema=Drop;Table')).toThrow(/schema/);
    expect(() => parsePostgresUrl('postgres://h/db?pool=0')).toThrow(/pool/);
    expect(() => parsePostgresUrl('mysql://h/db')).toThrow(/postgres:\/\//);
  });

  it('migrates a new schema once, even when processes start together, and keeps data across reopen', async () => {
    const url = schemas.url();
    const opened = await Promise.all([1, 2, 3].map(() => openPostgresStore(url)));
    for (const s of opened) expect(s.migrations()).toEqual([1, 2, 3]);
    await opened[0]!.ingestEvents('p', [{ id: 'e1', kind: 'deploy', timestamp: T0 }], T0);
    await Promise.all(opened.map((s) => s.close()));
    const again = await openPostgresStore(url);
    expect((await again.listEvents('p', { limit: 5 })).map((e) => e.id)).toEqual(['e1']);
    await again.close();
    const client = new pg.Client({ connectionString: PG_TEST_URL });
    await client.connect();
    const n = await client.query(
      'SELECT count(*)::int AS n FROM information_schema.tables WHERE table_schema = $1',
      [new URL(url).searchParams.get('schema')],
    );
    await client.end();
    expect(n.rows[0].n).toBe(20); // 19 tables and schema_migrations
  });

  it('keeps the intended versions set before the history existed as changes from their registration', async () => {
    const url = schemas.url();
    const a = await openPostgresStore(url);
    await a.registerVersion('p', 'm', { version: 'v1', artifactHash: 'sha:1', intended: true }, T0);
    await a.registerVersion('p', 'm', { version: 'v2', artifactHash: 'sha:2' }, T0 + 1000);
    await a.close();
    // The schema as migration 2 left it: the intended version in the models table only.
    const client = new pg.Client({ connectionString: PG_TEST_URL });
    await client.connect();
    const schema = new URL(url).searchParams.get('schema')!;
    await client.query(`SET search_path = ${schema}`);
    await client.query(`DROP TABLE intended_versions; DELETE FROM schema_migrations WHERE version = 3;
      UPDATE models SET intended_version = 'v2'`);
    await client.end();
    const b = await openPostgresStore(url);
    expect(b.migrations()).toEqual([1, 2, 3]);
    expect(await b.listIntendedVersions('p', 'm')).toEqual([
      { version: 'v2', effectiveAtMs: T0 + 1000, recordedAtMs: T0 + 1000 },
    ]);
    expect((await b.getModel('p', 'm'))?.intendedVersion).toBe('v2');
    await b.close();
  });

  it('fails with the server error when the database does not exist', async () => {
    await expect(
      openPostgresStore(withParams(PG_TEST_URL.replace(/\/test$/, '/no_such_db'), {})),
    ).rejects.toThrow(/no_such_db/);
  });
});

describe('postgres engine: several batches in one transaction', () => {
  it('stores them as one after the other would, each with its arrival time and outcome', async () => {
    const [s] = await writers(1);
    const [reference] = await writers(1);
    try {
      const a = Array.from({ length: 30 }, (_, i) => prediction(`a${i}`, T0 + i * 60_000, { latencyMs: i }));
      const b = [...a.slice(10, 20), prediction('b0', T0 + HOUR + 5), prediction('b0', T0 + 1)];
      const c = [prediction('c0', T0 + 7, { version: 'v2', artifactHash: 'h2' })];
      expect(
        await s!.ingestPredictionParts('acme', 'm', [
          { events: a, receivedAtMs: T0 + 1 },
          { events: b, receivedAtMs: T0 + 2 },
          { events: c, receivedAtMs: T0 + 3 },
        ]),
      ).toEqual([
        { accepted: 30, duplicates: 0 },
        { accepted: 1, duplicates: 11 },
        { accepted: 1, duplicates: 0 },
      ]);
      for (const [events, at] of [
        [a, T0 + 1],
        [b, T0 + 2],
        [c, T0 + 3],
      ] as const)
        await reference!.ingestPredictions('acme', 'm', events, at);
      const got = await s!.listWindows('acme', 'm', { limit: 10 });
      const want = await reference!.listWindows('acme', 'm', { limit: 10 });
      expect(got.map((w) => [w.version, w.startMs, windowCounters(w.state)])).toEqual(
        want.map((w) => [w.version, w.startMs, windowCounters(w.state)]),
      );
      expect(await s!.getPrediction('acme', 'm', 'b0')).toMatchObject({
        receivedAtMs: T0 + 2,
        timestampMs: T0 + HOUR + 5,
      });
      expect(await s!.getVersion('acme', 'm', 'v2')).toMatchObject({
        artifactHash: 'h2',
        createdAtMs: T0 + 3,
      });
    } finally {
      await s!.close();
      await reference!.close();
    }
  });
});

describe('postgres engine: concurrent writers', () => {
  it('loses no update when four processes merge into the same windows at once', async () => {
    const stores = await writers(4);
    try {
      // 4 writers × 30 batches × 25 events over two hours: every batch touches one or two hot buckets.
      const all: Timed<PredictionEvent>[] = [];
      const work = stores.map(async (s, w) => {
        for (let b = 0; b < 30; b++) {
          const batch = Array.from({ length: 25 }, (_, i) =>
            prediction(`w${w}-b${b}-${i}`, T0 + ((b * 25 + i) % 120) * 60_000, {
              status: i % 9 === 0 ? 'error' : 'ok',
              instance: `pod-${w}`,
              latencyMs: i,
            }),
          );
          all.push(...batch);
          expect(await s.ingestPredictions('acme', 'churn', batch, T0)).toEqual({
            accepted: 25,
            duplicates: 0,
          });
        }
      });
      await Promise.all(work);
      const windows = await stores[0]!.listWindows('acme', 'churn', { limit: 10 });
      expect(windows.map((w) => w.startMs)).toEqual([T0, T0 + HOUR]);
      for (const w of windows) {
        const expected = all
          .filter((e) => Math.floor(e.timestamp / HOUR) * HOUR === w.startMs)
          .reduce((st, e) => addPrediction(st, e), emptyWindow(seededRng(1)));
        expect(windowCounters(w.state)).toEqual(windowCounters(expected));
        expect(w.state.features.rowCount).toBe(expected.status.ok);
        expect(w.state.features.column('x')?.moments.summary().mean).toBeCloseTo(
          expected.features.column('x')!.moments.summary().mean!,
          12,
        );
        expect(w.state.latencyMs.n).toBe(expected.predictions);
        expect(w.state.sample.seen).toBe(expected.status.ok);
      }
      expect(windows.reduce((n, w) => n + w.state.predictions, 0)).toBe(4 * 30 * 25);
    } finally {
      await Promise.all(stores.map((s) => s.close()));
    }
  });

  it('counts a batch delivered to several processes at once exactly once', async () => {
    const stores = await writers(3);
    try {
      const batch = Array.from({ length: 200 }, (_, i) => prediction(`p${i}`, T0 + i * 1000));
      const outcomes = await Promise.all(stores.map((s) => s.ingestPredictions('acme', 'm', batch, T0)));
      expect(outcomes.reduce((n, o) => n + o.accepted, 0)).toBe(200);
      expect(outcomes.reduce((n, o) => n + o.duplicates, 0)).toBe(400);
      const [w] = await stores[1]!.listWindows('acme', 'm', { limit: 5 });
      expect(w?.state.predictions).toBe(200);
      expect(w?.state.features.rowCount).toBe(200);
    } finally {
      await Promise.all(stores.map((s) => s.close()));
    }
  });

  it('joins every label to its prediction when both arrive at the same moment in different processes', async () => {
    const stores = await writers(4);
    try {
      const n = 400;
      const preds = Array.from({ length: n }, (_, i) =>
        prediction(`q${i}`, T0 + i * 1000, { output: { class: i % 3 === 0 ? 'yes' : 'no' } }),
      );
      const labels = preds.map((p, i) => ({
        predictionId: p.id,
        value: i % 2 === 0 ? 'yes' : 'no',
        timestamp: p.timestamp + 5000,
      }));
      // Predictions through writers 0 and 1, their labels through 2 and 3, in interleaved small batches.
      const jobs: Promise<unknown>[] = [];
      for (let b = 0; b < n; b += 20) {
        jobs.push(stores[(b / 20) % 2]!.ingestPredictions('acme', 'j', preds.slice(b, b + 20), T0));
        jobs.push(stores[2 + ((b / 20) % 2)]!.ingestLabels('acme', 'j', labels.slice(b, b + 20), T0));
      }
      await Promise.all(jobs);
      const [w] = await stores[0]!.listWindows('acme', 'j', { limit: 5 });
      const correct = preds.filter((p, i) => p.output?.class === labels[i]!.value).length;
      expect(w?.state.labels).toMatchObject({ count: n, classified: n, correct });
      expect(w?.state.timeToLabelMs.n).toBe(n);
      expect(w?.state.timeToLabelMs.quantile(0.5)).toBe(5000);
      for (const row of w!.state.sample.items()) expect(row.label).not.toBeNull();
      for (const id of ['q0', 'q199', 'q399'])
        expect((await stores[3]!.getPrediction('acme', 'j', id))?.label?.timeToLabelMs).toBe(5000);
    } finally {
      await Promise.all(stores.map((s) => s.close()));
    }
  });

  it('keeps a hot window decoded between its own batches and re-reads it after another process wrote', async () => {
    const [a, b] = await writers(2);
    try {
      await a!.ingestPredictions('acme', 'c', [prediction('a1', T0)], T0);
      expect(a!.cachedWindows()).toBe(1);
      await b!.ingestPredictions('acme', 'c', [prediction('b1', T0 + 1)], T0);
      await a!.ingestPredictions('acme', 'c', [prediction('a2', T0 + 2)], T0);
      const [w] = await b!.listWindows('acme', 'c', { limit: 1 });
      expect(w?.state.predictions).toBe(3);
      expect(
        w?.state.sample
          .items()
          .map((r) => r.id)
          .sort(),
      ).toEqual(['a1', 'a2', 'b1']);
    } finally {
      await a!.close();
      await b!.close();
    }
  });

  it('lets one of several processes hold a lease at a time', async () => {
    const stores = await writers(3);
    try {
      const results = await Promise.all(
        stores.map((s, i) => s.tryAcquireLease('detect:w1', `p${i}`, 60_000)),
      );
      expect(results.filter((r) => r.acquired)).toHaveLength(1);
    } finally {
      await Promise.all(stores.map((s) => s.close()));
    }
  });
});
