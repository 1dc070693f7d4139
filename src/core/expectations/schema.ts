/**
 * @module
 * The input schema of expectations, shared by the YAML file and the JSON API: one file holds, per model, whether
 * the built-in defaults apply, which defaults are switched off, and the model's own expectations. Messages say
 * what a field must be; the parser adds where it is and what it got.
 */
import { z } from 'zod';
import { DEFAULT_EXPECTATION_IDS } from './defaults.js';
import { parseDurationMs } from './duration.js';
import { EXPECTATION_KINDS, parseComparator } from './expectation.js';
import { isMetricId, METRIC_IDS, metricDefinition } from './metrics.js';

const SEVERITIES = ['info', 'warning', 'critical'] as const;

const idSchema = z.string({ error: 'must be a text id' }).regex(/^[a-z][a-z0-9_-]{0,63}$/, {
  error: 'must start with a lowercase letter and use only a-z, 0-9, "_" and "-" (at most 64 characters)',
});

const durationSchema = z
  .string({ error: 'must be a duration such as "30s", "5m", "1h" or "1d"' })
  .refine((s) => parseDurationMs(s) !== null, {
    error: 'must be a duration such as "30s", "5m", "1h" or "1d"',
  });

const shareSchema = z
  .number({ error: 'must be a number between 0 and 1' })
  .min(0, { error: 'must be a number between 0 and 1' })
  .max(1, { error: 'must be a number between 0 and 1' });

const countSchema = z
  .number({ error: 'must be a whole number ≥ 0' })
  .int({ error: 'must be a whole number ≥ 0' })
  .min(0, { error: 'must be a whole number ≥ 0' });

const common = {
  id: idSchema,
  description: z.string({ error: 'must be text' }).optional(),
  severity: z.enum(SEVERITIES, { error: `must be one of ${SEVERITIES.join(', ')}` }).optional(),
  over: durationSchema.optional(),
};

export const ThresholdExpectationInputSchema = z
  .strictObject({
    kind: z.literal('threshold'),
    ...common,
    metric: z
      .string({ error: `must be one of the metric ids: ${METRIC_IDS.join(', ')}` })
      .refine(isMetricId, {
        error: `must be one of the metric ids: ${METRIC_IDS.join(', ')}`,
      }),
    comparator: z
      .string({ error: 'must be one of "<", "<=", ">", ">=" (or lt, lte, gt, gte)' })
      .refine((s) => parseComparator(s) !== null, {
        error: 'must be one of "<", "<=", ">", ">=" (or lt, lte, gt, gte)',
      }),
    // Checked against the metric's unit below, so the message can say which range applies.
    threshold: z.unknown(),
    minSamples: countSchema.optional(),
    decideOn: z.enum(['point', 'interval'], { error: 'must be "point" or "interval"' }).optional(),
    when: z
      .strictObject(
        { labelledShareBelow: shareSchema },
        { error: 'must be a map such as { labelledShareBelow: 0.5 }' },
      )
      .optional(),
  })
  .superRefine(
    (e, ctx) => {
      // Runs even when other fields failed, so every problem is reported at once; hence the defensive reads.
      const metric: unknown = e?.metric;
      const unit = typeof metric === 'string' && isMetricId(metric) ? metricDefinition(metric).unit : null;
      const t: unknown = e?.threshold;
      if (unit === 'share') {
        if (typeof t !== 'number' || !(t >= 0 && t <= 1))
          ctx.addIssue({ code: 'custom', path: ['threshold'], message: 'must be a number between 0 and 1' });
      } else if (typeof t !== 'number' || !Number.isFinite(t) || t < 0) {
        ctx.addIssue({
          code: 'custom',
          path: ['threshold'],
          message: unit === null ? 'must be a number ≥ 0' : `must be a number ≥ 0 (in ${unit})`,
        });
      }
    },
    { when: () => true },
  );

export const HeartbeatExpectationInputSchema = z.strictObject({
  kind: z.literal('heartbeat'),
  ...common,
  every: durationSchema,
  missedBeats: countSchema.max(100, { error: 'must be a whole number between 0 and 100' }).optional(),
});

export const ArtifactExpectationInputSchema = z.strictObject({ kind: z.literal('artifact'), ...common });

export const SelfChecksExpectationInputSchema = z.strictObject({ kind: z.literal('self_checks'), ...common });

export const SchemaExpectationInputSchema = z.strictObject({
  kind: z.literal('schema'),
  ...common,
  maxViolatingShare: shareSchema.optional(),
  minSamples: countSchema.optional(),
});

/** One expectation as written; `kind` may be left out when `metric` is given (it is then `threshold`). */
export const ExpectationInputSchema = z.preprocess(
  (v) =>
    v !== null && typeof v === 'object' && !Array.isArray(v) && !('kind' in v) && 'metric' in v
      ? { kind: 'threshold', ...v }
      : v,
  z.discriminatedUnion(
    'kind',
    [
      ThresholdExpectationInputSchema,
      HeartbeatExpectationInputSchema,
      ArtifactExpectationInputSchema,
      SelfChecksExpectationInputSchema,
      SchemaExpectationInputSchema,
    ],
    {
      error: (iss) =>
        iss.input === null || typeof iss.input !== 'object' || Array.isArray(iss.input)
          ? 'must be a map with `id` and either `metric` or `kind`'
          : `must be one of ${EXPECTATION_KINDS.join(', ')} (or leave \`kind\` out and give \`metric\`)`,
    },
  ),
);
export type ExpectationInput = z.infer<typeof ExpectationInputSchema>;

/** A model's part of the file. */
export const ModelExpectationsInputSchema = z
  .strictObject(
    {
      useDefaults: z.boolean({ error: 'must be true or false' }).optional(),
      disable: z.array(idSchema, { error: 'must be a list of default expectation ids' }).optional(),
      expectations: z.array(ExpectationInputSchema, { error: 'must be a list of expectations' }).optional(),
    },
    { error: 'must be a map with `useDefaults`, `disable` and/or `expectations`' },
  )
  .superRefine(
    (m, ctx) => {
      // Runs even when other fields failed (see above); the input may be only partly valid.
      const disable: unknown = m?.disable;
      if (Array.isArray(disable))
        disable.forEach((id: unknown, i) => {
          if (typeof id === 'string' && !DEFAULT_EXPECTATION_IDS.includes(id))
            ctx.addIssue({
              code: 'custom',
              path: ['disable', i],
              message: `must name a default expectation: ${DEFAULT_EXPECTATION_IDS.join(', ')}`,
            });
        });
      const list: unknown = m?.expectations;
      if (!Array.isArray(list)) return;
      const seen = new Map<string, number>();
      list.forEach((e: unknown, i) => {
        const id = e !== null && typeof e === 'object' ? (e as { id?: unknown }).id : undefined;
        if (typeof id !== 'string') return;
        const first = seen.get(id);
        if (first !== undefined)
          ctx.addIssue({
            code: 'custom',
            path: ['expectations', i, 'id'],
            message: `must be unique within the model (also used by expectation ${first + 1})`,
          });
        else seen.set(id, i);
      });
    },
    { when: () => true },
  );
export type ModelExpectationsInput = z.infer<typeof ModelExpectationsInputSchema>;

/** The whole file (or the JSON body of `PUT /v1/expectations`). */
export const ExpectationsFileSchema = z.strictObject(
  {
    version: z.literal(1, { error: 'must be 1 (the only version of this format)' }),
    useDefaults: z.boolean({ error: 'must be true or false' }).optional(),
    models: z
      .record(z.string().min(1, { error: 'must be a non-empty model name' }), ModelExpectationsInputSchema, {
        error: 'must be a map from model name to its expectations',
      })
      .optional(),
  },
  { error: 'must be a map with `version` and `models`' },
);
export type ExpectationsFile = z.infer<typeof ExpectationsFileSchema>;
