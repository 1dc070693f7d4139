/**
 * @module
 * A tiny real HTTP service the demo starts and stops: the feature store the flight-delay model calls for its
 * congestion features (`POST /v1/congestion` with flight keys and the feature's window, `3h` or `24h`), with a
 * health route (`GET /health`) the demo probes. Stopping it makes the calls fail the way a down upstream does
 * (connection refused).
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface CongestionValues {
  origin: number;
  destination: number;
}

/** Over which past span congestion is computed: the training pipeline's 3 hours, or 24 hours. */
export type CongestionWindow = '3h' | '24h';

export interface FeatureStore {
  /** `http://127.0.0.1:<port>`; stays the same across stop and start. */
  readonly url: string;
  readonly running: boolean;
  stop(): Promise<void>;
  start(): Promise<void>;
  close(): Promise<void>;
}

/** Starts the feature store on a free loopback port, serving `lookup(key)` for each flight key asked. */
export async function startFeatureStore(
  lookup: (key: number, window: CongestionWindow) => CongestionValues | null,
): Promise<FeatureStore> {
  const handler = (req: import('node:http').IncomingMessage, res: import('node:http').ServerResponse) => {
    const send = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    if (req.method === 'GET' && req.url === '/health') return send(200, { ok: true });
    if (req.method === 'POST' && req.url === '/v1/congestion') {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        try {
          const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as {
            keys?: unknown;
            window?: unknown;
          };
          if (!Array.isArray(body.keys)) return send(400, { error: 'keys: must be an array of flight keys' });
          const window = body.window ?? '3h';
          if (window !== '3h' && window !== '24h')
            return send(400, { error: 'window: must be "3h" or "24h"' });
          send(200, { values: body.keys.map((k) => (typeof k === 'number' ? lookup(k, window) : null)) });
        } catch {
          send(400, { error: 'body: must be JSON' });
        }
      });
      return;
    }
    send(404, { error: 'not found' });
  };
  let server: Server | null = null;
  let port = 0;
  const listen = () =>
    new Promise<void>((resolve, reject) => {
      const s = createServer(handler);
      s.keepAliveTimeout = 1_000;
      s.once('error', reject);
      s.listen(port, '127.0.0.1', () => {
        port = (s.address() as AddressInfo).port;
        server = s;
        resolve();
      });
    });
  const shut = () =>
    new Promise<void>((resolve) => {
      const s = server;
      server = null;
      if (!s) return resolve();
      s.close(() => resolve());
      s.closeAllConnections();
    });
  await listen();
  return {
    get url() {
      return `http://127.0.0.1:${port}`;
    },
    get running() {
      return server !== null;
    },
    stop: shut,
    start: async () => {
      if (!server) await listen();
    },
    close: shut,
  };
}

/** Thrown by `fetchCongestion` with the error code of the failed call (e.g. `ECONNREFUSED`). */
export class UpstreamError extends Error {
  constructor(
    message: string,
    readonly code: string,
  ) {
    super(message);
    this.name = 'UpstreamError';
  }
}

/** Asks the feature store for the congestion features of `keys`; throws `UpstreamError` when it cannot. */
export async function fetchCongestion(
  url: string,
  keys: readonly number[],
  window: CongestionWindow = '3h',
): Promise<(CongestionValues | null)[]> {
  let res: Response;
  try {
    res = await fetch(`${url}/v1/congestion`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ keys, window }),
      signal: AbortSignal.timeout(2_000),
    });
  } catch (e) {
    const cause = (e as { cause?: { code?: unknown } }).cause;
    const code = typeof cause?.code === 'string' ? cause.code : (e as Error).name;
    throw new UpstreamError(`feature store unreachable: ${code}`, code);
  }
  if (res.status !== 200)
    throw new UpstreamError(`feature store answered ${res.status}`, `HTTP_${res.status}`);
  return ((await res.json()) as { values: (CongestionValues | null)[] }).values;
}

/** One probe of the feature store's health route: whether it answered 200, and how long it took. */
export async function probeHealth(
  url: string,
  timeoutMs = 1_000,
): Promise<{ ok: boolean; latencyMs: number | null; status: number | null; error: string | null }> {
  const start = performance.now();
  try {
    const res = await fetch(`${url}/health`, { signal: AbortSignal.timeout(timeoutMs) });
    await res.arrayBuffer();
    return {
      ok: res.status === 200,
      latencyMs: Math.round((performance.now() - start) * 100) / 100,
      status: res.status,
      error: null,
    };
  } catch (e) {
    const cause = (e as { cause?: { code?: unknown } }).cause;
    return {
      ok: false,
      latencyMs: null,
      status: null,
      error: typeof cause?.code === 'string' ? cause.code : (e as Error).name,
    };
  }
}
