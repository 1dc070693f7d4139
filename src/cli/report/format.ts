/**
 * @module
 * Number and text formatting shared by the terminal and HTML reports.
 */
import type { ColumnReport } from '../../core/report/index.js';
import type { DriftMethod } from '../../core/stats/index.js';

/** How each method compares its score with the threshold (methods.md 1.13). */
export const DRIFT_OPERATOR: Record<DriftMethod, '<' | '<=' | '>=' | '>'> = {
  ks: '<=',
  cvm: '<=',
  chisquare: '<',
  ztest: '<',
  anderson: '<',
  wasserstein: '>=',
  psi: '>=',
  kl: '>=',
  jensenshannon: '>=',
  hellinger: '>=',
  linf: '>',
};

const OP_TEXT = { '<': '<', '<=': '≤', '>=': '≥', '>': '>' } as const;

/** The drift rule of a tested column as text, e.g. `p ≤ 0.05` or `≥ 0.1`. */
export function ruleText(c: ColumnReport): string {
  if (!c.method || c.threshold === null) return '';
  const op = OP_TEXT[DRIFT_OPERATOR[c.method]];
  return c.statisticKind === 'p_value' ? `p ${op} ${num(c.threshold)}` : `${op} ${num(c.threshold)}`;
}

/** A score or p-value: 4 significant digits, scientific below 1e-4. */
export function num(x: number | null | undefined, digits = 4): string {
  if (x === null || x === undefined || !Number.isFinite(x)) return '–';
  if (x === 0) return '0';
  const a = Math.abs(x);
  if (a < 1e-4 || a >= 1e7) return x.toExponential(2);
  if (Number.isInteger(x)) return x.toLocaleString('en-US');
  return Number(x.toPrecision(digits)).toString();
}

/** A share as a percentage with one decimal (three below 0.1%). */
export function pct(x: number | null | undefined): string {
  if (x === null || x === undefined || !Number.isFinite(x)) return '–';
  const p = 100 * x;
  return `${p !== 0 && Math.abs(p) < 0.1 ? p.toFixed(3) : p.toFixed(1)}%`;
}

/** A whole count with thousands separators. */
export function count(x: number): string {
  return x.toLocaleString('en-US');
}

/** File size in KB/MB/GB. */
export function bytes(x: number): string {
  if (x < 1024) return `${x} B`;
  if (x < 1024 ** 2) return `${(x / 1024).toFixed(1)} KB`;
  if (x < 1024 ** 3) return `${(x / 1024 ** 2).toFixed(1)} MB`;
  return `${(x / 1024 ** 3).toFixed(2)} GB`;
}

/** Strength of a tested column's drift, for ordering: > 1 means drifted by a margin. */
export function driftStrength(c: ColumnReport): number {
  if (!c.tested || c.score === null || c.threshold === null) return -1;
  if (c.statisticKind === 'p_value') return c.threshold / Math.max(c.score, 1e-300);
  return c.threshold > 0 ? c.score / c.threshold : c.score;
}

/** Columns ordered for reading: drifted first, strongest first, then the rest in file order. */
export function scanOrder(columns: readonly ColumnReport[]): ColumnReport[] {
  const drifted = columns.filter((c) => c.drifted).sort((a, b) => driftStrength(b) - driftStrength(a));
  return [...drifted, ...columns.filter((c) => !c.drifted)];
}
