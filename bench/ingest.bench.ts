/**
 * Collector and SDK figures:
 * 1. Ingestion throughput of one collector process (`faultline serve`, a child process) for predictions
 *    with 20 features, acknowledged and durable: each 200 comes after COMMIT (synchronous=FULL fsyncs it).
 *    The batches are serialised before the clock starts, so the figure is the collector's, not the sender's.
 * 2. SDK cost of `log()` on the caller's thread, p50 and p99 over single calls.
 * 3. Memory: bytes per stored window, heap of 1 000 decoded windows, and the collector's resident set
 *    after it has written 1 000 windows.
 */
import type { ChildProcess } from 'node:child_process';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import v8 from 'node:v8';
import { runInNewContext } from 'node:vm';
import { createMonitor } from '../src/sdk/index.js';
import { openSqliteStore } from '../src/store/sqlite/sqlite-store.js';
import { figure, mb } from './util.js';

const repo = join(import.meta.dirname, '..');
const TOKEN = `flt_${'b'.repeat(40)}`;
const T0 = Date.UTC(2025, 0, 1);
const FEATURES = 20;

function features(i: number): Record<string, number | string> {
  const out: Record<string, number | string> = {};
  for (let f = 0; f < FEATURES; f++)
    out[`f${f}`] = f < 15 ? Math.round(Math.sin(i * 0.37 + f) * 1e4) / 100 : `c${(i * (f + 3)) % 41}`;
  return out;
}

function prediction(i: number, spreadMs: number) {
  return {
    id: `p${i}`,
    version: 'v1',
    timestamp: T0 + Math.floor((i / 1e6) * spreadMs),
    instance: `pod-${i % 4}`,
    features: features(i),
    output: { class: i % 3 ? 'stay' : 'churn', probabilities: { churn: (i % 100) / 100 } },
    latencyMs: 2 + (i % 17),
  };
}

async function startServe(db: string, synchronous: string): Promise<{ child: ChildProcess; url: string }> {
  const entry = `const { main } = await import(${JSON.stringify(join(repo, 'src/cli/main.ts'))}); process.exitCode = await main(['node', 'faultline', ...process.argv.slice(1)]);`;
  const child = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      '--input-type=module',
      '-e',
      entry,
      'serve',
      '--db',
      db,
      '--port',
      '0',
      '--synchronous',
      synchronous,
    ],
    {
      cwd: repo,
      env: { ...process.env, FAULTLINE_ADMIN_TOKEN: TOKEN },
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout?.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /listening on (http:\/\/\S+)/.exec(out);
      if (m?.[1]) resolve(m[1]);
    });
    child.on('exit', (code) => reject(new Error(`collector exited with ${code}`)));
  });
  return { child, url };
}

async function stop(child: ChildProcess): Promise<void> {
  child.kill('SIGTERM');
  await new Promise((r) => child.once('exit', r));
}

/** CPU seconds (user + system) a process has used, from /proc/<pid>/stat (clock ticks of 1/100 s). */
function cpuSeconds(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

function rssMb(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m?.[1] ? Number(m[1]) / 1024 : Number.NaN;
}

async function throughput(label: string, synchronous: string, batch: number, total: number, senders: number) {
  const dir = mkdtempSync(join(tmpdir(), 'faultline-bench-'));
  const { child, url } = await startServe(join(dir, 'bench.db'), synchronous);
  try {
    const bodies: string[] = [];
    for (let b = 0; b < total / batch; b++)
      bodies.push(
        JSON.stringify(Array.from({ length: batch }, (_, i) => prediction(b * batch + i, 3_600_000))),
      );
    const post = async (body: string) => {
      const res = await fetch(`${url}/v1/models/bench/predictions`, {
        method: 'POST',
        headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
        body,
      });
      if (res.status !== 200) throw new Error(`status ${res.status}: ${await res.text()}`);
      await res.arrayBuffer();
    };
    await post(JSON.stringify([{ ...prediction(total + 1, 0), id: 'warm-up' }])); // warm up the route and the window
    let next = 0;
    const cpu0 = cpuSeconds(child.pid!);
    const t0 = performance.now();
    await Promise.all(
      Array.from({ length: senders }, async () => {
        while (next < bodies.length) await post(bodies[next++] as string);
      }),
    );
    const s = (performance.now() - t0) / 1000;
    const cpu = cpuSeconds(child.pid!) - cpu0;
    figure(`${label}`, total / s, 'predictions/s');
    // Throughput per CPU-second of the collector: what one free core sustains, whatever else runs.
    figure(`  same, per CPU-second of the collector process`, total / cpu, 'predictions/s');
    return { dir, child, url, rss: rssMb(child.pid!) };
  } catch (e) {
    await stop(child);
    rmSync(dir, { recursive: true, force: true });
    throw e;
  }
}

function sdkLogCost(): void {
  const calls = 200_000;
  const m = createMonitor({
    url: 'http://127.0.0.1:9',
    token: TOKEN,
    model: 'bench',
    version: 'v1',
    artifactHash: 'h',
    heartbeatIntervalMs: 0,
    flushIntervalMs: 3_600_000,
    maxBufferEvents: calls + 10,
    maxBatchEvents: calls + 10,
    flushOnExit: false,
  });
  const inputs = Array.from({ length: 1000 }, (_, i) => ({
    features: features(i),
    output: { class: 'stay', probabilities: { churn: 0.2 } },
    latencyMs: 3,
  }));
  for (let i = 0; i < 20_000; i++) m.log(inputs[i % 1000]!); // warm-up (JIT)
  const times = new Float64Array(calls);
  for (let i = 0; i < calls; i++) {
    const t = process.hrtime.bigint();
    m.log(inputs[i % 1000]!);
    times[i] = Number(process.hrtime.bigint() - t) / 1000;
  }
  times.sort();
  figure('SDK log() on the caller thread, p50', times[Math.floor(calls * 0.5)]!, 'µs', 2);
  figure('SDK log() on the caller thread, p99', times[Math.floor(calls * 0.99)]!, 'µs', 2);
  void m.close().catch(() => {});
}

export async function run(): Promise<void> {
  const total = 100_000;
  const durable = await throughput(
    'ingest, 20 features, batches of 1000, synchronous=FULL',
    'full',
    1000,
    total,
    4,
  );
  await stop(durable.child);
  rmSync(durable.dir, { recursive: true, force: true });
  for (const [label, sync, batch] of [
    ['ingest, 20 features, batches of 500, synchronous=FULL', 'full', 500],
    ['ingest, 20 features, batches of 1000, synchronous=NORMAL', 'normal', 1000],
  ] as const) {
    const r = await throughput(label, sync, batch, total, 4);
    await stop(r.child);
    rmSync(r.dir, { recursive: true, force: true });
  }

  sdkLogCost();

  // 1 000 windows: 60 000 predictions spread over 1 000 five-minute buckets.
  const dir = mkdtempSync(join(tmpdir(), 'faultline-bench-'));
  const db = join(dir, 'windows.db');
  const { child, url } = await startServe(db, 'full');
  figure('collector RSS at start (node, tsx loader, fastify, SQLite)', rssMb(child.pid!), 'MB');
  try {
    await fetch(`${url}/v1/models`, {
      method: 'POST',
      headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'bench', windowMs: 3_600_000, bucketMs: 300_000 }),
    });
    const perWindow = 60;
    for (let b = 0; b < 60; b++) {
      const events = Array.from({ length: 1000 }, (_, i) => {
        const n = b * 1000 + i;
        return { ...prediction(n, 0), timestamp: T0 + Math.floor(n / perWindow) * 300_000 };
      });
      const res = await fetch(`${url}/v1/models/bench/predictions`, {
        method: 'POST',
        headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
        body: JSON.stringify(events),
      });
      if (res.status !== 200) throw new Error(await res.text());
    }
    const q = await fetch(`${url}/v1/models/bench/windows?windowMs=300000&limit=2000`, {
      headers: { authorization: `Bearer ${TOKEN}` },
    });
    const windows = ((await q.json()) as { windows: unknown[] }).windows.length;
    figure(`collector RSS after writing and reading ${windows} windows`, rssMb(child.pid!), 'MB');
  } finally {
    await stop(child);
  }
  const store = await openSqliteStore(db, { synchronous: 'normal' });
  const stats = store.storageStats();
  figure('stored windows', stats.windows, 'windows', 0);
  figure(
    'bytes per stored window on disk (60 predictions, 20 features)',
    stats.windowBytes / stats.windows,
    'bytes',
  );
  v8.setFlagsFromString('--expose_gc');
  const gc = runInNewContext('gc') as () => void;
  gc();
  // Heap plus typed-array buffers (sketch registers live outside the JS heap).
  const used = () => process.memoryUsage().heapUsed + process.memoryUsage().arrayBuffers;
  const before = used();
  const held = await store.listWindows('default', 'bench', { limit: 5000 });
  gc();
  const after = used();
  figure(`memory of ${held.length} decoded windows held at once (heap + buffers)`, mb(after - before), 'MB');
  await store.close();
  rmSync(dir, { recursive: true, force: true });
  figure('load average (1 min) while measuring, 2 cores', loadavg()[0] ?? Number.NaN, '');
}
