/**
 * @module
 * The mergeable profile of a data set (architecture.md "window"): a row count, one `ColumnProfile` per
 * column and a bounded reservoir sample of whole rows whose merge is still a uniform sample of the union.
 * Rows can be added one object at a time (`addRow`), as columnar batches (`addColumns`) or as a columnar
 * table read by `src/io` (`addTable`). Columns first seen after some rows count those rows as missing,
 * and merging profiles with different column sets counts each side's rows as missing in the columns it
 * lacks, so `merge(profile(A), profile(B))` always describes A ∪ B.
 */
import type { Rng } from '../rng.js';
import { Reservoir } from '../sketch/reservoir.js';
import { ColumnProfile } from './column-profile.js';
import { type ColumnSettings, type ProfileSettings, resolveSettings, sameSettings } from './settings.js';

/** A value kept in a sample row. NaN and missing values are null; dates are ISO-8601 strings. */
export type SampleValue = number | string | boolean | null;
/** One sampled row. */
export type SampleRow = Record<string, SampleValue>;

/** The parts of a columnar table column that profiling reads (structurally `core/schema` `ColumnData`). */
export interface ColumnarColumn {
  readonly name: string;
  readonly length: number;
  /** Numbers, NaN where the row held none; null when no row held a number. */
  readonly numbers: Float64Array | null;
  /** Date-times as epoch ms, NaN where the row held none; null when no row held one. */
  readonly times: Float64Array | null;
  /** Text dictionary codes: >= 0 indexes `dictionary`, -1 no text, -2 a text beyond the dictionary bound. */
  readonly codes: Int32Array | null;
  readonly dictionary: readonly string[];
  readonly codeCounts: readonly number[];
  readonly counts: { readonly missing: number; readonly overflowTexts: number };
}

/** A columnar table (structurally `core/schema` `Table`). */
export interface ColumnarTable {
  readonly rows: number;
  readonly columns: readonly ColumnarColumn[];
}

/** How to build a profile. */
export interface DatasetProfileOptions {
  settings?: Partial<ProfileSettings>;
  /** Per-column declared kinds and histogram edges. */
  columns?: Record<string, ColumnSettings>;
  /** Drives KLL compactions and the reservoir. */
  rng: Rng;
}

/** Converts any value to what a sample row keeps. */
export function toSampleValue(v: unknown): SampleValue {
  if (v === null || v === undefined) return null;
  switch (typeof v) {
    case 'number':
      return Number.isNaN(v) ? null : v;
    case 'string':
    case 'boolean':
      return v;
    case 'bigint':
      return Number(v);
  }
  if (v instanceof Date) return Number.isNaN(v.getTime()) ? null : v.toISOString();
  try {
    return JSON.stringify(v) ?? String(v);
  } catch {
    return String(v);
  }
}

/** The profile of a data set. Mutable; `merge` changes only the receiver. */
export class DatasetProfile {
  private settingsV: ProfileSettings;
  private readonly rng: Rng;
  private readonly columnSettings: Map<string, ColumnSettings>;
  private cols = new Map<string, ColumnProfile>();
  private rows = 0;
  private sampleV: Reservoir<SampleRow>;

  private constructor(settings: ProfileSettings, columnSettings: Map<string, ColumnSettings>, rng: Rng) {
    this.settingsV = settings;
    this.columnSettings = columnSettings;
    this.rng = rng;
    this.sampleV = Reservoir.empty(settings.sampleRows, rng);
  }

  /** The empty profile: no rows, no columns. Settings are checked (RangeError names a bad field). */
  static empty(options: DatasetProfileOptions): DatasetProfile {
    const settings = resolveSettings(options.settings);
    const columnSettings = new Map(Object.entries(options.columns ?? {}));
    const p = new DatasetProfile(settings, columnSettings, options.rng);
    // Columns with settings exist from the start, so their histogram edges are validated now.
    for (const name of columnSettings.keys()) p.columnFor(name);
    return p;
  }

  /** Rebuilds a profile from decoded parts (used by the binary codec). */
  static fromParts(parts: {
    settings: ProfileSettings;
    rowCount: number;
    columns: ColumnProfile[];
    sample: Reservoir<SampleRow>;
    rng: Rng;
  }): DatasetProfile {
    const p = new DatasetProfile(parts.settings, new Map(), parts.rng);
    p.rows = parts.rowCount;
    for (const c of parts.columns) {
      p.cols.set(c.name, c);
      p.columnSettings.set(c.name, {
        kind: c.declaredKind,
        histogramEdges: c.histogram?.edges ? [...c.histogram.edges] : undefined,
      });
    }
    p.sampleV = parts.sample;
    return p;
  }

  /** The sketch sizes; `sampleRows` shrinks to the smaller one when profiles with different samples merge. */
  get settings(): ProfileSettings {
    return this.settingsV;
  }

  /** Rows added (or merged in). */
  get rowCount(): number {
    return this.rows;
  }
  /** Column names in order of first appearance. */
  columnNames(): string[] {
    return [...this.cols.keys()];
  }
  columns(): ColumnProfile[] {
    return [...this.cols.values()];
  }
  column(name: string): ColumnProfile | undefined {
    return this.cols.get(name);
  }
  /** The sampled rows (a copy), a uniform sample without replacement of all rows. */
  sample(): SampleRow[] {
    return this.sampleV.items();
  }
  /** The reservoir itself (for the codec). */
  get reservoir(): Reservoir<SampleRow> {
    return this.sampleV;
  }

  private columnFor(name: string): ColumnProfile {
    let c = this.cols.get(name);
    if (!c) {
      c = ColumnProfile.empty(name, this.settings, this.columnSettings.get(name) ?? {}, this.rng);
      c.addMissing(this.rows);
      this.cols.set(name, c);
    }
    return c;
  }

  /** Adds one row given as an object; known columns absent from it count as missing. */
  addRow(row: Readonly<Record<string, unknown>>): this {
    for (const [name, v] of Object.entries(row)) this.columnFor(name).addValue(v);
    for (const [name, c] of this.cols) if (!Object.hasOwn(row, name)) c.addMissing(1);
    this.rows++;
    this.sampleV.addBatch(1, () => {
      const out: SampleRow = {};
      for (const [name, v] of Object.entries(row)) out[name] = toSampleValue(v);
      return out;
    });
    return this;
  }

  addRows(rows: Iterable<Readonly<Record<string, unknown>>>): this {
    for (const r of rows) this.addRow(r);
    return this;
  }

  /**
   * Adds `rows` rows given column by column: a Float64Array is a numeric column (NaN = missing), any
   * other array holds values of any type (see `ColumnProfile.addValue`). Every array must have `rows`
   * entries; known columns absent from the batch count as missing.
   */
  addColumns(batch: { rows: number; columns: Readonly<Record<string, ArrayLike<unknown>>> }): this {
    const { rows, columns } = batch;
    if (!Number.isSafeInteger(rows) || rows < 0)
      throw new RangeError(`batch rows must be a count, got ${rows}`);
    const entries = Object.entries(columns);
    for (const [name, values] of entries) {
      if (values.length !== rows) {
        throw new RangeError(`column "${name}" has ${values.length} values but the batch has ${rows} rows`);
      }
    }
    for (const [name, values] of entries) {
      const c = this.columnFor(name);
      if (values instanceof Float64Array) {
        let nan = 0;
        for (let i = 0; i < rows; i++) if (Number.isNaN(values[i]!)) nan++;
        c.addNumbers(values).addMissing(nan);
      } else {
        for (let i = 0; i < rows; i++) c.addValue(values[i]);
      }
    }
    for (const [name, c] of this.cols) if (!Object.hasOwn(columns, name)) c.addMissing(rows);
    this.rows += rows;
    this.sampleV.addBatch(rows, (i) => {
      const out: SampleRow = {};
      for (const [name, values] of entries) out[name] = toSampleValue(values[i]);
      return out;
    });
    return this;
  }

  /**
   * Adds a columnar table as `src/io` reads it: numbers and date-times by batch, texts once per
   * dictionary entry with its count (fast whatever the row count).
   */
  addTable(table: ColumnarTable): this {
    const rows = table.rows;
    for (const col of table.columns) {
      if (col.length !== rows)
        throw new RangeError(`column "${col.name}" has ${col.length} rows, the table ${rows}`);
      const c = this.columnFor(col.name);
      if (col.numbers) c.addNumbers(col.numbers);
      if (col.times) c.addTimes(col.times);
      for (const [i, v] of col.dictionary.entries()) c.addText(v, col.codeCounts[i] ?? 0);
      c.addUnknownTexts(col.counts.overflowTexts);
      c.addMissing(col.counts.missing);
    }
    const present = new Set(table.columns.map((c) => c.name));
    for (const [name, c] of this.cols) if (!present.has(name)) c.addMissing(rows);
    this.rows += rows;
    this.sampleV.addBatch(rows, (i) => {
      const out: SampleRow = {};
      for (const col of table.columns) out[col.name] = cellAt(col, i);
      return out;
    });
    return this;
  }

  /**
   * Merges `other` into this profile: row counts add, columns merge by name (a column missing on one
   * side gets that side's rows as missing), samples merge into a uniform sample of the union.
   */
  merge(other: DatasetProfile): this {
    if (other === this) other = other.clone();
    if (!sameSettings(this.settings, other.settings)) {
      throw new RangeError(
        `cannot merge profiles built with different settings (${describe(this.settings)} vs ${describe(other.settings)})`,
      );
    }
    const mine = this.rows;
    for (const [name, theirs] of other.cols) {
      const c = this.cols.get(name);
      if (c) c.merge(theirs);
      else {
        const copy = theirs.clone(this.rng);
        // Rows this side saw before the column existed on this side are missing in it.
        const padded = ColumnProfile.empty(
          name,
          this.settings,
          {
            kind: theirs.declaredKind,
            histogramEdges: theirs.histogram ? [...theirs.histogram.edges] : undefined,
          },
          this.rng,
        )
          .addMissing(mine)
          .merge(copy);
        this.cols.set(name, padded);
      }
    }
    for (const [name, c] of this.cols) if (!other.cols.has(name)) c.addMissing(other.rows);
    this.rows += other.rows;
    this.sampleV.merge(other.sampleV);
    this.settingsV = { ...this.settingsV, sampleRows: this.sampleV.capacity };
    return this;
  }

  /** A deep copy whose sketches use `rng` (default: this profile's). */
  clone(rng: Rng = this.rng): DatasetProfile {
    const p = new DatasetProfile(this.settings, new Map(this.columnSettings), rng);
    p.rows = this.rows;
    for (const [name, c] of this.cols) p.cols.set(name, c.clone(rng));
    p.sampleV = Reservoir.of(
      this.settings.sampleRows,
      this.sampleV.seen,
      this.sampleV.items().map((r) => ({ ...r })),
      rng,
    );
    return p;
  }
}

function describe(s: ProfileSettings): string {
  return `k=${s.kllK}, p=${s.hllP}, items=${s.frequentItems}, numbers=${s.numericDistinctLimit}, sample=${s.sampleRows}`;
}

/** The value of row i of a columnar column: number, ISO date-time, text, or null. */
function cellAt(col: ColumnarColumn, i: number): SampleValue {
  const x = col.numbers ? col.numbers[i]! : Number.NaN;
  if (!Number.isNaN(x)) return x;
  const t = col.times ? col.times[i]! : Number.NaN;
  if (!Number.isNaN(t)) return new Date(t).toISOString();
  const code = col.codes ? col.codes[i]! : -1;
  if (code >= 0) return col.dictionary[code] ?? null;
  return null;
}
