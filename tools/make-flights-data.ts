/**
 * Makes data/flights/{jan,jun}.csv from the BTS flight sample (vega-datasets flights-3m, every 10th row;
 * see data/flights/README.md) and adds the outputs of a small model, so the report has a target and
 * predictions to compare.
 *
 * Run: npx tsx tools/make-flights-data.ts <path to flights_2001h1_sample10.csv>
 *
 * 1. Read the sample; label `delayed` = arrival delay > 15 minutes.
 * 2. Fit on January–February: a logistic regression for `delay_proba` and a least-squares line for
 *    `predicted_delay`, on four inputs: the origin's smoothed delay rate (target encoding, prior weight 50),
 *    log distance, and departure hour as sine/cosine. `predicted` = delay_proba ≥ the F1-best cut-off on
 *    the training months.
 * 3. Write every 4th January and June row with the original columns and the model outputs.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { columnByName } from '../src/core/schema/table.js';
import { readTable } from '../src/io/read-table.js';

const source = process.argv[2];
if (!source) throw new Error('usage: tsx tools/make-flights-data.ts <flights_2001h1_sample10.csv>');
const t = await readTable(source);
const col = (n: string) => columnByName(t, n)!;
const times = col('date').times!;
const delay = col('delay').numbers!;
const distance = col('distance').numbers!;
const origin = col('origin');
const dest = col('destination');
const n = t.rows;
const month = (i: number) => new Date(times[i]!).getUTCMonth() + 1;
const hour = (i: number) => new Date(times[i]!).getUTCHours() + new Date(times[i]!).getUTCMinutes() / 60;
const label = (i: number) => (delay[i]! > 15 ? 1 : 0);
const originOf = (i: number) => origin.dictionary[origin.codes![i]!]!;

const train = [...Array(n).keys()].filter((i) => month(i) <= 2);
const base = train.reduce((s, i) => s + label(i), 0) / train.length;
const byOrigin = new Map<string, [number, number]>();
for (const i of train) {
  const o = byOrigin.get(originOf(i)) ?? [0, 0];
  o[0] += label(i);
  o[1] += 1;
  byOrigin.set(originOf(i), o);
}
const originRate = (o: string) => {
  const [pos, cnt] = byOrigin.get(o) ?? [0, 0];
  return (pos + 50 * base) / (cnt + 50);
};
const features = (i: number) => [
  1,
  (originRate(originOf(i)) - base) * 10,
  Math.log(distance[i]!) - 6.5,
  Math.sin((2 * Math.PI * hour(i)) / 24),
  Math.cos((2 * Math.PI * hour(i)) / 24),
];
const k = 5;

function solve(a: number[][], b: number[]): number[] {
  const m = a.map((row, i) => [...row, b[i]!]);
  for (let c = 0; c < k; c++) {
    let p = c;
    for (let r = c + 1; r < k; r++) if (Math.abs(m[r]![c]!) > Math.abs(m[p]![c]!)) p = r;
    [m[c], m[p]] = [m[p]!, m[c]!];
    for (let r = 0; r < k; r++) {
      if (r === c) continue;
      const f = m[r]![c]! / m[c]![c]!;
      for (let j = c; j <= k; j++) m[r]![j]! -= f * m[c]![j]!;
    }
  }
  return m.map((row, i) => row[k]! / row[i]!);
}

// Logistic regression by Newton's method.
let w = new Array<number>(k).fill(0);
for (let iter = 0; iter < 12; iter++) {
  const g = new Array<number>(k).fill(0);
  const h = Array.from({ length: k }, () => new Array<number>(k).fill(0));
  for (const i of train) {
    const x = features(i);
    const p = 1 / (1 + Math.exp(-x.reduce((s, v, j) => s + v * w[j]!, 0)));
    for (let a = 0; a < k; a++) {
      g[a]! += (label(i) - p) * x[a]!;
      for (let b = 0; b < k; b++) h[a]![b]! += p * (1 - p) * x[a]! * x[b]!;
    }
  }
  const step = solve(h, g);
  w = w.map((v, j) => v + step[j]!);
}
const proba = (i: number) => 1 / (1 + Math.exp(-features(i).reduce((s, v, j) => s + v * w[j]!, 0)));

// Least squares for the delay in minutes.
const xtx = Array.from({ length: k }, () => new Array<number>(k).fill(0));
const xty = new Array<number>(k).fill(0);
for (const i of train) {
  const x = features(i);
  for (let a = 0; a < k; a++) {
    xty[a]! += x[a]! * delay[i]!;
    for (let b = 0; b < k; b++) xtx[a]![b]! += x[a]! * x[b]!;
  }
}
const beta = solve(xtx, xty);
const expectedDelay = (i: number) => features(i).reduce((s, v, j) => s + v * beta[j]!, 0);

// Cut-off with the best F1 on the training months.
let best = { cut: 0.5, f1: -1 };
for (let cut = 0.1; cut <= 0.6; cut += 0.01) {
  let tp = 0;
  let fp = 0;
  let fn = 0;
  for (const i of train) {
    const yhat = proba(i) >= cut ? 1 : 0;
    if (yhat && label(i)) tp++;
    else if (yhat) fp++;
    else if (label(i)) fn++;
  }
  const f1 = (2 * tp) / (2 * tp + fp + fn);
  if (f1 > best.f1) best = { cut, f1 };
}

const pad = (v: number) => String(v).padStart(2, '0');
const fmtDate = (ms: number) => {
  const d = new Date(ms);
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}`;
};
const header = 'date,distance,origin,destination,delay,delayed,predicted,delay_proba,predicted_delay';
for (const [name, m] of [
  ['jan.csv', 1],
  ['jun.csv', 6],
] as const) {
  const rows = [header];
  let seen = 0;
  for (let i = 0; i < n; i++) {
    if (month(i) !== m || seen++ % 4 !== 0) continue;
    const p = proba(i);
    rows.push(
      [
        fmtDate(times[i]!),
        distance[i],
        originOf(i),
        dest.dictionary[dest.codes![i]!],
        delay[i],
        label(i),
        p >= best.cut ? 1 : 0,
        p.toFixed(4),
        expectedDelay(i).toFixed(1),
      ].join(','),
    );
  }
  writeFileSync(join(import.meta.dirname, '..', 'data', 'flights', name), `${rows.join('\n')}\n`);
  process.stdout.write(`${name}: ${rows.length - 1} rows\n`);
}
process.stdout.write(
  `weights ${w.map((v) => v.toFixed(3)).join(' ')}; cut-off ${best.cut.toFixed(2)} (training F1 ${best.f1.toFixed(3)}); delay line ${beta.map((v) => v.toFixed(2)).join(' ')}\n`,
);
