/**
 * @module
 * What `faultline report` does, step by step: check the options, read both files (two threads when it
 * pays), plan the report, run quality, performance and the column jobs, then write the JSON and HTML files
 * and print the terminal summary. Data and option problems become `UsageError`s (exit code 2).
 */
import { readFile, writeFile } from 'node:fs/promises';
import { assembleReport, planReport, type Report, reportSections } from '../../core/report/index.js';
import { parseColumnTypes } from '../../core/schema/column-types.js';
import { DataError } from '../../core/schema/data-error.js';
import type { Table } from '../../core/schema/table.js';
import type { DriftMethod } from '../../core/stats/index.js';
import { UsageError } from '../usage-error.js';
import { renderHtml } from './html.js';
import { ReportWorker, readBoth, runJobs, workersAvailable } from './parallel.js';
import { createProgress } from './progress.js';
import { renderTerminal } from './terminal.js';

/** The parsed command-line options of `faultline report`. */
export interface ReportCliOptions {
  reference?: string;
  current?: string;
  target?: string;
  prediction?: string;
  proba?: string;
  id?: string;
  timestamp?: string;
  method?: string;
  columnTypes?: string;
  threshold?: number;
  driftShare?: number;
  positiveLabel?: string;
  json?: string;
  html?: string;
  failOnDrift?: boolean;
  referenceProfile?: string;
  currentProfile?: string;
}

export interface ReportStreams {
  stdout: NodeJS.WritableStream & { isTTY?: boolean };
  stderr: NodeJS.WriteStream;
}

async function readColumnTypes(path: string) {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new UsageError(
      `--column-types ${path}: ${code === 'ENOENT' ? 'no such file' : `cannot be read (${code})`}`,
    );
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw new UsageError(`--column-types ${path}: not valid JSON (${(err as Error).message})`, {
      hint: 'expected an object such as {"zip": "categorical", "age": "numerical"}',
    });
  }
  return parseColumnTypes(value, `--column-types ${path}`);
}

async function write(path: string, text: string, flag: string): Promise<void> {
  try {
    await writeFile(path, text);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new UsageError(`${flag} ${path}: cannot write (${code === 'ENOENT' ? 'no such folder' : code})`);
  }
}

/** Runs the report; returns the exit code (0, or 1 with --fail-on-drift when the dataset drifted). */
export async function runReport(
  opts: ReportCliOptions,
  streams: ReportStreams = { stdout: process.stdout, stderr: process.stderr },
): Promise<number> {
  try {
    return await run(opts, streams);
  } catch (err) {
    if (err instanceof DataError) throw new UsageError(err.message, err.hint ? { hint: err.hint } : {});
    throw err;
  }
}

async function run(opts: ReportCliOptions, streams: ReportStreams): Promise<number> {
  if (opts.referenceProfile || opts.currentProfile) {
    throw new UsageError('--reference-profile and --current-profile are not available yet', {
      hint: 'compare two data files with --reference and --current',
    });
  }
  if (!opts.reference)
    throw new UsageError('--reference is required', {
      hint: 'faultline report --reference REF.csv --current CUR.csv',
    });
  if (!opts.current)
    throw new UsageError('--current is required', {
      hint: 'faultline report --reference REF.csv --current CUR.csv',
    });
  const proba = (opts.proba ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
  const columnSettings = opts.columnTypes ? await readColumnTypes(opts.columnTypes) : undefined;

  const progress = createProgress({ stream: streams.stderr });
  const worker = workersAvailable() ? new ReportWorker() : null;
  let report: Report;
  try {
    const [reference, current]: [Table, Table] = await readBoth(
      opts.reference,
      opts.current,
      worker,
      (read, total) => progress.update('reading', total > 0 ? (0.6 * read) / total : 0),
    );
    const plan = planReport(reference, current, {
      target: opts.target ?? null,
      prediction: opts.prediction ?? null,
      proba,
      id: opts.id ?? null,
      timestamp: opts.timestamp ?? null,
      method: (opts.method ?? 'auto') as DriftMethod | 'auto',
      threshold: opts.threshold ?? null,
      columnSettings,
      driftShare: opts.driftShare ?? 0.5,
      positiveLabel: opts.positiveLabel ?? null,
    });
    let sections: ReturnType<typeof reportSections> | undefined;
    // This thread also computes quality and performance: count them as its head start when splitting jobs.
    const ownLoad = (reference.rows + current.rows) * Math.max(1, plan.jobs.length) * 0.3;
    const columns = await runJobs(
      plan.jobs,
      reference,
      current,
      worker,
      (done, total) => progress.update('comparing columns', 0.6 + (0.4 * done) / total),
      worker ? ownLoad : 0,
      () => {
        sections = reportSections(reference, current, plan);
      },
    );
    const { quality, performance } = sections!;
    report = assembleReport(reference, current, plan, columns, quality, performance);
  } finally {
    progress.done();
    await worker?.close();
  }

  if (opts.json) await write(opts.json, `${JSON.stringify(report, null, 2)}\n`, '--json');
  if (opts.html) await write(opts.html, renderHtml(report), '--html');
  const color = streams.stdout.isTTY === true && !process.env.NO_COLOR;
  streams.stdout.write(renderTerminal(report, { color }));
  if (opts.json) streams.stdout.write(`\nJSON written to ${opts.json}\n`);
  if (opts.html) streams.stdout.write(`${opts.json ? '' : '\n'}HTML written to ${opts.html}\n`);
  return opts.failOnDrift && report.dataset.drifted ? 1 : 0;
}
