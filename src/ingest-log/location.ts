/**
 * @module
 * Where the ingestion log lives: a `nats://` URL naming the servers, and as query parameters the JetStream
 * stream, the subject prefix, the durable consumer shared by the workers, the stream's replica count, how
 * long a worker may hold a message before JetStream gives it to another, and how much the stream may hold.
 *
 * `nats://host:4222?stream=FAULTLINE_INGEST&consumer=faultline-workers&ackWaitMs=30000&maxBytes=4GiB`;
 * several servers: `nats://a:4222,b:4222,c:4222?replicas=3`.
 *
 * The stream is bounded by size (`maxBytes`) and optionally by count (`maxMessages`), never by age: a batch
 * in the stream was acknowledged to its sender, so expiring it would lose it silently. A full stream
 * refuses new batches instead (the collector answers 503 and the sender retries later).
 */
import { FaultlineError } from '../core/contract/index.js';

export interface IngestLogLocation {
  /** Server URLs, as the NATS client takes them. */
  servers: string[];
  /** JetStream stream holding accepted batches. */
  stream: string;
  /** Subjects are `<subjectPrefix>.<kind>` (predictions, labels, feedback, heartbeats, events). */
  subjectPrefix: string;
  /** Durable pull consumer shared by every worker: the consumer group. */
  consumer: string;
  /** Copies of the stream kept by a NATS cluster (1 on a single server). */
  replicas: number;
  /** A message not acknowledged this long after delivery goes to another worker. */
  ackWaitMs: number;
  /** Most bytes the stream holds (as JetStream counts them: payload, subject, headers); then it refuses. */
  maxBytes: number;
  /** Most batches (messages) the stream holds; null: no limit but `maxBytes`. */
  maxMessages: number | null;
}

export const DEFAULT_INGEST_STREAM = 'FAULTLINE_INGEST';
export const DEFAULT_INGEST_SUBJECT_PREFIX = 'faultline.ingest';
export const DEFAULT_INGEST_CONSUMER = 'faultline-workers';
/**
 * 30 s: far longer than one batch takes to commit (the worker also reports progress while it works), short
 * enough that the batches of a killed worker are processed by another within half a minute.
 */
export const DEFAULT_ACK_WAIT_MS = 30_000;
/**
 * 1 GiB: about 3.9 million predictions of a dozen features (some 280 bytes each in the log), so hours of
 * a steady collector's traffic with the workers stopped, yet small enough for most JetStream disks, which
 * reserve a stream's `maxBytes` when it is created.
 */
export const DEFAULT_MAX_BYTES = 1024 ** 3;
/** Below this a stream could not hold even one ordinary batch. */
const MIN_MAX_BYTES = 1024;

const SIZE_UNITS: Record<string, number> = {
  '': 1,
  KiB: 1024,
  MiB: 1024 ** 2,
  GiB: 1024 ** 3,
  TiB: 1024 ** 4,
};

/** `1073741824`, `512MiB`, `4GiB`: a whole number of bytes, or of KiB, MiB, GiB or TiB. */
function parseSize(text: string): number | null {
  const m = /^(\d+)(KiB|MiB|GiB|TiB)?$/.exec(text);
  if (m === null) return null;
  const bytes = Number(m[1]) * (SIZE_UNITS[m[2] ?? ''] as number);
  return Number.isSafeInteger(bytes) ? bytes : null;
}

/** Stream and consumer names: letters, digits, `_` and `-` (JetStream forbids `.`, `*`, `>` and spaces). */
const NAME_RE = /^[A-Za-z0-9_-]{1,64}$/;
/** Subject prefix: dot-separated tokens without wildcards. */
const SUBJECT_RE = /^[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]+)*$/;

function invalid(field: string, reason: string, hint: string): FaultlineError {
  return new FaultlineError('request.invalid', `invalid ingestion log URL: ${field} ${reason}`, {
    hint,
    issues: [{ field, reason }],
  });
}

/** True for a URL the ingestion log takes. */
export function isNatsUrl(value: string): boolean {
  return /^nats:\/\//i.test(value);
}

/** Reads an ingestion log URL; throws `request.invalid` naming the bad part. */
export function parseIngestLogUrl(url: string): IngestLogLocation {
  if (!isNatsUrl(url))
    throw invalid('url', 'must start with nats://', 'e.g. nats://127.0.0.1:4222?stream=FAULTLINE_INGEST');
  const q = url.indexOf('?');
  const serverPart = q < 0 ? url : url.slice(0, q);
  const params = new URLSearchParams(q < 0 ? '' : url.slice(q + 1));
  const servers = serverPart
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0)
    .map((s) => (isNatsUrl(s) ? s : `nats://${s}`));
  for (const s of servers) {
    try {
      new URL(s);
    } catch {
      throw invalid('servers', `"${s}" is not a server address`, 'e.g. nats://host:4222,host2:4222');
    }
  }
  const known = new Set([
    'stream',
    'subject',
    'consumer',
    'replicas',
    'ackWaitMs',
    'maxBytes',
    'maxMessages',
  ]);
  for (const key of params.keys())
    if (!known.has(key)) throw invalid(key, 'is not a known parameter', `use ${[...known].join(', ')}`);
  const stream = params.get('stream') ?? DEFAULT_INGEST_STREAM;
  if (!NAME_RE.test(stream))
    throw invalid('stream', `"${stream}" is not a stream name`, 'use letters, digits, "_" or "-"');
  const consumer = params.get('consumer') ?? DEFAULT_INGEST_CONSUMER;
  if (!NAME_RE.test(consumer))
    throw invalid('consumer', `"${consumer}" is not a consumer name`, 'use letters, digits, "_" or "-"');
  const subjectPrefix = params.get('subject') ?? DEFAULT_INGEST_SUBJECT_PREFIX;
  if (!SUBJECT_RE.test(subjectPrefix))
    throw invalid(
      'subject',
      `"${subjectPrefix}" is not a subject prefix`,
      'use dot-separated words without * or >',
    );
  const replicas = Number(params.get('replicas') ?? '1');
  if (!Number.isInteger(replicas) || replicas < 1 || replicas > 5)
    throw invalid(
      'replicas',
      `"${params.get('replicas')}" is not 1 to 5`,
      'JetStream keeps 1, 3 or 5 copies',
    );
  const ackWaitMs = Number(params.get('ackWaitMs') ?? DEFAULT_ACK_WAIT_MS);
  if (!Number.isInteger(ackWaitMs) || ackWaitMs < 500 || ackWaitMs > 3_600_000)
    throw invalid(
      'ackWaitMs',
      `"${params.get('ackWaitMs')}" is not 500 to 3600000`,
      'milliseconds before an unacknowledged batch is redelivered',
    );
  const maxBytesText = params.get('maxBytes');
  const maxBytes = maxBytesText === null ? DEFAULT_MAX_BYTES : parseSize(maxBytesText);
  if (maxBytes === null || maxBytes < MIN_MAX_BYTES)
    throw invalid(
      'maxBytes',
      `"${maxBytesText}" is not a size of at least ${MIN_MAX_BYTES} bytes`,
      'bytes the stream may hold, e.g. 1073741824, 512MiB or 4GiB',
    );
  const maxMessagesText = params.get('maxMessages');
  const maxMessages = maxMessagesText === null ? null : Number(maxMessagesText);
  if (
    maxMessages !== null &&
    !(/^\d+$/.test(maxMessagesText ?? '') && Number.isSafeInteger(maxMessages) && maxMessages >= 1)
  )
    throw invalid(
      'maxMessages',
      `"${maxMessagesText}" is not a whole number of at least 1`,
      'batches the stream may hold; leave it out for no limit but maxBytes',
    );
  return { servers, stream, subjectPrefix, consumer, replicas, ackWaitMs, maxBytes, maxMessages };
}
