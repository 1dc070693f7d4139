/**
 * A real collector for the end-to-end tests, assembled as `faultline serve` assembles it: the app over a SQLite
 * file in a temporary folder, the evaluation engine with the collector's window analyser (scheduler off: the test
 * evaluates on demand with `POST /v1/evaluate`), the system clock, and a free loopback port.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_INGEST_LIMITS } from '../../src/core/contract/index.js';
import { buildApp } from '../../src/server/app.js';
import { issueToken } from '../../src/server/auth.js';
import { systemClock } from '../../src/server/deps.js';
import { createWindowAnalyzer } from '../../src/server/engine/analyzer.js';
import { createEngine } from '../../src/server/engine/pipeline-engine.js';
import { openSqliteStore } from '../../src/store/sqlite/sqlite-store.js';

export interface E2eCollector {
  url: string;
  /** Lines the engine logged (incident changes, errors). */
  log: string[];
  close(): Promise<void>;
}

export async function startE2eCollector(adminToken: string, project = 'acme'): Promise<E2eCollector> {
  const dir = mkdtempSync(join(tmpdir(), 'faultline-e2e-'));
  const store = await openSqliteStore(join(dir, 'faultline.db'), { synchronous: 'normal' });
  const log: string[] = [];
  const engine = createEngine({
    store,
    analyzer: createWindowAnalyzer({ store }),
    clock: systemClock,
    intervalMs: 0,
    log: (line) => log.push(line),
    print: (line) => log.push(line),
    publicProject: project,
  });
  const app = await buildApp({
    store,
    clock: systemClock,
    config: { ...DEFAULT_INGEST_LIMITS },
    version: 'e2e',
    engine,
  });
  await issueToken(store, { project, role: 'admin', label: 'e2e', token: adminToken }, systemClock.now());
  await app.listen({ host: '127.0.0.1', port: 0 });
  const addr = app.server.address();
  const port = typeof addr === 'object' && addr !== null ? addr.port : 0;
  return {
    url: `http://127.0.0.1:${port}`,
    log,
    close: async () => {
      await engine.close();
      // The browser and fetch keep connections alive; a test collector need not wait for them to time out.
      app.server.closeAllConnections();
      await app.close();
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
