/**
 * The built command line (`node bin/faultline.js`, running `dist/`): the only place where the worker
 * thread is used, so this file builds once and checks that two threads give the same report as one, and
 * that exit codes and messages hold for the real binary.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..', '..', '..');
const bin = join(root, 'bin', 'faultline.js');
const jan = join(root, 'data', 'flights', 'jan.csv');
const jun = join(root, 'data', 'flights', 'jun.csv');
const dir = mkdtempSync(join(tmpdir(), 'faultline-cli-'));

beforeAll(() => {
  // Type errors elsewhere in the tree must not stop the emit; the runs below tell whether the CLI works.
  spawnSync(
    process.execPath,
    [join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.build.json'],
    {
      cwd: root,
      stdio: 'ignore',
    },
  );
}, 300_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function cli(args: string[], env: Record<string, string> = {}) {
  const r = spawnSync(process.execPath, [bin, 'report', ...args], {
    cwd: root,
    encoding: 'utf8',
    env: { ...process.env, ...env, NO_COLOR: '1' },
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('node bin/faultline.js report', () => {
  it('gives the same report on two threads as on one', () => {
    const args = [
      '--reference',
      jan,
      '--current',
      jun,
      '--target',
      'delayed',
      '--prediction',
      'predicted',
      '--proba',
      'delay_proba',
    ];
    const two = cli([...args, '--json', join(dir, 'two.json')]);
    const one = cli([...args, '--json', join(dir, 'one.json')], { FAULTLINE_THREADS: '1' });
    expect(two.code).toBe(0);
    expect(one.code).toBe(0);
    // stderr is not a terminal here: no progress bar.
    expect(two.stderr).toBe('');
    expect(readFileSync(join(dir, 'two.json'), 'utf8')).toBe(readFileSync(join(dir, 'one.json'), 'utf8'));
    expect(two.stdout).toContain('Model performance');
  });

  it('uses a worker thread from dist/ to read and to run column jobs', async () => {
    const url = pathToFileURL(join(root, 'dist', 'cli', 'report', 'parallel.js')).href;
    const { ReportWorker, readBoth, runJobs, workersAvailable } = (await import(
      url
    )) as typeof import('./parallel.js');
    const { planReport } = (await import(
      pathToFileURL(join(root, 'dist', 'core', 'report', 'plan.js')).href
    )) as typeof import('../../core/report/plan.js');
    expect(workersAvailable()).toBe(true);
    const worker = new ReportWorker();
    try {
      const [ref, cur] = await readBoth(jan, jun, worker, () => {});
      expect(cur.columns[0]!.times!.buffer).toBeInstanceOf(SharedArrayBuffer);
      const plan = planReport(ref, cur, {});
      const results = await runJobs(plan.jobs, ref, cur, worker, () => {});
      expect(results.map((r) => r.name)).toEqual(plan.jobs.map((j) => j.name));
      await expect(worker.read(join(dir, 'absent.csv'), () => {})).rejects.toThrow(
        /absent\.csv: no such file/,
      );
    } finally {
      await worker.close();
    }
  });

  it('exits 1 with --fail-on-drift when the dataset drifted', () => {
    const a = join(dir, 'a.csv');
    const b = join(dir, 'b.csv');
    writeFileSync(a, `v\n${Array.from({ length: 100 }, (_, i) => i).join('\n')}\n`);
    writeFileSync(b, `v\n${Array.from({ length: 100 }, (_, i) => i + 500).join('\n')}\n`);
    expect(cli(['--reference', a, '--current', b, '--fail-on-drift']).code).toBe(1);
    expect(cli(['--reference', a, '--current', a, '--fail-on-drift']).code).toBe(0);
  });

  it('exits 2 with the message and no stack trace for an input error', () => {
    const bad = join(dir, 'bad.csv');
    writeFileSync(bad, 'a,b\n1,2\n"3,4\n');
    const r = cli(['--reference', jan, '--current', bad]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(
      /^faultline: .*bad\.csv: line 3: a quoted field opened here is never closed\nhint: /,
    );
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(execFileSync(process.execPath, [bin, 'report', '--help'], { encoding: 'utf8' })).toContain(
      '--fail-on-drift',
    );
  });
});
