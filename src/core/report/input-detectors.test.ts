import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { seededRng } from '../rng.js';
import { type CellValue, tableFromColumns } from '../schema/from-values.js';
import { buildReport } from './build-report.js';
import { sampleOf } from './input-detectors.js';

const gen = (n: number, f: (i: number) => CellValue) => Array.from({ length: n }, (_, i) => f(i));

/** Pairs (x, y) of standard normals with correlation `rho`, from a seeded generator. */
function correlated(n: number, rho: number, seed: number) {
  const rng = seededRng(seed);
  const normal = () => {
    const u = 1 - rng.next();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rng.next());
  };
  const x: number[] = [];
  const y: number[] = [];
  const z: number[] = [];
  for (let i = 0; i < n; i++) {
    const a = normal();
    x.push(a);
    y.push(rho * a + Math.sqrt(1 - rho * rho) * normal());
    z.push(normal());
  }
  return { x, y, z };
}

describe('multivariate drift in the report', () => {
  const N = 3000;
  const reference = tableFromColumns(correlated(N, 0.9, 1), { path: 'ref.csv' });
  const flipped = tableFromColumns(correlated(N, -0.9, 2), { path: 'cur.csv' });
  const same = tableFromColumns(correlated(N, 0.9, 3), { path: 'same.csv' });

  it('flags a correlation that flips while no single column drifts', () => {
    const r = buildReport(reference, flipped);
    expect(r.columns.filter((c) => c.role === 'feature').every((c) => c.tested && !c.drifted)).toBe(true);
    expect(r.dataset.drifted).toBe(false);
    const m = r.multivariate!;
    expect(m.pca!.features).toEqual(['x', 'y', 'z']);
    expect(m.pca!.drifted).toBe(true);
    expect(m.pca!.currentError!).toBeGreaterThan(m.pca!.upper);
    expect(m.pca!.alertChunks).toBe(m.pca!.chunks);
    expect(m.mmd!.pValue).toBeLessThan(0.05);
    expect(m.mmd!.nReference).toBe(1000);
    expect(m.mmd!.nCurrent).toBe(1000);
    expect(m.drifted).toBe(true);
  });

  it('stays quiet on a current drawn from the reference distribution', () => {
    const m = buildReport(reference, same).multivariate!;
    expect(m.pca!.drifted).toBe(false);
    expect(m.drifted).toBe(false);
  });

  it('gives the same sections for the same seed and draws other samples for another seed', () => {
    const a = buildReport(reference, flipped, { seed: 5 });
    const b = buildReport(reference, flipped, { seed: 5 });
    const c = buildReport(reference, flipped, { seed: 6 });
    expect(b.multivariate).toEqual(a.multivariate);
    expect(b.edgeCases).toEqual(a.edgeCases);
    expect(c.multivariate!.mmd!.mmd2).not.toBe(a.multivariate!.mmd!.mmd2);
    expect(a.settings.seed).toBe(5);
  });

  it('needs two numerical features', () => {
    const one = tableFromColumns({ x: gen(500, (i) => i % 17) });
    const m = buildReport(one, one).multivariate!;
    expect(m.pca).toBeNull();
    expect(m.drifted).toBe(false);
    expect(m.notes[0]).toMatch(/1 numerical feature/);
  });

  it('rejects a seed that is not a whole number', () => {
    expect(() => buildReport(reference, same, { seed: 1.5 })).toThrow(/--seed must be a whole number/);
  });
});

describe('edge cases in the report', () => {
  it('flags current rows far outside the reference and keeps the ten most anomalous with their ids', () => {
    const N = 2000;
    const ref = correlated(N, 0.5, 11);
    const cur = correlated(N, 0.5, 12);
    // one row in ten moved far away
    for (let i = 0; i < N; i += 10) {
      cur.x[i] = 8 + (i % 7);
      cur.y[i] = -8 - (i % 5);
    }
    const reference = tableFromColumns({ ...ref, key: gen(N, (i) => `r${i}`) });
    const current = tableFromColumns({ ...cur, key: gen(N, (i) => `c${i}`) });
    const e = buildReport(reference, current, { id: 'key' }).edgeCases!;
    expect(e.features).toEqual(['x', 'y', 'z']);
    expect(e.referenceShare).toBeGreaterThanOrEqual(0.01);
    expect(e.currentShare).toBeGreaterThan(0.09);
    expect(e.drifted).toBe(true);
    expect(e.pValue).toBeLessThan(1e-10);
    expect(e.top).toHaveLength(10);
    for (const t of e.top) {
      expect((t.row - 1) % 10).toBe(0);
      expect(t.id).toBe(`c${t.row - 1}`);
      expect(t.values.x).toBe(cur.x[t.row - 1]);
    }
    const scores = e.top.map((t) => t.score);
    expect([...scores].sort((a, b) => b - a)).toEqual(scores);
    expect(e.range.find((f) => f.feature === 'x')!.alert).toBe(true);
    expect(e.range.find((f) => f.feature === 'z')!.alert).toBe(false);
  });

  it('does not flag a current from the reference distribution', () => {
    const reference = tableFromColumns(correlated(2000, 0.5, 21));
    const current = tableFromColumns(correlated(2000, 0.5, 22));
    const e = buildReport(reference, current).edgeCases!;
    expect(e.drifted).toBe(false);
    expect(e.currentShare).toBeLessThan(0.03);
  });
});

describe('text columns in the report', () => {
  const words = ['delay', 'gate', 'flight', 'crew', 'weather', 'boarding', 'late', 'seat'];
  const english = (i: number) => gen(4 + (i % 5), (k) => words[(i * 7 + k * 3) % words.length]!).join(' ');
  it('reports descriptor drift rows named column.descriptor when the texts change', () => {
    const reference = tableFromColumns({ note: gen(800, english), n: gen(800, (i) => i % 13) });
    const current = tableFromColumns({
      note: gen(800, (i) => `${english(i)} ${english(i + 1)} #${i}!! Задержка рейса`),
      n: gen(800, (i) => i % 13),
    });
    const r = buildReport(reference, current, { columnSettings: new Map([['note', { kind: 'text' }]]) });
    const names = r.text.map((t) => t.name);
    expect(names).toEqual(expect.arrayContaining(['note.chars', 'note.oovShare', 'note.nonLetterShare']));
    for (const t of r.text) expect(t.column).toBe('note');
    const chars = r.text.find((t) => t.name === 'note.chars')!;
    expect(chars.drifted).toBe(true);
    expect(chars.currentMean!).toBeGreaterThan(chars.referenceMean!);
    expect(r.text.find((t) => t.name === 'note.latinShare')!.drifted).toBe(true);
  });

  it('reports no drift rows for texts from the same source', () => {
    const reference = tableFromColumns({ note: gen(800, english) });
    const current = tableFromColumns({ note: gen(800, (i) => english(i + 3)) });
    const r = buildReport(reference, current, { columnSettings: new Map([['note', { kind: 'text' }]]) });
    expect(r.text.length).toBeGreaterThan(0);
    expect(r.text.find((t) => t.name === 'note.oovShare')!.drifted).toBe(false);
  });
});

describe('sampleOf', () => {
  it('draws distinct items of the input, at most k of them', () => {
    fc.assert(
      fc.property(fc.array(fc.integer(), { maxLength: 60 }), fc.nat(80), fc.nat(), (xs, k, seed) => {
        const items = xs.map((x, i) => `${i}:${x}`);
        const s = sampleOf(items, k, seededRng(seed));
        expect(s.length).toBe(Math.min(k, items.length));
        expect(new Set(s).size).toBe(s.length);
        for (const v of s) expect(items).toContain(v);
      }),
    );
  });
});

describe('wide files', () => {
  it('compare the first 50 numerical features jointly and say so', () => {
    const cols: Record<string, CellValue[]> = {};
    const rng = seededRng(9);
    for (let k = 0; k < 60; k++) cols[`f${k}`] = gen(300, () => rng.next());
    const t = tableFromColumns(cols);
    const r = buildReport(t, t);
    expect(r.multivariate!.pca!.features).toHaveLength(50);
    expect(r.multivariate!.notes).toEqual(['the first 50 of 60 numerical features are compared jointly']);
    expect(r.edgeCases!.features).toHaveLength(50);
  });
});
