/**
 * @module
 * The one place that builds real dependencies: opens the store (SQLite, or PostgreSQL for a postgres://
 * URL; with `ingest`, ingestion goes to the JetStream log instead), makes sure an admin token exists
 * (printing a new one once), builds the app and listens. Shutdown runs in a fixed order: stop accepting
 * requests and finish those in flight (each commits before it answers), then close the store.
 */
import { readFileSync } from 'node:fs';
import type { FastifyInstance } from 'fastify';
import { FaultlineError } from '../core/contract/index.js';
import { parseIngestLogUrl } from '../ingest-log/location.js';
import { IngestLogPublisher } from '../ingest-log/publisher.js';
import type { Store } from '../store/store.js';
import { buildApp } from './app.js';
import { bootstrapAdminToken, hashToken } from './auth.js';
import type { CollectorConfig } from './config.js';
import type { Clock } from './deps.js';
import { systemClock } from './deps.js';
import { createWindowAnalyzer } from './engine/analyzer.js';
import { hasEngineState } from './engine/pipeline.js';
import { createEngine, type Engine, type EngineOptions } from './engine/pipeline-engine.js';
import { withIngestLog } from './ingest-log-sink.js';
import { openStore } from './open-store.js';

/** The package version, read from the package.json two folders up (true from src/ and dist/). */
export function packageVersion(): string {
  try {
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
      version?: string;
    };
    return pkg.version ?? '0.0.0';
  } catch {
    return '0.0.0';
  }
}

/** The ingestion log's publisher; a server that cannot be reached is a setting to fix, not a crash. */
async function connectIngestLog(url: string): Promise<IngestLogPublisher> {
  const loc = parseIngestLogUrl(url);
  try {
    return await IngestLogPublisher.connect(loc);
  } catch (e) {
    throw new FaultlineError(
      'request.invalid',
      `cannot use the ingestion log at ${loc.servers.join(',')}: ${(e as Error).message}`,
      { hint: 'start nats-server with JetStream (-js), or fix --ingest / FAULTLINE_INGEST' },
    );
  }
}

export interface RunningCollector {
  app: FastifyInstance;
  store: Store;
  /** `http://host:port` actually bound (a port of 0 is resolved). */
  url: string;
  /** The admin token created by this start, when one was (shown once). */
  adminToken: { token: string; generated: boolean } | null;
  /** The evaluation engine (expectations, incidents, alerts), when started with one. */
  engine: Engine | null;
  close(): Promise<void>;
}

export async function startCollector(
  config: CollectorConfig,
  options: {
    clock?: Clock;
    logger?: boolean;
    /** Starts the evaluation engine with the real window analyser. */
    engine?: Omit<EngineOptions, 'store' | 'clock' | 'analyzer'>;
  } = {},
): Promise<RunningCollector> {
  const clock = options.clock ?? systemClock;
  const opened = await openStore(config.db, { synchronous: config.synchronous });
  let store: Store = opened;
  try {
    if (config.ingest !== undefined) store = withIngestLog(opened, await connectIngestLog(config.ingest));
    const adminToken = await bootstrapAdminToken(
      store,
      { project: config.project, fromEnv: config.adminToken },
      clock.now(),
    ).catch(async (e: unknown) => {
      // Collectors sharing one PostgreSQL store may start together with the same FAULTLINE_ADMIN_TOKEN:
      // the one that lost the race finds the token stored by the other.
      const env = config.adminToken;
      if (env !== undefined && (await store.findTokenByHash(hashToken(env)))) return null;
      throw e;
    });
    if (options.engine && !hasEngineState(opened))
      process.stderr.write(
        `faultline: the ${opened.engine} store keeps no evaluation state yet: expectations are not evaluated\n`,
      );
    const engine =
      options.engine && hasEngineState(opened)
        ? createEngine({
            publicProject: config.project,
            ...options.engine,
            store: opened,
            clock,
            analyzer: createWindowAnalyzer({ store: opened }),
          })
        : null;
    const app = await buildApp({
      store,
      clock,
      config,
      version: packageVersion(),
      logger: options.logger ?? false,
      ...(engine ? { engine } : {}),
    });
    await app.listen({ host: config.host, port: config.port });
    engine?.start();
    const addr = app.server.address();
    const port = typeof addr === 'object' && addr !== null ? addr.port : config.port;
    const host = config.host.includes(':') ? `[${config.host}]` : config.host;
    let closing: Promise<void> | null = null;
    return {
      app,
      store,
      url: `http://${host}:${port}`,
      adminToken,
      engine,
      close: () => {
        closing ??= (async () => {
          await engine?.close();
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
