/**
 * @module
 * Where the ingestion log lives: a `nats://` URL naming the servers, and as query parameters the JetStream
 * stream, the subject prefix, the durable consumer shared by the workers, the stream's replica count and
 * how long a worker may hold a message before JetStream gives it to another.
 *
 * `nats://host:4222?stream=FAULTLINE_INGEST&consumer=faultline-workers&ackWaitMs=30000`;
 * several servers: `nats://a:4222,b:4222,c:4222?replicas=3`.
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
}

export const DEFAULT_INGEST_STREAM = 'FAULTLINE_INGEST';
export const DEFAULT_INGEST_SUBJECT_PREFIX = 'faultline.ingest';
export const DEFAULT_INGEST_CONSUMER = 'faultline-workers';
/**
 * 30 s: far longer than one batch takes to commit (the worker also reports progress while it works), short
 * enough that the batches of a killed worker are processed by another within half a minute.
 */
export const DEFAULT_ACK_WAIT_MS = 30_000;

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
  const known = new Set(['stream', 'subject', 'consumer', 'replicas', 'ackWaitMs']);
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
  return { servers, stream, subjectPrefix, consumer, replicas, ackWaitMs };
}
