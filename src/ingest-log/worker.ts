/**
 * @module
 * A worker of the consumer group: pulls logged batches from the shared durable consumer and stores each
 * with one store call (one transaction), acknowledging the message only after that call resolved, i.e.
 * after COMMIT.
 *
 * - A worker that dies (even by SIGKILL) leaves its unacknowledged batches with JetStream, which hands
 *   them to another worker after the ack wait. A batch that was committed but not yet acknowledged is then
 *   stored again, and the store's dedupe by event id counts nothing twice.
 * - A batch the store cannot take now (database down, connection lost) is negatively acknowledged with a
 *   growing delay and comes back; a batch that can never be stored (not a valid message, or refused by the
 *   store) is terminated and reported, so it does not block the stream.
 *   (`term()` carries no reason: servers before 2.10 ignore a terminate that has one.)
 * - While a batch is being stored the worker tells JetStream it is still working on it, so a slow commit
 *   does not send it to a second worker.
 * - Prediction batches of one model pulled together are stored in one transaction when the store can
 *   (`ingestPredictionParts`, PostgreSQL): a window bucket is merged and written once for all of them,
 *   which is most of what a batch costs. Each batch keeps its arrival time and is acknowledged after the
 *   commit, as alone.
 * - `stop()` stops pulling, finishes the batches in progress, hands back those pulled but not started,
 *   and closes the connection; the caller then closes the store.
 */
import type { JsMsg } from '@nats-io/jetstream';
import { jetstream } from '@nats-io/jetstream';
import type { PredictionEvent } from '../core/contract/index.js';
import { FaultlineError } from '../core/contract/index.js';
import type { IngestOutcome, Store, Timed } from '../store/store.js';
import { openLog } from './jetstream.js';
import type { IngestLogLocation } from './location.js';
import type { LoggedBatch } from './message.js';
import { decodeBatch, LogMessageError } from './message.js';

/** Stores one logged batch with the store call its kind calls for (one transaction). */
export function storeBatch(store: Store, batch: LoggedBatch): Promise<IngestOutcome> {
  switch (batch.kind) {
    case 'predictions':
      return store.ingestPredictions(batch.project, batch.model, batch.events, batch.receivedAtMs);
    case 'labels':
      return store.ingestLabels(batch.project, batch.model, batch.events, batch.receivedAtMs);
    case 'feedback':
      return store.ingestFeedback(batch.project, batch.model, batch.events, batch.receivedAtMs);
    case 'heartbeats':
      return store.ingestHeartbeats(batch.project, batch.events, batch.receivedAtMs);
    case 'events':
      return store.ingestEvents(batch.project, batch.events, batch.receivedAtMs);
  }
}

export interface WorkerOptions {
  store: Store;
  location: IngestLogLocation;
  /** Shown in the server's connection list and in reports. */
  name: string;
  /** Batches stored at the same time (each on its own database connection). */
  concurrency: number;
  /** Batches pulled ahead of those in progress. */
  prefetch: number;
  /**
   * Most predictions stored in one transaction when the store takes several batches at once
   * (`ingestPredictionParts`, PostgreSQL): default 10 000.
   */
  maxGroupEvents?: number;
  /** Told about every batch that was terminated or will be retried. */
  onProblem?: (problem: WorkerProblem) => void;
}

export interface WorkerProblem {
  action: 'terminated' | 'retry';
  subject: string;
  streamSequence: number;
  deliveries: number;
  reason: string;
}

export interface WorkerStats {
  /** Batches stored and acknowledged. */
  batches: number;
  /** Events those batches stored for the first time, and events already stored before. */
  accepted: number;
  duplicates: number;
  /** Of the stored batches, those delivered before (to this or another worker). */
  redelivered: number;
  /** Batches handed back for a later attempt, and batches given up. */
  retried: number;
  terminated: number;
  /** Store calls made: one per batch, or one per group of prediction batches of one model. */
  transactions: number;
}

export interface RunningWorker {
  readonly name: string;
  stats(): WorkerStats;
  /** Stops pulling, finishes what is in progress, hands back the rest and disconnects. */
  stop(): Promise<void>;
  /** Resolves when the worker has stopped (after `stop()`, or when the connection closed). */
  readonly done: Promise<void>;
}

/** A store that takes several prediction batches of one model in one transaction (the PostgreSQL engine). */
export interface GroupingStore {
  ingestPredictionParts(
    project: string,
    model: string,
    parts: { events: Timed<PredictionEvent>[]; receivedAtMs: number }[],
  ): Promise<IngestOutcome[]>;
}

function canGroup(store: Store): boolean {
  return typeof (store as Partial<GroupingStore>).ingestPredictionParts === 'function';
}

/**
 * Merging a window bucket costs about the same for 250 events as for 10 000, so a worker stores the
 * prediction batches of one model it has pulled together in one transaction, up to this many events.
 */
export const DEFAULT_MAX_GROUP_EVENTS = 10_000;

interface Pulled {
  m: JsMsg;
  batch: LoggedBatch;
}

function storeGroup(store: Store & GroupingStore, group: Pulled[]): Promise<IngestOutcome[]> {
  const first = (group[0] as Pulled).batch as Extract<LoggedBatch, { kind: 'predictions' }>;
  const parts = group.map((g) => {
    const b = g.batch as Extract<LoggedBatch, { kind: 'predictions' }>;
    return { events: b.events, receivedAtMs: b.receivedAtMs };
  });
  return store.ingestPredictionParts(first.project, first.model, parts);
}

/** Wakes everyone waiting for the queue or the slots to change. */
class Signal {
  private waiters: (() => void)[] = [];
  wait(): Promise<void> {
    return new Promise((resolve) => this.waiters.push(resolve));
  }
  wake(): void {
    const w = this.waiters;
    this.waiters = [];
    for (const f of w) f();
  }
}

/** Delay before a failed batch comes back: 0.5 s doubling per delivery, at most 30 s. */
export function retryDelayMs(deliveries: number): number {
  return Math.min(30_000, 500 * 2 ** Math.max(0, deliveries - 1));
}

/** Connects to the log, joins the consumer group and processes batches until stopped. */
export async function startWorker(options: WorkerOptions): Promise<RunningWorker> {
  const { store, location, name } = options;
  const { nc } = await openLog(location, name, { consumer: true });
  const consumer = await jetstream(nc).consumers.get(location.stream, location.consumer);
  const messages = await consumer.consume({ max_messages: Math.max(1, options.prefetch) });
  const stats: WorkerStats = {
    batches: 0,
    accepted: 0,
    duplicates: 0,
    redelivered: 0,
    retried: 0,
    terminated: 0,
    transactions: 0,
  };
  let stopping = false;
  const inFlight = new Set<Promise<void>>();
  const keepAliveMs = Math.max(250, Math.floor(location.ackWaitMs / 3));
  const prefetch = Math.max(1, options.prefetch);
  const concurrency = Math.max(1, options.concurrency);
  const maxGroupEvents = Math.max(1, options.maxGroupEvents ?? DEFAULT_MAX_GROUP_EVENTS);
  const grouping = canGroup(store);
  /** Pulled and decoded, not started yet; at most `prefetch`. */
  const queue: Pulled[] = [];
  const changed = new Signal();
  let readerDone = false;

  const problem = (m: JsMsg, action: WorkerProblem['action'], reason: string) => {
    if (action === 'terminated') stats.terminated += 1;
    else stats.retried += 1;
    options.onProblem?.({
      action,
      subject: m.subject,
      streamSequence: m.seq,
      deliveries: m.info.deliveryCount,
      reason,
    });
  };

  /** The next batch, with the queued prediction batches of the same model when the store can group them. */
  const takeGroup = (): Pulled[] => {
    const first = queue.shift() as Pulled;
    const group = [first];
    const b = first.batch;
    if (!grouping || b.kind !== 'predictions') return group;
    let events = b.events.length;
    for (let i = 0; i < queue.length && events < maxGroupEvents; ) {
      const q = (queue[i] as Pulled).batch;
      if (
        q.kind === 'predictions' &&
        q.project === b.project &&
        q.model === b.model &&
        events + q.events.length <= maxGroupEvents
      ) {
        group.push(queue.splice(i, 1)[0] as Pulled);
        events += q.events.length;
      } else i++;
    }
    return group;
  };

  const handle = async (group: Pulled[]): Promise<void> => {
    const keepAlive = setInterval(() => {
      for (const g of group) g.m.working();
    }, keepAliveMs);
    try {
      const outcomes =
        group.length === 1
          ? [await storeBatch(store, (group[0] as Pulled).batch)]
          : await storeGroup(store as Store & GroupingStore, group);
      for (const [i, g] of group.entries()) {
        g.m.ack();
        stats.batches += 1;
        stats.accepted += outcomes[i]?.accepted ?? 0;
        stats.duplicates += outcomes[i]?.duplicates ?? 0;
        if (g.m.redelivered) stats.redelivered += 1;
      }
      stats.transactions += 1;
    } catch (e) {
      for (const g of group)
        if (e instanceof FaultlineError || e instanceof LogMessageError) {
          g.m.term();
          problem(g.m, 'terminated', e.message);
        } else {
          g.m.nak(retryDelayMs(g.m.info.deliveryCount));
          problem(g.m, 'retry', (e as Error).message);
        }
    } finally {
      clearInterval(keepAlive);
    }
  };

  // Pulls and decodes; a message that is not a batch is terminated here, never queued.
  const reader = (async () => {
    for await (const m of messages) {
      if (stopping) {
        m.nak();
        continue;
      }
      try {
        queue.push({ m, batch: decodeBatch(m.data) });
      } catch (e) {
        m.term();
        problem(m, 'terminated', (e as Error).message);
        continue;
      }
      changed.wake();
      while (queue.length >= prefetch && !stopping) await changed.wait();
    }
    readerDone = true;
    changed.wake();
  })();

  // Starts a store call whenever one of the `concurrency` slots is free.
  const dispatcher = (async () => {
    for (;;) {
      if (stopping) for (const q of queue.splice(0)) q.m.nak();
      if (queue.length === 0 || inFlight.size >= concurrency) {
        if (readerDone && queue.length === 0) break;
        await changed.wait();
        continue;
      }
      const p: Promise<void> = handle(takeGroup()).finally(() => {
        inFlight.delete(p);
        changed.wake();
      });
      inFlight.add(p);
      changed.wake();
    }
    await Promise.all(inFlight);
  })();
  const done = Promise.all([reader, dispatcher]).then(() => undefined);

  let stopped: Promise<void> | null = null;
  return {
    name,
    stats: () => ({ ...stats }),
    done,
    stop: () => {
      stopped ??= (async () => {
        stopping = true;
        changed.wake();
        await messages.close();
        await done;
        await nc.drain();
      })();
      return stopped;
    },
  };
}
