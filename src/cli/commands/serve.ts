import type { Command } from 'commander';
import { FaultlineError } from '../../core/contract/index.js';
import { type AlertTarget, parseAlertTarget } from '../../server/alerts/targets.js';
import { loadConfig } from '../../server/config.js';
import { readExpectationsFile } from '../../server/engine/pipeline-expectations-file.js';
import { startCollector } from '../../server/main.js';
import { describeDb } from '../../server/open-store.js';
import { dashboardNotBuilt } from '../../server/routes/dashboard.js';
import { UsageError } from '../usage-error.js';

interface ServeFlags {
  db?: string;
  ingest?: string;
  host?: string;
  port?: string;
  maxBodyBytes?: string;
  maxBatchEvents?: string;
  maxFutureSkewMs?: string;
  synchronous?: string;
  project?: string;
  expectations?: string;
  alertWebhook?: string[];
  alertsDryRun?: boolean;
  metricsPublic?: boolean;
}

/** Registers `faultline serve`: runs the collector until SIGINT or SIGTERM. */
export function register(program: Command): void {
  program
    .command('serve')
    .description('Run the collector: HTTP ingestion, registry and query API on a SQLite or PostgreSQL store.')
    .option(
      '--db <path|url>',
      'SQLite file or postgres://…?schema=… URL (env FAULTLINE_DB; default ./.faultline/faultline.db)',
    )
    .option(
      '--ingest <url>',
      'nats://… JetStream ingestion log: batches are answered once logged, `faultline worker` stores them (env FAULTLINE_INGEST)',
    )
    .option('--host <host>', 'address to bind (env FAULTLINE_HOST; default 127.0.0.1)')
    .option('--port <port>', 'port, 0 for any free one (env FAULTLINE_PORT; default 7070)')
    .option(
      '--max-body-bytes <n>',
      'largest request body (env FAULTLINE_INGEST_MAX_BODY_BYTES; default 8 MiB)',
    )
    .option(
      '--max-batch-events <n>',
      'most events per batch (env FAULTLINE_INGEST_MAX_BATCH_EVENTS; default 10000)',
    )
    .option(
      '--max-future-skew-ms <n>',
      'reject event times this far ahead (env FAULTLINE_INGEST_MAX_FUTURE_SKEW_MS)',
    )
    .option(
      '--synchronous <mode>',
      'full (fsync per commit, default) or normal (env FAULTLINE_SQLITE_SYNCHRONOUS)',
    )
    .option('--project <name>', 'project of the admin token made on first start (env FAULTLINE_PROJECT)')
    .option(
      '--expectations <file>',
      'expectations file (YAML or JSON), reloaded on change; default: built-in',
    )
    .option(
      '--alert-webhook <url>',
      'send incident alerts to this webhook (JSON; slack:URL for Slack); repeatable',
      (v: string, prev: string[] = []) => [...prev, v],
    )
    .option('--alerts-dry-run', 'print alerts as JSON lines instead of sending them')
    .option('--metrics-public', 'serve /metrics without a token (default: a read token is needed)')
    .addHelpText(
      'after',
      '\nOn the first start of a new store an admin token is printed once (or FAULTLINE_ADMIN_TOKEN is used).',
    )
    .action(async (flags: ServeFlags) => {
      let config: ReturnType<typeof loadConfig>;
      try {
        config = loadConfig(flags, process.env);
      } catch (e) {
        if (e instanceof FaultlineError)
          throw new UsageError(e.message, e.hint === undefined ? {} : { hint: e.hint });
        throw e;
      }
      let alertTargets: AlertTarget[];
      try {
        alertTargets = (flags.alertWebhook ?? []).map(parseAlertTarget);
      } catch (e) {
        throw new UsageError((e as Error).message, {
          hint: 'e.g. --alert-webhook https://alerts.example.com/hook',
        });
      }
      if (flags.expectations !== undefined) {
        const r = readExpectationsFile(flags.expectations);
        if (!r.ok)
          throw new UsageError(`--expectations:\n${r.error}`, {
            hint: 'the format is in docs/expectations.md',
          });
      }
      let collector: Awaited<ReturnType<typeof startCollector>>;
      try {
        collector = await startCollector(config, {
          engine: {
            expectationsFile: flags.expectations,
            alertTargets,
            alertsDryRun: flags.alertsDryRun ?? false,
            metricsPublic: flags.metricsPublic ?? false,
            baseUrl: `http://${config.host.includes(':') ? `[${config.host}]` : config.host}:${config.port}`,
          },
        });
      } catch (e) {
        const err = e as NodeJS.ErrnoException;
        if (err.code === 'EADDRINUSE' || err.code === 'EACCES')
          throw new UsageError(`cannot listen on ${config.host}:${config.port}: ${err.code}`, {
            hint: 'choose another --port (0 picks a free one)',
          });
        if (e instanceof FaultlineError)
          throw new UsageError(e.message, e.hint === undefined ? {} : { hint: e.hint });
        throw e;
      }
      // Signal handlers first: whoever reads the line below may stop the collector at once.
      const stop = (signal: string) => {
        process.stderr.write(`faultline: ${signal}: closing\n`);
        collector.close().then(
          () => process.exit(0),
          () => process.exit(1),
        );
      };
      process.once('SIGINT', () => stop('SIGINT'));
      process.once('SIGTERM', () => stop('SIGTERM'));
      if (collector.adminToken?.generated)
        process.stdout.write(
          `admin token for project "${config.project}" (shown once, keep it safe):\n${collector.adminToken.token}\n`,
        );
      process.stdout.write(
        `faultline collector listening on ${collector.url} (db ${describeDb(config.db)}${config.ingest ? `, ingest ${config.ingest}` : ''})\n`,
      );
      const notBuilt = dashboardNotBuilt();
      if (notBuilt !== null) process.stderr.write(`faultline: ${notBuilt}\n`);
    });
}
