/**
 * @module
 * Data quality of a current file against its reference (architecture.md, "data collection / processing
 * problems"; methods.md 7.3 for the range check): missing share, type mismatches, values outside the
 * reference range, categories unseen in the reference, constant columns, duplicated rows, and schema
 * differences (missing or extra columns).
 *
 * Choices: the reference range is [min, max] of the reference (methods.md 7.3 allows min/max), checked for
 * numerical columns only (a datetime split by period would always be "out of range"); shares are over the
 * present (non-missing) cells of the current file.
 */
import { categoryCounts, type TypeMismatch, typeMismatches } from '../schema/column-values.js';
import type { SchemaComparison } from '../schema/compare.js';
import type { ColumnKind } from '../schema/kinds.js';
import type { ColumnData, Table } from '../schema/table.js';
import { type CountShare, duplicateRows } from './duplicates.js';

/** Quality of one column in one file. */
export interface FileColumnQuality {
  rows: number;
  missing: CountShare;
  typeMismatches: TypeMismatch & { share: number };
  /** At most one distinct present value (or none at all). */
  constant: boolean;
  /** Distinct present categories for categorical, boolean, text and id columns; null for numbers and times. */
  distinct: number | null;
}

/** Share of current values outside the reference [min, max]. */
export interface OutOfRange extends CountShare {
  referenceMin: number;
  referenceMax: number;
}

/** Current categories that the reference never had. */
export interface UnseenCategories extends CountShare {
  distinct: number;
  /** The most frequent unseen values, up to ten. */
  examples: string[];
}

export interface ColumnQuality {
  name: string;
  kind: ColumnKind;
  reference: FileColumnQuality | null;
  current: FileColumnQuality | null;
  outOfRange: OutOfRange | null;
  unseenCategories: UnseenCategories | null;
}

export type IssueSeverity = 'warning' | 'info';

/** One notable finding, worded for people; `column` null for table-wide issues. */
export interface QualityIssue {
  severity: IssueSeverity;
  check:
    | 'missing_columns'
    | 'extra_columns'
    | 'missing_values'
    | 'type_mismatch'
    | 'out_of_range'
    | 'unseen_categories'
    | 'constant_column'
    | 'duplicated_rows';
  column: string | null;
  message: string;
}

export interface QualityReport {
  schema: SchemaComparison;
  /** Null when unknown (a report from profiles, which keep no rows). */
  duplicatedRows: { reference: CountShare | null; current: CountShare | null };
  columns: ColumnQuality[];
  issues: QualityIssue[];
}

/** Whether a numerical or datetime column holds at most one distinct value (min === max), in O(n). */
function isConstant(a: Float64Array | null): boolean {
  if (!a) return true;
  let first = Number.NaN;
  for (let i = 0; i < a.length; i++) {
    const v = a[i]!;
    if (Number.isNaN(v)) continue;
    if (Number.isNaN(first)) first = v;
    else if (v !== first) return false;
  }
  return true;
}

function fileQuality(col: ColumnData, kind: ColumnKind): FileColumnQuality {
  const rows = col.length;
  const mm = typeMismatches(col, kind);
  const present = rows - col.counts.missing;
  const byValue = kind === 'numerical' || kind === 'datetime';
  const distinct = byValue ? null : categoryCounts(col, kind).size;
  return {
    rows,
    missing: { count: col.counts.missing, share: rows > 0 ? col.counts.missing / rows : 0 },
    typeMismatches: { ...mm, share: present > 0 ? mm.count / present : 0 },
    constant: byValue ? isConstant(kind === 'numerical' ? col.numbers : col.times) : (distinct ?? 0) <= 1,
    distinct,
  };
}

function outOfRange(ref: ColumnData, cur: ColumnData): OutOfRange | null {
  const r = ref.numbers;
  if (!r || ref.counts.numbers === 0) return null;
  let lo = Number.POSITIVE_INFINITY;
  let hi = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < r.length; i++) {
    const v = r[i]!;
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  const c = cur.numbers;
  let count = 0;
  if (c) for (let i = 0; i < c.length; i++) if (c[i]! < lo || c[i]! > hi) count++;
  const present = cur.counts.numbers;
  return { count, share: present > 0 ? count / present : 0, referenceMin: lo, referenceMax: hi };
}

function unseen(ref: ColumnData, cur: ColumnData, kind: ColumnKind): UnseenCategories {
  const known = categoryCounts(ref, kind);
  const now = categoryCounts(cur, kind);
  let count = 0;
  let total = 0;
  const fresh: [string, number][] = [];
  for (const [v, n] of now) {
    total += n;
    if (!known.has(v)) {
      count += n;
      fresh.push([v, n]);
    }
  }
  fresh.sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
  return {
    count,
    share: total > 0 ? count / total : 0,
    distinct: fresh.length,
    examples: fresh.slice(0, 10).map(([v]) => v),
  };
}

const pct = (x: number) => `${(100 * x).toFixed(x < 0.001 && x > 0 ? 3 : 1)}%`;

/**
 * The quality section: per column and per table checks, and a list of notable issues.
 * Issue rules: a warning for schema differences, a missing share up by 5 points or more, any type mismatch,
 * more than 1% of values outside the reference range or in unseen categories, a column constant in the current
 * file only, and duplicated rows up by 1 point or more; an info line for smaller non-zero findings.
 */
/** Warnings for reference columns the current `what` lacks and for columns only it has. */
export function schemaIssues(
  schema: Pick<SchemaComparison, 'missingInCurrent' | 'extraInCurrent'>,
  what: 'file' | 'profile',
): QualityIssue[] {
  const issues: QualityIssue[] = [];
  if (schema.missingInCurrent.length > 0)
    issues.push({
      severity: 'warning',
      check: 'missing_columns',
      column: null,
      message: `current ${what} lacks ${schema.missingInCurrent.length} reference column(s): ${schema.missingInCurrent.join(', ')}`,
    });
  if (schema.extraInCurrent.length > 0)
    issues.push({
      severity: 'warning',
      check: 'extra_columns',
      column: null,
      message: `current ${what} has ${schema.extraInCurrent.length} column(s) the reference lacks: ${schema.extraInCurrent.join(', ')}`,
    });
  return issues;
}

export function assessQuality(
  reference: Table,
  current: Table,
  schema: SchemaComparison,
  kinds: ReadonlyMap<string, ColumnKind>,
): QualityReport {
  const issues: QualityIssue[] = schemaIssues(schema, 'file');
  const refCols = new Map(reference.columns.map((c) => [c.name, c]));
  const curCols = new Map(current.columns.map((c) => [c.name, c]));
  const names = [...refCols.keys(), ...schema.extraInCurrent];
  const columns: ColumnQuality[] = [];
  for (const name of names) {
    const kind = kinds.get(name) ?? 'categorical';
    const r = refCols.get(name);
    const c = curCols.get(name);
    const rq = r ? fileQuality(r, kind) : null;
    const cq = c ? fileQuality(c, kind) : null;
    let range: OutOfRange | null = null;
    let fresh: UnseenCategories | null = null;
    if (r && c && kind === 'numerical') range = outOfRange(r, c);
    if (r && c && (kind === 'categorical' || kind === 'boolean')) fresh = unseen(r, c, kind);
    columns.push({ name, kind, reference: rq, current: cq, outOfRange: range, unseenCategories: fresh });

    if (cq) {
      const before = rq?.missing.share ?? 0;
      const after = cq.missing.share;
      if (after - before >= 0.05 || (after === 1 && before < 1)) {
        issues.push({
          severity: 'warning',
          check: 'missing_values',
          column: name,
          message: `missing values rose from ${pct(before)} to ${pct(after)}`,
        });
      } else if (after > 0) {
        issues.push({
          severity: 'info',
          check: 'missing_values',
          column: name,
          message: `${pct(after)} missing in current (reference ${pct(before)})`,
        });
      }
    }
    for (const [which, q] of [
      ['reference', rq],
      ['current', cq],
    ] as const) {
      if (q && q.typeMismatches.count > 0) {
        issues.push({
          severity: 'warning',
          check: 'type_mismatch',
          column: name,
          message: `${q.typeMismatches.count} value(s) in the ${which} file are not ${kind} (e.g. ${q.typeMismatches.examples
            .map((e) => JSON.stringify(e))
            .join(', ')})`,
        });
      }
    }
    if (range && range.count > 0) {
      issues.push({
        severity: range.share > 0.01 ? 'warning' : 'info',
        check: 'out_of_range',
        column: name,
        message: `${pct(range.share)} of current values fall outside the reference range [${fmt(range.referenceMin)}, ${fmt(range.referenceMax)}]`,
      });
    }
    if (fresh && fresh.count > 0) {
      issues.push({
        severity: fresh.share > 0.01 ? 'warning' : 'info',
        check: 'unseen_categories',
        column: name,
        message: `${pct(fresh.share)} of current rows hold ${fresh.distinct} categor${fresh.distinct === 1 ? 'y' : 'ies'} unseen in the reference (${fresh.examples
          .slice(0, 5)
          .map((e) => JSON.stringify(e))
          .join(', ')}${fresh.distinct > 5 ? ', …' : ''})`,
      });
    }
    if (cq?.constant && !rq?.constant) {
      issues.push({
        severity: 'warning',
        check: 'constant_column',
        column: name,
        message: 'constant in the current file, varied in the reference',
      });
    } else if (cq?.constant || rq?.constant) {
      issues.push({
        severity: 'info',
        check: 'constant_column',
        column: name,
        message: `constant in ${cq?.constant && rq?.constant ? 'both files' : 'the reference file'}`,
      });
    }
  }
  const ref = duplicateRows(reference);
  const cur = duplicateRows(current);
  if (cur.count > 0 || ref.count > 0) {
    issues.push({
      severity: cur.share - ref.share >= 0.01 ? 'warning' : 'info',
      check: 'duplicated_rows',
      column: null,
      message: `duplicated rows: ${cur.count} in current (${pct(cur.share)}), ${ref.count} in reference (${pct(ref.share)})`,
    });
  }
  const duplicatedRows = { reference: ref, current: cur };
  return { schema, duplicatedRows, columns, issues };
}

function fmt(x: number): string {
  return Number.isInteger(x) ? String(x) : Number(x.toPrecision(6)).toString();
}
