import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { issueToken } from '../auth.js';
import { type EngineCollector, MIN, send, setUpChurn } from '../engine/pipeline-testing.js';
import { TEST_T0 } from '../testing.js';

const open: EngineCollector[] = [];
const dirs: string[] = [];
afterEach(async () => {
  for (const c of open.splice(0)) await c.close();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

async function until(check: () => boolean, ms = 5000): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 20));
  }
}

type State = {
  model: string;
  source: string;
  expectations: { id: string; state: string; lastEvaluation: unknown }[];
};

describe('expectations API', () => {
  it('lists the defaults with their current state for every model', async () => {
    const c = await setUpChurn();
    open.push(c);
    let r = (await c.call({ method: 'GET', url: '/v1/expectations', role: 'read' })).json();
    expect(r.models).toEqual([expect.objectContaining({ model: 'churn', source: 'defaults' })]);
    expect(r.models[0].expectations.every((e: { state: string }) => e.state === 'unknown')).toBe(true);
    expect(r.defaults.map((e: { id: string }) => e.id)).toContain('latency_p99');
    expect(r.file).toBeNull();
    await send(c, 0, 41);
    await c.engine.scheduler.tick();
    r = (await c.call({ method: 'GET', url: '/v1/expectations?model=churn', role: 'read' })).json();
    const byId = Object.fromEntries((r.models[0] as State).expectations.map((e) => [e.id, e]));
    expect(byId.latency_p99).toMatchObject({
      state: 'violated',
      lastEvaluation: {
        status: 'violated',
        figure: { value: 2400, threshold: 1000 },
        scope: { instances: ['i-3'] },
      },
    });
    expect(byId.accuracy).toMatchObject({ state: 'unknown', over: '1d' });
  });

  it('reads back each evaluation with its figure and window, filtered, newest first, in the token’s project', async () => {
    const c = await setUpChurn();
    open.push(c);
    await send(c, 0, 41);
    await c.engine.scheduler.tick();
    type Wire = {
      expectationId: string;
      status: string;
      window: { start: string; end: string };
      figure: { value: number | null; threshold: number; comparator: string };
    };
    const get = async (q: string, token?: string) =>
      c.call({ method: 'GET', url: `/v1/evaluations${q}`, role: 'read', ...(token ? { token } : {}) });
    const list = async (q: string, token?: string) => (await get(q, token)).json().evaluations as Wire[];
    const at = (m: number) => new Date(TEST_T0 + m * MIN).toISOString();

    // Eight five-minute windows up to the watermark; i-3 breaks p99 from minute 30.
    const p99 = await list('?model=churn&expectation=latency_p99');
    expect(p99.map((e) => e.window.end)).toEqual([40, 35, 30, 25, 20, 15, 10, 5].map(at));
    expect(p99.every((e) => e.expectationId === 'latency_p99')).toBe(true);
    expect(p99[0]).toMatchObject({
      status: 'violated',
      window: { start: at(35), end: at(40) },
      figure: { value: 2400, threshold: 1000, comparator: '<' },
    });
    expect(p99[2]).toMatchObject({ status: 'met', figure: { value: 300 } });
    // The same figures the incident was opened on.
    const incident = (await c.call({ method: 'GET', url: '/v1/incidents', role: 'read' })).json()
      .incidents[0];
    const opening = await list(
      `?model=churn&expectation=latency_p99&from=${incident.openedAt}&to=${Date.parse(incident.openedAt) + 1}`,
    );
    expect(opening).toHaveLength(1);
    expect(opening[0]!.window.start).toBe(incident.onset);

    expect((await list('?model=churn&status=violated')).map((e) => e.window.end)).toEqual([at(40), at(35)]);
    expect(
      (await list(`?model=churn&expectation=latency_p99&from=${at(20)}&to=${at(30)}`)).map(
        (e) => e.window.end,
      ),
    ).toEqual([at(25), at(20)]);
    expect(await list('?model=churn&expectation=latency_p99&limit=1')).toHaveLength(1);
    expect(await list('?model=other')).toEqual([]);
    expect((await list('?model=churn')).length).toBeGreaterThan(p99.length);

    // Another project's token sees none of it.
    const stranger = await issueToken(c.store, { project: 'elsewhere', role: 'read', label: 'x' }, TEST_T0);
    expect(await list('?model=churn', stranger.token)).toEqual([]);

    for (const [q, field] of [
      ['?limit=0', 'limit'],
      ['?limit=5001', 'limit'],
      ['?status=broken', 'status'],
      ['?from=soon', 'from'],
      ['?model=churn&window=1h', 'window'],
    ] as const) {
      const bad = await get(q);
      expect(bad.statusCode, q).toBe(400);
      expect(bad.json().error.code).toBe('request.invalid');
      expect(JSON.stringify(bad.json().error), q).toContain(field);
    }
    expect((await c.call({ method: 'GET', url: '/v1/evaluations', role: 'none' })).statusCode).toBe(401);
  });

  it('sets a model’s expectations through the API, reports every bad field, and drops them', async () => {
    const c = await setUpChurn();
    open.push(c);
    const bad = await c.call({
      method: 'PUT',
      url: '/v1/models/churn/expectations',
      payload: {
        useDefaults: false,
        expectations: [{ id: 'p99', metric: 'latency_p99_ms', comparator: 'lt', threshold: 'high' }],
      },
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.code).toBe('request.invalid');
    expect(bad.json().error.issues.map((i: { field: string }) => i.field)).toContain(
      'expectations.0.threshold',
    );
    const typo = await c.call({
      method: 'PUT',
      url: '/v1/models/churn/expectations',
      payload: { expectatons: [] },
    });
    expect(typo.statusCode).toBe(400);
    expect(typo.json().error.message).toMatch(/expectatons/);
    const forbidden = await c.call({
      method: 'PUT',
      url: '/v1/models/churn/expectations',
      payload: {},
      role: 'ingest',
    });
    expect(forbidden.statusCode).toBe(403);

    const ok = await c.call({
      method: 'PUT',
      url: '/v1/models/churn/expectations',
      payload: {
        useDefaults: false,
        expectations: [
          { id: 'p99', metric: 'latency_p99_ms', comparator: 'lt', threshold: 2500, over: '5m' },
        ],
      },
    });
    expect(ok.statusCode).toBe(200);
    expect(ok.json()).toMatchObject({
      model: 'churn',
      source: 'api',
      expectations: [{ id: 'p99', threshold: 2500 }],
    });
    // With the looser limit the breach (p99 2400 ms) is no incident.
    await send(c, 0, 90);
    await c.engine.scheduler.tick();
    expect((await c.call({ method: 'GET', url: '/v1/incidents', role: 'read' })).json().incidents).toEqual(
      [],
    );
    const del = await c.call({ method: 'DELETE', url: '/v1/models/churn/expectations' });
    expect(del.json()).toMatchObject({ source: 'defaults' });
  });

  it('loads the expectations file, reloads it on change and keeps the previous one when the new one is bad', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'faultline-exp-'));
    dirs.push(dir);
    const file = join(dir, 'expectations.yaml');
    writeFileSync(
      file,
      'version: 1\nmodels:\n  churn:\n    useDefaults: false\n    expectations:\n      - id: p99\n        metric: latency_p99_ms\n        comparator: lt\n        threshold: 1500\n',
    );
    const c = await setUpChurn({ expectationsFile: file });
    open.push(c);
    const get = async () => (await c.call({ method: 'GET', url: '/v1/expectations', role: 'read' })).json();
    let r = await get();
    expect(r.models[0]).toMatchObject({ source: 'file', expectations: [{ id: 'p99', threshold: 1500 }] });
    expect(r.file).toMatchObject({ path: file, error: null });

    writeFileSync(
      file,
      'version: 1\nmodels:\n  churn:\n    expectations:\n      - id: p99\n        metric: latency_p99_ms\n        comparator: lt\n        threshold: high\n',
    );
    await until(() => c.log.some((l) => l.includes('not reloaded')));
    r = await get();
    expect(r.models[0].expectations).toEqual([expect.objectContaining({ id: 'p99', threshold: 1500 })]);
    expect(r.file.error).toMatch(/expectations\.yaml:8:\d+: `threshold` must be a number/);
    expect(c.log.find((l) => l.includes('not reloaded'))).toMatch(/:8:\d+:/);

    writeFileSync(file, 'version: 1\nmodels:\n  churn:\n    disable: [accuracy]\n');
    await until(() => c.log.some((l) => l.startsWith('expectations reloaded')));
    r = await get();
    const ids = r.models[0].expectations.map((e: { id: string }) => e.id);
    expect(ids).toContain('latency_p99');
    expect(ids).not.toContain('accuracy');
    expect(r.file.error).toBeNull();
  });

  it('refuses to start on a bad expectations file, naming the line', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'faultline-exp-'));
    dirs.push(dir);
    const file = join(dir, 'bad.yaml');
    writeFileSync(
      file,
      'version: 1\nmodels:\n  churn:\n    expectations:\n      - id: x\n        metric: acuracy\n',
    );
    await expect(setUpChurn({ expectationsFile: file })).rejects.toThrow(/bad\.yaml:6:\d+: .*acuracy/);
  });
});
