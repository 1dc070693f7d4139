/**
 * @module
 * Lines up the columns of a reference and a current table: which are shared, which the current file lacks,
 * which it adds; and one kind per shared column, inferred from both files together, with overrides.
 */
import { DataError } from './data-error.js';
import { type ColumnKind, dominantStorage, inferKind, type KindInference } from './kinds.js';
import type { ColumnData, Table } from './table.js';

/** How two tables' columns line up. Names are in reference order, then current order for extras. */
export interface SchemaComparison {
  shared: string[];
  missingInCurrent: string[];
  extraInCurrent: string[];
}

/** Compares column names of two tables. */
export function compareSchemas(reference: Table, current: Table): SchemaComparison {
  const refNames = reference.columns.map((c) => c.name);
  const curNames = new Set(current.columns.map((c) => c.name));
  const refSet = new Set(refNames);
  return {
    shared: refNames.filter((n) => curNames.has(n)),
    missingInCurrent: refNames.filter((n) => !curNames.has(n)),
    extraInCurrent: current.columns.map((c) => c.name).filter((n) => !refSet.has(n)),
  };
}

/** A column's kind and where it came from. */
export interface ResolvedKind extends KindInference {
  source: 'inferred' | 'override';
}

const STORAGE_WORDS = { numbers: 'numbers', times: 'dates or times', texts: 'text' } as const;

/**
 * One kind per column of either table. Shared columns are inferred from both files together; a column whose
 * values are numbers in one file and text (or dates) in the other is a `DataError` unless `overrides` names
 * its kind. Overrides win over inference.
 */
export function resolveKinds(
  reference: Table,
  current: Table,
  overrides: ReadonlyMap<string, ColumnKind> = new Map(),
): Map<string, ResolvedKind> {
  const out = new Map<string, ResolvedKind>();
  const byName = new Map<string, ColumnData[]>();
  for (const c of reference.columns) byName.set(c.name, [c]);
  for (const c of current.columns) byName.set(c.name, [...(byName.get(c.name) ?? []), c]);
  for (const [name, cols] of byName) {
    const forced = overrides.get(name);
    if (forced) {
      out.set(name, { kind: forced, reason: 'set in the column types file', source: 'override' });
      continue;
    }
    if (cols.length === 2) {
      const [r, c] = cols as [ColumnData, ColumnData];
      const sr = dominantStorage(r);
      const sc = dominantStorage(c);
      if (sr !== null && sc !== null && sr !== sc) {
        throw new DataError(
          `column "${name}" holds ${STORAGE_WORDS[sr]} in the reference file but ${STORAGE_WORDS[sc]} in the current file`,
          `fix the file, or name its kind in a column types file (--column-types types.json with {"${name}": "categorical"})`,
        );
      }
    }
    out.set(name, { ...inferKind(name, cols), source: 'inferred' });
  }
  return out;
}
