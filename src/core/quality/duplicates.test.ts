import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { tableFromColumns } from '../schema/from-values.js';
import { duplicateRows } from './duplicates.js';

describe('duplicateRows', () => {
  it('counts rows equal to an earlier row, cell for cell', () => {
    const t = tableFromColumns({
      a: [1, 1, 2, 1, null, null],
      b: ['x', 'x', 'x', 'y', null, null],
      c: [new Date(0), new Date(0), new Date(0), new Date(0), null, null],
    });
    // Row 1 repeats row 0; row 5 repeats row 4 (all missing). Row 3 differs in b.
    expect(duplicateRows(t)).toEqual({ count: 2, share: 2 / 6 });
  });

  it('tells a number from the same text and a missing cell from zero', () => {
    const t = tableFromColumns({ v: [1, '1', 0, null] });
    expect(duplicateRows(t).count).toBe(0);
  });

  it('agrees with counting distinct rows by their JSON text (property)', () => {
    const cell = fc.oneof(fc.integer({ min: 0, max: 3 }), fc.constantFrom('a', 'b'), fc.constant(null));
    fc.assert(
      fc.property(fc.array(fc.tuple(cell, cell), { minLength: 1, maxLength: 80 }), (rows) => {
        const t = tableFromColumns({ p: rows.map((r) => r[0]), q: rows.map((r) => r[1]) });
        const distinct = new Set(rows.map((r) => JSON.stringify(r))).size;
        expect(duplicateRows(t).count).toBe(rows.length - distinct);
      }),
    );
  });
});
