import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { simulateRecommender } from '../../core/feedback/simulate.js';
import type { DetectorOutcome, Finding } from '../../core/findings/finding.js';
import { seededRng } from '../../core/rng.js';
import { startTestCollector, TEST_T0, type TestCollector } from '../testing.js';
import { createWindowAnalyzer, type WindowAnalyzerWithCache } from './analyzer.js';
import {
  FLIGHT_SCHEMA,
  type Flight,
  HOUR,
  loadFlights,
  referenceCsv,
  sendEvents,
  sendRecommender,
  sendWindow,
  setupModel,
  shuffle,
  type WindowSpec,
} from './analyzer-scenarios.js';

// January 2001 US flights (data/flights/README.md): a shuffled split into a reference and serving windows.
const flights = shuffle(loadFlights(), seededRng(7));
const reference = flights.slice(0, 6000);
const pool = flights.slice(6000);
const T0 = Math.floor((TEST_T0 - 22 * HOUR) / HOUR) * HOUR;
const N = 300;
let cursor = 0;
/** The next `n` serving flights (wrapping round the pool). */
function take(n: number): Flight[] {
  const out: Flight[] = [];
  for (let i = 0; i < n; i++) out.push(pool[(cursor + i) % pool.length]!);
  cursor += n;
  return out;
}

let c: TestCollector;
let analyzer: WindowAnalyzerWithCache;
beforeAll(async () => {
  c = await startTestCollector({ maxReferenceBytes: 5_000_000 });
  analyzer = createWindowAnalyzer({
    store: c.store,
    outputChecks: (_project, model) =>
      model === 'checked'
        ? [{ kind: 'range', name: 'probability', field: 'score', min: 0, max: 1 }]
        : undefined,
  });
});
afterAll(async () => {
  await c.close();
});

const findings = (outcomes: DetectorOutcome[]): Finding[] =>
  outcomes.flatMap((o) => (o.kind === 'finding' ? [o.finding] : []));
const brief = (f: Finding) =>
  `${f.detector}/${f.cause}/${f.subject.feature ?? f.subject.instance ?? f.subject.dependency ?? f.subject.slice ?? '-'}`;
const windowOf = (k: number) => ({ startMs: T0 + k * HOUR, endMs: T0 + (k + 1) * HOUR });

/** Sets a model up, sends `clean` clean windows and analyses the last, then sends the injected window and analyses
 * it; returns the findings of both. */
async function scenario(
  model: string,
  inject: Partial<WindowSpec>,
  options: {
    setup?: Partial<Parameters<typeof setupModel>[1]>;
    clean?: number;
    cleanSpec?: Partial<WindowSpec>;
    /** Runs after the clean windows are analysed, before the injected window is sent. */
    prepare?: () => Promise<void>;
    after?: (startMs: number) => Promise<void>;
  } = {},
): Promise<{ before: Finding[]; after: Finding[]; outcomes: DetectorOutcome[] }> {
  const clean = options.clean ?? 5;
  await setupModel(c, { model, reference, ...options.setup });
  for (let k = 0; k < clean; k++)
    await sendWindow(c, { model, startMs: windowOf(k).startMs, rows: take(N), ...options.cleanSpec });
  const before =
    clean > 0 ? findings((await analyzer.analyze('acme', model, windowOf(clean - 1))).outcomes) : [];
  await options.prepare?.();
  await sendWindow(c, {
    model,
    startMs: windowOf(clean).startMs,
    rows: take(N),
    ...options.cleanSpec,
    ...inject,
  });
  await options.after?.(windowOf(clean).startMs);
  const a = await analyzer.analyze('acme', model, windowOf(clean));
  return { before, after: findings(a.outcomes), outcomes: a.outcomes };
}

describe('createWindowAnalyzer on a clean day of real flights', () => {
  it('raises no finding in any window and fills the figures', { timeout: 120_000 }, async () => {
    await setupModel(c, { model: 'clean', reference, validationMetrics: { accuracy: 0.45 } });
    for (let k = 0; k < 12; k++)
      await sendWindow(c, { model: 'clean', startMs: windowOf(k).startMs, rows: take(N) });
    const seen: string[] = [];
    for (let k = 0; k < 12; k++) {
      const a = await analyzer.analyze('acme', 'clean', windowOf(k));
      seen.push(...findings(a.outcomes).map((f) => `window ${k}: ${brief(f)} — ${f.evidence.summary}`));
      expect(a.outcomes.filter((o) => o.kind !== 'finding' && o.detector === 'window_analysis')).toEqual([]);
    }
    expect(seen).toEqual([]);
    const a = await analyzer.analyze('acme', 'clean', windowOf(6));
    const f = a.figures;
    expect(f).toMatchObject({
      model: 'clean',
      version: 'v1',
      window: windowOf(6),
      operational: { requests: N, errors: 0, timeouts: 0, latencyCount: N },
      labels: { predictions: N, labelled: N },
      deployment: { intendedVersion: 'v1', registeredArtifacts: { v1: 'sha-v1' } },
      schema: { rowsChecked: N, rowsViolating: 0 },
    });
    expect(f.operational?.latencyMs?.p99).toBeGreaterThan(f.operational!.latencyMs!.p50);
    expect(f.instances?.map((i) => [i.instance, i.operational?.requests, i.longestHeartbeatGapMs])).toEqual([
      ['pod-1', N / 2, 60_000],
      ['pod-2', N / 2, 60_000],
    ]);
    expect(f.realised?.accuracy?.n).toBe(N);
    expect(f.estimated?.accuracy).toMatchObject({ n: N });
    expect(f.estimated!.accuracy!.lower!).toBeLessThan(f.estimated!.accuracy!.value!);
    expect(f.drift?.features.map((d) => [d.feature, d.drifted])).toEqual([
      ['distance', false],
      ['origin', false],
      ['destination', false],
      ['hour', false],
    ]);
    expect(
      f.integrityOutcomes?.map((o) => (o.kind === 'finding' ? o.finding.detector : o.detector)).sort(),
    ).toEqual([
      'artifact_mismatch',
      'crash_loop',
      'heartbeat_gap',
      'mixed_versions',
      'self_checks',
      'unintended_version',
    ]);
    expect(JSON.stringify(a)).not.toMatch(/NaN/);
    // The same window analysed again (a replay) gives the same analysis.
    expect(await analyzer.analyze('acme', 'clean', windowOf(6))).toEqual(a);
    expect(analyzer.cachedFits()).toBeGreaterThan(0);
  });
});

describe('createWindowAnalyzer on a regressor', () => {
  it('measures MAE and RMSE, estimates them with DLE, and stays quiet on clean windows', {
    timeout: 60_000,
  }, async () => {
    const regression = (f: Flight) => ({ value: f.predictedDelay });
    const r = await scenario(
      'arrival',
      { output: regression, label: (f) => f.delay },
      { setup: { task: 'regression' }, cleanSpec: { output: regression, label: (f) => f.delay } },
    );
    expect(r.before).toEqual([]);
    expect(r.after).toEqual([]);
    const a = await analyzer.analyze('acme', 'arrival', windowOf(5));
    expect(a.figures.realised?.mae?.n).toBe(N);
    expect(a.figures.realised?.rmse?.value).toBeGreaterThan(a.figures.realised!.mae!.value!);
    const est = a.figures.estimated?.mae;
    expect(est?.n).toBe(N);
    expect(est!.lower!).toBeLessThan(est!.value!);
    expect(est!.upper!).toBeGreaterThan(est!.value!);
    // DLE's estimate lands near the realised MAE on data like its reference.
    expect(
      Math.abs(est!.value! - a.figures.realised!.mae!.value!) / a.figures.realised!.mae!.value!,
    ).toBeLessThan(0.35);
  });
});

describe('createWindowAnalyzer finds each injected cause within one window', () => {
  it('unit change ×100 → data_quality on the feature, with before/after quantiles', {
    timeout: 60_000,
  }, async () => {
    const r = await scenario('unit', {
      features: (f) => ({
        distance: f.distance * 100,
        origin: f.origin,
        destination: f.destination,
        hour: f.hour,
      }),
    });
    expect(r.before).toEqual([]);
    const hit = r.after.find((f) => f.detector === 'unit_change');
    expect(hit).toMatchObject({
      cause: 'data_quality',
      subject: { model: 'unit', version: 'v1', feature: 'distance' },
    });
    expect(hit?.evidence.summary).toMatch(/100 × reference/);
    expect(hit?.evidence.detail?.quantiles).toHaveLength(7);
    expect(r.after.filter((f) => f.cause === 'covariate_shift' || f.cause === 'edge_cases')).toEqual([]);
  });

  it('covariate shift → covariate_shift on the shifted features', { timeout: 60_000 }, async () => {
    const long = shuffle(
      pool.filter((f) => f.distance > 900),
      seededRng(3),
    ).slice(0, N);
    const r = await scenario('covariate', { rows: long });
    expect(r.before).toEqual([]);
    expect(r.after.map(brief)).toContain('feature_drift/covariate_shift/distance');
    expect(r.after.every((f) => f.cause === 'covariate_shift')).toBe(true);
  });

  it('label shift → label_shift on the target', { timeout: 60_000 }, async () => {
    const delayed = pool.filter((f) => f.delayed === 1).slice(0, N / 2);
    const onTime = pool.filter((f) => f.delayed === 0).slice(0, N / 2);
    const r = await scenario('prior', { rows: shuffle([...delayed, ...onTime], seededRng(4)) });
    expect(r.before).toEqual([]);
    expect(r.after.map(brief)).toContain('label_drift/label_shift/delayed');
    expect(r.after.filter((f) => f.cause === 'concept_drift')).toEqual([]);
  });

  it('outliers → edge_cases', { timeout: 60_000 }, async () => {
    const r = await scenario('outliers', {
      features: (f, i) => ({
        distance: i % 16 === 0 ? 20_000 + 100 * (i % 37) : f.distance,
        origin: f.origin,
        destination: f.destination,
        hour: f.hour,
      }),
    });
    expect(r.before).toEqual([]);
    expect(r.after.map(brief)).toEqual(
      expect.arrayContaining(['outlier_share/edge_cases/-', 'range_tail/edge_cases/distance']),
    );
    expect(r.after.every((f) => f.cause === 'edge_cases')).toBe(true);
  });

  it('gives the same outlier findings when the same reference is uploaded again later (fits seeded by content)', {
    timeout: 60_000,
  }, async () => {
    const w = windowOf(5);
    const first = await analyzer.analyze('acme', 'outliers', w);
    c.clock.advance(3 * HOUR);
    const again = await c.call({
      method: 'PUT',
      url: '/v1/models/outliers/versions/v1/reference',
      headers: { 'content-type': 'text/csv' },
      payload: referenceCsv(reference),
    });
    expect(again.statusCode).toBe(200);
    analyzer.clearCache();
    const second = await analyzer.analyze('acme', 'outliers', w);
    const outlier = (o: DetectorOutcome[]) =>
      o.filter((x) => x.kind === 'finding' && x.finding.detector === 'outlier_share');
    expect(outlier(first.outcomes)).toHaveLength(1);
    expect(outlier(second.outcomes)).toEqual(outlier(first.outcomes));
  });

  it('a crash storm whose failed requests lack features reads as errors, not as missing or drifted data', {
    timeout: 60_000,
  }, async () => {
    // Two requests in three fail before the model runs: the upstream that fills `hour` is down, so the handler
    // logs it as null, its fallback distance is 0, and there is no output.
    const failed = (i: number) => i % 3 !== 0;
    const r = await scenario('storm', {
      status: (i) => (failed(i) ? { status: 'error', errorKind: 'ECONNREFUSED' } : { status: 'ok' }),
      features: (f, i) =>
        failed(i)
          ? { distance: 0, origin: f.origin, destination: f.destination, hour: null }
          : { distance: f.distance, origin: f.origin, destination: f.destination, hour: f.hour },
      label: (f, i) => (failed(i) ? null : f.delayed),
    });
    expect(r.before).toEqual([]);
    const inputCauses = [
      'data_quality',
      'covariate_shift',
      'edge_cases',
      'train_serving_skew',
      'label_shift',
    ];
    expect(r.after.filter((f) => inputCauses.includes(f.cause)).map(brief)).toEqual([]);
    const a = await analyzer.analyze('acme', 'storm', windowOf(5));
    expect(a.figures.operational).toMatchObject({ requests: N, errors: N - N / 3 });
    // The data checks read the answered requests only.
    expect(a.figures.schema).toMatchObject({ rowsChecked: N / 3, rowsViolating: 0 });
    expect(a.figures.drift?.features.filter((d) => d.drifted)).toEqual([]);
  });

  it('a user output check that fails → edge_cases', { timeout: 60_000 }, async () => {
    const r = await scenario(
      'checked',
      { output: (f) => ({ class: f.predicted, score: f.proba * 3 }) },
      {
        cleanSpec: { output: (f) => ({ class: f.predicted, score: f.proba }) },
      },
    );
    expect(r.before).toEqual([]);
    expect(r.after.map(brief)).toContain('output_checks/edge_cases/-');
  });

  it('accuracy falls while inputs and labels hold still → concept_drift', { timeout: 60_000 }, async () => {
    let flippedUp = 0;
    let flippedDown = 0;
    const r = await scenario('concept', {
      // Right predictions turned wrong, as many 1 → 0 as 0 → 1: the label distribution is unchanged.
      label: (f) => {
        if (f.predicted !== f.delayed) return f.delayed;
        if (f.delayed === 1 && flippedDown < 40) {
          flippedDown++;
          return 0;
        }
        if (f.delayed === 0 && flippedUp < 40) {
          flippedUp++;
          return 1;
        }
        return f.delayed;
      },
    });
    expect(r.before).toEqual([]);
    expect(r.after.map(brief)).toEqual(['concept_drift/concept_drift/-']);
  });

  it('validation metrics far above production from the first window → poor_hyperparameters', {
    timeout: 60_000,
  }, async () => {
    const r = await scenario(
      'overfit',
      {},
      { setup: { validationMetrics: { val_accuracy: 0.93 } }, clean: 0 },
    );
    expect(r.after.map(brief)).toEqual(['generalisation_gap/poor_hyperparameters/-']);
    expect(r.after[0]?.window.kind).toBe('cumulative');
  });

  it('a new version whose pipeline differs → train_serving_skew from its first window', {
    timeout: 60_000,
  }, async () => {
    const shifted = (f: Flight) => ({
      distance: f.distance,
      origin: f.origin,
      destination: f.destination,
      hour: (f.hour + 6) % 24,
    });
    const r = await scenario(
      'skew',
      { version: 'v2', features: shifted },
      {
        prepare: async () => {
          await c.call({
            method: 'POST',
            url: '/v1/models/skew/versions',
            payload: { version: 'v2', artifactHash: 'sha-v2', schema: FLIGHT_SCHEMA },
          });
          // v2 went out at the start of its first window (the collector's clock is later than the windows).
          await c.call({
            method: 'PUT',
            url: '/v1/models/skew/intended-version',
            payload: { version: 'v2', effectiveAt: windowOf(5).startMs },
          });
          await c.call({
            method: 'PUT',
            url: '/v1/models/skew/versions/v2/reference',
            headers: { 'content-type': 'text/csv' },
            payload: referenceCsv(reference),
          });
        },
      },
    );
    expect(r.before).toEqual([]);
    expect(r.after.map(brief)).toEqual(['distribution_skew/train_serving_skew/hour']);
    // The second window of v2 still names skew (the first window already differed), not covariate shift.
    await sendWindow(c, {
      model: 'skew',
      startMs: windowOf(6).startMs,
      rows: take(N),
      version: 'v2',
      features: shifted,
    });
    const next = findings((await analyzer.analyze('acme', 'skew', windowOf(6))).outcomes);
    expect(next.map(brief)).toEqual(['distribution_skew/train_serving_skew/hour']);
  });

  it('serving rows joined on an id that disagree with training → train_serving_skew (feature skew)', {
    timeout: 60_000,
  }, async () => {
    // The reference carries flight_id F0…F5999; serving sends the same flights with distance in km.
    const rows = reference.slice(0, N);
    const r = await scenario(
      'joined',
      {
        rows,
        features: (f, i) => ({
          flight_id: `F${i}`,
          distance: Math.round(f.distance * 1.609344),
          origin: f.origin,
          destination: f.destination,
          hour: f.hour,
        }),
      },
      {
        setup: {
          idColumn: true,
          schema: { ...FLIGHT_SCHEMA, features: { ...FLIGHT_SCHEMA.features, flight_id: 'categorical' } },
        },
        clean: 0,
      },
    );
    const skew = r.after.find((f) => f.detector === 'feature_skew');
    expect(skew).toMatchObject({ cause: 'train_serving_skew', subject: { feature: 'distance' } });
    expect(skew?.evidence.summary).toMatch(/km|miles|1\.609/);
  });
});

describe('createWindowAnalyzer finds the software causes', () => {
  it('an instance that goes silent → downtime', { timeout: 60_000 }, async () => {
    const r = await scenario('silent', { silentFrom: { 'pod-2': windowOf(5).startMs + 10 * 60_000 } });
    expect(r.before).toEqual([]);
    expect(r.after.map(brief)).toEqual(['heartbeat_gap/downtime/pod-2']);
  });

  it('an artifact that is not the registered one → deployment_wrong_model', { timeout: 60_000 }, async () => {
    const r = await scenario('artifact', { artifactHash: 'sha-unknown' });
    expect(r.after.map(brief)).toEqual([
      'artifact_mismatch/deployment_wrong_model/pod-1',
      'artifact_mismatch/deployment_wrong_model/pod-2',
    ]);
  });

  it('a window before a deploy, analysed after it, is judged against the version intended then', {
    timeout: 60_000,
  }, async () => {
    // 1. v1 serves until half past hour 5, when v2 goes out (each batch spreads over one hour from its start).
    const half = 30 * 60_000;
    const deployMs = windowOf(5).startMs + half;
    await setupModel(c, { model: 'rollout', reference });
    for (let k = 0; k < 5; k++)
      await sendWindow(c, { model: 'rollout', startMs: windowOf(k).startMs + half, rows: take(N) });
    for (let k = 5; k < 8; k++)
      await sendWindow(c, {
        model: 'rollout',
        version: 'v2',
        startMs: windowOf(k).startMs + half,
        rows: take(N),
      });
    // 2. The deploy tool registers v2 and tells the registry when it went out.
    await setupModel(c, { model: 'rollout', version: 'v2', reference, intended: false });
    const put = await c.call({
      method: 'PUT',
      url: '/v1/models/rollout/intended-version',
      payload: { version: 'v2', effectiveAt: deployMs },
    });
    expect(put.statusCode).toBe(200);
    // 3. The windows are analysed only now, after the switch.
    const wrongModel = (a: { outcomes: DetectorOutcome[] }) =>
      findings(a.outcomes)
        .filter((f) => f.cause === 'deployment_wrong_model')
        .map(brief);
    const before = await analyzer.analyze('acme', 'rollout', windowOf(4));
    expect(before.figures.deployment).toMatchObject({ intendedVersion: 'v1', intendedInWindow: ['v1'] });
    expect(wrongModel(before)).toEqual([]);
    const straddling = await analyzer.analyze('acme', 'rollout', windowOf(5));
    expect(straddling.figures.deployment).toMatchObject({
      intendedVersion: 'v2',
      intendedInWindow: ['v1', 'v2'],
    });
    expect(wrongModel(straddling)).toEqual([]);
    const after = await analyzer.analyze('acme', 'rollout', windowOf(6));
    expect(after.figures.deployment).toMatchObject({ intendedVersion: 'v2', intendedInWindow: ['v2'] });
    expect(wrongModel(after)).toEqual([]);
    // 4. v1 back on another instance later is the wrong model: the history excuses nothing after the deploy.
    await sendWindow(c, {
      model: 'rollout',
      startMs: windowOf(7).startMs,
      rows: take(N / 3),
      instances: ['pod-3'],
      idPrefix: 'rollout-stray',
    });
    const stray = await analyzer.analyze('acme', 'rollout', windowOf(7));
    expect(wrongModel(stray)).toContain('unintended_version/deployment_wrong_model/pod-3');
  });

  it('a failing self-check → deployment_permissions', { timeout: 60_000 }, async () => {
    const r = await scenario('perms', {
      heartbeat: (i) =>
        i === 'pod-1' ? { checks: [{ name: 'read_model', ok: false, detail: 'EACCES' }] } : {},
    });
    expect(r.after.map(brief)).toEqual(['self_checks/deployment_permissions/pod-1']);
  });

  it('a hot, throttled host whose latency rose → hardware_failure', { timeout: 60_000 }, async () => {
    const start = windowOf(5).startMs;
    const r = await scenario('hot', {
      heartbeat: (i, t) =>
        i === 'pod-2' && t > start + 20 * 60_000
          ? { host: { cpuPercent: 35, memoryPercent: 40, temperatureC: 97, throttled: 5, processStartMs: 0 } }
          : {},
      latencyMs: (k, i, rng) => (i === 'pod-2' && k > 100 ? 200 + 50 * rng.next() : 20 + 20 * rng.next()),
    });
    expect(r.after.map(brief)).toEqual(['host_metrics/hardware_failure/pod-2']);
  });

  it('an environment that differs from the validated one → dependency_failure', {
    timeout: 60_000,
  }, async () => {
    const fp = { runtime: 'python 3.11.4', lockfileHash: 'abc', packages: { numpy: '1.26.4' } };
    const r = await scenario(
      'env',
      {
        heartbeat: (i) => ({
          fingerprint: i === 'pod-2' ? { ...fp, lockfileHash: 'def', packages: { numpy: '2.0.0' } } : fp,
        }),
      },
      { setup: { fingerprint: fp }, cleanSpec: { heartbeat: () => ({ fingerprint: fp }) } },
    );
    expect(r.before).toEqual([]);
    expect(r.after.map(brief)).toEqual(['environment_fingerprint/dependency_failure/pod-2']);
  });

  it('probe events of an upstream that fails → dependency_failure', { timeout: 60_000 }, async () => {
    const probes = (start: number, okUntil: number) =>
      Array.from({ length: 60 }, (_, m) => ({
        id: `probe-${start}-${m}`,
        kind: 'probe',
        model: 'upstream',
        timestamp: start + m * 60_000,
        attributes: {
          dependency: 'feature-store',
          ok: start + m * 60_000 < okUntil,
          latencyMs: 12,
          intervalMs: 60_000,
        },
      }));
    const r = await scenario(
      'upstream',
      {},
      {
        after: async (start) => {
          for (let k = 0; k < 5; k++)
            await sendEvents(c, probes(windowOf(k).startMs, Number.POSITIVE_INFINITY));
          await sendEvents(c, probes(start, start + 30 * 60_000));
        },
      },
    );
    expect(r.after.map(brief)).toEqual(['upstream_probe/dependency_failure/feature-store']);
  });

  it('crash events in a row → downtime', { timeout: 60_000 }, async () => {
    const r = await scenario(
      'crashy',
      {},
      {
        after: (start) =>
          sendEvents(
            c,
            [0, 1, 2, 3].map((k) => ({
              id: `crash-${k}`,
              kind: 'crash',
              model: 'crashy',
              instance: 'pod-1',
              timestamp: start + (10 + 8 * k) * 60_000,
              message: 'SIGSEGV',
            })),
          ),
      },
    );
    expect(r.after.map(brief)).toEqual(['crash_loop/downtime/pod-1']);
  });
});

describe('createWindowAnalyzer on a recommender', () => {
  it('finds a degenerate feedback loop of a greedy policy and none of an exploring one', {
    timeout: 60_000,
  }, async () => {
    await sendRecommender(c, 'greedy', simulateRecommender(seededRng(11), { policy: 'greedy' }), T0);
    const a = await analyzer.analyze('acme', 'greedy', windowOf(7));
    expect(findings(a.outcomes).map(brief)).toEqual(['feedback_loop/feedback_loop/-']);
    expect(a.figures.feedback).toMatchObject({ impressions: 20_000, catalogCoverage: 1 });
    expect(a.figures.feedback!.exposureGini!).toBeGreaterThan(0.5);
    await sendRecommender(c, 'explore', simulateRecommender(seededRng(11), { policy: 'epsilon_greedy' }), T0);
    const b = await analyzer.analyze('acme', 'explore', windowOf(7));
    expect(findings(b.outcomes)).toEqual([]);
    expect(b.outcomes.find((o) => o.kind === 'clear' && o.detector === 'feedback_loop')).toBeDefined();
  });
});

describe('createWindowAnalyzer input errors', () => {
  it('names an unknown model and a window that is not an interval', async () => {
    await expect(analyzer.analyze('acme', 'nope', windowOf(0))).rejects.toMatchObject({
      code: 'registry.model_not_found',
    });
    await expect(analyzer.analyze('acme', 'clean', { startMs: 10, endMs: 10 })).rejects.toMatchObject({
      code: 'request.invalid',
    });
  });
});
