/**
 * The events a serving process sends: predictions, labels, feedback, heartbeats and free-form events.
 * Objects are strict: an unknown field (say `latency_ms` for `latencyMs`) rejects the event with the field
 * named, rather than losing the value silently. `timestamp` is the EVENT time (ISO-8601 or epoch ms);
 * when absent the collector uses the arrival time.
 */
import { z } from 'zod';
import { EVENT_LIMITS, EventIdSchema, FeaturesSchema, NameSchema, ScalarSchema } from './scalars.js';
import { TimestampSchema } from './timestamp.js';

export const PREDICTION_STATUSES = ['ok', 'error', 'timeout'] as const;
export type PredictionStatus = (typeof PREDICTION_STATUSES)[number];

/** What a model returned: a class with probabilities, a score, a value, or a ranked list of items. */
export const OutputSchema = z.strictObject({
  class: ScalarSchema.optional(),
  probabilities: z.record(z.string().max(EVENT_LIMITS.nameChars), z.number().min(0).max(1)).optional(),
  score: z.number().optional(),
  value: z.number().optional(),
  items: z.array(ScalarSchema).max(EVENT_LIMITS.itemsPerOutput).optional(),
});
export type Output = z.infer<typeof OutputSchema>;

const ShortText = z.string().min(1).max(EVENT_LIMITS.nameChars);

/** One prediction served by a model version. */
export const PredictionEventSchema = z.strictObject({
  id: EventIdSchema,
  timestamp: TimestampSchema.optional(),
  version: NameSchema,
  artifactHash: ShortText.optional(),
  instance: ShortText.optional(),
  features: FeaturesSchema,
  output: OutputSchema.optional(),
  latencyMs: z.number().min(0).max(86_400_000).optional(),
  status: z.enum(PREDICTION_STATUSES).optional(),
  errorKind: ShortText.optional(),
});
export type PredictionEventInput = z.input<typeof PredictionEventSchema>;
export type PredictionEvent = z.output<typeof PredictionEventSchema>;

/** The true value for a prediction, usually late. Re-sending the label of a prediction is counted once. */
export const LabelEventSchema = z.strictObject({
  predictionId: EventIdSchema,
  value: ScalarSchema,
  timestamp: TimestampSchema.optional(),
});
export type LabelEventInput = z.input<typeof LabelEventSchema>;
export type LabelEvent = z.output<typeof LabelEventSchema>;

/** What a user did with an item of a ranked output (recommenders): shown, clicked, purchased, … */
export const FeedbackEventSchema = z.strictObject({
  id: EventIdSchema,
  predictionId: EventIdSchema,
  item: ScalarSchema,
  position: z.number().int().min(0).optional(),
  action: z.string().regex(/^[a-z][a-z0-9_]{0,63}$/, 'a lowercase word such as shown, clicked, purchased'),
  timestamp: TimestampSchema.optional(),
  instance: ShortText.optional(),
});
export type FeedbackEventInput = z.input<typeof FeedbackEventSchema>;
export type FeedbackEvent = z.output<typeof FeedbackEventSchema>;

/** The environment a process runs in; differences between it and the validated one point at dependencies. */
export const FingerprintSchema = z.strictObject({
  runtime: ShortText.optional(),
  os: ShortText.optional(),
  arch: ShortText.optional(),
  lockfileHash: ShortText.optional(),
  packages: z.record(ShortText, ShortText).optional(),
  extra: z.record(ShortText, ScalarSchema).optional(),
});
export type Fingerprint = z.infer<typeof FingerprintSchema>;

/** One start-up or periodic self-check: can read the model file, can write the output directory, … */
export const SelfCheckSchema = z.strictObject({
  name: ShortText,
  ok: z.boolean(),
  detail: z.string().max(EVENT_LIMITS.messageChars).optional(),
});
export type SelfCheck = z.infer<typeof SelfCheckSchema>;

/** What the SDK buffered, sent and dropped since it started (reported with heartbeats). */
export const SdkStatsSchema = z.strictObject({
  name: ShortText.optional(),
  version: ShortText.optional(),
  buffered: z.number().int().min(0).optional(),
  sent: z.number().int().min(0).optional(),
  retries: z.number().int().min(0).optional(),
  dropped: z.record(ShortText, z.number().int().min(0)).optional(),
});
export type SdkStats = z.infer<typeof SdkStatsSchema>;

/**
 * A sign of life from one serving instance. Host metrics are a flat record of numbers; recommended keys:
 * `cpuPercent`, `load1`, `memoryUsedBytes`, `memoryTotalBytes`, `processRssBytes`, `temperatureC`.
 */
export const HeartbeatSchema = z.strictObject({
  id: EventIdSchema.optional(),
  instance: ShortText,
  model: NameSchema.optional(),
  version: NameSchema.optional(),
  artifactHash: ShortText.optional(),
  timestamp: TimestampSchema.optional(),
  intervalMs: z.number().int().min(0).optional(),
  fingerprint: FingerprintSchema.optional(),
  host: z.record(ShortText, z.number().nullable()).optional(),
  checks: z.array(SelfCheckSchema).max(100).optional(),
  sdk: SdkStatsSchema.optional(),
});
export type HeartbeatInput = z.input<typeof HeartbeatSchema>;
export type Heartbeat = z.output<typeof HeartbeatSchema>;

/** Well-known kinds of free-form events; any lowercase word is accepted. */
export const KNOWN_EVENT_KINDS = [
  'deploy',
  'rollback',
  'crash',
  'restart',
  'error',
  'oom',
  'config_change',
  'probe',
] as const;

export const EVENT_SEVERITIES = ['info', 'warning', 'error', 'critical'] as const;

/** A fact worth keeping next to the metrics: a deploy, a crash, an error, an upstream probe, … */
export const GenericEventSchema = z.strictObject({
  id: EventIdSchema,
  kind: z
    .string()
    .regex(/^[a-z][a-z0-9_.-]{0,63}$/, `a lowercase word such as ${KNOWN_EVENT_KINDS.join(', ')}`),
  timestamp: TimestampSchema.optional(),
  model: NameSchema.optional(),
  version: NameSchema.optional(),
  instance: ShortText.optional(),
  severity: z.enum(EVENT_SEVERITIES).optional(),
  message: z.string().max(EVENT_LIMITS.messageChars).optional(),
  attributes: z.record(ShortText, z.union([ScalarSchema, z.null()])).optional(),
});
export type GenericEventInput = z.input<typeof GenericEventSchema>;
export type GenericEvent = z.output<typeof GenericEventSchema>;
