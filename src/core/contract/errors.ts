/**
 * Error codes of the HTTP API and the one error class that carries them.
 * Codes are a closed union spelled `area.snake_case`; the mapping from code to HTTP status lives in
 * `src/server/http-errors.ts`. On the wire an error is always `{ error: { code, message, hint?, issues? } }`.
 */
import { z } from 'zod';

/** Every error code the collector may answer with, as a list (for docs and the OpenAPI document). */
export const ERROR_CODES = [
  'auth.token_missing',
  'auth.token_invalid',
  'auth.role_forbidden',
  'request.invalid',
  'request.body_too_large',
  'request.json_malformed',
  'request.media_type_unsupported',
  'request.route_not_found',
  'ingest.batch_empty',
  'ingest.batch_too_long',
  'ingest.batch_rejected',
  'ingest.log_full',
  'registry.model_not_found',
  'registry.version_not_found',
  'registry.version_conflict',
  'registry.reference_invalid',
  'registry.reference_not_found',
  'query.window_ms_invalid',
  'query.prediction_not_found',
  'token.not_found',
  'engine.incident_not_found',
  'engine.incident_resolved',
  'engine.busy',
  'internal.error',
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

/** Codes that explain why one event of a batch was rejected (the `code` of a `RejectedEvent`). */
export const REJECTION_CODES = [
  'ingest.field_missing',
  'ingest.field_invalid',
  'ingest.field_unknown',
  'ingest.line_not_json',
  'ingest.not_an_object',
  'ingest.timestamp_in_future',
] as const;

export type RejectionCode = (typeof REJECTION_CODES)[number];

/** One event of a batch that was not stored: its position in the batch, the offending field and why. */
export const RejectedEventSchema = z.object({
  index: z.number().int().min(0),
  field: z.string(),
  code: z.enum(REJECTION_CODES),
  reason: z.string(),
});
export type RejectedEvent = z.infer<typeof RejectedEventSchema>;

/** One problem found in a request part (query, params, body): the field path and why. */
export const IssueSchema = z.object({
  field: z.string(),
  reason: z.string(),
  index: z.number().int().min(0).optional(),
  code: z.string().optional(),
});
export type Issue = z.infer<typeof IssueSchema>;

export const ErrorBodySchema = z.object({
  error: z.object({
    code: z.enum(ERROR_CODES),
    message: z.string(),
    hint: z.string().optional(),
    issues: z.array(IssueSchema).optional(),
  }),
});
export type ErrorBody = z.infer<typeof ErrorBodySchema>;

/** The one error class: a closed code, a sentence for people, an optional hint and field-level issues. */
export class FaultlineError extends Error {
  readonly code: ErrorCode;
  readonly hint: string | undefined;
  readonly issues: Issue[] | undefined;
  constructor(
    code: ErrorCode,
    message: string,
    options: { hint?: string; issues?: Issue[]; cause?: unknown } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'FaultlineError';
    this.code = code;
    this.hint = options.hint;
    this.issues = options.issues;
  }

  /** The wire form `{ error: { code, message, hint?, issues? } }`. */
  toBody(): ErrorBody {
    return {
      error: {
        code: this.code,
        message: this.message,
        ...(this.hint === undefined ? {} : { hint: this.hint }),
        ...(this.issues === undefined ? {} : { issues: this.issues }),
      },
    };
  }
}
