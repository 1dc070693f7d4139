import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command, CommanderError } from 'commander';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { decodeProfile } from '../../core/profile/profile-codec.js';
import type { ProfileSummary } from '../../core/profile/profile-summary.js';
import { UsageError } from '../usage-error.js';
import { parseColumnTypes, register } from './profile.js';

const dataDir = join(import.meta.dirname, '..', '..', '..', 'data', 'profiles');
const weather = join(dataDir, 'weather.csv');
let dir: string;

/** Runs `faultline profile …` through commander as main.ts does, capturing output and the exit code. */
async function run(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const o = vi.spyOn(process.stdout, 'write').mockImplementation((s) => {
    out += String(s);
    return true;
  });
  const e = vi.spyOn(process.stderr, 'write').mockImplementation((s) => {
    err += String(s);
    return true;
  });
  const program = new Command('faultline')
    .exitOverride()
    .configureOutput({ writeErr: (s) => process.stderr.write(s) });
  register(program);
  try {
    await program.parseAsync(['node', 'faultline', ...args]);
    return { code: 0, out, err };
  } catch (x) {
    if (x instanceof UsageError) return { code: x.exitCode, out, err: `${err}${x.message}\n${x.hint ?? ''}` };
    if (x instanceof CommanderError) return { code: 2, out, err };
    throw x;
  } finally {
    o.mockRestore();
    e.mockRestore();
  }
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'faultline-profile-'));
  // Two halves of the weather file, to profile separately and merge.
  const lines = (await readFile(weather, 'utf8')).trimEnd().split('\n');
  const half = Math.floor((lines.length - 1) / 2);
  await writeFile(join(dir, 'a.csv'), `${[lines[0], ...lines.slice(1, 1 + half)].join('\n')}\n`);
  await writeFile(join(dir, 'b.csv'), `${[lines[0], ...lines.slice(1 + half)].join('\n')}\n`);
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('faultline profile', () => {
  it('profiles a CSV into a .flp file that decodes, deterministically for a seed', async () => {
    const out = join(dir, 'w.flp');
    const r = await run('profile', weather, '-o', out);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/profiled .*weather\.csv: 2,922 rows, 7 columns → .*w\.flp \(\d+\.\d KB\)/);
    const bytes = await readFile(out);
    const p = decodeProfile(bytes);
    expect(p.rowCount).toBe(2922);
    expect(p.column('date')!.kind()).toBe('datetime');
    expect(p.column('temp_max')!.moments.count).toBe(2922);
    await run('profile', weather, '-o', join(dir, 'w2.flp'));
    expect(await readFile(join(dir, 'w2.flp'))).toEqual(bytes);
  });

  it('merges the profiles of two halves into the profile of the whole', async () => {
    expect((await run('profile', join(dir, 'a.csv'), '-o', join(dir, 'a.flp'))).code).toBe(0);
    expect((await run('profile', join(dir, 'b.csv'), '-o', join(dir, 'b.flp'), '--seed', '5')).code).toBe(0);
    const r = await run(
      'profile',
      'merge',
      join(dir, 'a.flp'),
      join(dir, 'b.flp'),
      '-o',
      join(dir, 'ab.flp'),
    );
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/merged 2 profiles: 2,922 rows, 7 columns/);
    const merged = decodeProfile(await readFile(join(dir, 'ab.flp')));
    const whole = decodeProfile(await readFile(join(dir, 'w.flp')));
    for (const name of whole.columnNames()) {
      expect(merged.column(name)!.typeCounts()).toEqual(whole.column(name)!.typeCounts());
      expect(merged.column(name)!.categoryCounts()).toEqual(whole.column(name)!.categoryCounts());
    }
    const m = merged.column('wind')!.moments;
    const w = whole.column('wind')!.moments;
    expect(Math.abs(m.mean! - w.mean!) / Math.abs(w.mean!)).toBeLessThan(1e-9);
  });

  it('shows a profile as a table and as JSON', async () => {
    const t = await run('profile', 'show', join(dir, 'w.flp'));
    expect(t.code).toBe(0);
    expect(t.out).toMatch(/2,922 rows, 7 columns, 1,024 sampled rows/);
    expect(t.out).toMatch(/weather\s+categorical\s+0\.0 %\s+5\s/);
    expect(t.out).toMatch(/temp_max\s+numerical/);
    const j = await run('profile', 'show', join(dir, 'w.flp'), '--json');
    const s = JSON.parse(j.out) as ProfileSummary;
    expect(s.rows).toBe(2922);
    expect(s.columns.find((c) => c.name === 'weather')!.distinct).toEqual({
      estimate: 5,
      lower: 5,
      upper: 5,
      exact: true,
    });
    const f = await run('profile', 'show', join(dir, 'w.flp'), '--json', join(dir, 'w.json'));
    expect(f.out).toMatch(/wrote the summary/);
    expect(JSON.parse(await readFile(join(dir, 'w.json'), 'utf8'))).toEqual(s);
  });

  it('applies --column-types (kinds and histogram edges)', async () => {
    const types = join(dir, 'types.yaml');
    await writeFile(
      types,
      'wind: categorical\ntemp_max:\n  kind: numerical\n  histogramEdges: [0, 10, 20, 30]\n',
    );
    expect((await run('profile', weather, '--column-types', types, '-o', join(dir, 't.flp'))).code).toBe(0);
    const p = decodeProfile(await readFile(join(dir, 't.flp')));
    expect(p.column('wind')!.kind()).toBe('categorical');
    expect(p.column('wind')!.frequentItems.n).toBe(2922);
    expect(p.column('temp_max')!.histogram!.total).toBe(2922);
  });

  it('fails with exit code 2 and a clear message on user mistakes', async () => {
    const junk = join(dir, 'junk.flp');
    await writeFile(junk, 'date,delay\n1,2\n');
    const bad = await run('profile', 'show', junk);
    expect(bad.code).toBe(2);
    expect(bad.err).toMatch(
      /junk\.flp: header: not a Faultline profile: expected the magic bytes "FLP", found 64 61 74 65/,
    );
    const corrupt = join(dir, 'corrupt.flp');
    const bytes = await readFile(join(dir, 'w.flp'));
    bytes[100]! ^= 0x10;
    await writeFile(corrupt, bytes);
    expect((await run('profile', 'show', corrupt)).err).toMatch(
      /checksum mismatch .* the profile is corrupt/,
    );
    expect((await run('profile', 'show', join(dir, 'missing.flp'))).err).toMatch(
      /missing\.flp: no such file/,
    );
    expect((await run('profile', weather)).err).toMatch(/missing the output file/);
    expect((await run('profile')).err).toMatch(/missing the data file to profile/);
    expect((await run('profile', join(dir, 'nope.csv'), '-o', join(dir, 'x.flp'))).err).toMatch(
      /nope\.csv: no such file/,
    );
    expect((await run('profile', weather, '-o', join(dir, 'x.flp'), '--sample-rows', '-3')).err).toMatch(
      /--sample-rows must be an integer from 0 to/,
    );
    const k = await run('profile', 'merge', join(dir, 'w.flp'), '-o', join(dir, 'x.flp'), junk);
    expect(k.code).toBe(2);
    expect((await run('profile', 'merge', join(dir, 'w.flp'))).err).toMatch(/missing the output file/);
  });

  it('rejects malformed --column-types with the column and reason', () => {
    expect(() => parseColumnTypes('zip: postal', 't.yaml')).toThrow(
      /t\.yaml: column "zip": kind "postal" is not one of numerical/,
    );
    expect(() => parseColumnTypes('- a\n- b', 't.yaml')).toThrow(/expected a map from column name to kind/);
    expect(() => parseColumnTypes('{"x": {"histogramEdges": [2, 1]}}', 't.json')).toThrow(
      /column "x": histogramEdges must be/,
    );
    expect(() => parseColumnTypes('{"x": {"bins": 3}}', 't.json')).toThrow(
      /column "x": unknown field "bins"/,
    );
    expect(() => parseColumnTypes('x: [1, 2', 't.yaml')).toThrow(/t\.yaml: not valid JSON or YAML/);
  });
});
