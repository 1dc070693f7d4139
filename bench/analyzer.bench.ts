/**
 * The window analyser on real data (`data/flights/jan.csv`, January 2001 US flights; data/flights/README.md):
 *
 * 1. False alarms: the month's flights are shuffled (three seeds), 6 000 become the reference and the rest are
 *    served in hourly windows of 100, 300 and 1 000 predictions with their labels and heartbeats. Every window is a
 *    fair sample of the same month, so every finding is a false alarm. Printed per window size and per cause.
 * 2. Speed: one window of 1 000 predictions with 20 features (the 4 flight features and 16 derived from them) —
 *    the first analysis of a version (fits the isolation forest, PCA and CBPE) and the following ones.
 */
import { seededRng } from '../src/core/rng.js';
import { createWindowAnalyzer } from '../src/server/engine/analyzer.js';
import {
  type Flight,
  HOUR,
  loadFlights,
  sendWindow,
  setupModel,
  shuffle,
} from '../src/server/engine/analyzer-scenarios.js';
import { startTestCollector, TEST_T0 } from '../src/server/testing.js';
import { figure, timeAsync } from './util.js';

async function falseAlarms(): Promise<void> {
  const c = await startTestCollector({ maxReferenceBytes: 5_000_000 });
  const analyzer = createWindowAnalyzer({ store: c.store });
  const all = loadFlights();
  process.stdout.write('  false alarms on clean windows (every finding is one)\n');
  const byCause = new Map<string, number>();
  let totalWindows = 0;
  let totalAlarmed = 0;
  for (const size of [100, 300, 1000]) {
    let windows = 0;
    let alarmed = 0;
    let findings = 0;
    for (const seed of [1, 2, 3]) {
      const flights = shuffle(all, seededRng(seed));
      const reference = flights.slice(0, 6000);
      const pool = flights.slice(6000);
      const model = `clean-${size}-${seed}`;
      await setupModel(c, { model, reference });
      const count = Math.floor(pool.length / size);
      const t0 = Math.floor((TEST_T0 - (count + 2) * HOUR) / HOUR) * HOUR;
      for (let k = 0; k < count; k++)
        await sendWindow(c, {
          model,
          startMs: t0 + k * HOUR,
          rows: pool.slice(k * size, (k + 1) * size) as Flight[],
        });
      for (let k = 0; k < count; k++) {
        const a = await analyzer.analyze('acme', model, {
          startMs: t0 + k * HOUR,
          endMs: t0 + (k + 1) * HOUR,
        });
        const f = a.outcomes.flatMap((o) => (o.kind === 'finding' ? [o.finding] : []));
        windows++;
        findings += f.length;
        if (f.length > 0) alarmed++;
        for (const x of f)
          byCause.set(`${x.cause} (${x.detector})`, (byCause.get(`${x.cause} (${x.detector})`) ?? 0) + 1);
      }
    }
    totalWindows += windows;
    totalAlarmed += alarmed;
    figure(
      `windows of ${size} predictions: ${windows} windows, ${findings} findings`,
      (100 * alarmed) / windows,
      '% windows with a finding',
      2,
    );
  }
  figure(
    `all sizes (${totalWindows} windows)`,
    (100 * totalAlarmed) / totalWindows,
    '% windows with a finding',
    2,
  );
  for (const [cause, n] of [...byCause.entries()].sort((a, b) => b[1] - a[1]))
    figure(`  ${cause}`, (100 * n) / totalWindows, '% of windows', 2);
  await c.close();
}

/** 20 features: the 4 of a flight and 16 derived from them (with seeded noise), numbers and categories. */
function wide(f: Flight, i: number): Record<string, number | string> {
  const rng = seededRng(i);
  const out: Record<string, number | string> = {
    distance: f.distance,
    origin: f.origin,
    destination: f.destination,
    hour: f.hour,
  };
  for (let k = 0; k < 10; k++)
    out[`num${k}`] = Math.round((f.distance / (k + 1) + 50 * rng.next()) * 10) / 10;
  for (let k = 0; k < 6; k++) out[`cat${k}`] = `${f.origin.slice(0, 1 + (k % 3))}-${(f.hour + k) % 6}`;
  return out;
}

async function speed(): Promise<void> {
  const c = await startTestCollector({ maxReferenceBytes: 20_000_000 });
  const analyzer = createWindowAnalyzer({ store: c.store });
  const flights = shuffle(loadFlights(), seededRng(5));
  const reference = flights.slice(0, 6000);
  const features: Record<string, string> = {};
  for (const [k, v] of Object.entries(wide(reference[0]!, 0)))
    features[k] = typeof v === 'number' ? 'numerical' : 'categorical';
  const model = 'wide';
  await c.call({ method: 'POST', url: '/v1/models', payload: { name: model, task: 'classification' } });
  await c.call({
    method: 'POST',
    url: `/v1/models/${model}/versions`,
    payload: {
      version: 'v1',
      artifactHash: 'sha-v1',
      intended: true,
      schema: { features, target: 'delayed' },
    },
  });
  const names = Object.keys(features);
  const csv = [
    [...names, 'delayed', 'class', 'probability.1'].join(','),
    ...reference.map((f, i) => {
      const w = wide(f, i);
      return [...names.map((n) => w[n]), f.delayed, f.predicted, f.proba].join(',');
    }),
  ].join('\n');
  await c.call({
    method: 'PUT',
    url: `/v1/models/${model}/versions/v1/reference`,
    headers: { 'content-type': 'text/csv' },
    payload: csv,
  });
  const t0 = Math.floor((TEST_T0 - 6 * HOUR) / HOUR) * HOUR;
  for (let k = 0; k < 5; k++)
    await sendWindow(c, {
      model,
      startMs: t0 + k * HOUR,
      rows: flights.slice(6000 + k * 1000, 7000 + k * 1000),
      features: (f, i) => wide(f, 100_000 + k * 1000 + i),
    });
  const times: number[] = [];
  for (let k = 1; k < 5; k++) {
    const { ms } = await timeAsync(() =>
      analyzer.analyze('acme', model, { startMs: t0 + k * HOUR, endMs: t0 + (k + 1) * HOUR }),
    );
    times.push(ms);
  }
  process.stdout.write('  speed: 20 features, 1 000 predictions per window, 12 baseline windows\n');
  figure('first analysis of the version (fits isolation forest, PCA, CBPE)', times[0]!, 'ms', 0);
  figure('later windows (fits cached), mean of 3', (times[1]! + times[2]! + times[3]!) / 3, 'ms', 0);
  await c.close();
}

export async function run(): Promise<void> {
  await speed();
  await falseAlarms();
}
