/**
 * The Python client (clients/python/faultline_client.py, standard library only) against a running
 * collector: a real `python3` process logs predictions, labels, feedback, an event and a heartbeat, wraps a
 * function, sends one bad event, sends heartbeats with overrides (bad ones are refused before sending), and
 * also talks to a closed port to show it never raises. Against a stand-in collector it rides out a long
 * `ingest.log_full` outage with `Retry-After` and bounds its buffer.
 */
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventIds, outage, startStandIn } from '../sdk/testing.js';
import type { TestCollector } from './testing.js';
import { startTestCollector } from './testing.js';

const clientDir = join(import.meta.dirname, '..', '..', 'clients', 'python');
let c: TestCollector;
let url: string;

beforeAll(async () => {
  c = await startTestCollector();
  c.clock.set(Date.now());
  url = await c.app.listen({ host: '127.0.0.1', port: 0 });
});
afterAll(async () => {
  await c.close();
});

/** Runs a Python script asynchronously (the collector answers from this same process meanwhile). */
function python(script: string): Promise<{ status: number | null; stdout: string; stderr: string }> {
  const file = join(c.dir, 'script.py');
  writeFileSync(file, script);
  return new Promise((resolve, reject) => {
    const child = spawn('python3', [file], {
      env: { ...process.env, PYTHONPATH: clientDir, PYTHONDONTWRITEBYTECODE: '1' },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString();
    });
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
    });
    child.on('error', (e) =>
      reject(new Error(`python3 could not run (${e.message}); install python3 to run this test`)),
    );
    child.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}

describe('Python client', () => {
  it('reports to the collector and the data shows in the query API', async () => {
    const r = await python(`
import json, os, sys
from faultline_client import Monitor

errors = []
m = Monitor(${JSON.stringify(url)}, ${JSON.stringify(c.tokens.ingest)}, model="churn", version="v2",
            artifact_hash="sha256:py", instance="py-1", heartbeat_interval=0, flush_interval=0.05,
            packages=["pip"], model_path=__file__, writable_paths=["/nonexistent-dir"],
            on_error=errors.append)
ids = [m.log({"age": 30 + i, "plan": "pro" if i % 2 else "free", "vip": i == 3, "income": None},
             output={"class": "churn" if i % 3 == 0 else "stay", "probabilities": {"churn": 0.6}},
             latency_ms=2.5, id="py-%d" % i) for i in range(50)]
m.label("py-0", "churn")
m.label("py-1", "churn")
m.feedback("py-2", item="offer-1", action="clicked", position=0)
m.event("deploy", message="v2 out", attributes={"by": "ci"})
m.log({"age": [1, 2]}, id="bad")

def predict(x):
    if x < 0:
        raise ValueError("negative")
    return x * 2

wrapped = m.wrap(predict, features=lambda x: {"x": x}, output=lambda r: {"value": r}, id=lambda x: "w%d" % x)
assert wrapped(21) == 42
try:
    wrapped(-1)
    raise SystemExit("the error was swallowed")
except ValueError as e:
    assert str(e) == "negative"
m.heartbeat()
m.close()

down = Monitor("http://127.0.0.1:9", "flt_x", model="churn", version="v2", artifact_hash="h",
               heartbeat_interval=0, max_retries=1, retry_base_delay=0.001, max_buffer_events=3)
for i in range(5):
    down.log({"i": i})
down.close(timeout=0.5)
print(json.dumps({"stats": m.stats(), "errors": errors, "down": down.stats()}))
`);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const out = JSON.parse(r.stdout) as {
      stats: { sent: number; dropped: Record<string, number> };
      errors: string[];
      down: { sent: number; dropped: Record<string, number> };
    };
    expect(out.stats).toMatchObject({ sent: 56, dropped: { rejected: 1 } });
    expect(out.errors).toEqual([expect.stringContaining('features.age')]);
    expect(out.down).toMatchObject({ sent: 0, dropped: { bufferFull: 2, unsent: 3 } });

    const list = await c.call({
      method: 'GET',
      url: '/v1/models/churn/predictions?limit=1000',
      role: 'read',
    });
    expect(list.json().predictions).toHaveLength(52);
    const p0 = await c.call({ method: 'GET', url: '/v1/models/churn/predictions/py-0', role: 'read' });
    expect(p0.json()).toMatchObject({
      version: 'v2',
      artifactHash: 'sha256:py',
      instance: 'py-1',
      features: { age: 30, plan: 'free', vip: false, income: null },
      label: { value: 'churn' },
    });
    const w = await c.call({ method: 'GET', url: '/v1/models/churn/predictions/w-1', role: 'read' });
    expect(w.json()).toMatchObject({ status: 'error', errorKind: 'ValueError', features: { x: -1 } });
    const windows = await c.call({ method: 'GET', url: '/v1/models/churn/windows', role: 'read' });
    const win = windows.json().windows[0];
    expect(win).toMatchObject({
      predictions: 52,
      labels: { count: 2, classification: { correct: 1, total: 2 } },
    });
    const inst = await c.call({ method: 'GET', url: '/v1/instances', role: 'read' });
    expect(inst.json().instances[0]).toMatchObject({
      instance: 'py-1',
      failedChecks: ['write:/nonexistent-dir'],
      fingerprint: { runtime: expect.stringMatching(/^python 3\./), packages: { pip: expect.any(String) } },
    });
    const events = await c.call({ method: 'GET', url: '/v1/events?kind=deploy', role: 'read' });
    expect(events.json().events[0]).toMatchObject({ message: 'v2 out', model: 'churn', instance: 'py-1' });
  });

  it('sends the heartbeat overrides given and refuses bad ones with their field, counted, never raised', async () => {
    const at = Date.now() - 3_600_000;
    const r = await python(`
import json
from faultline_client import Monitor

errors = []
m = Monitor(${JSON.stringify(url)}, ${JSON.stringify(c.tokens.ingest)}, model="churn", version="v2",
            artifact_hash="sha256:py", instance="py-hb", heartbeat_interval=0, on_error=errors.append)
fingerprint = {"runtime": "python 3.11.7", "lockfileHash": "sha256:1", "packages": {"onnxruntime": "1.17.0"}}
m.heartbeat(timestamp=${at}, interval_ms=300000, fingerprint=fingerprint,
            host={"cpuPercent": 97.5, "temperatureC": 91, "throttled": 1, "gpuMemoryBytes": None},
            checks=[{"name": "read_model", "ok": False, "detail": "EACCES"}])
# Only some of them: the rest is measured as usual.
m.heartbeat(checks=[{"name": "warmup", "ok": True}])
sent = len(errors)
for bad in [dict(host={"cpuPercent": "hot"}), dict(timestamp="yesterday"), dict(timestamp=1700000000),
            dict(interval_ms=-5), dict(interval_ms=True), dict(checks=[{"name": "read_model"}]),
            dict(host={"load1": float("nan")}), dict(fingerprint={"packages": {"numpy": 2}}),
            dict(temperature=90), dict(checks="now")]:
    m.heartbeat(**bad)
print(json.dumps({"sent": sent, "errors": errors, "stats": m.stats()}))
m.close()
`);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const out = JSON.parse(r.stdout) as { sent: number; errors: string[]; stats: { dropped: object } };
    expect(out.sent).toBe(0);
    expect(out.stats.dropped).toEqual({ invalid: 10 });
    expect(out.errors.map((e) => e.split(': ')[1])).toEqual([
      'host.cpuPercent',
      'timestamp',
      'timestamp',
      'interval_ms',
      'interval_ms',
      'checks.0.ok',
      'host.load1',
      'fingerprint.packages.numpy',
      'temperature',
      'checks',
    ]);
    expect(out.errors[2]).toBe(
      'faultline heartbeat: timestamp: epoch milliseconds below 1e11 look like epoch seconds; send ' +
        'milliseconds; the heartbeat was not sent',
    );

    // Exactly the two good beats reached the collector: the replayed one as given, the live one measured.
    const beats = await c.store.listHeartbeats('acme', { instance: 'py-hb', limit: 20 });
    expect(beats).toHaveLength(2);
    const replayed = beats.find((b) => b.timestampMs === at);
    expect(replayed).toMatchObject({
      model: 'churn',
      version: 'v2',
      intervalMs: 300_000,
      host: { cpuPercent: 97.5, temperatureC: 91, throttled: 1, gpuMemoryBytes: null },
      checks: [{ name: 'read_model', ok: false, detail: 'EACCES' }],
      fingerprint: {
        runtime: 'python 3.11.7',
        lockfileHash: 'sha256:1',
        packages: { onnxruntime: '1.17.0' },
      },
      sdk: { name: 'faultline-python' },
    });
    const live = beats.find((b) => b.timestampMs !== at);
    expect(live?.checks).toEqual([{ name: 'warmup', ok: true }]);
    expect(live?.intervalMs).toBe(0);
    expect(live?.fingerprint?.runtime).toMatch(/^python 3\./);
  });

  it('keeps batches through an outage longer than any retry count, honouring Retry-After, and loses nothing', async () => {
    // 503 ingest.log_full with Retry-After for the first 2 s (twenty "seconds" at 0.1 s each), then 200.
    const s = await startStandIn(outage(2_000, '0.2'));
    try {
      const r = await python(`
import json, time
from faultline_client import Monitor, parse_retry_after

assert parse_retry_after("Thu, 01 Jan 1970 00:00:30 GMT", now=10) == 20
assert parse_retry_after("10") == 10 and parse_retry_after("soon") is None and parse_retry_after("-1") is None
m = Monitor(${JSON.stringify(s.url)}, "flt_x", model="churn", version="v2", artifact_hash="h", heartbeat_interval=0,
            flush_interval=0.05, max_batch_events=10, max_retries=1, retry_base_delay=0.005, retry_max_delay=0.05)
for i in range(30):
    m.log({"i": i}, id="e%d" % i)
time.sleep(1)
for i in range(30, 40):
    m.log({"i": i}, id="e%d" % i)
ok = m.flush(10)
print(json.dumps({"ok": ok, "stats": m.stats()}))
m.close()
`);
      expect(r.stderr).toBe('');
      expect(r.status).toBe(0);
      expect(s.refused()).toBeGreaterThan(6);
      expect(s.delivered()).toEqual(eventIds(0, 40));
      expect(Math.min(...s.waitsAfterRefusal())).toBeGreaterThanOrEqual(200);
      expect(s.maxConcurrent()).toBe(1);
      expect(JSON.parse(r.stdout)).toEqual({
        ok: true,
        stats: { buffered: 0, sent: 40, retries: s.refused(), dropped: {} },
      });
    } finally {
      await s.close();
    }
  });

  it('with the collector down, drops exactly the oldest events beyond the bound, undelivered batch first', async () => {
    let calls = 0;
    const s = await startStandIn(() => {
      calls += 1;
      return calls <= 2 ? { status: 503, retryAfter: '0.3' } : { status: 200 };
    });
    try {
      const r = await python(`
import json, time
from faultline_client import Monitor

m = Monitor(${JSON.stringify(s.url)}, "flt_x", model="churn", version="v2", artifact_hash="h", heartbeat_interval=0,
            flush_interval=0.05, max_buffer_events=10, max_batch_events=4, retry_base_delay=0.001,
            retry_max_delay=0.005)
for i in range(15):
    m.log({"i": i}, id="e%d" % i)
# The sender may take e0..e3 before the last events come (they then make room behind it, and the refused
# batch is trimmed on its answer) or after; either way e5..e14 are left and e5..e8 go first.
while m.stats()["retries"] < 2:
    time.sleep(0.005)
# The batch e5..e8 was refused twice and waits 0.3 s: it holds the oldest events, so they go first.
for i in range(15, 18):
    m.log({"i": i}, id="e%d" % i)
during = m.stats()
ok = m.flush(5)
print(json.dumps({"during": during, "ok": ok, "after": m.stats()}))
m.close()
`);
      expect(r.stderr).toBe('');
      expect(r.status).toBe(0);
      expect(JSON.parse(r.stdout)).toEqual({
        during: { buffered: 10, sent: 0, retries: 2, dropped: { bufferFull: 8 } },
        ok: true,
        after: { buffered: 0, sent: 10, retries: 2, dropped: { bufferFull: 8 } },
      });
      expect(s.delivered()).toEqual(eventIds(8, 18));
      expect(s.maxConcurrent()).toBe(1);
    } finally {
      await s.close();
    }
  });
});
