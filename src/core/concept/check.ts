/**
 * Small validators shared by the detectors: bad options or a corrupt snapshot get an error that names the
 * field and the reason, never a silent NaN.
 */

export function checkBinary(x: number, detector: string): 0 | 1 {
  if (x === 0 || x === 1) return x;
  throw new RangeError(`${detector}: x must be 0 (correct) or 1 (error), got ${String(x)}.`);
}

export function checkFinite(x: number, detector: string): number {
  if (typeof x === 'number' && Number.isFinite(x)) return x;
  throw new RangeError(`${detector}: x must be a finite number, got ${String(x)}.`);
}

export function checkOption(
  detector: string,
  name: string,
  value: unknown,
  test: (v: number) => boolean,
  reason: string,
): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || !test(value))
    throw new RangeError(`${detector}: option ${name} ${reason}, got ${String(value)}.`);
  return value;
}

/** Reads a finite numeric field from a snapshot, or throws naming the field. */
export function field(obj: unknown, name: string, detector: string): number {
  const v = (obj as Record<string, unknown> | null)?.[name];
  if (typeof v !== 'number' || !Number.isFinite(v))
    throw new TypeError(`${detector} snapshot: field ${name} must be a finite number, got ${String(v)}.`);
  return v;
}

/** Like `field`, but `null` is allowed and stands for `whenNull` (±∞ travel as null in JSON). */
export function nullableField(obj: unknown, name: string, detector: string, whenNull: number): number {
  const v = (obj as Record<string, unknown> | null)?.[name];
  if (v === null) return whenNull;
  return field(obj, name, detector);
}

export function boolField(obj: unknown, name: string, detector: string): boolean {
  const v = (obj as Record<string, unknown> | null)?.[name];
  if (typeof v !== 'boolean') throw new TypeError(`${detector} snapshot: field ${name} must be a boolean.`);
  return v;
}

export function checkKind(state: unknown, kind: string): void {
  const s = state as { kind?: unknown; version?: unknown } | null;
  if (s === null || typeof s !== 'object') throw new TypeError(`${kind} snapshot: expected an object.`);
  if (s.kind !== kind)
    throw new TypeError(`${kind} snapshot: field kind must be "${kind}", got ${String(s.kind)}.`);
  if (s.version !== 1)
    throw new TypeError(`${kind} snapshot: field version must be 1, got ${String(s.version)}.`);
  const o = (s as { options?: unknown }).options;
  if (o === null || typeof o !== 'object')
    throw new TypeError(`${kind} snapshot: field options must be an object.`);
}

/** +∞/−∞ travel as null in JSON. */
export function infToNull(x: number): number | null {
  return Number.isFinite(x) ? x : null;
}
