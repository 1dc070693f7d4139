/**
 * Test fixture for route tests: the real app on a real SQLite file in a temporary folder, a fixed clock,
 * and tokens of each role for one project. Nothing is stubbed.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';
import type { Role } from '../core/contract/index.js';
import { DEFAULT_INGEST_LIMITS } from '../core/contract/index.js';
import type { SqliteStore } from '../store/sqlite/sqlite-store.js';
import { openSqliteStore } from '../store/sqlite/sqlite-store.js';
import { buildApp } from './app.js';
import { issueToken } from './auth.js';
import type { AppDeps } from './deps.js';
import { fixedClock } from './deps.js';

export const TEST_T0 = Date.UTC(2025, 2, 1, 12);

export interface TestCollector {
  app: FastifyInstance;
  store: SqliteStore;
  clock: ReturnType<typeof fixedClock>;
  tokens: Record<Role, string>;
  dir: string;
  /** `app.inject` with `Authorization: Bearer <token of role>` (admin by default). */
  call(options: InjectOptions & { role?: Role | 'none'; token?: string }): Promise<LightMyRequestResponse>;
  close(): Promise<void>;
}

/** One token of each role for `project`, issued at TEST_T0. */
export async function issueRoleTokens(store: SqliteStore, project: string): Promise<Record<Role, string>> {
  const tokens = {} as Record<Role, string>;
  for (const role of ['admin', 'ingest', 'read'] as const)
    tokens[role] = (await issueToken(store, { project, role, label: role }, TEST_T0)).token;
  return tokens;
}

/** `app.inject` with `Authorization: Bearer <token of role>` (admin by default), or `token`, or none. */
export function bearerCaller(app: FastifyInstance, tokens: Record<Role, string>): TestCollector['call'] {
  return ({ role = 'admin', token, headers, ...rest }) => {
    const bearer = token ?? (role === 'none' ? undefined : tokens[role]);
    return app.inject({
      ...rest,
      headers: {
        ...(bearer === undefined ? {} : { authorization: `Bearer ${bearer}` }),
        ...(headers ?? {}),
      },
    } as InjectOptions);
  };
}

export async function startTestCollector(
  config: Partial<AppDeps['config']> = {},
  project = 'acme',
): Promise<TestCollector> {
  const dir = mkdtempSync(join(tmpdir(), 'faultline-app-'));
  const store = await openSqliteStore(join(dir, 'faultline.db'), { synchronous: 'normal' });
  const clock = fixedClock(TEST_T0);
  const app = await buildApp({
    store,
    clock,
    config: { ...DEFAULT_INGEST_LIMITS, ...config },
    version: 'test',
  });
  const tokens = await issueRoleTokens(store, project);
  return {
    app,
    store,
    clock,
    tokens,
    dir,
    call: bearerCaller(app, tokens),
    close: async () => {
      await app.close();
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
