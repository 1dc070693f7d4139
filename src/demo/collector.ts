/**
 * @module
 * The collector the demo runs: the real application (`buildApp`) on the embedded SQLite store, with the
 * evaluation engine (window analyser → expectations → diagnosis → incidents) and the dashboard, listening on a
 * loopback port. Its clock is the demo's simulated clock, so registry changes, ingestion and evaluation all
 * live in the timeline's event time. The engine's scheduler is off: the demo asks for evaluation after each
 * simulated hour, which is what the scheduler would do when the watermark moves, but in step with the timeline.
 */
import type { FastifyInstance } from 'fastify';
import type { Role } from '../core/contract/index.js';
import { DEFAULT_INGEST_LIMITS } from '../core/contract/index.js';
import { buildApp } from '../server/app.js';
import { issueToken } from '../server/auth.js';
import type { Clock } from '../server/deps.js';
import type { Engine } from '../server/engine/pipeline-engine.js';
import { createEngine } from '../server/engine/pipeline-engine.js';
import type { WindowAnalyzer } from '../server/engine/types.js';
import { packageVersion } from '../server/main.js';
import type { SqliteStore } from '../store/sqlite/sqlite-store.js';
import { openSqliteStore } from '../store/sqlite/sqlite-store.js';

export interface DemoCollectorOptions {
  /** SQLite file of the run. */
  db: string;
  host: string;
  /** 0 picks a free port. */
  port: number;
  project: string;
  clock: Clock;
  /** Server log lines (errors of the engine, incident changes). */
  log: (line: string) => void;
  /** The window analyser, built on the store. */
  analyzer: (store: SqliteStore) => WindowAnalyzer;
}

export interface DemoCollector {
  app: FastifyInstance;
  store: SqliteStore;
  engine: Engine;
  /** `http://host:port` actually bound. */
  url: string;
  tokens: Record<Role, string>;
  close(): Promise<void>;
}

/** Opens the store, builds the engine and the app, issues one token per role and listens. */
export async function startDemoCollector(o: DemoCollectorOptions): Promise<DemoCollector> {
  const store = await openSqliteStore(o.db, { synchronous: 'normal' });
  try {
    const engine = createEngine({
      store,
      analyzer: o.analyzer(store),
      clock: o.clock,
      intervalMs: 0,
      log: o.log,
      print: o.log,
    });
    const app = await buildApp({
      store,
      clock: o.clock,
      config: { ...DEFAULT_INGEST_LIMITS, maxBatchEvents: 20_000, maxReferenceBytes: 64 * 1024 * 1024 },
      version: packageVersion(),
      engine,
    });
    const tokens = {} as Record<Role, string>;
    for (const role of ['admin', 'ingest', 'read'] as const)
      tokens[role] = (
        await issueToken(store, { project: o.project, role, label: `demo ${role}` }, o.clock.now())
      ).token;
    await app.listen({ host: o.host, port: o.port });
    const addr = app.server.address();
    const port = typeof addr === 'object' && addr !== null ? addr.port : o.port;
    const host = o.host.includes(':') ? `[${o.host}]` : o.host;
    let closing: Promise<void> | null = null;
    return {
      app,
      store,
      engine,
      url: `http://${host}:${port}`,
      tokens,
      close: () => {
        closing ??= (async () => {
          await engine.close();
          await app.close();
          await store.close();
        })();
        return closing;
      },
    };
  } catch (e) {
    await store.close();
    throw e;
  }
}
