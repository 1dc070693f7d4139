/**
 * @module
 * The time range of a view: a span ending now (`range=24h`) or fixed bounds (`from=…&to=…`, ISO-8601 or epoch
 * ms), the auto-refresh period, and the window size the charts ask the collector for. Pure: "now" is passed in.
 */

export const RELATIVE_RANGES = {
  '1h': 3_600_000,
  '6h': 6 * 3_600_000,
  '24h': 24 * 3_600_000,
  '7d': 7 * 86_400_000,
  '30d': 30 * 86_400_000,
} as const;
export type RelativeKey = keyof typeof RELATIVE_RANGES;
export const DEFAULT_RANGE: RelativeKey = '24h';

export type RangeState =
  | { kind: 'relative'; key: RelativeKey }
  | { kind: 'absolute'; fromMs: number; toMs: number };

/** Auto-refresh choices in seconds (0 = off). A minute keeps a wall screen current without load. */
export const REFRESH_CHOICES = [0, 30, 60, 300] as const;
export const DEFAULT_REFRESH_S = 60;

function parseTime(s: string | undefined): number | null {
  if (s === undefined || s === '') return null;
  const ms = /^\d+$/.test(s) ? Number(s) : Date.parse(s);
  return Number.isFinite(ms) ? ms : null;
}

/** The range a query string asks for; bad or missing values fall back to the last 24 hours. */
export function rangeFromQuery(query: Readonly<Record<string, string>>): RangeState {
  const from = parseTime(query.from);
  const to = parseTime(query.to);
  if (from !== null && to !== null && from < to) return { kind: 'absolute', fromMs: from, toMs: to };
  const key = query.range;
  if (key !== undefined && Object.hasOwn(RELATIVE_RANGES, key))
    return { kind: 'relative', key: key as RelativeKey };
  return { kind: 'relative', key: DEFAULT_RANGE };
}

/** The query keys that describe `range` (the others are cleared). */
export function rangeToQuery(range: RangeState): Record<string, string> {
  return range.kind === 'relative'
    ? { range: range.key, from: '', to: '' }
    : { range: '', from: new Date(range.fromMs).toISOString(), to: new Date(range.toMs).toISOString() };
}

/** [fromMs, toMs) of a range at time `nowMs`. */
export function resolveRange(range: RangeState, nowMs: number): { fromMs: number; toMs: number } {
  if (range.kind === 'absolute') return { fromMs: range.fromMs, toMs: range.toMs };
  return { fromMs: nowMs - RELATIVE_RANGES[range.key], toMs: nowMs };
}

/** The refresh period (seconds) a query string asks for; unknown values give the default. */
export function refreshFromQuery(query: Readonly<Record<string, string>>): number {
  const n = Number(query.refresh);
  return (REFRESH_CHOICES as readonly number[]).includes(n) && query.refresh !== '' ? n : DEFAULT_REFRESH_S;
}

const NICE_MS = [
  60_000, 300_000, 600_000, 900_000, 1_800_000, 3_600_000, 7_200_000, 10_800_000, 21_600_000, 43_200_000,
  86_400_000,
];

/**
 * The window size for a chart over `spanMs`: the smallest "nice" size (1 min … 1 day) that is a multiple of
 * the model's `bucketMs` and gives at most `maxPoints` windows; else the smallest multiple of `bucketMs` that
 * does. Never below `bucketMs`.
 */
export function chooseWindowMs(spanMs: number, bucketMs: number, maxPoints = 60): number {
  if (!(bucketMs > 0)) throw new RangeError(`chooseWindowMs: bucketMs must be > 0, got ${bucketMs}`);
  const want = Math.max(bucketMs, spanMs / Math.max(1, maxPoints));
  for (const n of NICE_MS) if (n >= want && n % bucketMs === 0) return n;
  return Math.ceil(want / bucketMs) * bucketMs;
}

/** Aligns a time down to a multiple of `stepMs` (window starts are aligned to the epoch). */
export function floorTo(ms: number, stepMs: number): number {
  return Math.floor(ms / stepMs) * stepMs;
}
