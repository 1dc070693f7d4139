/**
 * @module
 * Model performance in the reference and the current file, side by side, when the target and prediction
 * columns are given (metrics: `core/metrics/classification.ts`, `core/metrics/regression.ts`).
 *
 * Task: classification when the target or prediction is categorical or boolean, or when both are
 * numerical with at most 20 distinct whole values over both files (labels such as 0/1 or 1–5); regression
 * otherwise. Labels are the sorted union of target and prediction labels over both files (numeric order
 * when all labels are numbers), so both confusion matrices share rows and columns.
 *
 * Probability columns (`--proba`): for two labels, one column is P(positive label); otherwise one column
 * per label, matched by name suffix (`proba_cat` → `cat`) when every label matches exactly one column, else
 * in label order. Rows whose probabilities are missing are left out of ROC AUC and log loss only.
 */
import {
  type ClassificationMetrics,
  classificationMetrics,
  positiveIndex,
} from '../metrics/classification.js';
import { regressionMetrics } from '../metrics/regression.js';
import { categoryAt } from '../schema/column-values.js';
import { DataError } from '../schema/data-error.js';
import type { ColumnKind } from '../schema/kinds.js';
import { type ColumnData, columnByName, type Table } from '../schema/table.js';
import type { Metrics, PerformanceReport, ReportSettings } from './types.js';

const MAX_NUMERIC_LABELS = 20;

function isCategoryKind(k: ColumnKind | undefined): boolean {
  return k === 'categorical' || k === 'boolean' || k === 'text' || k === 'id';
}

function numericDistinctWhole(cols: (ColumnData | undefined)[], limit: number): boolean {
  const seen = new Set<number>();
  for (const c of cols) {
    const a = c?.numbers;
    if (!a) continue;
    for (let i = 0; i < a.length; i++) {
      const v = a[i]!;
      if (Number.isNaN(v)) continue;
      if (!Number.isInteger(v)) return false;
      seen.add(v);
      if (seen.size > limit) return false;
    }
  }
  return seen.size > 0;
}

function labelOrder(labels: Iterable<string>): string[] {
  const list = [...new Set(labels)];
  const numeric = list.every((l) => l.trim() !== '' && Number.isFinite(Number(l)));
  return numeric ? list.sort((a, b) => Number(a) - Number(b)) : list.sort();
}

/**
 * The performance section, or null without both --target and --prediction. Throws `DataError` when the
 * positive label is not a label of the data or the probability columns do not fit the labels.
 */
export function assessPerformance(
  reference: Table,
  current: Table,
  settings: ReportSettings,
  kinds: ReadonlyMap<string, ColumnKind>,
): PerformanceReport | null {
  const { target, prediction } = settings;
  if (!target || !prediction) return null;
  const notes: string[] = [];
  const files = [reference, current] as const;
  const cols = files.map((t) => ({
    y: columnByName(t, target),
    p: columnByName(t, prediction),
    proba: settings.proba.map((name) => columnByName(t, name)),
  }));
  const tk = kinds.get(target);
  const pk = kinds.get(prediction);
  const classification =
    isCategoryKind(tk) ||
    isCategoryKind(pk) ||
    numericDistinctWhole(
      cols.flatMap((c) => [c.y, c.p]),
      MAX_NUMERIC_LABELS,
    );
  for (const [i, c] of cols.entries()) {
    const which = i === 0 ? 'reference' : 'current';
    if (!c.y) notes.push(`the ${which} file has no target column "${target}": no ${which} performance`);
    else if (!c.p)
      notes.push(`the ${which} file has no prediction column "${prediction}": no ${which} performance`);
  }

  if (!classification) {
    const results = cols.map((c) => {
      if (!c.y || !c.p || !c.y.numbers || !c.p.numbers)
        return { metrics: null as Metrics | null, dropped: c.y?.length ?? 0 };
      const y = c.y.numbers;
      const p = c.p.numbers;
      const keep: number[] = [];
      for (let i = 0; i < y.length; i++) if (!Number.isNaN(y[i]!) && !Number.isNaN(p[i]!)) keep.push(i);
      const ya = Float64Array.from(keep, (i) => y[i]!);
      const pa = Float64Array.from(keep, (i) => p[i]!);
      const zeros = ya.reduce((n, v) => (v === 0 ? n + 1 : n), 0);
      if (zeros > 0 && !notes.some((n) => n.startsWith('MAPE'))) {
        notes.push(
          `MAPE divides by the actual value: ${zeros} actual value(s) of "${target}" are 0, so MAPE is huge (scikit-learn's definition, ε = 2.2e-16)`,
        );
      }
      return { metrics: regressionMetrics(ya, pa) as Metrics, dropped: y.length - keep.length };
    });
    return {
      task: 'regression',
      target,
      prediction,
      proba: settings.proba,
      reference: results[0]!.metrics,
      current: results[1]!.metrics,
      droppedRows: { reference: results[0]!.dropped, current: results[1]!.dropped },
      notes,
    };
  }

  // Read both columns as booleans when either is boolean, so 1/0 predictions meet true/false targets.
  const labelKind: ColumnKind = tk === 'boolean' || pk === 'boolean' ? 'boolean' : 'categorical';
  const labelsOf = (c: ColumnData, i: number) => categoryAt(c, labelKind, i);
  const all = new Set<string>();
  for (const c of cols) {
    for (const col of [c.y, c.p]) {
      if (!col) continue;
      for (let i = 0; i < col.length; i++) {
        const l = labelsOf(col, i);
        if (l !== null) all.add(l);
      }
    }
  }
  const labels = labelOrder(all);
  const code = new Map(labels.map((l, i) => [l, i]));
  let positive: number | undefined;
  if (labels.length === 2) {
    if (settings.positiveLabel !== null) {
      const p = code.get(settings.positiveLabel);
      if (p === undefined) {
        throw new DataError(
          `--positive-label "${settings.positiveLabel}" is not a label of "${target}" or "${prediction}"`,
          `labels: ${labels.join(', ')}`,
        );
      }
      positive = p;
    } else positive = positiveIndex(labels);
  }
  const probaOrder = matchProba(settings.proba, labels, notes);

  const results = cols.map((c) => {
    if (!c.y || !c.p) return { metrics: null as Metrics | null, dropped: c.y?.length ?? 0 };
    const n = c.y.length;
    const actual: number[] = [];
    const predicted: number[] = [];
    const rowsKept: number[] = [];
    for (let i = 0; i < n; i++) {
      const a = labelsOf(c.y, i);
      const p = labelsOf(c.p, i);
      if (a === null || p === null) continue;
      actual.push(code.get(a)!);
      predicted.push(code.get(p)!);
      rowsKept.push(i);
    }
    const base = classificationMetrics({
      labels,
      actual: Int32Array.from(actual),
      predicted: Int32Array.from(predicted),
      positive,
    });
    let metrics: ClassificationMetrics = base;
    if (probaOrder && c.proba.every((x) => x?.numbers)) {
      const arrays = probaOrder.map((k) => c.proba[k]!.numbers!);
      const keep = rowsKept
        .map((row, j) => [row, j] as const)
        .filter(([row]) => arrays.every((a) => !Number.isNaN(a[row]!)));
      const scored = classificationMetrics({
        labels,
        actual: Int32Array.from(keep, ([, j]) => actual[j]!),
        predicted: Int32Array.from(keep, ([, j]) => predicted[j]!),
        scores: arrays.map((a) => Float64Array.from(keep, ([row]) => a[row]!)),
        positive,
      });
      metrics = { ...base, rocAuc: scored.rocAuc, logLoss: scored.logLoss };
    }
    return { metrics: metrics as Metrics, dropped: n - rowsKept.length };
  });
  return {
    task: 'classification',
    target,
    prediction,
    proba: settings.proba,
    reference: results[0]!.metrics,
    current: results[1]!.metrics,
    droppedRows: { reference: results[0]!.dropped, current: results[1]!.dropped },
    notes,
  };
}

/**
 * Order of the --proba columns to use, as indices into `proba`: one column for a binary problem, one per
 * label otherwise (by name suffix when unambiguous, else as given). Null (with a note) when they do not fit.
 */
function matchProba(proba: readonly string[], labels: readonly string[], notes: string[]): number[] | null {
  if (proba.length === 0) return null;
  if (labels.length === 2 && proba.length === 1) return [0];
  if (proba.length !== labels.length) {
    notes.push(
      `--proba gives ${proba.length} column(s) for ${labels.length} labels (${labels.join(', ')}): ROC AUC and log loss are left out`,
    );
    return null;
  }
  const bySuffix = labels.map((l) => {
    const hits = proba
      .map((p, i) => [p, i] as const)
      .filter(([p]) => p.toLowerCase().endsWith(l.toLowerCase()));
    return hits.length === 1 ? hits[0]![1] : -1;
  });
  if (bySuffix.every((i) => i >= 0) && new Set(bySuffix).size === labels.length) return bySuffix;
  notes.push(
    `--proba columns are read in label order: ${labels.map((l, i) => `${proba[i]} → ${l}`).join(', ')}`,
  );
  return labels.map((_, i) => i);
}
