/**
 * @module
 * Durations as people write them in expectation files: `500ms`, `30s`, `5m`, `1h`, `1d`, or a sum such as `1h30m`.
 */

const UNIT_MS = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;
const PART = /(\d+(?:\.\d+)?)(ms|s|m|h|d)/y;

/**
 * Parses a duration string into milliseconds.
 * Returns null when the text is not a duration (empty, a bare number, an unknown unit, or zero).
 * @example parseDurationMs('1h30m') // => 5_400_000
 */
export function parseDurationMs(text: string): number | null {
  const s = text.trim();
  if (s.length === 0) return null;
  let total = 0;
  PART.lastIndex = 0;
  while (PART.lastIndex < s.length) {
    const m = PART.exec(s);
    if (m === null) return null;
    total += Number(m[1]) * UNIT_MS[m[2] as keyof typeof UNIT_MS];
  }
  if (!Number.isFinite(total) || total <= 0) return null;
  return Math.round(total);
}

/**
 * Formats milliseconds as the shortest readable duration: `5m`, `1h30m`, `2.5s`, `250ms`.
 * Negative input is formatted by its absolute value; 0 gives `0s`.
 */
export function formatDurationMs(ms: number): string {
  let rest = Math.round(Math.abs(ms));
  if (rest === 0) return '0s';
  if (rest < 1000) return `${rest}ms`;
  if (rest < 60_000) return `${Number((rest / 1000).toFixed(1))}s`;
  const parts: string[] = [];
  for (const [unit, size] of [
    ['d', UNIT_MS.d],
    ['h', UNIT_MS.h],
    ['m', UNIT_MS.m],
  ] as const) {
    const n = Math.floor(rest / size);
    if (n > 0) parts.push(`${n}${unit}`);
    rest -= n * size;
  }
  const seconds = Math.round(rest / 1000);
  if (seconds > 0 && parts.length < 2) parts.push(`${seconds}s`);
  return parts.slice(0, 2).join('');
}
