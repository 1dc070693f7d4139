/**
 * @module
 * `createMonitor(...)`: the Node client that serving code embeds. It never throws into the caller and never
 * blocks it: `log()`, `label()`, `feedback()` and `event()` validate cheaply and push into a bounded ring
 * buffer (O(1)); a background sender (timers unref'd) posts batches, one request at a time, oldest first.
 * A batch the collector could not take for a reason that may pass (network error, 408, 429, 5xx) stays
 * buffered and goes again first, after exponential back-off with jitter and never sooner than the
 * collector's `Retry-After`: there is no retry limit while the buffer has room. The undelivered batch
 * counts in the buffer's bound like new events, and when the bound is exceeded the oldest events are
 * dropped and counted; the counts travel with every heartbeat. Trouble is reported through `onError`,
 * never thrown.
 */
import { randomUUID } from 'node:crypto';
import type { z } from 'zod';
import { HeartbeatSchema } from '../core/contract/events.js';
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
import { backoffMs, postBatch, sendBatch } from './transport.js';

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
  /**
   * Events held while the collector is slow or down, undelivered batches included; beyond it the oldest
   * are dropped and counted (`bufferFull`). While a batch is on the wire the events that arrive make room
   * among those behind it, and the batch counts again once it is answered.
   */
  maxBufferEvents?: number;
  /** Events per request. */
  maxBatchEvents?: number;
  flushIntervalMs?: number;
  /** 0 disables heartbeats. */
  heartbeatIntervalMs?: number;
  /** Back-off of resends; events are resent for as long as they fit, `maxRetries` bounds heartbeats only. */
  retry?: Partial<RetryPolicy>;
  /**
   * How long `flush()` and `close()` wait while the collector takes nothing (down, or asking to wait);
   * `close()` then drops what is left, counted as `unsent`. A slow collector that keeps taking batches is
   * waited for.
   */
  flushTimeoutMs?: number;
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

/** What `heartbeat()` may set instead of what the monitor measures. */
export interface HeartbeatOverrides {
  /** The beat's event time (epoch ms or ISO-8601 with a zone); default now. */
  timestamp?: number | string;
  /** When the next beat is due (ms); default `heartbeatIntervalMs`. */
  intervalMs?: number;
  /** Host metrics (a flat record of numbers, null where unknown), instead of the sampled ones. */
  host?: Record<string, number | null>;
  /** Self-check results, instead of the start-up checks. */
  checks?: SelfCheck[];
  /** The environment fingerprint, instead of the collected one. */
  fingerprint?: Fingerprint;
}

/** The heartbeat fields `heartbeat()` lets callers set, validated as the collector validates them. */
const HeartbeatOverridesSchema = HeartbeatSchema.pick({
  timestamp: true,
  intervalMs: true,
  host: true,
  checks: true,
  fingerprint: true,
});

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
  /**
   * Sends a heartbeat now (it is also sent on its interval); skipped while the collector asks to wait or another
   * one is on its way. `overrides` replace what the monitor measures — the time, the interval, the host metrics,
   * the self-check results, the environment fingerprint — e.g. to report a check the serving code ran itself or
   * to replay a host's history; they are validated like the collector's heartbeat, and a bad one is reported
   * through `onError` (naming the field) and the beat not sent. Never rejects.
   */
  heartbeat(overrides?: HeartbeatOverrides): Promise<void>;
  /**
   * Sends everything buffered so far, waiting through retries; resolves when none of it is left
   * (delivered, rejected or dropped), or once the collector has taken nothing for `timeoutMs` (default
   * `flushTimeoutMs`): what is left then stays buffered (`stats().buffered`). Never rejects.
   */
  flush(timeoutMs?: number): Promise<void>;
  /**
   * Stops timers and ignores later calls; sends what is buffered while the collector takes it, and once it
   * has taken nothing for `flushTimeoutMs` drops what is left (counted as `unsent`, reported through
   * `onError`).
   */
  close(): Promise<void>;
  stats(): MonitorStats;
}

type Kind = 'predictions' | 'labels' | 'feedback' | 'events';

interface Entry {
  kind: Kind;
  body: object;
  /** Order of arrival, for `flush()` to know when what it waits for has gone. */
  seq: number;
}

const DEFAULTS = {
  maxBufferEvents: 10_000,
  maxBatchEvents: 500,
  flushIntervalMs: 1_000,
  heartbeatIntervalMs: 30_000,
  flushTimeoutMs: 10_000,
  retry: { maxRetries: 6, baseDelayMs: 200, maxDelayMs: 30_000, timeoutMs: 10_000 },
};

interface FlushWaiter {
  /** Done when no event with `seq ≤ upTo` is held any more. */
  upTo: number;
  /** The collector took something: the wait starts over. */
  progress(): void;
  done(ok: boolean): void;
}

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
  private readonly maxEvents: number;
  private readonly batchSize: number;
  private readonly policy: RetryPolicy;
  private readonly flushTimeoutMs: number;
  private readonly instance: string;
  private readonly dropped: Record<string, number> = {};
  private sent = 0;
  private retries = 0;
  private closed = false;
  private closing: Promise<void> | null = null;
  /** Set once close() has given up: answers still on the way are ignored. */
  private stopped = false;
  private seq = 0;
  /** The oldest events, taken from the buffer to be sent and kept until the collector takes them. */
  private pending: Entry[] = [];
  private inFlight = false;
  private sending = false;
  private sendQueued = false;
  /** Failed attempts in a row, for the back-off. */
  private failures = 0;
  /** `performance.now()` before which nothing is sent (back-off, `Retry-After`). */
  private waitUntil = 0;
  private retryTimer: NodeJS.Timeout | null = null;
  private readonly cancel = new AbortController();
  private readonly waiters = new Set<FlushWaiter>();
  private heartbeatInFlight = false;
  private exitFlushFailed = false;
  private readonly timers: NodeJS.Timeout[] = [];
  private readonly beforeExit = () => {
    // Not again until a send succeeds: a flush that cannot deliver must not keep a finished process alive.
    if (this.held() > 0 && this.waiters.size === 0 && !this.exitFlushFailed)
      void this.flushWithin(this.flushTimeoutMs).then((ok) => {
        this.exitFlushFailed = !ok;
      });
  };
  private readonly environment: Promise<{ fingerprint: Fingerprint; checks: SelfCheck[] }>;
  private readonly sampleHost = createHostSampler();

  constructor(
    private readonly base: string,
    private readonly o: MonitorOptions,
    private readonly onError: (e: Error) => void,
  ) {
    this.maxEvents = Math.max(1, o.maxBufferEvents ?? DEFAULTS.maxBufferEvents);
    this.buffer = new RingBuffer(this.maxEvents);
    this.batchSize = Math.max(1, o.maxBatchEvents ?? DEFAULTS.maxBatchEvents);
    this.policy = { ...DEFAULTS.retry, ...o.retry };
    this.flushTimeoutMs = Math.max(0, o.flushTimeoutMs ?? DEFAULTS.flushTimeoutMs);
    this.instance = o.instance ?? `${process.env.HOSTNAME ?? 'host'}-${process.pid}`;
    this.environment = Promise.all([
      collectFingerprint(o.fingerprint),
      runSelfChecks(o.selfChecks ?? {}),
    ]).then(([fingerprint, checks]) => ({ fingerprint, checks }));
    const flushTimer = setInterval(() => this.send(), o.flushIntervalMs ?? DEFAULTS.flushIntervalMs);
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

  /** Events held: the buffer and the batch taken from it. */
  private held(): number {
    return this.buffer.size + this.pending.length;
  }

  /** Drops the oldest event held; the batch on the wire is not touched until it is answered. */
  private dropOldest(): void {
    if (this.pending.length > 0 && !this.inFlight) this.pending.shift();
    else this.buffer.take(1);
    this.drop('bufferFull');
  }

  private push(kind: Kind, body: object): void {
    if (this.closed) {
      this.drop('closed');
      return;
    }
    const room = this.inFlight ? this.buffer.size < this.maxEvents : this.held() < this.maxEvents;
    if (!room) this.dropOldest();
    this.seq += 1;
    this.buffer.push({ kind, body, seq: this.seq });
    if (!room && this.waiters.size > 0) this.settleWaiters();
    if (this.buffer.size >= this.batchSize && !this.sendQueued) {
      this.sendQueued = true;
      setImmediate(() => {
        this.sendQueued = false;
        this.send();
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

  async heartbeat(overrides?: HeartbeatOverrides): Promise<void> {
    // The next one carries the counts: heartbeats neither pile up nor go sooner than `Retry-After` allows.
    if (this.closed || this.heartbeatInFlight || performance.now() < this.waitUntil) return;
    let given: z.output<typeof HeartbeatOverridesSchema> = {};
    try {
      if (overrides !== undefined) {
        const parsed = HeartbeatOverridesSchema.safeParse(overrides);
        if (!parsed.success) {
          const issue = parsed.error.issues[0]!;
          const field = issue.path.length > 0 ? issue.path.join('.') : '(overrides)';
          this.drop('invalid');
          this.onError(
            new Error(`faultline heartbeat: ${field}: ${issue.message}; the heartbeat was not sent`),
          );
          return;
        }
        given = parsed.data;
      }
    } catch (e) {
      this.drop('invalid');
      this.onError(e as Error);
      return;
    }
    this.heartbeatInFlight = true;
    try {
      await this.sendHeartbeat(this.policy, given);
    } finally {
      this.heartbeatInFlight = false;
    }
  }

  private async sendHeartbeat(
    policy: RetryPolicy,
    given: z.output<typeof HeartbeatOverridesSchema> = {},
  ): Promise<void> {
    try {
      const env = await this.environment;
      const beat: HeartbeatInput = {
        id: randomUUID(),
        instance: this.instance,
        model: this.o.model,
        version: this.o.version,
        artifactHash: this.o.artifactHash,
        timestamp: given.timestamp ?? Date.now(),
        intervalMs: given.intervalMs ?? this.o.heartbeatIntervalMs ?? DEFAULTS.heartbeatIntervalMs,
        fingerprint: given.fingerprint ?? env.fingerprint,
        host: given.host ?? (await this.sampleHost()),
        checks: given.checks ?? env.checks,
        sdk: { name: SDK_NAME, version: SDK_VERSION, ...this.statsNow() },
      };
      const r = await sendBatch(`${this.base}/v1/heartbeats`, this.o.token, [beat], policy);
      this.retries += r.retries;
      if (r.problem) this.onError(new Error(`faultline heartbeat: ${r.problem}`));
    } catch (e) {
      this.onError(e as Error);
    }
  }

  /** Starts the sender unless it runs already; it stops when nothing is held or it must wait. */
  private send(): void {
    if (this.sending || this.stopped) return;
    this.sending = true;
    void this.sendLoop();
  }

  private async sendLoop(): Promise<void> {
    try {
      for (;;) {
        if (this.stopped) break;
        if (this.pending.length === 0) this.pending = this.buffer.take(this.batchSize);
        if (this.pending.length === 0) break;
        const wait = this.waitUntil - performance.now();
        if (wait > 0) {
          if (this.retryTimer === null) {
            this.retryTimer = setTimeout(() => {
              this.retryTimer = null;
              this.send();
            }, Math.ceil(wait));
            this.retryTimer.unref();
          }
          break;
        }
        await this.sendPending();
      }
    } catch (e) {
      this.onError(e as Error);
    } finally {
      // Runs in the same turn as the check that ended the loop, so no call to send() is lost in between.
      this.sending = false;
    }
  }

  /** Sends the events of the oldest pending kind (one request per kind, as they are on separate routes). */
  private async sendPending(): Promise<void> {
    const kind = (this.pending[0] as Entry).kind;
    const group = this.pending.filter((e) => e.kind === kind);
    const path = kind === 'events' ? '/v1/events' : `/v1/models/${encodeURIComponent(this.o.model)}/${kind}`;
    this.inFlight = true;
    const r = await postBatch(
      `${this.base}${path}`,
      this.o.token,
      group.map((e) => e.body),
      this.policy.timeoutMs,
      this.cancel.signal,
    );
    this.inFlight = false;
    if (this.stopped) return;
    // What is left to send again is always the end of the group: the rest is done with.
    const done = new Set(group.slice(0, group.length - r.unsent));
    this.pending = this.pending.filter((e) => !done.has(e));
    this.sent += r.delivered;
    if (r.rejected > 0) this.drop('rejected', r.rejected);
    if (r.unsent > 0) {
      this.failures += 1;
      this.retries += 1;
      this.waitUntil = performance.now() + backoffMs(this.failures, this.policy, Math.random, r.retryAfterMs);
    } else {
      this.failures = 0;
      this.exitFlushFailed = false;
    }
    if (r.problem) this.onError(new Error(`faultline ${kind}: ${r.problem}`));
    if (r.delivered + r.rejected > 0) for (const w of this.waiters) w.progress();
    // The batch is back in the bound: events that came while it was on the wire may leave too many.
    while (this.held() > this.maxEvents) this.dropOldest();
    this.settleWaiters();
  }

  private oldestHeld(): number | undefined {
    return this.pending[0]?.seq ?? this.buffer.peek()?.seq;
  }

  private settleWaiters(): void {
    const oldest = this.oldestHeld();
    for (const w of [...this.waiters]) if (oldest === undefined || oldest > w.upTo) w.done(true);
  }

  async flush(timeoutMs?: number): Promise<void> {
    await this.flushWithin(timeoutMs ?? this.flushTimeoutMs);
  }

  /**
   * True when none of the events held at the call are left, false when the collector took nothing for
   * `stallMs` first.
   */
  private flushWithin(stallMs: number): Promise<boolean> {
    if (this.held() === 0 || this.stopped) return Promise.resolve(this.held() === 0);
    return new Promise<boolean>((resolve) => {
      // Not unref'd: a process that awaits flush() stays up until it is done or the time is out.
      let timer = setTimeout(() => w.done(false), stallMs);
      const w: FlushWaiter = {
        upTo: this.seq,
        progress: () => {
          clearTimeout(timer);
          timer = setTimeout(() => w.done(false), stallMs);
        },
        done: (ok) => {
          clearTimeout(timer);
          this.waiters.delete(w);
          resolve(ok);
        },
      };
      this.waiters.add(w);
      this.send();
    });
  }

  close(): Promise<void> {
    this.closing ??= this.shutDown();
    return this.closing;
  }

  private async shutDown(): Promise<void> {
    this.closed = true;
    for (const t of this.timers) clearInterval(t);
    process.off('beforeExit', this.beforeExit);
    const delivered = await this.flushWithin(this.flushTimeoutMs);
    this.stopped = true;
    if (this.retryTimer !== null) clearTimeout(this.retryTimer);
    const left = this.held();
    if (left > 0) {
      this.cancel.abort();
      this.buffer.take(left);
      this.pending = [];
      this.drop('unsent', left);
      this.onError(new Error(`faultline: closed with ${left} events undelivered`));
    }
    // A last heartbeat carries the final counts; one attempt, and only to a collector that answers.
    if (delivered && (this.o.heartbeatIntervalMs ?? DEFAULTS.heartbeatIntervalMs) > 0)
      await this.sendHeartbeat({ ...this.policy, maxRetries: 0 });
  }

  private statsNow(): MonitorStats {
    return {
      buffered: this.held(),
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
