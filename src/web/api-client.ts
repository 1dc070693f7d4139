/**
 * @module
 * The dashboard's only way to the data: the collector's HTTP API on the same origin, with the read token as
 * `Authorization: Bearer`. A 401 hands control back to sign-in; other failures become an `ApiError` carrying
 * the collector's code, message and hint so a page can show them as they are.
 */
import type {
  Instance,
  Model,
  ModelVersion,
  StoredEvent,
  StoredHeartbeat,
  StoredPrediction,
  WhoAmI,
  WindowList,
} from '../core/contract/index.js';
import type { TokenStore } from './token-store.js';

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly hint: string | null,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

export type Query = Record<string, string | number | undefined | null>;

export interface ApiClientOptions {
  tokens: TokenStore;
  /** Called on 401 (token missing, unknown or revoked) after the token is dropped. */
  onUnauthorized: () => void;
  /** Base URL; the same origin by default. */
  base?: string;
  fetchImpl?: typeof fetch;
}

function queryString(q: Query | undefined): string {
  if (!q) return '';
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(q)) if (v !== undefined && v !== null && v !== '') p.set(k, String(v));
  const s = p.toString();
  return s ? `?${s}` : '';
}

/** `/v1/models/a b` → `/v1/models/a%20b`: each dynamic segment is encoded by the caller through `seg`. */
export const seg = (s: string): string => encodeURIComponent(s);

export class ApiClient {
  private readonly base: string;
  private readonly fetchImpl: typeof fetch;

  constructor(private readonly options: ApiClientOptions) {
    this.base = options.base ?? '';
    this.fetchImpl = options.fetchImpl ?? ((input, init) => fetch(input, init));
  }

  /** Sends a request; answers the parsed JSON body (null for 204). */
  async request<T>(method: 'GET' | 'POST', path: string, query?: Query, body?: unknown): Promise<T> {
    const token = this.options.tokens.get();
    const headers: Record<string, string> = { accept: 'application/json' };
    if (token) headers.authorization = `Bearer ${token}`;
    if (body !== undefined) headers['content-type'] = 'application/json';
    let res: Response;
    try {
      res = await this.fetchImpl(`${this.base}${path}${queryString(query)}`, {
        method,
        headers,
        body: body === undefined ? null : JSON.stringify(body),
        credentials: 'omit',
        cache: 'no-store',
      });
    } catch (e) {
      throw new ApiError(
        0,
        'network.unreachable',
        `the collector did not answer (${(e as Error).message})`,
        null,
      );
    }
    if (res.status === 401) {
      this.options.tokens.clear();
      this.options.onUnauthorized();
    }
    if (res.status === 204) return null as T;
    const text = await res.text();
    let json: unknown = null;
    try {
      json = text ? JSON.parse(text) : null;
    } catch {
      json = null;
    }
    if (!res.ok) {
      const err = (json as { error?: { code?: string; message?: string; hint?: string } } | null)?.error;
      throw new ApiError(
        res.status,
        err?.code ?? `http.${res.status}`,
        err?.message ?? `${method} ${path} answered ${res.status}`,
        err?.hint ?? null,
      );
    }
    return json as T;
  }

  get<T>(path: string, query?: Query): Promise<T> {
    return this.request<T>('GET', path, query);
  }

  post<T>(path: string, body: unknown = {}): Promise<T> {
    return this.request<T>('POST', path, undefined, body);
  }

  whoami(): Promise<WhoAmI> {
    return this.get('/v1/whoami');
  }

  async models(): Promise<Model[]> {
    return (await this.get<{ models: Model[] }>('/v1/models')).models;
  }

  model(model: string): Promise<Model & { versions: ModelVersion[] }> {
    return this.get(`/v1/models/${seg(model)}`);
  }

  windows(
    model: string,
    q: { from: number; to: number; windowMs?: number; version?: string; include?: string },
  ): Promise<WindowList> {
    return this.get(`/v1/models/${seg(model)}/windows`, { ...q, limit: 10_000 });
  }

  async instances(model?: string): Promise<Instance[]> {
    return (await this.get<{ instances: Instance[] }>('/v1/instances', { model })).instances;
  }

  async heartbeats(q: {
    model?: string;
    instance?: string;
    from?: number;
    to?: number;
  }): Promise<StoredHeartbeat[]> {
    return (await this.get<{ heartbeats: StoredHeartbeat[] }>('/v1/heartbeats', { ...q, limit: 1000 }))
      .heartbeats;
  }

  async events(q: { model?: string; kind?: string; from?: number; to?: number }): Promise<StoredEvent[]> {
    return (await this.get<{ events: StoredEvent[] }>('/v1/events', { ...q, limit: 200 })).events;
  }

  async predictions(
    model: string,
    q: { from?: number; to?: number; limit?: number },
  ): Promise<StoredPrediction[]> {
    return (await this.get<{ predictions: StoredPrediction[] }>(`/v1/models/${seg(model)}/predictions`, q))
      .predictions;
  }
}
