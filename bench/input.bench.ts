/**
 * Input-side detectors: speed on synthetic data, then detection and false-alarm rates on real sensor data
 * (data/sensor-network, natural shifts between motes and over time, labelled anomalies). The figures are
 * written up in docs/input-detectors.md.
 */
import { join } from 'node:path';
import { mmdTest } from '../src/core/multivariate/mmd.js';
import { fitPcaReconstruction, rowsToColumns } from '../src/core/multivariate/pca-reconstruction.js';
import { columnsFromTable } from '../src/core/multivariate/table-columns.js';
import { fitIsolationForest } from '../src/core/outliers/isolation-forest.js';
import { fitMahalanobis } from '../src/core/outliers/mahalanobis.js';
import { evaluateRange, fitRange } from '../src/core/outliers/range.js';
import { type Rng, seededRng } from '../src/core/rng.js';
import { featureSkew } from '../src/core/skew/feature-skew.js';
import { fitTextDescriptors } from '../src/core/text/descriptors.js';
import { readTable } from '../src/io/read-table.js';
import { figure, time } from './util.js';

const dataDir = join(import.meta.dirname, '..', 'data');

function gaussian(rng: Rng): number {
  return Math.sqrt(-2 * Math.log(1 - rng.next())) * Math.cos(2 * Math.PI * rng.next());
}

function gaussianRows(rng: Rng, n: number, d: number): number[][] {
  return Array.from({ length: n }, () => {
    const shared = gaussian(rng);
    return Array.from({ length: d }, () => 0.6 * shared + 0.8 * gaussian(rng));
  });
}

async function speed(): Promise<void> {
  process.stdout.write('speed (synthetic Gaussian rows, 10 correlated features)\n');
  const rng = seededRng(1);
  const rows = gaussianRows(rng, 10_000, 10);
  const fit = time(() => fitIsolationForest(rows, { rng: seededRng(2) }));
  figure('isolation forest: fit 100 trees (ψ = 256) on 10 000 rows', fit.ms, 'ms');
  const score = time(() => fit.result.scores(rows));
  figure('isolation forest: score 10 000 rows', score.ms, 'ms');
  figure('isolation forest: scoring throughput', (10_000 / score.ms) * 1000, 'rows/s');

  const a = gaussianRows(rng, 500, 10);
  const b = gaussianRows(rng, 500, 10);
  const mmd = time(() => mmdTest(a, b, { rng: seededRng(3) }));
  figure('MMD: 500 × 500 rows, 10 features, 100 permutations', mmd.ms, 'ms');

  const pcaFit = time(() => fitPcaReconstruction(rowsToColumns(rows), { chunkSize: 1000 }));
  figure('PCA reconstruction: fit on 10 000 rows (10 chunks of 1 000)', pcaFit.ms, 'ms');
  const windows = Array.from({ length: 20 }, () => rowsToColumns(gaussianRows(rng, 1000, 10)));
  const pcaEval = time(() => windows.map((w) => pcaFit.result.evaluate(w)));
  figure('PCA reconstruction: evaluate one window of 1 000 rows', pcaEval.ms / windows.length, 'ms');

  const cols = rowsToColumns(rows);
  const rangeFit = time(() => fitRange(cols));
  figure('range: fit 10 features on 10 000 rows', rangeFit.ms, 'ms');
  const rangeEval = time(() => windows.map((w) => evaluateRange(rangeFit.result, w)));
  figure('range: evaluate one window of 1 000 rows × 10 features', rangeEval.ms / windows.length, 'ms');

  const ids = rows.map((_, i) => i);
  const served = rows.map((r) => r.map((x, j) => (j === 0 ? x * 100 : x)));
  const skew = time(() =>
    featureSkew({ id: ids, ...cols }, { id: ids, ...rowsToColumns(served) }, { id: 'id' }),
  );
  figure('feature skew: join and compare 10 000 rows × 10 features', skew.ms, 'ms');

  const mail = columnsFromTable(await readTable(join(dataDir, 'spamassassin', 'spamassassin-sample.csv')));
  const bodies = Array.from(mail.body!, (b) => (typeof b === 'string' ? b : null));
  const text = time(() => fitTextDescriptors(bodies).describe(bodies));
  figure(`text descriptors: fit and describe ${bodies.length} e-mails (~1 kB each)`, text.ms, 'ms');
}

/** Area under the ROC curve of `scores` for binary `labels` (Mann–Whitney U with mid-ranks for ties). */
function rocAuc(scores: number[], labels: boolean[]): number {
  const order = scores.map((s, i) => ({ s, y: labels[i]! })).sort((p, q) => p.s - q.s);
  let rankSumPos = 0;
  let pos = 0;
  for (let i = 0; i < order.length; ) {
    let j = i;
    while (j < order.length && order[j]!.s === order[i]!.s) j++;
    const mid = (i + j + 1) / 2;
    for (let k = i; k < j; k++)
      if (order[k]!.y) {
        rankSumPos += mid;
        pos++;
      }
    i = j;
  }
  const neg = order.length - pos;
  return (rankSumPos - (pos * (pos + 1)) / 2) / (pos * neg);
}

interface Reading {
  network: string;
  mote: number;
  humidity: number;
  temperature: number;
  anomaly: boolean;
}

function shuffle<T>(xs: T[], rng: Rng): T[] {
  const a = [...xs];
  for (let i = a.length - 1; i > 0; i--) {
    const j = rng.nextInt(i + 1);
    [a[i], a[j]] = [a[j]!, a[i]!];
  }
  return a;
}

function chunks<T>(xs: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i + size <= xs.length; i += size) out.push(xs.slice(i, i + size));
  return out;
}

const asRows = (rs: Reading[]) => rs.map((r) => [r.humidity, r.temperature]);

interface Rates {
  pca: number;
  mmd: number;
  range: number;
  windows: number;
}

/** Share of windows each detector flags against `reference`. */
function flagRates(reference: Reading[], windows: Reading[][], seed: number): Rates {
  const refRows = asRows(reference);
  const pca = fitPcaReconstruction(rowsToColumns(refRows, ['humidity', 'temperature']), {
    chunkSize: windows[0]!.length,
  });
  const range = fitRange(rowsToColumns(refRows, ['humidity', 'temperature']));
  const rng = seededRng(seed);
  // MMD holds a (n+m)² kernel matrix: a 400-row reference sample keeps it small
  const mmdRef = shuffle(refRows, rng).slice(0, 400);
  let p = 0;
  let m = 0;
  let r = 0;
  for (const w of windows) {
    const cols = rowsToColumns(asRows(w), ['humidity', 'temperature']);
    if (pca.evaluate(cols).alert) p++;
    if (mmdTest(mmdRef, asRows(w), { rng, standardize: 'reference' }).drift) m++;
    if (evaluateRange(range, cols).alerts.length > 0) r++;
  }
  const n = windows.length;
  return { pca: p / n, mmd: m / n, range: r / n, windows: n };
}

function printRates(label: string, rates: Rates): void {
  process.stdout.write(`${label}: share of ${rates.windows} windows flagged\n`);
  figure('  PCA reconstruction (mean ± 3 std of reference chunks)', rates.pca * 100, '%');
  figure('  MMD (100 permutations, p < 0.05)', rates.mmd * 100, '%');
  figure('  out-of-range (binomial, α = 0.01, Bonferroni)', rates.range * 100, '%');
}

function combine(parts: Rates[]): Rates {
  const windows = parts.reduce((s, p) => s + p.windows, 0);
  const avg = (k: 'pca' | 'mmd' | 'range') => parts.reduce((s, p) => s + p[k] * p.windows, 0) / windows;
  return { pca: avg('pca'), mmd: avg('mmd'), range: avg('range'), windows };
}

async function realData(): Promise<void> {
  const table = await readTable(join(dataDir, 'sensor-network', 'sensor-network-sample.csv'));
  const c = columnsFromTable(table);
  const readings: Reading[] = Array.from({ length: table.rows }, (_, i) => ({
    network: String(c.network![i]),
    mote: Number(c.mote_id![i]),
    humidity: Number(c.humidity![i]),
    temperature: Number(c.temperature![i]),
    anomaly: c.label![i] === 1,
  }));
  const motes = [...new Set(readings.map((r) => `${r.network}/${r.mote}`))].sort();
  const normal = (key: string) => readings.filter((r) => `${r.network}/${r.mote}` === key && !r.anomaly);
  const W = 50;
  process.stdout.write(
    `\nreal data: sensor network (${table.rows} readings, ${motes.length} motes), windows of ${W} readings\n`,
  );

  // 1. no change: one mote's normal readings split at random into reference and windows
  const nulls = motes.map((key, k) => {
    const rows = shuffle(normal(key), seededRng(10 + k));
    const half = Math.floor(rows.length / 2);
    return flagRates(rows.slice(0, half), chunks(rows.slice(half), W), 100 + k);
  });
  printRates('no change: one mote, random split', combine(nulls));

  // 2. natural shift: reference = one mote, windows = another mote of the same network, in time order
  const cross: Rates[] = [];
  motes.forEach((a, i) => {
    motes.forEach((b, j) => {
      if (a === b || a.split('/')[0] !== b.split('/')[0]) return;
      cross.push(flagRates(normal(a), chunks(normal(b), W), 1000 + i * 10 + j));
    });
  });
  printRates(`natural shift: another mote, same network, ${cross.length} pairs`, combine(cross));

  // 3. over time: reference = first half of a mote's run, windows = its second half in time order
  const later = motes.map((key, k) => {
    const rows = normal(key);
    const half = Math.floor(rows.length / 2);
    return flagRates(rows.slice(0, half), chunks(rows.slice(half), W), 2000 + k);
  });
  printRates('over time: same mote, second half of the run', combine(later));

  // 4. labelled anomalies: fit on a random half of each mote's normal readings, score the rest
  let ifAuc = 0;
  let mahAuc = 0;
  let rangeHits = 0;
  let rangeFalse = 0;
  let positives = 0;
  let negatives = 0;
  let used = 0;
  motes.forEach((key, k) => {
    const all = readings.filter((r) => `${r.network}/${r.mote}` === key);
    const anomalies = all.filter((r) => r.anomaly);
    if (anomalies.length < 5) return;
    const rows = shuffle(normal(key), seededRng(300 + k));
    const half = Math.floor(rows.length / 2);
    const reference = rows.slice(0, half);
    const test = [...rows.slice(half), ...anomalies];
    const labels = test.map((r) => r.anomaly);
    const forest = fitIsolationForest(asRows(reference), { rng: seededRng(400 + k) });
    ifAuc += rocAuc(forest.scores(asRows(test)), labels);
    mahAuc += rocAuc(
      fitMahalanobis(asRows(reference))
        .score(asRows(test))
        .map((s) => s.distance),
      labels,
    );
    const range = fitRange(rowsToColumns(asRows(reference), ['humidity', 'temperature']));
    const [h, t] = range.features;
    test.forEach((r) => {
      const out = r.humidity < h!.lo || r.humidity > h!.hi || r.temperature < t!.lo || r.temperature > t!.hi;
      if (r.anomaly) {
        positives++;
        if (out) rangeHits++;
      } else {
        negatives++;
        if (out) rangeFalse++;
      }
    });
    used++;
  });
  process.stdout.write(
    `labelled anomalies (${used} motes with ≥ 5 anomalies, ${positives} anomalous vs ${negatives} normal readings)\n`,
  );
  figure('isolation forest: ROC AUC (mean over motes)', ifAuc / used, '', 3);
  figure('Mahalanobis distance: ROC AUC (mean over motes)', mahAuc / used, '', 3);
  figure('range [Q(0.005), Q(0.995)]: anomalous readings flagged', (rangeHits / positives) * 100, '%');
  figure('range [Q(0.005), Q(0.995)]: normal readings flagged', (rangeFalse / negatives) * 100, '%');
}

export async function run(): Promise<void> {
  await speed();
  await realData();
}
