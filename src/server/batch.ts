/**
 * @module
 * Reading an ingestion batch: a JSON array, one JSON object, or NDJSON (one event per line). Each event is
 * validated on its own, so one bad event rejects only itself, with its index, the offending field and the
 * reason; the good ones go on to the store.
 */
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { RejectedEvent, RejectionCode } from '../core/contract/index.js';
import { FaultlineError } from '../core/contract/index.js';

/** An NDJSON line that did not parse; kept in place so that indexes stay those of the sender. */
export class UnparsedLine {
  constructor(
    readonly line: number,
    readonly reason: string,
  ) {}
}

/** Registers the NDJSON body parser: blank lines are skipped; a bad line becomes an `UnparsedLine`. */
export function installNdjsonParser(app: FastifyInstance): void {
  for (const type of ['application/x-ndjson', 'application/ndjson'])
    app.addContentTypeParser(type, { parseAs: 'string' }, (_req, body, done) => {
      const out: unknown[] = [];
      const lines = (body as string).split('\n');
      for (let i = 0; i < lines.length; i++) {
        const text = (lines[i] as string).trim();
        if (text.length === 0) continue;
        try {
          out.push(JSON.parse(text));
        } catch (e) {
          out.push(new UnparsedLine(i + 1, (e as Error).message));
        }
      }
      done(null, out);
    });
}

/** Body schema of ingestion routes: an array of anything or one object (each event is checked later). */
export const BatchBodySchema = z.union([z.array(z.unknown()), z.record(z.string(), z.unknown())], {
  error: 'expected a JSON array of events, one event object, or NDJSON',
});

export interface BatchLimits {
  maxBatchEvents: number;
  maxFutureSkewMs: number;
}

export interface ValidatedBatch<T> {
  valid: T[];
  rejected: RejectedEvent[];
}

/** Suggests the known key an unknown one was probably meant to be (`latency_ms` → `latencyMs`). */
function suggest(unknown: string, known: readonly string[]): string | undefined {
  const norm = (s: string) => s.toLowerCase().replace(/[^a-z0-9]/g, '');
  return known.find((k) => norm(k) === norm(unknown));
}

function valueAt(root: unknown, path: readonly PropertyKey[]): unknown {
  let v = root;
  for (const p of path) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<PropertyKey, unknown>)[p];
  }
  return v;
}

function rejection(index: number, field: string, code: RejectionCode, reason: string): RejectedEvent {
  return { index, field, code, reason };
}

function firstProblem(
  index: number,
  raw: unknown,
  error: z.ZodError,
  knownKeys: readonly string[],
): RejectedEvent {
  const issue = error.issues[0];
  if (!issue) return rejection(index, '', 'ingest.field_invalid', 'does not match the schema');
  const more =
    error.issues.length > 1
      ? ` (and ${error.issues.length - 1} more problem${error.issues.length > 2 ? 's' : ''})`
      : '';
  const path = issue.path.map(String);
  if (issue.code === 'unrecognized_keys') {
    const key = issue.keys[0] ?? '';
    const hint = path.length === 0 ? suggest(key, knownKeys) : undefined;
    return rejection(
      index,
      [...path, key].join('.'),
      'ingest.field_unknown',
      `unknown field "${key}"${hint ? `; did you mean "${hint}"?` : ''}${more}`,
    );
  }
  if (issue.code === 'invalid_type' && valueAt(raw, issue.path) === undefined)
    return rejection(index, path.join('.'), 'ingest.field_missing', `required${more}`);
  return rejection(index, path.join('.'), 'ingest.field_invalid', `${issue.message}${more}`);
}

/**
 * Validates each event of a batch with `schema`. Throws for a batch that is empty or too long (nothing is
 * stored); otherwise returns the valid events (timestamps filled with `nowMs` when absent) and the
 * rejections. Timestamps more than `maxFutureSkewMs` ahead of `nowMs` are rejected. `fast`, when given,
 * is tried first and must return what `schema` would, or null to defer to it.
 */
export function validateBatch<S extends z.ZodType>(
  body: unknown,
  schema: S,
  nowMs: number,
  limits: BatchLimits,
  fast?: (raw: unknown) => z.output<S> | null,
): ValidatedBatch<z.output<S> & { timestamp: number }> {
  const items = Array.isArray(body) ? body : [body];
  if (items.length === 0)
    throw new FaultlineError('ingest.batch_empty', 'the batch holds no events', {
      hint: 'send a JSON array with at least one event, or one event per line as application/x-ndjson',
    });
  if (items.length > limits.maxBatchEvents)
    throw new FaultlineError(
      'ingest.batch_too_long',
      `the batch holds ${items.length} events; the limit is ${limits.maxBatchEvents}`,
      { hint: `split it into batches of at most ${limits.maxBatchEvents} events` },
    );
  const knownKeys = schema instanceof z.ZodObject ? Object.keys(schema.shape) : [];
  const valid: (z.output<S> & { timestamp: number })[] = [];
  const rejected: RejectedEvent[] = [];
  const latest = nowMs + limits.maxFutureSkewMs;
  for (let index = 0; index < items.length; index++) {
    const raw = items[index];
    if (raw instanceof UnparsedLine) {
      rejected.push(
        rejection(index, '', 'ingest.line_not_json', `line ${raw.line} is not JSON: ${raw.reason}`),
      );
      continue;
    }
    if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
      rejected.push(
        rejection(
          index,
          '',
          'ingest.not_an_object',
          `expected an event object, got ${raw === null ? 'null' : Array.isArray(raw) ? 'an array' : typeof raw}`,
        ),
      );
      continue;
    }
    let event = fast?.(raw) as (z.output<S> & { timestamp?: number }) | null | undefined;
    if (!event) {
      const r = schema.safeParse(raw);
      if (!r.success) {
        rejected.push(firstProblem(index, raw, r.error, knownKeys));
        continue;
      }
      event = r.data as z.output<S> & { timestamp?: number };
    }
    if (event.timestamp === undefined) event.timestamp = nowMs;
    else if (event.timestamp > latest) {
      rejected.push(
        rejection(
          index,
          'timestamp',
          'ingest.timestamp_in_future',
          `${new Date(event.timestamp).toISOString()} is more than ${limits.maxFutureSkewMs} ms ahead of the collector's clock`,
        ),
      );
      continue;
    }
    valid.push(event as z.output<S> & { timestamp: number });
  }
  return { valid, rejected };
}
