/**
 * `faultline check`: evaluates expectations once, for CI pipelines that gate a model release.
 * - Against a collector (`--url`, `--token`, `--model`): evaluates what is due (`POST /v1/evaluate`) and reads each expectation's current state (`GET /v1/expectations`).
 * - Against two files (`--reference REF --current CUR [--expectations FILE] [--model NAME]`): builds the drift
 *   report (src/core/report) and evaluates the expectations that files can answer — realised performance when
 *   the current file has target and prediction columns, the share of drifted features — over the whole file.
 *   Expectations that need live traffic (latency, heartbeats…) are `unknown` and do not fail the check.
 * Exit 0 when nothing is violated, 1 when an expectation is violated, 2 on a usage error.
 */
import type { Command } from 'commander';
import { expectationsFor } from '../../core/expectations/defaults.js';
import { describeEvaluation, type Evaluation, evaluateOne } from '../../core/expectations/evaluate.js';
import type { PerformanceMetric } from '../../core/expectations/metrics.js';
import type { MeasuredFigure, WindowFigures } from '../../core/expectations/window-figures.js';
import { buildReport } from '../../core/report/build-report.js';
import type { Report } from '../../core/report/types.js';
import { DataError } from '../../core/schema/data-error.js';
import { readTable } from '../../io/read-table.js';
import { readExpectationsFile } from '../../server/engine/pipeline-expectations-file.js';
import { UsageError } from '../usage-error.js';
import { type CollectorFlags, callCollector, collectorTarget, failOnError } from './incidents.js';

interface CheckFlags extends CollectorFlags {
  model?: string;
  reference?: string;
  current?: string;
  expectations?: string;
  target?: string;
  prediction?: string;
  proba?: string;
  positiveLabel?: string;
  json?: boolean;
}

interface CheckLine {
  model: string;
  expectationId: string;
  status: 'met' | 'violated' | 'unknown';
  line: string;
}

const USAGE =
  'faultline check --url URL --token T --model M, or faultline check --reference REF --current CUR [--expectations FILE]';

function print(
  lines: CheckLine[],
  json: boolean,
  out: NodeJS.WritableStream,
  extra: Record<string, unknown>,
): number {
  const violated = lines.filter((l) => l.status === 'violated');
  if (json)
    out.write(`${JSON.stringify({ ...extra, violated: violated.length, results: lines }, null, 2)}\n`);
  else {
    for (const l of lines)
      out.write(`${l.status === 'violated' ? '✗' : l.status === 'met' ? '✓' : '?'} ${l.line}\n`);
    const met = lines.filter((l) => l.status === 'met').length;
    out.write(
      `\n${violated.length} violated, ${met} met, ${lines.length - met - violated.length} unknown${violated.length > 0 ? ' — check failed' : ''}\n`,
    );
  }
  return violated.length > 0 ? 1 : 0;
}

async function checkCollector(flags: CheckFlags, out: NodeJS.WritableStream): Promise<number> {
  const target = collectorTarget(flags);
  const ev = await callCollector(
    target,
    'POST',
    '/v1/evaluate',
    flags.model === undefined ? {} : { model: flags.model },
  );
  failOnError(ev, 'evaluating');
  const q = flags.model === undefined ? '' : `?model=${encodeURIComponent(flags.model)}`;
  const r = await callCollector(target, 'GET', `/v1/expectations${q}`);
  failOnError(r, 'reading expectations');
  const models = (
    r.json as {
      models: {
        model: string;
        expectations: { id: string; state: CheckLine['status']; lastEvaluation: { line: string } | null }[];
      }[];
    }
  ).models;
  if (flags.model !== undefined && models.length === 0)
    throw new UsageError(`the collector knows no model "${flags.model}"`, {
      hint: 'list models with GET /v1/models',
    });
  const lines: CheckLine[] = models.flatMap((m) =>
    m.expectations.map((e) => ({
      model: m.model,
      expectationId: e.id,
      status: e.state,
      line: e.lastEvaluation?.line ?? `unknown ${e.id} (${m.model}): not evaluated yet`,
    })),
  );
  return print(lines, flags.json ?? false, out, { collector: target.url });
}

const REALISED: Record<string, PerformanceMetric> = {
  accuracy: 'accuracy',
  precision: 'precision',
  recall: 'recall',
  f1: 'f1',
  rocAuc: 'roc_auc',
  mae: 'mae',
  rmse: 'rmse',
};

/** What a drift report can say as window figures: drift per feature and realised performance of the current file. */
export function reportFigures(report: Report, model: string): Omit<WindowFigures, 'window'> {
  const features = report.columns
    .filter((c) => c.role === 'feature' && c.tested && c.method !== null)
    .map((c) => ({ feature: c.name, method: c.method as string, score: c.score, drifted: c.drifted }));
  const figures: Omit<WindowFigures, 'window'> = { model, drift: { features } };
  const current = report.performance?.current ?? null;
  if (current !== null) {
    const realised: Partial<Record<PerformanceMetric, MeasuredFigure>> = {};
    for (const [key, metric] of Object.entries(REALISED)) {
      const value = (current as unknown as Record<string, number | null | undefined>)[key];
      if (typeof value === 'number' && Number.isFinite(value)) realised[metric] = { value, n: current.rows };
    }
    figures.realised = realised;
    figures.labels = { predictions: current.rows, labelled: current.rows };
  }
  return figures;
}

async function checkFiles(flags: CheckFlags, out: NodeJS.WritableStream): Promise<number> {
  if (flags.reference === undefined || flags.current === undefined)
    throw new UsageError(
      `--${flags.reference === undefined ? 'reference' : 'current'} is required with files`,
      {
        hint: USAGE,
      },
    );
  let file = null;
  if (flags.expectations !== undefined) {
    const r = readExpectationsFile(flags.expectations);
    if (!r.ok)
      throw new UsageError(`--expectations: ${r.error}`, { hint: 'the format is in docs/expectations.md' });
    file = r.file;
  }
  const model = flags.model ?? 'model';
  const proba = (flags.proba ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
  let report: Report;
  try {
    const [reference, current] = await Promise.all([readTable(flags.reference), readTable(flags.current)]);
    report = buildReport(reference, current, {
      target: flags.target ?? null,
      prediction: flags.prediction ?? null,
      proba,
      positiveLabel: flags.positiveLabel ?? null,
    });
  } catch (e) {
    if (e instanceof DataError) throw new UsageError(e.message, e.hint ? { hint: e.hint } : {});
    const err = e as NodeJS.ErrnoException;
    if (err.code === 'ENOENT') throw new UsageError(`${err.path ?? 'file'}: no such file`, { hint: USAGE });
    throw e;
  }
  const base = reportFigures(report, model);
  const evaluations: Evaluation[] = expectationsFor(file, model).map((e) =>
    // The whole file is one window of the expectation's own length.
    evaluateOne(e, { ...base, window: { startMs: 0, endMs: e.overMs } }, e.overMs),
  );
  const lines = evaluations.map((e) => ({
    model,
    expectationId: e.expectationId,
    status: e.status,
    line: describeEvaluation(e).replace(/^(met|violated|unknown)( \([^)]*\))? /, '$1$2 '),
  }));
  return print(lines, flags.json ?? false, out, { reference: flags.reference, current: flags.current });
}

export async function runCheck(
  flags: CheckFlags,
  out: NodeJS.WritableStream = process.stdout,
): Promise<number> {
  const files = flags.reference !== undefined || flags.current !== undefined;
  const collector = flags.url !== undefined || flags.token !== undefined;
  if (files && collector)
    throw new UsageError(
      'check either a collector (--url/--token) or two files (--reference/--current), not both',
      {
        hint: USAGE,
      },
    );
  if (!files && flags.expectations !== undefined)
    throw new UsageError('--expectations applies to a check of two files', {
      hint: 'a collector uses the expectations it was started with (`faultline serve --expectations`)',
    });
  return files ? checkFiles(flags, out) : checkCollector(flags, out);
}

export function register(program: Command): void {
  program
    .command('check')
    .description('Evaluate the expectations once; exit 1 when one is violated (for CI release gates).')
    .option('--url <url>', 'collector URL (env FAULTLINE_URL; default http://127.0.0.1:7070)')
    .option('--token <token>', 'collector token with the read role (env FAULTLINE_TOKEN)')
    .option('--model <name>', 'the model to check (collector: default every model; files: its expectations)')
    .option('--reference <file>', 'reference data (CSV, Parquet, NDJSON) for a check of two files')
    .option('--current <file>', 'current data, with target and prediction columns for performance')
    .option('--expectations <file>', 'expectations file (default: the built-in expectations)')
    .option('--target <column>', 'target (label) column')
    .option('--prediction <column>', 'prediction column')
    .option('--proba <columns>', 'probability column(s), comma-separated')
    .option('--positive-label <label>', 'positive label of a binary classification')
    .option('--json', 'print the results as JSON')
    .addHelpText('after', '\nExit codes: 0 nothing violated, 1 an expectation is violated, 2 usage error.')
    .action(async (flags: CheckFlags) => {
      process.exitCode = await runCheck(flags);
    });
}
