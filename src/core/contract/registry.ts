/**
 * The registry: models (owned by a project) and their versions, with artifact hash, validation metrics,
 * the environment fingerprint they were validated in, their schema, a reference data set, and which
 * version is the intended deployment.
 */
import { z } from 'zod';
import { FingerprintSchema } from './events.js';
import { EVENT_LIMITS, NameSchema } from './scalars.js';
import { TimestampSchema } from './timestamp.js';

export const MODEL_TASKS = ['classification', 'regression', 'ranking', 'other'] as const;
export type ModelTask = (typeof MODEL_TASKS)[number];

export const COLUMN_KINDS = ['numerical', 'categorical', 'boolean', 'text', 'datetime'] as const;
export type ColumnKind = (typeof COLUMN_KINDS)[number];

/** Default window: one hour, the usual grain of an ML monitoring dashboard. */
export const DEFAULT_WINDOW_MS = 3_600_000;
/** Default allowed lateness: ten minutes, longer than the SDK's retry horizon for a short outage. */
export const DEFAULT_ALLOWED_LATENESS_MS = 600_000;
const MIN_BUCKET_MS = 1_000;
const MAX_WINDOW_MS = 7 * 86_400_000;

/** Creates a model or updates its settings (`PUT`-like: the same name answers the stored model). */
export const ModelCreateSchema = z
  .strictObject({
    name: NameSchema,
    description: z.string().max(EVENT_LIMITS.messageChars).optional(),
    task: z.enum(MODEL_TASKS).optional(),
    windowMs: z.number().int().min(MIN_BUCKET_MS).max(MAX_WINDOW_MS).optional(),
    bucketMs: z.number().int().min(MIN_BUCKET_MS).max(MAX_WINDOW_MS).optional(),
    allowedLatenessMs: z.number().int().min(0).max(MAX_WINDOW_MS).optional(),
  })
  .refine((m) => m.bucketMs === undefined || (m.windowMs ?? DEFAULT_WINDOW_MS) % m.bucketMs === 0, {
    message: 'bucketMs must divide windowMs (e.g. 300000 buckets roll up into a 3600000 window)',
    path: ['bucketMs'],
  });
export type ModelCreate = z.infer<typeof ModelCreateSchema>;

export const ModelSchema = z.object({
  project: z.string(),
  name: z.string(),
  description: z.string().nullable(),
  task: z.enum(MODEL_TASKS).nullable(),
  windowMs: z.number().int(),
  bucketMs: z.number().int(),
  allowedLatenessMs: z.number().int(),
  intendedVersion: z.string().nullable(),
  createdAt: z.string(),
  latestEventAt: z.string().nullable().describe('latest event time seen for this model'),
  watermark: z.string().nullable().describe('latest event time less the allowed lateness'),
});
export type Model = z.infer<typeof ModelSchema>;

/** The expected columns of a model version. */
export const ModelSchemaSpecSchema = z.strictObject({
  features: z.record(z.string().min(1).max(EVENT_LIMITS.nameChars), z.enum(COLUMN_KINDS)),
  target: z.string().max(EVENT_LIMITS.nameChars).optional(),
});
export type ModelSchemaSpec = z.infer<typeof ModelSchemaSpecSchema>;

export const ModelVersionCreateSchema = z.strictObject({
  version: NameSchema,
  artifactHash: z.string().min(1).max(EVENT_LIMITS.nameChars),
  description: z.string().max(EVENT_LIMITS.messageChars).optional(),
  validationMetrics: z.record(z.string().min(1).max(EVENT_LIMITS.nameChars), z.number()).optional(),
  fingerprint: FingerprintSchema.optional(),
  schema: ModelSchemaSpecSchema.optional(),
  intended: z.boolean().optional().describe('make this the intended deployment of the model'),
});
export type ModelVersionCreate = z.infer<typeof ModelVersionCreateSchema>;

export const ReferenceInfoSchema = z.object({
  rows: z.number().int(),
  sampleRows: z.number().int(),
  columns: z.array(z.string()),
  source: z.enum(['csv', 'ndjson', 'profile']),
  uploadedAt: z.string(),
});
export type ReferenceInfo = z.infer<typeof ReferenceInfoSchema>;

export const ModelVersionSchema = z.object({
  model: z.string(),
  version: z.string(),
  artifactHash: z.string().nullable(),
  description: z.string().nullable(),
  validationMetrics: z.record(z.string(), z.number()),
  fingerprint: FingerprintSchema.nullable(),
  schema: ModelSchemaSpecSchema.nullable(),
  intended: z.boolean(),
  registered: z.boolean().describe('false when the version was first seen in traffic, not registered'),
  createdAt: z.string(),
  reference: ReferenceInfoSchema.nullable(),
});
export type ModelVersion = z.infer<typeof ModelVersionSchema>;

/**
 * Sets the intended deployment. `effectiveAt` is the event time the version is intended from — when the deploy
 * happened — and defaults to the collector's clock when the call arrives. Windows before it are judged against
 * the version intended then.
 */
export const IntendedVersionSchema = z.strictObject({
  version: NameSchema,
  effectiveAt: TimestampSchema.optional().describe(
    'event time from which the version is intended (default: now); earlier windows keep the version intended then',
  ),
});
export type IntendedVersionInput = z.input<typeof IntendedVersionSchema>;

/** One change of a model's intended version. */
export const IntendedChangeSchema = z.object({
  version: z.string(),
  effectiveAt: z.string().describe('event time from which the version is intended'),
  recordedAt: z.string().describe('when the collector was told'),
});

/** Every kept change of a model's intended version, in the order they were recorded. */
export const IntendedHistorySchema = z.object({ changes: z.array(IntendedChangeSchema) });
export type IntendedHistory = z.infer<typeof IntendedHistorySchema>;
