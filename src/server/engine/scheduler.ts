/**
 * @module
 * Runs the evaluation pipeline as the watermarks move: every `intervalMs` it looks at each model of each project
 * and evaluates the models whose watermark changed since the last look (or that still have windows waiting).
 * Collectors sharing a store each run a scheduler over every model: a model's run holds the model's lease in the
 * store, and a scheduler that finds it held leaves the model to its holder and looks again next time (pipeline.ts),
 * so each window is evaluated once and the models are spread over the collectors as their runs fall. Looking
 * costs reads only until a window is due.
 *
 * A model that goes quiet: the watermark moves only with events, so when a whole service stops (every instance
 * down, nothing sent, not even heartbeats) its windows would never close and the outage would never be
 * evaluated. So for a *live* model — one whose latest event, when it arrived, was about as recent as the wall
 * clock (within the allowed lateness plus a bucket) — event time runs on at wall-clock speed once no event has
 * moved its watermark for `idleAfterMs`: the windows of the silence close one by one and are evaluated, and the
 * heartbeat and traffic expectations see the gap. A model fed old events (a back-fill, a replay) is not live and
 * waits for events as before. An event arriving later for a window closed this way is stored but, like any event
 * later than the allowed lateness, not evaluated again.
 */
import type { ModelRecord } from '../../store/store.js';
import type { Clock } from '../deps.js';
import { watermarkOf } from '../wire.js';
import type { EngineStore, Pipeline, PipelineRun } from './pipeline.js';

export interface SchedulerOptions {
  store: EngineStore;
  pipeline: Pipeline;
  /** Time between looks (default 1000 ms). */
  intervalMs?: number;
  /** Wall clock: how long a live model has been quiet. */
  clock: Clock;
  /** Quiet this long, a live model's event time runs on at wall speed (default 60 000 ms; 0 turns it off). */
  idleAfterMs?: number;
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

/** Where a model's watermark last moved, in event time and on the wall clock, and whether it was live then. */
interface LastMove {
  watermark: number;
  atWallMs: number;
  live: boolean;
}

/**
 * The event time to evaluate a quiet live model up to: its watermark plus the wall time since the watermark last
 * moved; null while it is not quiet (or not live), when the watermark alone decides.
 */
export function quietUntil(move: LastMove, nowWallMs: number, idleAfterMs: number): number | null {
  if (!move.live || idleAfterMs <= 0) return null;
  const quietFor = nowWallMs - move.atWallMs;
  return quietFor >= idleAfterMs ? move.watermark + quietFor : null;
}

/** Live: the latest event was, when the watermark moved, no older than the lateness allowed plus one bucket. */
export function isLive(model: ModelRecord, nowWallMs: number): boolean {
  return (
    model.latestEventMs !== null &&
    nowWallMs - model.latestEventMs <= model.allowedLatenessMs + model.bucketMs
  );
}

export function createScheduler(options: SchedulerOptions): Scheduler {
  const { store, pipeline } = options;
  const intervalMs = options.intervalMs ?? 1000;
  const idleAfterMs = options.idleAfterMs ?? 60_000;
  const moves = new Map<string, LastMove>();
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
    const runs: PipelineRun[] = [];
    for (const project of await store.listProjects())
      for (const model of await store.listModels(project)) {
        const key = `${project}\u0000${model.name}`;
        const wm = watermarkOf(model);
        if (wm === null) continue;
        const now = options.clock.now();
        let move = moves.get(key);
        if (move?.watermark !== wm) {
          move = { watermark: wm, atWallMs: now, live: isLive(model, now) };
          moves.set(key, move);
        }
        const untilMs = quietUntil(move, now, idleAfterMs);
        if (untilMs === null && seen.get(key) === wm) continue;
        try {
          // A model someone is evaluating now (POST /v1/evaluate on another collector) is looked at next time.
          const run = await pipeline.runModel(project, model.name, {
            wait: false,
            ...(untilMs === null ? {} : { untilMs }),
          });
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
    },
    tick,
    invalidate() {
      seen.clear();
    },
  };
}
