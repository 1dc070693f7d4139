/**
 * @module
 * Runs one column job of a report plan: the column's summaries and chart data in both files, and its drift
 * test (methods.md 1.1–1.13, through `numericalDriftSorted` / `categoricalDrift`). Pure and independent of
 * the other columns, so jobs can run on any thread.
 *
 * Sorting is most of the cost of a numerical column, so each file's values are copied and sorted once, and
 * that one sorted copy serves the summary, the chart, the automatic method choice and the drift test.
 */
import { categoryCounts, numericValues, timeValues } from '../schema/column-values.js';
import type { ColumnData } from '../schema/table.js';
import {
  type ColumnDrift,
  categoricalDrift,
  chooseMethod,
  numericalDriftSorted,
  sortFloat64,
} from '../stats/index.js';
import type { ColumnJob } from './plan.js';
import { bars, type Chart, categoricalSummary, histogram, numericSummary } from './summaries.js';
import type { ColumnReport, ColumnSideSummary } from './types.js';

/**
 * Distinct values of two sorted arrays together, counted up to `cap` (the automatic method choice only
 * asks whether there are at most 2 or at most 5, so counting stops early on continuous data).
 */
function distinctUnion(a: Float64Array, b: Float64Array, cap: number): number {
  let i = 0;
  let j = 0;
  let count = 0;
  let last = Number.NaN;
  while (i < a.length || j < b.length) {
    const v = j >= b.length || (i < a.length && a[i]! <= b[j]!) ? a[i++]! : b[j++]!;
    if (v !== last) {
      if (++count >= cap) return count;
      last = v;
    }
  }
  return count;
}

/** More distinct values than any rule of the automatic choice looks at (methods.md 1.13: ≤ 2, ≤ 5). */
const DISTINCT_CAP = 6;

function side(
  col: ColumnData | undefined,
  job: ColumnJob,
  sorted: Float64Array | null,
  counts: Map<string, number> | null,
): ColumnSideSummary | null {
  if (!col) return null;
  let timeRange: ColumnSideSummary['timeRange'] = null;
  if (job.kind === 'datetime') {
    const t = timeValues(col);
    if (t.length > 0) {
      let lo = t[0]!;
      let hi = t[0]!;
      for (let i = 1; i < t.length; i++) {
        if (t[i]! < lo) lo = t[i]!;
        if (t[i]! > hi) hi = t[i]!;
      }
      timeRange = { min: new Date(lo).toISOString(), max: new Date(hi).toISOString() };
    }
  }
  return {
    rows: col.length,
    missingShare: col.length > 0 ? col.counts.missing / col.length : 0,
    numeric: sorted ? numericSummary(sorted) : null,
    categorical: counts ? categoricalSummary(counts) : null,
    timeRange,
  };
}

/** Longest list kept in a method's detail (new categories can number thousands). */
const DETAIL_LIST_LIMIT = 100;

/** Keeps only JSON-safe numbers in a method's detail (±Infinity and NaN become null), lists capped. */
function jsonSafe(value: unknown): unknown {
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (Array.isArray(value)) return value.slice(0, DETAIL_LIST_LIMIT).map(jsonSafe);
  if (value instanceof Float64Array) return [...value.subarray(0, DETAIL_LIST_LIMIT)].map(jsonSafe);
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, jsonSafe(v)]));
  }
  return value;
}

/** Runs one column job: summaries, chart and (unless skipped) the drift test. */
export function runColumnJob(
  job: ColumnJob,
  ref: ColumnData | undefined,
  cur: ColumnData | undefined,
): ColumnReport {
  let refSorted: Float64Array | null = null;
  let curSorted: Float64Array | null = null;
  let refCounts: Map<string, number> | null = null;
  let curCounts: Map<string, number> | null = null;
  let chart: Chart | null = null;
  if (job.kind === 'numerical') {
    refSorted = ref ? sortFloat64(numericValues(ref)) : null;
    curSorted = cur ? sortFloat64(numericValues(cur)) : null;
    if (refSorted && curSorted) chart = histogram(refSorted, curSorted);
  } else if (job.kind === 'categorical' || job.kind === 'boolean') {
    refCounts = ref ? categoryCounts(ref, job.kind) : null;
    curCounts = cur ? categoryCounts(cur, job.kind) : null;
    if (refCounts && curCounts) chart = bars(refCounts, curCounts);
  }
  const out: ColumnReport = {
    name: job.name,
    role: job.role,
    kind: job.kind,
    kindSource: job.kindSource,
    kindReason: job.kindReason,
    presentIn: job.presentIn,
    tested: false,
    skipped: job.skip,
    method: null,
    methodSource: null,
    score: null,
    pValue: null,
    threshold: null,
    drifted: false,
    statisticKind: null,
    n: null,
    m: null,
    detail: null,
    reference: side(ref, job, refSorted, refCounts),
    current: side(cur, job, curSorted, curCounts),
    chart,
  };
  if (job.skip !== null || !ref || !cur) return out;

  let drift: ColumnDrift;
  try {
    if (job.kind === 'numerical') {
      const r = refSorted!;
      const c = curSorted!;
      if (r.length === 0 || c.length === 0) {
        out.skipped = `no numeric values in the ${r.length === 0 ? 'reference' : 'current'} file`;
        return out;
      }
      const method = job.method ?? chooseMethod('numerical', ref.length, distinctUnion(r, c, DISTINCT_CAP));
      // Sorted above, NaN-free by construction (numericValues): no second scan of either file.
      drift = numericalDriftSorted(r, c, method, { threshold: job.threshold });
    } else {
      const r = refCounts!;
      const c = curCounts!;
      const nr = [...r.values()].reduce((s, v) => s + v, 0);
      const nc = [...c.values()].reduce((s, v) => s + v, 0);
      if (nr === 0 || nc === 0) {
        out.skipped = `no values in the ${nr === 0 ? 'reference' : 'current'} file`;
        return out;
      }
      const unique = new Set([...r.keys(), ...c.keys()]).size;
      const method = job.method ?? chooseMethod(job.kind, ref.length, unique);
      drift = categoricalDrift(r, c, method, {
        threshold: job.threshold,
        refMissing: ref.counts.missing,
        curMissing: cur.counts.missing,
      });
    }
  } catch (err) {
    if (!(err instanceof RangeError)) throw err;
    out.skipped = `could not be tested: ${err.message}`;
    return out;
  }
  out.tested = true;
  out.skipped = null;
  out.method = drift.method;
  out.methodSource = job.method ? job.methodSource : 'auto';
  out.score = Number.isFinite(drift.score) ? drift.score : null;
  out.pValue = drift.pValue !== null && Number.isFinite(drift.pValue) ? drift.pValue : null;
  out.threshold = drift.threshold;
  out.drifted = drift.drifted;
  out.statisticKind = drift.statisticKind;
  out.n = drift.n;
  out.m = drift.m;
  out.detail = drift.detail ? (jsonSafe(drift.detail) as Record<string, unknown>) : null;
  return out;
}
