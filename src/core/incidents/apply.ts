/**
 * @module
 * The incident lifecycle as a pure function of evaluations:
 *
 * - a `violated` evaluation with no open incident for its dedupe key opens one, diagnosed;
 * - a `violated` evaluation for an open incident updates it: the diagnosis is re-run from the incident's onset
 *   with the findings known now, and a change is reported when the ranking changes (top cause, or the set of the
 *   first three); a violation after met evaluations is a relapse and resets the count;
 * - a `met` evaluation counts towards auto-resolution: after `resolveAfterMet` in a row the incident resolves;
 * - an `unknown` evaluation neither counts nor resets (missing data is not recovery);
 * - an incident of one version (a dedupe key with a version) resolves when that version is no longer served:
 *   after a rollback or a new release it takes no traffic, so its expectation is never evaluated again and
 *   nothing else could close it. A window of the incident's length in which other versions of the model served
 *   predictions and its version served none counts towards it; after `resolveAfterMet` such windows in a row
 *   (the same horizon as recovery) the incident resolves with the reason `version_no_longer_served`. A window in
 *   which the version serves again resets the count; a window with no traffic at all (the whole model down)
 *   neither counts nor resets, since a silent model is an outage, not a retired version;
 * - an incident of every version (opened in a window no single version dominated, e.g. during a rollout) is
 *   followed by the evaluations of its model and expectation whatever their version, while no incident of that
 *   version is open: once the rollout ends, the windows are scoped to the one version serving, and they are what
 *   updates, and eventually resolves, the incident; a violation then continues it instead of opening another;
 * - evaluations of windows at or before the incident's last evaluated window are ignored, so applying the same
 *   evaluations twice, or replaying a day, gives the same incidents.
 * Acknowledgement and manual resolution are person actions (`acknowledgeIncident`, `resolveIncident`).
 */
import type { Diagnosis } from '../diagnosis/diagnose.js';
import { dedupeKeyOf, type Evaluation } from '../expectations/evaluate.js';
import type { Cause } from '../findings/finding.js';
import { type Incident, incidentId, type TimelineEntry, topCause } from './incident.js';

export interface IncidentPolicy {
  /** Met evaluations in a row that resolve an incident. */
  resolveAfterMet: number;
  /** Timeline entries kept per incident (the oldest, after the opening entry, are dropped first). */
  maxTimeline: number;
  /** Ranked causes kept per incident. */
  maxCauses: number;
}

export const INCIDENT_POLICY_DEFAULTS: Readonly<IncidentPolicy> = {
  // Three clean windows in a row: one good window after a bad one is often noise.
  resolveAfterMet: 3,
  maxTimeline: 200,
  maxCauses: 8,
};

/** Diagnoses a violating evaluation; `onsetMs` is when the incident's violation began. */
export type DiagnosisSource = (evaluation: Evaluation, onsetMs: number) => Diagnosis;

export type IncidentChangeKind = 'opened' | 'updated' | 'acknowledged' | 'resolved';

/** For `updated`: what changed. For `resolved`: `version_no_longer_served` when the incident's version stopped
 * taking traffic (none when met evaluations resolved it). */
export type UpdateReason = 'top_cause_changed' | 'causes_changed' | 'relapsed' | 'version_no_longer_served';

export interface IncidentChange {
  kind: IncidentChangeKind;
  /** The incident after the change. */
  incident: Incident;
  /** Event time of the change. */
  atMs: number;
  /** For `updated`: what changed; for `resolved`: why, when not by met evaluations. */
  reasons: UpdateReason[];
  /** The top cause before the change (null when there was none, or for `opened`). */
  previousTopCause: Cause | null;
}

export interface ApplyResult {
  /** Every incident passed in (updated where evaluations touched it) followed by the ones opened now. */
  incidents: Incident[];
  /** What changed, in event-time order: what alerts are built from. */
  changes: IncidentChange[];
}

function withTimeline(incident: Incident, entry: TimelineEntry, max: number): TimelineEntry[] {
  const timeline = [...incident.timeline, entry];
  if (timeline.length <= max) return timeline;
  // Keep the opening entry; drop the oldest after it.
  return [timeline[0]!, ...timeline.slice(timeline.length - max + 1)];
}

function topThree(causes: readonly { cause: Cause }[]): string {
  return causes
    .slice(0, 3)
    .map((c) => c.cause)
    .join(',');
}

function describeTop(d: Pick<Diagnosis, 'causes'>): string {
  const top = d.causes[0];
  return top === undefined
    ? 'no cause has findings yet'
    : `most likely ${top.cause} (score ${top.score.toFixed(2)})`;
}

function capitalise(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

function open(ev: Evaluation, d: Diagnosis, policy: IncidentPolicy): Incident {
  const onsetMs = ev.window.startMs;
  const atMs = ev.window.endMs;
  return {
    id: incidentId(ev.dedupeKey, onsetMs),
    dedupeKey: ev.dedupeKey,
    model: ev.model,
    expectationId: ev.expectationId,
    version: ev.scope.version,
    symptom: ev.symptom,
    severity: ev.severity,
    status: 'open',
    onsetMs,
    openedAtMs: atMs,
    lastEvaluatedWindowEndMs: atMs,
    lastViolationWindowEndMs: atMs,
    violatedEvaluations: 1,
    metInARow: 0,
    acknowledgedAtMs: null,
    acknowledgedBy: null,
    resolvedAtMs: null,
    resolution: null,
    lastViolation: ev,
    causes: d.causes.slice(0, policy.maxCauses),
    unexplored: d.unexplored,
    timeline: [
      {
        atMs,
        kind: 'opened',
        text: `${ev.summary} ${capitalise(describeTop(d))}.`,
        topCause: d.causes[0]?.cause ?? null,
      },
    ],
  };
}

/**
 * Applies evaluations to the open incidents (see the module comment for the rules). Pure: the diagnosis source
 * must be too (it closes over the findings the collector holds). `at` is the evaluation time (the watermark).
 */
export function applyEvaluations(
  openIncidents: readonly Incident[],
  evaluations: readonly Evaluation[],
  diagnosis: DiagnosisSource,
  at: number,
  policy: Partial<IncidentPolicy> = {},
): ApplyResult {
  const p: IncidentPolicy = { ...INCIDENT_POLICY_DEFAULTS, ...policy };
  if (!Number.isInteger(p.resolveAfterMet) || p.resolveAfterMet < 1)
    throw new Error(`applyEvaluations: resolveAfterMet must be a whole number ≥ 1, got ${p.resolveAfterMet}`);
  const all: Incident[] = [...openIncidents];
  const active = new Map<string, number>();
  all.forEach((inc, i) => {
    if (inc.status !== 'resolved') active.set(inc.dedupeKey, i);
  });
  const changes: IncidentChange[] = [];
  const ordered = evaluations
    .map((ev, i) => ({ ev, i }))
    .filter(({ ev }) => ev.window.endMs <= at)
    .sort((a, b) => a.ev.window.endMs - b.ev.window.endMs || a.i - b.i)
    .map(({ ev }) => ev);
  const windows = windowsOf(ordered);
  ordered.forEach((ev, k) => {
    applyOne(ev);
    // After a window's last evaluation, the incidents of versions it did not serve.
    const w = windows.get(windowKey(ev))!;
    if (w.last === k) retireUnserved(w);
  });
  return { incidents: all, changes };

  function applyOne(ev: Evaluation): void {
    // An incident of this version, or else one of every version of the model (module comment).
    const idx =
      active.get(ev.dedupeKey) ??
      (ev.scope.version === null ? undefined : active.get(dedupeKeyOf(ev.model, ev.expectationId, null)));
    const inc = idx === undefined ? undefined : all[idx]!;
    if (inc !== undefined && ev.window.endMs <= inc.lastEvaluatedWindowEndMs) return;
    const atMs = ev.window.endMs;

    if (ev.status === 'violated') {
      if (inc === undefined) {
        const created = open(ev, diagnosis(ev, ev.window.startMs), p);
        all.push(created);
        active.set(ev.dedupeKey, all.length - 1);
        changes.push({ kind: 'opened', incident: created, atMs, reasons: [], previousTopCause: null });
        return;
      }
      const d = diagnosis(ev, inc.onsetMs);
      const before = topCause(inc)?.cause ?? null;
      const after = d.causes[0]?.cause ?? null;
      const reasons: UpdateReason[] = [];
      let timeline = inc.timeline;
      if (inc.metInARow > 0) {
        reasons.push('relapsed');
        timeline = withTimeline(
          { ...inc, timeline },
          {
            atMs,
            kind: 'relapsed',
            text: `Violated again after ${inc.metInARow} met evaluation(s): ${ev.summary}`,
          },
          p.maxTimeline,
        );
      }
      if (before !== after) reasons.push('top_cause_changed');
      else if (topThree(inc.causes) !== topThree(d.causes)) reasons.push('causes_changed');
      if (reasons.includes('top_cause_changed') || reasons.includes('causes_changed')) {
        const was = before === null ? 'none' : before;
        timeline = withTimeline(
          { ...inc, timeline },
          {
            atMs,
            kind: 'reranked',
            text: `Causes re-ranked: ${describeTop(d)}, was ${was}.`,
            topCause: after,
          },
          p.maxTimeline,
        );
      }
      const updated: Incident = {
        ...inc,
        lastEvaluatedWindowEndMs: atMs,
        lastViolationWindowEndMs: atMs,
        violatedEvaluations: inc.violatedEvaluations + 1,
        metInARow: 0,
        lastViolation: ev,
        causes: d.causes.slice(0, p.maxCauses),
        unexplored: d.unexplored,
        timeline,
      };
      all[idx!] = updated;
      if (reasons.length > 0)
        changes.push({ kind: 'updated', incident: updated, atMs, reasons, previousTopCause: before });
      return;
    }

    if (inc === undefined) return;
    if (ev.status === 'unknown') {
      all[idx!] = { ...inc, lastEvaluatedWindowEndMs: atMs };
      return;
    }
    // Met.
    const metInARow = inc.metInARow + 1;
    if (metInARow >= p.resolveAfterMet) {
      autoResolve(
        idx!,
        { ...inc, metInARow },
        atMs,
        `Resolved: met in ${metInARow} evaluation(s) in a row. ${ev.summary}`,
        [],
      );
      return;
    }
    all[idx!] = {
      ...inc,
      lastEvaluatedWindowEndMs: atMs,
      metInARow,
      timeline:
        metInARow === 1
          ? withTimeline(
              inc,
              {
                atMs,
                kind: 'recovering',
                text: `Met again (${metInARow} of ${p.resolveAfterMet} needed to resolve): ${ev.summary}`,
              },
              p.maxTimeline,
            )
          : inc.timeline,
    };
  }

  function retireUnserved(w: EvaluatedWindow): void {
    const served = w.versionsServed;
    // Nobody served: the model is down or idle, which says nothing about one version being retired.
    if (served === null || served.length === 0) return;
    const atMs = w.endMs;
    for (const [key, idx] of [...active]) {
      const inc = all[idx]!;
      if (inc.model !== w.model || inc.version === null || atMs < inc.lastEvaluatedWindowEndMs) continue;
      if (inc.lastViolation.window.endMs - inc.lastViolation.window.startMs !== w.endMs - w.startMs) continue;
      if (served.includes(inc.version)) {
        if ((inc.notServedInARow ?? 0) > 0) all[idx] = { ...inc, notServedInARow: 0 };
        continue;
      }
      // Evaluated in this window (it was applied above), or the window was already counted.
      if (w.dedupeKeys.has(key) || atMs === inc.lastEvaluatedWindowEndMs) continue;
      const notServedInARow = (inc.notServedInARow ?? 0) + 1;
      if (notServedInARow < p.resolveAfterMet) {
        all[idx] = { ...inc, lastEvaluatedWindowEndMs: atMs, notServedInARow };
        continue;
      }
      autoResolve(
        idx,
        { ...inc, notServedInARow },
        atMs,
        `Resolved: version ${inc.version} is no longer served, no predictions of it in ${notServedInARow} window(s) in a row while ${served.join(', ')} served.`,
        ['version_no_longer_served'],
      );
    }
  }

  /** Resolves the incident at `idx` on its own (the counts already in `inc`), and reports the change. */
  function autoResolve(
    idx: number,
    inc: Incident,
    atMs: number,
    text: string,
    reasons: UpdateReason[],
  ): void {
    const previous = topCause(inc)?.cause ?? null;
    const resolved: Incident = {
      ...inc,
      status: 'resolved',
      lastEvaluatedWindowEndMs: atMs,
      resolvedAtMs: atMs,
      resolution: 'auto',
      timeline: withTimeline(inc, { atMs, kind: 'resolved', text, topCause: previous }, p.maxTimeline),
    };
    all[idx] = resolved;
    active.delete(inc.dedupeKey);
    changes.push({ kind: 'resolved', incident: resolved, atMs, reasons, previousTopCause: previous });
  }
}

/** One window among the evaluations: what it served and which incidents it evaluated. */
interface EvaluatedWindow {
  model: string;
  startMs: number;
  endMs: number;
  /** Index of its last evaluation in the ordered list. */
  last: number;
  /** Versions with predictions in it; null when its evaluations do not say. */
  versionsServed: string[] | null;
  dedupeKeys: Set<string>;
}

const windowKey = (ev: Evaluation) => `${ev.model}\u0000${ev.window.startMs}\u0000${ev.window.endMs}`;

function windowsOf(ordered: readonly Evaluation[]): Map<string, EvaluatedWindow> {
  const out = new Map<string, EvaluatedWindow>();
  ordered.forEach((ev, k) => {
    const key = windowKey(ev);
    let w = out.get(key);
    if (w === undefined) {
      w = { ...ev.window, model: ev.model, last: k, versionsServed: null, dedupeKeys: new Set() };
      out.set(key, w);
    }
    w.last = k;
    w.dedupeKeys.add(ev.dedupeKey);
    if (ev.scope.versionsServed !== undefined) w.versionsServed = ev.scope.versionsServed;
  });
  return out;
}

/** A person acknowledges an incident: it stays until resolved, alerts for it can be quieter. */
export function acknowledgeIncident(
  incident: Incident,
  action: { by: string; atMs: number; note?: string },
): { incident: Incident; change: IncidentChange | null } {
  if (incident.status !== 'open') return { incident, change: null };
  const updated: Incident = {
    ...incident,
    status: 'acknowledged',
    acknowledgedAtMs: action.atMs,
    acknowledgedBy: action.by,
    timeline: [
      ...incident.timeline,
      {
        atMs: action.atMs,
        kind: 'acknowledged',
        by: action.by,
        text: `Acknowledged by ${action.by}${action.note === undefined ? '.' : `: ${action.note}`}`,
      },
    ],
  };
  return {
    incident: updated,
    change: {
      kind: 'acknowledged',
      incident: updated,
      atMs: action.atMs,
      reasons: [],
      previousTopCause: topCause(incident)?.cause ?? null,
    },
  };
}

/** A person resolves an incident by hand (a fix went out); a later violation opens a new incident. */
export function resolveIncident(
  incident: Incident,
  action: { by: string; atMs: number; note?: string },
): { incident: Incident; change: IncidentChange | null } {
  if (incident.status === 'resolved') return { incident, change: null };
  const updated: Incident = {
    ...incident,
    status: 'resolved',
    resolvedAtMs: action.atMs,
    resolution: 'manual',
    timeline: [
      ...incident.timeline,
      {
        atMs: action.atMs,
        kind: 'resolved',
        by: action.by,
        text: `Resolved by ${action.by}${action.note === undefined ? '.' : `: ${action.note}`}`,
        topCause: topCause(incident)?.cause ?? null,
      },
    ],
  };
  return {
    incident: updated,
    change: {
      kind: 'resolved',
      incident: updated,
      atMs: action.atMs,
      reasons: [],
      previousTopCause: topCause(incident)?.cause ?? null,
    },
  };
}
