/**
 * @module
 * Crash loops (cause `downtime`): an instance that keeps restarting serves little and fails much.
 *
 * A restart is seen two ways: a change of the process start time between two heartbeats of an instance
 * (`processStartMs`), and crash events (`crashKinds`: crash, oom, restart). A crash event within `matchMs` of a
 * start-time change is the same restart. Planned restarts are not counted: a start-time change where the version
 * or artifact hash also changed (a deploy), or one within `plannedGraceMs` after an event of a `plannedKinds`
 * kind for the instance or the whole model. Restarts are counted over the last `spanMs` up to the window end, so a
 * loop slower than the window is still seen; at least one must fall in the window. `warnRestarts` restarts → a
 * warning, `loopRestarts` → critical. Cause choice as in `heartbeat-gap.ts`: own instances → downtime.
 */
import type { DetectorOutcome } from '../../findings/finding.js';
import type { SoftwareDetector } from './detector.js';
import { formatDuration, formatTime } from './format.js';
import { heartbeatsByInstance, inWindow } from './heartbeats.js';
import type { ServingEvent, SoftwareWindowInput } from './inputs.js';
import { scoreAbove } from './score.js';

export interface CrashLoopConfig {
  /** Restarts are counted over this span ending at the window end. */
  spanMs: number;
  /** Restarts in the span for a warning. */
  warnRestarts: number;
  /** Restarts in the span for a critical crash loop. */
  loopRestarts: number;
  /** A crash event and a start-time change this close are one restart. */
  matchMs: number;
  /** Event kinds that announce a planned restart. */
  plannedKinds: readonly string[];
  /** A restart up to this long after a planned event is planned. */
  plannedGraceMs: number;
  /** Event kinds that report a crash or an unplanned restart. */
  crashKinds: readonly string[];
}

export const CRASH_LOOP_DEFAULTS: Readonly<CrashLoopConfig> = {
  spanMs: 1_800_000,
  warnRestarts: 2,
  loopRestarts: 3,
  matchMs: 120_000,
  plannedKinds: ['deploy', 'rollback', 'config_change', 'stop', 'shutdown', 'scale_down'],
  plannedGraceMs: 600_000,
  crashKinds: ['crash', 'oom', 'restart'],
};

const ID = 'crash_loop';
const NO_INSTANCE = '';

interface Restart {
  atMs: number;
  source: 'heartbeat' | 'event' | 'both';
  kind?: string;
  message?: string;
}

function run(input: SoftwareWindowInput, config: CrashLoopConfig): DetectorOutcome[] {
  const { window: w, model } = input;
  const spanStart = w.endMs - Math.max(config.spanMs, w.endMs - w.startMs);
  const inSpan = (t: number) => t >= spanStart && t < w.endMs;
  const planned = input.events.filter((e) => config.plannedKinds.includes(e.kind));
  const isPlanned = (t: number, instance: string) =>
    planned.some(
      (e) =>
        (e.instance === undefined || e.instance === instance) &&
        t >= e.timestampMs - config.matchMs &&
        t <= e.timestampMs + config.plannedGraceMs,
    );

  const hbs = heartbeatsByInstance(input.heartbeats.filter((h) => h.timestampMs < w.endMs));
  const sawStartTimes = input.heartbeats.some((h) => h.processStartMs !== undefined);
  if (!sawStartTimes && input.events.length === 0)
    return [
      {
        kind: 'insufficient_data',
        detector: ID,
        subject: { model },
        reason: 'heartbeats carry no processStartMs and no events were sent: restarts cannot be seen',
      },
    ];

  const crashes = new Map<string, ServingEvent[]>();
  for (const e of input.events) {
    if (!config.crashKinds.includes(e.kind) || !inSpan(e.timestampMs)) continue;
    const key = e.instance ?? NO_INSTANCE;
    crashes.set(key, [...(crashes.get(key) ?? []), e]);
  }
  const instances = new Set<string>([...hbs.keys(), ...crashes.keys()]);
  const out: DetectorOutcome[] = [];
  let most = 0;
  for (const instance of [...instances].sort()) {
    const restarts: Restart[] = [];
    const list = hbs.get(instance) ?? [];
    for (let i = 1; i < list.length; i++) {
      const a = list[i - 1]!;
      const b = list[i]!;
      if (a.processStartMs === undefined || b.processStartMs === undefined) continue;
      if (a.processStartMs === b.processStartMs) continue;
      const at = b.processStartMs;
      if (!inSpan(at)) continue;
      if (a.version !== b.version || a.artifactHash !== b.artifactHash || isPlanned(at, instance)) continue;
      restarts.push({ atMs: at, source: 'heartbeat' });
    }
    for (const e of (crashes.get(instance) ?? []).sort((x, y) => x.timestampMs - y.timestampMs)) {
      if (e.kind === 'restart' && isPlanned(e.timestampMs, instance)) continue;
      const match = restarts.find(
        (r) => r.source === 'heartbeat' && Math.abs(r.atMs - e.timestampMs) <= config.matchMs,
      );
      if (match) {
        match.source = 'both';
        match.kind = e.kind;
        if (e.message) match.message = e.message;
      } else
        restarts.push({
          atMs: e.timestampMs,
          source: 'event',
          kind: e.kind,
          ...(e.message ? { message: e.message } : {}),
        });
    }
    restarts.sort((x, y) => x.atMs - y.atMs);
    most = Math.max(most, restarts.length);
    const inThisWindow = restarts.filter((r) => inWindow(r.atMs, w)).length;
    if (restarts.length < config.warnRestarts || inThisWindow === 0) continue;
    const loop = restarts.length >= config.loopRestarts;
    const spanLen = w.endMs - spanStart;
    const last = restarts.at(-1)!;
    const reason = restarts.find((r) => r.message)?.message;
    const subject = instance === NO_INSTANCE ? { model } : { model, instance };
    const version = list.at(-1)?.version;
    out.push({
      kind: 'finding',
      finding: {
        detector: ID,
        cause: 'downtime',
        subject: version ? { ...subject, version } : subject,
        window: w,
        severity: loop ? 'critical' : 'warning',
        score: scoreAbove(restarts.length, config.warnRestarts),
        evidence: {
          summary:
            `${instance === NO_INSTANCE ? `Model ${model}` : `Instance ${instance}`} restarted ${restarts.length} times ` +
            `in the last ${formatDuration(spanLen)}${loop ? ' (crash loop)' : ''}, last at ${formatTime(last.atMs)}` +
            `${reason ? `; reported: ${reason}` : ''}.`,
          figures: [
            { name: 'restarts', value: restarts.length, unit: 'count', threshold: config.loopRestarts },
            { name: 'restarts in window', value: inThisWindow, unit: 'count' },
          ],
          detail: {
            restarts: restarts.map((r) => ({ atMs: r.atMs, source: r.source, kind: r.kind ?? null })),
          },
        },
        sinceMs: restarts[0]!.atMs,
      },
    });
  }
  if (out.length === 0)
    out.push({
      kind: 'clear',
      detector: ID,
      subject: { model },
      evidence: {
        summary: `No repeated unplanned restarts on ${instances.size} instance(s) (at most ${most} in the span).`,
        figures: [{ name: 'most restarts on one instance', value: most, unit: 'count' }],
      },
    });
  return out;
}

export const crashLoop: SoftwareDetector<typeof ID, CrashLoopConfig> = {
  id: ID,
  family: 'software',
  causes: ['downtime'],
  defaults: CRASH_LOOP_DEFAULTS,
  run,
};
