/**
 * @module
 * `runDemo(options)`: the whole demo in one call. It starts the collector on a fresh SQLite file with the engine
 * and the dashboard, starts the feature store, trains the models on the shipped data, registers them, then plays
 * the timeline five simulated minutes at a time — paced by `speedSecondsPerHour` in live mode, as fast as
 * possible headless — asking for evaluation after each simulated hour. Each incident opening is reported through
 * `onIncident` as it happens; at the end every incident is matched to the injected failures and scored.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Cause } from '../core/findings/finding.js';
import type { IncidentChange } from '../core/incidents/apply.js';
import type { Incident } from '../core/incidents/incident.js';
import { seededRng } from '../core/rng.js';
import { createMonitor } from '../sdk/monitor.js';
import type { Clock } from '../server/deps.js';
import { describeIncidentChange } from '../server/engine/pipeline-log.js';
import type { WindowAnalyzer } from '../server/engine/types.js';
import type { SqliteStore } from '../store/sqlite/sqlite-store.js';
import type { DemoCollector } from './collector.js';
import { startDemoCollector } from './collector.js';
import { fetchCongestion, probeHealth, startFeatureStore } from './feature-store.js';
import type { FleetCounts } from './fleet.js';
import { Fleet } from './fleet.js';
import type { DemoScore, IncidentSummary } from './score.js';
import { scoreRun } from './score.js';
import { api, planDemo, registerPlan } from './setup.js';
import type { DemoModel, InjectedFailure } from './timeline.js';
import { BUCKET_MS, DEMO_MODELS, FAILURES, HOUR_MS, TIMELINE_HOURS, WINDOW_MS } from './timeline.js';

export const DEMO_PROJECT = 'demo';
/** Where a headless run starts by default: a fixed Monday, so the same seed gives the same incident ids. */
export const DEFAULT_HEADLESS_START_MS = Date.UTC(2025, 2, 3);

export interface DemoOptions {
  seed: number;
  /** Wall-clock seconds per simulated hour; null plays as fast as possible (headless). */
  speedSecondsPerHour: number | null;
  /** Event time of hour 0 (aligned to the hour). */
  startMs: number;
  /** Hours to play (default: the whole timeline). */
  hours?: number;
  host?: string;
  /** 0 picks a free port. */
  port?: number;
  /** SQLite file, kept after the run; default: a new file in a temporary folder, removed at the end. */
  db?: string;
  failures?: readonly InjectedFailure[];
  /** A progress line: failures starting and ending, incidents opening and resolving. */
  onLine?: (line: string) => void;
  /** Called once the collector listens, with what a person needs to open the dashboard. */
  onReady?: (info: { url: string; readToken: string; db: string }) => void;
  /** Engine log lines other than incident changes (errors). */
  onLog?: (line: string) => void;
  /** Called with the scored result as soon as the timeline ends (before `keepServing` waits). */
  onFinished?: (result: DemoResult) => void;
  /** Stops the timeline early (Ctrl-C): the hours played so far are scored. */
  signal?: AbortSignal;
  /** Keep the collector running when the timeline ends (live mode), until this signal. */
  keepServing?: AbortSignal;
  /** Data folder (default: the package's `data/`). */
  dataDir?: string;
  /** The window analyser the engine runs, built on the collector's store. */
  analyzer: (store: SqliteStore) => WindowAnalyzer;
}

export interface DemoResult {
  seed: number;
  startMs: number;
  /** Hours played (fewer than asked when the run was stopped). */
  hours: number;
  url: string;
  db: string;
  wallMs: number;
  counts: FleetCounts;
  score: DemoScore;
  incidents: IncidentSummary[];
}

/** `2025-03-03 09:00` (UTC) for an event time. */
export function formatEventTime(ms: number): string {
  return new Date(ms).toISOString().slice(0, 16).replace('T', ' ');
}

function summarize(inc: Incident, atOpen: Map<string, Cause | null>): IncidentSummary {
  const top = inc.causes[0];
  return {
    id: inc.id,
    model: inc.model,
    expectationId: inc.expectationId,
    onsetMs: inc.onsetMs,
    openedAtMs: inc.openedAtMs,
    status: inc.status,
    topCause: top?.cause ?? null,
    topScore: top === undefined ? null : Math.round(top.score * 1000) / 1000,
    topCauseAtOpen: atOpen.has(inc.id) ? (atOpen.get(inc.id) ?? null) : (inc.timeline[0]?.topCause ?? null),
    summary: inc.lastViolation.summary,
  };
}

/** Waits `ms`, or less when `signal` aborts. */
const sleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve) => {
    if (ms <= 0 || signal?.aborted) return resolve();
    // The listener goes when the wait ends either way: a live run waits hundreds of times on one signal.
    const onAbort = () => {
      clearTimeout(t);
      resolve();
    };
    const t = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });

const aborted = (signal: AbortSignal) =>
  new Promise<void>((resolve) => {
    if (signal.aborted) resolve();
    else signal.addEventListener('abort', () => resolve(), { once: true });
  });

/** Runs the demo; see the module comment. */
export async function runDemo(options: DemoOptions): Promise<DemoResult> {
  const wallStart = performance.now();
  const failures = options.failures ?? FAILURES;
  const hours = options.hours ?? TIMELINE_HOURS;
  const t0 = options.startMs;
  const line = options.onLine ?? (() => {});
  const tmp = options.db === undefined ? mkdtempSync(join(tmpdir(), 'faultline-demo-')) : null;
  const db = options.db ?? join(tmp!, 'demo.db');
  let now = t0 - HOUR_MS;
  const clock: Clock = { now: () => now };
  const rng = seededRng(options.seed);
  const plan = planDemo(rng, options.dataDir);

  const featureStore = await startFeatureStore((key, window) => {
    const f = plan.pools.flights[key];
    if (f === undefined) return null;
    return window === '24h'
      ? { origin: f.originCongestion24h, destination: f.destCongestion24h }
      : { origin: f.originCongestion, destination: f.destCongestion };
  });
  let collector: DemoCollector | null = null;
  const monitorsProblems: string[] = [];
  try {
    collector = await startDemoCollector({
      db,
      host: options.host ?? '127.0.0.1',
      port: options.port ?? 0,
      project: DEMO_PROJECT,
      clock,
      analyzer: options.analyzer,
      log: (l) => {
        if (!/^incident (opened|updated|resolved|acknowledged)/.test(l)) options.onLog?.(l);
      },
    });
    const c = collector;
    await registerPlan(c.url, c.tokens.admin, plan);
    options.onReady?.({ url: c.url, readToken: c.tokens.read, db });

    const atOpen = new Map<string, Cause | null>();
    const failureOf = (model: string, atMs: number) =>
      failures.find(
        (f) =>
          f.model === model &&
          atMs >= t0 + f.startHour * HOUR_MS &&
          atMs <= t0 + f.endHour * HOUR_MS + WINDOW_MS,
      );
    c.engine.onIncident((_project, change: IncidentChange) => {
      const inc = change.incident;
      if (change.kind === 'opened') {
        atOpen.set(inc.id, inc.causes[0]?.cause ?? null);
        const f = failureOf(inc.model, inc.openedAtMs);
        const tag = f === undefined ? '  (no failure injected here)' : `  ← ${f.id} (injected ${f.cause})`;
        line(`[${formatEventTime(inc.openedAtMs)}] ${describeIncidentChange(change)}${tag}`);
      } else if (change.kind === 'updated' && change.reasons.includes('top_cause_changed')) {
        line(`[${formatEventTime(change.atMs)}] ${describeIncidentChange(change)}`);
      } else if (change.kind === 'resolved') {
        line(`[${formatEventTime(change.atMs)}] ${describeIncidentChange(change)}`);
      }
    });

    const retry = { maxRetries: 5, baseDelayMs: 50, maxDelayMs: 1_000, timeoutMs: 30_000 };
    const fleet = new Fleet({
      rng,
      t0Ms: t0,
      artifacts: plan.artifacts,
      hashes: plan.hashes,
      pools: plan.pools,
      recommender: plan.recommender,
      failures,
      io: {
        openMonitor: (spec) =>
          createMonitor({
            url: c.url,
            token: c.tokens.ingest,
            model: spec.model,
            version: spec.version,
            artifactHash: spec.artifactHash,
            instance: spec.instance,
            heartbeatIntervalMs: 0,
            flushIntervalMs: 3_600_000,
            maxBufferEvents: 1_000_000,
            maxBatchEvents: 5_000,
            flushOnExit: false,
            retry,
            onError: (e) => monitorsProblems.push(e.message),
          }),
        fetchCongestion: (keys, window) => fetchCongestion(featureStore.url, keys, window),
        probeFeatureStore: () => probeHealth(featureStore.url),
        setFeatureStore: (running) => (running ? featureStore.start() : featureStore.stop()),
        setIntended: async (model: DemoModel, version: string, atMs: number) => {
          // The deploy tool says when the deploy happened: windows before it keep the version intended then.
          await api(c.url, c.tokens.admin, 'PUT', `/v1/models/${model}/intended-version`, {
            version,
            effectiveAt: atMs,
          });
        },
      },
    });
    now = t0;
    fleet.start();

    const bucketsPerHour = HOUR_MS / BUCKET_MS;
    const pace = options.speedSecondsPerHour;
    const paceStart = performance.now();
    let played = 0;
    for (let b = 0; b < hours * bucketsPerHour && !options.signal?.aborted; b++) {
      const start = t0 + b * BUCKET_MS;
      if (b % bucketsPerHour === 0) {
        const h = b / bucketsPerHour;
        for (const f of failures) {
          if (f.startHour === h)
            line(
              `[${formatEventTime(start)}] ▶ injecting ${f.id} on ${f.model}: ${f.title} (expect ${f.cause})`,
            );
          if (f.endHour === h) line(`[${formatEventTime(start)}] ■ ${f.id} fixed`);
        }
      }
      now = start;
      await fleet.playBucket(start);
      now = start + BUCKET_MS;
      // Live, every five minutes reach the dashboard; headless, a simulated hour is sent at once.
      const hourEnd = (b + 1) % bucketsPerHour === 0;
      if (pace !== null || hourEnd) await fleet.flush();
      if (hourEnd) {
        for (const m of DEMO_MODELS) await c.engine.pipeline.runModel(DEMO_PROJECT, m);
        played += 1;
      }
      if (pace !== null)
        await sleep(paceStart + ((b + 1) * pace * 1000) / bucketsPerHour - performance.now(), options.signal);
    }
    await fleet.close();
    for (const m of DEMO_MODELS) await c.engine.pipeline.runModel(DEMO_PROJECT, m);
    if (monitorsProblems.length > 0)
      options.onLog?.(`${monitorsProblems.length} SDK problems, first: ${monitorsProblems[0]}`);

    const incidents = (await c.store.listIncidents(DEMO_PROJECT, { limit: 10_000 }))
      .map((i) => summarize(i, atOpen))
      .sort((a, b) => a.openedAtMs - b.openedAtMs || (a.id < b.id ? -1 : 1));
    // A shortened or interrupted run is scored on the failures it played.
    const score = scoreRun(
      failures.filter((f) => f.startHour < played),
      incidents,
      t0,
      WINDOW_MS,
    );
    const result: DemoResult = {
      seed: options.seed,
      startMs: t0,
      hours: played,
      url: c.url,
      db,
      wallMs: Math.round(performance.now() - wallStart),
      counts: { ...fleet.counts },
      score,
      incidents,
    };
    options.onFinished?.(result);
    if (options.keepServing) await aborted(options.keepServing);
    return result;
  } finally {
    await collector?.close();
    await featureStore.close();
    if (tmp !== null) rmSync(tmp, { recursive: true, force: true });
  }
}
