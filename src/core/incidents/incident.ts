/**
 * @module
 * Incidents: a violated expectation with its ranked causes and a lifecycle — open → acknowledged → resolved —
 * and a timeline of what happened. One ongoing problem is one incident: the dedupe key is model + expectation +
 * version scope (`Evaluation.dedupeKey`).
 */

import type { RankedCause, UnexploredCause } from '../diagnosis/diagnose.js';
import type { Evaluation } from '../expectations/evaluate.js';
import type { Symptom } from '../expectations/metrics.js';
import type { Cause, Severity } from '../findings/finding.js';
import { murmur3x86128 } from '../sketch/hash.js';

export type IncidentStatus = 'open' | 'acknowledged' | 'resolved';

export type TimelineKind =
  | 'opened'
  | 'reranked'
  | 'recovering'
  | 'relapsed'
  | 'acknowledged'
  | 'resolved'
  | 'note';

export interface TimelineEntry {
  /** Event time of the entry: the end of the window that caused it, or the time of a person's action. */
  atMs: number;
  kind: TimelineKind;
  /** One sentence with the numbers. */
  text: string;
  /** Who acted, for acknowledgements, manual resolutions and notes. */
  by?: string;
  /** The cause ranked first at this point, when the entry is about the ranking. */
  topCause?: Cause | null;
}

export interface Incident {
  /** Stable: derived from the dedupe key and the onset, so a replay gives the same id. */
  id: string;
  dedupeKey: string;
  model: string;
  expectationId: string;
  version: string | null;
  symptom: Symptom;
  severity: Severity;
  status: IncidentStatus;
  /** Start of the first violating window: when the problem began, as far as the expectation can tell. */
  onsetMs: number;
  /** End of the first violating window: when the incident was opened (event time). */
  openedAtMs: number;
  /** End of the latest window evaluated for this incident; evaluations of earlier windows are ignored. */
  lastEvaluatedWindowEndMs: number;
  lastViolationWindowEndMs: number;
  /** Violating evaluations so far, and met evaluations in a row since the last violation. */
  violatedEvaluations: number;
  metInARow: number;
  /** For an incident of one version: windows in a row in which other versions served and this one did not
   * (absent: none yet). */
  notServedInARow?: number;
  acknowledgedAtMs: number | null;
  acknowledgedBy: string | null;
  resolvedAtMs: number | null;
  resolution: 'auto' | 'manual' | null;
  /** The latest violating evaluation: its figure, scope and summary. */
  lastViolation: Evaluation;
  /** Ranked causes, best first (the diagnosis of the latest violating window). */
  causes: RankedCause[];
  /** Plausible causes nobody has findings for, with how to check them. */
  unexplored: UnexploredCause[];
  timeline: TimelineEntry[];
}

/** The incident id for a dedupe key and onset: `inc_` and 16 hex digits of MurmurHash3 (x86, 128-bit). */
export function incidentId(dedupeKey: string, onsetMs: number): string {
  const h = murmur3x86128(new TextEncoder().encode(`${dedupeKey}@${onsetMs}`));
  return `inc_${h[0]!.toString(16).padStart(8, '0')}${h[1]!.toString(16).padStart(8, '0')}`;
}

/** The cause ranked first, or null when nothing explains the violation yet. */
export function topCause(incident: Pick<Incident, 'causes'>): RankedCause | null {
  return incident.causes[0] ?? null;
}
