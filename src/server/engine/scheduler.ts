/**
 * @module
 * Runs the evaluation pipeline as the watermarks move: every `intervalMs` it looks at each model of each project
 * and evaluates the models whose watermark changed since the last look (or that still have windows waiting).
 * A lease in the store makes one collector process do it when several share the store.
 */
import { randomBytes } from 'node:crypto';
import { watermarkOf } from '../wire.js';
import type { EngineStore, Pipeline, PipelineRun } from './pipeline.js';

export interface SchedulerOptions {
  store: EngineStore;
  pipeline: Pipeline;
  /** Time between looks (default 1000 ms). */
  intervalMs?: number;
  /** This process's name for the lease (default: random). */
  holder?: string;
  onError?: (error: unknown, context: string) => void;
}

export interface Scheduler {
  start(): void;
  /** Stops looking and waits for a run in progress. */
  stop(): Promise<void>;
  /** One look now (what the timer does); resolves with the runs that evaluated windows. */
  tick(): Promise<PipelineRun[]>;
  /** Looks at every model again at the next tick, moved watermark or not (expectations changed). */
  invalidate(): void;
}

export const PIPELINE_LEASE = 'faultline:evaluation';

export function createScheduler(options: SchedulerOptions): Scheduler {
  const { store, pipeline } = options;
  const intervalMs = options.intervalMs ?? 1000;
  const holder = options.holder ?? `collector-${randomBytes(6).toString('hex')}`;
  const onError =
    options.onError ??
    ((e: unknown, context: string) =>
      process.stderr.write(`faultline: ${context}: ${e instanceof Error ? e.message : String(e)}\n`));
  /** The watermark each model was last evaluated at; models with windows left over are looked at again. */
  const seen = new Map<string, number | null>();
  let timer: NodeJS.Timeout | null = null;
  let running: Promise<PipelineRun[]> | null = null;
  let stopped = true;

  async function look(): Promise<PipelineRun[]> {
    const lease = await store.tryAcquireLease(PIPELINE_LEASE, holder, Math.max(30_000, 3 * intervalMs));
    if (!lease.acquired) return [];
    const runs: PipelineRun[] = [];
    for (const project of await store.listProjects())
      for (const model of await store.listModels(project)) {
        const key = `${project}\u0000${model.name}`;
        const wm = watermarkOf(model);
        if (wm === null || seen.get(key) === wm) continue;
        try {
          // A model someone is evaluating now (POST /v1/evaluate on another collector) is looked at next time.
          const run = await pipeline.runModel(project, model.name, { wait: false });
          if (run.more || run.heldBy !== null) seen.delete(key);
          else seen.set(key, wm);
          if (run.windows.length > 0) runs.push(run);
        } catch (e) {
          onError(e, `evaluating ${project}/${model.name}`);
        }
      }
    return runs;
  }

  function tick(): Promise<PipelineRun[]> {
    running ??= look().finally(() => {
      running = null;
    });
    return running;
  }

  function schedule(): void {
    if (stopped) return;
    timer = setTimeout(() => {
      tick()
        .catch((e) => onError(e, 'evaluation tick'))
        .finally(schedule);
    }, intervalMs);
    timer.unref?.();
  }

  return {
    start() {
      if (!stopped) return;
      stopped = false;
      schedule();
    },
    async stop() {
      stopped = true;
      if (timer !== null) clearTimeout(timer);
      timer = null;
      await running?.catch(() => undefined);
      await store.releaseLease(PIPELINE_LEASE, holder).catch(() => false);
    },
    tick,
    invalidate() {
      seen.clear();
    },
  };
}
