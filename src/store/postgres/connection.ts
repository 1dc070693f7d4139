/**
 * @module
 * Connecting to PostgreSQL: the `postgres://` URL the store is given (with Faultline's own `schema` and
 * `pool` parameters), the connection pool, the migration runner and the transaction helper that retries
 * deadlocks and serialization failures.
 */
import type { PoolClient, PoolConfig } from 'pg';
import pg from 'pg';
import { FaultlineError } from '../../core/contract/index.js';
import { PG_MIGRATIONS } from './migrations.js';

/** Where the store lives: the server connection, the schema holding its tables and the pool size. */
export interface PgLocation {
  /** The connection URL handed to `pg`, without Faultline's own parameters. */
  connectionString: string;
  /** Schema of the store's tables (created on first start). */
  schema: string;
  /** Most connections this process opens. */
  poolSize: number;
}

/** The schema used when the URL names none: Faultline's tables stay apart from anything else there. */
export const DEFAULT_PG_SCHEMA = 'faultline';
/** Connections per process: a collector answers requests concurrently, a worker runs a few batches. */
export const DEFAULT_PG_POOL_SIZE = 8;

const SCHEMA_RE = /^[a-z_][a-z0-9_]{0,62}$/;

/** True for a URL the PostgreSQL engine takes (`postgres://` or `postgresql://`). */
export function isPostgresUrl(value: string): boolean {
  return /^postgres(ql)?:\/\//i.test(value);
}

function invalid(field: string, reason: string, hint: string): FaultlineError {
  return new FaultlineError('request.invalid', `invalid PostgreSQL URL: ${field} ${reason}`, {
    hint,
    issues: [{ field, reason }],
  });
}

/**
 * Reads a `postgres://user@host:port/database?schema=name&pool=8` URL. `schema` and `pool` are taken out;
 * every other parameter (`sslmode`, `application_name`, …) goes to the driver unchanged.
 */
export function parsePostgresUrl(url: string): PgLocation {
  if (!isPostgresUrl(url))
    throw invalid('url', 'must start with postgres:// or postgresql://', 'e.g. postgres://user@host:5432/db');
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw invalid('url', 'is not a URL', 'e.g. postgres://user@host:5432/db?schema=faultline');
  }
  const schema = u.searchParams.get('schema') ?? DEFAULT_PG_SCHEMA;
  if (!SCHEMA_RE.test(schema))
    throw invalid(
      'schema',
      `"${schema}" is not a plain lowercase identifier`,
      'use letters a-z, digits and "_", at most 63 characters, not starting with a digit',
    );
  const poolText = u.searchParams.get('pool');
  const poolSize = poolText === null ? DEFAULT_PG_POOL_SIZE : Number(poolText);
  if (!Number.isInteger(poolSize) || poolSize < 1 || poolSize > 1000)
    throw invalid('pool', `"${poolText}" is not a whole number from 1 to 1000`, 'e.g. ?pool=8');
  u.searchParams.delete('schema');
  u.searchParams.delete('pool');
  return { connectionString: u.toString(), schema, poolSize };
}

/** BIGINT columns hold epoch milliseconds and counts, all far below 2^53: read them as numbers. */
const typeParsers = new pg.TypeOverrides();
typeParsers.setTypeParser(pg.types.builtins.INT8, (v: string) => Number(v));

/** A pool whose every connection works in `schema` alone. */
export function createPool(loc: PgLocation, extra: Partial<PoolConfig> = {}): pg.Pool {
  const pool = new pg.Pool({
    connectionString: loc.connectionString,
    max: loc.poolSize,
    types: typeParsers,
    options: `-c search_path=${loc.schema}`,
    application_name: 'faultline',
    ...extra,
  });
  // An idle connection that the server drops must not crash the process; the next checkout reconnects.
  pool.on('error', () => {});
  return pool;
}

/**
 * Creates the schema and applies the missing migrations, each in one transaction, holding an advisory
 * lock keyed by the schema so that processes starting together do the work once. Returns the versions
 * applied, oldest first.
 */
export async function migrate(pool: pg.Pool, schema: string): Promise<number[]> {
  const c = await pool.connect();
  const onError = () => {};
  c.on('error', onError);
  try {
    await c.query('BEGIN');
    await c.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [`faultline.migrate:${schema}`]);
    await c.query(`CREATE SCHEMA IF NOT EXISTS ${pg.escapeIdentifier(schema)}`);
    await c.query(
      `CREATE TABLE IF NOT EXISTS schema_migrations (
         version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TIMESTAMPTZ NOT NULL DEFAULT now())`,
    );
    const applied = new Set(
      (await c.query<{ version: number }>('SELECT version FROM schema_migrations')).rows.map(
        (r) => r.version,
      ),
    );
    for (const m of PG_MIGRATIONS) {
      if (applied.has(m.version)) continue;
      await c.query(m.sql);
      await c.query('INSERT INTO schema_migrations (version, name) VALUES ($1, $2)', [m.version, m.name]);
    }
    await c.query('COMMIT');
    const rows = await c.query<{ version: number }>('SELECT version FROM schema_migrations ORDER BY version');
    return rows.rows.map((r) => r.version);
  } catch (e) {
    await c.query('ROLLBACK').catch(() => {});
    throw e;
  } finally {
    c.removeListener('error', onError);
    c.release();
  }
}

/** SQLSTATEs after which the whole transaction can simply run again. */
const RETRYABLE = new Set(['40001', '40P01']); // serialization_failure, deadlock_detected
/** Attempts before a deadlock or serialization failure is given up. */
export const TX_ATTEMPTS = 8;

/** True when `e` is a PostgreSQL error the transaction helper retries. */
export function isRetryable(e: unknown): boolean {
  return e instanceof pg.DatabaseError && e.code !== undefined && RETRYABLE.has(e.code);
}

/**
 * Runs `work` in one READ COMMITTED transaction on a pooled connection and resolves once COMMIT returned.
 * A deadlock or serialization failure rolls back and runs `work` again (it must be safe to repeat: it
 * keeps its effects in the database, or in values it returns). A connection that broke is discarded.
 */
export async function inTransaction<T>(pool: pg.Pool, work: (c: PoolClient) => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    const c = await pool.connect();
    let broken: Error | undefined;
    // A checked-out client whose server connection dies also emits 'error'; the failed query already
    // reports it, so keep the event from crashing the process, and discard the client on release.
    const onError = (e: Error) => {
      broken = e;
    };
    c.on('error', onError);
    try {
      await c.query('BEGIN');
      const result = await work(c);
      await c.query('COMMIT');
      return result;
    } catch (e) {
      try {
        await c.query('ROLLBACK');
      } catch (rollbackError) {
        broken = rollbackError as Error;
      }
      if (attempt < TX_ATTEMPTS && isRetryable(e)) continue;
      throw e;
    } finally {
      c.removeListener('error', onError);
      c.release(broken);
    }
  }
}
