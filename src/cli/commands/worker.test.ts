import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { NATS_TEST_URL, NatsTestLogs, requireNats } from '../../ingest-log/testing.js';
import { PG_TEST_URL, PgTestSchemas, requirePostgres } from '../../store/postgres/testing.js';
import { main } from '../main.js';

const schemas = new PgTestSchemas();
const logs = new NatsTestLogs();
const saved = { db: process.env.FAULTLINE_DB, ingest: process.env.FAULTLINE_INGEST };
beforeAll(async () => {
  await requirePostgres();
  await requireNats();
  delete process.env.FAULTLINE_DB;
  delete process.env.FAULTLINE_INGEST;
});
afterAll(async () => {
  if (saved.db !== undefined) process.env.FAULTLINE_DB = saved.db;
  if (saved.ingest !== undefined) process.env.FAULTLINE_INGEST = saved.ingest;
  await schemas.dropAll();
  await logs.deleteAll();
});

/** Runs the CLI and captures what it printed on stderr. */
async function run(...args: string[]): Promise<{ code: number; err: string }> {
  let err = '';
  const e = vi.spyOn(process.stderr, 'write').mockImplementation((s) => {
    err += String(s);
    return true;
  });
  try {
    return { code: await main(['node', 'faultline', ...args]), err };
  } finally {
    e.mockRestore();
  }
}

describe('faultline worker: settings', () => {
  it('names every missing setting with its flag and variable', async () => {
    const r = await run('worker');
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/--ingest \/ FAULTLINE_INGEST: required/);
    expect(r.err).toMatch(/--db \/ FAULTLINE_DB: required/);
    expect(r.err).toMatch(/^hint: e\.g\. faultline worker --ingest nats:/m);
  });

  it('names a bad part of the ingestion log URL and a bad number', async () => {
    const bad = await run('worker', '--ingest', `${NATS_TEST_URL}?replicas=9`, '--db', schemas.url());
    expect(bad.code).toBe(2);
    expect(bad.err).toMatch(/replicas "9" is not 1 to 5/);
    const n = await run('worker', '--ingest', NATS_TEST_URL, '--db', schemas.url(), '--concurrency', '0');
    expect(n.code).toBe(2);
    expect(n.err).toMatch(/--concurrency \/ FAULTLINE_WORKER_CONCURRENCY/);
  });

  it('says which server it cannot reach, without a stack trace', async () => {
    const db = await run('worker', '--ingest', logs.url(), '--db', PG_TEST_URL.replace(/:\d+\//, ':1/'));
    expect(db.code).toBe(2);
    expect(db.err).toMatch(/^faultline: cannot open the store at postgres:\/\/.*:1\//m);
    expect(db.err).not.toMatch(/\n\s+at /);
    const nats = await run('worker', '--ingest', 'nats://127.0.0.1:1', '--db', schemas.url());
    expect(nats.code).toBe(2);
    expect(nats.err).toMatch(/^faultline: cannot join the ingestion log at nats:\/\/127\.0\.0\.1:1/m);
    expect(nats.err).toMatch(/hint: start nats-server with JetStream/);
  });
});
