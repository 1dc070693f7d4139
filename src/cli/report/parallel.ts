/**
 * @module
 * Uses both cores for `faultline report` when it pays: the reference file is read on this thread while a
 * worker reads the current one, and the column jobs are split between this thread and the worker. Columns
 * live on SharedArrayBuffers, so nothing is copied between threads.
 *
 * The worker entry is compiled JavaScript (`dist/cli/report/report-worker.js`): when this module runs from
 * TypeScript sources (tests under vitest) or with `FAULTLINE_THREADS=1`, everything runs on this thread
 * through the very same functions (`readTable`, `runColumnJob`).
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { runColumnJob } from '../../core/report/column-job.js';
import type { ColumnJob } from '../../core/report/plan.js';
import type { ColumnReport } from '../../core/report/types.js';
import { DataError } from '../../core/schema/data-error.js';
import { type ColumnData, columnByName, type Table } from '../../core/schema/table.js';
import { InputError } from '../../io/input-error.js';
import { readTable } from '../../io/read-table.js';
import type { WorkerRequest } from './report-worker.js';

/** Whether a worker thread can be used: compiled code, more than one core, not disabled. */
export function workersAvailable(): boolean {
  if (process.env.FAULTLINE_THREADS === '1') return false;
  return import.meta.url.endsWith('.js') && availableParallelism() > 1;
}

type WorkerMessage =
  | { type: 'progress'; read: number; total: number }
  | { type: 'table'; table: Table }
  | { type: 'column'; index: number; report: ColumnReport }
  | { type: 'done' }
  | { type: 'error'; name: string; message: string; hint?: string; stack?: string };

function rebuildError(m: Extract<WorkerMessage, { type: 'error' }>): Error {
  if (m.name === 'InputError') return new InputError(m.message, m.hint);
  if (m.name === 'DataError') return new DataError(m.message, m.hint);
  const e = new Error(m.message);
  e.stack = m.stack;
  return e;
}

/** A worker thread running `report-worker.js`, with one request in flight at a time. */
export class ReportWorker {
  private readonly worker: Worker;
  private handler: ((m: WorkerMessage) => void) | null = null;
  private failure: ((e: Error) => void) | null = null;

  constructor() {
    this.worker = new Worker(new URL('./report-worker.js', import.meta.url));
    this.worker.on('message', (m: WorkerMessage) => this.handler?.(m));
    this.worker.on('error', (e) => this.failure?.(e));
  }

  private request<T>(
    msg: WorkerRequest,
    onMessage: (m: WorkerMessage, finish: (v: T) => void) => void,
  ): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.failure = reject;
      this.handler = (m) => {
        if (m.type === 'error') reject(rebuildError(m));
        else onMessage(m, resolve);
      };
      this.worker.postMessage(msg);
    });
  }

  /** Reads a file on the worker into shared memory. */
  read(path: string, onProgress: (read: number, total: number) => void): Promise<Table> {
    return this.request<Table>({ type: 'read', path }, (m, finish) => {
      if (m.type === 'progress') onProgress(m.read, m.total);
      else if (m.type === 'table') finish(m.table);
    });
  }

  /** Runs column jobs on the worker; `onColumn` sees each result as it arrives. */
  jobs(
    jobs: Extract<WorkerRequest, { type: 'jobs' }>['jobs'],
    onColumn: (index: number, report: ColumnReport) => void,
  ): Promise<void> {
    return this.request<void>({ type: 'jobs', jobs }, (m, finish) => {
      if (m.type === 'column') onColumn(m.index, m.report);
      else if (m.type === 'done') finish();
    });
  }

  async close(): Promise<void> {
    await this.worker.terminate();
  }
}

/**
 * Reads both files: in parallel on two threads when a worker is given, else interleaved on this one.
 * `onProgress` gets the combined bytes read and total.
 */
export async function readBoth(
  referencePath: string,
  currentPath: string,
  worker: ReportWorker | null,
  onProgress: (read: number, total: number) => void,
): Promise<[Table, Table]> {
  const seen = [0, 0];
  const totals = [0, 0];
  const report = (i: number) => (read: number, total: number) => {
    seen[i] = read;
    totals[i] = total;
    onProgress(seen[0]! + seen[1]!, totals[0]! + totals[1]!);
  };
  const shared = worker !== null;
  // Start both reads before awaiting either, so an error in one still lets the other settle.
  const ref = readTable(referencePath, { shared, onProgress: report(0) });
  const cur = worker
    ? worker.read(currentPath, report(1))
    : readTable(currentPath, { onProgress: report(1) });
  const [r, c] = await Promise.allSettled([ref, cur]);
  if (r.status === 'rejected') throw r.reason;
  if (c.status === 'rejected') throw c.reason;
  return [r.value, c.value];
}

/** Relative cost of a job: numerical columns are sorted, so they weigh more than categorical ones. */
function cost(job: ColumnJob, ref: ColumnData | undefined, cur: ColumnData | undefined): number {
  const rows = (ref?.length ?? 0) + (cur?.length ?? 0);
  if (job.kind === 'numerical') return rows * 3;
  if (job.kind === 'categorical' || job.kind === 'boolean') return rows;
  return rows * 0.1;
}

/**
 * Runs the plan's column jobs, split between this thread and the worker (largest first, each to the less
 * loaded side; this thread starts with `ownLoad` for the work it does besides). Results in job order.
 */
export async function runJobs(
  jobs: readonly ColumnJob[],
  reference: Table,
  current: Table,
  worker: ReportWorker | null,
  onColumn: (done: number, total: number) => void,
  ownLoad = 0,
  beforeOwnJobs: () => void = () => {},
): Promise<ColumnReport[]> {
  const results: (ColumnReport | undefined)[] = new Array(jobs.length);
  let done = 0;
  const finish = (i: number, r: ColumnReport) => {
    results[i] = r;
    onColumn(++done, jobs.length);
  };
  const items = jobs.map((job, index) => {
    const ref = columnByName(reference, job.name);
    const cur = columnByName(current, job.name);
    return { index, job, ref, cur, weight: cost(job, ref, cur) };
  });
  const mine: typeof items = [];
  const theirs: typeof items = [];
  if (worker) {
    let a = ownLoad;
    let b = 0;
    for (const it of [...items].sort((x, y) => y.weight - x.weight)) {
      if (a <= b) {
        mine.push(it);
        a += it.weight;
      } else {
        theirs.push(it);
        b += it.weight;
      }
    }
  } else mine.push(...items);
  const remote = worker
    ? worker.jobs(
        theirs.map(({ index, job, ref, cur }) => ({ index, job, ref, cur })),
        finish,
      )
    : Promise.resolve();
  try {
    beforeOwnJobs();
    for (const { index, job, ref, cur } of mine) finish(index, runColumnJob(job, ref, cur));
  } finally {
    await remote;
  }
  return results as ColumnReport[];
}
