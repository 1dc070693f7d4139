/**
 * @module
 * Accuracy estimated from the model's own scores before labels arrive — the confidence-based idea behind CBPE
 * (methods.md 5.1) without its calibration step: for each sampled prediction with class probabilities, the
 * chance it is right is the probability of the class it chose, and the estimate is their mean over the window's
 * sample. If each row is right with probability q_i, the row outcome has variance p̄(1 − p̄) overall (law of total
 * variance), so the band is p̄ ± 3·sqrt(p̄(1 − p̄)/m) over m sampled rows (the ± 3 SE of methods.md 5.1),
 * clipped to [0, 1]. It is only as good as the scores are calibrated; the realised line shows when it is not.
 */
import type { WindowSummary } from '../../core/contract/index.js';
import type { BandedSeries } from './series.js';

interface SampleRow {
  output?: { class?: unknown; probabilities?: Record<string, number> } | null;
}

/** The probability of the chosen class, or null for a row without probabilities. */
export function chosenProbability(output: SampleRow['output']): number | null {
  const probs = output?.probabilities;
  if (!probs) return null;
  const entries = Object.entries(probs).filter(([, p]) => Number.isFinite(p));
  if (entries.length === 0) return null;
  if (output?.class !== undefined && output.class !== null) {
    const p = probs[String(output.class)];
    if (p !== undefined && Number.isFinite(p)) return p;
    // A binary model listing only the other class's probability.
    if (entries.length === 1) return 1 - entries[0]![1];
  }
  // One probability (of the positive class) means a binary model choosing the likelier side.
  if (entries.length === 1) return Math.max(entries[0]![1], 1 - entries[0]![1]);
  return Math.max(...entries.map(([, p]) => p));
}

/** Estimated accuracy per window with its band, from each window's sample; null where no row has scores. */
export function estimatedAccuracySeries(groups: readonly WindowSummary[][]): BandedSeries {
  const out: BandedSeries = { value: [], lower: [], upper: [], n: [] };
  for (const g of groups) {
    let m = 0;
    let sum = 0;
    for (const w of g)
      for (const r of (w.sample?.rows ?? []) as SampleRow[]) {
        const q = chosenProbability(r.output ?? null);
        if (q === null) continue;
        m += 1;
        sum += q;
      }
    if (m === 0) {
      out.value.push(null);
      out.lower.push(null);
      out.upper.push(null);
      out.n.push(0);
      continue;
    }
    const p = sum / m;
    const half = 3 * Math.sqrt((p * (1 - p)) / m);
    out.value.push(p);
    out.lower.push(Math.max(0, p - half));
    out.upper.push(Math.min(1, p + half));
    out.n.push(m);
  }
  return out;
}
