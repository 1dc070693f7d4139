/**
 * `faultline report` figures (generated files in os.tmpdir(), removed afterwards):
 * 1. 1 000 000 rows × 25 columns (20 numerical, 5 categorical), reference and current (~180 MB each):
 *    parse throughput of one file on one thread; time of the statistics alone (the 25 column jobs: drift
 *    tests, summaries, charts) on one thread and split over two; quality and performance sections; end to
 *    end with the built CLI (`node bin/faultline.js report`, two threads) and its peak resident memory.
 * 2. The wide case: 300 000 rows × 800 numerical columns, end to end with the built CLI.
 * Aims (issue): statistics < 1 s on one core, end to end < 5 s and < 1.5 GB for case 1; < 60 s for case 2.
 * Wall-clock figures depend on what else the machine runs; CPU seconds and the load average are printed
 * beside them.
 */
import { spawnSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, rmSync, statSync, writeFileSync, writeSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { planReport, reportSections, runColumnJob } from '../src/core/report/index.js';
import { columnByName, type Table } from '../src/core/schema/table.js';
import { readTable } from '../src/io/read-table.js';
import { figure, mb, time, timeAsync } from './util.js';

const repo = join(import.meta.dirname, '..');

/** xorshift32: the generated files are the same on every run. */
function rng(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return (s >>> 0) / 4294967296;
  };
}

/**
 * Writes a CSV quickly: numerical cells come from a table of pre-formatted values (`steps` distinct
 * values with three decimals), so generation costs little next to what is measured.
 */
function writeCsv(
  path: string,
  rows: number,
  numerical: number,
  categorical: number,
  shift: number,
  seed: number,
): void {
  const enc = new TextEncoder();
  const steps = 20_000;
  const values = Array.from({ length: steps }, (_, i) => enc.encode((i / 100 + 0.001 * (i % 7)).toFixed(3)));
  const cats = ['alpha', 'beta', 'gamma', 'delta', 'epsilon', 'zeta', 'eta', 'theta'].map((c) =>
    enc.encode(c),
  );
  const header = [
    ...Array.from({ length: numerical }, (_, i) => `num_${i}`),
    ...Array.from({ length: categorical }, (_, i) => `cat_${i}`),
  ].join(',');
  const fd = openSync(path, 'w');
  const buf = new Uint8Array(8 << 20);
  let at = 0;
  const flush = () => {
    writeSync(fd, buf, 0, at);
    at = 0;
  };
  writeSync(fd, enc.encode(`${header}\n`));
  const next = rng(seed);
  for (let r = 0; r < rows; r++) {
    if (at > buf.length - (numerical + categorical) * 12) flush();
    for (let c = 0; c < numerical; c++) {
      // A bell-shaped index (sum of three uniforms), shifted by `shift` steps per column for the current file.
      const u = (next() + next() + next()) / 3;
      let k = Math.floor(u * (steps - 2000)) + Math.floor(shift * (c % 10) * 40);
      if (k >= steps) k = steps - 1;
      const v = values[k]!;
      buf.set(v, at);
      at += v.length;
      buf[at++] = c === numerical + categorical - 1 ? 0x0a : 0x2c;
    }
    for (let c = 0; c < categorical; c++) {
      const n = 4 + c + (shift > 0 && c === 0 ? 2 : 0);
      const v = cats[Math.floor(next() * Math.min(n, cats.length))]!;
      buf.set(v, at);
      at += v.length;
      buf[at++] = c === categorical - 1 ? 0x0a : 0x2c;
    }
  }
  flush();
  closeSync(fd);
}

/** Runs the built CLI; returns wall time, CPU time and peak resident memory of the whole process. */
function cli(
  dir: string,
  args: string[],
): { ms: number; cpuMs: number; maxRssMb: number; code: number | null } {
  const main = pathToFileURL(join(repo, 'dist', 'cli', 'main.js')).href;
  const wrapper = join(dir, 'run-cli.mjs');
  writeFileSync(
    wrapper,
    `import { main } from ${JSON.stringify(main)};
const code = await main(['node', 'faultline', ...process.argv.slice(2)]);
const u = process.resourceUsage();
process.stderr.write('USAGE ' + JSON.stringify({ cpu: (u.userCPUTime + u.systemCPUTime) / 1000, rss: u.maxRSS / 1024 }) + '\\n');
process.exitCode = code;
`,
  );
  const t0 = process.hrtime.bigint();
  const r = spawnSync(process.execPath, [wrapper, ...args], { encoding: 'utf8', maxBuffer: 64 << 20 });
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  const line = r.stderr.split('\n').find((l) => l.startsWith('USAGE '));
  if (!line) throw new Error(`faultline report failed: ${r.stderr}`);
  const u = JSON.parse(line.slice(6)) as { cpu: number; rss: number };
  return { ms, cpuMs: u.cpu, maxRssMb: u.rss, code: r.status };
}

/** The machine's 1-minute load average: wall-clock figures mean little without it on a shared machine. */
function load(when: string): void {
  figure(`load average (1 min) ${when}`, loadavg()[0]!, '', 2);
}

function statistics(reference: Table, current: Table): void {
  const plan = planReport(reference, current, {});
  load('before the statistics');
  const cpu0 = process.cpuUsage();
  const jobs = time(() =>
    plan.jobs.map((j) => runColumnJob(j, columnByName(reference, j.name), columnByName(current, j.name))),
  );
  const cpu = process.cpuUsage(cpu0);
  figure('statistics alone, 25 columns, one thread (wall)', jobs.ms, 'ms');
  figure('statistics alone, 25 columns, one thread (CPU)', (cpu.user + cpu.system) / 1000, 'ms');
  const numerical = jobs.result.filter((c) => c.kind === 'numerical').length;
  figure(
    `  of which ${numerical} numerical columns (sort + drift + summary + chart)`,
    numerical,
    'columns',
    0,
  );
  const cpu1 = process.cpuUsage();
  const sections = time(() => reportSections(reference, current, plan));
  const cpuS = process.cpuUsage(cpu1);
  figure('quality + performance sections, one thread (wall)', sections.ms, 'ms');
  figure('quality + performance sections, one thread (CPU)', (cpuS.user + cpuS.system) / 1000, 'ms');
}

export async function run(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'faultline-report-bench-'));
  try {
    const ref = join(dir, 'ref.csv');
    const cur = join(dir, 'cur.csv');
    writeCsv(ref, 1_000_000, 20, 5, 0, 1);
    writeCsv(cur, 1_000_000, 20, 5, 0.5, 2);
    const bytes = statSync(ref).size;
    process.stdout.write(`  1 000 000 rows × 25 columns: ${mb(bytes).toFixed(0)} MB per file\n`);

    const cpu0 = process.cpuUsage();
    const parsed = await timeAsync(() => readTable(ref));
    const cpu = process.cpuUsage(cpu0);
    figure('parse throughput, one file, one thread (wall)', mb(bytes) / (parsed.ms / 1000), 'MB/s');
    figure(
      'parse throughput, one file, one thread (per CPU second)',
      mb(bytes) / ((cpu.user + cpu.system) / 1e6),
      'MB/s',
    );
    const current = await readTable(cur);
    statistics(parsed.result, current);

    load('before the built CLI');
    const e2e = cli(dir, [
      'report',
      '--reference',
      ref,
      '--current',
      cur,
      '--json',
      join(dir, 'report.json'),
    ]);
    figure('end to end, built CLI, two threads (wall)', e2e.ms, 'ms');
    figure('end to end, built CLI (CPU, both threads)', e2e.cpuMs, 'ms');
    figure('end to end, peak resident memory', e2e.maxRssMb, 'MB');
    rmSync(ref);
    rmSync(cur);

    const wref = join(dir, 'wide-ref.csv');
    const wcur = join(dir, 'wide-cur.csv');
    writeCsv(wref, 300_000, 800, 0, 0, 3);
    writeCsv(wcur, 300_000, 800, 0, 0.25, 4);
    process.stdout.write(
      `  300 000 rows × 800 numerical columns: ${mb(statSync(wref).size).toFixed(0)} MB per file\n`,
    );
    load('before the wide case');
    const wide = cli(dir, [
      'report',
      '--reference',
      wref,
      '--current',
      wcur,
      '--json',
      join(dir, 'wide.json'),
    ]);
    figure('wide case end to end, built CLI, two threads (wall)', wide.ms, 'ms');
    figure('wide case end to end (CPU, both threads)', wide.cpuMs, 'ms');
    figure('wide case peak resident memory', wide.maxRssMb, 'MB');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
