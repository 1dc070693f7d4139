/**
 * @module
 * The collector's evaluation engine, assembled from its parts: the expectation registry (file + API + defaults),
 * the pipeline, the scheduler that follows the watermarks, the alert dispatcher and the incident hooks (the
 * server-log line, alerts, and whoever subscribes with `onIncident`, e.g. the demo).
 */

import type { RetryPolicy } from '../../core/alerts/retry.js';
import type { IncidentPolicy } from '../../core/incidents/apply.js';
import { seededRng } from '../../core/rng.js';
import { type AlertDispatcher, createAlertDispatcher } from '../alerts/dispatcher.js';
import type { AlertTarget } from '../alerts/targets.js';
import type { Clock } from '../deps.js';
import { createPipeline, type EngineStore, type IncidentHook, type Pipeline } from './pipeline.js';
import { createExpectationRegistry, type ExpectationRegistry } from './pipeline-expectations.js';
import { type ExpectationsWatch, watchExpectationsFile } from './pipeline-expectations-file.js';
import { describeIncidentChange } from './pipeline-log.js';
import { createScheduler, type Scheduler } from './scheduler.js';
import type { WindowAnalyzer } from './types.js';

export interface EngineOptions {
  store: EngineStore;
  analyzer: WindowAnalyzer;
  clock: Clock;
  /** `--expectations FILE`: loaded now (a bad file throws with its located errors) and reloaded on change. */
  expectationsFile?: string | undefined;
  alertTargets?: readonly AlertTarget[];
  /** `--alerts-dry-run`: print alerts instead of sending them. */
  alertsDryRun?: boolean;
  /** `--metrics-public`: `/metrics` without a token, for the project `publicProject`. */
  metricsPublic?: boolean;
  publicProject?: string;
  /** Dashboard base URL for links in alerts (default http://127.0.0.1:7070). */
  baseUrl?: string;
  /** Server log (default: stderr). */
  log?: (line: string) => void;
  /** Where dry-run alerts are printed (default: stdout). */
  print?: (line: string) => void;
  /** Look at the watermarks this often (default 1000 ms); 0 disables the scheduler (evaluate on demand only). */
  intervalMs?: number;
  retry?: Partial<RetryPolicy>;
  incidentPolicy?: Partial<IncidentPolicy>;
  /** Windows evaluated at most per model and run. */
  maxWindowsPerRun?: number;
  /** How long an evaluation or incident action waits while another process evaluates the model (30 s). */
  leaseWaitMs?: number;
  /** Quiet this long, a live model's windows close on the wall clock (scheduler.ts; default 60 s, 0: never). */
  idleAfterMs?: number;
}

export interface Engine {
  store: EngineStore;
  pipeline: Pipeline;
  expectations: ExpectationRegistry;
  alerts: AlertDispatcher;
  scheduler: Scheduler;
  metricsPublic: boolean;
  publicProject: string;
  /** Subscribes to incident changes (after they are stored); returns the unsubscribe function. */
  onIncident(hook: IncidentHook): () => void;
  /** Starts following the watermarks (when `intervalMs` > 0). */
  start(): void;
  /** Stops the scheduler, the file watch and pending alert retries. */
  close(): Promise<void>;
}

export function createEngine(options: EngineOptions): Engine {
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const onError = (e: unknown, context: string) =>
    log(`${context}: ${e instanceof Error ? e.message : String(e)}`);
  const expectations = createExpectationRegistry(options.store);
  let watch: ExpectationsWatch | null = null;
  let onReload = () => {};
  if (options.expectationsFile !== undefined)
    watch = watchExpectationsFile(options.expectationsFile, expectations, {
      nowMs: () => options.clock.now(),
      log,
      onReload: () => onReload(),
    });
  const alerts = createAlertDispatcher({
    store: options.store,
    targets: options.alertTargets ?? [],
    dryRun: options.alertsDryRun ?? false,
    print: options.print ?? ((line) => process.stdout.write(`${line}\n`)),
    clock: options.clock,
    rng: seededRng(Math.floor(Math.random() * 2 ** 32)),
    baseUrl: options.baseUrl ?? 'http://127.0.0.1:7070',
    ...(options.retry === undefined ? {} : { retry: options.retry }),
    onError,
  });
  const subscribers = new Set<IncidentHook>();
  const hooks: IncidentHook[] = [
    (_project, change) => log(describeIncidentChange(change)),
    (project, change) => alerts.deliver(project, change),
    async (project, change) => {
      for (const hook of subscribers) await hook(project, change);
    },
  ];
  const pipeline = createPipeline({
    store: options.store,
    analyzer: options.analyzer,
    expectations,
    clock: options.clock,
    hooks,
    onError,
    ...(options.incidentPolicy === undefined ? {} : { policy: options.incidentPolicy }),
    ...(options.maxWindowsPerRun === undefined ? {} : { maxWindowsPerRun: options.maxWindowsPerRun }),
    ...(options.leaseWaitMs === undefined ? {} : { leaseWaitMs: options.leaseWaitMs }),
  });
  const intervalMs = options.intervalMs ?? 1000;
  const scheduler = createScheduler({
    store: options.store,
    pipeline,
    intervalMs: Math.max(1, intervalMs),
    clock: options.clock,
    ...(options.idleAfterMs === undefined ? {} : { idleAfterMs: options.idleAfterMs }),
    onError,
  });
  // New expectations may need windows of new lengths: look at every model again.
  onReload = () => scheduler.invalidate();
  return {
    store: options.store,
    pipeline,
    expectations,
    alerts,
    scheduler,
    metricsPublic: options.metricsPublic ?? false,
    publicProject: options.publicProject ?? 'default',
    onIncident(hook) {
      subscribers.add(hook);
      return () => subscribers.delete(hook);
    },
    start() {
      if (intervalMs > 0) scheduler.start();
    },
    async close() {
      await scheduler.stop();
      watch?.close();
      alerts.close();
    },
  };
}
