/**
 * Concentration of exposure across a catalogue (methods.md §8): how evenly a recommender shows its items.
 * Exposure is impressions, not clicks. Every function takes one count per catalogue item, zero-exposure items
 * included — leaving them out makes any recommender look fair; `catalogueCounts` builds that vector.
 */

function checkCounts(counts: readonly number[], fn: string): number {
  let total = 0;
  for (let i = 0; i < counts.length; i++) {
    const c = counts[i]!;
    if (!(c >= 0 && Number.isFinite(c)))
      throw new RangeError(`${fn}: counts[${i}] must be a finite number ≥ 0, got ${c}.`);
    total += c;
  }
  return total;
}

/**
 * Exposure counts for every catalogue item (0 for those never shown), in catalogue order, followed by any
 * exposed item missing from the catalogue (so nothing is silently dropped).
 */
export function catalogueCounts(
  exposures: ReadonlyMap<string, number> | Readonly<Record<string, number>>,
  catalogue: readonly string[],
): number[] {
  const m = exposures instanceof Map ? exposures : new Map(Object.entries(exposures));
  const out = catalogue.map((id) => m.get(id) ?? 0);
  const known = new Set(catalogue);
  for (const [id, c] of m) if (!known.has(id)) out.push(c);
  return out;
}

/**
 * Gini index of exposure `G = Σ_i (2i − n − 1)·x_(i) / (n·Σx)` over counts sorted ascending (i from 1).
 * 0 = every item shown equally; (n − 1)/n = everything on one item. Null when there is no exposure at all
 * or the catalogue is empty.
 */
export function exposureGini(counts: readonly number[]): number | null {
  const total = checkCounts(counts, 'exposureGini');
  const n = counts.length;
  if (n === 0 || total === 0) return null;
  const sorted = [...counts].sort((a, b) => a - b);
  let acc = 0;
  for (let i = 0; i < n; i++) acc += (2 * (i + 1) - n - 1) * sorted[i]!;
  return acc / (n * total);
}

/** Catalogue coverage (aggregate diversity): share of catalogue items shown at least once. Null for n = 0. */
export function catalogueCoverage(counts: readonly number[]): number | null {
  checkCounts(counts, 'catalogueCoverage');
  if (counts.length === 0) return null;
  return counts.filter((c) => c > 0).length / counts.length;
}

/** Shannon entropy of the exposure shares in bits, `−Σ p log2 p` (0·log 0 = 0). Null without exposure. */
export function exposureEntropy(counts: readonly number[]): number | null {
  const total = checkCounts(counts, 'exposureEntropy');
  if (total === 0) return null;
  let h = 0;
  for (const c of counts) {
    if (c === 0) continue;
    const p = c / total;
    h -= p * Math.log2(p);
  }
  return h;
}

/** Herfindahl–Hirschman index of exposure shares, `Σ p²`: 1/n when uniform, 1 when on one item. */
export function exposureHhi(counts: readonly number[]): number | null {
  const total = checkCounts(counts, 'exposureHhi');
  if (total === 0) return null;
  let h = 0;
  for (const c of counts) h += (c / total) ** 2;
  return h;
}

/**
 * Share of all exposure taken by the top `fraction` of the catalogue (e.g. 0.01 = top 1 % of items), the
 * number of items being `ceil(fraction · n)` (at least 1; a float error of 1e-9 is forgiven so 0.01 · 300 is 3).
 */
export function topShare(counts: readonly number[], fraction: number): number | null {
  const total = checkCounts(counts, 'topShare');
  if (!(fraction > 0 && fraction <= 1))
    throw new RangeError(`topShare: fraction must be in (0, 1], got ${fraction}.`);
  if (total === 0) return null;
  const k = Math.max(1, Math.ceil(fraction * counts.length - 1e-9));
  const sorted = [...counts].sort((a, b) => b - a);
  let top = 0;
  for (let i = 0; i < k; i++) top += sorted[i]!;
  return top / total;
}

export interface ExposureSummary {
  items: number;
  impressions: number;
  gini: number | null;
  coverage: number | null;
  entropyBits: number | null;
  hhi: number | null;
  /** Share of the top 1 % and top 10 % of items. */
  top1PctShare: number | null;
  top10PctShare: number | null;
}

/** Every concentration figure of one window at once. */
export function exposureSummary(counts: readonly number[]): ExposureSummary {
  const impressions = checkCounts(counts, 'exposureSummary');
  return {
    items: counts.length,
    impressions,
    gini: exposureGini(counts),
    coverage: catalogueCoverage(counts),
    entropyBits: exposureEntropy(counts),
    hhi: exposureHhi(counts),
    top1PctShare: counts.length === 0 ? null : topShare(counts, 0.01),
    top10PctShare: counts.length === 0 ? null : topShare(counts, 0.1),
  };
}
