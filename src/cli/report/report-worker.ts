/**
 * @module
 * Worker-thread entry of `faultline report` (runs from `dist/`): reads one file into shared memory, or
 * runs a share of the column jobs over shared columns. Messages: `read` → `progress`… then `table`;
 * `jobs` → `column`… then `done`; any failure → `error` with the error's name, message and hint.
 */
import { parentPort } from 'node:worker_threads';
import { runColumnJob } from '../../core/report/column-job.js';
import type { ColumnJob } from '../../core/report/plan.js';
import type { ColumnData } from '../../core/schema/table.js';
import { readTable } from '../../io/read-table.js';

export type WorkerRequest =
  | { type: 'read'; path: string }
  | {
      type: 'jobs';
      jobs: { index: number; job: ColumnJob; ref: ColumnData | undefined; cur: ColumnData | undefined }[];
    };

const port = parentPort;
if (port) {
  port.on('message', async (msg: WorkerRequest) => {
    try {
      if (msg.type === 'read') {
        const table = await readTable(msg.path, {
          shared: true,
          onProgress: (read, total) => port.postMessage({ type: 'progress', read, total }),
        });
        port.postMessage({ type: 'table', table });
      } else {
        for (const { index, job, ref, cur } of msg.jobs) {
          port.postMessage({ type: 'column', index, report: runColumnJob(job, ref, cur) });
        }
        port.postMessage({ type: 'done' });
      }
    } catch (err) {
      const e = err as Error & { hint?: string };
      port.postMessage({ type: 'error', name: e.name, message: e.message, hint: e.hint, stack: e.stack });
    }
  });
}
