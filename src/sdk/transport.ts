/**
 * Sending batches to the collector. `postBatch` makes one attempt and says what is left to send again:
 * network errors, timeouts, 408, 429 and 5xx leave the batch to retry (with the collector's `Retry-After`,
 * if any); other 4xx reject it (the batch itself is wrong, resending would not help); a 413 splits it in
 * two. `sendBatch` retries a batch a fixed number of times (heartbeats), with exponential back-off and
 * full jitter, never sooner than `Retry-After`. Neither throws: the outcome says what happened to each
 * event.
 */
import { type IngestResult, parseRetryAfter } from '../core/contract/index.js';

export { parseRetryAfter };

export interface RetryPolicy {
  /** Retries of one `sendBatch` (heartbeats); buffered events are retried for as long as they fit. */
  maxRetries: number;
  baseDelayMs: number;
  /** Upper bound of the back-off; a longer `Retry-After` from the collector still wins. */
  maxDelayMs: number;
  /** Of one request. */
  timeoutMs: number;
}

/** What one attempt did with a batch. */
export interface Attempt {
  /** Stored now or already stored before (duplicates). */
  delivered: number;
  /** Refused by the collector (validation, auth); resending would not help. */
  rejected: number;
  /** The last `unsent` events of the batch were not delivered for a reason that may pass: send them again. */
  unsent: number;
  /** How long the collector asked the sender to wait (`Retry-After`), when it did. */
  retryAfterMs?: number;
  /** The collector's or the network's complaint, for the `onError` hook. */
  problem?: string;
}

export interface SendOutcome {
  /** Stored now or already stored before (duplicates). */
  delivered: number;
  /** Refused by the collector (validation, auth); resending would not help. */
  rejected: number;
  /** Not delivered after all retries. */
  failed: number;
  retries: number;
  /** The collector's or the network's last complaint, for the `onError` hook. */
  problem?: string;
}

const sleep = (ms: number) =>
  new Promise<void>((resolve) => {
    const t = setTimeout(resolve, ms);
    t.unref?.();
  });

function retryable(status: number): boolean {
  return status === 408 || status === 429 || status >= 500;
}

/**
 * The wait before retry number `failures` (1 after the first failure): full jitter over
 * `min(maxDelayMs, baseDelayMs · 2^(failures − 1))`, but never less than `retryAfterMs`.
 */
export function backoffMs(
  failures: number,
  policy: Pick<RetryPolicy, 'baseDelayMs' | 'maxDelayMs'>,
  random: () => number,
  retryAfterMs = 0,
): number {
  const cap = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.max(0, failures - 1));
  return Math.max(random() * cap, retryAfterMs);
}

async function describe(res: Response): Promise<string> {
  try {
    const body = (await res.json()) as {
      error?: {
        code?: string;
        message?: string;
        issues?: { index?: number; field?: string; reason?: string }[];
      };
    };
    const issue = body.error?.issues?.[0];
    const detail = issue
      ? ` (${issue.index === undefined ? '' : `event ${issue.index}: `}${issue.field}: ${issue.reason})`
      : '';
    return `${res.status} ${body.error?.code ?? ''}: ${body.error?.message ?? ''}${detail}`.trim();
  } catch {
    return `HTTP ${res.status}`;
  }
}

/**
 * Posts `events` (a JSON array) to `url` once; on 413 sends each half in turn and stops at the first half
 * that must be sent again, so what is left is always the end of the batch. `signal` cancels the request.
 */
export async function postBatch(
  url: string,
  token: string,
  events: readonly unknown[],
  timeoutMs: number,
  signal?: AbortSignal,
): Promise<Attempt> {
  // One controller per request, tied to `signal` only while the request lasts: a long-lived monitor sends
  // thousands of requests, and listeners left on its signal would pile up.
  const request = new AbortController();
  const timer = setTimeout(() => request.abort(new DOMException('timed out', 'TimeoutError')), timeoutMs);
  timer.unref?.(); // like AbortSignal.timeout: a pending request must not keep the serving process alive
  const cancel = () => request.abort(signal?.reason);
  if (signal?.aborted) cancel();
  else signal?.addEventListener('abort', cancel, { once: true });
  try {
    const res = await fetch(url, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify(events),
      signal: request.signal,
    });
    if (res.status === 200) {
      const body = (await res.json()) as IngestResult;
      const first = body.rejected[0];
      return {
        delivered: body.accepted + body.duplicates,
        rejected: body.rejected.length,
        unsent: 0,
        ...(first ? { problem: `event rejected: ${first.field}: ${first.reason}` } : {}),
      };
    }
    if (res.status === 413 && events.length > 1) {
      await res.body?.cancel();
      const half = Math.ceil(events.length / 2);
      const a = await postBatch(url, token, events.slice(0, half), timeoutMs, signal);
      if (a.unsent > 0) return { ...a, unsent: a.unsent + events.length - half };
      const b = await postBatch(url, token, events.slice(half), timeoutMs, signal);
      const problem = b.problem ?? a.problem;
      return {
        ...b,
        delivered: a.delivered + b.delivered,
        rejected: a.rejected + b.rejected,
        ...(problem === undefined ? {} : { problem }),
      };
    }
    const problem = await describe(res);
    if (!retryable(res.status)) return { delivered: 0, rejected: events.length, unsent: 0, problem };
    const retryAfterMs = parseRetryAfter(res.headers.get('retry-after'), Date.now());
    return {
      delivered: 0,
      rejected: 0,
      unsent: events.length,
      problem,
      ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
    };
  } catch (e) {
    return {
      delivered: 0,
      rejected: 0,
      unsent: events.length,
      problem: `${(e as Error).name}: ${(e as Error).message}`,
    };
  } finally {
    clearTimeout(timer);
    signal?.removeEventListener('abort', cancel);
  }
}

/** Posts `events` to `url`, retrying what is left up to `policy.maxRetries` times; `random` gives the jitter. */
export async function sendBatch(
  url: string,
  token: string,
  events: readonly unknown[],
  policy: RetryPolicy,
  random: () => number = Math.random,
): Promise<SendOutcome> {
  let rest = events;
  let delivered = 0;
  let rejected = 0;
  let rejection: string | undefined;
  for (let retries = 0; ; retries++) {
    const a = await postBatch(url, token, rest, policy.timeoutMs);
    delivered += a.delivered;
    rejected += a.rejected;
    if (a.rejected > 0) rejection ??= a.problem;
    if (a.unsent === 0 || retries >= policy.maxRetries) {
      const problem = a.unsent > 0 ? a.problem : rejection;
      return {
        delivered,
        rejected,
        failed: a.unsent,
        retries,
        ...(problem === undefined ? {} : { problem }),
      };
    }
    rest = rest.slice(rest.length - a.unsent);
    await sleep(backoffMs(retries + 1, policy, random, a.retryAfterMs));
  }
}
