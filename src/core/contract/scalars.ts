/** Small shared wire shapes: identifiers, feature values, names. */
import { z } from 'zod';

/** Bounds that keep one event small whatever the sender does. */
export const EVENT_LIMITS = {
  idChars: 200,
  nameChars: 200,
  stringValueChars: 2_000,
  featuresPerEvent: 2_000,
  itemsPerOutput: 1_000,
  messageChars: 10_000,
} as const;

/** An event id chosen by the sender; re-sending the same id is counted once. */
export const EventIdSchema = z.string().min(1, 'must not be empty').max(EVENT_LIMITS.idChars);

/** A model or version name: letters, digits, `_ . -`, starting with a letter or digit (URL-safe). */
export const NameSchema = z
  .string()
  .regex(
    /^[A-Za-z0-9][A-Za-z0-9_.-]{0,127}$/,
    'use 1–128 letters, digits, "_", "." or "-", starting with a letter or digit',
  );

/** One feature value: a number, a string, a boolean or null (missing). */
export const FeatureValueSchema = z.union(
  [z.number(), z.string().max(EVENT_LIMITS.stringValueChars), z.boolean(), z.null()],
  { error: 'expected a number, a string (≤ 2000 chars), a boolean or null' },
);
export type FeatureValue = z.infer<typeof FeatureValueSchema>;

/** A flat record of named feature values. */
export const FeaturesSchema = z
  .record(z.string().min(1).max(EVENT_LIMITS.nameChars), FeatureValueSchema)
  .refine((r) => Object.keys(r).length <= EVENT_LIMITS.featuresPerEvent, {
    message: `at most ${EVENT_LIMITS.featuresPerEvent} features per event`,
  });
export type Features = z.infer<typeof FeaturesSchema>;

/** A scalar: number, string or boolean (labels, classes, items, attributes). */
export const ScalarSchema = z.union(
  [z.number(), z.string().max(EVENT_LIMITS.stringValueChars), z.boolean()],
  {
    error: 'expected a number, a string or a boolean',
  },
);
export type Scalar = z.infer<typeof ScalarSchema>;
