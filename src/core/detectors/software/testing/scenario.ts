/**
 * @module
 * A seeded generator of realistic serving streams for the software detectors' tests and benchmark: a day of
 * clean traffic for three instances of one model with diurnal load (predictions with latency and status,
 * heartbeats with fingerprint, host metrics and self-checks, events, upstream probe results), into which faults
 * can be injected. The same seed and faults always give the same stream.
 *
 * The clean day is not sterile: it has a background of client errors, server errors and timeouts, probe blips,
 * host noise that follows the load, heartbeat jitter, and a planned rolling restart at 03:00 UTC. Random draws are
 * taken in a fixed number per arrival, heartbeat tick and probe tick, so a fault changes what it touches and
 * leaves the rest of the stream as it was.
 */
import type { Fingerprint, SelfCheck } from '../../../contract/events.js';
import type { Rng } from '../../../rng.js';
import { seededRng } from '../../../rng.js';
import type { ErrorKind, HeartbeatRecord, ProbeResult, RegisteredVersion, ServingEvent } from '../inputs.js';
import type { ProbeSpec } from '../probe-spec.js';

/** A fault active from `from` to `to` (offsets in ms from the start of the day; `to` unset: until the end). */
interface Span {
  from: number;
  to?: number;
}

export type Fault =
  | (Span & { kind: 'latency'; instance: string; factor: number })
  | (Span & { kind: 'errors'; instance: string; errorKind: ErrorKind; rate: number })
  | (Span & { kind: 'traffic_drop'; instance: string; keep: number })
  | (Span & { kind: 'silence'; instance: string })
  | (Span & { kind: 'crash_loop'; instance: string; everyMs: number })
  | (Span & { kind: 'upstream_down'; dependency: string })
  | (Span & { kind: 'upstream_slow'; dependency: string; factor: number })
  | (Span & { kind: 'wrong_artifact'; instance: string; artifactHash: string })
  | (Span & { kind: 'old_version'; instance: string })
  | (Span & { kind: 'self_check_failure'; instance: string; check: string; detail: string })
  | (Span & {
      kind: 'dependency_change';
      instance: string;
      packages?: Record<string, string>;
      runtime?: string;
    })
  | (Span & { kind: 'hardware'; instance: string; resource: 'cpu' | 'memory' | 'thermal' | 'gpu' });

export interface ScenarioOptions {
  seed: number;
  /** Start of the day (epoch ms); default Monday 2025-01-06 00:00 UTC. */
  startMs?: number;
  durationMs?: number;
  windowMs?: number;
  instances?: string[];
  model?: string;
  /** Requests per second per instance at the daily peak (14:00 UTC); the trough is a tenth of it. */
  peakRatePerInstance?: number;
  heartbeatIntervalMs?: number;
  faults?: Fault[];
}

export interface PredictionRecord {
  timestampMs: number;
  instance: string;
  version: string;
  artifactHash: string;
  latencyMs: number | null;
  status: 'ok' | 'error' | 'timeout';
  errorKind?: ErrorKind;
}

export interface Scenario {
  model: string;
  startMs: number;
  endMs: number;
  windowMs: number;
  instances: string[];
  predictions: PredictionRecord[];
  heartbeats: HeartbeatRecord[];
  events: ServingEvent[];
  probeSpecs: ProbeSpec[];
  probeResults: ProbeResult[];
  registry: RegisteredVersion[];
}

export const SCENARIO_START_MS = Date.UTC(2025, 0, 6);
const DAY_MS = 86_400_000;
const GIB = 1024 ** 3;

export const V3_HASH = 'sha256:4b7e9c0152d8a3f6e1b2c4d5a6f7e8d9c0b1a2f3e4d5c6b7a8f9e0d1c2b3a4f5';
export const V2_HASH = 'sha256:2c1d8e7f6a5b4c3d2e1f0a9b8c7d6e5f4a3b2c1d0e9f8a7b6c5d4e3f2a1b0c9d';
export const ROGUE_HASH = 'sha256:9f0e1d2c3b4a5f6e7d8c9b0a1f2e3d4c5b6a7f8e9d0c1b2a3f4e5d6c7b8a9f0e';

export const VALIDATED_FINGERPRINT: Fingerprint = {
  runtime: 'python 3.11.7',
  os: 'linux 6.1.0 debian 12',
  arch: 'x86_64',
  lockfileHash: 'sha256:aa51c0ffee7d2b8e91f4c6a3d5e7b9c1f3a5c7e9b1d3f5a7c9e1b3d5f7a9c1e3',
  packages: { numpy: '1.26.4', pandas: '2.2.2', 'scikit-learn': '1.4.2', scipy: '1.13.0' },
};

/** The environment v2 was validated in (an older scikit-learn). */
export const V2_FINGERPRINT: Fingerprint = {
  ...VALIDATED_FINGERPRINT,
  packages: { ...VALIDATED_FINGERPRINT.packages, 'scikit-learn': '1.3.2' },
};

const OK_CHECKS: SelfCheck[] = [
  { name: 'read_model', ok: true },
  { name: 'write_output_dir', ok: true },
];

export const PROBE_SPECS: ProbeSpec[] = [
  {
    name: 'feature-store',
    kind: 'http',
    target: 'https://features.internal/health',
    intervalMs: 30_000,
    timeoutMs: 2000,
  },
  { name: 'postgres', kind: 'tcp', target: 'db.internal:5432', intervalMs: 30_000, timeoutMs: 1000 },
];
const PROBE_MEDIAN_MS: Record<string, number> = { 'feature-store': 14, postgres: 3 };

/** Diurnal load in [0.1, 1]: trough at 02:00 UTC, peak at 14:00 UTC. */
export function diurnalLoad(t: number): number {
  const hour = (((t % DAY_MS) + DAY_MS) % DAY_MS) / 3_600_000;
  return 0.55 + 0.45 * Math.cos((2 * Math.PI * (hour - 14)) / 24);
}

function normal(rng: Rng): number {
  // Box–Muller; two uniforms per draw, always.
  const u = 1 - rng.next();
  const v = rng.next();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
}

/** Per-instance state at a time: what it serves, whether it is up, its process and environment. */
interface InstanceState {
  up: boolean;
  version: string;
  artifactHash: string;
  processStartMs: number;
  fingerprint: Fingerprint;
  checks: SelfCheck[];
}

class World {
  readonly start: number;
  readonly end: number;
  readonly faults: Fault[];
  readonly events: ServingEvent[] = [];
  /** Planned or faulty restarts per instance: [atMs, downForMs]. */
  private readonly restarts = new Map<string, { atMs: number; downMs: number }[]>();

  constructor(
    readonly opts: Required<Omit<ScenarioOptions, 'faults'>> & { faults: Fault[] },
    readonly model: string,
  ) {
    this.start = opts.startMs;
    this.end = opts.startMs + opts.durationMs;
    this.faults = opts.faults;
    // The planned rolling restart at 03:00 UTC each day, two minutes apart per instance.
    const firstDay = this.start - (((this.start % DAY_MS) + DAY_MS) % DAY_MS);
    for (let day = firstDay; day < this.end; day += DAY_MS) {
      opts.instances.forEach((instance, i) => {
        const at = day + 3 * 3_600_000 + i * 120_000;
        if (at < this.start || at >= this.end) return;
        this.addRestart(instance, at, 20_000);
        this.events.push({
          kind: 'deploy',
          timestampMs: at - 5_000,
          instance,
          version: 'v3',
          message: 'rolling restart',
        });
      });
    }
    for (const f of this.faults) {
      const from = this.start + f.from;
      const to = this.start + (f.to ?? opts.durationMs);
      if (f.kind === 'crash_loop') {
        for (let t = from; t < to; t += f.everyMs) {
          this.addRestart(f.instance, t, 30_000);
          this.events.push({
            kind: 'crash',
            timestampMs: t,
            instance: f.instance,
            version: 'v3',
            message: 'worker exited with signal 11 (SIGSEGV)',
          });
        }
      }
      if (
        f.kind === 'wrong_artifact' ||
        f.kind === 'old_version' ||
        f.kind === 'self_check_failure' ||
        f.kind === 'dependency_change'
      ) {
        this.addRestart(f.instance, from, 20_000);
        this.events.push({
          kind: 'deploy',
          timestampMs: from - 5_000,
          instance: f.instance,
          version: f.kind === 'old_version' ? 'v2' : 'v3',
        });
      }
    }
    for (const list of this.restarts.values()) list.sort((a, b) => a.atMs - b.atMs);
  }

  private addRestart(instance: string, atMs: number, downMs: number): void {
    this.restarts.set(instance, [...(this.restarts.get(instance) ?? []), { atMs, downMs }]);
  }

  active(t: number): Fault[] {
    return this.faults.filter(
      (f) => t >= this.start + f.from && t < this.start + (f.to ?? this.opts.durationMs),
    );
  }

  activeFor<K extends Fault['kind']>(t: number, kind: K, instance?: string): Extract<Fault, { kind: K }>[] {
    return this.active(t).filter(
      (f): f is Extract<Fault, { kind: K }> =>
        f.kind === kind && (instance === undefined || !('instance' in f) || f.instance === instance),
    );
  }

  state(instance: string, t: number): InstanceState {
    const idx = this.opts.instances.indexOf(instance);
    let processStartMs = this.start - 3 * DAY_MS + idx * 3_721_000;
    let up = true;
    for (const r of this.restarts.get(instance) ?? []) {
      if (t < r.atMs) break;
      if (t < r.atMs + r.downMs) up = false;
      else processStartMs = r.atMs + r.downMs;
    }
    if (this.activeFor(t, 'silence', instance).length > 0) up = false;
    let version = 'v3';
    let artifactHash = V3_HASH;
    let fingerprint = VALIDATED_FINGERPRINT;
    let checks = OK_CHECKS;
    for (const f of this.active(t)) {
      if (!('instance' in f) || f.instance !== instance) continue;
      if (f.kind === 'wrong_artifact') artifactHash = f.artifactHash;
      if (f.kind === 'old_version') {
        version = 'v2';
        artifactHash = V2_HASH;
        fingerprint = V2_FINGERPRINT;
      }
      if (f.kind === 'dependency_change')
        fingerprint = {
          ...fingerprint,
          ...(f.runtime ? { runtime: f.runtime } : {}),
          lockfileHash: 'sha256:bb62d1e0aa8e3c9f02a5d7b4e6f8a0c2e4b6d8f0a2c4e6b8d0f2a4c6e8b0d2f4',
          packages: { ...fingerprint.packages, ...f.packages },
        };
      if (f.kind === 'self_check_failure')
        checks = OK_CHECKS.map((c) =>
          c.name === f.check ? { name: c.name, ok: false, detail: f.detail } : c,
        );
    }
    return { up, version, artifactHash, processStartMs, fingerprint, checks };
  }
}

function defaults(options: ScenarioOptions): Required<Omit<ScenarioOptions, 'faults'>> & { faults: Fault[] } {
  return {
    seed: options.seed,
    startMs: options.startMs ?? SCENARIO_START_MS,
    durationMs: options.durationMs ?? DAY_MS,
    windowMs: options.windowMs ?? 300_000,
    instances: options.instances ?? ['web-1', 'web-2', 'web-3'],
    model: options.model ?? 'churn',
    peakRatePerInstance: options.peakRatePerInstance ?? 2,
    heartbeatIntervalMs: options.heartbeatIntervalMs ?? 30_000,
    faults: options.faults ?? [],
  };
}

function predictions(world: World, rng: Rng): PredictionRecord[] {
  const { instances, peakRatePerInstance } = world.opts;
  const out: PredictionRecord[] = [];
  const maxRate = peakRatePerInstance * instances.length;
  // Thinning: arrivals at the peak rate, each kept with probability load(t) (the diurnal shape).
  for (let t = world.start; ; ) {
    t += (-Math.log(1 - rng.next()) / maxRate) * 1000;
    if (t >= world.end) break;
    const keep = rng.next();
    const route = rng.next();
    const z = normal(rng);
    const uErr = rng.next();
    const uKind = rng.next();
    if (keep >= diurnalLoad(t)) continue;
    // The load balancer spreads requests over the instances that are up, by weight.
    const weights = instances.map((name) => {
      if (!world.state(name, t).up) return 0;
      const drop = world.activeFor(t, 'traffic_drop', name)[0];
      return drop ? drop.keep : 1;
    });
    const total = weights.reduce((a, b) => a + b, 0);
    if (total === 0) continue;
    let pick = route * total;
    let idx = 0;
    while (idx < weights.length - 1 && pick >= weights[idx]!) pick -= weights[idx++]!;
    const instance = instances[idx]!;
    const st = world.state(instance, t);
    let latency = 60 * (1 + 0.25 * diurnalLoad(t)) * Math.exp(0.4 * z);
    for (const f of world.activeFor(t, 'latency', instance)) latency *= f.factor;
    for (const f of world.activeFor(t, 'hardware', instance)) {
      if (f.resource === 'cpu') latency *= 3;
      if (f.resource === 'thermal') latency *= 1.8;
    }
    if (world.activeFor(t, 'upstream_slow').length > 0) latency *= 1.5;
    // Background: 0.2 % client errors, 0.05 % server errors, 0.03 % timeouts.
    const rates: [ErrorKind, number][] = [
      ['client_error', 0.002],
      ['server_error', 0.0005],
      ['timeout', 0.0003],
    ];
    for (const f of world.activeFor(t, 'errors', instance)) rates.push([f.errorKind, f.rate]);
    if (world.activeFor(t, 'upstream_down').length > 0) rates.push(['server_error', 0.3]);
    if (world.activeFor(t, 'dependency_change', instance).length > 0) rates.push(['server_error', 0.03]);
    for (const f of world.activeFor(t, 'hardware', instance))
      if (f.resource === 'memory') rates.push(['oom', 0.02]);
    for (const f of world.faults) {
      if (f.kind !== 'crash_loop' || f.instance !== instance) continue;
      // Requests in flight in the 5 s before a crash die with it.
      const offset = t - world.start;
      const next = f.from + Math.max(0, Math.ceil((offset - f.from) / f.everyMs)) * f.everyMs;
      if (next - offset <= 5_000 && next < (f.to ?? world.opts.durationMs)) rates.push(['crash', 1]);
    }
    const errorTotal = rates.reduce((a, [, r]) => a + r, 0);
    let status: PredictionRecord['status'] = 'ok';
    let errorKind: ErrorKind | undefined;
    if (uErr < Math.min(1, errorTotal)) {
      let u = uKind * errorTotal;
      let i = 0;
      while (i < rates.length - 1 && u >= rates[i]![1]) u -= rates[i++]![1];
      errorKind = rates[i]![0];
      status = errorKind === 'timeout' ? 'timeout' : 'error';
    }
    if (latency > 2000) {
      status = 'timeout';
      errorKind = 'timeout';
      latency = 2000;
    }
    out.push({
      timestampMs: Math.floor(t),
      instance,
      version: st.version,
      artifactHash: st.artifactHash,
      latencyMs: Math.round(latency * 10) / 10,
      status,
      ...(errorKind ? { errorKind } : {}),
    });
  }
  return out;
}

function heartbeats(world: World, instance: string, rng: Rng): HeartbeatRecord[] {
  const out: HeartbeatRecord[] = [];
  const every = world.opts.heartbeatIntervalMs;
  let gpuErrors = 0;
  let oomKills = 0;
  const idx = world.opts.instances.indexOf(instance);
  let lastStart: number | null = null;
  for (let tick = world.start + 1_000 + idx * 7_000; tick < world.end; tick += every) {
    const jitter = (rng.next() - 0.5) * 2_000;
    const [zc, zm, zt] = [normal(rng), normal(rng), normal(rng)];
    let t = Math.round(tick + jitter);
    if (t < world.start || t >= world.end) continue;
    const st = world.state(instance, t);
    if (!st.up) continue;
    // A restarted process sends its first heartbeat as it starts, then keeps to the schedule.
    if (lastStart !== null && st.processStartMs !== lastStart && st.processStartMs > world.start) {
      const first = st.processStartMs + 1_000;
      if (first < t) t = first;
    }
    lastStart = st.processStartMs;
    const load = diurnalLoad(t);
    let cpu = 12 + 50 * load + 3 * zc;
    let mem = 0.55 + 0.05 * load + 0.01 * zm;
    let temp = 48 + 18 * load + 1.5 * zt;
    let throttled = 0;
    for (const f of world.activeFor(t, 'hardware', instance)) {
      if (f.resource === 'cpu') cpu = 97 + 2 * Math.abs(zc);
      if (f.resource === 'memory') {
        mem = 0.975 + 0.005 * Math.abs(zm);
        oomKills += 1;
      }
      if (f.resource === 'thermal') {
        temp = 94 + Math.abs(zt);
        throttled = 1;
      }
      if (f.resource === 'gpu') gpuErrors += 3;
    }
    out.push({
      instance,
      timestampMs: t,
      version: st.version,
      artifactHash: st.artifactHash,
      intervalMs: every,
      processStartMs: st.processStartMs,
      fingerprint: st.fingerprint,
      host: {
        cpuPercent: Math.round(Math.min(100, Math.max(0, cpu)) * 10) / 10,
        memoryUsedBytes: Math.round(Math.min(1, mem) * 16 * GIB),
        memoryTotalBytes: 16 * GIB,
        temperatureC: Math.round(temp * 10) / 10,
        throttled,
        gpuErrors,
        oomKills,
        load1: Math.round(load * 40) / 10,
      },
      checks: st.checks,
    });
  }
  return out;
}

function probes(world: World, spec: ProbeSpec, rng: Rng): ProbeResult[] {
  const out: ProbeResult[] = [];
  for (let t = world.start + 500; t < world.end; t += spec.intervalMs) {
    const z = normal(rng);
    const blip = rng.next() < 0.002;
    let latency = (PROBE_MEDIAN_MS[spec.name] ?? 10) * Math.exp(0.3 * z);
    for (const f of world.activeFor(t, 'upstream_slow')) if (f.dependency === spec.name) latency *= f.factor;
    const down = world.activeFor(t, 'upstream_down').some((f) => f.dependency === spec.name);
    if (down || blip) {
      out.push({
        dependency: spec.name,
        timestampMs: t,
        ok: false,
        latencyMs: null,
        error: 'connect ETIMEDOUT',
      });
      continue;
    }
    const ok = latency <= spec.timeoutMs;
    out.push({
      dependency: spec.name,
      timestampMs: t,
      ok,
      latencyMs: ok ? Math.round(latency * 10) / 10 : null,
      ...(spec.kind === 'http' && ok ? { status: 200 } : {}),
      ...(ok ? {} : { error: `timeout after ${spec.timeoutMs} ms` }),
    });
  }
  return out;
}

/**
 * Generates a day (by default) of serving traffic with the given faults. Every random draw comes from
 * `seededRng(seed)`-derived streams, so the result is a pure function of the options.
 * @example generateScenario({ seed: 1, faults: [{ kind: 'silence', instance: 'web-2', from: 36_000_000 }] })
 */
export function generateScenario(options: ScenarioOptions): Scenario {
  const opts = defaults(options);
  const world = new World(opts, opts.model);
  const preds = predictions(world, seededRng(opts.seed));
  const hbs = opts.instances
    .flatMap((name, i) => heartbeats(world, name, seededRng(opts.seed * 31 + 1000 + i)))
    .sort((a, b) => a.timestampMs - b.timestampMs);
  const probeResults = PROBE_SPECS.flatMap((spec, i) =>
    probes(world, spec, seededRng(opts.seed * 31 + 2000 + i)),
  ).sort((a, b) => a.timestampMs - b.timestampMs);
  const registry: RegisteredVersion[] = [
    {
      version: 'v2',
      artifactHash: V2_HASH,
      intended: false,
      createdAtMs: opts.startMs - 30 * DAY_MS,
      fingerprint: V2_FINGERPRINT,
    },
    {
      version: 'v3',
      artifactHash: V3_HASH,
      intended: true,
      createdAtMs: opts.startMs - 3 * DAY_MS,
      intendedSinceMs: opts.startMs - 2 * DAY_MS,
      fingerprint: VALIDATED_FINGERPRINT,
    },
  ];
  return {
    model: opts.model,
    startMs: opts.startMs,
    endMs: world.end,
    windowMs: opts.windowMs,
    instances: opts.instances,
    predictions: preds,
    heartbeats: hbs,
    events: world.events.sort((a, b) => a.timestampMs - b.timestampMs),
    probeSpecs: PROBE_SPECS,
    probeResults,
    registry,
  };
}
