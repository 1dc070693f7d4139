/**
 * @module
 * The JetStream objects of the ingestion log, created on first use by whichever process starts first:
 *
 * - the stream: file storage, `WorkQueue` retention (a batch leaves the stream once a worker acknowledged
 *   it, so the stream holds only what is not yet in the store), a two-minute duplicate window on message
 *   ids (a publish retried after a lost answer is stored once);
 * - the durable pull consumer shared by every worker (the consumer group): explicit acknowledgement,
 *   `ackWaitMs` before an unacknowledged batch goes to another worker, unlimited redeliveries (a batch
 *   that cannot be stored because the database is down must wait, not vanish).
 */
import type { ConsumerInfo, JetStreamManager, StreamInfo } from '@nats-io/jetstream';
import {
  AckPolicy,
  DeliverPolicy,
  JetStreamApiCodes,
  JetStreamApiError,
  jetstreamManager,
  RetentionPolicy,
  StorageType,
} from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import { connect, nanos } from '@nats-io/transport-node';
import type { IngestLogLocation } from './location.js';

/** Duplicate window of the stream (JetStream's default): long enough for any publish retry. */
export const DUPLICATE_WINDOW_MS = 120_000;
/** Batches one worker may hold unacknowledged at once, across its prefetch and its work in progress. */
export const MAX_ACK_PENDING = 1_000;

/** Connects to the log's servers; `name` shows in the server's connection list. */
export async function connectLog(loc: IngestLogLocation, name: string): Promise<NatsConnection> {
  return connect({ servers: loc.servers, name, maxReconnectAttempts: -1, reconnectTimeWait: 1000 });
}

const isMissing = (e: unknown, code: number) => e instanceof JetStreamApiError && e.code === code;

/** The stream, created when missing; an existing stream is used as it is. */
export async function ensureStream(jsm: JetStreamManager, loc: IngestLogLocation): Promise<StreamInfo> {
  try {
    return await jsm.streams.info(loc.stream);
  } catch (e) {
    if (!isMissing(e, JetStreamApiCodes.StreamNotFound)) throw e;
  }
  // Two processes may both get here; adding an identical stream twice is not an error.
  return jsm.streams.add({
    name: loc.stream,
    subjects: [`${loc.subjectPrefix}.>`],
    retention: RetentionPolicy.Workqueue,
    storage: StorageType.File,
    num_replicas: loc.replicas,
    duplicate_window: nanos(DUPLICATE_WINDOW_MS),
  });
}

/** The workers' durable consumer, created when missing and brought to `ackWaitMs` when it differs. */
export async function ensureConsumer(jsm: JetStreamManager, loc: IngestLogLocation): Promise<ConsumerInfo> {
  let info: ConsumerInfo | null = null;
  try {
    info = await jsm.consumers.info(loc.stream, loc.consumer);
  } catch (e) {
    if (!isMissing(e, JetStreamApiCodes.ConsumerNotFound)) throw e;
  }
  if (info === null)
    return jsm.consumers.add(loc.stream, {
      durable_name: loc.consumer,
      ack_policy: AckPolicy.Explicit,
      deliver_policy: DeliverPolicy.All,
      ack_wait: nanos(loc.ackWaitMs),
      max_deliver: -1,
      max_ack_pending: MAX_ACK_PENDING,
      filter_subject: `${loc.subjectPrefix}.>`,
    });
  if (info.config.ack_wait !== nanos(loc.ackWaitMs))
    return jsm.consumers.update(loc.stream, loc.consumer, { ack_wait: nanos(loc.ackWaitMs) });
  return info;
}

/** Connects and makes sure the stream (and, for workers, the consumer) exists. */
export async function openLog(
  loc: IngestLogLocation,
  name: string,
  options: { consumer: boolean },
): Promise<{ nc: NatsConnection; jsm: JetStreamManager }> {
  const nc = await connectLog(loc, name);
  try {
    const jsm = await jetstreamManager(nc);
    await ensureStream(jsm, loc);
    if (options.consumer) await ensureConsumer(jsm, loc);
    return { nc, jsm };
  } catch (e) {
    await nc.close();
    throw e;
  }
}

/** What the consumer group still has to do: batches not yet delivered, and delivered but unacknowledged. */
export interface Backlog {
  pending: number;
  ackPending: number;
  /** Redeliveries the server reports for the consumer. */
  redelivered: number;
}

/** The consumer group's backlog (zero in both counts once every logged batch is in the store). */
export async function backlogOf(jsm: JetStreamManager, loc: IngestLogLocation): Promise<Backlog> {
  const info = await jsm.consumers.info(loc.stream, loc.consumer);
  return { pending: info.num_pending, ackPending: info.num_ack_pending, redelivered: info.num_redelivered };
}
