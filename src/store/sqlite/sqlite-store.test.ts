import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { runEngineStateContract, runStoreContract } from '../store-contract.suite.js';
import { openSqliteStore } from './sqlite-store.js';

const dir = mkdtempSync(join(tmpdir(), 'faultline-sqlite-'));
let n = 0;
afterAll(() => rmSync(dir, { recursive: true, force: true }));

runStoreContract('sqlite', () => openSqliteStore(join(dir, `s${n++}.db`)));
runEngineStateContract('sqlite', () => openSqliteStore(join(dir, `s${n++}.db`)));

describe('sqlite engine', () => {
  it('migrates a new file once and keeps data across reopen', async () => {
    const file = join(dir, 'reopen.db');
    const a = await openSqliteStore(file);
    expect(a.migrations()).toEqual([1, 2, 3, 4]);
    await a.ingestEvents(
      'p',
      [{ id: 'e1', kind: 'deploy', timestamp: 1_735_689_600_000 }],
      1_735_689_600_000,
    );
    await a.close();
    const b = await openSqliteStore(file, { synchronous: 'normal' });
    expect(b.migrations()).toEqual([1, 2, 3, 4]);
    expect((await b.listEvents('p', { limit: 5 })).map((e) => e.id)).toEqual(['e1']);
    await b.close();
  });

  it('keeps the intended versions set before the history existed as changes from their registration', async () => {
    const file = join(dir, 'before-history.db');
    const T = 1_735_689_600_000;
    const a = await openSqliteStore(file);
    await a.registerVersion('p', 'm', { version: 'v1', artifactHash: 'sha:1', intended: true }, T);
    await a.registerVersion('p', 'm', { version: 'v2', artifactHash: 'sha:2' }, T + 1000);
    await a.close();
    // The file as migration 3 left it: the intended version in the models table only.
    const raw = new Database(file);
    raw.exec(`DROP TABLE intended_versions; DELETE FROM schema_migrations WHERE version = 4;
      UPDATE models SET intended_version = 'v2'`);
    raw.close();
    const b = await openSqliteStore(file);
    expect(b.migrations()).toEqual([1, 2, 3, 4]);
    expect(await b.listIntendedVersions('p', 'm')).toEqual([
      { version: 'v2', effectiveAtMs: T + 1000, recordedAtMs: T + 1000 },
    ]);
    expect((await b.getModel('p', 'm'))?.intendedVersion).toBe('v2');
    await b.close();
  });

  it('creates the parent folder of the database file', async () => {
    const s = await openSqliteStore(join(dir, 'nested', 'deeper', 'x.db'));
    expect(await s.countTokens()).toBe(0);
    await s.close();
  });
});

describe('sqlite window cache', () => {
  it('stays exact when two processes write the same window (revision check)', async () => {
    const file = join(dir, 'two-writers.db');
    const a = await openSqliteStore(file);
    const b = await openSqliteStore(file);
    const T = 1_735_689_600_000;
    const ev = (id: string) => ({ id, timestamp: T, version: 'v1', features: { x: 1 } });
    for (let i = 0; i < 6; i++) await (i % 2 ? b : a).ingestPredictions('p', 'm', [ev(`e${i}`)], T);
    const [w] = await a.listWindows('p', 'm', { limit: 1 });
    expect(w?.state.predictions).toBe(6);
    expect(w?.state.features.rowCount).toBe(6);
    expect(a.cachedWindows()).toBe(1);
    await a.close();
    await b.close();
  });
});
