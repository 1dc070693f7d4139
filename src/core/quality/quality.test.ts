import { describe, expect, it } from 'vitest';
import { compareSchemas, resolveKinds } from '../schema/compare.js';
import { tableFromColumns } from '../schema/from-values.js';
import type { ColumnKind } from '../schema/kinds.js';
import type { Table } from '../schema/table.js';
import { assessQuality } from './quality.js';

function assess(ref: Table, cur: Table) {
  const kinds = new Map<string, ColumnKind>([...resolveKinds(ref, cur)].map(([n, k]) => [n, k.kind]));
  return assessQuality(ref, cur, compareSchemas(ref, cur), kinds);
}

const ref = tableFromColumns({
  age: [20, 30, 40, 50],
  city: ['Lyon', 'Oslo', 'Lyon', 'Oslo'],
  plan: ['a', 'b', 'a', 'b'],
  gone: [1, 2, 3, 4],
});
const cur = tableFromColumns({
  age: [25, 'unknown', null, 90],
  city: ['Lyon', 'Kyiv', 'Kyiv', null],
  plan: ['a', 'a', 'a', 'a'],
  added: ['x', 'y', 'z', 'w'],
});

describe('assessQuality', () => {
  const q = assess(ref, cur);
  const col = (name: string) => q.columns.find((c) => c.name === name)!;

  it('reports schema differences', () => {
    expect(q.schema.missingInCurrent).toEqual(['gone']);
    expect(q.schema.extraInCurrent).toEqual(['added']);
    expect(q.issues.filter((i) => i.check === 'missing_columns' || i.check === 'extra_columns')).toHaveLength(
      2,
    );
  });

  it('measures missing share and type mismatches per file', () => {
    expect(col('age').current?.missing).toEqual({ count: 1, share: 0.25 });
    expect(col('age').current?.typeMismatches).toEqual({ count: 1, examples: ['unknown'], share: 1 / 3 });
    expect(col('age').reference?.typeMismatches.count).toBe(0);
    const issue = q.issues.find((i) => i.check === 'type_mismatch');
    expect(issue).toMatchObject({ severity: 'warning', column: 'age' });
    expect(issue?.message).toContain('"unknown"');
    expect(q.issues.find((i) => i.check === 'missing_values' && i.column === 'age')).toMatchObject({
      severity: 'warning',
    });
  });

  it('finds values outside the reference range', () => {
    // Current numbers 25 and 90; the reference spans [20, 50].
    expect(col('age').outOfRange).toEqual({ count: 1, share: 0.5, referenceMin: 20, referenceMax: 50 });
  });

  it('finds categories unseen in the reference', () => {
    expect(col('city').unseenCategories).toEqual({ count: 2, share: 2 / 3, distinct: 1, examples: ['Kyiv'] });
  });

  it('flags a column that became constant', () => {
    expect(col('plan').current?.constant).toBe(true);
    expect(col('plan').reference?.constant).toBe(false);
    expect(q.issues.find((i) => i.check === 'constant_column')).toMatchObject({
      severity: 'warning',
      column: 'plan',
    });
  });

  it('counts duplicated rows per file', () => {
    const r = tableFromColumns({ a: [1, 1, 2], b: ['x', 'x', 'y'] });
    const c = tableFromColumns({ a: [1, 1, 1], b: ['x', 'x', 'x'] });
    const dq = assess(r, c);
    expect(dq.duplicatedRows.reference).toEqual({ count: 1, share: 1 / 3 });
    expect(dq.duplicatedRows.current).toEqual({ count: 2, share: 2 / 3 });
    expect(dq.issues.find((i) => i.check === 'duplicated_rows')?.severity).toBe('warning');
  });

  it('has nothing to say about two identical clean files but the info lines', () => {
    const clean = assess(ref, ref);
    expect(clean.issues.filter((i) => i.severity === 'warning')).toEqual([]);
  });
});
