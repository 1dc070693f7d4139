/**
 * Past one machine, for real: two HTTP collectors (`faultline serve --ingest nats://… --db postgres://…`),
 * two workers (`faultline worker`) sharing one JetStream consumer, one PostgreSQL schema, one stream. A
 * worker is killed with SIGKILL in the middle of the stream. The final windows, and the findings, incidents
 * and alerts detection makes of them, must equal those of one collector on SQLite fed the same scenario.
 *
 * 1. Start the collectors and the workers (worker A pulls 32 batches ahead, so it dies holding some).
 * 2. Send phase 1 of the scenario (predictions, labels before and after their predictions, re-sent
 *    batches, heartbeats, events), alternating collectors, four requests at a time; each 200 means the
 *    batch is in JetStream.
 * 3. Once a third of the requests are answered, SIGKILL collector 2: requests it did not answer are sent
 *    again to collector 1, as an SDK would (some were logged already: they count once). Once a third of
 *    the predictions are stored, SIGKILL worker A: its unacknowledged batches go to worker B after the
 *    ack wait (3 s here).
 * 4. Wait until the consumer has nothing pending or unacknowledged, send phase 2 (feedback), wait again.
 * 5. Start a third collector (collector 2 coming back) and ask both live collectors at the same moment to
 *    evaluate every window of the scenario (`POST /v1/evaluate`, `until` its end): one evaluates each model,
 *    the other waits for it and finds nothing left, so every alert is printed once across the cluster.
 * 6. Run the same scenario through one in-process collector on SQLite with the same engine (the real
 *    analyser, the default expectations), in order, evaluate, and compare the windows (counters and counts
 *    exactly, means to 1e-9, quantiles within the KLL rank error), instances, heartbeats, events, then every
 *    finding, evaluation and incident (with its ranked causes) and the alerts printed. Worker B reports the
 *    redelivered batches it stored.
 */
import { jetstreamManager } from '@nats-io/jetstream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backlogOf, connectLog } from '../../src/ingest-log/jetstream.js';
import { parseIngestLogUrl } from '../../src/ingest-log/location.js';
import { NatsTestLogs, requireNats } from '../../src/ingest-log/testing.js';
import { createWindowAnalyzer } from '../../src/server/engine/analyzer.js';
import { startEngineCollector } from '../../src/server/engine/pipeline-testing.js';
import { openPostgresStore } from '../../src/store/postgres/postgres-store.js';
import { PgTestSchemas, requirePostgres } from '../../src/store/postgres/testing.js';
import { expectSameDiagnosis, expectSameWindows } from './compare.js';
import type { FaultlineProcess } from './processes.js';
import { killAll, startCollectorProcess, startWorkerProcess } from './processes.js';
import type { ScenarioRequest, SetupRequest } from './scenario.js';
import { buildScenario, SCENARIO_END, SCENARIO_T0 } from './scenario.js';

const ADMIN = `flt_${'s'.repeat(40)}`;
const logs = new NatsTestLogs();
const schemas = new PgTestSchemas();

beforeAll(async () => {
  await requirePostgres();
  await requireNats();
});
afterAll(async () => {
  killAll();
  await logs.deleteAll();
  await schemas.dropAll();
});

async function post(
  base: string,
  r: { path: string; body: unknown; method?: string; contentType?: string },
): Promise<unknown> {
  const res = await fetch(`${base}${r.path}`, {
    method: r.method ?? 'POST',
    headers: { authorization: `Bearer ${ADMIN}`, 'content-type': r.contentType ?? 'application/json' },
    body: typeof r.body === 'string' ? r.body : JSON.stringify(r.body),
  });
  if (res.status !== 200 && res.status !== 201)
    throw new Error(`${r.path} answered ${res.status}: ${await res.text()}`);
  return res.json();
}

/** Alert ids and changes a collector started with `--alerts-dry-run` printed (one JSON line each). */
function printedAlerts(p: FaultlineProcess): string[] {
  return p
    .stdout()
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => (JSON.parse(l) as { alertId: string }).alertId);
}

/**
 * Sends requests `parallel` at a time, alternating between the live collectors. A request whose collector
 * went away unanswered is sent again to another, as an SDK retries: it may be logged twice, never lost.
 */
async function sendAll(
  live: string[],
  requests: ScenarioRequest[],
  parallel: number,
  progress = { answered: 0 },
): Promise<number> {
  let next = 0;
  let resent = 0;
  const lane = async () => {
    while (next < requests.length) {
      const i = next++;
      for (let attempt = 0; ; attempt++) {
        const base = live[(i + attempt) % live.length] as string;
        try {
          await post(base, requests[i] as ScenarioRequest);
          progress.answered++;
          break;
        } catch (e) {
          if (!(e instanceof TypeError) || attempt > 5) throw e; // fetch failed: no answer from `base`
          if (live.includes(base) && live.length > 1) live.splice(live.indexOf(base), 1);
          resent++;
        }
      }
    }
  };
  await Promise.all(Array.from({ length: parallel }, lane));
  return resent;
}

async function until(what: string, check: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`timed out waiting until ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('two collectors, two workers, one PostgreSQL, one JetStream stream', () => {
  it('gives the windows of a single SQLite collector, even when a worker and a collector are killed mid-stream', async () => {
    const scenario = buildScenario(11);
    const ingest = logs.url({ ackWaitMs: '3000' });
    const loc = parseIngestLogUrl(ingest);
    const db = schemas.url({ pool: '4' });
    const env = { FAULTLINE_ADMIN_TOKEN: ADMIN };
    const dryRun = ['--alerts-dry-run'];

    // 1.
    const [c1, c2] = await Promise.all([
      startCollectorProcess(db, ingest, env, dryRun),
      startCollectorProcess(db, ingest, env, dryRun),
    ]);
    let c3: (FaultlineProcess & { url: string }) | null = null;
    const [wa, wb] = await Promise.all([
      startWorkerProcess(db, ingest, 'worker-a', ['--prefetch', '32', '--concurrency', '1']),
      startWorkerProcess(db, ingest, 'worker-b', ['--prefetch', '8', '--concurrency', '2']),
    ]);
    const pg = await openPostgresStore(db);
    const nc = await connectLog(loc, 'cluster-test');
    const jsm = await jetstreamManager(nc);
    const drained = async () => {
      const b = await backlogOf(jsm, loc);
      return b.pending === 0 && b.ackPending === 0;
    };
    try {
      for (const r of scenario.setup) await post(c1.url, r);
      const total = [...scenario.predictions.values()].reduce((n, m) => n + m.size, 0);
      const stored = async () =>
        (await pg.listWindows('acme', 'churn', { limit: 1000 })).reduce(
          (n, w) => n + w.state.predictions,
          0,
        ) +
        (await pg.listWindows('acme', 'price', { limit: 1000 })).reduce((n, w) => n + w.state.predictions, 0);

      // 2. and 3.
      const live = [c1.url, c2.url];
      const phase1 = scenario.phases[0]!;
      const progress = { answered: 0 };
      const sending = sendAll(live, phase1, 4, progress);
      await until(
        'a third of the requests are answered',
        async () => progress.answered >= phase1.length / 3,
        60_000,
      );
      c2.child.kill('SIGKILL'); // a collector dies with requests in flight; the rest go to collector 1
      await until('a third of the predictions are stored', async () => (await stored()) >= total / 3, 60_000);
      wa.child.kill('SIGKILL');
      expect((await wa.exited).signal).toBe('SIGKILL');
      expect((await c2.exited).signal).toBe('SIGKILL');
      expect(await sending).toBeGreaterThan(0); // requests that found collector 2 gone, sent again
      expect(live).toEqual([c1.url]);

      // 4.
      await until('phase 1 is stored', drained, 90_000);
      expect(await stored()).toBe(total);
      await sendAll(live, scenario.phases[1]!, 4);
      await until('phase 2 is stored', drained, 60_000);

      // 5.
      c3 = await startCollectorProcess(db, ingest, env, dryRun);
      const evaluateAll = { path: '/v1/evaluate', body: { until: new Date(SCENARIO_END).toISOString() } };
      type Runs = { runs: { model: string; windows: number }[] };
      const answers = (await Promise.all([post(c1.url, evaluateAll), post(c3.url, evaluateAll)])) as Runs[];
      const windowsBy = answers.map((a) => a.runs.reduce((n, r) => n + r.windows, 0));
      expect(windowsBy[0]! + windowsBy[1]!).toBeGreaterThan(50);
      for (const model of ['churn', 'price'])
        expect(
          answers.map((a) => a.runs.find((r) => r.model === model)?.windows ?? 0).filter((n) => n > 0),
          `${model} evaluated by one collector`,
        ).toHaveLength(1);

      // 6.
      const reference = await startEngineCollector({
        analyzer: (store) => createWindowAnalyzer({ store }),
        alertsDryRun: true,
      });
      try {
        reference.clock.set(SCENARIO_T0 + 86_400_000);
        const call = (r: SetupRequest | ScenarioRequest) =>
          reference.call({
            method: 'method' in r ? r.method : 'POST',
            url: r.path,
            payload: r.body,
            headers: { 'content-type': 'contentType' in r ? r.contentType : 'application/json' },
          });
        for (const r of scenario.setup) expect((await call(r)).statusCode).toBeLessThan(300);
        for (const phase of scenario.phases)
          for (const r of phase) expect((await call(r)).statusCode).toBe(200);
        const evaluated = await reference.call({
          method: 'POST',
          url: evaluateAll.path,
          payload: evaluateAll.body,
        });
        expect(evaluated.statusCode).toBe(200);

        const { buckets } = await expectSameWindows(reference.store, pg, 'acme', scenario);
        expect(buckets).toBeGreaterThan(20);
        const same = await expectSameDiagnosis(reference.store, pg, 'acme');
        expect(same.findings).toBeGreaterThan(20);
        expect(same.incidents).toBeGreaterThan(3);
        // Every alert once across the cluster, the same as the single collector's.
        const printed = [...printedAlerts(c1), ...printedAlerts(c3)].sort();
        const expected = reference.printed.map((l) => (JSON.parse(l) as { alertId: string }).alertId).sort();
        expect(expected.length).toBeGreaterThan(3);
        expect(printed).toEqual(expected);
      } finally {
        await reference.close();
      }

      wb.child.kill('SIGTERM');
      expect((await wb.exited).code).toBe(0);
      const summary = /(\d+) batches, (\d+) events stored, (\d+) already stored, (\d+) redelivered/.exec(
        wb.stderr(),
      );
      expect(summary, wb.stderr()).not.toBeNull();
      expect(Number(summary![4])).toBeGreaterThan(0);
    } finally {
      await nc.close();
      await pg.close();
      for (const p of [c1, c2, c3]) p?.child.kill('SIGTERM');
      await Promise.all([c1.exited, c2.exited, c3?.exited]);
    }
  }, 240_000);
});
