/**
 * @module
 * The JetStream objects of the ingestion log, created on first use by whichever process starts first:
 *
 * - the stream: file storage, `WorkQueue` retention (a batch leaves the stream once a worker acknowledged
 *   it, so the stream holds only what is not yet in the store), a two-minute duplicate window on message
 *   ids (a publish retried after a lost answer is stored once), and the URL's `maxBytes` / `maxMessages`
 *   with the `New` discard policy: a full stream refuses the next publish rather than dropping a stored
 *   batch. An existing stream is brought to the URL's limits, except that a limit is not lowered under
 *   what the stream holds: JetStream deletes the oldest messages to fit a lowered limit, whatever the
 *   discard policy, and those are batches already acknowledged to their senders;
 * - the durable pull consumer shared by every worker (the consumer group): explicit acknowledgement,
 *   `ackWaitMs` before an unacknowledged batch goes to another worker, unlimited redeliveries (a batch
 *   that cannot be stored because the database is down must wait, not vanish).
 */
import type { ConsumerInfo, JetStreamManager, StreamInfo, StreamUpdateConfig } from '@nats-io/jetstream';
import {
  AckPolicy,
  DeliverPolicy,
  DiscardPolicy,
  JetStreamApiCodes,
  JetStreamApiError,
  jetstreamManager,
  RetentionPolicy,
  StorageType,
} from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import { connect, nanos } from '@nats-io/transport-node';
import { FaultlineError } from '../core/contract/index.js';
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

/** JetStream's answer when its storage cannot reserve a stream's `max_bytes`. */
const STORAGE_RESOURCES_EXCEEDED = 10047;

/** A stream `maxBytes` larger than JetStream's storage is a setting to fix, said as such. */
function orStorageError(e: unknown, loc: IngestLogLocation): unknown {
  if (!isMissing(e, STORAGE_RESOURCES_EXCEEDED)) return e;
  const reason = `JetStream has no room to reserve ${loc.maxBytes} bytes for stream ${loc.stream}`;
  return new FaultlineError('request.invalid', `invalid ingestion log URL: maxBytes: ${reason}`, {
    hint: 'lower maxBytes in the ingestion log URL, or give JetStream more storage (max_file_store)',
    issues: [{ field: 'maxBytes', reason }],
    cause: e,
  });
}

/** How `ensureStream` reports a change it made (or declined to make) to an existing stream. */
export type StreamNotice = (message: string) => void;

/** What the collector and the workers do with a notice: one line on stderr, next to their other reports. */
const toStderr: StreamNotice = (message) => process.stderr.write(`faultline: ${message}\n`);

/** JetStream writes "no limit" as -1 (and 0 in old configurations). */
const limitText = (n: number) => (n <= 0 ? 'none' : String(n));

/**
 * The changes that bring an existing stream to the location's limits. A limit is lowered only while the
 * stream holds at most half the new one: JetStream deletes the oldest messages to fit a lowered limit,
 * and the half leaves room for batches published between reading the stream and updating it.
 */
export function limitChanges(
  info: StreamInfo,
  loc: IngestLogLocation,
): { update: Partial<StreamUpdateConfig>; changed: string[]; kept: string[] } {
  const update: Partial<StreamUpdateConfig> = {};
  const changed: string[] = [];
  const kept: string[] = [];
  const limits = [
    { key: 'max_bytes', param: 'maxBytes', want: loc.maxBytes, held: info.state.bytes, unit: 'bytes' },
    {
      key: 'max_msgs',
      param: 'maxMessages',
      want: loc.maxMessages ?? -1,
      held: info.state.messages,
      unit: 'batches',
    },
  ] as const;
  for (const { key, param, want, held, unit } of limits) {
    const now = info.config[key];
    if (now === want || (now <= 0 && want <= 0)) continue;
    const lowers = want > 0 && (now <= 0 || want < now);
    if (lowers && held > want / 2) {
      kept.push(
        `${param} stays ${limitText(now)} instead of ${want}: the stream holds ${held} ${unit}, and lowering the limit now would delete acknowledged batches; it is lowered at a later start, once the workers have caught up`,
      );
      continue;
    }
    update[key] = want;
    changed.push(`${param} ${limitText(now)} -> ${limitText(want)}`);
  }
  if (info.config.discard !== DiscardPolicy.New) {
    update.discard = DiscardPolicy.New;
    changed.push(`discard ${info.config.discard} -> new (a full stream refuses new batches)`);
  }
  return { update, changed, kept };
}

/**
 * The stream, created when missing; an existing stream is brought to the location's limits (see
 * `limitChanges`), and every change made or declined is told to `notice`.
 */
export async function ensureStream(
  jsm: JetStreamManager,
  loc: IngestLogLocation,
  notice: StreamNotice = toStderr,
): Promise<StreamInfo> {
  let info: StreamInfo | null = null;
  try {
    info = await jsm.streams.info(loc.stream);
  } catch (e) {
    if (!isMissing(e, JetStreamApiCodes.StreamNotFound)) throw e;
  }
  try {
    if (info === null)
      // Two processes may both get here; adding an identical stream twice is not an error.
      return await jsm.streams.add({
        name: loc.stream,
        subjects: [`${loc.subjectPrefix}.>`],
        retention: RetentionPolicy.Workqueue,
        storage: StorageType.File,
        num_replicas: loc.replicas,
        duplicate_window: nanos(DUPLICATE_WINDOW_MS),
        max_bytes: loc.maxBytes,
        max_msgs: loc.maxMessages ?? -1,
        discard: DiscardPolicy.New,
      });
    const { update, changed, kept } = limitChanges(info, loc);
    for (const k of kept) notice(`ingestion log stream ${loc.stream}: ${k}`);
    if (changed.length === 0) return info;
    const updated = await jsm.streams.update(loc.stream, update);
    notice(`ingestion log stream ${loc.stream}: ${changed.join(', ')}`);
    return updated;
  } catch (e) {
    throw orStorageError(e, loc);
  }
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
