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
 * - `stop()` stops pulling, finishes the batches in progress, hands back those pulled but not started,
 *   and closes the connection; the caller then closes the store.
 */
import type { JsMsg } from '@nats-io/jetstream';
import { jetstream } from '@nats-io/jetstream';
import { FaultlineError } from '../core/contract/index.js';
import type { IngestOutcome, Store } from '../store/store.js';
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
}

export interface RunningWorker {
  readonly name: string;
  stats(): WorkerStats;
  /** Stops pulling, finishes what is in progress, hands back the rest and disconnects. */
  stop(): Promise<void>;
  /** Resolves when the worker has stopped (after `stop()`, or when the connection closed). */
  readonly done: Promise<void>;
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
  };
  let stopping = false;
  const inFlight = new Set<Promise<void>>();
  const keepAliveMs = Math.max(250, Math.floor(location.ackWaitMs / 3));

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

  const handle = async (m: JsMsg): Promise<void> => {
    let batch: LoggedBatch;
    try {
      batch = decodeBatch(m.data);
    } catch (e) {
      m.term();
      problem(m, 'terminated', (e as Error).message);
      return;
    }
    const keepAlive = setInterval(() => m.working(), keepAliveMs);
    try {
      const outcome = await storeBatch(store, batch);
      m.ack();
      stats.batches += 1;
      stats.accepted += outcome.accepted;
      stats.duplicates += outcome.duplicates;
      if (m.redelivered) stats.redelivered += 1;
    } catch (e) {
      if (e instanceof FaultlineError || e instanceof LogMessageError) {
        m.term();
        problem(m, 'terminated', e.message);
      } else {
        m.nak(retryDelayMs(m.info.deliveryCount));
        problem(m, 'retry', (e as Error).message);
      }
    } finally {
      clearInterval(keepAlive);
    }
  };

  const done = (async () => {
    for await (const m of messages) {
      if (stopping) {
        m.nak();
        continue;
      }
      while (inFlight.size >= Math.max(1, options.concurrency)) await Promise.race(inFlight);
      const p: Promise<void> = handle(m).finally(() => inFlight.delete(p));
      inFlight.add(p);
    }
    await Promise.all(inFlight);
  })();

  let stopped: Promise<void> | null = null;
  return {
    name,
    stats: () => ({ ...stats }),
    done,
    stop: () => {
      stopped ??= (async () => {
        stopping = true;
        await messages.close();
        await done;
        await nc.drain();
      })();
      return stopped;
    },
  };
}
