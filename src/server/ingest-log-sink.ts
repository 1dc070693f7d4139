/**
 * @module
 * The collector with an ingestion log (`faultline serve --ingest nats://…`): the five ingestion calls of
 * the store go to JetStream instead, and everything else (tokens, registry, queries) still to the store.
 * The routes do not change: they call the store they were given, and this is that store.
 *
 * An answer means the batch is in JetStream (the publish acknowledgement came back), not yet in the
 * store: the workers store it shortly after. So `accepted` counts the events logged, and `duplicates`
 * only repeats inside the batch; repeats of earlier batches are dropped by the workers (dedupe by event
 * id in the store transaction), never counted twice.
 *
 * A log at its size limit (the workers are behind or stopped) refuses the batch: the answer is 503
 * `ingest.log_full` with `Retry-After`, so the sender keeps the batch and sends it again later; nothing
 * already acknowledged is dropped to make room.
 */
import { FaultlineError } from '../core/contract/index.js';
import type { LoggedBatch } from '../ingest-log/message.js';
import { LogMessageError } from '../ingest-log/message.js';
import type { IngestLogAppender } from '../ingest-log/publisher.js';
import { IngestLogFullError } from '../ingest-log/publisher.js';
import type { IngestOutcome, Store } from '../store/store.js';

function outcome(events: readonly unknown[], idOf: (e: never) => string): IngestOutcome {
  const ids = new Set(events.map((e) => idOf(e as never)));
  return { accepted: ids.size, duplicates: events.length - ids.size };
}

/**
 * Logs a batch; an event too large for one log message is the sender's to fix (413), a full log is for
 * the sender to retry later (503), neither is a crash.
 */
async function append(log: IngestLogAppender, batch: LoggedBatch): Promise<void> {
  try {
    await log.append(batch);
  } catch (e) {
    if (e instanceof IngestLogFullError)
      throw new FaultlineError(
        'ingest.log_full',
        `the ingestion log is full (${e.reason} on stream ${e.stream}): the workers are behind or stopped; nothing of this batch was acknowledged, send it again later`,
        {
          hint: 'check that `faultline worker` processes are running and can reach the database; raise maxBytes in the --ingest URL if the backlog is expected',
        },
      );
    if (!(e instanceof LogMessageError)) throw e;
    throw new FaultlineError('request.body_too_large', `${e.message}; nothing of the batch was stored`, {
      hint: 'send smaller events, or raise max_payload of the NATS servers',
      issues: [{ field: e.field, reason: 'larger than one ingestion log message' }],
    });
  }
}

/** `store` with its ingestion calls sent to `log`; closing it closes the log, then the store. */
export function withIngestLog<S extends Store>(store: S, log: IngestLogAppender): S {
  const overrides: Partial<Store> = {
    ingestPredictions: async (project, model, events, receivedAtMs) => {
      await append(log, { kind: 'predictions', project, model, receivedAtMs, events });
      return outcome(events, (e: { id: string }) => e.id);
    },
    ingestLabels: async (project, model, events, receivedAtMs) => {
      await append(log, { kind: 'labels', project, model, receivedAtMs, events });
      return outcome(events, (e: { predictionId: string }) => e.predictionId);
    },
    ingestFeedback: async (project, model, events, receivedAtMs) => {
      await append(log, { kind: 'feedback', project, model, receivedAtMs, events });
      return outcome(events, (e: { id: string }) => e.id);
    },
    ingestHeartbeats: async (project, events, receivedAtMs) => {
      await append(log, { kind: 'heartbeats', project, receivedAtMs, events });
      return outcome(
        events,
        (e: { id?: string; instance: string; timestamp: number }) => e.id ?? `${e.instance}@${e.timestamp}`,
      );
    },
    ingestEvents: async (project, events, receivedAtMs) => {
      await append(log, { kind: 'events', project, receivedAtMs, events });
      return outcome(events, (e: { id: string }) => e.id);
    },
    close: async () => {
      try {
        await log.close();
      } finally {
        await store.close();
      }
    },
  };
  return new Proxy(store, {
    get(target, prop) {
      if (Object.hasOwn(overrides, prop)) return overrides[prop as keyof Store];
      const value = Reflect.get(target, prop, target) as unknown;
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}
