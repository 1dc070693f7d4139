/**
 * @module
 * The parameters a profile is built with. Two profiles merge only when they were built with the same
 * settings (the sketches' error bounds depend on them).
 */
import { FREQUENT_ITEMS_DEFAULT_MAX } from '../sketch/frequent-items.js';
import { HLL_DEFAULT_P } from '../sketch/hll.js';
import { KLL_DEFAULT_K } from '../sketch/kll.js';
import { RESERVOIR_DEFAULT_CAPACITY } from '../sketch/reservoir.js';

/** The kinds of column a profile can be told a column has (the same names as `core/schema`). */
export type ProfileColumnKind = 'numerical' | 'categorical' | 'boolean' | 'datetime' | 'text' | 'id';

export const PROFILE_COLUMN_KINDS: readonly ProfileColumnKind[] = [
  'numerical',
  'categorical',
  'boolean',
  'datetime',
  'text',
  'id',
];

/** Sketch sizes shared by every column of a profile. */
export interface ProfileSettings {
  /** KLL accuracy parameter (DataSketches default 200: rank error 1.33%, PMF error 1.65% at 99%). */
  kllK: number;
  /** HyperLogLog precision: 2^p registers (12: relative standard error 1.625%). */
  hllP: number;
  /** Active counters of the frequent-items summary (768, as whylogs' 1024-slot map). */
  frequentItems: number;
  /**
   * Distinct numbers counted exactly per column before giving up: keeps exact category counts for
   * low-cardinality numerics (flags, codes, months). 100 covers NannyML's "≤ 50 unique ⇒ categorical" rule.
   */
  numericDistinctLimit: number;
  /** Rows kept in the reservoir sample (0 keeps none). */
  sampleRows: number;
}

export const DEFAULT_PROFILE_SETTINGS: Readonly<ProfileSettings> = Object.freeze({
  kllK: KLL_DEFAULT_K,
  hllP: HLL_DEFAULT_P,
  frequentItems: FREQUENT_ITEMS_DEFAULT_MAX,
  numericDistinctLimit: 100,
  sampleRows: RESERVOIR_DEFAULT_CAPACITY,
});

/** Per-column choices: a declared kind (overrides inference) and fixed histogram edges. */
export interface ColumnSettings {
  kind?: ProfileColumnKind;
  /** Strictly increasing finite edges; the column then also keeps exact counts on them. */
  histogramEdges?: readonly number[];
}

/** Settings with defaults filled in and checked; throws a RangeError naming the bad field. */
export function resolveSettings(partial: Partial<ProfileSettings> = {}): ProfileSettings {
  const s = { ...DEFAULT_PROFILE_SETTINGS, ...partial };
  const check = (field: keyof ProfileSettings, lo: number, hi: number) => {
    const v = s[field];
    if (!Number.isInteger(v) || v < lo || v > hi) {
      throw new RangeError(`profile setting ${field} must be an integer in [${lo}, ${hi}], got ${v}`);
    }
  };
  check('kllK', 8, 65535);
  check('hllP', 4, 16);
  check('frequentItems', 2, 1 << 20);
  check('numericDistinctLimit', 0, 1 << 16);
  check('sampleRows', 0, 1 << 20);
  return s;
}

/**
 * Whether profiles built with `a` and `b` can merge: the sketch sizes must match. `sampleRows` may differ
 * (the merged sample keeps the smaller size).
 */
export function sameSettings(a: ProfileSettings, b: ProfileSettings): boolean {
  return (
    a.kllK === b.kllK &&
    a.hllP === b.hllP &&
    a.frequentItems === b.frequentItems &&
    a.numericDistinctLimit === b.numericDistinctLimit
  );
}
