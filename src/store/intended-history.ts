/**
 * @module
 * The intended deployment of a model over event time. Each change of the registry's intended version is kept
 * with the event time it takes effect (`effectiveAtMs`: when the deploy happened, which the caller may give; by
 * default when the collector was told), so a window is judged against the version that was intended *during*
 * it, not the one intended when it happens to be evaluated. Evaluating the hour before a deploy after the deploy
 * must not call the then-correct version a wrong model.
 *
 * Rules, shared by both engines and the analyser:
 * - the first change ever recorded for a model is in force since always, whatever its effective time: nothing
 *   was intended before it, and a model registered after its traffic started (a backfill, an old deployment
 *   brought under monitoring) is judged against what it was registered with;
 * - after that, the version in force at time t is the change with the latest effective time ≤ t (of changes with
 *   the same effective time, the one recorded last);
 * - the registry's current intended version (`ModelRecord.intendedVersion`, `VersionRecord.intended`) is the
 *   change with the latest effective time;
 * - a change that would not change the version in force at its effective time is not kept (setting the same
 *   version again does not restart its drain grace).
 */

/** One change of a model's intended version. */
export interface IntendedChange {
  version: string;
  /** Event time from which the version is intended. */
  effectiveAtMs: number;
  /** When the collector was told (its clock). */
  recordedAtMs: number;
}

/** The version in force over a stretch of event time, with when its stretch began (null: since always). */
export interface IntendedSpan {
  version: string;
  sinceMs: number | null;
}

/** A change with the time it applies from: `-Infinity` for the first change recorded (since always). */
interface Applied {
  version: string;
  fromMs: number;
}

/** Changes in recording order → the order they apply: by effective time, the first recorded first, ties by
 * recording order. */
function ordered(changes: readonly IntendedChange[]): Applied[] {
  return changes
    .map((c, i) => ({ version: c.version, fromMs: i === 0 ? Number.NEGATIVE_INFINITY : c.effectiveAtMs, i }))
    .sort((a, b) => a.fromMs - b.fromMs || a.i - b.i)
    .map(({ version, fromMs }) => ({ version, fromMs }));
}

/** Index of the change in force at `ms` in applied order; -1 when there is no change. */
function indexAt(list: readonly Applied[], ms: number): number {
  let at = -1;
  for (let i = 0; i < list.length && list[i]!.fromMs <= ms; i++) at = i;
  return at;
}

/**
 * The version intended at event time `ms` and since when it has been, without a break (null: since always); null
 * when the model never had an intended version. `changes` in recording order.
 */
export function intendedAt(changes: readonly IntendedChange[], ms: number): IntendedSpan | null {
  const list = ordered(changes);
  let i = indexAt(list, ms);
  if (i < 0) return null;
  const version = list[i]!.version;
  while (i > 0 && list[i - 1]!.version === version) i--;
  const from = list[i]!.fromMs;
  return { version, sinceMs: Number.isFinite(from) ? from : null };
}

/** Every version intended at some moment of `[startMs, endMs)`, in the order they were intended. */
export function intendedDuring(changes: readonly IntendedChange[], startMs: number, endMs: number): string[] {
  const list = ordered(changes);
  const first = indexAt(list, startMs);
  if (first < 0) return [];
  const out = [list[first]!.version];
  for (let i = first + 1; i < list.length && list[i]!.fromMs < endMs; i++) {
    // A change replaced at the very moment it takes effect was never in force.
    if (list[i + 1]?.fromMs === list[i]!.fromMs) continue;
    if (!out.includes(list[i]!.version)) out.push(list[i]!.version);
  }
  return out;
}

/** The current intended version: the change that applies last (null without changes). */
export function currentIntended(changes: readonly IntendedChange[]): string | null {
  return ordered(changes).at(-1)?.version ?? null;
}

/** Whether recording `change` would alter anything: false when its version is already in force at its time. */
export function changesSomething(changes: readonly IntendedChange[], change: IntendedChange): boolean {
  return intendedAt(changes, change.effectiveAtMs)?.version !== change.version;
}
