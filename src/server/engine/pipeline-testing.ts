/**
 * Test fixtures of the evaluation pipeline: a collector with its engine on a real SQLite file (a fixed clock,
 * tokens of each role), and `FixedWindowAnalyzer`, an analyser that answers scripted analyses — for testing
 * the pipeline's own logic (what is due, in which order, what is stored and reported) apart from detection.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';
import type { Role } from '../../core/contract/index.js';
import { DEFAULT_INGEST_LIMITS } from '../../core/contract/index.js';
import type { WindowFigures } from '../../core/expectations/window-figures.js';
import type { DetectorOutcome, TimeWindow } from '../../core/findings/finding.js';
import type { SqliteStore } from '../../store/sqlite/sqlite-store.js';
import { openSqliteStore } from '../../store/sqlite/sqlite-store.js';
import { buildApp } from '../app.js';
import { fixedClock } from '../deps.js';
import { bearerCaller, issueRoleTokens, TEST_T0 } from '../testing.js';
import { createEngine, type Engine, type EngineOptions } from './pipeline-engine.js';
import type { WindowAnalysis, WindowAnalyzer } from './types.js';

export type AnalysisScript = (
  project: string,
  model: string,
  window: TimeWindow,
) => { figures?: Partial<WindowFigures>; outcomes?: DetectorOutcome[] };

/** An analyser that answers what a script says, and remembers every window it was asked about. */
export class FixedWindowAnalyzer implements WindowAnalyzer {
  readonly calls: { project: string; model: string; window: TimeWindow }[] = [];
  constructor(private readonly script: AnalysisScript) {}
  async analyze(project: string, model: string, window: TimeWindow): Promise<WindowAnalysis> {
    this.calls.push({ project, model, window });
    const r = this.script(project, model, window);
    return {
      project,
      model,
      window,
      figures: { model, window: { startMs: window.startMs, endMs: window.endMs }, ...r.figures },
      outcomes: r.outcomes ?? [],
    };
  }
}

export interface EngineCollector {
  app: FastifyInstance;
  store: SqliteStore;
  engine: Engine;
  clock: ReturnType<typeof fixedClock>;
  tokens: Record<Role, string>;
  dir: string;
  /** Lines written to the server log. */
  log: string[];
  /** Dry-run alert lines. */
  printed: string[];
  call(options: InjectOptions & { role?: Role | 'none'; token?: string }): Promise<LightMyRequestResponse>;
  close(): Promise<void>;
}

/** The real app with an engine over a fresh SQLite file; the scheduler is off (tests call `tick` or evaluate). */
export async function startEngineCollector(
  options: Omit<EngineOptions, 'store' | 'clock' | 'analyzer'> & {
    analyzer: WindowAnalyzer | ((store: SqliteStore) => WindowAnalyzer);
  },
  project = 'acme',
): Promise<EngineCollector> {
  const dir = mkdtempSync(join(tmpdir(), 'faultline-engine-'));
  const store = await openSqliteStore(join(dir, 'faultline.db'), { synchronous: 'normal' });
  const clock = fixedClock(TEST_T0);
  const log: string[] = [];
  const printed: string[] = [];
  const analyzer = typeof options.analyzer === 'function' ? options.analyzer(store) : options.analyzer;
  const engine = createEngine({
    intervalMs: 0,
    log: (line) => log.push(line),
    print: (line) => printed.push(line),
    publicProject: project,
    ...options,
    analyzer,
    store,
    clock,
  });
  const app = await buildApp({ store, clock, config: { ...DEFAULT_INGEST_LIMITS }, version: 'test', engine });
  const tokens = await issueRoleTokens(store, project);
  return {
    app,
    store,
    engine,
    clock,
    tokens,
    dir,
    log,
    printed,
    call: bearerCaller(app, tokens),
    close: async () => {
      await engine.close();
      await app.close();
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

// A scripted scenario: p99 latency breaks on one instance for 20 minutes.

export const MIN = 60_000;
export const W = 5 * MIN;
export const BAD_FROM = TEST_T0 + 30 * MIN;
export const BAD_TO = TEST_T0 + 50 * MIN;

/** p99 breaks on i-3 from BAD_FROM to BAD_TO; a hardware finding on i-3 covers it, a drift finding distracts. */
export function latencyScript(
  _project: string,
  model: string,
  w: TimeWindow,
): { figures: Partial<WindowFigures>; outcomes: DetectorOutcome[] } {
  if (w.endMs - w.startMs !== W) return { figures: {}, outcomes: [] };
  const bad = w.startMs >= BAD_FROM && w.startMs < BAD_TO;
  const op = (p99: number) => ({
    requests: 300,
    errors: 0,
    timeouts: 0,
    latencyMs: { p50: 40, p90: 100, p95: 200, p99 },
    latencyCount: 300,
  });
  const outcomes: DetectorOutcome[] = [];
  if (bad)
    outcomes.push({
      kind: 'finding',
      finding: {
        detector: 'host_metrics',
        cause: 'hardware_failure',
        subject: { model, instance: 'i-3' },
        window: { startMs: w.startMs, endMs: w.endMs },
        sinceMs: BAD_FROM,
        severity: 'critical',
        score: 0.93,
        evidence: {
          summary: 'i-3 CPU throttled at 97 %.',
          figures: [{ name: 'cpu', value: 0.97, unit: 'share' }],
        },
      },
    });
  if (w.startMs === BAD_FROM)
    outcomes.push({
      kind: 'finding',
      finding: {
        detector: 'feature_drift',
        cause: 'covariate_shift',
        subject: { model, feature: 'age' },
        window: { startMs: w.startMs, endMs: w.endMs },
        severity: 'warning',
        score: 0.4,
        evidence: { summary: 'age drifted a little.', figures: [] },
      },
    });
  return {
    figures: {
      operational: op(bad ? 2400 : 300),
      instances: [
        { instance: 'i-1', operational: op(300) },
        { instance: 'i-3', operational: op(bad ? 2900 : 310) },
      ],
    },
    outcomes,
  };
}

/** A collector whose analyser plays `latencyScript`, with model churn (5-minute buckets, no lateness). */
export async function setUpChurn(
  options: Partial<Parameters<typeof startEngineCollector>[0]> = {},
): Promise<EngineCollector> {
  const c = await startEngineCollector({ analyzer: new FixedWindowAnalyzer(latencyScript), ...options });
  c.clock.set(TEST_T0 + 2 * 86_400_000);
  const r = await c.call({
    method: 'POST',
    url: '/v1/models',
    payload: { name: 'churn', allowedLatenessMs: 0, windowMs: 3_600_000, bucketMs: W },
  });
  if (r.statusCode !== 201) throw new Error(`model not created: ${r.body}`);
  return c;
}

/** Sends one prediction per minute from `fromMin` to `toMin` (minutes after TEST_T0) through the HTTP API. */
export async function send(c: EngineCollector, fromMin: number, toMin: number): Promise<void> {
  const events = [];
  for (let m = fromMin; m < toMin; m++)
    events.push({
      id: `p${m}`,
      timestamp: TEST_T0 + m * MIN + 1000,
      version: 'v1',
      features: { age: 30 },
      latencyMs: 50,
    });
  const r = await c.call({
    method: 'POST',
    url: '/v1/models/churn/predictions',
    payload: events,
    role: 'ingest',
  });
  if (r.json().accepted !== events.length) throw new Error(`predictions not accepted: ${r.body}`);
}
