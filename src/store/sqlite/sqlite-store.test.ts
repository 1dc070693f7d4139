import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runStoreContract } from '../store-contract.suite.js';
import { openSqliteStore } from './sqlite-store.js';

const dir = mkdtempSync(join(tmpdir(), 'faultline-sqlite-'));
let n = 0;
afterAll(() => rmSync(dir, { recursive: true, force: true }));

runStoreContract('sqlite', () => openSqliteStore(join(dir, `s${n++}.db`)));

describe('sqlite engine', () => {
  it('migrates a new file once and keeps data across reopen', async () => {
    const file = join(dir, 'reopen.db');
    const a = await openSqliteStore(file);
    expect(a.migrations()).toEqual([1]);
    await a.ingestEvents(
      'p',
      [{ id: 'e1', kind: 'deploy', timestamp: 1_735_689_600_000 }],
      1_735_689_600_000,
    );
    await a.close();
    const b = await openSqliteStore(file, { synchronous: 'normal' });
    expect(b.migrations()).toEqual([1]);
    expect((await b.listEvents('p', { limit: 5 })).map((e) => e.id)).toEqual(['e1']);
    await b.close();
  });

  it('creates the parent folder of the database file', async () => {
    const s = await openSqliteStore(join(dir, 'nested', 'deeper', 'x.db'));
    expect(await s.countTokens()).toBe(0);
    await s.close();
  });
});
