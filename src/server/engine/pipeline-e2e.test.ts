/**
 * End to end: a collector with the real window analyser, fed real flight events through its HTTP API (hourly
 * windows from data/flights), with one cause injected per model after three clean hours. For each, an
 * expectation must fail and the incident's top-ranked cause must be the injected one.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import parsePrometheusTextFormat from 'parse-prometheus-text-format';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seededRng } from '../../core/rng.js';
import { parseAlertTarget } from '../alerts/targets.js';
import { TEST_T0 } from '../testing.js';
import { createWindowAnalyzer } from './analyzer.js';
import {
  type Flight,
  HOUR,
  loadFlights,
  sendEvents,
  sendWindow,
  setupModel,
  shuffle,
  type WindowSpec,
} from './analyzer-scenarios.js';
import { type EngineCollector, startEngineCollector } from './pipeline-testing.js';

const T = Math.floor(TEST_T0 / HOUR) * HOUR;
const ROWS = 400;

let c: EngineCollector;
let reference: Flight[];
let pool: Flight[];
let baseline: number;
/** What the webhook receiver got. */
const received: { type: string; incident: { model: string }; topCause: { cause: string } | null }[] = [];
let receiver: Server;

beforeAll(async () => {
  receiver = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (b: Buffer) => chunks.push(b));
    req.on('end', () => {
      received.push(JSON.parse(Buffer.concat(chunks).toString('utf8')));
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
  const hook = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/faultline`;
  c = await startEngineCollector({
    analyzer: (store) => createWindowAnalyzer({ store }),
    alertTargets: [parseAlertTarget(hook)],
  });
  c.clock.set(T + 30 * 86_400_000);
  const flights = shuffle(loadFlights(), seededRng(7));
  reference = flights.slice(0, 3000);
  pool = flights.slice(3000);
  baseline = reference.filter((f) => f.predicted === f.delayed).length / reference.length;
});
afterAll(async () => {
  await c?.close();
  await new Promise((r) => receiver?.close(r));
});

function rowsFor(k: number): Flight[] {
  return pool.slice(k * ROWS, (k + 1) * ROWS);
}

/** The 1-hour expectations of these scenarios. */
function expectationsBody(accuracyLimit: number) {
  return {
    useDefaults: false,
    expectations: [
      { id: 'latency', metric: 'latency_p99_ms', comparator: 'lt', threshold: 200, over: '1h' },
      { id: 'errors', metric: 'error_rate', comparator: 'lt', threshold: 0.05, over: '1h' },
      { id: 'accuracy', metric: 'accuracy', comparator: 'gte', threshold: accuracyLimit, over: '1h' },
      { id: 'drift', metric: 'drifted_feature_share', comparator: 'lte', threshold: 0.2, over: '1h' },
      { id: 'heartbeat', kind: 'heartbeat', every: '60s', missedBeats: 2, over: '1h' },
      { id: 'artifact', kind: 'artifact', over: '1h' },
      { id: 'checks', kind: 'self_checks', over: '1h' },
    ],
  };
}

/** Registers `name` with a reference, its validated accuracy and the scenarios' expectations. */
async function model(
  name: string,
  validated = baseline,
  accuracyLimit = baseline - 0.12,
  on: EngineCollector = c,
): Promise<void> {
  await setupModel(on, { model: name, reference, validationMetrics: { accuracy: validated } });
  const r = await on.call({
    method: 'PUT',
    url: `/v1/models/${name}/expectations`,
    payload: expectationsBody(accuracyLimit),
  });
  expect(r.statusCode).toBe(200);
}

/** Three clean hours, then `bad` hours shaped by `inject`; evaluates and returns the model's incidents. */
async function scenario(
  name: string,
  inject: (w: WindowSpec) => WindowSpec,
  bad = 2,
  options: {
    clean?: number;
    validated?: number;
    accuracyLimit?: number;
    before?: (k: number) => Promise<void>;
  } = {},
): Promise<{ expectationId: string; causes: { cause: string; score: number }[] }[]> {
  await model(name, options.validated, options.accuracyLimit);
  const clean = options.clean ?? 3;
  for (let k = 0; k < clean + bad; k++) {
    await options.before?.(k);
    const w: WindowSpec = { model: name, startMs: T + k * HOUR, rows: rowsFor(k), idPrefix: `${name}-${k}` };
    await sendWindow(c, k < clean ? w : inject(w));
  }
  // Close the last window: the watermark is the last label time less the lateness.
  await c.call({
    method: 'POST',
    url: '/v1/evaluate',
    payload: { model: name, until: T + (clean + bad) * HOUR },
    role: 'ingest',
  });
  return (await c.call({ method: 'GET', url: `/v1/incidents?model=${name}`, role: 'read' })).json().incidents;
}

function top(incidents: { expectationId: string; causes: { cause: string }[] }[], expectationId: string) {
  const inc = incidents.find((i) => i.expectationId === expectationId);
  return { expectations: incidents.map((i) => i.expectationId), top: inc?.causes[0]?.cause ?? null };
}

describe('causes diagnosed end to end (real analyser, real events over HTTP)', () => {
  it('hardware failure: one instance throttles and its latency breaks', async () => {
    const incidents = await scenario('hw', (w) => ({
      ...w,
      latencyMs: (_i, inst, rng) => (inst === 'pod-2' ? 600 + 200 * rng.next() : 20 + 20 * rng.next()),
      heartbeat: (inst) =>
        inst === 'pod-2'
          ? { host: { cpuPercent: 99, memoryPercent: 45, throttled: 1, processStartMs: 0 } }
          : {},
    }));
    expect(top(incidents, 'latency')).toMatchObject({ top: 'hardware_failure' });
  });

  it('downtime: one instance goes silent', async () => {
    const incidents = await scenario(
      'down',
      (w) => ({ ...w, instances: ['pod-1'], silentFrom: { 'pod-2': w.startMs } }),
      1,
    );
    expect(top(incidents, 'heartbeat')).toMatchObject({ top: 'downtime' });
  });

  it('deployment of the wrong model: an instance serves another artifact', async () => {
    const incidents = await scenario('wrong', (w) => ({ ...w, artifactHash: 'sha-stale' }), 1);
    expect(top(incidents, 'artifact')).toMatchObject({ top: 'deployment_wrong_model' });
  });

  it('covariate shift: the traffic moves to long flights', async () => {
    const long = pool.filter((f) => f.distance > 1500);
    expect(long.length).toBeGreaterThanOrEqual(2 * ROWS);
    const incidents = await scenario('shift', (w) => ({
      ...w,
      rows: long.slice(((w.startMs - T) / HOUR - 3) * ROWS, ((w.startMs - T) / HOUR - 2) * ROWS),
    }));
    expect(top(incidents, 'drift')).toMatchObject({ top: 'covariate_shift' });
  });

  it('data collection or processing: distances arrive in feet', async () => {
    const incidents = await scenario('units', (w) => ({
      ...w,
      features: (r) => ({
        distance: r.distance * 3.28084,
        origin: r.origin,
        destination: r.destination,
        hour: r.hour,
      }),
    }));
    expect(top(incidents, 'drift')).toMatchObject({ top: 'data_quality' });
  });

  it('deployment permissions: an instance cannot read its model', async () => {
    const incidents = await scenario(
      'perms',
      (w) => ({
        ...w,
        heartbeat: (inst) =>
          inst === 'pod-2' ? { checks: [{ name: 'read_model', ok: false, detail: 'EACCES' }] } : {},
        status: (i, inst) =>
          inst === 'pod-2' && i % 3 === 0
            ? { status: 'error', errorKind: 'permission_denied' }
            : { status: 'ok' },
      }),
      1,
    );
    expect(top(incidents, 'checks')).toMatchObject({ top: 'deployment_permissions' });
  });

  it('dependency failure: the feature store stops answering', async () => {
    const incidents = await scenario(
      'dep',
      (w) => ({
        ...w,
        status: (i) => (i % 5 === 0 ? { status: 'error', errorKind: 'upstream_timeout' } : { status: 'ok' }),
      }),
      1,
      {
        before: async (k) => {
          const events = [];
          for (let t = 0; t < HOUR; t += 60_000)
            events.push({
              id: `dep-probe-${k}-${t}`,
              kind: 'probe',
              model: 'dep',
              timestamp: T + k * HOUR + t,
              attributes: {
                dependency: 'feature-store',
                ok: k < 3,
                latencyMs: k < 3 ? 15 : 5000,
                status: k < 3 ? 200 : 503,
              },
            });
          await sendEvents(c, events);
        },
      },
    );
    expect(top(incidents, 'errors')).toMatchObject({ top: 'dependency_failure' });
  });

  it('poor hyperparameters: production accuracy far below the validated one from the first window', async () => {
    const incidents = await scenario('overfit', (w) => w, 3, {
      clean: 0,
      validated: 0.93,
      accuracyLimit: 0.8,
    });
    expect(top(incidents, 'accuracy')).toMatchObject({ top: 'poor_hyperparameters' });
  });

  it('train–serving skew: serving sends the hour in another time zone from the first window', async () => {
    const incidents = await scenario(
      'skew',
      (w) => ({
        ...w,
        features: (r) => ({
          distance: r.distance,
          origin: r.origin,
          destination: r.destination,
          hour: (r.hour + 9) % 24,
        }),
      }),
      2,
      { clean: 0 },
    );
    expect(top(incidents, 'drift')).toMatchObject({ top: 'train_serving_skew' });
  });

  it('concept drift: the same inputs now have other outcomes', async () => {
    const incidents = await scenario('concept', (w) => ({ ...w, label: (r) => 1 - r.predicted }));
    expect(top(incidents, 'accuracy')).toMatchObject({ top: 'concept_drift' });
  });

  it('label shift: delays all but vanish, each flight still looking as before', async () => {
    // P(label) moves, P(inputs | label) holds: the model, right on 79 % of delayed flights and 40 % of on-time
    // ones (reference), falls from 48 % to about 40 % accurate.
    const onTime = pool.filter((f) => f.delayed === 0);
    const incidents = await scenario(
      'prior',
      (w) => {
        const b = (w.startMs - T) / HOUR - 3;
        return { ...w, rows: onTime.slice(b * ROWS, (b + 1) * ROWS) };
      },
      2,
      { accuracyLimit: 0.43 },
    );
    expect(top(incidents, 'accuracy')).toMatchObject({ top: 'label_shift' });
  });

  it('edge cases: a tenth of the requests are far outside the reference and go wrong', async () => {
    const incidents = await scenario('edges', (w) => ({
      ...w,
      features: (r, i) => ({
        distance: i % 10 === 0 ? 9000 + r.distance : r.distance,
        origin: r.origin,
        destination: r.destination,
        hour: r.hour,
      }),
      label: (r, i) => (i % 10 === 0 ? 1 - r.predicted : r.delayed),
      status: (i) => (i % 10 === 0 ? { status: 'error', errorKind: 'value_error' } : { status: 'ok' }),
    }));
    expect(top(incidents, 'errors')).toMatchObject({ top: 'edge_cases' });
  });

  it('degenerate feedback loop: a recommender narrows what it shows, window after window', async () => {
    const name = 'recs';
    const created = await c.call({
      method: 'POST',
      url: '/v1/models',
      payload: { name, task: 'ranking', windowMs: HOUR },
    });
    expect(created.statusCode).toBe(201);
    await c.call({
      method: 'POST',
      url: `/v1/models/${name}/versions`,
      payload: { version: 'v1', artifactHash: 'sha-v1', intended: true },
    });
    const put = await c.call({
      method: 'PUT',
      url: `/v1/models/${name}/expectations`,
      payload: {
        useDefaults: false,
        expectations: [
          { id: 'exposure', metric: 'exposure_gini', comparator: 'lt', threshold: 0.6, over: '1h' },
        ],
      },
    });
    expect(put.statusCode).toBe(200);
    const rng = seededRng(11);
    const CATALOG = 300;
    for (let k = 0; k < 8; k++) {
      // Window k recommends from the `reach` most popular items only: the loop feeds on its own clicks.
      const reach = Math.max(12, Math.round(CATALOG * 0.62 ** k));
      const start = T + k * HOUR;
      const predictions = [];
      const feedback = [];
      const labels = [];
      for (let i = 0; i < 300; i++) {
        const items = new Set<string>();
        while (items.size < 10) items.add(`item-${Math.floor(reach * rng.next() ** 2)}`);
        const id = `${name}-${k}-${i}`;
        const ts = start + Math.floor(((i + 0.5) * HOUR) / 300);
        const list = [...items];
        predictions.push({
          id,
          timestamp: ts,
          version: 'v1',
          artifactHash: 'sha-v1',
          instance: 'pod-1',
          features: { segment: i % 4 },
          output: { items: list },
          latencyMs: 20,
        });
        for (const [position, item] of list.entries())
          feedback.push({
            id: `${id}-s${position}`,
            predictionId: id,
            item,
            position,
            action: 'shown',
            timestamp: ts + 1,
          });
        feedback.push({
          id: `${id}-c`,
          predictionId: id,
          item: list[0]!,
          position: 0,
          action: 'clicked',
          timestamp: ts + 2,
        });
        // What the user wanted: anywhere in the catalogue.
        labels.push({
          predictionId: id,
          value: `item-${Math.floor(CATALOG * rng.next())}`,
          timestamp: start + HOUR + 600_000,
        });
      }
      for (const [url, body] of [
        [`/v1/models/${name}/predictions`, predictions],
        [`/v1/models/${name}/feedback`, feedback],
        [`/v1/models/${name}/labels`, labels],
      ] as const) {
        const r = await c.call({ method: 'POST', url, payload: body, role: 'ingest' });
        expect(r.json().rejected ?? []).toEqual([]);
      }
    }
    await c.call({
      method: 'POST',
      url: '/v1/evaluate',
      payload: { model: name, until: T + 8 * HOUR },
      role: 'ingest',
    });
    const incidents = (
      await c.call({ method: 'GET', url: `/v1/incidents?model=${name}`, role: 'read' })
    ).json().incidents;
    expect(top(incidents, 'exposure')).toMatchObject({ top: 'feedback_loop' });
  });

  it('sent every opening to the webhook receiver, and /metrics scrapes and parses over HTTP', async () => {
    await c.engine.alerts.idle();
    const opened = received.filter((a) => a.type === 'incident.opened');
    const hw = opened.find((a) => a.incident.model === 'hw');
    expect(hw?.topCause?.cause).toBe('hardware_failure');
    expect(new Set(opened.map((a) => a.incident.model))).toEqual(
      new Set([
        'hw',
        'down',
        'wrong',
        'shift',
        'units',
        'perms',
        'dep',
        'overfit',
        'skew',
        'concept',
        'prior',
        'edges',
        'recs',
      ]),
    );
    const delivered = (
      await c.call({ method: 'GET', url: '/v1/alerts?status=delivered&limit=1000', role: 'read' })
    ).json();
    expect(delivered.alerts.length).toBe(received.length);

    await c.app.listen({ host: '127.0.0.1', port: 0 });
    const port = (c.app.server.address() as AddressInfo).port;
    const res = await fetch(`http://127.0.0.1:${port}/metrics`, {
      headers: { authorization: `Bearer ${c.tokens.read}` },
    });
    expect(res.status).toBe(200);
    const families = parsePrometheusTextFormat(await res.text());
    const state = families.find((f) => f.name === 'faultline_expectation_state');
    const violated = state?.metrics.find(
      (m) =>
        m.labels?.model === 'concept' && m.labels.expectation === 'accuracy' && m.labels.state === 'violated',
    );
    expect(violated?.value).toBe('1');
    const open = families.find((f) => f.name === 'faultline_incidents_open');
    expect(open?.metrics.some((m) => m.labels?.model === 'hw' && Number(m.value) >= 1)).toBe(true);
  });
});

describe('a stretch lived and the same stretch replayed at full speed (real analyser)', () => {
  it('give identical incidents and causes', async () => {
    const run = async (live: boolean) => {
      const x = await startEngineCollector({ analyzer: (store) => createWindowAnalyzer({ store }) });
      try {
        x.clock.set(T + 30 * 86_400_000);
        await model('m', baseline, baseline - 0.12, x);
        for (let k = 0; k < 6; k++) {
          const w: WindowSpec = { model: 'm', startMs: T + k * HOUR, rows: rowsFor(k), idPrefix: `m-${k}` };
          await sendWindow(
            x,
            k < 3
              ? w
              : {
                  ...w,
                  latencyMs: (_i, inst, rng) =>
                    inst === 'pod-2' ? 1500 + 200 * rng.next() : 20 + 20 * rng.next(),
                  heartbeat: (inst) =>
                    inst === 'pod-2' ? { host: { cpuPercent: 99, memoryPercent: 45, throttled: 1 } } : {},
                  label: (r) => (k >= 4 ? 1 - r.predicted : r.delayed),
                },
          );
          if (live) await x.engine.scheduler.tick();
        }
        if (!live) await x.engine.scheduler.tick();
        const incidents = (await x.call({ method: 'GET', url: '/v1/incidents', role: 'read' })).json()
          .incidents;
        const states = (await x.call({ method: 'GET', url: '/v1/expectations', role: 'read' })).json();
        return { incidents, states, log: x.log.filter((l) => l.startsWith('incident')) };
      } finally {
        await x.close();
      }
    };
    const lived = await run(true);
    const replayed = await run(false);
    expect(lived.incidents.map((i: { expectationId: string }) => i.expectationId).sort()).toEqual([
      'accuracy',
      'latency',
    ]);
    expect(replayed.incidents).toEqual(lived.incidents);
    expect(replayed.states).toEqual(lived.states);
    expect(replayed.log).toEqual(lived.log);
  });
});

describe('a release rolled back (real analyser)', () => {
  it('resolves the incident of the bad version once it no longer serves, with the reason', async () => {
    const x = await startEngineCollector({ analyzer: (store) => createWindowAnalyzer({ store }) });
    try {
      x.clock.set(T + 30 * 86_400_000);
      const name = 'release';
      await setupModel(x, { model: name, reference });
      await setupModel(x, { model: name, version: 'v2', reference, intended: false });
      const put = await x.call({
        method: 'PUT',
        url: `/v1/models/${name}/expectations`,
        payload: {
          useDefaults: false,
          expectations: [
            { id: 'latency', metric: 'latency_p99_ms', comparator: 'lt', threshold: 200, over: '1h' },
            { id: 'artifact', kind: 'artifact', over: '1h' },
          ],
        },
      });
      expect(put.statusCode).toBe(200);
      const intend = async (version: string, hour: number) =>
        expect(
          (
            await x.call({
              method: 'PUT',
              url: `/v1/models/${name}/intended-version`,
              payload: { version, effectiveAt: T + hour * HOUR },
            })
          ).statusCode,
        ).toBe(200);
      // 1. v1 serves hours 0–2. 2. v2 goes out at hour 3 and is slow on every instance. 3. Rolled back at hour 5:
      //    v1 serves hours 5–8 and v2 takes no traffic any more.
      await intend('v2', 3);
      await intend('v1', 5);
      for (let k = 0; k < 9; k++) {
        const bad = k === 3 || k === 4;
        await sendWindow(x, {
          model: name,
          startMs: T + k * HOUR,
          rows: rowsFor(k),
          idPrefix: `${name}-${k}`,
          ...(bad
            ? { version: 'v2', latencyMs: (_i: number, _inst: string, rng) => 900 + 300 * rng.next() }
            : {}),
        });
      }
      await x.call({
        method: 'POST',
        url: '/v1/evaluate',
        payload: { model: name, until: T + 9 * HOUR },
        role: 'ingest',
      });
      const incidents = (
        await x.call({ method: 'GET', url: `/v1/incidents?model=${name}`, role: 'read' })
      ).json().incidents;
      // The rollback itself raised nothing: the artifact expectation judged each hour against its intended version.
      expect(
        incidents.map((i: { expectationId: string; version: string | null }) => [i.expectationId, i.version]),
      ).toEqual([['latency', 'v2']]);
      const inc = incidents[0];
      expect(inc).toMatchObject({
        status: 'resolved',
        resolution: 'auto',
        resolvedAt: new Date(T + 8 * HOUR).toISOString(),
      });
      expect(inc.timeline.at(-1)).toMatchObject({
        kind: 'resolved',
        text: 'Resolved: version v2 is no longer served, no predictions of it in 3 window(s) in a row while v1 served.',
      });
      expect(x.log.filter((l) => l.startsWith('incident resolved'))).toEqual([
        `incident resolved (auto, version no longer served): ${name} v2 — latency_p99_ms < 200`,
      ]);
    } finally {
      await x.close();
    }
  });
});
