/**
 * @module
 * What the ingestion log carries: one accepted batch (or a slice of one) per message, as JSON
 *
 *   { "v": 1, "kind": "predictions", "project": "acme", "model": "churn", "receivedAtMs": …, "events": [ … ] }
 *
 * `kind` is one of predictions, labels, feedback (these name a `model`), heartbeats or events. Events are
 * the collector's validated events with their times filled in (epoch ms). A batch larger than the
 * server's message limit is split into several messages, each a valid batch on its own: windows and
 * dedupe by event id make the split invisible.
 *
 * Decoding checks the envelope and every event again with the contract's schemas: the stream may be
 * written by other tools, and a worker must never store what the HTTP API would have rejected.
 */
import { z } from 'zod';
import type {
  FeedbackEvent,
  GenericEvent,
  Heartbeat,
  LabelEvent,
  PredictionEvent,
} from '../core/contract/index.js';
import {
  FeedbackEventSchema,
  GenericEventSchema,
  HeartbeatSchema,
  LabelEventSchema,
  NameSchema,
  PredictionEventSchema,
  ProjectNameSchema,
} from '../core/contract/index.js';
import type { Timed } from '../store/store.js';

export const LOG_FORMAT_VERSION = 1;

export const BATCH_KINDS = ['predictions', 'labels', 'feedback', 'heartbeats', 'events'] as const;
export type BatchKind = (typeof BATCH_KINDS)[number];

interface Base {
  project: string;
  receivedAtMs: number;
}

/** One logged batch: what one ingestion call would store. */
export type LoggedBatch =
  | (Base & { kind: 'predictions'; model: string; events: Timed<PredictionEvent>[] })
  | (Base & { kind: 'labels'; model: string; events: Timed<LabelEvent>[] })
  | (Base & { kind: 'feedback'; model: string; events: Timed<FeedbackEvent>[] })
  | (Base & { kind: 'heartbeats'; events: Timed<Heartbeat>[] })
  | (Base & { kind: 'events'; events: Timed<GenericEvent>[] });

/** A message that is not a batch this version can read; `field` names the offending part. */
export class LogMessageError extends Error {
  constructor(
    readonly field: string,
    reason: string,
  ) {
    super(`ingestion log message: ${field}: ${reason}`);
    this.name = 'LogMessageError';
  }
}

const EnvelopeSchema = z.strictObject({
  v: z.literal(LOG_FORMAT_VERSION),
  kind: z.enum(BATCH_KINDS),
  project: ProjectNameSchema,
  model: NameSchema.optional(),
  receivedAtMs: z.number().int().min(0),
  events: z.array(z.unknown()).min(1),
});

const EVENT_SCHEMAS: Record<BatchKind, z.ZodType> = {
  predictions: PredictionEventSchema,
  labels: LabelEventSchema,
  feedback: FeedbackEventSchema,
  heartbeats: HeartbeatSchema,
  events: GenericEventSchema,
};

const needsModel = (kind: BatchKind) => kind === 'predictions' || kind === 'labels' || kind === 'feedback';

const encoder = new TextEncoder();
const decoder = new TextDecoder();

function envelopeOf(batch: LoggedBatch, events: readonly unknown[]): string {
  const model = 'model' in batch ? `,"model":${JSON.stringify(batch.model)}` : '';
  return `{"v":${LOG_FORMAT_VERSION},"kind":"${batch.kind}","project":${JSON.stringify(batch.project)}${model},"receivedAtMs":${batch.receivedAtMs},"events":[${events.join(',')}]}`;
}

/**
 * Encodes a batch as one or more messages of at most `maxBytes` each, keeping event order. Throws
 * `LogMessageError` when a single event is larger than the limit on its own.
 */
export function encodeBatch(batch: LoggedBatch, maxBytes: number): Uint8Array[] {
  const overhead = encoder.encode(envelopeOf(batch, [])).length;
  const out: Uint8Array[] = [];
  let part: string[] = [];
  let size = overhead;
  const flush = () => {
    if (part.length > 0) out.push(encoder.encode(envelopeOf(batch, part)));
    part = [];
    size = overhead;
  };
  batch.events.forEach((e, i) => {
    const text = JSON.stringify(e);
    const bytes = encoder.encode(text).length + 1;
    if (overhead + bytes > maxBytes)
      throw new LogMessageError(
        `events[${i}]`,
        `${bytes} bytes do not fit in one log message (limit ${maxBytes} bytes)`,
      );
    if (size + bytes > maxBytes) flush();
    part.push(text);
    size += bytes;
  });
  flush();
  return out;
}

/** Decodes and checks one message; throws `LogMessageError` naming the first problem. */
export function decodeBatch(bytes: Uint8Array): LoggedBatch {
  let raw: unknown;
  try {
    raw = JSON.parse(decoder.decode(bytes));
  } catch (e) {
    throw new LogMessageError('(message)', `not JSON: ${(e as Error).message}`);
  }
  const env = EnvelopeSchema.safeParse(raw);
  if (!env.success) {
    const issue = env.error.issues[0];
    throw new LogMessageError(issue?.path.join('.') || '(envelope)', issue?.message ?? 'invalid envelope');
  }
  const { kind, project, model, receivedAtMs } = env.data;
  if (needsModel(kind) && model === undefined) throw new LogMessageError('model', `required for ${kind}`);
  const schema = EVENT_SCHEMAS[kind];
  const events = env.data.events.map((e, i) => {
    const r = schema.safeParse(e);
    if (!r.success) {
      const issue = r.error.issues[0];
      throw new LogMessageError(
        `events[${i}]${issue && issue.path.length > 0 ? `.${issue.path.join('.')}` : ''}`,
        issue?.message ?? 'invalid event',
      );
    }
    const out = r.data as { timestamp?: number };
    if (out.timestamp === undefined)
      throw new LogMessageError(`events[${i}].timestamp`, 'required in the log');
    return out;
  });
  return { kind, project, model, receivedAtMs, events } as LoggedBatch;
}
