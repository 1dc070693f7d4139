/** What `buildApp` is assembled from: the store, a clock and the settings. `main.ts` builds the real ones. */
import type { Store } from '../store/store.js';
import type { CollectorConfig } from './config.js';
import type { Engine } from './engine/pipeline-engine.js';

/** The time source of the server; tests pass a fixed or stepping clock. */
export interface Clock {
  /** Epoch milliseconds. */
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };

/** A clock that stays at `ms` until moved (`set`, `advance`). */
export function fixedClock(ms: number): Clock & { set(ms: number): void; advance(ms: number): void } {
  let t = ms;
  return {
    now: () => t,
    set: (v) => {
      t = v;
    },
    advance: (d) => {
      t += d;
    },
  };
}

export interface AppDeps {
  store: Store;
  clock: Clock;
  config: Pick<CollectorConfig, 'maxBodyBytes' | 'maxBatchEvents' | 'maxFutureSkewMs'> & {
    maxReferenceBytes?: number;
  };
  /** Package version shown by /health and the OpenAPI document. */
  version: string;
  /** fastify request logging (off in tests). */
  logger?: boolean;
  /** The evaluation engine (expectations, incidents, alerts, /metrics); its routes exist only when given. */
  engine?: Engine;
}
