/**
 * @module
 * The collector's side of the ingestion log: `append(batch)` resolves once JetStream has stored every
 * message of the batch (the publish acknowledgement), so a collector that answers 200 after it has lost
 * nothing, even if it dies the next instant.
 */
import { randomUUID } from 'node:crypto';
import type { JetStreamClient } from '@nats-io/jetstream';
import { jetstream } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
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
    await Promise.all(
      parts.map((p, i) => this.js.publish(subject, p, { msgID: `${id}:${i}`, timeout: PUBLISH_TIMEOUT_MS })),
    );
    return { messages: parts.length };
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.nc.drain();
  }
}
