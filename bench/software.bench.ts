/**
 * Software detector figures: µs to run every software detector and symptom measure on one window of three
 * instances (5-minute window, one hour of heartbeats, events and probe results as lookback, 12 previous windows),
 * on a clean window and on a window with faults in it, plus the cost of generating and assembling the stream and of
 * building one window's input from serving rows.
 */
import {
  runSoftwareDetectors,
  softwareDetectors,
  softwareInputFromRows,
} from '../src/core/detectors/index.js';
import type { SoftwareWindowInput } from '../src/core/detectors/software/inputs.js';
import { windowInputs } from '../src/core/detectors/software/testing/assemble.js';
import { generateScenario, ROGUE_HASH } from '../src/core/detectors/software/testing/scenario.js';
import { figure, time } from './util.js';

const H = 3_600_000;

function perCall(
  input: SoftwareWindowInput,
  fn: (i: SoftwareWindowInput) => unknown,
): { p50: number; mean: number } {
  for (let i = 0; i < 200; i++) fn(input);
  const samples: number[] = [];
  const rounds = 2000;
  for (let i = 0; i < rounds; i++) {
    const t0 = process.hrtime.bigint();
    fn(input);
    samples.push(Number(process.hrtime.bigint() - t0) / 1e3);
  }
  samples.sort((a, b) => a - b);
  return { p50: samples[rounds >> 1]!, mean: samples.reduce((a, b) => a + b, 0) / rounds };
}

export async function run(): Promise<void> {
  const { result: day, ms: genMs } = time(() => generateScenario({ seed: 1 }));
  figure('generate a day of 3 instances (predictions)', day.predictions.length, 'rows');
  figure('  generation time', genMs, 'ms');
  const { result: windows, ms: asmMs } = time(() => windowInputs(day));
  figure('assemble 288 window inputs (stats, quantiles, slices)', asmMs, 'ms');

  const clean = windows.input(windows.indexOf(day.startMs + 14 * H));
  figure('window: heartbeats in input', clean.heartbeats.length, 'records');
  figure('window: probe results in input', clean.probes.results.length, 'records');
  const all = perCall(clean, (i) => runSoftwareDetectors(i));
  figure('all software detectors + symptoms, clean window (p50)', all.p50, 'µs');
  figure('all software detectors + symptoms, clean window (mean)', all.mean, 'µs');

  // What the collector pays to assemble one window from its serving rows (13 windows of rows, ~5 400 rows).
  const from = clean.window.startMs - 12 * 300_000;
  const rows = day.predictions.filter((p) => p.timestampMs >= from && p.timestampMs < clean.window.endMs);
  figure('serving rows for one window + 12 previous', rows.length, 'rows');
  const build = perCall(clean, (i) => softwareInputFromRows({ model: i.model, window: i.window, rows }));
  figure('softwareInputFromRows (p50)', build.p50, 'µs');

  const faulty = generateScenario({
    seed: 2,
    startMs: day.startMs + 12 * H,
    durationMs: 3 * H,
    faults: [
      { kind: 'hardware', instance: 'web-2', from: 2 * H, resource: 'cpu' },
      { kind: 'wrong_artifact', instance: 'web-1', from: 2 * H, artifactHash: ROGUE_HASH },
      { kind: 'upstream_down', dependency: 'postgres', from: 2 * H },
    ],
  });
  const fw = windowInputs(faulty);
  const faultyInput = fw.input(fw.indexOf(faulty.startMs + 2 * H + 300_000));
  const f = perCall(faultyInput, (i) => runSoftwareDetectors(i));
  figure('all software detectors + symptoms, faulty window (p50)', f.p50, 'µs');
  for (const d of softwareDetectors) {
    const one = perCall(faultyInput, (i) =>
      (d.run as (x: SoftwareWindowInput, c: unknown) => unknown)(i, d.defaults),
    );
    figure(`  ${d.id} (p50)`, one.p50, 'µs');
  }
}
