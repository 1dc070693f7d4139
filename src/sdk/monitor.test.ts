/**
 * SDK tests against a real collector (the app on a temporary SQLite file, listening on a free port), a
 * closed port for "collector down", and a tiny HTTP stand-in for the collector where a failure pattern is
 * needed (503 twice, then 200).
 */
import { spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { TestCollector } from '../server/testing.js';
import { startTestCollector } from '../server/testing.js';
import type { Monitor, MonitorOptions } from './index.js';
import { createMonitor } from './index.js';

let c: TestCollector;
let url: string;
const monitors: Monitor[] = [];

beforeEach(async () => {
  c = await startTestCollector({ maxBodyBytes: 16_384 });
  c.clock.set(Date.now());
  url = await c.app.listen({ host: '127.0.0.1', port: 0 });
});
afterEach(async () => {
  for (const m of monitors.splice(0)) await m.close();
  await c.close();
});

function monitor(extra: Partial<MonitorOptions> = {}): Monitor {
  const m = createMonitor({
    url,
    token: c.tokens.ingest,
    model: 'churn',
    version: 'v3',
    artifactHash: 'sha256:abc',
    instance: 'pod-1',
    heartbeatIntervalMs: 0,
    flushIntervalMs: 50,
    ...extra,
  });
  monitors.push(m);
  return m;
}

const predictions = async () =>
  (await c.store.listPredictions('acme', 'churn', { limit: 1000 })).map((p) => p.id).sort();

describe('reporting to a collector', () => {
  it('sends predictions, labels, feedback and events, which then show in the store', async () => {
    const m = monitor();
    const id = m.log({
      features: { age: 41, plan: 'pro' },
      output: { class: 'churn', probabilities: { churn: 0.7 } },
      latencyMs: 4,
    });
    m.log({ id: 'fixed-1', features: { age: 22, plan: 'free' }, output: { class: 'stay' } });
    m.label('fixed-1', 'stay');
    m.feedback({ predictionId: id, item: 'offer-7', position: 0, action: 'shown' });
    m.event({ kind: 'deploy', message: 'v3 rolled out' });
    await m.flush();
    expect(await predictions()).toEqual([id, 'fixed-1'].sort());
    const p = await c.store.getPrediction('acme', 'churn', id);
    expect(p).toMatchObject({ version: 'v3', artifactHash: 'sha256:abc', instance: 'pod-1', latencyMs: 4 });
    expect((await c.store.getPrediction('acme', 'churn', 'fixed-1'))?.label?.value).toBe('stay');
    expect((await c.store.listEvents('acme', { limit: 5 }))[0]).toMatchObject({
      kind: 'deploy',
      model: 'churn',
      version: 'v3',
    });
    expect(m.stats()).toMatchObject({ buffered: 0, sent: 5, dropped: {} });
  });

  it('copies the features, so the caller may reuse its object', async () => {
    const m = monitor();
    const features = { x: 1 };
    m.log({ id: 'a', features });
    features.x = 2;
    await m.flush();
    expect((await c.store.getPrediction('acme', 'churn', 'a'))?.features).toEqual({ x: 1 });
  });

  it('splits a batch the collector finds too large (413) and delivers all of it', async () => {
    const m = monitor({ maxBatchEvents: 200, flushIntervalMs: 60_000 });
    for (let i = 0; i < 150; i++) m.log({ id: `p${i}`, features: { text: 'y'.repeat(300) } });
    await m.flush();
    expect((await predictions()).length).toBe(150);
    expect(m.stats().dropped).toEqual({});
  });

  it('sends heartbeats with fingerprint, host metrics, self-checks and drop counts', async () => {
    const dir = join(c.dir, 'app');
    mkdirSync(dir);
    writeFileSync(join(dir, 'model.onnx'), 'weights');
    writeFileSync(join(dir, 'package-lock.json'), '{"lockfileVersion": 3}');
    const errors: Error[] = [];
    const m = monitor({
      maxBufferEvents: 1,
      onError: (e) => errors.push(e),
      fingerprint: { root: dir, packages: ['fastify', 'not-installed-pkg'] },
      selfChecks: {
        modelPath: join(dir, 'model.onnx'),
        writablePaths: [join(dir, 'missing-out')],
        custom: { gpu: () => false },
      },
    });
    m.log({ id: 'kept', features: {} });
    m.log({ id: 'dropped', features: {} });
    await m.heartbeat();
    const [beat] = await c.store.listHeartbeats('acme', { limit: 1 });
    expect(beat?.fingerprint).toMatchObject({
      runtime: `node ${process.version}`,
      lockfileHash: expect.stringMatching(/^sha256:[0-9a-f]{64}$/),
      packages: { 'not-installed-pkg': 'missing' },
    });
    expect(beat?.host).toMatchObject({
      memoryTotalBytes: expect.any(Number),
      processRssBytes: expect.any(Number),
    });
    expect(beat?.checks.map((x) => [x.name.split(':')[0], x.ok])).toEqual([
      ['read_model', true],
      ['write', false],
      ['gpu', false],
    ]);
    expect(beat?.sdk).toMatchObject({ name: 'faultline-node', dropped: { bufferFull: 1 } });
    const [inst] = await c.store.listInstances('acme', {});
    expect(inst?.failedChecks).toHaveLength(2);
    expect(errors).toEqual([]);
  });
});

describe('wrap', () => {
  it('returns the result unchanged and records ok calls with their latency', async () => {
    const m = monitor();
    const predict = m.wrap((x: number) => ({ score: x / 10 }), {
      id: (x) => `call-${x}`,
      features: (x) => ({ x }),
      output: (r) => ({ score: r.score }),
    });
    const out = predict(3);
    expect(out).toEqual({ score: 0.3 });
    await m.flush();
    const p = await c.store.getPrediction('acme', 'churn', 'call-3');
    expect(p).toMatchObject({ features: { x: 3 }, output: { score: 0.3 }, status: 'ok' });
    expect(p?.latencyMs).toBeGreaterThanOrEqual(0);
  });

  it('returns the very same promise and rethrows the same error object', async () => {
    const m = monitor();
    const failure = new RangeError('bad input');
    const pending = Promise.resolve(7);
    const asyncOk = m.wrap(() => pending, { id: () => 'async-ok' });
    expect(asyncOk()).toBe(pending);
    const syncFail = m.wrap(
      () => {
        throw failure;
      },
      { id: () => 'sync-fail' },
    );
    let caught: unknown;
    try {
      syncFail();
    } catch (e) {
      caught = e;
    }
    expect(caught).toBe(failure);
    const asyncFail = m.wrap(async () => Promise.reject(failure), { id: () => 'async-fail' });
    await expect(asyncFail()).rejects.toBe(failure);
    await new Promise((r) => setTimeout(r, 5));
    await m.flush();
    expect(await c.store.getPrediction('acme', 'churn', 'sync-fail')).toMatchObject({
      status: 'error',
      errorKind: 'RangeError',
    });
    expect((await c.store.getPrediction('acme', 'churn', 'async-fail'))?.status).toBe('error');
    expect((await c.store.getPrediction('acme', 'churn', 'async-ok'))?.status).toBe('ok');
  });

  it('records a call slower than timeoutMs as a timeout', async () => {
    const m = monitor();
    const slow = m.wrap(() => new Promise((r) => setTimeout(() => r('late'), 30)), {
      id: () => 'slow',
      timeoutMs: 5,
    });
    expect(await slow()).toBe('late');
    await m.flush();
    expect(await c.store.getPrediction('acme', 'churn', 'slow')).toMatchObject({
      status: 'timeout',
      errorKind: 'timeout',
    });
  });
});

describe('when things go wrong', () => {
  it('never throws or blocks while the collector is down, bounds its buffer and counts drops', async () => {
    const errors: Error[] = [];
    const m = monitor({
      url: 'http://127.0.0.1:9', // discard port: nothing listens
      maxBufferEvents: 10,
      maxBatchEvents: 100,
      retry: { maxRetries: 2, baseDelayMs: 1, maxDelayMs: 2, timeoutMs: 500 },
      onError: (e) => errors.push(e),
    });
    const t0 = performance.now();
    for (let i = 0; i < 25; i++) m.log({ features: { i } });
    // Generous for a loaded machine: the point is that no call waits for the network.
    expect(performance.now() - t0).toBeLessThan(500);
    expect(m.stats()).toMatchObject({ buffered: 10, dropped: { bufferFull: 15 } });
    await m.flush();
    expect(m.stats()).toMatchObject({
      buffered: 0,
      sent: 0,
      retries: 2,
      dropped: { bufferFull: 15, sendFailed: 10 },
    });
    expect(errors[0]?.message).toMatch(/faultline predictions/);
  });

  it('retries with back-off until the collector answers', async () => {
    let calls = 0;
    const standIn: Server = createServer((req, res) => {
      let body = '';
      req.on('data', (d) => {
        body += d;
      });
      req.on('end', () => {
        calls += 1;
        if (calls <= 2) {
          res.writeHead(503).end();
          return;
        }
        const n = (JSON.parse(body) as unknown[]).length;
        res
          .writeHead(200, { 'content-type': 'application/json' })
          .end(JSON.stringify({ accepted: n, duplicates: 0, rejected: [] }));
      });
    });
    await new Promise<void>((r) => standIn.listen(0, '127.0.0.1', r));
    try {
      const m = monitor({
        url: `http://127.0.0.1:${(standIn.address() as AddressInfo).port}`,
        retry: { maxRetries: 5, baseDelayMs: 5, maxDelayMs: 20, timeoutMs: 1000 },
      });
      m.log({ features: { a: 1 } });
      m.log({ features: { a: 2 } });
      await m.flush();
      expect(calls).toBe(3);
      expect(m.stats()).toMatchObject({ sent: 2, retries: 2, dropped: {} });
    } finally {
      standIn.close();
    }
  });

  it('counts events the collector rejects and reports why', async () => {
    const errors: Error[] = [];
    const m = monitor({ onError: (e) => errors.push(e) });
    m.log({ id: 'ok', features: { a: 1 } });
    m.log({ id: 'bad', features: { a: [1, 2] as unknown as number } });
    await m.flush();
    expect(m.stats()).toMatchObject({ sent: 1, dropped: { rejected: 1 } });
    expect(errors[0]?.message).toContain('features.a');
    const unauth = monitor({ token: 'flt_wrong', onError: (e) => errors.push(e) });
    unauth.log({ features: {} });
    await unauth.flush();
    expect(unauth.stats().dropped).toEqual({ rejected: 1 });
    expect(errors.at(-1)?.message).toContain('auth.token_invalid');
  });

  it('turns unusable options into a monitor that drops everything and says why', async () => {
    const errors: Error[] = [];
    const m = createMonitor({
      url: 'not a url',
      token: 't',
      model: 'm',
      version: 'v',
      artifactHash: 'h',
      onError: (e) => errors.push(e),
    });
    expect(() => m.log({ features: {} })).not.toThrow();
    expect(errors[0]?.message).toMatch(/disabled/);
    const fn = () => 1;
    expect(m.wrap(fn)).toBe(fn);
  });
});

describe('process exit', () => {
  it('flushes what is buffered when the process exits on its own', async () => {
    const sdk = join(import.meta.dirname, 'index.ts');
    const script = `
      const { createMonitor } = await import(${JSON.stringify(sdk)});
      const m = createMonitor({ url: ${JSON.stringify(url)}, token: ${JSON.stringify(c.tokens.ingest)}, model: 'churn',
        version: 'v1', artifactHash: 'h', heartbeatIntervalMs: 0, flushIntervalMs: 60000 });
      for (let i = 0; i < 20; i++) m.log({ id: 'exit-' + i, features: { i } });
    `;
    const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
      cwd: join(import.meta.dirname, '..', '..'),
      stdio: 'inherit',
    });
    const code = await new Promise((r) => child.on('exit', r));
    expect(code).toBe(0);
    expect((await predictions()).filter((id) => id.startsWith('exit-'))).toHaveLength(20);
  });
});
