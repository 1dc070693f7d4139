import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { seededRng } from '../rng.js';
import { crc32 } from '../sketch/bytes.js';
import { kllNormalizedRankError } from '../sketch/kll.js';
import { DatasetProfile } from './dataset-profile.js';
import { decodeProfile, encodedColumnSizes, encodeProfile } from './profile-codec.js';
import { summarizeProfile } from './profile-summary.js';

const EPS = kllNormalizedRankError(200, false);
const dataDir = join(import.meta.dirname, '..', '..', '..', 'data', 'profiles');

/** Reads a CSV of the test data into columns: the named numeric columns as Float64Array, the rest as text. */
function readColumns(
  file: string,
  numeric: string[],
): { rows: number; columns: Record<string, Float64Array | string[]> } {
  const records = parse(readFileSync(join(dataDir, file), 'utf8'), { columns: true }) as Record<
    string,
    string
  >[];
  const names = Object.keys(records[0]!);
  const columns: Record<string, Float64Array | string[]> = {};
  for (const name of names) {
    columns[name] = numeric.includes(name)
      ? Float64Array.from(records, (r) => (r[name] === '' ? Number.NaN : Number(r[name])))
      : records.map((r) => r[name]!);
  }
  return { rows: records.length, columns };
}

function sliceColumns(
  batch: { rows: number; columns: Record<string, Float64Array | string[]> },
  start: number,
  end: number,
): { rows: number; columns: Record<string, Float64Array | string[]> } {
  const columns: Record<string, Float64Array | string[]> = {};
  for (const [k, v] of Object.entries(batch.columns)) columns[k] = v.slice(start, end);
  return { rows: end - start, columns };
}

function ecdf(sorted: Float64Array, x: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid]! <= x) lo = mid + 1;
    else hi = mid;
  }
  return lo / sorted.length;
}

const rel = (a: number, b: number) => Math.abs(a - b) / Math.max(Math.abs(b), 1e-300);

const flights = readColumns('flights-2001h1-1pct.csv', ['delay', 'distance']);
const weather = readColumns('weather.csv', ['precipitation', 'temp_max', 'temp_min', 'wind']);

describe('DatasetProfile', () => {
  it('empty is a real state and the identity of merge', () => {
    const e = DatasetProfile.empty({ rng: seededRng(1) });
    expect(e.rowCount).toBe(0);
    expect(e.columnNames()).toEqual([]);
    expect(e.sample()).toEqual([]);
    const p = DatasetProfile.empty({ rng: seededRng(2) }).addRow({ a: 1, b: 'x' });
    const merged = p.clone().merge(e);
    expect(summarizeProfile(merged)).toEqual(summarizeProfile(p));
    expect(summarizeProfile(e.clone().merge(p))).toEqual(summarizeProfile(p));
    expect(encodeProfile(DatasetProfile.empty({ rng: seededRng(3) })).length).toBeLessThan(40);
  });

  it('counts missing values, late columns and types per column; every column counts every row', () => {
    const p = DatasetProfile.empty({ rng: seededRng(1) });
    p.addRow({ a: 1, b: 'x' });
    p.addRow({ a: 2.5, b: null });
    p.addRow({ a: Number.NaN, c: true });
    p.addRow({ a: 'oops', b: 'false', c: new Date('2024-01-01T00:00:00Z') });
    p.addColumns({ rows: 2, columns: { a: Float64Array.of(4, Number.NaN), d: [{ x: 1 }, 5n] } });
    expect(p.rowCount).toBe(6);
    for (const c of p.columns()) expect(c.count).toBe(6);
    expect(p.column('a')!.typeCounts()).toEqual({
      missing: 2,
      integral: 2,
      fractional: 1,
      boolean: 0,
      string: 1,
      datetime: 0,
      other: 0,
    });
    expect(p.column('b')!.typeCounts()).toMatchObject({ missing: 4, string: 1, boolean: 1 });
    expect(p.column('c')!.typeCounts()).toMatchObject({ missing: 4, boolean: 1, datetime: 1 });
    expect(p.column('d')!.typeCounts()).toMatchObject({ missing: 4, other: 1, integral: 1 });
    expect(p.sample()).toHaveLength(6);
    expect(p.sample()).toContainEqual({ a: null, c: true });
  });

  it('rejects bad settings and batches with clear messages', () => {
    expect(() => DatasetProfile.empty({ rng: seededRng(1), settings: { kllK: 3 } })).toThrow(
      /kllK must be an integer in \[8, 65535\], got 3/,
    );
    expect(() =>
      DatasetProfile.empty({ rng: seededRng(1), columns: { x: { histogramEdges: [2, 1] } } }),
    ).toThrow(/strictly increasing/);
    const p = DatasetProfile.empty({ rng: seededRng(1) });
    expect(() => p.addColumns({ rows: 2, columns: { a: [1] } })).toThrow(
      /column "a" has 1 values but the batch has 2 rows/,
    );
    const q = DatasetProfile.empty({ rng: seededRng(1), settings: { kllK: 100 } });
    expect(() => p.merge(q)).toThrow(/different settings \(k=200.*vs k=100/);
  });

  it('merge(profile(A), profile(B)) ≈ profile(A ∪ B): exact counts and moments, KLL within its bound (property)', () => {
    const value = fc.oneof(
      { weight: 5, arbitrary: fc.double({ min: -1e3, max: 1e3, noNaN: true }) },
      { weight: 2, arbitrary: fc.integer({ min: 0, max: 5 }) },
      { weight: 2, arbitrary: fc.constantFrom('red', 'green', 'blue', 'TRUE') },
      { weight: 1, arbitrary: fc.constant(null) },
    );
    const row = fc.record(
      { x: value, y: fc.double({ min: 0, max: 1, noNaN: true }) },
      { requiredKeys: ['y'] },
    );
    fc.assert(
      fc.property(
        fc.array(row, { maxLength: 600 }),
        fc.array(row, { maxLength: 600 }),
        fc.integer(),
        (ra, rb, seed) => {
          const whole = DatasetProfile.empty({ rng: seededRng(seed) }).addRows([...ra, ...rb]);
          const a = DatasetProfile.empty({ rng: seededRng(seed + 1) }).addRows(ra);
          const b = DatasetProfile.empty({ rng: seededRng(seed + 2) }).addRows(rb);
          for (const merged of [a.clone().merge(b), b.clone().merge(a)]) {
            expect(merged.rowCount).toBe(whole.rowCount);
            expect(merged.sample().length).toBe(Math.min(1024, whole.rowCount));
            for (const name of whole.columnNames()) {
              const w = whole.column(name)!;
              const m = merged.column(name)!;
              expect(m.typeCounts()).toEqual(w.typeCounts());
              expect(m.moments.count).toBe(w.moments.count);
              if (w.moments.count > 0) {
                expect(Math.abs(m.moments.mean! - w.moments.mean!)).toBeLessThanOrEqual(
                  1e-9 * Math.max(1, Math.abs(w.moments.mean!)),
                );
                expect(Math.abs(m.moments.m2 - w.moments.m2)).toBeLessThanOrEqual(
                  1e-9 * Math.max(1, w.moments.m2),
                );
                expect([m.kll.min, m.kll.max]).toEqual([w.kll.min, w.kll.max]);
              }
              expect(m.hll.estimate()).toBe(w.hll.estimate());
              expect(m.categoryCounts()).toEqual(w.categoryCounts());
              expect(m.distinct()).toEqual(w.distinct());
              const xs = [...ra, ...rb]
                .map((r) => (r as Record<string, unknown>)[name])
                .filter((v): v is number => typeof v === 'number');
              const sorted = Float64Array.from(xs).sort();
              for (const v of m.kll.retainedValues())
                expect(Math.abs(m.kll.rank(v)! - ecdf(sorted, v))).toBeLessThanOrEqual(EPS);
            }
          }
        },
      ),
      { numRuns: 40 },
    );
  });

  it('merge is associative up to the sketch bounds (three profiles, both groupings)', () => {
    const rng = seededRng(5);
    const parts = [0, 1, 2].map((i) =>
      DatasetProfile.empty({ rng: seededRng(10 + i) }).addColumns({
        rows: 20_000,
        columns: {
          v: Float64Array.from({ length: 20_000 }, () => rng.next() * (i + 1)),
          k: Array.from({ length: 20_000 }, () => `k${rng.nextInt(50 * (i + 1))}`),
        },
      }),
    );
    const [a, b, c] = parts as [DatasetProfile, DatasetProfile, DatasetProfile];
    const left = a.clone().merge(b).merge(c);
    const right = a.clone().merge(b.clone().merge(c));
    expect(left.rowCount).toBe(60_000);
    expect(right.column('v')!.typeCounts()).toEqual(left.column('v')!.typeCounts());
    expect(rel(right.column('v')!.moments.m2, left.column('v')!.moments.m2)).toBeLessThan(1e-9);
    expect(right.column('k')!.categoryCounts()).toEqual(left.column('k')!.categoryCounts());
    for (const q of [0.1, 0.5, 0.9]) {
      const l = left.column('v')!.kll;
      const r = right.column('v')!.kll;
      expect(Math.abs(l.rank(r.quantile(q)!)! - q)).toBeLessThanOrEqual(2 * EPS);
    }
  });

  it('flights: profiling in halves and merging equals profiling the whole within the bounds', () => {
    const whole = DatasetProfile.empty({ rng: seededRng(1) }).addColumns(flights);
    const half = Math.floor(flights.rows / 2);
    const first = DatasetProfile.empty({ rng: seededRng(2) }).addColumns(sliceColumns(flights, 0, half));
    const second = DatasetProfile.empty({ rng: seededRng(3) }).addColumns(
      sliceColumns(flights, half, flights.rows),
    );
    const merged = first.merge(second);
    expect(merged.rowCount).toBe(30_000);
    for (const name of ['delay', 'distance']) {
      const w = whole.column(name)!;
      const m = merged.column(name)!;
      expect(m.typeCounts()).toEqual(w.typeCounts());
      expect(rel(m.moments.mean!, w.moments.mean!)).toBeLessThan(1e-9);
      expect(rel(m.moments.m2, w.moments.m2)).toBeLessThan(1e-9);
      const sorted = (flights.columns[name] as Float64Array).slice().sort();
      for (const q of [0.01, 0.1, 0.25, 0.5, 0.75, 0.9, 0.99]) {
        // Each sketch's q-quantile has a true rank within ε of q (ties widen the interval of valid ranks).
        for (const s of [w.kll, m.kll]) {
          const x = s.quantile(q)!;
          const lowerRank = ecdf(sorted, x - 1e-9);
          const upperRank = ecdf(sorted, x);
          expect(q).toBeGreaterThanOrEqual(lowerRank - EPS);
          expect(q).toBeLessThanOrEqual(upperRank + EPS);
        }
      }
    }
    for (const name of ['origin', 'destination']) {
      const w = whole.column(name)!;
      const m = merged.column(name)!;
      expect(w.frequentItems.isExact).toBe(true);
      expect(m.categoryCounts()).toEqual(w.categoryCounts());
      expect(m.distinct()).toEqual(w.distinct());
      expect(m.distinct().exact).toBe(true);
    }
    // 30,000 distinct-ish date strings: beyond the frequent-items map, so the HLL answers (merges exactly).
    expect(merged.column('date')!.hll.estimate()).toBe(whole.column('date')!.hll.estimate());
    const d = whole.column('date')!.distinct();
    const exactDistinctDates = new Set(flights.columns.date as string[]).size;
    expect(d.exact).toBe(false);
    expect(d.lower).toBeLessThanOrEqual(exactDistinctDates);
    expect(d.upper).toBeGreaterThanOrEqual(exactDistinctDates);
  });

  it('weather: infers kinds and exact category counts; summary has no NaN', () => {
    const p = DatasetProfile.empty({ rng: seededRng(1) }).addColumns(weather);
    const s = summarizeProfile(p);
    const kinds = Object.fromEntries(s.columns.filter((c) => c.name !== 'date').map((c) => [c.name, c.kind]));
    expect(kinds).toEqual({
      location: 'categorical',
      precipitation: 'numerical',
      temp_max: 'numerical',
      temp_min: 'numerical',
      wind: 'numerical',
      weather: 'categorical',
    });
    const w = s.columns.find((c) => c.name === 'weather')!;
    expect(w.distinct).toEqual({ estimate: 5, lower: 5, upper: 5, exact: true });
    expect(w.itemsMaxError).toBe(0);
    expect(w.topItems.reduce((acc, i) => acc + i.count, 0)).toBe(2922);
    expect(JSON.stringify(s)).not.toMatch(/NaN|Infinity/);
  });

  it('profiles with different sample sizes merge into the smaller sample', () => {
    const rows = Array.from({ length: 50 }, (_, i) => ({ i }));
    const a = DatasetProfile.empty({ rng: seededRng(1), settings: { sampleRows: 20 } }).addRows(rows);
    const b = DatasetProfile.empty({ rng: seededRng(2), settings: { sampleRows: 8 } }).addRows(rows);
    const m = a.merge(b);
    expect(m.settings.sampleRows).toBe(8);
    expect(m.sample()).toHaveLength(8);
    expect(encodeProfile(decodeProfile(encodeProfile(m)))).toEqual(encodeProfile(m));
  });

  it('columns missing on one side count that side’s rows as missing after a merge', () => {
    const a = DatasetProfile.empty({ rng: seededRng(1) }).addRows([{ x: 1 }, { x: 2 }]);
    const b = DatasetProfile.empty({ rng: seededRng(2) }).addRows([{ y: 'u' }, { y: 'v' }, { y: 'w' }]);
    const m = a.clone().merge(b);
    expect(m.rowCount).toBe(5);
    expect(m.column('x')!.missing).toBe(3);
    expect(m.column('y')!.missing).toBe(2);
    expect(m.column('x')!.count).toBe(5);
    expect(m.column('y')!.count).toBe(5);
  });
});

describe('profile codec', () => {
  const profile = DatasetProfile.empty({
    rng: seededRng(7),
    columns: { temp_max: { histogramEdges: [0, 10, 20, 30] } },
  }).addColumns(weather);
  profile.addRow({ extra: Number.POSITIVE_INFINITY, flag: false, when: new Date(0) });
  const bytes = encodeProfile(profile);

  it('round-trips bit for bit, keeping every answer', () => {
    const back = decodeProfile(bytes);
    expect(encodeProfile(back)).toEqual(bytes);
    expect(summarizeProfile(back)).toEqual(summarizeProfile(profile));
    expect(back.sample()).toEqual(profile.sample());
    // The decoded profile keeps working.
    back.merge(decodeProfile(bytes));
    expect(back.rowCount).toBe(2 * profile.rowCount);
  });

  it('round-trips the flights profile and stays within the size budget', () => {
    const p = DatasetProfile.empty({ rng: seededRng(1), settings: { sampleRows: 0 } }).addColumns(flights);
    const b = encodeProfile(p);
    expect(encodeProfile(decodeProfile(b))).toEqual(b);
    const sizes = encodedColumnSizes(p);
    expect(sizes.get('delay')!).toBeLessThanOrEqual(8 * 1024);
    expect(sizes.get('distance')!).toBeLessThanOrEqual(8 * 1024);
    expect(sizes.get('origin')!).toBeLessThanOrEqual(8 * 1024);
  });

  it('a numeric column of 1e6 random doubles stays within 8 KB', () => {
    const rng = seededRng(3);
    const p = DatasetProfile.empty({ rng, settings: { sampleRows: 0 } }).addColumns({
      rows: 1_000_000,
      columns: { x: Float64Array.from({ length: 1_000_000 }, () => rng.next() * 1000 - 500) },
    });
    expect(encodedColumnSizes(p).get('x')!).toBeLessThanOrEqual(8 * 1024);
  });

  it('rejects foreign blobs, naming what they look like', () => {
    const te = new TextEncoder();
    expect(() => decodeProfile(new Uint8Array())).toThrow(
      /not a Faultline profile: .*found nothing \(it is empty\)/,
    );
    expect(() => decodeProfile(te.encode('{"rows": 3}'))).toThrow(
      /found 7b 22 72 6f \("\{"ro"\) \(it looks like JSON\)/,
    );
    expect(() => decodeProfile(Uint8Array.of(0x50, 0x4b, 0x03, 0x04, 0, 0, 0, 0))).toThrow(
      /expected the magic bytes "FLP", found 50 4b 03 04/,
    );
    expect(() => decodeProfile(te.encode('date,delay\n1,2\n'))).toThrow(/not a Faultline profile/);
  });

  it('rejects other format versions', () => {
    const newer = bytes.slice();
    newer[3] = 2;
    expect(() => decodeProfile(newer)).toThrow(
      /header\.version: format version 2 is newer than this build reads \(1\); upgrade faultline/,
    );
    newer[3] = 0;
    expect(() => decodeProfile(newer)).toThrow(/format version 0 is not supported/);
  });

  it('rejects truncated blobs at any length', () => {
    for (const len of [2, 5, 8, 9, 100, bytes.length >> 1, bytes.length - 1]) {
      expect(() => decodeProfile(bytes.subarray(0, len))).toThrow(/truncated|not a Faultline profile/);
    }
    expect(() => decodeProfile(bytes.subarray(0, bytes.length - 1))).toThrow(
      /header\.length: truncated: the header announces \d+ payload bytes \(\d+ in all\) but the blob has \d+/,
    );
    const longer = new Uint8Array(bytes.length + 3);
    longer.set(bytes);
    expect(() => decodeProfile(longer)).toThrow(/3 unexpected byte\(s\) after the checksum/);
  });

  it('detects a flipped bit anywhere in the payload or checksum', () => {
    const rng = seededRng(9);
    for (let t = 0; t < 200; t++) {
      const bad = bytes.slice();
      const at = 8 + rng.nextInt(bad.length - 8);
      bad[at]! ^= 1 << rng.nextInt(8);
      expect(() => decodeProfile(bad)).toThrow(
        /checksum mismatch \(stored 0x[0-9a-f]{8}, computed 0x[0-9a-f]{8}\): the profile is corrupt/,
      );
    }
  });

  it('names the field when a well-checksummed payload is inconsistent', () => {
    // Re-seal a payload whose first column claims one row more than the profile has.
    const p = DatasetProfile.empty({ rng: seededRng(1) }).addRows([{ a: 1 }, { a: 2 }]);
    const good = encodeProfile(p);
    const forged = good.slice();
    // Layout: header(8) | meta tag, len, 5 settings varuints (200 = 2 bytes), rows, columns, seen.
    const rowsAt = 8 + 2 + 2 + 1 + 2 + 1 + 2;
    expect(forged[rowsAt]).toBe(2);
    forged[rowsAt] = 3;
    forged[rowsAt + 2] = 3;
    const view = new DataView(forged.buffer);
    view.setUint32(forged.length - 4, crc32(forged, 0, forged.length - 4), true);
    expect(() => decodeProfile(forged)).toThrow(/column "a": counts 2 rows but the profile has 3/);
  });
});
