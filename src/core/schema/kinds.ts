/**
 * @module
 * What kind of data a column holds — numerical, categorical, boolean, datetime, text or id — inferred from
 * what its cells held (`CellCounts`) and, for text, from its dictionary. The kind decides how a column is
 * compared: numerical and categorical columns are tested for drift, ids and timestamps are not.
 *
 * Rules (applied to the reference and current file together, so both get one kind):
 * 1. No value at all → categorical (an empty column; the quality section reports it).
 * 2. The storage most cells use wins: numbers, date-times or text. The other cells are type mismatches.
 * 3. Date-times → datetime.
 * 4. Numbers → numerical, except whole, all-distinct numbers in a column named like an id (`id`, `user_id`,
 *    `uuid`, `key`) → id. Low-cardinality numbers (0/1 flags, small codes) stay numerical: the drift method
 *    chooser handles few distinct values, as Evidently does.
 * 5. Text whose values are all boolean tokens (`true`/`false`, `yes`/`no`, any case) → boolean.
 * 6. Text that is mostly distinct (more than half the rows, at least 20 rows): long or spaced values (mean
 *    length ≥ 30 characters, or half the rows contain whitespace) → text, otherwise → id.
 *    Repeated long spaced values (mean length ≥ 50, half with whitespace) → text. Everything else → categorical.
 */
import type { ColumnKind } from '../stats/index.js';
import type { ColumnData } from './table.js';

export type { ColumnKind };

export const COLUMN_KINDS: readonly ColumnKind[] = [
  'numerical',
  'categorical',
  'boolean',
  'datetime',
  'text',
  'id',
];

/** Which storage a kind reads its values from. */
export type Storage = 'numbers' | 'times' | 'texts';

const BOOLEAN_TOKENS = new Set(['true', 'false', 'yes', 'no']);
const ID_NAME = /(^|[_\s.-])(id|uuid|guid|key)$|^(id|uuid|guid)([_\s.-]|$)/i;

/** The storage most present cells use, or null for a column with no values. Ties prefer numbers, then times. */
export function dominantStorage(col: ColumnData): Storage | null {
  const { numbers, times, texts } = col.counts;
  if (numbers + times + texts === 0) return null;
  if (numbers >= times && numbers >= texts) return 'numbers';
  if (times >= texts) return 'times';
  return 'texts';
}

/** An inferred kind with the reason, for people reading the report. */
export interface KindInference {
  kind: ColumnKind;
  reason: string;
}

function countDistinctNumbers(cols: readonly ColumnData[]): { distinct: number; total: number } {
  let total = 0;
  for (const c of cols) total += c.counts.numbers;
  const all = new Float64Array(total);
  let at = 0;
  for (const c of cols) {
    const a = c.numbers;
    if (!a) continue;
    for (let i = 0; i < a.length; i++) {
      const v = a[i]!;
      if (!Number.isNaN(v)) all[at++] = v;
    }
  }
  all.sort();
  let distinct = total > 0 ? 1 : 0;
  for (let i = 1; i < total; i++) if (all[i] !== all[i - 1]) distinct++;
  return { distinct, total };
}

/**
 * Infers one kind for a column from one or more files' copies of it (reference and current together).
 * See the module comment for the rules.
 */
export function inferKind(name: string, cols: readonly ColumnData[]): KindInference {
  let numbers = 0;
  let integers = 0;
  let times = 0;
  let texts = 0;
  let overflow = 0;
  for (const c of cols) {
    numbers += c.counts.numbers;
    integers += c.counts.integers;
    times += c.counts.times;
    texts += c.counts.texts;
    overflow += c.counts.overflowTexts;
  }
  const present = numbers + times + texts;
  if (present === 0) return { kind: 'categorical', reason: 'no values' };
  if (numbers >= times && numbers >= texts) {
    if (integers === numbers && numbers >= 20 && ID_NAME.test(name)) {
      const { distinct, total } = countDistinctNumbers(cols);
      if (distinct === total) return { kind: 'id', reason: 'whole numbers, all distinct, named like an id' };
    }
    return { kind: 'numerical', reason: `${pct(numbers, present)} of values are numbers` };
  }
  if (times >= texts)
    return { kind: 'datetime', reason: `${pct(times, present)} of values are dates or times` };

  const counts = new Map<string, number>();
  for (const c of cols) {
    c.dictionary.forEach((v, i) => {
      counts.set(v, (counts.get(v) ?? 0) + (c.codeCounts[i] ?? 0));
    });
  }
  if (overflow === 0 && [...counts.keys()].every((v) => BOOLEAN_TOKENS.has(v.toLowerCase()))) {
    return { kind: 'boolean', reason: 'every value is true/false or yes/no' };
  }
  let chars = 0;
  let spaced = 0;
  let kept = 0;
  for (const [v, n] of counts) {
    chars += v.length * n;
    kept += n;
    if (/\s/.test(v)) spaced += n;
  }
  const meanLength = kept > 0 ? chars / kept : 0;
  const spacedShare = kept > 0 ? spaced / kept : 0;
  const distinct = counts.size + overflow;
  const longOrSpaced = meanLength >= 30 || spacedShare >= 0.5;
  if (overflow > 0 || (texts >= 20 && distinct > texts / 2)) {
    return longOrSpaced
      ? { kind: 'text', reason: `mostly distinct values, mean length ${meanLength.toFixed(0)} characters` }
      : { kind: 'id', reason: `mostly distinct short values (${distinct} distinct in ${texts} rows)` };
  }
  if (meanLength >= 50 && spacedShare >= 0.5) {
    return {
      kind: 'text',
      reason: `long values with spaces, mean length ${meanLength.toFixed(0)} characters`,
    };
  }
  return { kind: 'categorical', reason: `${distinct} distinct values in ${texts} rows` };
}

function pct(a: number, b: number): string {
  return `${((100 * a) / b).toFixed(a === b ? 0 : 1)}%`;
}
