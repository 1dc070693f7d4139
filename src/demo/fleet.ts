/**
 * @module
 * The serving fleet of the demo: eight processes serving three models, each with its own SDK monitor, driven
 * five simulated minutes at a time. Every request is real work — the transform runs, the feature store is
 * called over HTTP, the trained model predicts — and is logged with its event time; labels follow 5–25 minutes
 * later, clicks within seconds; every instance sends a heartbeat every five minutes with its environment
 * fingerprint, host metrics and self-checks, and the feature store is probed on the same beat.
 *
 * The injected failures of the timeline bend this traffic the way the real failure would (see
 * `FailureEffect`): a package version in the fingerprint and errors from the transform, an older artifact on
 * one instance, a failed self-check and errors, a hot throttled host and slow answers, a stopped upstream, a
 * unit change, a skewed transform in a new version, a season's inputs, a changed world, rare inputs, an
 * overfit release, a ranker that feeds on itself. All randomness comes from one seeded `Rng`.
 */
import type { Fingerprint, SelfCheck } from '../core/contract/index.js';
import type { Rng } from '../core/rng.js';
import type { HeartbeatOverrides, Monitor } from '../sdk/monitor.js';
import type { Flight, WeatherDay } from './datasets.js';
import type { CongestionValues, CongestionWindow } from './feature-store.js';
import { UpstreamError } from './feature-store.js';
import type { ClassifierArtifact, FlightFeatures, RegressorArtifact, WeatherFeatures } from './models.js';
import { delayProbability, departureHour, isDelayed, predictHigh, weatherFeatures } from './models.js';
import type { OnlineRecommender, RankingPolicy } from './recommender.js';
import type { DemoModel, FailureEffect, InjectedFailure } from './timeline.js';
import { activeEffect, BUCKET_MS, FAILURES, HOUR_MS, MINUTE_MS } from './timeline.js';

/** Heartbeats and probes every five minutes of event time. */
export const HEARTBEAT_EVERY_MS = 5 * MINUTE_MS;

/** Requests per hour per model. */
export const REQUESTS_PER_HOUR: Record<DemoModel, number> = {
  'flight-delays': 400,
  'daily-high': 300,
  'home-feed': 180,
};

export const INSTANCES: Record<DemoModel, string[]> = {
  'flight-delays': ['flight-delays-1', 'flight-delays-2', 'flight-delays-3'],
  'daily-high': ['daily-high-1', 'daily-high-2', 'daily-high-3'],
  'home-feed': ['home-feed-1', 'home-feed-2'],
};

/** Rain (mm) above which the daily-high service refuses to forecast: the wettest day of the data had 119 mm. */
export const MAX_VALIDATED_RAIN_MM = 120;

/** The version each model serves when no release is being tried. */
export const STABLE_VERSIONS: Readonly<Record<DemoModel, string>> = {
  'flight-delays': 'v1',
  'daily-high': 'v2',
  'home-feed': 'v1',
};

/** UTC offset (hours, winter) of the 25 origin airports, for the skewed release that works in UTC. */
export const AIRPORT_UTC_OFFSET: Record<string, number> = {
  ATL: -5,
  BOS: -5,
  BWI: -5,
  CLT: -5,
  DCA: -5,
  DEN: -7,
  DFW: -6,
  DTW: -5,
  EWR: -5,
  IAH: -6,
  LAS: -8,
  LAX: -8,
  LGA: -5,
  MCO: -5,
  MIA: -5,
  MSP: -6,
  ORD: -6,
  PHL: -5,
  PHX: -7,
  PIT: -5,
  SAN: -8,
  SEA: -8,
  SFO: -8,
  SLC: -7,
  STL: -6,
};

/** The trained artifacts of every version, by model. */
export interface DemoArtifacts {
  'flight-delays': Record<string, ClassifierArtifact>;
  'daily-high': Record<string, RegressorArtifact>;
  'home-feed': Record<string, { policy: RankingPolicy }>;
}

/** The data each model serves from. */
export interface DemoPools {
  /** Flights the classifier serves (never trained on), with a stable key the feature store knows. */
  flights: readonly Flight[];
  /** Days the regressor serves in normal times. */
  days: readonly WeatherDay[];
  /** Winter days (December–February, every year), served when the season turns. */
  winterDays: readonly WeatherDay[];
  /** Rare extreme days, served as edge cases. */
  extremeDays: readonly WeatherDay[];
}

/** What the fleet needs from the outside world. */
export interface FleetIo {
  /** A new SDK monitor for one serving process (a restart opens a new one). */
  openMonitor(spec: { instance: string; model: DemoModel; version: string; artifactHash: string }): Monitor;
  /** Calls the feature store; throws `UpstreamError` when it is down. */
  fetchCongestion(keys: readonly number[], window: CongestionWindow): Promise<(CongestionValues | null)[]>;
  /** Probes the feature store's health route. */
  probeFeatureStore(): Promise<{
    ok: boolean;
    latencyMs: number | null;
    status: number | null;
    error: string | null;
  }>;
  /** Stops or starts the feature store. */
  setFeatureStore(running: boolean): Promise<void>;
  /** Makes `version` the intended deployment of `model` in the registry at `atMs` (what a deploy tool does). */
  setIntended(model: DemoModel, version: string, atMs: number): Promise<void>;
}

/** One serving process. */
interface Instance {
  name: string;
  model: DemoModel;
  /** The version it says it serves. */
  version: string;
  /** The artifact it actually loaded (normally the version's own). */
  artifactVersion: string;
  artifactHash: string;
  fingerprint: Fingerprint;
  startedAtMs: number;
  checks: SelfCheck[];
  monitor: Monitor;
}

interface PendingLabel {
  atMs: number;
  model: DemoModel;
  instance: string;
  predictionId: string;
  value: number | string;
}

interface Request<Row> {
  atMs: number;
  instance: number;
  row: Row;
}

/** The fingerprint every version was validated in. */
export function validatedFingerprint(model: DemoModel): Fingerprint {
  const common = { runtime: 'node v20.19.0', os: 'linux 6.8.0', arch: 'x64' };
  const packages: Record<DemoModel, Record<string, string>> = {
    'flight-delays': {
      '@acme/time-utils': '2.4.1',
      '@acme/feature-client': '1.9.0',
      '@acme/scorer': '4.2.0',
    },
    'daily-high': { '@acme/scorer': '4.2.0', '@acme/units': '1.3.2' },
    'home-feed': { '@acme/ranker': '0.8.1', '@acme/scorer': '4.2.0' },
  };
  const pk = packages[model];
  return { ...common, lockfileHash: lockfileHash(pk), packages: pk };
}

function lockfileHash(packages: Record<string, string>): string {
  // A stable stand-in for the hash of the lock file these package versions would produce.
  let h = 0x811c9dc5;
  for (const c of JSON.stringify(packages)) h = Math.imul(h ^ c.charCodeAt(0), 0x01000193) >>> 0;
  return `sha256:${h.toString(16).padStart(8, '0').repeat(8)}`;
}

/** A standard normal draw (Box–Muller). */
function gaussian(rng: Rng): number {
  const u1 = Math.max(rng.next(), 1e-12);
  const u2 = rng.next();
  return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
}

/** A lognormal draw with the given median and log-scale spread. */
function lognormal(rng: Rng, median: number, sigma: number): number {
  return median * Math.exp(sigma * gaussian(rng));
}

function normal(rng: Rng, mean: number, sd: number): number {
  return mean + sd * gaussian(rng);
}

/** Draws `n` distinct positions of `perm` (a persistent permutation, partially reshuffled in place). */
function drawDistinct(perm: number[], n: number, rng: Rng): number[] {
  const m = Math.min(n, perm.length);
  for (let i = 0; i < m; i++) {
    const j = i + rng.nextInt(perm.length - i);
    const t = perm[i]!;
    perm[i] = perm[j]!;
    perm[j] = t;
  }
  return perm.slice(0, m);
}

const round = (x: number, digits = 2) => Math.round(x * 10 ** digits) / 10 ** digits;

export interface FleetOptions {
  rng: Rng;
  t0Ms: number;
  artifacts: DemoArtifacts;
  hashes: Record<DemoModel, Record<string, string>>;
  pools: DemoPools;
  io: FleetIo;
  /** The simulated catalogue, users and ranker of the recommender. */
  recommender: OnlineRecommender;
  failures?: readonly InjectedFailure[];
  /** Scales every model's request rate (1 = `REQUESTS_PER_HOUR`). */
  trafficScale?: number;
}

/** Counts of what the fleet sent, for the run summary. */
export interface FleetCounts {
  predictions: number;
  errors: number;
  labels: number;
  feedback: number;
  heartbeats: number;
  probes: number;
}

export class Fleet {
  private readonly rng: Rng;
  private readonly o: FleetOptions;
  private readonly failures: readonly InjectedFailure[];
  private readonly instances = new Map<string, Instance>();
  private readonly intended: Record<DemoModel, string> = { ...STABLE_VERSIONS };
  private readonly requests: { [M in DemoModel]: Request<number>[] } = {
    'flight-delays': [],
    'daily-high': [],
    'home-feed': [],
  };
  private readonly permutations: Record<string, number[]> = {};
  private pending: PendingLabel[] = [];
  /** Heartbeats waiting for the next `flush`, per monitor, in event-time order. */
  private beats = new Map<Monitor, HeartbeatOverrides[]>();
  private readonly recommender: OnlineRecommender;
  private hourServed = -1;
  private seq = 0;
  private featureStoreUp = true;
  readonly counts: FleetCounts = {
    predictions: 0,
    errors: 0,
    labels: 0,
    feedback: 0,
    heartbeats: 0,
    probes: 0,
  };

  constructor(options: FleetOptions) {
    this.o = options;
    this.rng = options.rng;
    this.failures = options.failures ?? FAILURES;
    this.recommender = options.recommender;
  }

  private hourOf(ms: number): number {
    return (ms - this.o.t0Ms) / HOUR_MS;
  }

  private effect<K extends FailureEffect['kind']>(model: DemoModel, ms: number, kind: K) {
    return activeEffect(model, this.hourOf(ms), kind, this.failures);
  }

  /** Starts every instance at `t0Ms` with the intended versions. */
  start(): void {
    for (const model of Object.keys(INSTANCES) as DemoModel[])
      for (const name of INSTANCES[model]) this.launch(model, name, this.intended[model], this.o.t0Ms);
  }

  private launch(
    model: DemoModel,
    name: string,
    version: string,
    atMs: number,
    artifactVersion = version,
  ): void {
    const artifactHash = this.o.hashes[model][artifactVersion];
    if (artifactHash === undefined)
      throw new Error(`fleet: model ${model} has no artifact for version ${artifactVersion}`);
    const previous = this.instances.get(name);
    if (previous) void previous.monitor.close();
    this.instances.set(name, {
      name,
      model,
      version,
      artifactVersion,
      artifactHash,
      fingerprint: validatedFingerprint(model),
      startedAtMs: atMs,
      checks: [
        { name: 'read_model', ok: true, detail: `/srv/models/${model}/model.json` },
        { name: 'write:/var/log/serving', ok: true, detail: '/var/log/serving' },
      ],
      monitor: this.o.io.openMonitor({ instance: name, model, version, artifactHash }),
    });
  }

  private instance(name: string): Instance {
    const i = this.instances.get(name);
    if (!i) throw new Error(`fleet: no instance ${name}`);
    return i;
  }

  /** Applies deploys, restarts and rollbacks due at the start of `hourStartMs`. */
  private async reconcile(hourStartMs: number): Promise<void> {
    const at = hourStartMs;
    // Which version each model should run, and which instances are affected by a deployment failure.
    const wanted: Record<DemoModel, string> = { ...STABLE_VERSIONS };
    const skew = this.effect('flight-delays', at, 'skew_release');
    const overfit = this.effect('flight-delays', at, 'overfit_release');
    const loop = this.effect('home-feed', at, 'feedback_loop_release');
    if (skew) wanted['flight-delays'] = skew.version;
    if (overfit) wanted['flight-delays'] = overfit.version;
    if (loop) wanted['home-feed'] = loop.version;
    for (const model of Object.keys(wanted) as DemoModel[]) {
      const version = wanted[model];
      if (this.intended[model] !== version) {
        const rollback = version === STABLE_VERSIONS[model];
        await this.o.io.setIntended(model, version, at);
        this.intended[model] = version;
        // A new ranker starts with no clicks of its own.
        if (model === 'home-feed' && !rollback) this.recommender.resetOwnLog();
        for (const name of INSTANCES[model]) {
          this.launch(model, name, version, at);
          this.instance(name).monitor.event({
            kind: rollback ? 'rollback' : 'deploy',
            timestamp: at,
            severity: 'info',
            message: `${rollback ? 'rolled back to' : 'deployed'} ${model} ${version}`,
          });
        }
      }
    }
    // Deployment of the wrong artifact to one instance, and its repair.
    const wrong = this.effect('daily-high', at, 'wrong_artifact');
    for (const name of INSTANCES['daily-high']) {
      const inst = this.instance(name);
      const shouldServe = wrong && wrong.instance === name ? wrong.artifactOf : inst.version;
      if (inst.artifactVersion !== shouldServe) {
        this.launch('daily-high', name, inst.version, at, shouldServe);
        this.instance(name).monitor.event({
          kind: 'deploy',
          timestamp: at,
          severity: 'info',
          message: `redeployed ${name}`,
        });
      }
    }
    // A dependency upgrade restarts every flight-delays instance with the new lock file; the fix rolls it back.
    const upgrade = this.effect('flight-delays', at, 'dependency_upgrade');
    for (const name of INSTANCES['flight-delays']) {
      const inst = this.instance(name);
      const base = validatedFingerprint('flight-delays');
      const packages = { ...base.packages };
      if (upgrade) packages[upgrade.pkg] = upgrade.to;
      if (JSON.stringify(packages) !== JSON.stringify(inst.fingerprint.packages)) {
        inst.fingerprint = { ...base, packages, lockfileHash: lockfileHash(packages) };
        inst.startedAtMs = at;
      }
    }
    // Permissions: the instance restarts under another account; the fix restarts it under the right one.
    for (const name of INSTANCES['flight-delays']) {
      const perm = this.effect('flight-delays', at, 'permissions');
      const inst = this.instance(name);
      const broken = perm !== null && perm.instance === name;
      const isBroken = inst.checks.some((c) => !c.ok);
      if (broken !== isBroken) {
        inst.startedAtMs = at;
        inst.checks = inst.checks.map((c) =>
          c.name === 'read_model'
            ? broken
              ? { name: c.name, ok: false, detail: `EACCES: permission denied, open '${perm.path}'` }
              : { name: c.name, ok: true, detail: `/srv/models/flight-delays/model.json` }
            : c,
        );
      }
    }
    // The upstream.
    const down = this.effect('flight-delays', at, 'upstream_down') !== null;
    if (down === this.featureStoreUp) {
      await this.o.io.setFeatureStore(!down);
      this.featureStoreUp = !down;
    }
  }

  /** Draws the requests of the hour starting at `hourStartMs` for every model. */
  private planHour(hourStartMs: number): void {
    const scale = this.o.trafficScale ?? 1;
    for (const model of Object.keys(REQUESTS_PER_HOUR) as DemoModel[]) {
      const n = Math.round(REQUESTS_PER_HOUR[model] * scale * (0.95 + 0.1 * this.rng.next()));
      const list: Request<number>[] = [];
      let rows: number[];
      if (model === 'flight-delays') rows = this.draw('flights', this.o.pools.flights.length, n);
      else if (model === 'daily-high') rows = this.drawDays(hourStartMs, n);
      else rows = Array.from({ length: n }, () => this.rng.nextInt(this.recommender.options.users));
      for (const row of rows)
        list.push({
          atMs: hourStartMs + Math.floor(this.rng.next() * HOUR_MS),
          instance: this.rng.nextInt(INSTANCES[model].length),
          row,
        });
      list.sort((a, b) => a.atMs - b.atMs);
      this.requests[model] = list;
    }
  }

  private draw(pool: string, size: number, n: number): number[] {
    this.permutations[pool] ??= Array.from({ length: size }, (_, i) => i);
    return drawDistinct(this.permutations[pool]!, n, this.rng);
  }

  /** Day indices encoded as pool × 100 000 + index: normal, winter or extreme days. */
  private drawDays(hourStartMs: number, n: number): number[] {
    const { days, winterDays, extremeDays } = this.o.pools;
    if (this.effect('daily-high', hourStartMs, 'seasonal_drift'))
      return this.draw('winter', winterDays.length, n).map((i) => 100_000 + i);
    const edge = this.effect('daily-high', hourStartMs, 'edge_cases');
    const nEdge = edge ? Math.round(n * edge.share) : 0;
    return [
      ...this.draw('days', days.length, n - nEdge),
      ...this.draw('extreme', extremeDays.length, nEdge).map((i) => 200_000 + i),
    ];
  }

  private day(code: number): WeatherDay {
    const { days, winterDays, extremeDays } = this.o.pools;
    if (code >= 200_000) return extremeDays[code - 200_000]!;
    if (code >= 100_000) return winterDays[code - 100_000]!;
    return days[code]!;
  }

  private nextId(prefix: string): string {
    this.seq += 1;
    return `${prefix}-${this.seq.toString(36).padStart(7, '0')}`;
  }

  /** Plays the bucket [startMs, startMs + BUCKET_MS): deploys, requests, labels, clicks, heartbeats, probes. */
  async playBucket(startMs: number): Promise<void> {
    const endMs = startMs + BUCKET_MS;
    const hour = Math.floor((startMs - this.o.t0Ms) / HOUR_MS);
    if (hour !== this.hourServed) {
      const hourStart = this.o.t0Ms + hour * HOUR_MS;
      if (this.hourServed >= 0) this.recommender.retrain();
      await this.reconcile(hourStart);
      this.planHour(hourStart);
      this.hourServed = hour;
    }
    this.crashLoop(startMs);
    await this.serveFlights(startMs, endMs);
    this.serveDays(startMs, endMs);
    this.serveFeed(startMs, endMs);
    this.sendDueLabels(endMs);
    await this.beat(startMs, endMs);
  }

  /** The bucket's requests, each on an instance that is up (a load balancer skips a dead process). */
  private bucketRequests(model: DemoModel, startMs: number, endMs: number): Request<number>[] {
    const n = INSTANCES[model].length;
    return this.requests[model]
      .filter((r) => r.atMs >= startMs && r.atMs < endMs)
      .map((r) => {
        let k = r.instance;
        for (let tries = 0; tries < n && this.isDown(INSTANCES[model][k]!, startMs); tries++) k = (k + 1) % n;
        return k === r.instance ? r : { ...r, instance: k };
      });
  }

  /** Where a crash-looping instance is in its 15-minute cycle: up for 5 minutes, then dead for 10. */
  private crashPhase(name: string, atMs: number): number | null {
    const inst = this.instances.get(name);
    if (!inst) return null;
    const loop = this.effect(inst.model, atMs, 'crash_loop');
    if (!loop || loop.instance !== name) return null;
    const f = this.failures.find((x) => x.effect === loop)!;
    return (atMs - (this.o.t0Ms + f.startHour * HOUR_MS)) % (15 * MINUTE_MS);
  }

  private isDown(name: string, atMs: number): boolean {
    const phase = this.crashPhase(name, atMs);
    return phase !== null && phase >= 5 * MINUTE_MS;
  }

  /** A crash-looping process is killed 5 minutes into each 15-minute cycle and restarts at the next one (and
   * once more when the loop is fixed). */
  private crashLoop(startMs: number): void {
    for (const inst of this.instances.values()) {
      if (this.isDown(inst.name, startMs - BUCKET_MS) && !this.isDown(inst.name, startMs)) {
        inst.startedAtMs = startMs;
        inst.monitor.event({
          kind: 'restart',
          timestamp: startMs,
          severity: 'warning',
          message: `${inst.name} restarted`,
        });
      }
      if (this.crashPhase(inst.name, startMs) === 0)
        inst.monitor.event({
          kind: 'crash',
          timestamp: startMs + 5 * MINUTE_MS - 1,
          severity: 'error',
          message: `${inst.name} was killed: out of memory while loading the model (exit code 137)`,
          attributes: { exitCode: 137, signal: 'SIGKILL' },
        });
    }
  }

  private latency(inst: Instance, atMs: number, medianMs: number): number {
    let median = medianMs;
    let sigma = 0.3;
    const hot = this.effect(inst.model, atMs, 'overheating');
    if (hot && hot.instance === inst.name) {
      // Throttling sets in over the first 20 minutes.
      const since = this.hourOf(atMs) - (this.failures.find((f) => f.effect === hot)?.startHour ?? 0);
      const ramp = Math.min(1, since / (20 / 60));
      median = medianMs * (1 + 60 * ramp);
      sigma = 0.45;
    }
    return round(lognormal(this.rng, median, sigma), 1);
  }

  private async serveFlights(startMs: number, endMs: number): Promise<void> {
    const model: DemoModel = 'flight-delays';
    const reqs = this.bucketRequests(model, startMs, endMs);
    const names = INSTANCES[model];
    for (let k = 0; k < names.length; k++) {
      const inst = this.instance(names[k]!);
      const mine = reqs.filter((r) => r.instance === k);
      if (mine.length === 0) continue;
      const artifact = this.o.artifacts[model][inst.artifactVersion]!;
      const cannotRead = inst.checks.some((c) => c.name === 'read_model' && !c.ok);
      const upgraded = this.effect(model, startMs, 'dependency_upgrade');
      const concept = this.effect(model, startMs, 'concept_drift');
      // One batched call to the feature store per bucket, as a micro-batching client would.
      let congestion: (CongestionValues | null)[] | null = null;
      let upstreamError: string | null = null;
      try {
        // The v2 serving code reads the feature service's 24-hour congestion; training used the 3-hour one.
        congestion = await this.o.io.fetchCongestion(
          mine.map((r) => r.row),
          inst.version === 'v2' ? '24h' : '3h',
        );
      } catch (e) {
        upstreamError = e instanceof UpstreamError ? e.code : (e as Error).name;
      }
      mine.forEach((r, j) => {
        const flight = this.o.pools.flights[r.row]!;
        const id = this.nextId('fd');
        let depHour = departureHour(flight.date);
        if (inst.version === 'v2') {
          // The v2 serving code converts to UTC before taking the hour; training used local time.
          const offset = AIRPORT_UTC_OFFSET[flight.origin] ?? -5;
          depHour = round((((depHour - offset) % 24) + 24) % 24);
        }
        const c = congestion?.[j] ?? null;
        // What the request handler logs: the request's fields and the fetched features (null when missing).
        const features = {
          origin: flight.origin,
          dep_hour: depHour,
          distance: flight.distance,
          origin_congestion: c?.origin ?? null,
          dest_congestion: c?.destination ?? null,
        };
        const base = { id, timestamp: r.atMs, latencyMs: this.latency(inst, r.atMs, 24), features };
        this.counts.predictions += 1;
        // The model file is unreadable: nothing can be scored.
        let errorKind: string | null = cannotRead ? 'EACCES' : null;
        // The feature store is down (or does not know the flight).
        errorKind ??= c === null ? (upstreamError ?? 'not_found') : null;
        // @acme/time-utils 3 reads the 24-hour clock as a 12-hour one: the model's transform rejects afternoons.
        errorKind ??= upgraded && departureHour(flight.date) >= 13 ? 'RangeError' : null;
        if (errorKind !== null || c === null) {
          inst.monitor.log({ ...base, status: 'error', errorKind: errorKind ?? 'not_found' });
          this.counts.errors += 1;
          return;
        }
        const x: FlightFeatures = {
          ...features,
          origin_congestion: c.origin,
          dest_congestion: c.destination,
        };
        const p = delayProbability(artifact, x);
        inst.monitor.log({
          ...base,
          output: {
            class: p >= artifact.threshold ? 1 : 0,
            probabilities: { '0': round(1 - p, 4), '1': round(p, 4) },
            score: round(p, 4),
          },
          status: 'ok',
        });
        let delay = flight.delay;
        if (concept) {
          const local = departureHour(flight.date);
          if (local < 12) delay += concept.shiftMinutes;
          else if (local >= 16) delay -= concept.shiftMinutes;
        }
        this.pending.push({
          atMs: r.atMs + 5 * MINUTE_MS + Math.floor(this.rng.next() * 20 * MINUTE_MS),
          model,
          instance: inst.name,
          predictionId: id,
          value: isDelayed({ delay }),
        });
      });
    }
  }

  private serveDays(startMs: number, endMs: number): void {
    const model: DemoModel = 'daily-high';
    const reqs = this.bucketRequests(model, startMs, endMs);
    const unit = this.effect(model, startMs, 'unit_change');
    for (const r of reqs) {
      const inst = this.instance(INSTANCES[model][r.instance]!);
      const day = this.day(r.row);
      const features: WeatherFeatures = weatherFeatures(day);
      if (unit) features.temp_min = round(features.temp_min * 1.8 + 32, 1);
      // A record storm: a wet day of the data with 130–260 mm of rain, beyond the wettest day of the data (119 mm).
      if (r.row >= 200_000) features.precipitation = round(130 + 130 * this.rng.next(), 1);
      const artifact = this.o.artifacts[model][inst.artifactVersion]!;
      const id = this.nextId('dh');
      const base = {
        id,
        timestamp: r.atMs,
        features: { ...features },
        latencyMs: this.latency(inst, r.atMs, 9),
      };
      this.counts.predictions += 1;
      if (features.precipitation > MAX_VALIDATED_RAIN_MM) {
        // The service's guard: rain beyond any day the model was built from is outside its validity domain (the
        // linear model would answer a high far below the morning's low), so the request fails rather than answer
        // a wrong number.
        inst.monitor.log({ ...base, status: 'error', errorKind: 'invalid_input' });
        this.counts.errors += 1;
        continue;
      }
      inst.monitor.log({
        ...base,
        output: { value: round(predictHigh(artifact, features), 2) },
        status: 'ok',
      });
      this.pending.push({
        atMs: r.atMs + 5 * MINUTE_MS + Math.floor(this.rng.next() * 20 * MINUTE_MS),
        model,
        instance: inst.name,
        predictionId: id,
        value: day.tempMax,
      });
    }
  }

  private serveFeed(startMs: number, endMs: number): void {
    const model: DemoModel = 'home-feed';
    for (const r of this.bucketRequests(model, startMs, endMs)) {
      const inst = this.instance(INSTANCES[model][r.instance]!);
      const policy = this.o.artifacts[model][inst.artifactVersion]!.policy;
      const rec = this.recommender.serve(r.row, policy, this.rng);
      const id = this.nextId('hf');
      inst.monitor.log({
        id,
        timestamp: r.atMs,
        features: { segment: `taste-${r.row % this.recommender.options.clusters}` },
        output: { items: rec.items },
        latencyMs: this.latency(inst, r.atMs, 30),
        status: 'ok',
      });
      this.counts.predictions += 1;
      for (const pos of rec.clicked) {
        inst.monitor.feedback({
          id: this.nextId('click'),
          predictionId: id,
          item: rec.items[pos]!,
          position: pos,
          action: 'clicked',
          timestamp: Math.min(endMs - 1, r.atMs + 1_000 + Math.floor(this.rng.next() * 30_000)),
        });
        this.counts.feedback += 1;
      }
      // Later, the item the user turned out to want: what hit rate by popularity is measured on.
      this.pending.push({
        atMs: r.atMs + 5 * MINUTE_MS + Math.floor(this.rng.next() * 20 * MINUTE_MS),
        model,
        instance: inst.name,
        predictionId: id,
        value: this.recommender.wanted(r.row, this.rng),
      });
    }
  }

  private sendDueLabels(endMs: number): void {
    const due = this.pending.filter((p) => p.atMs < endMs).sort((a, b) => a.atMs - b.atMs);
    this.pending = this.pending.filter((p) => p.atMs >= endMs);
    for (const p of due) {
      this.instance(p.instance).monitor.label(p.predictionId, p.value, p.atMs);
      this.counts.labels += 1;
    }
  }

  private hostMetrics(inst: Instance, atMs: number): Record<string, number | null> {
    const hot = this.effect(inst.model, atMs, 'overheating');
    const total = 16 * 2 ** 30;
    let cpu = normal(this.rng, 38, 3);
    let temp = normal(this.rng, 57, 1.2);
    let throttled = 0;
    if (hot && hot.instance === inst.name) {
      const since = this.hourOf(atMs) - (this.failures.find((f) => f.effect === hot)?.startHour ?? 0);
      const ramp = Math.min(1, since / (20 / 60));
      temp = 57 + ramp * 40 + normal(this.rng, 0, 0.8);
      cpu = 38 + ramp * 60;
      throttled = temp > 90 ? 1 : 0;
    }
    return {
      cpuPercent: round(Math.min(100, Math.max(0, cpu)), 1),
      memoryUsedBytes: Math.round(total * (0.55 + 0.02 * this.rng.next())),
      memoryTotalBytes: total,
      temperatureC: round(temp, 1),
      throttled,
      processStartMs: inst.startedAtMs,
    };
  }

  /** Heartbeats of every instance and a probe of the feature store, on each five-minute beat in the bucket. */
  private async beat(startMs: number, endMs: number): Promise<void> {
    for (let t = startMs; t < endMs; t += HEARTBEAT_EVERY_MS) {
      for (const inst of this.instances.values()) {
        if (this.isDown(inst.name, t)) continue;
        // Each instance's monitor sends its beat in event time, with the simulated host and environment.
        const beat: HeartbeatOverrides = {
          timestamp: t,
          intervalMs: HEARTBEAT_EVERY_MS,
          fingerprint: inst.fingerprint,
          host: this.hostMetrics(inst, t),
          checks: inst.checks,
        };
        const queued = this.beats.get(inst.monitor);
        if (queued) queued.push(beat);
        else this.beats.set(inst.monitor, [beat]);
        this.counts.heartbeats += 1;
      }
      const probe = await this.o.io.probeFeatureStore();
      const any = this.instance(INSTANCES['flight-delays'][0]!);
      any.monitor.event({
        kind: 'probe',
        timestamp: t,
        instance: undefined,
        severity: probe.ok ? 'info' : 'error',
        message: probe.ok
          ? 'feature-store healthy'
          : `feature-store probe failed: ${probe.error ?? probe.status}`,
        attributes: {
          dependency: 'feature-store',
          ok: probe.ok,
          // Probe latency in event time: a loopback call takes about a millisecond; recorded as measured.
          latencyMs: probe.latencyMs,
          status: probe.status,
          error: probe.error,
        },
      });
      this.counts.probes += 1;
    }
  }

  /** Sends the queued heartbeats (one at a time per monitor: a monitor sends one beat at once) and flushes every
   * instance's monitor. */
  async flush(): Promise<void> {
    const beats = this.beats;
    this.beats = new Map();
    await Promise.all([
      ...[...beats].map(async ([monitor, list]) => {
        for (const beat of list) await monitor.heartbeat(beat);
      }),
      ...[...this.instances.values()].map((i) => i.monitor.flush()),
    ]);
  }

  async close(): Promise<void> {
    await this.flush();
    await Promise.all([...this.instances.values()].map((i) => i.monitor.close()));
  }
}
