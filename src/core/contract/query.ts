/**
 * Query parameters and answers of the read API: models, versions, windows, predictions, events,
 * heartbeats and instances. Times in answers are ISO-8601 UTC strings; durations are milliseconds.
 */
import { z } from 'zod';
import { FingerprintSchema, OutputSchema, PREDICTION_STATUSES, SelfCheckSchema } from './events.js';
import { ModelSchema, ModelVersionSchema } from './registry.js';
import { FeatureValueSchema, NameSchema, ScalarSchema } from './scalars.js';

/** A time in a query string: ISO-8601 or epoch ms (digits); parses to epoch ms. */
export const QueryTimeSchema = z.string().transform((s, ctx) => {
  const ms = /^\d+$/.test(s) ? Number(s) : Date.parse(s);
  if (!Number.isFinite(ms)) {
    ctx.addIssue({ code: 'custom', message: 'expected an ISO-8601 date-time or epoch milliseconds' });
    return z.NEVER;
  }
  return ms;
});

const LimitSchema = z.coerce.number().int().min(1).max(1000).default(100);

export const TimeRangeQuerySchema = z.strictObject({
  from: QueryTimeSchema.optional().describe('inclusive lower bound on event time'),
  to: QueryTimeSchema.optional().describe('exclusive upper bound on event time'),
  limit: LimitSchema.describe('at most this many rows, newest first (1–1000, default 100)'),
});

export const WINDOW_INCLUDES = ['profiles', 'sample', 'blobs'] as const;

export const WindowsQuerySchema = z.strictObject({
  version: NameSchema.optional(),
  from: QueryTimeSchema.optional().describe('windows starting at or after this time'),
  to: QueryTimeSchema.optional().describe('windows starting before this time'),
  windowMs: z.coerce
    .number()
    .int()
    .positive()
    .optional()
    .describe("roll buckets up into windows of this size (a multiple of the model's bucketMs)"),
  include: z
    .string()
    .optional()
    .transform((s, ctx) => {
      const parts = (s ?? '').split(',').filter((p) => p.length > 0);
      for (const p of parts)
        if (!(WINDOW_INCLUDES as readonly string[]).includes(p)) {
          ctx.addIssue({ code: 'custom', message: `unknown part "${p}"; use ${WINDOW_INCLUDES.join(', ')}` });
          return z.NEVER;
        }
      return parts as (typeof WINDOW_INCLUDES)[number][];
    })
    .describe('comma-separated extra parts: profiles (column summaries), sample (rows), blobs (base64)'),
  limit: z.coerce.number().int().min(1).max(10_000).default(1000),
});
export type WindowsQuery = z.output<typeof WindowsQuerySchema>;

export const EventsQuerySchema = TimeRangeQuerySchema.extend({
  kind: z.string().max(64).optional(),
  model: NameSchema.optional(),
  instance: z.string().max(200).optional(),
});

export const HeartbeatsQuerySchema = TimeRangeQuerySchema.extend({
  model: NameSchema.optional(),
  instance: z.string().max(200).optional(),
});

export const PredictionsQuerySchema = TimeRangeQuerySchema.extend({
  version: NameSchema.optional(),
  instance: z.string().max(200).optional(),
});

export const ModelParamsSchema = z.strictObject({ model: NameSchema });
export const VersionParamsSchema = z.strictObject({ model: NameSchema, version: NameSchema });
export const PredictionParamsSchema = z.strictObject({ model: NameSchema, id: z.string().min(1).max(200) });
export const TokenParamsSchema = z.strictObject({ id: z.string().min(1).max(100) });

/** Quantiles read from a KLL sketch (rank error about 1.3% at 99% confidence); null when empty. */
export const QuantilesSchema = z.object({
  count: z.number().int(),
  min: z.number(),
  p50: z.number(),
  p90: z.number(),
  p95: z.number(),
  p99: z.number(),
  max: z.number(),
});
export type Quantiles = z.infer<typeof QuantilesSchema>;

export const InstanceCountsSchema = z.object({
  predictions: z.number().int(),
  errors: z.number().int(),
  timeouts: z.number().int(),
});

/** A window (one or several buckets merged) of one model version. */
export const WindowSummarySchema = z.object({
  model: z.string(),
  version: z.string(),
  start: z.string(),
  end: z.string(),
  windowMs: z.number().int(),
  buckets: z.number().int().describe('how many stored buckets were merged into this window'),
  closed: z.boolean().describe("true once the model's watermark has passed the window's end"),
  predictions: z.number().int(),
  status: z.record(z.enum(PREDICTION_STATUSES), z.number().int()),
  errorKinds: z.record(z.string(), z.number().int()),
  latencyMs: QuantilesSchema.nullable(),
  instances: z.record(z.string(), InstanceCountsSchema),
  artifactHashes: z.record(z.string(), z.number().int()),
  labels: z.object({
    count: z.number().int(),
    timeToLabelMs: QuantilesSchema.nullable(),
    classification: z
      .object({ correct: z.number().int(), total: z.number().int(), accuracy: z.number().nullable() })
      .nullable(),
    regression: z
      .object({ count: z.number().int(), mae: z.number().nullable(), rmse: z.number().nullable() })
      .nullable(),
  }),
  feedback: z.object({ count: z.number().int(), actions: z.record(z.string(), z.number().int()) }),
  profiles: z
    .object({
      features: z.array(z.record(z.string(), z.unknown())),
      outputs: z.array(z.record(z.string(), z.unknown())),
      labels: z.array(z.record(z.string(), z.unknown())),
    })
    .optional()
    .describe('column summaries of features, outputs and labels (include=profiles)'),
  sample: z
    .object({ seen: z.number().int(), rows: z.array(z.record(z.string(), z.unknown())) })
    .optional()
    .describe('a uniform sample of rows: id, instance, features, output, label (include=sample)'),
  blobs: z
    .object({ window: z.string(), features: z.string(), outputs: z.string(), labels: z.string() })
    .optional()
    .describe('base64 blobs: the whole window and its .flp profiles, mergeable (include=blobs)'),
});
export type WindowSummary = z.infer<typeof WindowSummarySchema>;

export const WindowListSchema = z.object({
  model: z.string(),
  windowMs: z.number().int(),
  watermark: z.string().nullable(),
  windows: z.array(WindowSummarySchema),
});
export type WindowList = z.infer<typeof WindowListSchema>;

export const StoredPredictionSchema = z.object({
  id: z.string(),
  model: z.string(),
  version: z.string(),
  artifactHash: z.string().nullable(),
  instance: z.string().nullable(),
  timestamp: z.string(),
  receivedAt: z.string(),
  features: z.record(z.string(), FeatureValueSchema),
  output: OutputSchema.nullable(),
  latencyMs: z.number().nullable(),
  status: z.enum(PREDICTION_STATUSES),
  errorKind: z.string().nullable(),
  label: z
    .object({ value: ScalarSchema, timestamp: z.string(), receivedAt: z.string(), timeToLabelMs: z.number() })
    .nullable(),
});
export type StoredPrediction = z.infer<typeof StoredPredictionSchema>;

export const StoredEventSchema = z.object({
  id: z.string(),
  kind: z.string(),
  timestamp: z.string(),
  receivedAt: z.string(),
  model: z.string().nullable(),
  version: z.string().nullable(),
  instance: z.string().nullable(),
  severity: z.string().nullable(),
  message: z.string().nullable(),
  attributes: z.record(z.string(), z.union([ScalarSchema, z.null()])),
});
export type StoredEvent = z.infer<typeof StoredEventSchema>;

export const StoredHeartbeatSchema = z.object({
  id: z.string(),
  instance: z.string(),
  model: z.string().nullable(),
  version: z.string().nullable(),
  artifactHash: z.string().nullable(),
  timestamp: z.string(),
  receivedAt: z.string(),
  intervalMs: z.number().nullable(),
  fingerprint: FingerprintSchema.nullable(),
  host: z.record(z.string(), z.number().nullable()),
  checks: z.array(SelfCheckSchema),
  sdk: z.record(z.string(), z.unknown()).nullable(),
});
export type StoredHeartbeat = z.infer<typeof StoredHeartbeatSchema>;

export const InstanceSchema = z.object({
  instance: z.string(),
  model: z.string().nullable(),
  version: z.string().nullable(),
  artifactHash: z.string().nullable(),
  firstSeen: z.string(),
  lastSeen: z.string(),
  heartbeats: z.number().int(),
  fingerprint: FingerprintSchema.nullable(),
  failedChecks: z.array(z.string()),
});
export type Instance = z.infer<typeof InstanceSchema>;

export const ModelListSchema = z.object({ models: z.array(ModelSchema) });
export const ModelDetailSchema = ModelSchema.extend({ versions: z.array(ModelVersionSchema) });
export const VersionListSchema = z.object({ versions: z.array(ModelVersionSchema) });
export const PredictionListSchema = z.object({ predictions: z.array(StoredPredictionSchema) });
export const EventListSchema = z.object({ events: z.array(StoredEventSchema) });
export const HeartbeatListSchema = z.object({ heartbeats: z.array(StoredHeartbeatSchema) });
export const InstanceListSchema = z.object({ instances: z.array(InstanceSchema) });
export const HealthSchema = z.object({ status: z.literal('ok'), version: z.string(), store: z.string() });
