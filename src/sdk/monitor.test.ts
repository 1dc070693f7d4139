/**
 * SDK tests against a real collector (the app on a temporary SQLite file, listening on a free port), a
 * closed port for "collector down", and a tiny HTTP stand-in for the collector where a failure pattern is
 * needed (503 for a while, with or without `Retry-After`, then 200). Times are real and made short through
 * the options; `Retry-After` in fractions of a second stands for the collector's seconds.
 */
import { spawn } from 'node:child_process';
import { getEventListeners } from 'node:events';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { TestCollector } from '../server/testing.js';
import { startTestCollector } from '../server/testing.js';
import type { Monitor, MonitorOptions } from './index.js';
import { createMonitor } from './index.js';
import type { StandInRequest } from './testing.js';
import { eventIds, outage, startStandIn as standIn } from './testing.js';
import { backoffMs, parseRetryAfter, postBatch } from './transport.js';

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
    m.log({ id: 'dropped', features: {} });
    m.log({ id: 'kept', features: {} });
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

describe('heartbeat overrides', () => {
  it('send the time, interval, host metrics, checks and fingerprint given instead of the measured ones', async () => {
    const errors: Error[] = [];
    const m = monitor({ onError: (e) => errors.push(e) });
    const at = Date.now() - 3_600_000;
    const fingerprint = {
      runtime: 'node 20.11.0',
      lockfileHash: 'sha256:1',
      packages: { onnxruntime: '1.17.0' },
    };
    await m.heartbeat({
      timestamp: new Date(at).toISOString(),
      intervalMs: 300_000,
      host: { cpuPercent: 97.5, temperatureC: 91, throttled: 1, gpuMemoryBytes: null },
      checks: [{ name: 'read_model', ok: false, detail: 'EACCES' }],
      fingerprint,
    });
    // Only some of them: the rest is measured as usual.
    await m.heartbeat({ checks: [{ name: 'warmup', ok: true }] });
    const beats = await c.store.listHeartbeats('acme', { limit: 5 });
    expect(errors).toEqual([]);
    const replayed = beats.find((b) => b.timestampMs === at);
    expect(replayed).toMatchObject({
      instance: 'pod-1',
      model: 'churn',
      version: 'v3',
      intervalMs: 300_000,
      host: { cpuPercent: 97.5, temperatureC: 91, throttled: 1, gpuMemoryBytes: null },
      checks: [{ name: 'read_model', ok: false, detail: 'EACCES' }],
      fingerprint,
      sdk: { name: 'faultline-node' },
    });
    const live = beats.find((b) => b.timestampMs !== at);
    expect(live?.checks).toEqual([{ name: 'warmup', ok: true }]);
    expect(live?.host).toMatchObject({ memoryTotalBytes: expect.any(Number) });
    expect(live?.fingerprint?.runtime).toBe(`node ${process.version}`);
  });

  it('that the collector would refuse are reported with the field, never thrown, and nothing is sent', async () => {
    const errors: Error[] = [];
    const m = monitor({ onError: (e) => errors.push(e) });
    const bad: unknown[] = [
      { host: { cpuPercent: 'hot' } },
      { timestamp: 'yesterday' },
      { intervalMs: -5 },
      { checks: [{ name: 'read_model' }] },
      { temperature: 90 },
      'now',
      null,
    ];
    for (const overrides of bad)
      await expect(m.heartbeat(overrides as Parameters<Monitor['heartbeat']>[0])).resolves.toBeUndefined();
    expect(await c.store.listHeartbeats('acme', { limit: 5 })).toEqual([]);
    expect(m.stats().dropped).toEqual({ invalid: bad.length });
    expect(errors.map((e) => e.message.split(':')[1]?.trim())).toEqual([
      'host.cpuPercent',
      'timestamp',
      'intervalMs',
      'checks.0.ok',
      '(overrides)',
      '(overrides)',
      '(overrides)',
    ]);
    expect(errors[0]!.message).toMatch(
      /^faultline heartbeat: host\.cpuPercent: .+; the heartbeat was not sent$/,
    );
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
      flushTimeoutMs: 300,
      onError: (e) => errors.push(e),
    });
    const t0 = performance.now();
    for (let i = 0; i < 25; i++) m.log({ features: { i } });
    // Generous for a loaded machine: the point is that no call waits for the network.
    expect(performance.now() - t0).toBeLessThan(500);
    expect(m.stats()).toMatchObject({ buffered: 10, dropped: { bufferFull: 15 } });
    await m.flush();
    // Still held after many more attempts than maxRetries: that bounds heartbeats, not buffered events.
    const held = m.stats();
    expect(held).toMatchObject({ buffered: 10, sent: 0, dropped: { bufferFull: 15 } });
    expect(held.retries).toBeGreaterThan(2);
    expect(errors[0]?.message).toMatch(/faultline predictions/);
    const t1 = performance.now();
    await m.close();
    expect(performance.now() - t1).toBeLessThan(2_000);
    expect(m.stats()).toMatchObject({ buffered: 0, sent: 0, dropped: { bufferFull: 15, unsent: 10 } });
    expect(errors.at(-1)?.message).toBe('faultline: closed with 10 events undelivered');
    m.log({ features: {} });
    expect(m.stats().dropped).toMatchObject({ closed: 1 });
  });

  it('keeps batches through an outage longer than any retry count, honouring Retry-After, and loses nothing', async () => {
    // 503 ingest.log_full with Retry-After for the first 2 s (twenty "seconds" at 0.1 s each), then 200.
    const s = await standIn(outage(2_000, '0.2'));
    try {
      const m = monitor({
        url: s.url,
        maxBatchEvents: 10,
        retry: { maxRetries: 2, baseDelayMs: 5, maxDelayMs: 50, timeoutMs: 1_000 },
        flushTimeoutMs: 10_000,
      });
      for (let i = 0; i < 30; i++) m.log({ id: `e${i}`, features: { i } });
      await new Promise((r) => setTimeout(r, 1_000));
      // Newer events logged during the outage go out after the batch that waits.
      for (let i = 30; i < 40; i++) m.log({ id: `e${i}`, features: { i } });
      await m.flush();
      expect(s.refused()).toBeGreaterThan(6);
      expect(s.delivered()).toEqual(eventIds(0, 40));
      expect(Math.min(...s.waitsAfterRefusal())).toBeGreaterThanOrEqual(200);
      expect(s.maxConcurrent()).toBe(1);
      expect(m.stats()).toMatchObject({ buffered: 0, sent: 40, retries: s.refused(), dropped: {} });
    } finally {
      await s.close();
    }
  });

  it('waits until the HTTP date a Retry-After names', async () => {
    let until: string | undefined;
    const s = await standIn(() => {
      if (until !== undefined) return { status: 200 };
      until = new Date(Date.now() + 1_500).toUTCString();
      return { status: 503, retryAfter: until };
    });
    try {
      const m = monitor({ url: s.url, retry: { baseDelayMs: 1, maxDelayMs: 5 }, flushTimeoutMs: 5_000 });
      m.log({ id: 'a', features: {} });
      await m.flush();
      expect(s.delivered()).toEqual(['a']);
      expect((s.requests[1] as StandInRequest).wallMs).toBeGreaterThanOrEqual(Date.parse(until as string));
    } finally {
      await s.close();
    }
  });

  it('with the collector down, drops exactly the oldest events beyond the bound, undelivered batch first', async () => {
    let down = true;
    const s = await standIn(() => (down ? { status: 503, retryAfter: '0.3' } : { status: 200 }));
    try {
      const m = monitor({
        url: s.url,
        maxBufferEvents: 10,
        maxBatchEvents: 4,
        retry: { baseDelayMs: 1, maxDelayMs: 5 },
        flushTimeoutMs: 5_000,
      });
      for (let i = 0; i < 15; i++) m.log({ id: `e${i}`, features: { i } });
      expect(m.stats()).toMatchObject({ buffered: 10, dropped: { bufferFull: 5 } });
      while (s.requests.length < 2) await new Promise((r) => setTimeout(r, 10));
      // The batch e5..e8 was refused and waits for its retry: it holds the oldest events, so they go first.
      await new Promise((r) => setTimeout(r, 100));
      for (let i = 15; i < 18; i++) m.log({ id: `e${i}`, features: { i } });
      expect(m.stats()).toMatchObject({ buffered: 10, dropped: { bufferFull: 8 } });
      down = false;
      await m.flush();
      expect(s.delivered()).toEqual(eventIds(8, 18));
      expect(m.stats()).toMatchObject({ buffered: 0, sent: 10, dropped: { bufferFull: 8 } });
      expect(s.maxConcurrent()).toBe(1);
    } finally {
      await s.close();
    }
  });

  it('flush waits for a slow collector that keeps taking batches, longer than flushTimeoutMs in all', async () => {
    const s = await standIn(() => ({ status: 200, delayMs: 150 }));
    try {
      const m = monitor({ url: s.url, maxBatchEvents: 2, flushTimeoutMs: 300 });
      for (let i = 0; i < 10; i++) m.log({ id: `e${i}`, features: { i } });
      const t0 = performance.now();
      await m.flush();
      expect(performance.now() - t0).toBeGreaterThan(600);
      expect(s.delivered()).toEqual(eventIds(0, 10));
      expect(m.stats()).toMatchObject({ buffered: 0, sent: 10, dropped: {} });
    } finally {
      await s.close();
    }
  });

  it('retries with back-off until the collector answers', async () => {
    let calls = 0;
    const s = await standIn(() => {
      calls += 1;
      return { status: calls <= 2 ? 503 : 200 };
    });
    try {
      const m = monitor({ url: s.url, retry: { baseDelayMs: 5, maxDelayMs: 20, timeoutMs: 1000 } });
      m.log({ id: 'a', features: { a: 1 } });
      m.log({ id: 'b', features: { a: 2 } });
      await m.flush();
      expect(calls).toBe(3);
      expect(s.delivered()).toEqual(['a', 'b']);
      expect(m.stats()).toMatchObject({ sent: 2, retries: 2, dropped: {} });
    } finally {
      await s.close();
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

describe('sending one batch', () => {
  it('reads Retry-After as seconds or an HTTP date, and ignores what it cannot read', () => {
    expect(parseRetryAfter('10', 0)).toBe(10_000);
    expect(parseRetryAfter(' 0.25 ', 0)).toBe(250);
    expect(parseRetryAfter('Thu, 01 Jan 1970 00:00:30 GMT', 10_000)).toBe(20_000);
    expect(parseRetryAfter('Thu, 01 Jan 1970 00:00:05 GMT', 10_000)).toBe(0);
    for (const bad of [null, '', '-3', 'soon']) expect(parseRetryAfter(bad, 0)).toBeUndefined();
  });

  it('backs off within the cap, but never sooner than Retry-After', () => {
    const policy = { baseDelayMs: 200, maxDelayMs: 30_000 };
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 60 }),
        fc.double({ min: 0, max: 0.999_999, noNaN: true }),
        fc.option(fc.integer({ min: 0, max: 120_000 }), { nil: undefined }),
        (failures, u, after) => {
          const d = backoffMs(failures, policy, () => u, after);
          const cap = Math.min(30_000, 200 * 2 ** (failures - 1));
          expect(d).toBeGreaterThanOrEqual(after ?? 0);
          expect(d).toBeLessThanOrEqual(Math.max(cap, after ?? 0));
        },
      ),
    );
  });

  it('after a 413 sends the halves in turn and leaves the end of the batch when a half must wait', async () => {
    const s = await standIn((_at, ids) =>
      ids.length > 2
        ? { status: 413 }
        : ids.includes('c')
          ? { status: 503, retryAfter: '7' }
          : { status: 200 },
    );
    try {
      const first = await postBatch(
        `${s.url}/x`,
        't',
        [{ id: 'a' }, { id: 'b' }, { id: 'c' }, { id: 'd' }],
        1_000,
      );
      expect(first).toMatchObject({ delivered: 2, rejected: 0, unsent: 2, retryAfterMs: 7_000 });
      const second = await postBatch(`${s.url}/x`, 't', [{ id: 'c' }, { id: 'd' }, { id: 'e' }], 1_000);
      expect(second).toMatchObject({ delivered: 0, unsent: 3 });
      // The half after the one that must wait is not tried.
      expect(s.requests.map((r) => r.ids.join(''))).toEqual(['abcd', 'ab', 'cd', 'cde', 'cd']);
    } finally {
      await s.close();
    }
  });
});

describe('postBatch and its cancel signal', () => {
  it('leaves no listener on the signal after each request, and a cancelled signal stops the request', async () => {
    const s = await standIn(() => ({ status: 200 }));
    try {
      const cancel = new AbortController();
      for (let i = 0; i < 30; i++)
        expect(await postBatch(`${s.url}/x`, 't', [{ id: `e${i}` }], 1_000, cancel.signal)).toMatchObject({
          delivered: 1,
        });
      expect(getEventListeners(cancel.signal, 'abort')).toHaveLength(0);
      cancel.abort();
      const r = await postBatch(`${s.url}/x`, 't', [{ id: 'late' }], 1_000, cancel.signal);
      expect(r).toMatchObject({ delivered: 0, unsent: 1 });
      expect(s.requests).toHaveLength(30);
    } finally {
      await s.close();
    }
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
