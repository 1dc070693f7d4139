/**
 * @module
 * The collector's configuration, parsed once at start-up: command-line flag > environment variable >
 * default. A bad value fails fast with every problem listed, each naming the flag and the variable.
 */
import { z } from 'zod';
import { DEFAULT_INGEST_LIMITS, FaultlineError } from '../core/contract/index.js';

const intFrom = (min: number, max: number) => z.coerce.number().int().min(min).max(max);

export const CollectorConfigSchema = z.object({
  /** SQLite file (the folder is created on first start), or a `postgres://…?schema=…` URL. */
  db: z.string().min(1).default('./.faultline/faultline.db'),
  /** `nats://…` JetStream ingestion log: accepted batches go there and `faultline worker` stores them. */
  ingest: z
    .string()
    .regex(/^nats:\/\//i, 'must be a nats:// URL')
    .optional(),
  /** Loopback by default: exposing the collector is a deliberate choice (`--host 0.0.0.0`). */
  host: z.string().min(1).default('127.0.0.1'),
  /** 7070: free on most machines; `0` picks a free port and prints it. */
  port: intFrom(0, 65_535).default(7070),
  maxBodyBytes: intFrom(1_024, 1_073_741_824).default(DEFAULT_INGEST_LIMITS.maxBodyBytes),
  maxBatchEvents: intFrom(1, 1_000_000).default(DEFAULT_INGEST_LIMITS.maxBatchEvents),
  /** 64 MiB: a reference CSV of a few hundred thousand rows; larger ones are profiled locally and sent as .flp. */
  maxReferenceBytes: intFrom(1_024, 4_294_967_296).default(64 * 1024 * 1024),
  maxFutureSkewMs: intFrom(0, 31 * 86_400_000).default(DEFAULT_INGEST_LIMITS.maxFutureSkewMs),
  /** `full` fsyncs every commit (survives power loss); `normal` survives process death only. */
  synchronous: z.enum(['full', 'normal']).default('full'),
  /** Project of the admin token created on first start. */
  project: z
    .string()
    .regex(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,127}$/, 'use letters, digits, "_", "." or "-"')
    .default('default'),
  /** An admin token to accept (created in the store if unknown), instead of a random one printed once. */
  adminToken: z.string().min(32, 'must be at least 32 characters (e.g. `openssl rand -hex 32`)').optional(),
});
export type CollectorConfig = z.output<typeof CollectorConfigSchema>;

/** Each setting's flag and environment variable, for precedence and for error messages. */
export const CONFIG_SOURCES: Record<keyof CollectorConfig, { flag: string; env: string }> = {
  db: { flag: '--db', env: 'FAULTLINE_DB' },
  ingest: { flag: '--ingest', env: 'FAULTLINE_INGEST' },
  host: { flag: '--host', env: 'FAULTLINE_HOST' },
  port: { flag: '--port', env: 'FAULTLINE_PORT' },
  maxBodyBytes: { flag: '--max-body-bytes', env: 'FAULTLINE_INGEST_MAX_BODY_BYTES' },
  maxBatchEvents: { flag: '--max-batch-events', env: 'FAULTLINE_INGEST_MAX_BATCH_EVENTS' },
  maxReferenceBytes: { flag: '--max-reference-bytes', env: 'FAULTLINE_REFERENCE_MAX_BYTES' },
  maxFutureSkewMs: { flag: '--max-future-skew-ms', env: 'FAULTLINE_INGEST_MAX_FUTURE_SKEW_MS' },
  synchronous: { flag: '--synchronous', env: 'FAULTLINE_SQLITE_SYNCHRONOUS' },
  project: { flag: '--project', env: 'FAULTLINE_PROJECT' },
  adminToken: { flag: '(none)', env: 'FAULTLINE_ADMIN_TOKEN' },
};

/**
 * Merges flags over environment over defaults and validates. Throws a `FaultlineError` listing every bad
 * setting with its flag and variable.
 */
export function loadConfig(
  flags: Partial<Record<keyof CollectorConfig, string | number | undefined>>,
  env: Record<string, string | undefined>,
): CollectorConfig {
  const raw: Record<string, unknown> = {};
  for (const [key, src] of Object.entries(CONFIG_SOURCES) as [keyof CollectorConfig, { env: string }][]) {
    const v = flags[key] ?? env[src.env];
    if (v !== undefined && v !== '') raw[key] = v;
  }
  const r = CollectorConfigSchema.safeParse(raw);
  if (r.success) return r.data;
  const issues = r.error.issues.map((i) => {
    const key = String(i.path[0]) as keyof CollectorConfig;
    const src = CONFIG_SOURCES[key];
    return { field: src ? `${src.flag} / ${src.env}` : key, reason: i.message };
  });
  throw new FaultlineError(
    'request.invalid',
    `invalid collector settings: ${issues.map((i) => `${i.field}: ${i.reason}`).join('; ')}`,
    { issues, hint: 'fix the flag or environment variable named above' },
  );
}
