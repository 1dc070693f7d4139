/**
 * @module
 * When to try a failed alert delivery again: exponential back-off with jitter, as a pure function of the attempt
 * number and an `Rng` (so tests and replays are deterministic), and which failures are worth retrying.
 */
import type { Rng } from '../rng.js';

export interface RetryPolicy {
  /** Attempts in all, the first one included. */
  maxAttempts: number;
  /** Back-off before the first retry, before jitter. */
  baseDelayMs: number;
  /** Upper bound of any delay. */
  maxDelayMs: number;
  /** `full`: uniform in [0, backoff] (AWS "full jitter"); `equal`: backoff/2 + uniform in [0, backoff/2];
   * `none`: the backoff itself. */
  jitter: 'full' | 'equal' | 'none';
}

export const RETRY_DEFAULTS: Readonly<RetryPolicy> = {
  // Six attempts over about a minute at most (1 + 2 + 4 + 8 + 16 s before jitter): long enough to ride out a
  // receiver restart, short enough that an alert is not delivered long after the fact.
  maxAttempts: 6,
  baseDelayMs: 1_000,
  maxDelayMs: 60_000,
  jitter: 'full',
};

function check(policy: RetryPolicy): void {
  if (!Number.isInteger(policy.maxAttempts) || policy.maxAttempts < 1)
    throw new Error(`retry: maxAttempts must be a whole number ≥ 1, got ${policy.maxAttempts}`);
  if (!(policy.baseDelayMs >= 0) || !Number.isFinite(policy.baseDelayMs))
    throw new Error(`retry: baseDelayMs must be a number ≥ 0, got ${policy.baseDelayMs}`);
  if (!(policy.maxDelayMs >= policy.baseDelayMs) || !Number.isFinite(policy.maxDelayMs))
    throw new Error(`retry: maxDelayMs must be ≥ baseDelayMs, got ${policy.maxDelayMs}`);
}

/**
 * The delay (ms) before retry number `retry` (1 = the first retry, after the first attempt failed):
 * `backoff = min(maxDelayMs, baseDelayMs · 2^(retry − 1))`, then jittered. Returns null when the policy allows no
 * further attempt (`retry ≥ maxAttempts`). A `retryAfterMs` the receiver asked for (HTTP `Retry-After`) is a
 * floor, capped at `maxDelayMs`.
 * @example retryDelayMs(3, { ...RETRY_DEFAULTS, jitter: 'none' }, rng) // => 4000
 */
export function retryDelayMs(
  retry: number,
  policy: RetryPolicy,
  rng: Rng,
  retryAfterMs?: number,
): number | null {
  check(policy);
  if (!Number.isInteger(retry) || retry < 1)
    throw new Error(`retry: retry number must be a whole number ≥ 1, got ${retry}`);
  if (retry >= policy.maxAttempts) return null;
  const backoff = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (retry - 1));
  let delay: number;
  switch (policy.jitter) {
    case 'full':
      delay = rng.next() * backoff;
      break;
    case 'equal':
      delay = backoff / 2 + rng.next() * (backoff / 2);
      break;
    case 'none':
      delay = backoff;
      break;
  }
  if (retryAfterMs !== undefined && Number.isFinite(retryAfterMs) && retryAfterMs > delay)
    delay = Math.min(policy.maxDelayMs, retryAfterMs);
  return Math.round(delay);
}

/** Every delay of a delivery that keeps failing: `maxAttempts − 1` delays, one draw of `rng` per delay. */
export function retrySchedule(policy: RetryPolicy, rng: Rng): number[] {
  check(policy);
  const out: number[] = [];
  for (let retry = 1; retry < policy.maxAttempts; retry++)
    out.push(retryDelayMs(retry, policy, rng) as number);
  return out;
}

/**
 * Whether a failed delivery is worth retrying: network failures (status null), 408, 425, 429 and 5xx are;
 * other 4xx are not (the request itself is wrong, retrying will not help); 2xx and 3xx are not failures.
 */
export function isRetryableStatus(status: number | null): boolean {
  if (status === null) return true;
  if (status === 408 || status === 425 || status === 429) return true;
  return status >= 500 && status <= 599;
}
