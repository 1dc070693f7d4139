/**
 * Ingestion routes: predictions, labels and feedback of a model; heartbeats and free-form events of the
 * project. Each answers `{ accepted, duplicates, rejected }` once the accepted events are committed, or
 * 400 `ingest.batch_rejected` when no event of the batch was valid.
 */
import { z } from 'zod';
import type { IngestResult, RejectedEvent } from '../../core/contract/index.js';
import {
  ErrorBodySchema,
  FaultlineError,
  FeedbackEventSchema,
  GenericEventSchema,
  HeartbeatSchema,
  INGEST_MEDIA_TYPES,
  IngestResultSchema,
  LabelEventSchema,
  ModelParamsSchema,
  PredictionEventSchema,
} from '../../core/contract/index.js';
import type { IngestOutcome } from '../../store/store.js';
import { BatchBodySchema, validateBatch } from '../batch.js';
import type { AppDeps } from '../deps.js';
import { fastPrediction } from '../fast-prediction.js';
import type { RouteSpec } from '../route-spec.js';
import { defineRoute } from '../route-spec.js';

function batchRejected(rejected: RejectedEvent[]): FaultlineError {
  return new FaultlineError(
    'ingest.batch_rejected',
    `all ${rejected.length} events of the batch were rejected`,
    {
      hint: 'each issue names the event index, the field and the reason',
      issues: rejected,
    },
  );
}

function answer(outcome: IngestOutcome, rejected: RejectedEvent[]): IngestResult {
  return { accepted: outcome.accepted, duplicates: outcome.duplicates, rejected };
}

const responses = (what: string) => [
  {
    status: 200,
    description: `the ${what} that passed validation are committed`,
    schema: IngestResultSchema,
  },
  { status: 400, description: 'no event was valid, the batch is empty or too long', schema: ErrorBodySchema },
  { status: 413, description: 'the body is larger than the limit', schema: ErrorBodySchema },
  {
    status: 503,
    description:
      'ingest.log_full: the ingestion log is full (its workers are behind or stopped) and nothing of the ' +
      'batch was accepted; the Retry-After header (seconds) says when to send the same batch again',
    schema: ErrorBodySchema,
  },
];

const batchDoc = (schema: z.ZodType, what: string) => ({
  schema: z.array(schema),
  description: `a JSON array of ${what}, one object, or NDJSON (one per line); a bad event rejects only itself`,
});

export function ingestRoutes(deps: AppDeps): RouteSpec[] {
  const limits = deps.config;
  return [
    defineRoute({
      method: 'POST',
      url: '/v1/models/:model/predictions',
      tag: 'ingest',
      summary: 'Send predictions of a model',
      description: 'Models and versions seen here for the first time are created (versions as unregistered).',
      role: 'ingest',
      params: ModelParamsSchema,
      body: BatchBodySchema,
      mediaTypes: INGEST_MEDIA_TYPES,
      bodyDoc: batchDoc(PredictionEventSchema, 'predictions'),
      responses: responses('predictions'),
      handler: async ({ params, body, caller }) => {
        const now = deps.clock.now();
        const { valid, rejected } = validateBatch(body, PredictionEventSchema, now, limits, fastPrediction);
        if (valid.length === 0) throw batchRejected(rejected);
        return answer(await deps.store.ingestPredictions(caller.project, params.model, valid, now), rejected);
      },
    }),
    defineRoute({
      method: 'POST',
      url: '/v1/models/:model/labels',
      tag: 'ingest',
      summary: 'Send true values (labels) for earlier predictions',
      description:
        'A label joins its prediction by id whenever either arrives; the time to label is recorded.',
      role: 'ingest',
      params: ModelParamsSchema,
      body: BatchBodySchema,
      mediaTypes: INGEST_MEDIA_TYPES,
      bodyDoc: batchDoc(LabelEventSchema, 'labels'),
      responses: responses('labels'),
      handler: async ({ params, body, caller }) => {
        const now = deps.clock.now();
        const { valid, rejected } = validateBatch(body, LabelEventSchema, now, limits);
        if (valid.length === 0) throw batchRejected(rejected);
        return answer(await deps.store.ingestLabels(caller.project, params.model, valid, now), rejected);
      },
    }),
    defineRoute({
      method: 'POST',
      url: '/v1/models/:model/feedback',
      tag: 'ingest',
      summary: 'Send user feedback on ranked outputs (shown, clicked, …)',
      role: 'ingest',
      params: ModelParamsSchema,
      body: BatchBodySchema,
      mediaTypes: INGEST_MEDIA_TYPES,
      bodyDoc: batchDoc(FeedbackEventSchema, 'feedback events'),
      responses: responses('feedback events'),
      handler: async ({ params, body, caller }) => {
        const now = deps.clock.now();
        const { valid, rejected } = validateBatch(body, FeedbackEventSchema, now, limits);
        if (valid.length === 0) throw batchRejected(rejected);
        return answer(await deps.store.ingestFeedback(caller.project, params.model, valid, now), rejected);
      },
    }),
    defineRoute({
      method: 'POST',
      url: '/v1/heartbeats',
      tag: 'ingest',
      summary: 'Send heartbeats of serving instances (fingerprint, host metrics, self-checks)',
      role: 'ingest',
      body: BatchBodySchema,
      mediaTypes: INGEST_MEDIA_TYPES,
      bodyDoc: batchDoc(HeartbeatSchema, 'heartbeats'),
      responses: responses('heartbeats'),
      handler: async ({ body, caller }) => {
        const now = deps.clock.now();
        const { valid, rejected } = validateBatch(body, HeartbeatSchema, now, limits);
        if (valid.length === 0) throw batchRejected(rejected);
        return answer(await deps.store.ingestHeartbeats(caller.project, valid, now), rejected);
      },
    }),
    defineRoute({
      method: 'POST',
      url: '/v1/events',
      tag: 'ingest',
      summary: 'Send free-form events: deploys, crashes, errors, upstream probes, …',
      role: 'ingest',
      body: BatchBodySchema,
      mediaTypes: INGEST_MEDIA_TYPES,
      bodyDoc: batchDoc(GenericEventSchema, 'events'),
      responses: responses('events'),
      handler: async ({ body, caller }) => {
        const now = deps.clock.now();
        const { valid, rejected } = validateBatch(body, GenericEventSchema, now, limits);
        if (valid.length === 0) throw batchRejected(rejected);
        return answer(await deps.store.ingestEvents(caller.project, valid, now), rejected);
      },
    }),
  ];
}
