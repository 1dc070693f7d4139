/**
 * Compares the windows two stores hold for the same scenario: the exact parts (counters, counts, missing
 * values, type counts, distinct counts, frequent items, sample sizes, min and max) must be equal; means and
 * standard deviations equal up to floating-point summation order; quantiles each within the KLL rank error
 * of the exact quantile of the scenario's own values (profiles merged in a different order differ within
 * that bound, not beyond). Findings and incidents, which detection and diagnosis derive from those windows,
 * must be the same, figure for figure (up to floating-point summation order).
 */
import { expect } from 'vitest';
import type { ColumnSummary } from '../../src/core/profile/profile-summary.js';
import { summarizeProfile } from '../../src/core/profile/profile-summary.js';
import type { KllSketch } from '../../src/core/sketch/kll.js';
import type { EngineStateStore, Store, WindowRecord } from '../../src/store/store.js';
import type { WindowState } from '../../src/store/window-state.js';
import { outputColumns, windowCounters } from '../../src/store/window-state.js';
import type { Scenario } from './scenario.js';

/** The exact values behind one bucket, rebuilt from the scenario. */
interface Exact {
  columns: Map<string, number[]>;
  latency: number[];
  timeToLabel: number[];
  labelOf: Map<string, string | number | null>;
}

function exactBuckets(scenario: Scenario, model: string, bucketMs: number): Map<string, Exact> {
  const out = new Map<string, Exact>();
  const labels = scenario.labels.get(model) ?? new Map();
  for (const e of scenario.predictions.get(model)?.values() ?? []) {
    const key = `${e.version}@${Math.floor(e.timestamp / bucketMs) * bucketMs}`;
    let x = out.get(key);
    if (!x) {
      x = { columns: new Map(), latency: [], timeToLabel: [], labelOf: new Map() };
      out.set(key, x);
    }
    const push = (name: string, v: unknown) => {
      if (typeof v !== 'number') return;
      const list = x.columns.get(name) ?? [];
      list.push(v);
      x.columns.set(name, list);
    };
    // Failed requests count for the operational figures only, not in the feature and output profiles.
    const served = (e.status ?? 'ok') === 'ok';
    if (served) {
      for (const [k, v] of Object.entries(e.features as Record<string, unknown>)) push(`features.${k}`, v);
      for (const [k, v] of Object.entries(outputColumns(e.output as never))) push(`outputs.${k}`, v);
    }
    if (typeof e.latencyMs === 'number') x.latency.push(e.latencyMs);
    const l = labels.get(e.id as string);
    x.labelOf.set(e.id as string, l?.value ?? null);
    if (l) {
      push('labels.label', l.value);
      x.timeToLabel.push(l.timestamp - e.timestamp);
    }
  }
  return out;
}

/** Checks that `value` is a `q`-quantile of `sorted` within rank error `eps`. */
function expectQuantile(what: string, sorted: number[], q: number, value: number, eps: number): void {
  const n = sorted.length;
  let below = 0;
  let atOrBelow = 0;
  for (const x of sorted) {
    if (x < value) below++;
    if (x <= value) atOrBelow++;
  }
  const slack = eps + 1 / n;
  const ok = below / n - slack <= q && q <= atOrBelow / n + slack;
  expect(ok, `${what}: q=${q} value ${value} has rank [${below / n}, ${atOrBelow / n}] (±${slack})`).toBe(
    true,
  );
}

function expectKll(what: string, a: KllSketch, b: KllSketch, exact: number[]): void {
  expect(a.n, `${what}.n`).toBe(b.n);
  expect(a.n, `${what}.n vs scenario`).toBe(exact.length);
  expect(a.min, `${what}.min`).toBe(b.min);
  expect(a.max, `${what}.max`).toBe(b.max);
  const sorted = [...exact].sort((x, y) => x - y);
  for (const q of [0.1, 0.5, 0.9, 0.99])
    for (const [side, s] of [
      ['sqlite', a],
      ['postgres', b],
    ] as const)
      if (sorted.length > 0)
        expectQuantile(`${what} (${side})`, sorted, q, s.quantile(q)!, s.normalizedRankError(false));
}

function comparable(c: ColumnSummary) {
  const { numbers, histogram: _h, ...rest } = c;
  return {
    ...rest,
    numbers: numbers && {
      count: numbers.count,
      infinite: numbers.infinite,
      min: numbers.min,
      max: numbers.max,
    },
  };
}

function expectColumns(
  what: string,
  a: WindowState['features'],
  b: WindowState['features'],
  exact: Exact,
  prefix: string,
) {
  const sa = summarizeProfile(a).columns;
  const sb = summarizeProfile(b).columns;
  expect(sa.map((c) => c.name).sort(), `${what} columns`).toEqual(sb.map((c) => c.name).sort());
  for (const ca of sa) {
    const cb = sb.find((c) => c.name === ca.name)!;
    const w = `${what}.${ca.name}`;
    expect(comparable(ca), w).toEqual(comparable(cb));
    if (ca.numbers && cb.numbers) {
      const rel = (x: number | null, y: number | null) =>
        Math.abs((x ?? 0) - (y ?? 0)) / Math.max(1, Math.abs(x ?? 0));
      expect(rel(ca.numbers.mean, cb.numbers.mean), `${w}.mean`).toBeLessThan(1e-9);
      expect(rel(ca.numbers.stddev, cb.numbers.stddev), `${w}.stddev`).toBeLessThan(1e-9);
      const values = (exact.columns.get(`${prefix}.${ca.name}`) ?? []).sort((x, y) => x - y);
      expect(values.length, `${w} numbers vs scenario`).toBe(ca.numbers.count);
      for (const side of [ca, cb])
        for (const { q, value } of side.numbers!.quantiles)
          if (q >= 0.1 && q <= 0.9) expectQuantile(w, values, q, value, side.numbers!.rankError);
    }
  }
}

function keyed(windows: WindowRecord[]): Map<string, WindowRecord> {
  return new Map(windows.map((w) => [`${w.version}@${w.startMs}`, w]));
}

/** Compares every window, model record, instance and event of the two stores for `scenario`. */
export async function expectSameWindows(sqlite: Store, postgres: Store, project: string, scenario: Scenario) {
  let buckets = 0;
  for (const model of scenario.predictions.keys()) {
    const [ma, mb] = [await sqlite.getModel(project, model), await postgres.getModel(project, model)];
    expect(mb).toMatchObject({
      windowMs: ma?.windowMs,
      bucketMs: ma?.bucketMs,
      latestEventMs: ma?.latestEventMs,
    });
    const wa = keyed(await sqlite.listWindows(project, model, { limit: 10_000 }));
    const wb = keyed(await postgres.listWindows(project, model, { limit: 10_000 }));
    expect([...wb.keys()].sort(), `${model} window keys`).toEqual([...wa.keys()].sort());
    const exact = exactBuckets(scenario, model, ma!.bucketMs);
    for (const [key, a] of wa) {
      const b = wb.get(key)!;
      // A bucket may hold only feedback (counted at the feedback's time): no predictions of its own.
      const x = exact.get(key) ?? { columns: new Map(), latency: [], timeToLabel: [], labelOf: new Map() };
      const what = `${model} ${key}`;
      expect(windowCounters(b.state), `${what} counters`).toEqual(windowCounters(a.state));
      expectKll(`${what} latency`, a.state.latencyMs, b.state.latencyMs, x.latency);
      expectKll(`${what} time to label`, a.state.timeToLabelMs, b.state.timeToLabelMs, x.timeToLabel);
      expectColumns(`${what} features`, a.state.features, b.state.features, x, 'features');
      expectColumns(`${what} outputs`, a.state.outputs, b.state.outputs, x, 'outputs');
      expectColumns(`${what} labels`, a.state.labelValues, b.state.labelValues, x, 'labels');
      expect(b.state.sample.seen, `${what} sample.seen`).toBe(a.state.sample.seen);
      expect(b.state.sample.size, `${what} sample.size`).toBe(a.state.sample.size);
      for (const row of b.state.sample.items())
        expect(row.label, `${what} sampled row ${row.id} label`).toBe(x.labelOf.get(row.id));
      buckets++;
    }
    const versions = async (s: Store) =>
      (await s.listVersions(project, model)).map((v) => [v.version, v.artifactHash, v.registered]);
    expect(await versions(postgres)).toEqual(await versions(sqlite));
  }
  const strip = <T extends { receivedAtMs?: number }>(xs: T[]) =>
    xs.map(({ receivedAtMs: _r, ...rest }) => rest);
  expect(await postgres.listInstances(project, {})).toEqual(await sqlite.listInstances(project, {}));
  expect(strip(await postgres.listEvents(project, { limit: 100 }))).toEqual(
    strip(await sqlite.listEvents(project, { limit: 100 })),
  );
  expect(strip(await postgres.listHeartbeats(project, { limit: 100 }))).toEqual(
    strip(await sqlite.listHeartbeats(project, { limit: 100 })),
  );
  return { buckets };
}

/** `x` with every number rounded to 10 significant digits: what summation order may change is below that. */
function rounded(x: unknown): unknown {
  if (typeof x === 'number') return Number.isFinite(x) && x !== 0 ? Number(x.toPrecision(10)) : x;
  if (Array.isArray(x)) return x.map(rounded);
  if (x !== null && typeof x === 'object')
    return Object.fromEntries(Object.entries(x).map(([k, v]) => [k, rounded(v)]));
  return x;
}

/**
 * Compares what detection and diagnosis stored: every finding (by key, with its evidence), every evaluation and
 * every incident with its ranked causes and timeline. Returns the counts compared.
 */
export async function expectSameDiagnosis(
  sqlite: EngineStateStore,
  postgres: EngineStateStore,
  project: string,
): Promise<{ findings: number; evaluations: number; incidents: number }> {
  const findings = async (s: EngineStateStore) =>
    new Map(
      (await s.listFindings(project, { limit: 100_000 })).map((f) => [f.key, rounded(f.finding)] as const),
    );
  const [fa, fb] = [await findings(sqlite), await findings(postgres)];
  const only = (x: Map<string, unknown>, y: Map<string, unknown>) =>
    [...x.entries()].filter(([k]) => !y.has(k)).map(([, f]) => JSON.stringify(f));
  expect(
    [...fb.keys()].sort(),
    `finding keys; only on sqlite: ${only(fa, fb).join(' | ')}; only on postgres: ${only(fb, fa).join(' | ')}`,
  ).toEqual([...fa.keys()].sort());
  for (const [key, f] of fa) expect(fb.get(key), `finding ${key}`).toEqual(f);

  const evaluations = async (s: EngineStateStore) =>
    (await s.listEvaluations(project, { limit: 100_000 }))
      .map((e) => rounded(e) as { dedupeKey: string; window: { startMs: number; endMs: number } })
      .sort((x, y) =>
        `${x.dedupeKey}@${x.window.startMs}/${x.window.endMs}` <
        `${y.dedupeKey}@${y.window.startMs}/${y.window.endMs}`
          ? -1
          : 1,
      );
  const [ea, eb] = [await evaluations(sqlite), await evaluations(postgres)];
  expect(eb, 'evaluations').toEqual(ea);

  const incidents = async (s: EngineStateStore) =>
    (await s.listIncidents(project, { limit: 10_000 }))
      .map((i) => rounded(i) as { id: string })
      .sort((x, y) => (x.id < y.id ? -1 : 1));
  const [ia, ib] = [await incidents(sqlite), await incidents(postgres)];
  expect(
    ib.map((i) => i.id),
    'incident ids',
  ).toEqual(ia.map((i) => i.id));
  expect(ib, 'incidents').toEqual(ia);
  return { findings: fa.size, evaluations: ea.length, incidents: ia.length };
}
