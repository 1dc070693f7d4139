/**
 * @module
 * Delivers incident changes to webhooks: the generic JSON payload or a Slack-compatible message, one POST per
 * change and receiver, retried with exponential back-off and jitter on network failures, 408/425/429 and 5xx
 * (honouring `Retry-After`), never on other 4xx. Every delivery is recorded in the store with each attempt's
 * outcome (`GET /v1/alerts`). In dry-run mode nothing is sent: each alert is printed as one JSON line and
 * recorded as `printed`.
 */
import { type NotifyPolicy, shouldNotify } from '../../core/alerts/notify.js';
import {
  isRetryableStatus,
  RETRY_DEFAULTS,
  type RetryPolicy,
  retryDelayMs,
} from '../../core/alerts/retry.js';
import { buildSlackMessage } from '../../core/alerts/slack.js';
import { alertId, buildWebhookPayload } from '../../core/alerts/webhook.js';
import { parseRetryAfter } from '../../core/contract/index.js';
import type { IncidentChange } from '../../core/incidents/apply.js';
import type { Rng } from '../../core/rng.js';
import type { AlertDeliveryRecord, EngineStateStore } from '../../store/store.js';
import type { Clock } from '../deps.js';
import type { AlertTarget } from './targets.js';

export interface AlertDispatcherOptions {
  store: EngineStateStore;
  targets: readonly AlertTarget[];
  /** Print alerts instead of sending them. */
  dryRun: boolean;
  /** Where dry-run alerts go (one JSON line each). */
  print: (line: string) => void;
  clock: Clock;
  rng: Rng;
  /** Base URL of the dashboard for incident links. */
  baseUrl: string;
  retry?: Partial<RetryPolicy>;
  notify?: Partial<NotifyPolicy>;
  /** Time allowed for one POST (default 10 s). */
  timeoutMs?: number;
  onError?: (error: unknown, context: string) => void;
}

export interface AlertDispatcher {
  /** Queues the deliveries of one change (when the notify policy says so); resolves once they are recorded. */
  deliver(project: string, change: IncidentChange): Promise<void>;
  /** Resolves when no delivery is in flight or waiting for a retry. */
  idle(): Promise<void>;
  /** Cancels pending retries (their records stay `retrying`). */
  close(): void;
}

export function createAlertDispatcher(options: AlertDispatcherOptions): AlertDispatcher {
  const { store, clock } = options;
  const policy: RetryPolicy = { ...RETRY_DEFAULTS, ...options.retry };
  const timeoutMs = options.timeoutMs ?? 10_000;
  const onError =
    options.onError ??
    ((e: unknown, context: string) =>
      process.stderr.write(`faultline: ${context}: ${e instanceof Error ? e.message : String(e)}\n`));
  const timers = new Set<NodeJS.Timeout>();
  let inFlight = 0;
  let waiters: (() => void)[] = [];
  let closed = false;

  function settle(): void {
    if (inFlight > 0) return;
    const ws = waiters;
    waiters = [];
    for (const w of ws) w();
  }

  async function record(project: string, d: AlertDeliveryRecord): Promise<void> {
    try {
      await store.putAlertDelivery(project, d);
    } catch (e) {
      onError(e, `recording alert delivery ${d.id}`);
    }
  }

  async function attempt(project: string, d: AlertDeliveryRecord): Promise<void> {
    let status: number | null = null;
    let error: string | null = null;
    let retryAfter: number | undefined;
    try {
      const res = await fetch(d.target, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'user-agent': 'faultline-alerts',
          'x-faultline-alert-id': d.alertId,
        },
        body: JSON.stringify(d.payload),
        signal: AbortSignal.timeout(timeoutMs),
      });
      status = res.status;
      retryAfter = parseRetryAfter(res.headers.get('retry-after'), clock.now());
      await res.arrayBuffer().catch(() => undefined);
      if (status < 200 || status >= 300) error = `HTTP ${status}`;
    } catch (e) {
      error =
        e instanceof Error
          ? e.cause instanceof Error
            ? `${e.message}: ${e.cause.message}`
            : e.message
          : String(e);
    }
    const now = clock.now();
    const attempts = d.attempts + 1;
    if (error === null) {
      await record(project, {
        ...d,
        status: 'delivered',
        attempts,
        lastStatusCode: status,
        lastError: null,
        updatedAtMs: now,
        nextAttemptAtMs: null,
      });
      return;
    }
    const delay =
      isRetryableStatus(status) && !closed ? retryDelayMs(attempts, policy, options.rng, retryAfter) : null;
    if (delay === null) {
      await record(project, {
        ...d,
        status: 'failed',
        attempts,
        lastStatusCode: status,
        lastError: error,
        updatedAtMs: now,
        nextAttemptAtMs: null,
      });
      return;
    }
    const next: AlertDeliveryRecord = {
      ...d,
      status: 'retrying',
      attempts,
      lastStatusCode: status,
      lastError: error,
      updatedAtMs: now,
      nextAttemptAtMs: now + delay,
    };
    await record(project, next);
    inFlight++;
    const timer = setTimeout(() => {
      timers.delete(timer);
      attempt(project, next)
        .catch((e) => onError(e, `alert delivery ${d.id}`))
        .finally(() => {
          inFlight--;
          settle();
        });
    }, delay);
    timers.add(timer);
  }

  return {
    async deliver(project, change) {
      if (!shouldNotify(change, options.notify)) return;
      const now = clock.now();
      const id = alertId(change);
      const link = { baseUrl: options.baseUrl };
      const base = {
        alertId: id,
        incidentId: change.incident.id,
        model: change.incident.model,
        change: change.kind,
        attempts: 0,
        lastStatusCode: null,
        lastError: null,
        createdAtMs: now,
        updatedAtMs: now,
        nextAttemptAtMs: null,
      };
      if (options.dryRun) {
        const payload = buildWebhookPayload(change, link);
        options.print(JSON.stringify(payload));
        await record(project, {
          ...base,
          id: `${id}@stdout`,
          target: 'stdout',
          format: 'json',
          status: 'printed',
          payload,
        });
        return;
      }
      for (const t of options.targets) {
        const payload =
          t.format === 'slack' ? buildSlackMessage(change, link) : buildWebhookPayload(change, link);
        const d: AlertDeliveryRecord = {
          ...base,
          id: `${id}@${t.url}`,
          target: t.url,
          format: t.format,
          status: 'pending',
          payload,
        };
        await record(project, d);
        inFlight++;
        attempt(project, d)
          .catch((e) => onError(e, `alert delivery ${d.id}`))
          .finally(() => {
            inFlight--;
            settle();
          });
      }
    },
    idle: () =>
      inFlight === 0
        ? Promise.resolve()
        : new Promise<void>((resolve) => {
            waiters.push(resolve);
          }),
    close() {
      closed = true;
      for (const t of timers) clearTimeout(t);
      inFlight -= timers.size;
      timers.clear();
      settle();
    },
  };
}
