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
import { issueToken } from '../auth.js';
import { fixedClock } from '../deps.js';
import { TEST_T0 } from '../testing.js';
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
  const tokens = {} as Record<Role, string>;
  for (const role of ['admin', 'ingest', 'read'] as const)
    tokens[role] = (await issueToken(store, { project, role, label: role }, TEST_T0)).token;
  return {
    app,
    store,
    engine,
    clock,
    tokens,
    dir,
    log,
    printed,
    call: ({ role = 'admin', token, headers, ...rest }) => {
      const bearer = token ?? (role === 'none' ? undefined : tokens[role]);
      return app.inject({
        ...rest,
        headers: {
          ...(bearer === undefined ? {} : { authorization: `Bearer ${bearer}` }),
          ...(headers ?? {}),
        },
      } as InjectOptions);
    },
    close: async () => {
      await engine.close();
      await app.close();
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
