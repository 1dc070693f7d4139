/**
 * @module
 * Small wording helpers for diagnosis sentences: durations in words and event times in UTC.
 */

/** `45 s`, `2 min`, `3 h`, `1 h 30 min`, `2 d 4 h`. Rounds to the two largest units. */
export function durationInWords(ms: number): string {
  const s = Math.round(Math.abs(ms) / 1000);
  if (s < 60) return `${s} s`;
  const units: [string, number][] = [
    ['d', 86_400],
    ['h', 3_600],
    ['min', 60],
  ];
  const parts: string[] = [];
  let rest = s;
  for (const [name, size] of units) {
    const n = Math.floor(rest / size);
    if (n > 0 || parts.length > 0) {
      if (n > 0) parts.push(`${n} ${name}`);
      rest -= n * size;
    }
    if (parts.length === 2) break;
  }
  if (parts.length === 0) parts.push(`${Math.round(s / 60)} min`);
  return parts.join(' ');
}

/** An event time as `2025-01-01 12:03 UTC`. */
export function timeInWords(ms: number): string {
  const iso = new Date(ms).toISOString();
  return `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC`;
}
