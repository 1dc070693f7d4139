/**
 * @module
 * How numbers, shares, durations and times read on screen. Missing values read as an en dash, never "NaN".
 */

export const DASH = '–';

/** A number with up to `digits` significant decimals, thousands separated; a dash for null or non-finite. */
export function fmtNum(v: number | null | undefined, digits = 2): string {
  if (v === null || v === undefined || !Number.isFinite(v)) return DASH;
  const abs = Math.abs(v);
  if (abs >= 1000) return Math.round(v).toLocaleString('en-US');
  if (abs >= 100) return v.toFixed(Math.min(digits, 1)).replace(/\.0$/, '');
  if (Number.isInteger(v)) return String(v);
  return v.toFixed(digits);
}

/** A number to `digits` significant digits: bounds and thresholds (10.82, 101.3, 0.0042). */
export function fmtSig(v: number | null | undefined, digits = 4): string {
  if (v === null || v === undefined || !Number.isFinite(v)) return DASH;
  if (Math.abs(v) >= 10 ** digits) return Math.round(v).toLocaleString('en-US');
  return String(Number(v.toPrecision(digits)));
}

/** Bytes in binary units: "512 B", "2.0 GiB". */
export function fmtBytes(v: number | null | undefined): string {
  if (v === null || v === undefined || !Number.isFinite(v)) return DASH;
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let x = Math.abs(v);
  let i = 0;
  while (x >= 1024 && i < units.length - 1) {
    x /= 1024;
    i++;
  }
  return `${v < 0 ? '-' : ''}${i === 0 ? x : x.toFixed(1)} ${units[i]}`;
}

/** A share in [0, 1] as a percentage. */
export function fmtPct(v: number | null | undefined, digits = 1): string {
  if (v === null || v === undefined || !Number.isFinite(v)) return DASH;
  return `${(v * 100).toFixed(digits)} %`;
}

/** Milliseconds as a latency: "850 ms", "1.24 s". */
export function fmtMs(v: number | null | undefined): string {
  if (v === null || v === undefined || !Number.isFinite(v)) return DASH;
  if (Math.abs(v) >= 1000) return `${(v / 1000).toFixed(2)} s`;
  return `${v >= 10 ? Math.round(v) : v.toFixed(1)} ms`;
}

/** A duration in words: "45 s", "12 min", "3 h 20 min", "2 d 4 h". */
export function fmtDuration(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms)) return DASH;
  const s = Math.round(Math.abs(ms) / 1000);
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} min`;
  const h = Math.floor(m / 60);
  if (h < 48) return m % 60 ? `${h} h ${m % 60} min` : `${h} h`;
  const d = Math.floor(h / 24);
  return h % 24 ? `${d} d ${h % 24} h` : `${d} d`;
}

const pad = (n: number) => String(n).padStart(2, '0');

/** A local date-time: "2025-03-01 14:05". */
export function fmtTime(ms: number | string | null | undefined): string {
  if (ms === null || ms === undefined) return DASH;
  const t = typeof ms === 'string' ? Date.parse(ms) : ms;
  if (!Number.isFinite(t)) return DASH;
  const d = new Date(t);
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

/** How long ago, relative to `nowMs`: "5 min ago". */
export function fmtAgo(ms: number | string | null | undefined, nowMs: number): string {
  if (ms === null || ms === undefined) return DASH;
  const t = typeof ms === 'string' ? Date.parse(ms) : ms;
  if (!Number.isFinite(t)) return DASH;
  const d = nowMs - t;
  return d >= 0 ? `${fmtDuration(d)} ago` : `in ${fmtDuration(-d)}`;
}

/** A hash shortened for tables: the first 12 characters. */
export function shortHash(h: string | null | undefined): string {
  if (!h) return DASH;
  return h.length > 14 ? `${h.slice(0, 12)}…` : h;
}

/** Words for a cause identifier: `deployment_wrong_model` → "Deployment — wrong model". */
export const CAUSE_LABELS: Record<string, string> = {
  dependency_failure: 'Dependency failure',
  deployment_wrong_model: 'Deployment — wrong model',
  deployment_permissions: 'Deployment — permissions',
  hardware_failure: 'Hardware failure',
  downtime: 'Downtime or crashing',
  data_quality: 'Data collection / processing',
  poor_hyperparameters: 'Poor hyperparameters / overfitting',
  train_serving_skew: 'Train–serving skew',
  covariate_shift: 'Covariate shift',
  label_shift: 'Label / prediction shift',
  concept_drift: 'Concept drift',
  edge_cases: 'Edge cases',
  feedback_loop: 'Degenerate feedback loop',
};

export function causeLabel(cause: string): string {
  return CAUSE_LABELS[cause] ?? cause.replace(/_/g, ' ');
}

/** A finding's or evaluation's figure in its unit: ms as a duration, a share as a percentage, else the number. */
export function fmtFigure(v: number | string | null | undefined, unit: string | null | undefined): string {
  if (v === null || v === undefined) return '–';
  if (typeof v === 'string') return v;
  if (unit === 'ms') return fmtMs(v);
  if (unit === 'share') return fmtPct(v, 2);
  // Counts and unitless figures read as plain numbers.
  return `${fmtSig(v)}${unit && unit !== 'count' && unit !== 'value' && unit !== 'instances' ? ` ${unit}` : ''}`;
}
