import { describe, expect, it } from 'vitest';
import { buildReport } from '../../core/report/index.js';
import { tableFromColumns } from '../../core/schema/from-values.js';
import { renderTerminal } from './terminal.js';

const reference = tableFromColumns({
  x: Array.from({ length: 200 }, (_, i) => i % 20),
  c: Array.from({ length: 200 }, (_, i) => 'ab'[i % 2]!),
});
const current = tableFromColumns({
  x: Array.from({ length: 200 }, (_, i) => 40 + (i % 20)),
  c: Array.from({ length: 200 }, (_, i) => 'ab'[i % 2]!),
});

describe('renderTerminal', () => {
  const report = buildReport(reference, current);

  it('prints the verdict and a drift table, drifted columns first, without colour when not asked', () => {
    const text = renderTerminal(report, { color: false });
    expect(text).not.toContain('\x1b[');
    expect(text).toMatch(
      /Dataset: DRIFTED — 1 of 2 tested feature columns drifted \(50\.0%; the dataset drifts at 50\.0%\)/,
    );
    const x = text.indexOf('\n  x ');
    const c = text.indexOf('\n  c ');
    expect(x).toBeGreaterThan(0);
    expect(x).toBeLessThan(c);
    expect(text).toMatch(/x\s+numerical\s+ks\s+p=\S+\s+p ≤ 0\.05\s+DRIFT/);
  });

  it('colours drift red when asked', () => {
    const text = renderTerminal(report, { color: true });
    expect(text).toContain('\x1b[31m');
  });

  it('caps long tables and says how many rows are left out', () => {
    const text = renderTerminal(report, { color: false, maxRows: 1 });
    expect(text).toContain('… 1 more feature columns');
  });
});
