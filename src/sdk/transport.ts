/**
 * Sending one batch to the collector with retries: exponential back-off with full jitter on network
 * errors, timeouts, 408, 429 and 5xx; no retry on other 4xx (the batch itself is wrong); a 413 splits the
 * batch in two. Never throws: the outcome says what happened to each event.
 */
import type { IngestResult } from '../core/contract/index.js';

export interface RetryPolicy {
  maxRetries: number;
  baseDelayMs: number;
  maxDelayMs: number;
  timeoutMs: number;
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

/** Posts `events` (a JSON array) to `url`, retrying per `policy`; `random` gives the jitter. */
export async function sendBatch(
  url: string,
  token: string,
  events: readonly unknown[],
  policy: RetryPolicy,
  random: () => number = Math.random,
): Promise<SendOutcome> {
  let retries = 0;
  let problem: string | undefined;
  for (let attempt = 0; ; attempt++) {
    try {
      const res = await fetch(url, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify(events),
        signal: AbortSignal.timeout(policy.timeoutMs),
      });
      if (res.status === 200) {
        const body = (await res.json()) as IngestResult;
        const rejected = body.rejected.length;
        const first = body.rejected[0];
        return {
          delivered: body.accepted + body.duplicates,
          rejected,
          failed: 0,
          retries,
          ...(first ? { problem: `event rejected: ${first.field}: ${first.reason}` } : {}),
        };
      }
      if (res.status === 413 && events.length > 1) {
        const half = Math.ceil(events.length / 2);
        const a = await sendBatch(url, token, events.slice(0, half), policy, random);
        const b = await sendBatch(url, token, events.slice(half), policy, random);
        return {
          delivered: a.delivered + b.delivered,
          rejected: a.rejected + b.rejected,
          failed: a.failed + b.failed,
          retries: retries + a.retries + b.retries,
          ...((b.problem ?? a.problem) ? { problem: b.problem ?? a.problem } : {}),
        };
      }
      problem = await describe(res);
      if (!retryable(res.status))
        return { delivered: 0, rejected: events.length, failed: 0, retries, problem };
    } catch (e) {
      problem = `${(e as Error).name}: ${(e as Error).message}`;
    }
    if (attempt >= policy.maxRetries)
      return { delivered: 0, rejected: 0, failed: events.length, retries, problem };
    retries += 1;
    const cap = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** attempt);
    await sleep(random() * cap);
  }
}
