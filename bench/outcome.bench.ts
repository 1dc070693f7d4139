/**
 * Outcome statistics: speed of the streaming concept-drift detectors, CBPE and DLE; false alarms and detection
 * delays of the detectors on the conformance streams; and the accuracy of CBPE and DLE against realised
 * metrics on real data (data/weather-seattle-nyc, data/txhousing).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { measureDetector } from '../src/core/concept/measure.js';
import { createDetector } from '../src/core/concept/registry.js';
import { DETECTOR_KINDS } from '../src/core/concept/types.js';
import { confusionMetrics, estimateCbpe, expectedConfusion, fitCbpe } from '../src/core/estimation/cbpe.js';
import { estimateDle, fitDle } from '../src/core/estimation/dle.js';
import {
  type CsvRecord,
  txhousingExperiment,
  weatherExperiment,
} from '../src/core/estimation/experiments.js';
import { splitHeadTail } from '../src/core/feedback/long-tail.js';
import { detectFeedbackLoop } from '../src/core/feedback/loop-detector.js';
import { simulateRecommender } from '../src/core/feedback/simulate.js';
import { feedbackWindowMetrics } from '../src/core/feedback/window-metrics.js';
import { seededRng } from '../src/core/rng.js';
import { figure, time } from './util.js';

const dataDir = join(import.meta.dirname, '..', 'data');
const csv = (file: string): CsvRecord[] => parse(readFileSync(join(dataDir, file)), { columns: true });
const mean = (v: number[]) => v.reduce((a, b) => a + b, 0) / v.length;

function detectorSpeed(): void {
  process.stdout.write('streaming detectors: µs per update (Bernoulli(0.1) error stream)\n');
  const rng = seededRng(1);
  const xs = Array.from({ length: 200_000 }, () => (rng.next() < 0.1 ? 1 : 0));
  for (const kind of DETECTOR_KINDS) {
    const n = kind === 'kswin' ? 20_000 : xs.length;
    const d = createDetector(kind, {}, seededRng(2));
    const t = time(() => {
      for (let i = 0; i < n; i++) d.update(xs[i]!);
    });
    figure(`${kind}: update`, (t.ms * 1000) / n, 'µs', 3);
  }
}

function detectorQuality(): void {
  process.stdout.write('streaming detectors: 10 seeds, 10 000 draws each\n');
  for (const kind of DETECTOR_KINDS) {
    const m = measureDetector((seed) => createDetector(kind, {}, seededRng(1000 + seed)));
    figure(`${kind}: false alarms, stationary p = 0.1 (mean per 10 000)`, mean(m.falseAlarms), 'drifts', 1);
    figure(`${kind}: step 0.1 → 0.4 detected`, m.detectionRate * 100, '%', 0);
    figure(`${kind}: median detection delay`, m.medianDelay ?? Number.NaN, 'items', 0);
  }
}

function cbpeSpeed(): void {
  process.stdout.write('CBPE speed\n');
  const rng = seededRng(3);
  const make = (n: number) => {
    const scores = Array.from({ length: n }, () => rng.next());
    return {
      scores,
      labels: scores.map((s) => (rng.next() < s ? 1 : 0)),
      predictions: scores.map((s) => (s >= 0.5 ? 1 : 0)),
    };
  };
  const ref = make(10_000);
  const fit = time(() => fitCbpe(ref, seededRng(4), { chunkSize: 1000, calibration: 'auto' }));
  figure('fit on 10 000 reference rows (calibration check, 10 chunks)', fit.ms, 'ms');
  const chunk = make(10_000);
  const est = time(() => estimateCbpe(fit.result, chunk));
  figure('estimate 6 metrics on 10 000 rows', est.ms, 'ms');
}

function cbpeWeather(): void {
  process.stdout.write('CBPE on weather (logistic regression trained on Seattle 2012, chunks of 61 days)\n');
  const { reference, chunks } = weatherExperiment(csv('weather-seattle-nyc/weather.csv'), 61);
  const model = fitCbpe(reference, seededRng(1), { chunkSize: 61 });
  for (const place of ['Seattle', 'New York']) {
    const rows = chunks
      .filter((c) => c.name.startsWith(place))
      .map((c) => {
        const e = estimateCbpe(model, c).metrics;
        const r = confusionMetrics(expectedConfusion(c.labels, c.predictions));
        return {
          acc: Math.abs(e.accuracy.value! - r.accuracy!),
          f1: Math.abs(e.f1.value! - r.f1!),
          bias: e.accuracy.value! - r.accuracy!,
        };
      });
    figure(`${place}: chunks`, rows.length, '', 0);
    figure(`${place}: MAE estimated vs realised accuracy`, mean(rows.map((r) => r.acc)), '', 3);
    figure(`${place}: MAE estimated vs realised F1`, mean(rows.map((r) => r.f1)), '', 3);
    figure(`${place}: mean (estimated − realised) accuracy`, mean(rows.map((r) => r.bias)), '', 3);
  }
}

function dleTxhousing(): void {
  process.stdout.write('DLE on Texas housing (ridge trained on 2000–2003, GBRT nanny on 2004–2006)\n');
  const { reference, byCity, byYear } = txhousingExperiment(csv('txhousing/txhousing-half.csv'));
  const fit = time(() => fitDle(reference, { chunkSize: 100 }));
  figure(`fit 3 nannies (150 trees) on ${reference.targets.length} rows`, fit.ms, 'ms');
  const realMae = (c: (typeof byCity)[number]) =>
    mean(c.targets.map((y, i) => Math.abs(y - c.predictions[i]!)));
  const refMae = mean(reference.targets.map((y, i) => Math.abs(y - reference.predictions[i]!)));
  const rel = byCity.map((c) => Math.abs(estimateDle(fit.result, c).metrics.mae.value! / realMae(c) - 1));
  figure('held-out city blocks: mean |estimated/realised MAE − 1|', mean(rel) * 100, '%', 1);
  figure(
    'same, constant estimate = reference MAE',
    mean(byCity.map((c) => Math.abs(refMae / realMae(c) - 1))) * 100,
    '%',
    1,
  );
  for (const c of byYear.filter((y) => ['2007', '2011', '2015'].includes(y.name)))
    figure(
      `${c.name}: estimated / realised MAE (concept drift)`,
      estimateDle(fit.result, c).metrics.mae.value! / realMae(c),
      '',
      2,
    );
  const big = {
    features: Array.from({ length: 10_000 }, (_, i) => byYear[0]!.features[i % byYear[0]!.features.length]!),
    predictions: Array.from(
      { length: 10_000 },
      (_, i) => byYear[0]!.predictions[i % byYear[0]!.predictions.length]!,
    ),
  };
  figure('estimate MAE/MSE/RMSE/MAPE on 10 000 rows', time(() => estimateDle(fit.result, big)).ms, 'ms');
}

function feedbackLoops(): void {
  process.stdout.write('feedback-loop detector on the simulated recommender (8 windows, 10 seeds)\n');
  for (const policy of ['greedy', 'epsilon_greedy'] as const) {
    let flagged = 0;
    const t = time(() => {
      for (let seed = 1; seed <= 10; seed++) {
        const sim = simulateRecommender(seededRng(seed), { policy });
        const split = splitHeadTail(sim.trainingPopularity);
        const m = sim.windows.map((w) =>
          feedbackWindowMetrics(w, { popularity: sim.trainingPopularity, split, k: sim.options.k }),
        );
        const a = detectFeedbackLoop(
          {
            topShare: m.map((x) => x.topShare),
            gini: m.map((x) => x.gini),
            tailHitRate: m.map((x) => x.tailHitRate),
            aplt: m.map((x) => x.aplt),
          },
          { subject: { model: 'sim' }, window: { startMs: 0, endMs: 1 } },
        );
        if (a.outcome.kind === 'finding') flagged++;
      }
    });
    figure(`${policy}: runs flagged as a loop`, flagged, 'of 10', 0);
    figure(`${policy}: simulate + detect, per run`, t.ms / 10, 'ms');
  }
}

export async function run(): Promise<void> {
  detectorSpeed();
  detectorQuality();
  cbpeSpeed();
  cbpeWeather();
  dleTxhousing();
  feedbackLoops();
}
