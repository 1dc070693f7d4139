import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { TEST_T0 } from '../testing.js';
import { dueWindows } from './pipeline.js';
import { BAD_FROM, type EngineCollector, MIN, send, setUpChurn, W } from './pipeline-testing.js';

let open: EngineCollector[] = [];
afterEach(async () => {
  await Promise.all(open.map((c) => c.close()));
  open = [];
});

describe('evaluation pipeline', () => {
  it('evaluates windows once the watermark passes them, opens one diagnosed incident and resolves it', async () => {
    const c = await setUpChurn();
    open.push(c);
    const seen: string[] = [];
    c.engine.onIncident((_p, change) => {
      seen.push(`${change.kind}:${change.incident.expectationId}`);
    });
    await send(c, 0, 4);
    const early = await c.engine.scheduler.tick();
    expect(early).toEqual([]); // the watermark (03:01) has not passed the first window end (05:00)
    await send(c, 4, 6);
    const [first] = await c.engine.scheduler.tick();
    expect(first?.windows.map((w) => w.endMs)).toEqual([TEST_T0 + W]);
    await send(c, 6, 90);
    await c.engine.scheduler.tick();

    const incidents = (await c.call({ method: 'GET', url: '/v1/incidents', role: 'read' })).json().incidents;
    expect(incidents).toHaveLength(1);
    const inc = incidents[0];
    expect(inc).toMatchObject({
      model: 'churn',
      expectationId: 'latency_p99',
      status: 'resolved',
      resolution: 'auto',
      onset: new Date(BAD_FROM).toISOString(),
      openedAt: new Date(BAD_FROM + W).toISOString(),
      scope: { instances: ['i-3'] },
      expectation: { label: 'latency_p99_ms < 1000', metric: 'latency_p99_ms' },
    });
    expect(inc.causes[0]).toMatchObject({ cause: 'hardware_failure', rank: 1 });
    expect(inc.causes[0].evidence[0]).toMatchObject({
      detector: 'host_metrics',
      subject: { instance: 'i-3' },
    });
    expect(inc.timeline.map((t: { kind: string }) => t.kind)).toEqual(['opened', 'recovering', 'resolved']);
    expect(seen).toEqual(['opened:latency_p99', 'resolved:latency_p99']);
    const opened = c.log.find((l) => l.startsWith('incident opened'));
    expect(opened).toMatch(
      /^incident opened: churn — latency_p99_ms < 1000 violated \(2400\); top cause: hardware_failure \(0\.\d\d\)$/,
    );

    const findings = (
      await c.call({ method: 'GET', url: '/v1/findings?cause=hardware_failure', role: 'read' })
    ).json();
    expect(findings.findings).toHaveLength(4);
    expect(findings.findings[0]).toMatchObject({
      detector: 'host_metrics',
      subject: { model: 'churn', instance: 'i-3' },
    });
    // Evaluating again changes nothing: every window is done.
    const again = await c.call({
      method: 'POST',
      url: '/v1/evaluate',
      payload: { model: 'churn' },
      role: 'ingest',
    });
    expect(again.json().runs[0]).toMatchObject({ windows: 0, changes: [] });
  });

  it('gives the same incidents, causes and alerts to a day lived and the same day replayed at full speed', async () => {
    const lived = await setUpChurn();
    const replayed = await setUpChurn();
    open.push(lived, replayed);
    for (let m = 0; m < 120; m += 3) {
      await send(lived, m, m + 3);
      await lived.engine.scheduler.tick();
    }
    await send(replayed, 0, 120);
    await replayed.engine.scheduler.tick();
    const get = async (c: EngineCollector) =>
      (await c.call({ method: 'GET', url: '/v1/incidents', role: 'read' })).json();
    const a = await get(lived);
    expect(a.incidents.length).toBeGreaterThan(0);
    expect(await get(replayed)).toEqual(a);
    const evals = async (c: EngineCollector) =>
      (await c.call({ method: 'GET', url: '/v1/expectations', role: 'read' })).json();
    expect(await evals(replayed)).toEqual(await evals(lived));
    expect(replayed.log.filter((l) => l.startsWith('incident'))).toEqual(
      lived.log.filter((l) => l.startsWith('incident')),
    );
  });

  it('evaluates on demand up to a given time, and answers 404 for an unknown model', async () => {
    const c = await setUpChurn();
    open.push(c);
    await send(c, 0, 2);
    const r = await c.call({
      method: 'POST',
      url: '/v1/evaluate',
      payload: { model: 'churn', until: new Date(TEST_T0 + 15 * MIN).toISOString() },
      role: 'ingest',
    });
    expect(r.statusCode).toBe(200);
    const run = r.json().runs[0];
    expect(run.windows).toBe(3);
    expect(
      run.evaluations.filter((e: { expectationId: string }) => e.expectationId === 'latency_p99'),
    ).toHaveLength(3);
    expect(
      run.evaluations.find((e: { expectationId: string }) => e.expectationId === 'latency_p99'),
    ).toMatchObject({
      status: 'met',
      figure: { value: 300 },
    });
    const missing = await c.call({
      method: 'POST',
      url: '/v1/evaluate',
      payload: { model: 'nope' },
      role: 'ingest',
    });
    expect(missing.statusCode).toBe(404);
    expect(missing.json().error.code).toBe('registry.model_not_found');
    expect(
      (await c.call({ method: 'POST', url: '/v1/evaluate', payload: {}, role: 'read' })).statusCode,
    ).toBe(200);
    const early = await c.call({
      method: 'POST',
      url: '/v1/evaluate',
      payload: { until: TEST_T0 },
      role: 'read',
    });
    expect(early.statusCode).toBe(403);
    expect(early.json().error.message).toMatch(/`until` needs the ingest role/);
  });

  it('acknowledges and resolves incidents by hand, with clear errors for unknown and resolved ones', async () => {
    const c = await setUpChurn();
    open.push(c);
    await send(c, 0, 42);
    await c.engine.scheduler.tick();
    const [inc] = (await c.call({ method: 'GET', url: '/v1/incidents?status=open', role: 'read' })).json()
      .incidents;
    expect(inc.status).toBe('open');
    const ack = await c.call({
      method: 'POST',
      url: `/v1/incidents/${inc.id}/acknowledge`,
      payload: { by: 'ana', note: 'looking at i-3' },
      role: 'ingest',
    });
    expect(ack.json()).toMatchObject({ status: 'acknowledged', acknowledgedBy: 'ana' });
    expect(
      (await c.call({ method: 'GET', url: '/v1/incidents?status=open', role: 'read' })).json().incidents,
    ).toEqual([]);
    // Still violated: the acknowledged incident is updated, not duplicated.
    await send(c, 42, 48);
    await c.engine.scheduler.tick();
    const all = (await c.call({ method: 'GET', url: '/v1/incidents', role: 'read' })).json().incidents;
    expect(all).toHaveLength(1);
    expect(all[0]).toMatchObject({ status: 'acknowledged', violatedEvaluations: 3 });
    const res = await c.call({
      method: 'POST',
      url: `/v1/incidents/${inc.id}/resolve`,
      payload: {},
      role: 'ingest',
    });
    expect(res.json()).toMatchObject({ status: 'resolved', resolution: 'manual' });
    expect(res.json().timeline.at(-1)).toMatchObject({
      kind: 'resolved',
      by: expect.stringMatching(/^token:/),
    });
    const again = await c.call({
      method: 'POST',
      url: `/v1/incidents/${inc.id}/resolve`,
      payload: {},
      role: 'ingest',
    });
    expect(again.statusCode).toBe(409);
    expect(again.json().error.code).toBe('engine.incident_resolved');
    const none = await c.call({
      method: 'POST',
      url: '/v1/incidents/inc_nope/acknowledge',
      payload: {},
      role: 'ingest',
    });
    expect(none.statusCode).toBe(404);
    expect(
      (await c.call({ method: 'GET', url: '/v1/incidents/inc_nope', role: 'read' })).json().error.code,
    ).toBe('engine.incident_not_found');
    expect(
      (await c.call({ method: 'GET', url: '/v1/incidents?status=closed', role: 'read' })).statusCode,
    ).toBe(400);
    // A violation after a manual resolution opens a new incident.
    await send(c, 48, 51);
    await c.engine.scheduler.tick();
    expect(
      (await c.call({ method: 'GET', url: '/v1/incidents', role: 'read' })).json().incidents,
    ).toHaveLength(2);
    expect(c.log.filter((l) => l.startsWith('incident acknowledged')).length).toBe(1);
  });
});

describe('expectations changed', () => {
  it('are evaluated at the next tick from the first data, without waiting for new events', async () => {
    const c = await setUpChurn();
    open.push(c);
    await send(c, 0, 31);
    await c.engine.scheduler.tick();
    expect(await c.engine.scheduler.tick()).toEqual([]); // nothing moved
    const put = await c.call({
      method: 'PUT',
      url: '/v1/models/churn/expectations',
      payload: {
        expectations: [
          { id: 'p90', metric: 'latency_p90_ms', comparator: 'lt', threshold: 500, over: '10m' },
        ],
      },
    });
    expect(put.statusCode).toBe(200);
    const [run] = await c.engine.scheduler.tick();
    expect(run?.windows.map((w) => (w.endMs - w.startMs) / MIN)).toEqual([10, 10, 10]);
  });
});

describe('dueWindows', () => {
  it('starts at the first stored bucket, orders by end then length and stops at the limit', () => {
    const r = dueWindows([W, 3 * W], new Map(), 7 * MIN, 31 * MIN, 100);
    expect(r.windows.map((w) => [w.startMs / MIN, w.endMs / MIN])).toEqual([
      [5, 10],
      [10, 15],
      [0, 15],
      [15, 20],
      [20, 25],
      [25, 30],
      [15, 30],
    ]);
    expect(r.more).toBe(false);
    const cut = dueWindows([W], new Map([[W, 20 * MIN]]), 0, 60 * MIN, 3);
    expect(cut.windows.map((w) => w.startMs / MIN)).toEqual([20, 25, 30]);
    expect(cut.more).toBe(true);
    expect(dueWindows([W], new Map(), null, 60 * MIN, 10).windows).toEqual([]);
  });

  it('covers each length without gaps or overlaps, after the cursor and up to the limit (property)', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.integer({ min: 1, max: 12 }), { minLength: 1, maxLength: 3 }),
        fc.integer({ min: 0, max: 500 }),
        fc.integer({ min: 0, max: 2000 }),
        fc.integer({ min: 1, max: 400 }),
        (mults, first, span, max) => {
          const lengths = mults.map((m) => m * MIN);
          const until = first * MIN + span * MIN;
          const r = dueWindows(lengths, new Map(), first * MIN, until, max);
          expect(r.windows.length).toBeLessThanOrEqual(max);
          for (let i = 1; i < r.windows.length; i++)
            expect(r.windows[i]!.endMs).toBeGreaterThanOrEqual(r.windows[i - 1]!.endMs);
          for (const len of lengths) {
            const mine = r.windows.filter((w) => w.lengthMs === len).sort((a, b) => a.startMs - b.startMs);
            for (const w of mine) {
              expect(w.endMs).toBeLessThanOrEqual(until);
              expect(w.startMs % len).toBe(0);
            }
            for (let i = 1; i < mine.length; i++) expect(mine[i]!.startMs).toBe(mine[i - 1]!.endMs);
            if (!r.more) {
              const expected = Math.max(0, Math.floor(until / len) - Math.floor((first * MIN) / len));
              expect(mine.length).toBe(expected);
            }
          }
        },
      ),
    );
  });
});
