/**
 * @module
 * `createMonitor(...)`: the Node client that serving code embeds. It never throws into the caller and never
 * blocks it: `log()`, `label()`, `feedback()` and `event()` validate cheaply and push into a bounded ring
 * buffer (O(1)); a background flush (timer unref'd) sends batches with retries, exponential back-off and
 * jitter. When the collector is down the buffer fills to its bound, then new events are dropped and
 * counted; the counts travel with every heartbeat. Trouble is reported through `onError`, never thrown.
 */
import { randomUUID } from 'node:crypto';
import type {
  FeedbackEventInput,
  Fingerprint,
  GenericEventInput,
  HeartbeatInput,
  Output,
  PredictionStatus,
  Scalar,
  SelfCheck,
} from '../core/contract/index.js';
import type { FingerprintOptions, SelfCheckOptions } from './environment.js';
import { collectFingerprint, createHostSampler, runSelfChecks } from './environment.js';
import { RingBuffer } from './ring-buffer.js';
import type { RetryPolicy } from './transport.js';
import { sendBatch } from './transport.js';

export const SDK_NAME = 'faultline-node';
export const SDK_VERSION = '0.1.0';

export interface MonitorOptions {
  /** Collector base URL, e.g. `http://127.0.0.1:7070`. */
  url: string;
  /** A token with the ingest role. */
  token: string;
  model: string;
  version: string;
  artifactHash: string;
  /** This serving instance; defaults to `<hostname>-<pid>`. */
  instance?: string;
  /** Events held while the collector is slow or down; beyond it new events are dropped and counted. */
  maxBufferEvents?: number;
  /** Events per request. */
  maxBatchEvents?: number;
  flushIntervalMs?: number;
  /** 0 disables heartbeats. */
  heartbeatIntervalMs?: number;
  retry?: Partial<RetryPolicy>;
  fingerprint?: FingerprintOptions;
  selfChecks?: SelfCheckOptions;
  /** Flush what is buffered when the process is about to exit (`beforeExit`). */
  flushOnExit?: boolean;
  /** Called with problems (collector down, events rejected); never with the caller's own errors. */
  onError?: (error: Error) => void;
}

/** What `log()` takes; the monitor adds version, artifact hash and instance. */
export interface PredictionInput {
  id?: string;
  timestamp?: number | string;
  features: Record<string, number | string | boolean | null>;
  output?: Output;
  latencyMs?: number;
  status?: PredictionStatus;
  errorKind?: string;
}

export interface WrapOptions<A extends unknown[], R> {
  /** Features of the call, from its arguments. */
  features?: (...args: A) => Record<string, number | string | boolean | null>;
  /** The model output, from the result. */
  output?: (result: Awaited<R>) => Output;
  /** The prediction id, from the arguments (random when absent). */
  id?: (...args: A) => string;
  /** A call slower than this is recorded with status `timeout` (the result is still returned). */
  timeoutMs?: number;
}

export interface MonitorStats {
  buffered: number;
  sent: number;
  retries: number;
  dropped: Record<string, number>;
}

export interface Monitor {
  /** Records a prediction; returns its id. */
  log(prediction: PredictionInput): string;
  /** Records the true value of a prediction (usually later). */
  label(predictionId: string, value: Scalar, timestamp?: number | string): void;
  /** Records what a user did with an item of a ranked output. */
  feedback(event: Omit<FeedbackEventInput, 'id' | 'instance'> & { id?: string }): void;
  /** Records a free-form event (deploy, crash, error, probe, …). */
  event(event: Omit<GenericEventInput, 'id'> & { id?: string }): void;
  /** Wraps a function: times each call and records it; returns its result unchanged and rethrows its errors. */
  wrap<A extends unknown[], R>(fn: (...args: A) => R, options?: WrapOptions<A, R>): (...args: A) => R;
  /** Sends a heartbeat now (it is also sent on its interval). */
  heartbeat(): Promise<void>;
  /** Sends everything buffered; resolves when done (never rejects). */
  flush(): Promise<void>;
  /** Stops timers, flushes, and ignores later calls. */
  close(): Promise<void>;
  stats(): MonitorStats;
}

type Kind = 'predictions' | 'labels' | 'feedback' | 'events';

interface Entry {
  kind: Kind;
  body: object;
}

const DEFAULTS = {
  maxBufferEvents: 10_000,
  maxBatchEvents: 500,
  flushIntervalMs: 1_000,
  heartbeatIntervalMs: 30_000,
  retry: { maxRetries: 6, baseDelayMs: 200, maxDelayMs: 30_000, timeoutMs: 10_000 },
};

function isPromiseLike(v: unknown): v is PromiseLike<unknown> {
  return (
    v !== null &&
    (typeof v === 'object' || typeof v === 'function') &&
    typeof (v as { then?: unknown }).then === 'function'
  );
}

function errorKindOf(e: unknown): string {
  const err = e as { code?: unknown; name?: unknown } | null;
  if (err && typeof err.code === 'string') return err.code;
  if (err && typeof err.name === 'string') return err.name;
  return typeof e;
}

function isTimeoutError(e: unknown): boolean {
  const err = e as { code?: unknown; name?: unknown } | null;
  return err?.name === 'TimeoutError' || err?.code === 'ETIMEDOUT' || err?.code === 'ESOCKETTIMEDOUT';
}

/**
 * Creates a monitor. Never throws: with unusable options it returns a monitor that drops everything and
 * reports why through `onError`.
 */
export function createMonitor(options: MonitorOptions): Monitor {
  const onError = (e: Error) => {
    try {
      options.onError?.(e);
    } catch {
      // the hook's own failure must not reach the caller either
    }
  };
  let base: string;
  try {
    base = new URL(options.url).toString().replace(/\/+$/, '');
    for (const f of ['token', 'model', 'version', 'artifactHash'] as const)
      if (typeof options[f] !== 'string' || options[f].length === 0)
        throw new Error(`option "${f}" is required`);
  } catch (e) {
    onError(new Error(`faultline monitor disabled: ${(e as Error).message}`));
    return createNoopMonitor();
  }
  return new BufferedMonitor(base, options, onError);
}

class BufferedMonitor implements Monitor {
  private readonly buffer: RingBuffer<Entry>;
  private readonly batchSize: number;
  private readonly policy: RetryPolicy;
  private readonly instance: string;
  private readonly dropped: Record<string, number> = {};
  private sent = 0;
  private retries = 0;
  private closed = false;
  private flushing: Promise<void> | null = null;
  private flushQueued = false;
  private readonly timers: NodeJS.Timeout[] = [];
  private readonly beforeExit = () => {
    if (this.buffer.size > 0 && !this.flushing) void this.flush();
  };
  private readonly environment: Promise<{ fingerprint: Fingerprint; checks: SelfCheck[] }>;
  private readonly sampleHost = createHostSampler();

  constructor(
    private readonly base: string,
    private readonly o: MonitorOptions,
    private readonly onError: (e: Error) => void,
  ) {
    this.buffer = new RingBuffer(Math.max(1, o.maxBufferEvents ?? DEFAULTS.maxBufferEvents));
    this.batchSize = Math.max(1, o.maxBatchEvents ?? DEFAULTS.maxBatchEvents);
    this.policy = { ...DEFAULTS.retry, ...o.retry };
    this.instance = o.instance ?? `${process.env.HOSTNAME ?? 'host'}-${process.pid}`;
    this.environment = Promise.all([
      collectFingerprint(o.fingerprint),
      runSelfChecks(o.selfChecks ?? {}),
    ]).then(([fingerprint, checks]) => ({ fingerprint, checks }));
    const flushTimer = setInterval(() => void this.flush(), o.flushIntervalMs ?? DEFAULTS.flushIntervalMs);
    flushTimer.unref();
    this.timers.push(flushTimer);
    const hbMs = o.heartbeatIntervalMs ?? DEFAULTS.heartbeatIntervalMs;
    if (hbMs > 0) {
      const hbTimer = setInterval(() => void this.heartbeat(), hbMs);
      hbTimer.unref();
      this.timers.push(hbTimer);
      void this.environment.then(() => this.heartbeat());
    }
    if (o.flushOnExit ?? true) process.on('beforeExit', this.beforeExit);
  }

  private drop(reason: string, n = 1): void {
    this.dropped[reason] = (this.dropped[reason] ?? 0) + n;
  }

  private push(kind: Kind, body: object): void {
    if (this.closed) {
      this.drop('closed');
      return;
    }
    if (!this.buffer.push({ kind, body })) {
      this.drop('bufferFull');
      return;
    }
    if (this.buffer.size >= this.batchSize && !this.flushQueued) {
      this.flushQueued = true;
      setImmediate(() => {
        this.flushQueued = false;
        void this.flush();
      }).unref();
    }
  }

  log(p: PredictionInput): string {
    try {
      const id = p.id ?? randomUUID();
      if (p === null || typeof p !== 'object' || p.features === null || typeof p.features !== 'object') {
        this.drop('invalid');
        return id;
      }
      this.push('predictions', {
        id,
        timestamp: p.timestamp ?? Date.now(),
        version: this.o.version,
        artifactHash: this.o.artifactHash,
        instance: this.instance,
        // A shallow copy: the caller may reuse its feature object after log() returns.
        features: { ...p.features },
        output: p.output,
        latencyMs: p.latencyMs,
        status: p.status,
        errorKind: p.errorKind,
      });
      return id;
    } catch {
      this.drop('invalid');
      return '';
    }
  }

  label(predictionId: string, value: Scalar, timestamp?: number | string): void {
    try {
      this.push('labels', { predictionId, value, timestamp: timestamp ?? Date.now() });
    } catch {
      this.drop('invalid');
    }
  }

  feedback(event: Omit<FeedbackEventInput, 'id' | 'instance'> & { id?: string }): void {
    try {
      this.push('feedback', {
        ...event,
        id: event.id ?? randomUUID(),
        timestamp: event.timestamp ?? Date.now(),
        instance: this.instance,
      });
    } catch {
      this.drop('invalid');
    }
  }

  event(event: Omit<GenericEventInput, 'id'> & { id?: string }): void {
    try {
      this.push('events', {
        model: this.o.model,
        version: this.o.version,
        instance: this.instance,
        ...event,
        id: event.id ?? randomUUID(),
        timestamp: event.timestamp ?? Date.now(),
      });
    } catch {
      this.drop('invalid');
    }
  }

  wrap<A extends unknown[], R>(fn: (...args: A) => R, options: WrapOptions<A, R> = {}): (...args: A) => R {
    const record = (args: A, startMs: number, ok: boolean, value: unknown) => {
      try {
        const latencyMs = performance.now() - startMs;
        let features: Record<string, number | string | boolean | null> = {};
        let output: Output | undefined;
        try {
          if (options.features) features = options.features(...args);
          if (ok && options.output) output = options.output(value as Awaited<R>);
        } catch {
          this.drop('extractorFailed');
        }
        const slow = options.timeoutMs !== undefined && latencyMs > options.timeoutMs;
        const status: PredictionStatus = ok
          ? slow
            ? 'timeout'
            : 'ok'
          : isTimeoutError(value)
            ? 'timeout'
            : 'error';
        this.log({
          ...(options.id ? { id: options.id(...args) } : {}),
          features,
          ...(output ? { output } : {}),
          latencyMs,
          status,
          ...(status === 'ok' ? {} : { errorKind: ok ? 'timeout' : errorKindOf(value) }),
        });
      } catch {
        this.drop('invalid');
      }
    };
    return function wrapped(this: unknown, ...args: A): R {
      const startMs = performance.now();
      let result: R;
      try {
        result = fn.apply(this, args);
      } catch (e) {
        record(args, startMs, false, e);
        throw e;
      }
      if (isPromiseLike(result)) {
        // Observe the promise without replacing it: the caller gets the very same object back.
        result.then(
          (v) => record(args, startMs, true, v),
          (e) => record(args, startMs, false, e),
        );
        return result;
      }
      record(args, startMs, true, result);
      return result;
    };
  }

  async heartbeat(): Promise<void> {
    if (this.closed) return;
    try {
      const env = await this.environment;
      const beat: HeartbeatInput = {
        id: randomUUID(),
        instance: this.instance,
        model: this.o.model,
        version: this.o.version,
        artifactHash: this.o.artifactHash,
        timestamp: Date.now(),
        intervalMs: this.o.heartbeatIntervalMs ?? DEFAULTS.heartbeatIntervalMs,
        fingerprint: env.fingerprint,
        host: await this.sampleHost(),
        checks: env.checks,
        sdk: { name: SDK_NAME, version: SDK_VERSION, ...this.statsNow() },
      };
      const r = await sendBatch(`${this.base}/v1/heartbeats`, this.o.token, [beat], this.policy);
      this.retries += r.retries;
      if (r.problem) this.onError(new Error(`faultline heartbeat: ${r.problem}`));
    } catch (e) {
      this.onError(e as Error);
    }
  }

  flush(): Promise<void> {
    // One flush at a time; a flush asked for during another runs right after it.
    const run = async (): Promise<void> => {
      while (this.buffer.size > 0) {
        const entries = this.buffer.take(this.batchSize);
        const byKind = new Map<Kind, object[]>();
        for (const e of entries) {
          const list = byKind.get(e.kind);
          if (list) list.push(e.body);
          else byKind.set(e.kind, [e.body]);
        }
        for (const [kind, bodies] of byKind) {
          const path =
            kind === 'events' ? '/v1/events' : `/v1/models/${encodeURIComponent(this.o.model)}/${kind}`;
          const r = await sendBatch(`${this.base}${path}`, this.o.token, bodies, this.policy);
          this.sent += r.delivered;
          this.retries += r.retries;
          if (r.rejected > 0) this.drop('rejected', r.rejected);
          if (r.failed > 0) this.drop('sendFailed', r.failed);
          if (r.problem) this.onError(new Error(`faultline ${kind}: ${r.problem}`));
        }
      }
    };
    const previous = this.flushing ?? Promise.resolve();
    const next = previous.then(run).catch((e: unknown) => this.onError(e as Error));
    this.flushing = next;
    void next.then(() => {
      if (this.flushing === next) this.flushing = null;
    });
    return next;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    for (const t of this.timers) clearInterval(t);
    process.off('beforeExit', this.beforeExit);
    await this.flush();
    if ((this.o.heartbeatIntervalMs ?? DEFAULTS.heartbeatIntervalMs) > 0) await this.heartbeat();
    this.closed = true;
  }

  private statsNow(): MonitorStats {
    return {
      buffered: this.buffer.size,
      sent: this.sent,
      retries: this.retries,
      dropped: { ...this.dropped },
    };
  }

  stats(): MonitorStats {
    return this.statsNow();
  }
}

/** A monitor that records nothing (used when the options are unusable). */
export function createNoopMonitor(): Monitor {
  return {
    log: (p) => p?.id ?? '',
    label: () => {},
    feedback: () => {},
    event: () => {},
    wrap: (fn) => fn,
    heartbeat: async () => {},
    flush: async () => {},
    close: async () => {},
    stats: () => ({ buffered: 0, sent: 0, retries: 0, dropped: {} }),
  };
}
