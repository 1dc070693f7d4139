/**
 * Test fixture for the PostgreSQL engine: a real server (`FAULTLINE_TEST_POSTGRES_URL`, by default the
 * local `test` database) and a fresh schema per store, dropped when the test file ends, so that parallel
 * runs never see each other's rows. Nothing is stubbed.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';

/** The server the tests use; CI starts it (see `.ci/run`). */
export const PG_TEST_URL =
  process.env.FAULTLINE_TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

/** `url` with `?schema=` set (and other parameters added). */
export function withParams(url: string, params: Record<string, string>): string {
  const u = new URL(url);
  for (const [k, v] of Object.entries(params)) u.searchParams.set(k, v);
  return u.toString();
}

/** Hands out fresh schema names for one test file and drops them all at the end. */
export class PgTestSchemas {
  private readonly prefix = `t_${randomBytes(5).toString('hex')}`;
  private readonly made: string[] = [];
  private n = 0;

  /** A new schema name, unique to this run. */
  name(): string {
    const schema = `${this.prefix}_${this.n++}`;
    this.made.push(schema);
    return schema;
  }

  /** A store URL on a new schema (extra parameters such as `pool` may be added). */
  url(params: Record<string, string> = {}): string {
    return withParams(PG_TEST_URL, { ...params, schema: this.name() });
  }

  /** Drops every schema this object handed out. */
  async dropAll(): Promise<void> {
    const client = new pg.Client({ connectionString: PG_TEST_URL });
    await client.connect();
    try {
      for (const s of this.made)
        await client.query(`DROP SCHEMA IF EXISTS ${pg.escapeIdentifier(s)} CASCADE`);
    } finally {
      await client.end();
    }
  }
}

/**
 * Fails with what to do when the test server is not reachable (a test never skips for that), e.g.
 * `pg_ctlcluster 15 main start`, or point FAULTLINE_TEST_POSTGRES_URL at a server.
 */
export async function requirePostgres(): Promise<void> {
  const client = new pg.Client({ connectionString: PG_TEST_URL, connectionTimeoutMillis: 5000 });
  try {
    await client.connect();
    await client.query('SELECT 1');
  } catch (e) {
    throw new Error(
      `PostgreSQL is not reachable at ${PG_TEST_URL} (${(e as Error).message}). Start it (Debian: ` +
        '`apt-get install postgresql && pg_ctlcluster <version> main start`, trust auth on 127.0.0.1) or set ' +
        'FAULTLINE_TEST_POSTGRES_URL to a server where the tests may create schemas.',
    );
  } finally {
    await client.end().catch(() => {});
  }
}
