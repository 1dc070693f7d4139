/**
 * @module
 * ISO-8601-like dates and times straight from bytes: `YYYY-MM-DD` (or `YYYY/MM/DD`), optionally followed by
 * `T` or a space and `HH:MM`, `HH:MM:SS` or `HH:MM:SS.fff…`, optionally followed by `Z` or an offset
 * (`+HH:MM`, `+HHMM`, `+HH`). A value without a zone is read as UTC, so a report never depends on the time
 * zone of the machine that makes it. Impossible dates (`2021-02-30`, hour 25) are not dates.
 */

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function isLeap(y: number): boolean {
  return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
}

function digits(bytes: Uint8Array, at: number, n: number): number {
  let v = 0;
  for (let k = 0; k < n; k++) {
    const d = bytes[at + k]! - 0x30;
    if (d < 0 || d > 9) return -1;
    v = v * 10 + d;
  }
  return v;
}

/**
 * Parses `bytes[start, end)` as a date or date-time.
 * Returns epoch milliseconds (UTC), or `undefined` when the bytes are not a date in the accepted forms.
 * A plain date is midnight UTC of that day. Fractions of a second beyond milliseconds are truncated.
 * @example parseDateTimeBytes(Buffer.from('2001-01-01 00:01'), 0, 16) // → 978307260000
 */
export function parseDateTimeBytes(bytes: Uint8Array, start: number, end: number): number | undefined {
  while (start < end && bytes[start] === 0x20) start++;
  while (end > start && bytes[end - 1] === 0x20) end--;
  const len = end - start;
  if (len < 10) return undefined;
  const sep = bytes[start + 4];
  if ((sep !== 0x2d && sep !== 0x2f) || bytes[start + 7] !== sep) return undefined;
  const y = digits(bytes, start, 4);
  const mo = digits(bytes, start + 5, 2);
  const d = digits(bytes, start + 8, 2);
  if (y < 0 || mo < 1 || mo > 12 || d < 1) return undefined;
  const dim = mo === 2 && isLeap(y) ? 29 : DAYS_IN_MONTH[mo - 1]!;
  if (d > dim) return undefined;
  let h = 0;
  let mi = 0;
  let s = 0;
  let ms = 0;
  let offsetMin = 0;
  let i = start + 10;
  if (i < end) {
    const t = bytes[i];
    if (t !== 0x54 && t !== 0x20) return undefined;
    if (end - i < 6 || bytes[i + 3] !== 0x3a) return undefined;
    h = digits(bytes, i + 1, 2);
    mi = digits(bytes, i + 4, 2);
    if (h < 0 || h > 23 || mi < 0 || mi > 59) return undefined;
    i += 6;
    if (i < end && bytes[i] === 0x3a) {
      if (end - i < 3) return undefined;
      s = digits(bytes, i + 1, 2);
      if (s < 0 || s > 59) return undefined;
      i += 3;
      if (i < end && bytes[i] === 0x2e) {
        i++;
        const fracStart = i;
        let scale = 100;
        while (i < end) {
          const dd = bytes[i]! - 0x30;
          if (dd < 0 || dd > 9) break;
          ms += dd * scale;
          scale /= 10;
          i++;
        }
        if (i === fracStart) return undefined;
        ms = Math.floor(ms);
      }
    }
    if (i < end) {
      const z = bytes[i];
      if (z === 0x5a && i + 1 === end) {
        i++;
      } else if (z === 0x2b || z === 0x2d) {
        const sign = z === 0x2d ? -1 : 1;
        const rest = end - i - 1;
        let oh: number;
        let om = 0;
        if (rest === 2) oh = digits(bytes, i + 1, 2);
        else if (rest === 4) {
          oh = digits(bytes, i + 1, 2);
          om = digits(bytes, i + 3, 2);
        } else if (rest === 5 && bytes[i + 3] === 0x3a) {
          oh = digits(bytes, i + 1, 2);
          om = digits(bytes, i + 4, 2);
        } else return undefined;
        if (oh < 0 || oh > 23 || om < 0 || om > 59) return undefined;
        offsetMin = sign * (oh * 60 + om);
        i = end;
      } else return undefined;
    }
  }
  return Date.UTC(y, mo - 1, d, h, mi, s, ms) - offsetMin * 60_000;
}
