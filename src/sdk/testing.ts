/**
 * Test fixture for clients: a stand-in collector on a free port whose answer to each ingestion request
 * (its status, and `Retry-After`) the test decides, recording every request (the event ids, when it came
 * and was answered) and how many were open at once. For failure patterns the real collector cannot be
 * told to produce (a long `ingest.log_full`, a 413 on one half of a batch).
 */
import type { Server } from 'node:http';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface StandInRequest {
  /** `performance.now()` when the request arrived and when it was answered; `Date.now()` on arrival. */
  at: number;
  answeredAt: number;
  wallMs: number;
  ids: string[];
  status: number;
}

/**
 * A stand-in collector: `answer` decides each request's status (and `Retry-After`, and how long to take)
 * from its arrival time and event ids; every request is recorded, and how many were in flight at once.
 */
export async function startStandIn(
  answer: (at: number, ids: string[]) => { status: number; retryAfter?: string; delayMs?: number },
) {
  const requests: StandInRequest[] = [];
  let open = 0;
  let most = 0;
  const server: Server = createServer((req, res) => {
    open += 1;
    most = Math.max(most, open);
    let body = '';
    req.on('data', (d) => {
      body += d;
    });
    req.on('end', () => {
      const at = performance.now();
      const ids = (JSON.parse(body) as { id: string }[]).map((e) => e.id);
      const { status, retryAfter, delayMs = 0 } = answer(at, ids);
      const payload =
        status === 200
          ? { accepted: ids.length, duplicates: 0, rejected: [] }
          : status === 413
            ? { error: { code: 'request.body_too_large', message: 'the body is too large' } }
            : { error: { code: 'ingest.log_full', message: 'the ingestion log is full' } };
      setTimeout(() => {
        res.writeHead(status, {
          'content-type': 'application/json',
          ...(retryAfter === undefined ? {} : { 'retry-after': retryAfter }),
        });
        open -= 1;
        res.end(JSON.stringify(payload));
        requests.push({ at, answeredAt: performance.now(), wallMs: Date.now(), ids, status });
      }, delayMs);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests,
    delivered: () => requests.filter((r) => r.status === 200).flatMap((r) => r.ids),
    refused: () => requests.filter((r) => r.status === 503).length,
    /** Milliseconds from each 503 answer to the request after it. */
    waitsAfterRefusal: () =>
      requests.flatMap((r, i) => {
        const next = requests[i + 1];
        return r.status === 503 && next ? [next.at - r.answeredAt] : [];
      }),
    maxConcurrent: () => most,
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}

/** Answers 503 `ingest.log_full` with `Retry-After: retryAfter` for `forMs` after the first request, then 200. */
export function outage(forMs: number, retryAfter: string) {
  let first: number | undefined;
  return (at: number) => {
    first ??= at;
    return at - first < forMs ? { status: 503, retryAfter } : { status: 200 };
  };
}

/** `e<from>` … `e<to − 1>`, the ids the tests give their events. */
export const eventIds = (from: number, to: number): string[] =>
  Array.from({ length: to - from }, (_, i) => `e${from + i}`);
