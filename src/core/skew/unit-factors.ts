/**
 * @module
 * Known unit and scale relations between a training value t and a serving value s, with the plain words
 * used to explain them: powers of ten (cents vs dollars, grams vs kilograms, ms vs s), time units, imperial
 * vs metric, and the affine temperature scales (°F = 1.8·°C + 32, K = °C + 273.15).
 */

/** `s = slope·t + intercept`, with what it probably means. */
export interface UnitRelation {
  slope: number;
  intercept: number;
  /** Short formula, e.g. `serving = 100 × training`. */
  formula: string;
  /** Plain-words reading, e.g. `serving sends cents, training had dollars`. */
  meaning: string;
}

function scale(slope: number, meaning: string): UnitRelation {
  return { slope, intercept: 0, formula: `serving = ${formatFactor(slope)} × training`, meaning };
}

/** A factor as people write it: 100, 1000, 0.001, 2.54, 1e-6. */
export function formatFactor(x: number): string {
  if (x !== 0 && (Math.abs(x) >= 1e6 || Math.abs(x) < 1e-4)) return x.toExponential().replace('e+', 'e');
  return String(Number(x.toPrecision(6)));
}

/** Relations tried, most common first; a generic power of ten is added for the rest (see `unitRelations`). */
const NAMED: UnitRelation[] = [
  scale(100, 'serving sends cents, training had dollars (or percent vs fraction, cm vs m)'),
  scale(0.01, 'serving sends dollars, training had cents (or fraction vs percent, m vs cm)'),
  scale(1000, 'serving sends grams, training had kilograms (or ms vs s, m vs km)'),
  scale(0.001, 'serving sends kilograms, training had grams (or s vs ms, km vs m)'),
  scale(10, 'serving sends millimetres, training had centimetres (or another ×10 unit)'),
  scale(0.1, 'serving sends centimetres, training had millimetres (or another ÷10 unit)'),
  scale(1e6, 'serving sends micro-units or plain units where training had millions'),
  scale(1e-6, 'serving sends millions or mega-units where training had plain units'),
  scale(60, 'serving sends minutes, training had hours (or seconds vs minutes)'),
  scale(1 / 60, 'serving sends hours, training had minutes (or minutes vs seconds)'),
  scale(3600, 'serving sends seconds, training had hours'),
  scale(1 / 3600, 'serving sends hours, training had seconds'),
  scale(86400, 'serving sends seconds, training had days'),
  scale(1 / 86400, 'serving sends days, training had seconds'),
  scale(86_400_000, 'serving sends milliseconds, training had days'),
  scale(1 / 86_400_000, 'serving sends days, training had milliseconds'),
  scale(2.54, 'serving sends centimetres, training had inches'),
  scale(1 / 2.54, 'serving sends inches, training had centimetres'),
  scale(0.45359237, 'serving sends kilograms, training had pounds'),
  scale(1 / 0.45359237, 'serving sends pounds, training had kilograms'),
  scale(1.609344, 'serving sends kilometres, training had miles'),
  scale(1 / 1.609344, 'serving sends miles, training had kilometres'),
  scale(0.3048, 'serving sends metres, training had feet'),
  scale(1 / 0.3048, 'serving sends feet, training had metres'),
  scale(1024, 'serving sends bytes, training had KiB (or KiB vs MiB)'),
  scale(1 / 1024, 'serving sends KiB, training had bytes (or MiB vs KiB)'),
  scale(-1, 'serving flips the sign of training'),
  {
    slope: 1.8,
    intercept: 32,
    formula: 'serving = 1.8 × training + 32',
    meaning: 'serving sends °F, training had °C',
  },
  {
    slope: 1 / 1.8,
    intercept: -32 / 1.8,
    formula: 'serving = (training − 32) / 1.8',
    meaning: 'serving sends °C, training had °F',
  },
  {
    slope: 1,
    intercept: 273.15,
    formula: 'serving = training + 273.15',
    meaning: 'serving sends kelvin, training had °C',
  },
  {
    slope: 1,
    intercept: -273.15,
    formula: 'serving = training − 273.15',
    meaning: 'serving sends °C, training had kelvin',
  },
];

/**
 * Every relation tried: the named ones, then `serving = 10^k × training` for k = ±1…±9 not named above
 * ("a scale change by 10^k").
 */
export function unitRelations(): UnitRelation[] {
  const out = [...NAMED];
  for (let k = -9; k <= 9; k++) {
    if (k === 0) continue;
    const f = 10 ** k;
    if (out.some((r) => r.intercept === 0 && Math.abs(r.slope - f) <= 1e-12 * f)) continue;
    out.push(scale(f, `a scale change by 10^${k}`));
  }
  return out;
}

/**
 * Whether `s ≈ slope·t + intercept` within a relative tolerance `tol` of the larger magnitude (a 1e-9
 * floor lets 0 match 0). Used per joined pair (feature skew) and per quantile (unit change).
 */
export function follows(relation: UnitRelation, t: number, s: number, tol: number): boolean {
  const predicted = relation.slope * t + relation.intercept;
  return Math.abs(s - predicted) <= tol * Math.max(Math.abs(s), Math.abs(predicted), 1e-9);
}
