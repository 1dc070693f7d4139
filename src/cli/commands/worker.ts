import { hostname } from 'node:os';
import type { Command } from 'commander';
import { z } from 'zod';
import { FaultlineError } from '../../core/contract/index.js';
import type { IngestLogLocation } from '../../ingest-log/location.js';
import { parseIngestLogUrl } from '../../ingest-log/location.js';
import type { RunningWorker } from '../../ingest-log/worker.js';
import { startWorker } from '../../ingest-log/worker.js';
import { describeDb, openStore } from '../../server/open-store.js';
import type { Store } from '../../store/store.js';
import { UsageError } from '../usage-error.js';

interface WorkerFlags {
  ingest?: string;
  db?: string;
  name?: string;
  concurrency?: string;
  prefetch?: string;
}

const intFrom = (min: number, max: number) => z.coerce.number().int().min(min).max(max);

const WorkerConfigSchema = z.object({
  ingest: z.string().regex(/^nats:\/\//i, 'must be a nats:// URL'),
  db: z.string().min(1),
  name: z.string().min(1).max(128),
  /** 2: one batch commits while the next is decoded and merged; more helps when the database is remote. */
  concurrency: intFrom(1, 64).default(2),
  /**
   * 64 batches pulled ahead: the batches of one model waiting here are stored in one transaction, so a
   * deeper queue means fewer window merges (measured: 1.5× the throughput of 16 with several workers);
   * they are what a killed worker leaves for the others to take after the ack wait.
   */
  prefetch: intFrom(1, 1000).default(64),
});

const SOURCES: Record<keyof z.input<typeof WorkerConfigSchema>, { flag: string; env: string }> = {
  ingest: { flag: '--ingest', env: 'FAULTLINE_INGEST' },
  db: { flag: '--db', env: 'FAULTLINE_DB' },
  name: { flag: '--name', env: 'FAULTLINE_WORKER_NAME' },
  concurrency: { flag: '--concurrency', env: 'FAULTLINE_WORKER_CONCURRENCY' },
  prefetch: { flag: '--prefetch', env: 'FAULTLINE_WORKER_PREFETCH' },
};

/** Flags over environment over defaults; every bad setting is listed with its flag and variable. */
function loadWorkerConfig(flags: WorkerFlags, env: Record<string, string | undefined>) {
  const raw: Record<string, unknown> = { name: `${hostname()}-${process.pid}` };
  for (const [key, src] of Object.entries(SOURCES) as [keyof WorkerFlags, { env: string }][]) {
    const v = flags[key] ?? env[src.env];
    if (v !== undefined && v !== '') raw[key] = v;
  }
  const r = WorkerConfigSchema.safeParse(raw);
  if (r.success) return r.data;
  const problems = r.error.issues.map((i) => {
    const src = SOURCES[String(i.path[0]) as keyof WorkerFlags];
    const reason = i.code === 'invalid_type' && raw[String(i.path[0])] === undefined ? 'required' : i.message;
    return `${src ? `${src.flag} / ${src.env}` : String(i.path[0])}: ${reason}`;
  });
  throw new UsageError(`invalid worker settings: ${problems.join('; ')}`, {
    hint: 'e.g. faultline worker --ingest nats://127.0.0.1:4222 --db postgres://user@host/db',
  });
}

const asUsage = (e: unknown): unknown =>
  e instanceof FaultlineError ? new UsageError(e.message, e.hint === undefined ? {} : { hint: e.hint }) : e;

/** Registers `faultline worker`: stores the batches of a JetStream ingestion log until SIGINT or SIGTERM. */
export function register(program: Command): void {
  program
    .command('worker')
    .description(
      'Store batches from the JetStream ingestion log (written by `faultline serve --ingest`); run as many as you need.',
    )
    .option('--ingest <url>', 'nats://host:4222[?stream=…&consumer=…&ackWaitMs=…] (env FAULTLINE_INGEST)')
    .option(
      '--db <path|url>',
      'postgres://…?schema=… URL, or a SQLite file for a single worker (env FAULTLINE_DB)',
    )
    .option(
      '--name <name>',
      'name shown by NATS and in reports (env FAULTLINE_WORKER_NAME; default host-pid)',
    )
    .option('--concurrency <n>', 'batches stored at once (env FAULTLINE_WORKER_CONCURRENCY; default 2)')
    .option('--prefetch <n>', 'batches pulled ahead (env FAULTLINE_WORKER_PREFETCH; default 64)')
    .addHelpText(
      'after',
      '\nWorkers share one durable JetStream consumer: each batch goes to one of them, and the batches of a worker\n' +
        'that dies go to another after the ack wait. Events are stored once, whatever is redelivered.',
    )
    .action(async (flags: WorkerFlags) => {
      const config = loadWorkerConfig(flags, process.env);
      let location: IngestLogLocation;
      try {
        location = parseIngestLogUrl(config.ingest);
      } catch (e) {
        throw asUsage(e);
      }
      let store: Store;
      try {
        store = await openStore(config.db);
      } catch (e) {
        throw asUsage(e);
      }
      let worker: RunningWorker;
      try {
        worker = await startWorker({
          store,
          location,
          name: config.name,
          concurrency: config.concurrency,
          prefetch: config.prefetch,
          onProblem: (p) =>
            process.stderr.write(
              `faultline worker: ${p.action === 'retry' ? 'will retry' : 'gave up on'} batch ${p.streamSequence} ` +
                `(${p.subject}, delivery ${p.deliveries}): ${p.reason}\n`,
            ),
        });
      } catch (e) {
        await store.close();
        throw new UsageError(
          `cannot join the ingestion log at ${location.servers.join(',')}: ${(e as Error).message}`,
          {
            hint: 'start nats-server with JetStream (-js), or fix --ingest / FAULTLINE_INGEST',
          },
        );
      }
      process.stdout.write(
        `faultline worker ${config.name} consuming ${location.stream}/${location.consumer} into ${store.engine} (db ${describeDb(config.db)})\n`,
      );
      let exiting = false;
      const finish = async (code: number) => {
        if (exiting) return;
        exiting = true;
        await worker.stop();
        await store.close();
        const s = worker.stats();
        process.stderr.write(
          `faultline worker ${config.name}: ${s.batches} batches, ${s.accepted} events stored, ${s.duplicates} already stored, ` +
            `${s.redelivered} redelivered, ${s.retried} retried, ${s.terminated} given up\n`,
        );
        process.exit(code);
      };
      const stop = (signal: string) => {
        process.stderr.write(`faultline worker: ${signal}: finishing the batches in progress\n`);
        finish(0).catch(() => process.exit(1));
      };
      process.once('SIGINT', () => stop('SIGINT'));
      process.once('SIGTERM', () => stop('SIGTERM'));
      // The connection closed for good (the server went away and reconnecting was given up).
      worker.done.then(
        () => finish(1).catch(() => process.exit(1)),
        () => finish(1).catch(() => process.exit(1)),
      );
    });
}
