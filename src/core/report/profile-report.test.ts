import { describe, expect, it } from 'vitest';
import { DatasetProfile } from '../profile/index.js';
import { seededRng } from '../rng.js';
import { DataError } from '../schema/data-error.js';
import { type CellValue, tableFromColumns } from '../schema/from-values.js';
import type { Table } from '../schema/table.js';
import { buildReport } from './build-report.js';
import { buildProfileReport } from './profile-report.js';
import type { FileInfo } from './types.js';

const gen = (n: number, f: (i: number) => CellValue) => Array.from({ length: n }, (_, i) => f(i));
const N = 150;
const reference = tableFromColumns({
  x: gen(N, (i) => (i * 37) % 101),
  c: gen(N, (i) => ['a', 'b', 'c'][i % 3]),
  y: gen(N, (i) => i % 2),
  when: gen(N, (i) => new Date(Date.UTC(2024, 0, 1 + (i % 20)))),
});
const current = tableFromColumns({
  x: gen(N, (i) => ((i * 37) % 101) + 30),
  c: gen(N, (i) => ['a', 'b', 'c', 'c'][i % 4]),
  y: gen(N, (i) => (i % 3 === 0 ? 1 : 0)),
  when: gen(N, (i) => new Date(Date.UTC(2024, 5, 1 + (i % 20)))),
});
const profile = (t: Table) => DatasetProfile.empty({ rng: seededRng(1) }).addTable(t);
const info = (path: string, t: Table): FileInfo => ({
  path,
  format: 'profile',
  bytes: 0,
  rows: t.rows,
  columns: t.columns.length,
});
const files = { reference: info('ref.flp', reference), current: info('cur.flp', current) };

describe('buildProfileReport', () => {
  it('equals the report from rows while the sketches are exact (n below their size)', () => {
    // Binned methods on many distinct values use reference deciles from profiles but Sturges bins on rows
    // (core/profile's documented choice), so they are compared on the two-valued column only.
    const cases = [
      ['ks', ['x', 'y']],
      ['wasserstein', ['x', 'y']],
      ['psi', ['y']],
      ['jensenshannon', ['y']],
    ] as const;
    for (const [method, names] of cases) {
      const fromRows = buildReport(reference, current, { method, timestamp: 'when' });
      const fromProfiles = buildProfileReport(profile(reference), profile(current), files, {
        method,
        timestamp: 'when',
      });
      for (const name of names) {
        const a = fromRows.columns.find((c) => c.name === name)!;
        const b = fromProfiles.columns.find((c) => c.name === name)!;
        expect(b).toMatchObject({
          method: a.method,
          drifted: a.drifted,
          threshold: a.threshold,
          pValue: a.pValue === null ? null : expect.any(Number),
        });
        expect(b.score).toBeCloseTo(a.score!, 9);
        expect(b.detail).toMatchObject({ errorBound: 0, exact: true, decisionCertain: true });
      }
      if (names.length === 2) expect(fromProfiles.dataset).toEqual(fromRows.dataset);
    }
  });

  it('gives the report shape: roles, untested kinds, a quality section without duplicates, no performance', () => {
    const r = buildProfileReport(profile(reference), profile(current), files, {
      target: 'y',
      prediction: 'c',
      timestamp: 'when',
    });
    expect(r.reference.format).toBe('profile');
    expect(r.targetDrift?.name).toBe('y');
    expect(r.columns.find((c) => c.name === 'when')).toMatchObject({
      kind: 'datetime',
      role: 'timestamp',
      tested: false,
    });
    expect(r.performance).toBeNull();
    expect(r.notes).toContain('model performance needs rows: it is not computed when a side is a profile');
    expect(r.quality.duplicatedRows).toEqual({ reference: null, current: null });
    const x = r.quality.columns.find((c) => c.name === 'x')!;
    // Current x spans [30, 130]; the reference [0, 100]: 30 of 101 distinct values, equally often, lie above.
    expect(x.outOfRange?.share).toBeGreaterThan(0.25);
    expect(r.columns.find((c) => c.name === 'x')?.chart?.type).toBe('histogram');
    // Few exact values: one bar per value, as for data files.
    expect(r.columns.find((c) => c.name === 'y')?.chart).toMatchObject({
      values: [0, 1],
      reference: [0.5, 0.5],
    });
  });

  it('refuses a per-column method that profiles cannot compute', () => {
    expect(() =>
      buildProfileReport(profile(reference), profile(current), files, {
        columnSettings: new Map([['x', { method: 'anderson' as const }]]),
      }),
    ).toThrow(DataError);
    expect(() => buildProfileReport(profile(reference), profile(current), files, { target: 'zz' })).toThrow(
      '--target names column "zz", which is in neither file',
    );
  });

  it('falls back to the automatic choice where --method does not apply, with a note', () => {
    const r = buildProfileReport(profile(reference), profile(current), files, { method: 'cvm' });
    expect(r.columns.find((c) => c.name === 'x')?.method).toBe('ks');
    expect(r.notes.join('\n')).toMatch(/--method cvm does not apply to numerical columns from profiles/);
  });
});
