/**
 * Past one machine: predictions per second stored by 1, 2 and 4 `faultline worker` processes sharing one
 * JetStream consumer and one PostgreSQL schema, and where the time goes (CPU seconds of the workers, of
 * PostgreSQL and of nats-server per 10 000 predictions, read from /proc). Also the HTTP side: one
 * collector logging to JetStream (`serve --ingest`), against one collector writing SQLite itself.
 *
 * Each run starts the workers on an empty stream, then logs the same batches (250 predictions with 12
 * features each, over six hours of event time) and times until the consumer has nothing pending or
 * unacknowledged, i.e. until every batch is committed. The machine is shared: CPU figures of PostgreSQL
 * and NATS include whatever else ran at the time.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { jetstreamManager } from '@nats-io/jetstream';
import pg from 'pg';
import { backlogOf, connectLog } from '../src/ingest-log/jetstream.js';
import { parseIngestLogUrl } from '../src/ingest-log/location.js';
import { IngestLogPublisher } from '../src/ingest-log/publisher.js';
import { NatsTestLogs, requireNats } from '../src/ingest-log/testing.js';
import { PG_TEST_URL, PgTestSchemas, requirePostgres } from '../src/store/postgres/testing.js';
import type { FaultlineProcess } from '../test/scale/processes.js';
import { killAll, startCollectorProcess, startWorkerProcess } from '../test/scale/processes.js';
import { figure } from './util.js';

const T0 = Date.UTC(2025, 5, 1);
const BATCH = 250;
const BATCHES = 160; // 40 000 predictions per run
const ADMIN = `flt_${'b'.repeat(40)}`;

function batches(): Record<string, unknown>[][] {
  const cities = ['Oslo', 'Rome', 'Lima', 'Pune', 'Kyiv', 'Oulu', 'Nice', 'Bern'];
  return Array.from({ length: BATCHES }, (_, b) =>
    Array.from({ length: BATCH }, (_, i) => {
      const n = b * BATCH + i;
      const features: Record<string, number | string | boolean | null> = {
        city: cities[n % 8]!,
        vip: n % 5 === 0,
      };
      for (let f = 0; f < 10; f++) features[`x${f}`] = ((n * (f + 3)) % 1000) / 10;
      return {
        id: `b${b}-${i}`,
        timestamp: T0 + ((n * 7919) % (6 * 3_600_000)),
        version: n % 3 === 0 ? 'v2' : 'v1',
        instance: `pod-${n % 4}`,
        features,
        output: { class: n % 2 ? 'yes' : 'no', probabilities: { yes: (n % 100) / 100 } },
        latencyMs: 5 + (n % 50),
      };
    }),
  );
}

/** CPU seconds (user + system) used so far by the processes whose command name is `name`, or by `pids`. */
function cpuSeconds(select: { name?: string; pids?: number[] }): number {
  const pids =
    select.pids ??
    readdirSync('/proc')
      .filter((d) => /^\d+$/.test(d))
      .map(Number);
  let ticks = 0;
  for (const pid of pids) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const close = stat.lastIndexOf(')');
      const comm = stat.slice(stat.indexOf('(') + 1, close);
      if (select.name !== undefined && comm !== select.name) continue;
      const fields = stat
        .slice(close + 2)
        .split(' ')
        .map(Number);
      ticks += (fields[11] ?? 0) + (fields[12] ?? 0); // utime, stime (fields 14 and 15 of the line)
    } catch {
      // The process ended between the listing and the read.
    }
  }
  return ticks / 100; // USER_HZ is 100 on Linux
}

/**
 * Samples the workers' database sessions every 25 ms until stopped: how often they run a statement, wait
 * for a lock (another worker merging the same window), sit in an open transaction while the worker
 * computes (decoding, merging, encoding windows) or are idle between transactions.
 */
function sampleSessions(app: string): { stop(): Promise<Record<string, number>> } {
  const client = new pg.Client({ connectionString: PG_TEST_URL });
  const counts: Record<string, number> = {
    'running a statement': 0,
    'waiting for a lock': 0,
    'in a transaction, worker computing': 0,
    'idle between transactions': 0,
  };
  let running = true;
  const loop = (async () => {
    await client.connect();
    while (running) {
      const r = await client.query<{ state: string | null; wait: string | null }>(
        'SELECT state, wait_event_type AS wait FROM pg_stat_activity WHERE application_name = $1',
        [app],
      );
      for (const row of r.rows) {
        const key =
          row.wait === 'Lock'
            ? 'waiting for a lock'
            : row.state === 'active'
              ? 'running a statement'
              : row.state === 'idle in transaction'
                ? 'in a transaction, worker computing'
                : 'idle between transactions';
        counts[key] = (counts[key] ?? 0) + 1;
      }
      await new Promise((res) => setTimeout(res, 25));
    }
    await client.end();
  })();
  return {
    stop: async () => {
      running = false;
      await loop;
      const total = Object.values(counts).reduce((a, b) => a + b, 0) || 1;
      return Object.fromEntries(Object.entries(counts).map(([k, v]) => [k, v / total]));
    },
  };
}

async function workersRun(k: number, logs: NatsTestLogs, schemas: PgTestSchemas): Promise<void> {
  const ingest = logs.url();
  const loc = parseIngestLogUrl(ingest);
  const app = `faultline-bench-${k}`;
  const db = schemas.url({ pool: '4', application_name: app });
  const workers: FaultlineProcess[] = await Promise.all(
    Array.from({ length: k }, (_, i) => startWorkerProcess(db, ingest, `bench-${i}`, [])),
  );
  const publisher = await IngestLogPublisher.connect(loc);
  const nc = await connectLog(loc, 'bench-probe');
  const jsm = await jetstreamManager(nc);
  try {
    const data = batches();
    const pids = workers.map((w) => w.child.pid!);
    const before = {
      workers: cpuSeconds({ pids }),
      pg: cpuSeconds({ name: 'postgres' }),
      nats: cpuSeconds({ name: 'nats-server' }),
    };
    const sampler = sampleSessions(app);
    const t0 = performance.now();
    for (const events of data)
      await publisher.append({
        kind: 'predictions',
        project: 'acme',
        model: 'bench',
        receivedAtMs: T0,
        events: events as never,
      });
    const published = performance.now();
    for (;;) {
      const b = await backlogOf(jsm, loc);
      if (b.pending === 0 && b.ackPending === 0) break;
      await new Promise((r) => setTimeout(r, 20));
    }
    const seconds = (performance.now() - t0) / 1000;
    const sessions = await sampler.stop();
    const n = BATCH * BATCHES;
    const per10k = (x: number) => (x / n) * 10_000;
    process.stdout.write(` ${k} worker${k > 1 ? 's' : ''} (defaults: concurrency 2, prefetch 64)\n`);
    figure('predictions stored per second', n / seconds, 'pred/s');
    figure(
      'logging the batches (publish + ack), predictions per second',
      n / ((published - t0) / 1000),
      'pred/s',
    );
    figure('worker CPU per 10k predictions', per10k(cpuSeconds({ pids }) - before.workers), 's', 2);
    figure(
      'PostgreSQL CPU per 10k predictions',
      per10k(cpuSeconds({ name: 'postgres' }) - before.pg),
      's',
      2,
    );
    figure(
      'nats-server CPU per 10k predictions',
      per10k(cpuSeconds({ name: 'nats-server' }) - before.nats),
      's',
      2,
    );
    for (const [state, share] of Object.entries(sessions))
      figure(`worker connections ${state} (share of samples)`, share * 100, '%');
    figure(
      'machine load average (1 min) at the end',
      Number(readFileSync('/proc/loadavg', 'utf8').split(' ')[0]),
      '',
    );
  } finally {
    await nc.close();
    await publisher.close();
    for (const w of workers) w.child.kill('SIGTERM');
    await Promise.all(workers.map((w) => w.exited));
  }
}

/** One collector over HTTP, four senders: answered predictions per second. */
async function collectorRun(label: string, db: string, ingest: string | null): Promise<void> {
  const c = await startCollectorProcess(db, ingest, {
    FAULTLINE_ADMIN_TOKEN: ADMIN,
    FAULTLINE_SQLITE_SYNCHRONOUS: 'normal',
  });
  try {
    const data = batches().map((b) => JSON.stringify(b));
    let next = 0;
    const t0 = performance.now();
    const lane = async () => {
      while (next < data.length) {
        const body = data[next++]!;
        const res = await fetch(`${c.url}/v1/models/bench/predictions`, {
          method: 'POST',
          headers: { authorization: `Bearer ${ADMIN}`, 'content-type': 'application/json' },
          body,
        });
        if (res.status !== 200) throw new Error(`${res.status}: ${await res.text()}`);
        await res.arrayBuffer();
      }
    };
    await Promise.all([lane(), lane(), lane(), lane()]);
    figure(label, (BATCH * BATCHES) / ((performance.now() - t0) / 1000), 'pred/s');
  } finally {
    c.child.kill('SIGTERM');
    await c.exited;
  }
}

export async function run(): Promise<void> {
  try {
    await requirePostgres();
    await requireNats();
  } catch (e) {
    // The other benches still run; this one needs both servers (see README, "Running at scale").
    process.stdout.write(` not run: ${(e as Error).message}\n`);
    return;
  }
  const logs = new NatsTestLogs();
  const schemas = new PgTestSchemas();
  const dir = mkdtempSync(join(tmpdir(), 'faultline-scale-bench-'));
  try {
    for (const k of [1, 2, 4]) await workersRun(k, logs, schemas);
    process.stdout.write(' one collector over HTTP (4 senders, 250 predictions per request)\n');
    await collectorRun(
      'serve --ingest nats:// (answered after the JetStream ack)',
      schemas.url(),
      logs.url(),
    );
    await collectorRun(
      'serve --db sqlite (answered after COMMIT, synchronous=normal)',
      join(dir, 'c.db'),
      null,
    );
    await collectorRun('serve --db postgres:// (answered after COMMIT)', schemas.url(), null);
  } finally {
    killAll();
    await logs.deleteAll();
    await schemas.dropAll();
    rmSync(dir, { recursive: true, force: true });
  }
}
