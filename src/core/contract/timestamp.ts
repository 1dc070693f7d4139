/**
 * Timestamps on the wire: ISO-8601 date-times with a zone (`2025-03-01T12:00:00Z`, `…+02:00`) or epoch
 * milliseconds. Both parse to epoch milliseconds. Numbers below 1e11 (before March 1973) are rejected
 * because they are almost always epoch *seconds* sent by mistake.
 */
import { z } from 'zod';

/** Smallest accepted epoch-ms value; anything smaller is most likely epoch seconds. */
export const MIN_EPOCH_MS = 100_000_000_000;
/** Largest accepted epoch-ms value (year 9999), so that every accepted time prints as ISO-8601. */
export const MAX_EPOCH_MS = 253_402_300_799_999;

const EpochMsSchema = z
  .number()
  .int('epoch milliseconds must be an integer')
  .min(MIN_EPOCH_MS, 'epoch milliseconds below 1e11 look like epoch seconds; send milliseconds')
  .max(MAX_EPOCH_MS, 'epoch milliseconds beyond the year 9999');

const IsoSchema = z.iso.datetime({ offset: true, error: 'expected an ISO-8601 date-time with a zone' });

/** An event time: ISO-8601 with a zone or epoch ms; parses to epoch ms. */
export const TimestampSchema = z
  .union([EpochMsSchema, IsoSchema], {
    error: 'expected an ISO-8601 date-time with a zone (e.g. 2025-03-01T12:00:00Z) or epoch milliseconds',
  })
  .transform((v) => (typeof v === 'number' ? v : Date.parse(v)));

/** Epoch ms → ISO-8601 UTC string, the form every time takes in answers. */
export function toIso(ms: number): string {
  return new Date(ms).toISOString();
}
