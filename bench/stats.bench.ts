/**
 * Statistics core speed: sorting and every drift test on 10^6 vs 10^6 rows, and the report's budget
 * (all columns of a 25-column table with 10^6 rows per side).
 */
import {
  categoricalDrift,
  chooseMethod,
  type DriftMethod,
  numericalDrift,
  sortFloat64,
} from '../src/core/stats/index.js';
import { figure, time } from './util.js';

const N = 1_000_000;

/** mulberry32, so every run measures the same data. */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function normal(n: number, mean: number, sd: number, seed: number): Float64Array {
  const rand = rng(seed);
  const out = new Float64Array(n);
  for (let i = 0; i < n; i += 2) {
    const u = 1 - rand();
    const v = rand();
    const r = Math.sqrt(-2 * Math.log(u));
    out[i] = mean + sd * r * Math.cos(2 * Math.PI * v);
    if (i + 1 < n) out[i + 1] = mean + sd * r * Math.sin(2 * Math.PI * v);
  }
  return out;
}

/**
 * CPU milliseconds of `fn` (user + system of this process). On a shared machine wall-clock time is
 * inflated by other processes; CPU time is what one core spends on the work.
 */
function cpuMs(fn: () => unknown): number {
  const start = process.cpuUsage();
  fn();
  const used = process.cpuUsage(start);
  return (used.user + used.system) / 1000;
}

/** Best of `runs` CPU timings (ms). */
function best(runs: number, fn: () => unknown): number {
  let ms = Number.POSITIVE_INFINITY;
  for (let i = 0; i < runs; i++) ms = Math.min(ms, cpuMs(fn));
  return ms;
}

export async function run(): Promise<void> {
  const ref = normal(N, 0, 1, 1);
  const cur = normal(N, 0.02, 1.01, 2);

  process.stdout.write(
    '  all figures are CPU time of this process (wall time is also shown for the report budget)\n',
  );
  process.stdout.write('  sort (10^6 doubles, normal data)\n');
  figure(
    'sortFloat64 (copy + sort)',
    best(5, () => sortFloat64(Float64Array.from(ref))),
    'ms',
  );
  figure(
    'Float64Array.prototype.sort (copy + native sort, for comparison)',
    best(2, () => Float64Array.from(ref).sort()),
    'ms',
  );
  const prices = Float64Array.from(ref, (x) => Math.round(Math.exp(x + 3) * 100) / 100);
  figure(
    'sortFloat64 on 2-decimal prices (many duplicates, copy + sort)',
    best(5, () => sortFloat64(Float64Array.from(prices))),
    'ms',
  );

  const r = sortFloat64(Float64Array.from(ref));
  const c = sortFloat64(Float64Array.from(cur));
  process.stdout.write('  one test, 10^6 vs 10^6 rows, samples already sorted\n');
  const methods: DriftMethod[] = [
    'ks',
    'wasserstein',
    'psi',
    'kl',
    'jensenshannon',
    'hellinger',
    'anderson',
    'cvm',
  ];
  let total = 0;
  for (const method of methods) {
    let drift = numericalDrift(r, c, method);
    const ms = best(3, () => {
      drift = numericalDrift(r, c, method);
    });
    total += ms;
    figure(`${method} (score ${drift.score.toPrecision(4)}${drift.drifted ? ', drift' : ''})`, ms, 'ms');
  }
  figure('all 8 numerical tests on one column', total, 'ms');
  const noDrift = sortFloat64(normal(N, 0, 1, 3));
  figure(
    'ks, no drift (asymptotic p near 1)',
    best(3, () => numericalDrift(r, noDrift, 'ks')),
    'ms',
  );

  process.stdout.write('  categorical column, 1 000 categories, counts given\n');
  const refCounts = new Map<string, number>();
  const curCounts = new Map<string, number>();
  const rand = rng(4);
  for (let k = 0; k < 1000; k++) {
    refCounts.set(`c${k}`, 1 + Math.floor(rand() * 5000));
    curCounts.set(`c${k}`, 1 + Math.floor(rand() * 5000));
  }
  for (const method of ['jensenshannon', 'chisquare', 'psi'] as const)
    figure(
      `categorical ${method}`,
      best(5, () => categoricalDrift(refCounts, curCounts, method)) * 1000,
      'µs',
    );

  process.stdout.write(
    '  report budget: 25 numerical columns × 10^6 rows per side (sort both + automatic test)\n',
  );
  const columns = Array.from({ length: 25 }, (_, k) => ({
    ref: normal(N, k, 1 + k / 10, 100 + k),
    cur: normal(N, k + (k % 3 === 0 ? 0.05 : 0), 1 + k / 10, 200 + k),
  }));
  const method = chooseMethod('numerical', N, N);
  const runAll = (m: DriftMethod) => () => {
    for (const col of columns) numericalDrift(Float64Array.from(col.ref), Float64Array.from(col.cur), m);
  };
  let wall = time(runAll(method)).ms;
  figure(`25 columns, automatic choice (${method}), copies + sorts + test: CPU`, cpuMs(runAll(method)), 'ms');
  figure(`25 columns, automatic choice (${method}): wall`, wall, 'ms');
  wall = time(runAll('ks')).ms;
  figure('25 columns, ks instead: CPU', cpuMs(runAll('ks')), 'ms');
  figure('25 columns, ks instead: wall', wall, 'ms');
}

if (import.meta.url === `file://${process.argv[1]}`) await run();
