/**
 * The answer to an ingestion batch and the limits on one. A batch keeps its good events: those stored
 * now are `accepted`, those stored before (same id) are `duplicates`, the others are `rejected` with their
 * index in the batch, the offending field and the reason.
 */
import { z } from 'zod';
import { RejectedEventSchema } from './errors.js';

export const IngestResultSchema = z.object({
  accepted: z.number().int().min(0),
  duplicates: z.number().int().min(0),
  rejected: z.array(RejectedEventSchema),
});
export type IngestResult = z.infer<typeof IngestResultSchema>;

/** Default limits; the collector's config may lower or raise them. */
export const DEFAULT_INGEST_LIMITS = {
  /** 8 MiB: about 10 000 predictions with 20 features, far above what one SDK flush sends. */
  maxBodyBytes: 8 * 1024 * 1024,
  /** Events per batch; bounds the time one request holds the write transaction. */
  maxBatchEvents: 10_000,
  /** Event times further than this in the future are rejected (a broken clock, ms sent as µs). */
  maxFutureSkewMs: 86_400_000,
} as const;

/** Media types accepted by the ingestion routes. */
export const INGEST_MEDIA_TYPES = ['application/json', 'application/x-ndjson'] as const;
