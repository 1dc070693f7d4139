/** Opens the store a `--db` value names: a `postgres://` URL for PostgreSQL, anything else a SQLite file. */
import { FaultlineError } from '../core/contract/index.js';
import { isPostgresUrl } from '../store/postgres/connection.js';
import { openPostgresStore } from '../store/postgres/postgres-store.js';
import { openSqliteStore } from '../store/sqlite/sqlite-store.js';
import type { Store } from '../store/store.js';

/**
 * Opens and migrates the store. A PostgreSQL server that cannot be reached or refuses the login is a
 * setting to fix, not a crash: it throws `request.invalid` naming the URL (without its password).
 */
export async function openStore(
  db: string,
  options: { synchronous?: 'full' | 'normal' } = {},
): Promise<Store> {
  if (!isPostgresUrl(db))
    return openSqliteStore(db, options.synchronous === undefined ? {} : { synchronous: options.synchronous });
  try {
    return await openPostgresStore(db);
  } catch (e) {
    if (e instanceof FaultlineError) throw e;
    throw new FaultlineError(
      'request.invalid',
      `cannot open the store at ${describeDb(db)}: ${(e as Error).message}`,
      {
        hint: 'check that PostgreSQL is running, the database exists and the user may create a schema in it',
        issues: [{ field: 'db', reason: (e as Error).message }],
      },
    );
  }
}

/** The `--db` value fit to print: a URL's password is replaced by `***`. */
export function describeDb(db: string): string {
  if (!isPostgresUrl(db)) return db;
  try {
    const u = new URL(db);
    if (u.password !== '') u.password = '***';
    return u.toString();
  } catch {
    return 'postgres://(unreadable URL)';
  }
}
