import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../testing.js';
import type { SkewOutput } from './skew.js';

const sample = join(import.meta.dirname, '../../../data/lending-club/lending-club-sample.csv');
let dir: string;
let training: string;
let serving: string;

/** Runs the CLI and captures what it printed. */
async function run(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  const r = await runCli(args);
  return { code: r.code, out: r.stdout, err: r.stderr };
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'faultline-skew-'));
  const lines = (await readFile(sample, 'utf8')).trimEnd().split('\n');
  const header = lines[0]!.split(',');
  const amount = header.indexOf('funded_amnt');
  training = join(dir, 'training.csv');
  serving = join(dir, 'serving.csv');
  await writeFile(training, `${lines.join('\n')}\n`);
  // the serving copy: funded_amnt sent in cents, rows in reverse order, the last 20 training rows never served
  const body = lines
    .slice(1, -20)
    .map((l) => {
      const f = l.split(',');
      f[amount] = String(Number(f[amount]) * 100);
      return f.join(',');
    })
    .reverse();
  await writeFile(serving, `${[lines[0], ...body].join('\n')}\n`);
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('faultline skew (end to end on Lending Club rows)', () => {
  it('finds funded_amnt sent in cents and nothing else', async () => {
    const json = join(dir, 'out.json');
    const { code, out } = await run(
      'skew',
      '--training',
      training,
      '--serving',
      serving,
      '--id',
      'loan_id',
      '--json',
      json,
    );
    expect(code).toBe(0);
    const result = JSON.parse(await readFile(json, 'utf8')) as SkewOutput;
    expect(result.featureSkew.join).toMatchObject({ joined: 380, trainingOnlyIds: 20, servingOnlyIds: 0 });
    const [first, ...rest] = result.featureSkew.features;
    expect(first!.feature).toBe('funded_amnt');
    expect(first!.mismatchCount).toBe(380);
    expect(first!.medianRatio).toBe(100);
    expect(first!.explanation).toBe(
      'serving sends cents, training had dollars (or percent vs fraction, cm vs m): serving = 100 × training for 100 % of joined rows of `funded_amnt`',
    );
    expect(rest.every((f) => f.diffCount === 0)).toBe(true);
    expect(result.unitChanges.filter((u) => u.detected).map((u) => u.feature)).toEqual(['funded_amnt']);
    // dropping the last 20 rows leaves the other features' distributions alone; ×100 moves funded_amnt away
    expect(result.distributionSkew.filter((d) => d.skewed).map((d) => d.feature)).toEqual(['funded_amnt']);
    expect(out).toMatch(/funded_amnt: JS divergence 0\.\d{3} > 0\.3/);
    expect(out).toContain('joined 380 ids · training only 20 · serving only 0');
    expect(out).toMatch(/funded_amnt\s+0\s+380\s+0\s+0\s+100\.0 %\s+100/);
    expect(out).toContain('serving = 100 × training for 100 % of joined rows of `funded_amnt`');
    expect(out).toContain('`funded_amnt` changed unit or scale: current sends cents');
  });

  it('reports no skew when serving equals training', async () => {
    const { code, out } = await run(
      'skew',
      '--training',
      training,
      '--serving',
      training,
      '--id',
      'loan_id',
      '--round',
      '2',
    );
    expect(code).toBe(0);
    expect(out).toContain('no feature skew: every joined row matches');
    expect(out).toContain('numbers rounded to 2 decimals');
    expect(out).toContain('distribution skew: none above the thresholds');
  });

  it('exits 2 with a message and hint on usage and input errors', async () => {
    const missing = await run(
      'skew',
      '--training',
      join(dir, 'nope.csv'),
      '--serving',
      serving,
      '--id',
      'loan_id',
    );
    expect(missing.code).toBe(2);
    expect(missing.err).toMatch(/--training: .*nope\.csv: no such file/);
    expect(missing.err).not.toMatch(/\n\s+at /);
    const badId = await run('skew', '--training', training, '--serving', serving, '--id', 'customer');
    expect(badId.code).toBe(2);
    expect(badId.err).toContain('--id: training file');
    expect(badId.err).toContain('hint: its columns are loan_id, funded_amnt');
    const badRound = await run(
      'skew',
      '--training',
      training,
      '--serving',
      serving,
      '--id',
      'loan_id',
      '--round',
      'x',
    );
    expect(badRound.code).toBe(2);
    expect(badRound.err).toContain('--round: expected a whole number');
    const noArgs = await run('skew', '--training', training);
    expect(noArgs.code).toBe(2);
  });
});
