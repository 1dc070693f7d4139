/**
 * The fleet on its own: every injected failure bends the events the serving processes send the way the real
 * failure would. The fleet's outside world (SDK monitors, collector, feature store, registry) is replaced by a
 * recorder of what it is asked to send; the end-to-end test (`test/demo`) runs it against the real ones.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { seededRng } from '../core/rng.js';
import type { HeartbeatOverrides, Monitor, PredictionInput } from '../sdk/monitor.js';
import { UpstreamError } from './feature-store.js';
import type { FleetIo } from './fleet.js';
import { Fleet, HEARTBEAT_EVERY_MS, INSTANCES, validatedFingerprint } from './fleet.js';
import { planDemo } from './setup.js';
import type { DemoModel } from './timeline.js';
import { BUCKET_MS, FAILURES, HOUR_MS } from './timeline.js';

const T0 = Date.UTC(2025, 2, 3);
const HOURS = 66;

interface Logged extends PredictionInput {
  instance: string;
  model: DemoModel;
  version: string;
  artifactHash: string;
}

const logged: Logged[] = [];
const labels: { id: string; value: unknown; at: number }[] = [];
const events: {
  kind: string;
  instance: string;
  model: DemoModel;
  timestamp: number;
  attributes?: unknown;
}[] = [];
const clicks: { predictionId: string; position?: number | undefined }[] = [];
const beats: (HeartbeatOverrides & { instance: string; model: DemoModel })[] = [];
const calls: string[] = [];
let storeUp = true;

function recordingMonitor(spec: {
  instance: string;
  model: DemoModel;
  version: string;
  artifactHash: string;
}): Monitor {
  return {
    log: (p) => {
      logged.push({ ...p, ...spec });
      return p.id ?? '';
    },
    label: (id, value, at) => {
      labels.push({ id, value, at: Number(at) });
    },
    feedback: (f) => {
      clicks.push({ predictionId: f.predictionId, position: f.position });
    },
    event: (e) => {
      events.push({ ...e, instance: spec.instance, model: spec.model, timestamp: Number(e.timestamp) });
    },
    wrap: (fn) => fn,
    heartbeat: async (b) => {
      beats.push({ ...b, instance: spec.instance, model: spec.model });
    },
    flush: async () => {},
    close: async () => {},
    stats: () => ({ buffered: 0, sent: 0, retries: 0, dropped: {} }),
  };
}

const plan = planDemo(seededRng(5));

beforeAll(async () => {
  const io: FleetIo = {
    openMonitor: recordingMonitor,
    fetchCongestion: async (keys, window) => {
      if (!storeUp) throw new UpstreamError('feature store unreachable: ECONNREFUSED', 'ECONNREFUSED');
      return keys.map((k) => {
        const f = plan.pools.flights[k]!;
        return window === '24h'
          ? { origin: f.originCongestion24h, destination: f.destCongestion24h }
          : { origin: f.originCongestion, destination: f.destCongestion };
      });
    },
    probeFeatureStore: async () =>
      storeUp
        ? { ok: true, latencyMs: 1, status: 200, error: null }
        : { ok: false, latencyMs: null, status: null, error: 'ECONNREFUSED' },
    setFeatureStore: async (running) => {
      storeUp = running;
      calls.push(`featureStore ${running ? 'up' : 'down'}`);
    },
    setIntended: async (model, version, atMs) => {
      calls.push(`intended ${model} ${version} @${(atMs - T0) / HOUR_MS}`);
    },
  };
  const fleet = new Fleet({
    rng: seededRng(5),
    t0Ms: T0,
    artifacts: plan.artifacts,
    hashes: plan.hashes,
    pools: plan.pools,
    recommender: plan.recommender,
    io,
  });
  fleet.start();
  for (let t = T0; t < T0 + HOURS * HOUR_MS; t += BUCKET_MS) await fleet.playBucket(t);
  await fleet.close();
}, 60_000);

const hourOf = (ms: number) => Math.floor((ms - T0) / HOUR_MS);
const span = (id: string) => FAILURES.find((f) => f.id === id)!;
const inHours = (from: number, to: number) => (p: { timestamp?: number | string | undefined }) =>
  hourOf(Number(p.timestamp)) >= from && hourOf(Number(p.timestamp)) < to;
const of = (model: DemoModel, from: number, to: number) =>
  logged.filter((p) => p.model === model).filter(inHours(from, to));

describe('the demo fleet', () => {
  it('serves clean traffic in the warm-up: no errors, full features, outputs, labels and heartbeats', () => {
    const clean = logged.filter(inHours(0, 8));
    expect(clean.filter((p) => p.status !== 'ok')).toEqual([]);
    for (const p of of('flight-delays', 0, 8).slice(0, 500)) {
      expect(Object.keys(p.features).sort()).toEqual(
        ['dep_hour', 'dest_congestion', 'distance', 'origin', 'origin_congestion'].sort(),
      );
      expect(p.output?.probabilities?.['1']).toBeGreaterThanOrEqual(0);
    }
    expect(of('flight-delays', 0, 8).length / 8).toBeGreaterThan(350);
    expect(of('daily-high', 0, 8).length / 8).toBeGreaterThan(250);
    expect(of('home-feed', 0, 8).every((p) => p.output?.items?.length === 10)).toBe(true);
    // Labels follow their prediction by 5 to 25 minutes.
    const at = new Map(logged.map((p) => [p.id, Number(p.timestamp)]));
    for (const l of labels.slice(0, 2000)) {
      const delay = l.at - at.get(l.id)!;
      expect(delay).toBeGreaterThanOrEqual(5 * 60_000);
      expect(delay).toBeLessThan(25 * 60_000);
    }
    expect(beats.filter((b) => hourOf(Number(b.timestamp)) === 0).length).toBe(
      (8 * HOUR_MS) / HEARTBEAT_EVERY_MS,
    );
    expect(clicks.length).toBeGreaterThan(0);
  });

  it('dependency upgrade: a new package version on every flight-delays instance, afternoon requests fail', () => {
    const f = span('dependency-upgrade');
    const during = beats.filter(
      (b) => b.model === 'flight-delays' && hourOf(Number(b.timestamp)) === f.startHour,
    );
    expect(during.length).toBe(3 * 12);
    for (const b of during) {
      expect(b.fingerprint?.packages?.['@acme/time-utils']).toBe('3.0.0');
      expect(b.fingerprint?.lockfileHash).not.toBe(validatedFingerprint('flight-delays').lockfileHash);
    }
    const after = beats.filter(
      (b) => b.model === 'flight-delays' && hourOf(Number(b.timestamp)) === f.endHour,
    );
    for (const b of after) expect(b.fingerprint).toEqual(validatedFingerprint('flight-delays'));
    const reqs = of('flight-delays', f.startHour, f.endHour);
    const failed = reqs.filter((p) => p.status === 'error');
    expect(failed.every((p) => p.errorKind === 'RangeError' && Number(p.features.dep_hour) >= 13)).toBe(true);
    expect(reqs.filter((p) => p.status === 'ok').every((p) => Number(p.features.dep_hour) < 13)).toBe(true);
    expect(failed.length / reqs.length).toBeGreaterThan(0.3);
  });

  it('permissions: one instance fails its read_model check and every request it serves', () => {
    const f = span('permissions');
    const beat = beats.find(
      (b) => b.instance === 'flight-delays-3' && hourOf(Number(b.timestamp)) === f.startHour,
    )!;
    expect(beat.checks?.find((c) => c.name === 'read_model')).toMatchObject({ ok: false });
    expect(beat.checks?.find((c) => c.name === 'read_model')?.detail).toContain('EACCES');
    const reqs = of('flight-delays', f.startHour, f.endHour);
    expect(reqs.filter((p) => p.instance === 'flight-delays-3').every((p) => p.errorKind === 'EACCES')).toBe(
      true,
    );
    expect(reqs.filter((p) => p.instance !== 'flight-delays-3').every((p) => p.status === 'ok')).toBe(true);
  });

  it('overheating: one host runs hot and throttled, and its answers slow down', () => {
    const f = span('overheating-host');
    const hot = beats.filter(
      (b) => b.instance === 'daily-high-2' && hourOf(Number(b.timestamp)) === f.startHour + 1,
    );
    for (const b of hot) {
      expect(b.host?.temperatureC).toBeGreaterThan(90);
      expect(b.host?.throttled).toBe(1);
    }
    const median = (xs: number[]) => xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
    const reqs = of('daily-high', f.startHour + 1, f.endHour);
    const slow = median(reqs.filter((p) => p.instance === 'daily-high-2').map((p) => p.latencyMs!));
    const fast = median(reqs.filter((p) => p.instance !== 'daily-high-2').map((p) => p.latencyMs!));
    expect(slow).toBeGreaterThan(20 * fast);
  });

  it('upstream down: the feature store is stopped, probes fail and requests error with the connection error', () => {
    const f = span('upstream-down');
    expect(calls).toContain('featureStore down');
    expect(calls).toContain('featureStore up');
    const reqs = of('flight-delays', f.startHour, f.endHour);
    expect(reqs.every((p) => p.status === 'error' && p.errorKind === 'ECONNREFUSED')).toBe(true);
    expect(reqs.every((p) => p.features.origin_congestion === null)).toBe(true);
    const probes = events.filter((e) => e.kind === 'probe' && hourOf(e.timestamp) === f.startHour);
    expect(probes.length).toBe(12);
    expect(probes.every((e) => (e.attributes as { ok: boolean }).ok === false)).toBe(true);
  });

  it('wrong artifact: one instance reports the current version with the older version’s artifact hash', () => {
    const f = span('wrong-artifact');
    const reqs = of('daily-high', f.startHour, f.endHour);
    const wrong = reqs.filter((p) => p.instance === 'daily-high-3');
    expect(wrong.every((p) => p.version === 'v2' && p.artifactHash === plan.hashes['daily-high'].v1)).toBe(
      true,
    );
    const right = reqs.filter((p) => p.instance !== 'daily-high-3');
    expect(right.every((p) => p.artifactHash === plan.hashes['daily-high'].v2)).toBe(true);
  });

  it('releases go out and roll back through the registry, skewed v2 sending UTC hours', () => {
    expect(calls).toEqual(
      expect.arrayContaining([
        'intended flight-delays v2 @32',
        'intended flight-delays v1 @35',
        'intended flight-delays v3 @49',
        'intended flight-delays v1 @52',
        'intended home-feed v2 @53',
      ]),
    );
    const skew = span('train-serving-skew');
    const reqs = of('flight-delays', skew.startHour, skew.endHour);
    expect(reqs.every((p) => p.version === 'v2')).toBe(true);
    // Local departure hours concentrate in the day; UTC ones in the evening and night.
    const evening = reqs.filter((p) => Number(p.features.dep_hour) >= 18 || Number(p.features.dep_hour) < 3);
    expect(evening.length / reqs.length).toBeGreaterThan(0.5);
    // Congestion comes from the 24-hour definition.
    const pairs = (threeHours: boolean) =>
      new Set(
        plan.pools.flights.map((fl) =>
          threeHours
            ? `${fl.originCongestion}|${fl.destCongestion}`
            : `${fl.originCongestion24h}|${fl.destCongestion24h}`,
        ),
      );
    const served = reqs.map((p) => `${p.features.origin_congestion}|${p.features.dest_congestion}`);
    const daily = pairs(false);
    const threeHourly = pairs(true);
    expect(served.every((k) => daily.has(k))).toBe(true);
    expect(served.filter((k) => threeHourly.has(k)).length).toBeLessThan(served.length * 0.05);
    expect(of('flight-delays', 49, 52).every((p) => p.version === 'v3')).toBe(true);
    expect(of('home-feed', 53, 56).every((p) => p.version === 'v2')).toBe(true);
  });

  it('unit change, turned season and record storm reach the regressor’s inputs', () => {
    const unit = of('daily-high', span('unit-change').startHour, span('unit-change').endHour);
    const minOf = (ps: Logged[]) => ps.map((p) => Number(p.features.temp_min));
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    expect(mean(minOf(unit))).toBeGreaterThan(40);
    expect(mean(minOf(of('daily-high', 0, 8)))).toBeLessThan(15);
    const season = span('seasonal-drift');
    expect(mean(minOf(of('daily-high', season.startHour, season.endHour)))).toBeLessThan(
      mean(minOf(of('daily-high', 0, 8))) - 5,
    );
    const storm = of('daily-high', span('edge-cases').startHour, span('edge-cases').endHour);
    const extreme = storm.filter((p) => Number(p.features.precipitation) >= 130);
    expect(extreme.length / storm.length).toBeGreaterThan(0.06);
    expect(extreme.length / storm.length).toBeLessThan(0.1);
    // The model's forecast for them would be impossible: the guard refuses them, with every feature logged.
    expect(extreme.every((p) => p.status === 'error' && p.errorKind === 'invalid_input')).toBe(true);
    const ordinary = storm.filter((p) => Number(p.features.precipitation) < 130);
    expect(ordinary.filter((p) => p.status !== 'ok')).toEqual([]);
  });

  it('concept drift changes the labels, not the inputs', () => {
    const f = span('concept-drift');
    const byId = new Map(logged.map((p) => [p.id, p]));
    const share = (from: number, to: number, pick: (h: number) => boolean) => {
      const ls = labels.filter((l) => {
        const p = byId.get(l.id)!;
        return (
          p.model === 'flight-delays' &&
          hourOf(Number(p.timestamp)) >= from &&
          hourOf(Number(p.timestamp)) < to
        );
      });
      const morning = ls.filter((l) => pick(Number(byId.get(l.id)!.features.dep_hour)));
      return morning.filter((l) => l.value === 1).length / morning.length;
    };
    const morningBefore = share(0, 8, (h) => h < 12);
    const morningDuring = share(f.startHour, f.endHour, (h) => h < 12);
    const eveningBefore = share(0, 8, (h) => h >= 16);
    const eveningDuring = share(f.startHour, f.endHour, (h) => h >= 16);
    expect(morningDuring).toBeGreaterThan(morningBefore + 0.2);
    expect(eveningDuring).toBeLessThan(eveningBefore - 0.1);
  });

  it('crash loop: the instance beats only in the 5 minutes of each 15 it is up, reports its deaths, loses no request', () => {
    const f = span('crash-loop');
    const mine = beats.filter(
      (b) => b.instance === 'daily-high-1' && hourOf(Number(b.timestamp)) === f.startHour,
    );
    expect(mine.map((b) => (Number(b.timestamp) - T0 - f.startHour * HOUR_MS) / 60_000)).toEqual([
      0, 15, 30, 45,
    ]);
    const died = events.filter((e) => e.instance === 'daily-high-1' && e.kind === 'crash');
    expect(died.length).toBe((f.endHour - f.startHour) * 4);
    const restarts = events.filter((e) => e.instance === 'daily-high-1' && e.kind === 'restart');
    expect(restarts.length).toBe((f.endHour - f.startHour) * 4);
    const reqs = of('daily-high', f.startHour, f.endHour);
    const onIt = reqs.filter((p) => p.instance === 'daily-high-1');
    expect(onIt.every((p) => (Number(p.timestamp) - T0) % (15 * 60_000) < 5 * 60_000)).toBe(true);
    expect(reqs.length / (f.endHour - f.startHour)).toBeGreaterThan(250);
  });

  it('names every instance it runs', () => {
    const seen = new Set(beats.map((b) => b.instance));
    expect([...seen].sort()).toEqual(Object.values(INSTANCES).flat().sort());
  });
});
