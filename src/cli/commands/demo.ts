/**
 * @module
 * `faultline demo`: Faultline's main job on a fresh machine. It starts the collector (embedded SQLite store,
 * evaluation engine, dashboard), trains small real models on the data shipped with the package, serves them
 * with the SDK and plays a production timeline in accelerated time in which each cause of failure happens once.
 * Live, it prints where to open the dashboard and one line per incident as it opens; `--headless` plays the
 * timeline as fast as possible and prints, per injected failure, the incident and cause Faultline found, and
 * every incident that matched no failure (`--json` for a machine-readable report). Exit code 1 when a failure
 * was missed or misdiagnosed, or an incident was raised in a clean stretch.
 */
import type { Command } from 'commander';
import type { DemoResult } from '../../demo/run-demo.js';
import { DEFAULT_HEADLESS_START_MS, formatEventTime, runDemo } from '../../demo/run-demo.js';
import { HOUR_MS, TIMELINE_HOURS } from '../../demo/timeline.js';
import { createWindowAnalyzer } from '../../server/engine/analyzer.js';
import { dashboardNotBuilt } from '../../server/routes/dashboard.js';
import { UsageError } from '../usage-error.js';

interface DemoFlags {
  speed: string;
  seed: string;
  headless?: boolean;
  json?: boolean;
  host: string;
  port?: string;
  start?: string;
  hours?: string;
  db?: string;
  exit?: boolean;
}

function intFlag(value: string, flag: string, min: number, max: number): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < min || n > max)
    throw new UsageError(`${flag} must be a whole number from ${min} to ${max}, got "${value}"`, {
      hint: `e.g. ${flag} ${min === 0 ? 7 : Math.max(min, 2)}`,
    });
  return n;
}

/** The per-failure summary lines of a finished run. */
export function describeResult(r: DemoResult): string[] {
  const s = r.score;
  const out: string[] = [];
  out.push(
    `${s.correct} of ${s.total} injected failures found with the right top cause; ${s.unmatched.length} incident${s.unmatched.length === 1 ? '' : 's'} outside them.`,
  );
  for (const f of s.failures) {
    const mark = f.correct ? 'ok  ' : f.found ? 'WRONG' : 'MISS';
    const delay = f.detectionDelayMs === null ? '' : ` after ${Math.round(f.detectionDelayMs / 60_000)} min`;
    out.push(`${mark} ${f.failure.id} (${f.failure.model}, expected ${f.failure.cause})${delay}`);
    for (const i of f.incidents)
      out.push(
        `       ${i.expectationId} → ${i.topCause ?? 'no cause'}${i.topScore === null ? '' : ` (${i.topScore})`}`,
      );
  }
  for (const i of s.unmatched)
    out.push(
      `FALSE ALARM ${i.model} ${i.expectationId} at ${formatEventTime(i.openedAtMs)} → ${i.topCause ?? 'no cause'}: ${i.summary}`,
    );
  out.push(
    `${r.counts.predictions} predictions, ${r.counts.labels} labels, ${r.counts.feedback} clicks, ${r.counts.heartbeats} heartbeats, ${r.counts.probes} probes in ${(r.wallMs / 1000).toFixed(1)} s.`,
  );
  return out;
}

/** The `--json` report: every injected failure with what Faultline found, and the incidents outside them. */
export function resultJson(r: DemoResult): unknown {
  const iso = (ms: number) => new Date(ms).toISOString();
  const incident = (i: DemoResult['incidents'][number]) => ({
    id: i.id,
    model: i.model,
    expectation: i.expectationId,
    onset: iso(i.onsetMs),
    openedAt: iso(i.openedAtMs),
    status: i.status,
    topCause: i.topCause,
    topScore: i.topScore,
    topCauseAtOpen: i.topCauseAtOpen,
    summary: i.summary,
  });
  return {
    seed: r.seed,
    start: iso(r.startMs),
    hours: r.hours,
    passed: r.score.passed,
    total: r.score.total,
    found: r.score.found,
    correct: r.score.correct,
    failures: r.score.failures.map((f) => ({
      id: f.failure.id,
      model: f.failure.model,
      cause: f.failure.cause,
      title: f.failure.title,
      start: iso(f.startMs),
      end: iso(f.endMs),
      found: f.found,
      correct: f.correct,
      detectionDelayMinutes: f.detectionDelayMs === null ? null : f.detectionDelayMs / 60_000,
      incidents: f.incidents.map(incident),
    })),
    unmatched: r.score.unmatched.map(incident),
    counts: r.counts,
    wallSeconds: r.wallMs / 1000,
  };
}

/** Registers `faultline demo`. */
export function register(program: Command): void {
  program
    .command('demo')
    .description(
      'Run a live demo: a collector with its dashboard, three models served on real data, and a production timeline in which each cause of failure happens once.',
    )
    .option('--speed <seconds>', 'wall-clock seconds per simulated hour (live mode)', '8')
    .option('--seed <n>', 'seed of the simulation: the same seed plays the same timeline', '7')
    .option('--headless', 'play the whole timeline as fast as possible and report what was found')
    .option('--json', 'with --headless: print the report as JSON')
    .option('--host <host>', 'address of the collector', '127.0.0.1')
    .option('--port <port>', 'port of the collector (live default 7070, headless: any free port)')
    .option('--start <time>', 'event time of hour 0, ISO-8601 (live default: so that the timeline ends now)')
    .option('--hours <n>', `play only the first n hours of the ${TIMELINE_HOURS}-hour timeline`)
    .option(
      '--db <path>',
      'keep the SQLite store in this file (default: a temporary file, removed at the end)',
    )
    .option('--exit', 'live mode: exit when the timeline ends instead of keeping the dashboard up')
    .addHelpText(
      'after',
      '\nLive, open the printed address in a browser and sign in with the printed read token.\nHeadless, the exit code is 1 when a failure was missed or misdiagnosed or an incident was raised in a clean stretch.',
    )
    .action(async (flags: DemoFlags) => {
      const headless = flags.headless === true;
      if (flags.json && !headless)
        throw new UsageError('--json needs --headless', { hint: 'faultline demo --headless --json' });
      const seed = intFlag(flags.seed, '--seed', 0, 2 ** 31 - 1);
      const speed = Number(flags.speed);
      if (!(Number.isFinite(speed) && speed > 0 && speed <= 3600))
        throw new UsageError(`--speed must be a number of seconds from 0 to 3600, got "${flags.speed}"`, {
          hint: 'e.g. --speed 8 plays a simulated hour every 8 seconds',
        });
      const hours =
        flags.hours === undefined ? TIMELINE_HOURS : intFlag(flags.hours, '--hours', 1, TIMELINE_HOURS);
      const port =
        flags.port === undefined ? (headless ? 0 : 7070) : intFlag(flags.port, '--port', 0, 65_535);
      let startMs: number;
      if (flags.start !== undefined) {
        startMs = Date.parse(flags.start);
        if (!Number.isFinite(startMs))
          throw new UsageError(`--start must be an ISO-8601 time, got "${flags.start}"`, {
            hint: 'e.g. --start 2025-03-03T00:00:00Z',
          });
        startMs = Math.floor(startMs / HOUR_MS) * HOUR_MS;
      } else
        startMs = headless
          ? DEFAULT_HEADLESS_START_MS
          : Math.floor(Date.now() / HOUR_MS) * HOUR_MS - hours * HOUR_MS;

      const print = (line: string) => process.stdout.write(`${line}\n`);
      const stop = new AbortController();
      const onSignal = () => {
        process.stderr.write('faultline demo: stopping\n');
        stop.abort();
      };
      process.once('SIGINT', onSignal);
      process.once('SIGTERM', onSignal);
      let result: DemoResult;
      try {
        if (!headless)
          print(
            `faultline demo: ${hours} simulated hours, one every ${speed} s (about ${Math.ceil((hours * speed) / 60)} min), seed ${seed}`,
          );
        result = await runDemo({
          seed,
          speedSecondsPerHour: headless ? null : speed,
          startMs,
          hours,
          host: flags.host,
          port,
          ...(flags.db === undefined ? {} : { db: flags.db }),
          analyzer: (store) => createWindowAnalyzer({ store }),
          ...(headless && flags.json ? {} : { onLine: print }),
          onLog: (line) => process.stderr.write(`faultline: ${line}\n`),
          onReady: ({ url, readToken }) => {
            if (headless) return;
            const notBuilt = dashboardNotBuilt();
            if (notBuilt !== null) process.stderr.write(`faultline: ${notBuilt}\n`);
            print(`dashboard: ${url}/  (sign in with the read token below)`);
            print(`read token: ${readToken}`);
            print('each incident is printed as it opens, with its top cause; Ctrl-C stops the demo.');
          },
          signal: stop.signal,
          ...(headless || flags.exit ? {} : { keepServing: stop.signal }),
          onFinished: (r) => {
            if (!headless && !flags.exit) {
              for (const line of describeResult(r)) print(line);
              if (!stop.signal.aborted)
                print('the timeline is over; the collector and dashboard stay up until Ctrl-C.');
            }
          },
        });
      } catch (e) {
        const err = e as NodeJS.ErrnoException;
        if (err.code === 'EADDRINUSE' || err.code === 'EACCES')
          throw new UsageError(`cannot listen on ${flags.host}:${port}: ${err.code}`, {
            hint: 'choose another --port (0 picks a free one)',
          });
        throw e;
      } finally {
        process.off('SIGINT', onSignal);
        process.off('SIGTERM', onSignal);
      }
      if (headless && flags.json) print(JSON.stringify(resultJson(result), null, 2));
      else if (headless || flags.exit) for (const line of describeResult(result)) print(line);
      if (headless && !result.score.passed) process.exitCode = 1;
    });
}
