import { describe, expect, it } from 'vitest';
import { currentRange, driftMatrix, featureQuality, missingShareSeries, referenceRange } from './drift.js';
import { byStart, timeAxis } from './series.js';
import { type FixtureRow, normals, windowOf } from './window-fixtures.js';

const H = 3_600_000;

/** Eight hourly windows; from `shiftFrom` on, `x` moves by 2 standard deviations and `c` gains a new category. */
function day(shiftFrom: number) {
  const windows = [];
  for (let w = 0; w < 8; w++) {
    const xs = normals(400, w >= shiftFrom ? 2 : 0, 1, 100 + w);
    const rows: FixtureRow[] = xs.map((x, i) => ({
      features: {
        x,
        c: w >= shiftFrom && i % 4 === 0 ? 'new' : i % 2 ? 'a' : 'b',
        m: i % 10 === 0 ? null : i,
      },
    }));
    windows.push(windowOf(rows, w * H));
  }
  const axis = timeAxis(0, 8 * H, H);
  return { axis, groups: byStart(windows, axis) };
}

describe('drift heat map', () => {
  it('uses the first quarter of the windows with data as the reference, and the last quarter as current', () => {
    const { groups } = day(6);
    expect(referenceRange(groups)).toEqual({ from: 0, to: 2 });
    expect(currentRange(groups)).toEqual({ from: 6, to: 8 });
    expect(referenceRange([[], []])).toBeNull();
  });

  it('lights up the shifted feature from the shift on, and puts it first', () => {
    const { groups } = day(6);
    const m = driftMatrix(groups);
    expect(m.features[0]).toBe('x');
    const x = m.scores[m.features.indexOf('x')]!;
    for (let w = 0; w < 6; w++) expect(x[w]!).toBeLessThan(0.1);
    for (let w = 6; w < 8; w++) expect(x[w]!).toBeGreaterThan(0.25);
    const c = m.scores[m.features.indexOf('c')]!;
    expect(c[7]!).toBeGreaterThan(0.1);
  });

  it('scores against a registered reference when one is given', () => {
    const { groups } = day(0);
    const ref = windowOf(
      normals(400, 2, 1, 999).map((x) => ({ features: { x } })),
      0,
    );
    const m = driftMatrix(groups, 'features', ref.profiles!.features as never);
    expect(m.reference).toBeNull();
    expect(m.scores[m.features.indexOf('x')]!.every((v) => v !== null && v < 0.1)).toBe(true);
    // Features the reference does not have cannot be scored.
    expect(m.scores[m.features.indexOf('c')]!.every((v) => v === null)).toBe(true);
  });

  it('reports data quality: missing share, out-of-range share, unseen categories, drift', () => {
    const q = featureQuality(day(6).groups);
    const x = q.find((f) => f.feature === 'x')!;
    const c = q.find((f) => f.feature === 'c')!;
    const m = q.find((f) => f.feature === 'm')!;
    expect(x.outOfRange!).toBeGreaterThan(0.3);
    expect(x.psi!).toBeGreaterThan(0.25);
    expect(c.unseen).toEqual([{ item: 'new', count: 200 }]);
    expect(m.missingReference).toBeCloseTo(0.1, 10);
    expect(m.missingCurrent).toBeCloseTo(0.1, 10);
    const series = missingShareSeries(day(6).groups).find((s) => s.feature === 'm')!;
    expect(series.values.every((v) => v !== null && Math.abs(v - 0.1) < 1e-12)).toBe(true);
  });
});
