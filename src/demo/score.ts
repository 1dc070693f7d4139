/**
 * @module
 * Scoring a demo run: which injected failure each incident belongs to, whether Faultline ranked the right cause
 * first, and which incidents matched no failure (false alarms). An incident matches a failure when it is on the
 * same model and opens within the failure's span plus one window. Pure: the same failures and incidents always
 * give the same score.
 */
import type { Cause } from '../core/findings/finding.js';
import type { InjectedFailure } from './timeline.js';
import { HOUR_MS } from './timeline.js';

/** What the scoring reads of an incident. */
export interface IncidentSummary {
  id: string;
  model: string;
  expectationId: string;
  /** Start of the first violating window. */
  onsetMs: number;
  /** End of the first violating window: when the incident opened, in event time. */
  openedAtMs: number;
  status: string;
  /** The cause ranked first now (null when no finding explains it). */
  topCause: Cause | null;
  topScore: number | null;
  /** The cause ranked first when the incident opened. */
  topCauseAtOpen: Cause | null;
  /** One sentence: what was violated, with the figure. */
  summary: string;
}

export interface FailureScore {
  failure: InjectedFailure;
  startMs: number;
  endMs: number;
  /** Incidents matched to the failure, in opening order. */
  incidents: IncidentSummary[];
  /** At least one incident matched. */
  found: boolean;
  /** Found, and every matched incident ranks the failure's cause first. */
  correct: boolean;
  /** From the failure's start to the first matched incident's opening (event time). */
  detectionDelayMs: number | null;
}

export interface DemoScore {
  failures: FailureScore[];
  /** Incidents that matched no injected failure: alarms raised in a clean stretch. */
  unmatched: IncidentSummary[];
  total: number;
  found: number;
  correct: number;
  /** Every failure found with the right top cause and no incident outside the failures. */
  passed: boolean;
}

/**
 * Matches incidents to failures and scores them. `t0Ms` is the event time of hour 0 of the timeline;
 * `windowMs` is the grace after a failure's end within which an incident still counts as its.
 */
export function scoreRun(
  failures: readonly InjectedFailure[],
  incidents: readonly IncidentSummary[],
  t0Ms: number,
  windowMs: number,
): DemoScore {
  const sorted = [...incidents].sort((a, b) => a.openedAtMs - b.openedAtMs || (a.id < b.id ? -1 : 1));
  const claimed = new Set<string>();
  const scores: FailureScore[] = failures.map((failure) => {
    const startMs = t0Ms + failure.startHour * HOUR_MS;
    const endMs = t0Ms + failure.endHour * HOUR_MS;
    const matched = sorted.filter(
      (i) => i.model === failure.model && i.openedAtMs >= startMs && i.openedAtMs <= endMs + windowMs,
    );
    for (const i of matched) claimed.add(i.id);
    const first = matched[0];
    return {
      failure,
      startMs,
      endMs,
      incidents: matched,
      found: matched.length > 0,
      correct: matched.length > 0 && matched.every((i) => i.topCause === failure.cause),
      detectionDelayMs: first === undefined ? null : first.openedAtMs - startMs,
    };
  });
  const unmatched = sorted.filter((i) => !claimed.has(i.id));
  const found = scores.filter((s) => s.found).length;
  const correct = scores.filter((s) => s.correct).length;
  return {
    failures: scores,
    unmatched,
    total: scores.length,
    found,
    correct,
    passed: correct === scores.length && unmatched.length === 0,
  };
}
