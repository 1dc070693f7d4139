/**
 * @module
 * What `faultline report` does, step by step: check the options, read both files (two threads when it
 * pays), plan the report, run quality, performance and the column jobs, then write the JSON and HTML files
 * and print the terminal summary. Data and option problems become `UsageError`s (exit code 2).
 */
import { readFile, stat, writeFile } from 'node:fs/promises';
import { DatasetProfile, decodeProfile } from '../../core/profile/index.js';
import {
  assembleReport,
  type FileInfo,
  planReport,
  type Report,
  type ReportOptions,
  reportSections,
} from '../../core/report/index.js';
import { buildProfileReport } from '../../core/report/profile-report.js';
import { seededRng } from '../../core/rng.js';
import { parseColumnTypes } from '../../core/schema/column-types.js';
import { DataError } from '../../core/schema/data-error.js';
import type { Table } from '../../core/schema/table.js';
import { ProfileFormatError } from '../../core/sketch/bytes.js';
import type { DriftMethod } from '../../core/stats/index.js';
import { readTable } from '../../io/read-table.js';
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
  seed?: number;
  estimatePerformance?: boolean;
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

function reportOptions(
  opts: ReportCliOptions,
  columnSettings: ReportOptions['columnSettings'],
): ReportOptions {
  const proba = (opts.proba ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
  return {
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
    ...(opts.seed !== undefined ? { seed: opts.seed } : {}),
    estimatePerformance: opts.estimatePerformance === true,
  };
}

const USAGE =
  'faultline report --reference REF.csv --current CUR.csv (or --reference-profile / --current-profile)';

async function run(opts: ReportCliOptions, streams: ReportStreams): Promise<number> {
  for (const [data, profile, side] of [
    [opts.reference, opts.referenceProfile, 'reference'],
    [opts.current, opts.currentProfile, 'current'],
  ] as const) {
    if (data && profile)
      throw new UsageError(`give --${side} or --${side}-profile, not both`, { hint: USAGE });
    if (!data && !profile) throw new UsageError(`--${side} is required`, { hint: USAGE });
  }
  const columnSettings = opts.columnTypes ? await readColumnTypes(opts.columnTypes) : undefined;
  const options = reportOptions(opts, columnSettings);
  const report =
    opts.referenceProfile || opts.currentProfile
      ? await profileReport(opts, options, streams)
      : await dataReport(opts.reference!, opts.current!, options, streams);
  if (opts.json) await write(opts.json, `${JSON.stringify(report, null, 2)}\n`, '--json');
  if (opts.html) await write(opts.html, renderHtml(report), '--html');
  const color = streams.stdout.isTTY === true && !process.env.NO_COLOR;
  streams.stdout.write(renderTerminal(report, { color }));
  if (opts.json) streams.stdout.write(`\nJSON written to ${opts.json}\n`);
  if (opts.html) streams.stdout.write(`${opts.json ? '' : '\n'}HTML written to ${opts.html}\n`);
  return opts.failOnDrift && report.dataset.drifted ? 1 : 0;
}

async function readProfile(path: string): Promise<DatasetProfile> {
  let bytes: Uint8Array;
  try {
    bytes = await readFile(path);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new UsageError(code === 'ENOENT' ? `${path}: no such file` : `${path}: cannot be read (${code})`);
  }
  try {
    return decodeProfile(bytes);
  } catch (err) {
    if (err instanceof ProfileFormatError) {
      throw new UsageError(`${path}: ${err.message}`, {
        hint: 'profiles are written by "faultline profile DATA -o FILE.flp"',
      });
    }
    throw err;
  }
}

/**
 * A report from profiles: a side given as a profile is decoded; a side given as data is read and profiled
 * with the other side's sketch settings (seed 0, so the report is the same on every run).
 */
async function profileReport(
  opts: ReportCliOptions,
  options: ReportOptions,
  streams: ReportStreams,
): Promise<Report> {
  const progress = createProgress({ stream: streams.stderr });
  try {
    const refProfile = opts.referenceProfile ? await readProfile(opts.referenceProfile) : null;
    const curProfile = opts.currentProfile ? await readProfile(opts.currentProfile) : null;
    const settings = (refProfile ?? curProfile)!.settings;
    const fromData = async (path: string): Promise<[DatasetProfile, FileInfo]> => {
      const table = await readTable(path, {
        onProgress: (read, total) => progress.update('reading', total > 0 ? read / total : 0),
      });
      const profile = DatasetProfile.empty({ rng: seededRng(0), settings }).addTable(table);
      const info: FileInfo = {
        path,
        format: table.source.format,
        bytes: table.source.bytes,
        rows: table.rows,
        columns: table.columns.length,
      };
      return [profile, info];
    };
    const fromProfile = async (path: string, p: DatasetProfile): Promise<[DatasetProfile, FileInfo]> => [
      p,
      {
        path,
        format: 'profile',
        bytes: (await stat(path)).size,
        rows: p.rowCount,
        columns: p.columnNames().length,
      },
    ];
    const [ref, refInfo] = refProfile
      ? await fromProfile(opts.referenceProfile!, refProfile)
      : await fromData(opts.reference!);
    const [cur, curInfo] = curProfile
      ? await fromProfile(opts.currentProfile!, curProfile)
      : await fromData(opts.current!);
    return buildProfileReport(ref, cur, { reference: refInfo, current: curInfo }, options);
  } finally {
    progress.done();
  }
}

/** A report from two data files (two threads when a worker is available). */
async function dataReport(
  referencePath: string,
  currentPath: string,
  options: ReportOptions,
  streams: ReportStreams,
): Promise<Report> {
  const progress = createProgress({ stream: streams.stderr });
  const worker = workersAvailable() ? new ReportWorker() : null;
  try {
    const [reference, current]: [Table, Table] = await readBoth(
      referencePath,
      currentPath,
      worker,
      (read, total) => progress.update('reading', total > 0 ? (0.6 * read) / total : 0),
    );
    const plan = planReport(reference, current, options);
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
    const { quality, performance, detectors } = sections!;
    return assembleReport(reference, current, plan, columns, quality, performance, detectors);
  } finally {
    progress.done();
    await worker?.close();
  }
}
