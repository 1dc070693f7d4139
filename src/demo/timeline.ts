/**
 * @module
 * The demo's production timeline, declared once: three models served by a small fleet for 70 simulated hours,
 * and thirteen injected failures, one at a time, each on one model at a known time, with clean stretches between
 * them long enough for incidents to resolve. They cover every cause of the architecture's table but label shift
 * (a dependency failure twice: a broken package and a down upstream). Everything here is data: the fleet
 * reads the effects to bend its traffic, the scoring reads cause, model and span to judge the incidents found.
 *
 * Times are offsets in hours from the start of the run (event time); windows are one hour long.
 */
import type { Cause } from '../core/findings/finding.js';

export const HOUR_MS = 3_600_000;
export const MINUTE_MS = 60_000;

/** Window length of every demo model: incidents are opened per window. */
export const WINDOW_MS = HOUR_MS;
/** Storage grain of the windows. */
export const BUCKET_MS = 5 * MINUTE_MS;
/** How late an event may arrive and still count for its window (labels arrive within 25 minutes). */
export const ALLOWED_LATENESS_MS = 30 * MINUTE_MS;
/** Length of the whole run, in hours. */
export const TIMELINE_HOURS = 70;

export const DEMO_MODELS = ['flight-delays', 'daily-high', 'home-feed'] as const;
export type DemoModel = (typeof DEMO_MODELS)[number];

/** What a failure does to the fleet: read by `fleet.ts`. */
export type FailureEffect =
  /** Every instance of the model restarts with a new lock file in which `pkg` went from `from` to `to`; the new
   * version of the date parser reads the 24-hour clock as a 12-hour one and throws on afternoon departures. */
  | { kind: 'dependency_upgrade'; pkg: string; from: string; to: string }
  /** One instance is deployed with the artifact of an older version under the current version's name. */
  | { kind: 'wrong_artifact'; instance: string; artifactOf: string }
  /** One instance restarts under an account that cannot read the model file: its self-check fails and every
   * request errors. */
  | { kind: 'permissions'; instance: string; check: string; path: string }
  /** One instance's host overheats: temperature climbs past 90 °C, the CPU is throttled, answers slow down. */
  | { kind: 'overheating'; instance: string }
  /** The feature store the classifier calls for its congestion features is stopped. */
  | { kind: 'upstream_down'; dependency: string }
  /** An upstream ETL change sends one feature in another unit (°F instead of °C). */
  | { kind: 'unit_change'; feature: 'temp_min'; unit: 'fahrenheit' }
  /** A new version goes out whose serving code computes the departure hour in UTC and reads the feature
   * service's 24-hour congestion; training used local time and the 3-hour congestion. */
  | { kind: 'skew_release'; version: string }
  /** The season turns: requests now come from winter days only (December–February). */
  | { kind: 'seasonal_drift'; months: number[] }
  /** The world changes under the model: airlines reshuffle their banks, morning departures now arrive late and
   * evening ones early, while the inputs the model sees keep their distribution. */
  | { kind: 'concept_drift'; shiftMinutes: number }
  /** A share of requests are rare, extreme inputs the model was never fitted for: wet days of the data with a
   * record storm's rainfall (130–260 mm, where the wettest day of the data had 119 mm). The linear model's
   * forecasts for them would be impossible (a high far below the morning's low), so the service's guard fails each
   * of them with an error. */
  | { kind: 'edge_cases'; share: number }
  /** A new version goes out whose validation score was measured on its own training rows: it memorised them. */
  | { kind: 'overfit_release'; version: string }
  /** A new ranking version drops exploration and retrains on its own clicks. */
  | { kind: 'feedback_loop_release'; version: string }
  /** One instance crash-loops: it runs for 5 minutes, is killed, and comes back 10 minutes later. */
  | { kind: 'crash_loop'; instance: string };

export interface InjectedFailure {
  /** Stable id, e.g. `dependency-upgrade`. */
  id: string;
  /** The cause Faultline should name first. */
  cause: Cause;
  model: DemoModel;
  /** Hours from the start of the run; the failure is active in [startHour, endHour). */
  startHour: number;
  endHour: number;
  /** One line for people. */
  title: string;
  effect: FailureEffect;
}

/** The thirteen failures, in time order. No two overlap, and failures of one model are at least 4 hours apart. */
export const FAILURES: readonly InjectedFailure[] = [
  {
    id: 'dependency-upgrade',
    cause: 'dependency_failure',
    model: 'flight-delays',
    startHour: 8,
    endHour: 11,
    title: 'a dependency upgrade (@acme/time-utils 2 → 3) breaks the departure-hour transform',
    effect: { kind: 'dependency_upgrade', pkg: '@acme/time-utils', from: '2.4.1', to: '3.0.0' },
  },
  {
    id: 'edge-cases',
    cause: 'edge_cases',
    model: 'daily-high',
    startHour: 12,
    endHour: 15,
    title: 'a record storm: some requests carry 130–260 mm of rain, beyond anything the model was trained on',
    effect: { kind: 'edge_cases', share: 0.08 },
  },
  {
    id: 'permissions',
    cause: 'deployment_permissions',
    model: 'flight-delays',
    startHour: 16,
    endHour: 19,
    title: 'flight-delays-3 restarts under an account that cannot read the model file',
    effect: {
      kind: 'permissions',
      instance: 'flight-delays-3',
      check: 'read_model',
      path: '/srv/models/flight-delays/model.json',
    },
  },
  {
    id: 'overheating-host',
    cause: 'hardware_failure',
    model: 'daily-high',
    startHour: 20,
    endHour: 23,
    title: 'the host of daily-high-2 overheats and throttles its CPU',
    effect: { kind: 'overheating', instance: 'daily-high-2' },
  },
  {
    id: 'upstream-down',
    cause: 'dependency_failure',
    model: 'flight-delays',
    startHour: 24,
    endHour: 27,
    title: 'the feature store (an upstream HTTP service) goes down',
    effect: { kind: 'upstream_down', dependency: 'feature-store' },
  },
  {
    id: 'wrong-artifact',
    cause: 'deployment_wrong_model',
    model: 'daily-high',
    startHour: 28,
    endHour: 31,
    title: 'daily-high-3 is redeployed with the artifact of the older version v1',
    effect: { kind: 'wrong_artifact', instance: 'daily-high-3', artifactOf: 'v1' },
  },
  {
    id: 'train-serving-skew',
    cause: 'train_serving_skew',
    model: 'flight-delays',
    startHour: 32,
    endHour: 35,
    title:
      'release v2 serves with UTC hours and 24-hour congestion; training used local hours and 3-hour congestion',
    effect: { kind: 'skew_release', version: 'v2' },
  },
  {
    id: 'unit-change',
    cause: 'data_quality',
    model: 'daily-high',
    startHour: 36,
    endHour: 39,
    title: 'a data-pipeline change sends temp_min in °F instead of °C',
    effect: { kind: 'unit_change', feature: 'temp_min', unit: 'fahrenheit' },
  },
  {
    id: 'concept-drift',
    cause: 'concept_drift',
    model: 'flight-delays',
    startHour: 40,
    endHour: 43,
    title: 'airlines reshuffle their banks: morning departures now arrive late, evening ones early',
    effect: { kind: 'concept_drift', shiftMinutes: 25 },
  },
  {
    id: 'seasonal-drift',
    cause: 'covariate_shift',
    model: 'daily-high',
    startHour: 44,
    endHour: 48,
    title: 'the season turns: requests now come from winter days',
    effect: { kind: 'seasonal_drift', months: [12, 1, 2] },
  },
  {
    id: 'overfit-release',
    cause: 'poor_hyperparameters',
    model: 'flight-delays',
    startHour: 49,
    endHour: 52,
    title: 'release v3, deep boosted trees validated on their own training rows, goes out',
    effect: { kind: 'overfit_release', version: 'v3' },
  },
  {
    id: 'feedback-loop',
    cause: 'feedback_loop',
    model: 'home-feed',
    startHour: 53,
    endHour: 60,
    title: 'ranking v2 drops exploration and retrains on its own clicks',
    effect: { kind: 'feedback_loop_release', version: 'v2' },
  },
  {
    id: 'crash-loop',
    cause: 'downtime',
    model: 'daily-high',
    startHour: 61,
    endHour: 64,
    title: 'daily-high-1 is killed every 15 minutes (out of memory at start-up) and restarts',
    effect: { kind: 'crash_loop', instance: 'daily-high-1' },
  },
];

/** The failures active at `hour` (hours from the start, fractional) on `model`. */
export function activeFailures(
  model: DemoModel,
  hour: number,
  failures: readonly InjectedFailure[] = FAILURES,
): InjectedFailure[] {
  return failures.filter((f) => f.model === model && hour >= f.startHour && hour < f.endHour);
}

/** The effect of kind `K` active on `model` at `hour`, or null. */
export function activeEffect<K extends FailureEffect['kind']>(
  model: DemoModel,
  hour: number,
  kind: K,
  failures: readonly InjectedFailure[] = FAILURES,
): Extract<FailureEffect, { kind: K }> | null {
  for (const f of activeFailures(model, hour, failures))
    if (f.effect.kind === kind) return f.effect as Extract<FailureEffect, { kind: K }>;
  return null;
}

/**
 * Checks a timeline: spans inside the run, no two failures overlapping, and failures of one model at least
 * `minGapHours` apart. Returns the problems as sentences (empty when it is sound).
 */
export function timelineProblems(
  failures: readonly InjectedFailure[] = FAILURES,
  hours = TIMELINE_HOURS,
  minGapHours = 4,
): string[] {
  const out: string[] = [];
  const ids = new Set<string>();
  for (const f of failures) {
    if (ids.has(f.id)) out.push(`failure id "${f.id}" is used twice`);
    ids.add(f.id);
    if (!(Number.isInteger(f.startHour) && Number.isInteger(f.endHour) && f.startHour < f.endHour))
      out.push(`${f.id}: startHour and endHour must be whole hours with start < end`);
    if (f.startHour < 1 || f.endHour > hours - 3)
      out.push(`${f.id}: must start after hour 1 and end 3 hours before the end (${hours})`);
  }
  const sorted = [...failures].sort((a, b) => a.startHour - b.startHour);
  for (let i = 1; i < sorted.length; i++) {
    const a = sorted[i - 1]!;
    const b = sorted[i]!;
    if (b.startHour < a.endHour) out.push(`${a.id} and ${b.id} overlap`);
  }
  for (const a of sorted)
    for (const b of sorted)
      if (
        a !== b &&
        a.model === b.model &&
        b.startHour >= a.startHour &&
        b.startHour - a.endHour < minGapHours
      )
        out.push(`${a.id} and ${b.id} (both ${a.model}) are less than ${minGapHours} hours apart`);
  return out;
}
