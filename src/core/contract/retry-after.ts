/**
 * `Retry-After` (RFC 9110 §10.2.3), as the collector sends it with 503 and as webhook receivers may: a number
 * of seconds (fractions accepted) or an HTTP date. One reading for every client of the contract: the SDK and the
 * alert dispatcher.
 */

/**
 * The wait a `Retry-After` header asks for, in ms from `nowMs`; undefined when absent or unreadable, 0 for a
 * date already past.
 * @example parseRetryAfter('10', 0) // => 10000
 */
export function parseRetryAfter(header: string | null | undefined, nowMs: number): number | undefined {
  const value = header?.trim() ?? '';
  if (value === '') return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return seconds >= 0 ? seconds * 1000 : undefined;
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - nowMs);
}
