/**
 * @module
 * The collector's side of the ingestion log: `append(batch)` resolves once JetStream has stored every
 * message of the batch (the publish acknowledgement), so a collector that answers 200 after it has lost
 * nothing, even if it dies the next instant.
 *
 * A stream at its `maxBytes` / `maxMessages` refuses the publish (discard policy `New`): `append` throws
 * `IngestLogFullError` and the batch is to be sent again later, once the workers have made room. Part of a
 * batch split over several messages may be stored by then; sent again, those events are stored once (the
 * workers drop repeats by event id). A batch larger than the whole stream could never fit, so it is
 * refused as too large instead of as full.
 */
import { randomUUID } from 'node:crypto';
import type { JetStreamClient } from '@nats-io/jetstream';
import { JetStreamApiError, jetstream } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import { FaultlineError } from '../core/contract/index.js';
import { openLog } from './jetstream.js';
import type { IngestLogLocation } from './location.js';
import type { LoggedBatch } from './message.js';
import { encodeBatch } from './message.js';

/** What a collector needs of the log. */
export interface IngestLogAppender {
  /** Stores a batch in the log; resolves after JetStream acknowledged every message of it. */
  append(batch: LoggedBatch): Promise<{ messages: number }>;
  close(): Promise<void>;
}

/** Room left under the server's message limit for headers (message id) and framing. */
const HEADER_ROOM_BYTES = 4096;
/** How long one publish waits for JetStream's acknowledgement before the batch fails. */
export const PUBLISH_TIMEOUT_MS = 10_000;
/**
 * What JetStream counts for a stored message beyond its payload and subject: the message id header
 * (about 60 bytes) and the file store's own framing (about 30), rounded up.
 */
const STORED_OVERHEAD_BYTES = 128;

/** The stream is at its limits: the batch was not (wholly) logged and is to be sent again later. */
export class IngestLogFullError extends Error {
  constructor(
    readonly stream: string,
    /** JetStream's reason, e.g. "maximum bytes exceeded". */
    readonly reason: string,
  ) {
    super(`ingestion log stream ${stream} is full: ${reason}`);
    this.name = 'IngestLogFullError';
  }
}

/**
 * JetStream's refusal of a publish by a stream at its limits with the `New` discard policy: code 10077
 * ("stream store failed") with the limit in the description. The same code with another description
 * (a disk error) is not a full stream.
 */
export function isStreamFull(e: unknown): e is JetStreamApiError {
  return (
    e instanceof JetStreamApiError && e.code === 10077 && /^maximum (bytes|messages) exceeded/.test(e.message)
  );
}

export class IngestLogPublisher implements IngestLogAppender {
  private closed = false;

  private constructor(
    private readonly nc: NatsConnection,
    private readonly js: JetStreamClient,
    readonly location: IngestLogLocation,
  ) {}

  /** Connects to the log and creates its stream when missing. */
  static async connect(loc: IngestLogLocation, name = 'faultline-collector'): Promise<IngestLogPublisher> {
    const { nc } = await openLog(loc, name, { consumer: false });
    return new IngestLogPublisher(nc, jetstream(nc), loc);
  }

  /** Largest message the server takes, less room for headers. */
  get maxMessageBytes(): number {
    return (this.nc.info?.max_payload ?? 1_048_576) - HEADER_ROOM_BYTES;
  }

  async append(batch: LoggedBatch): Promise<{ messages: number }> {
    const parts = encodeBatch(batch, this.maxMessageBytes);
    const id = randomUUID();
    const subject = `${this.location.subjectPrefix}.${batch.kind}`;
    this.checkFits(parts, subject);
    try {
      await Promise.all(
        parts.map((p, i) =>
          this.js.publish(subject, p, { msgID: `${id}:${i}`, timeout: PUBLISH_TIMEOUT_MS }),
        ),
      );
    } catch (e) {
      if (isStreamFull(e)) throw new IngestLogFullError(this.location.stream, e.message);
      throw e;
    }
    return { messages: parts.length };
  }

  /** Refuses, as too large, a batch that would not fit even in an empty stream. */
  private checkFits(parts: Uint8Array[], subject: string): void {
    const { maxBytes, maxMessages, stream } = this.location;
    const bytes = parts.reduce((n, p) => n + p.length + subject.length + STORED_OVERHEAD_BYTES, 0);
    const reason =
      bytes > maxBytes
        ? `the batch takes about ${bytes} bytes in the ingestion log, more than its maxBytes (${maxBytes})`
        : maxMessages !== null && parts.length > maxMessages
          ? `the batch takes ${parts.length} log messages, more than its maxMessages (${maxMessages})`
          : null;
    if (reason === null) return;
    throw new FaultlineError('request.body_too_large', `${reason}; nothing of the batch was stored`, {
      hint: `send smaller batches, or raise maxBytes / maxMessages of the ingestion log (stream ${stream})`,
      issues: [{ field: '(batch)', reason: 'larger than the whole ingestion log' }],
    });
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.nc.drain();
  }
}
