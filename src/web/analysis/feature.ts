/**
 * @module
 * One feature, reference against current, from sampled rows: the two distributions binned alike, and the
 * current rows outside the reference's range (methods.md 7.3 via `core/outliers/range`).
 */
import type { WindowSummary } from '../../core/contract/index.js';
import { evaluateCategories, evaluateRange, fitRange } from '../../core/outliers/range.js';
import { quantileSorted } from '../../core/stats/binning.js';
import type { CompareBin } from '../charts/bars.js';

export interface SampledValue {
  id: string | null;
  instance: string | null;
  /** Start of the window the row was sampled in (ms); null for a reference data set row. */
  windowStartMs: number | null;
  value: unknown;
}

interface SampleRow {
  id?: unknown;
  instance?: unknown;
  features?: Record<string, unknown>;
}

/** The feature's values in the sampled rows of windows [from, to) of the axis. */
export function sampledValues(
  groups: readonly WindowSummary[][],
  range: { from: number; to: number } | null,
  feature: string,
): SampledValue[] {
  if (!range) return [];
  const out: SampledValue[] = [];
  for (const g of groups.slice(range.from, range.to))
    for (const w of g)
      for (const r of (w.sample?.rows ?? []) as SampleRow[]) {
        if (!r.features || !(feature in r.features)) continue;
        out.push({
          id: typeof r.id === 'string' ? r.id : null,
          instance: typeof r.instance === 'string' ? r.instance : null,
          windowStartMs: Date.parse(w.start),
          value: r.features[feature],
        });
      }
  return out;
}

/** Values of a reference data set's sample rows (flat records of column → value). */
export function referenceValues(rows: readonly Record<string, unknown>[], feature: string): SampledValue[] {
  return rows
    .filter((r) => feature in r)
    .map((r) => ({ id: null, instance: null, windowStartMs: null, value: r[feature] }));
}

const finite = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

/** Whether the values are mostly numbers (then the feature is binned as numerical). */
export function isNumericFeature(values: readonly SampledValue[]): boolean {
  const present = values.filter((v) => v.value !== null && v.value !== undefined);
  return present.length > 0 && present.filter((v) => finite(v.value)).length >= 0.9 * present.length;
}

/**
 * Reference and current shares on the same bins: `bins` equal-width bins between the pooled 0.5 % and 99.5 %
 * quantiles (values beyond go to the end bins) for numbers; the most common categories plus "other" otherwise.
 */
export function compareDistributions(
  ref: readonly SampledValue[],
  cur: readonly SampledValue[],
  bins = 20,
): { numeric: boolean; bins: CompareBin[] } {
  const numeric = isNumericFeature([...ref, ...cur]);
  if (numeric) {
    const r = ref.map((v) => v.value).filter(finite);
    const c = cur.map((v) => v.value).filter(finite);
    const pooled = Float64Array.from([...r, ...c]).sort();
    if (pooled.length === 0) return { numeric, bins: [] };
    const lo = quantileSorted(pooled, 0.005);
    const hi = quantileSorted(pooled, 0.995);
    const k = hi > lo ? bins : 1;
    const width = hi > lo ? (hi - lo) / k : 1;
    const count = (xs: number[]) => {
      const out = new Array<number>(k).fill(0);
      for (const x of xs) out[Math.min(k - 1, Math.max(0, Math.floor((x - lo) / width)))]! += 1;
      return out.map((n) => (xs.length ? n / xs.length : 0));
    };
    const rc = count(r);
    const cc = count(c);
    const label = (x: number) =>
      Math.abs(x) >= 1000 ? Math.round(x).toLocaleString('en-US') : String(Number(x.toPrecision(3)));
    return {
      numeric,
      bins: rc.map((share, i) => ({ label: label(lo + i * width), ref: share, cur: cc[i]! })),
    };
  }
  const key = (v: unknown) => (v === null || v === undefined ? '(missing)' : String(v));
  const counts = new Map<string, number>();
  for (const v of [...ref, ...cur]) counts.set(key(v.value), (counts.get(key(v.value)) ?? 0) + 1);
  const top = [...counts.entries()]
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
    .slice(0, 12)
    .map(([k]) => k);
  const shares = (xs: readonly SampledValue[]) => {
    const m = new Map<string, number>();
    for (const v of xs) m.set(key(v.value), (m.get(key(v.value)) ?? 0) + 1);
    const n = Math.max(1, xs.length);
    const listed = top.map((k) => (m.get(k) ?? 0) / n);
    return [...listed, Math.max(0, 1 - listed.reduce((s, x) => s + x, 0))];
  };
  const rs = shares(ref);
  const cs = shares(cur);
  const out = top.map((k, i) => ({ label: k, ref: rs[i]!, cur: cs[i]! }));
  if ((rs[top.length] ?? 0) > 0 || (cs[top.length] ?? 0) > 0)
    out.push({ label: 'other', ref: rs[top.length]!, cur: cs[top.length]! });
  return { numeric, bins: out };
}

export interface OutlierReport {
  kind: 'range' | 'categories';
  /** Numeric: the reference's [0.5 %, 99.5 %] bounds. */
  lo: number | null;
  hi: number | null;
  n: number;
  outside: number;
  share: number | null;
  expectedShare: number | null;
  pValue: number | null;
  alert: boolean;
  /** Current sampled rows outside the bounds (or with unseen categories), most extreme first. */
  rows: SampledValue[];
}

/** The current rows that the reference would call out of range (numbers) or unseen (categories). */
export function outliers(ref: readonly SampledValue[], cur: readonly SampledValue[]): OutlierReport | null {
  if (ref.length === 0 || cur.length === 0) return null;
  if (isNumericFeature(ref)) {
    const r = ref.map((v) => v.value).filter(finite);
    if (r.length === 0) return null;
    const fit = fitRange({ x: r });
    const column = cur.map((v) => (finite(v.value) ? v.value : null));
    const report = evaluateRange(fit, { x: column }, { correction: 'none' }).features[0]!;
    const mid = (report.lo + report.hi) / 2;
    const rows = cur
      .filter((v) => finite(v.value) && (v.value < report.lo || v.value > report.hi))
      .sort((a, b) => Math.abs((b.value as number) - mid) - Math.abs((a.value as number) - mid));
    return {
      kind: 'range',
      lo: report.lo,
      hi: report.hi,
      n: report.n,
      outside: report.below + report.above,
      share: report.share,
      expectedShare: report.expectedShare,
      pValue: report.pValue,
      alert: report.alert,
      rows,
    };
  }
  const str = (v: unknown) => (v === null || v === undefined ? null : String(v));
  const report = evaluateCategories(
    'x',
    ref.map((v) => str(v.value)),
    cur.map((v) => str(v.value)),
  );
  const known = new Set(ref.map((v) => str(v.value)));
  return {
    kind: 'categories',
    lo: null,
    hi: null,
    n: report.n,
    outside: report.unseen,
    share: report.share,
    expectedShare: null,
    pValue: null,
    alert: report.alert,
    rows: cur.filter((v) => str(v.value) !== null && !known.has(str(v.value))),
  };
}
