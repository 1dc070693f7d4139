/** Opens the store a `--db` value names: a `postgres://` URL for PostgreSQL, anything else a SQLite file. */
import { isPostgresUrl } from '../store/postgres/connection.js';
import { openPostgresStore } from '../store/postgres/postgres-store.js';
import { openSqliteStore } from '../store/sqlite/sqlite-store.js';
import type { Store } from '../store/store.js';

export async function openStore(
  db: string,
  options: { synchronous?: 'full' | 'normal' } = {},
): Promise<Store> {
  if (isPostgresUrl(db)) return openPostgresStore(db);
  return openSqliteStore(db, options.synchronous === undefined ? {} : { synchronous: options.synchronous });
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
