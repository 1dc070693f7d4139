/**
 * @module
 * Number and time formatting for evidence sentences ("p99 latency 2 340 ms on instance web-3"). Pure: times are
 * formatted from their epoch value, never from the clock.
 */

/** Groups thousands with a space: 2340 → "2 340"; keeps `digits` decimals below 100. */
export function formatNumber(x: number, digits = 1): string {
  if (!Number.isFinite(x)) return String(x);
  const abs = Math.abs(x);
  const fixed = abs >= 100 || Number.isInteger(x) ? Math.round(x).toString() : x.toFixed(digits);
  return fixed.replace(/\B(?=(\d{3})+(?!\d))/g, ' ');
}

/** Milliseconds as "2 340 ms". */
export function formatMs(ms: number): string {
  return `${formatNumber(ms, 1)} ms`;
}

/** A duration as "4 min 10 s", "1 h 5 min" or "850 ms". */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s} s`;
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const rest = s % 60;
  if (h > 0) return m > 0 ? `${h} h ${m} min` : `${h} h`;
  return rest > 0 ? `${m} min ${rest} s` : `${m} min`;
}

/** An event time as "2025-01-01 10:05:12 UTC". */
export function formatTime(ms: number): string {
  return `${new Date(ms).toISOString().slice(0, 19).replace('T', ' ')} UTC`;
}

/** A share in [0, 1] as a percentage: 0.0123 → "1.23 %", 0.5 → "50 %". */
export function formatShare(p: number): string {
  const pct = p * 100;
  if (pct === 0) return '0 %';
  if (pct >= 10) return `${formatNumber(Math.round(pct * 10) / 10, 1)} %`;
  return `${pct.toPrecision(3).replace(/\.?0+$/, '')} %`;
}

/** A ratio as "4.1×". */
export function formatRatio(r: number): string {
  return `${r >= 10 ? Math.round(r) : r.toFixed(1)}×`;
}
