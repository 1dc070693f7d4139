/**
 * @module
 * Heartbeat gaps (cause `downtime`): an instance that stops sending heartbeats is down, hung or cut off.
 *
 * Cause choice: an own serving instance silent or crashing is `downtime` (here and in `crash-loop.ts`); an
 * upstream dependency down or slow is `dependency_failure` with `subject.dependency` (`upstream-probe.ts`).
 *
 * For each instance, the longest silence overlapping the window — between two heartbeats, or from the last
 * heartbeat to the window end — is compared with max(`gapFactor` × expected interval, `minGapMs`). The expected
 * interval is the one the SDK declares (`intervalMs`), else the configured one, else the median spacing of the
 * instance's heartbeats. A silence still going on at the window end is critical; one that ended is a warning.
 * An instance stopped on purpose (an event of a `stopKinds` kind during the silence) is not reported, and a
 * silence with a planned restart in it (`plannedKinds`: deploy, rollback, config change) is allowed
 * `plannedGraceMs` more, so a deploy that never comes back is still reported once the grace is over. Instances
 * whose last heartbeat is older than the lookback the collector passes are out of sight (they were reported in the
 * windows before).
 */
import type { DetectorOutcome, Finding } from '../../findings/finding.js';
import type { SoftwareDetector } from './detector.js';
import { formatDuration, formatTime } from './format.js';
import { expectedIntervalMs, heartbeatsByInstance } from './heartbeats.js';
import type { SoftwareWindowInput } from './inputs.js';
import { scoreAbove } from './score.js';

export interface HeartbeatGapConfig {
  /** Used when heartbeats declare no `intervalMs`; null → inferred from their spacing. */
  expectedIntervalMs: number | null;
  /** A silence longer than this many expected intervals is a gap. */
  gapFactor: number;
  /** …and never shorter than this (a rolling restart is silent for a few tens of seconds). */
  minGapMs: number;
  /** Heartbeats needed to infer the interval from their spacing. */
  minHeartbeats: number;
  /** Event kinds that mean an instance was stopped on purpose. */
  stopKinds: readonly string[];
  /** Event kinds that announce a planned restart (deploy, rollback, config change). */
  plannedKinds: readonly string[];
  /** A silence with a planned restart in it may last this much longer before it is a gap. */
  plannedGraceMs: number;
}

export const HEARTBEAT_GAP_DEFAULTS: Readonly<HeartbeatGapConfig> = {
  expectedIntervalMs: null,
  gapFactor: 3,
  minGapMs: 60_000,
  minHeartbeats: 3,
  stopKinds: ['stop', 'shutdown', 'scale_down', 'decommission'],
  plannedKinds: ['deploy', 'rollback', 'config_change'],
  plannedGraceMs: 300_000,
};

const ID = 'heartbeat_gap';

function run(input: SoftwareWindowInput, config: HeartbeatGapConfig): DetectorOutcome[] {
  const { window: w, model } = input;
  const byInstance = heartbeatsByInstance(input.heartbeats.filter((h) => h.timestampMs < w.endMs));
  if (byInstance.size === 0)
    return [
      {
        kind: 'insufficient_data',
        detector: ID,
        subject: { model },
        reason: 'no heartbeats in the window or its lookback: are heartbeats enabled in the SDK?',
      },
    ];
  const out: DetectorOutcome[] = [];
  const checked: string[] = [];
  let longest = 0;
  for (const [instance, hbs] of byInstance) {
    const interval = expectedIntervalMs(hbs, config.expectedIntervalMs, config.minHeartbeats);
    const subject = { model, instance, ...(hbs.at(-1)?.version ? { version: hbs.at(-1)!.version } : {}) };
    if (interval === null) {
      out.push({
        kind: 'insufficient_data',
        detector: ID,
        subject,
        reason: `only ${hbs.length} heartbeat(s) and no declared interval: cannot tell the expected spacing`,
      });
      continue;
    }
    checked.push(instance);
    const threshold = Math.max(config.gapFactor * interval, config.minGapMs);
    // Silences overlapping the window: between consecutive heartbeats, then from the last one to the window end.
    let gap = { fromMs: 0, toMs: 0, ongoing: false };
    const times = hbs.map((h) => h.timestampMs);
    for (let i = 1; i <= times.length; i++) {
      const a = times[i - 1]!;
      const ongoing = i === times.length;
      const b = ongoing ? w.endMs : times[i]!;
      if (b <= w.startMs) continue;
      if (b - a > gap.toMs - gap.fromMs) gap = { fromMs: a, toMs: b, ongoing };
    }
    const length = gap.toMs - gap.fromMs;
    longest = Math.max(longest, length);
    const during = (kinds: readonly string[]) =>
      input.events.some(
        (e) =>
          kinds.includes(e.kind) &&
          (e.instance === undefined || e.instance === instance) &&
          e.timestampMs >= gap.fromMs - interval &&
          e.timestampMs <= gap.toMs,
      );
    const planned = during(config.plannedKinds);
    const allowed = threshold + (planned ? config.plannedGraceMs : 0);
    if (length <= allowed || during(config.stopKinds)) continue;
    const summary = gap.ongoing
      ? `Instance ${instance} has sent no heartbeat for ${formatDuration(length)} (since ${formatTime(gap.fromMs)}), ` +
        `${(length / interval).toFixed(1)}× its ${formatDuration(interval)} interval.`
      : `Instance ${instance} was silent for ${formatDuration(length)}, from ${formatTime(gap.fromMs)} to ` +
        `${formatTime(gap.toMs)}, ${(length / interval).toFixed(1)}× its ${formatDuration(interval)} interval.`;
    const finding: Finding = {
      detector: ID,
      cause: 'downtime',
      subject,
      window: w,
      severity: gap.ongoing ? 'critical' : 'warning',
      score: scoreAbove(length, allowed),
      evidence: {
        summary,
        figures: [
          { name: 'heartbeat gap', value: length, unit: 'ms', threshold: allowed },
          { name: 'expected interval', value: interval, unit: 'ms' },
        ],
        detail: {
          gapFromMs: gap.fromMs,
          gapToMs: gap.ongoing ? null : gap.toMs,
          ongoing: gap.ongoing,
          planned,
        },
      },
      sinceMs: gap.fromMs,
    };
    out.push({ kind: 'finding', finding });
  }
  if (!out.some((o) => o.kind === 'finding') && checked.length > 0)
    out.push({
      kind: 'clear',
      detector: ID,
      subject: { model },
      evidence: {
        summary: `Heartbeats regular on ${checked.length} instance(s); longest silence ${formatDuration(longest)}.`,
        figures: [{ name: 'longest silence', value: longest, unit: 'ms' }],
      },
    });
  return out;
}

export const heartbeatGap: SoftwareDetector<typeof ID, HeartbeatGapConfig> = {
  id: ID,
  family: 'software',
  causes: ['downtime'],
  defaults: HEARTBEAT_GAP_DEFAULTS,
  run,
};
