import { describe, expect, it } from 'vitest';
import { buildReport } from '../../core/report/index.js';
import { seededRng } from '../../core/rng.js';
import { tableFromColumns } from '../../core/schema/from-values.js';
import { detectorsHtml } from './detectors-html.js';
import { renderHtml } from './html.js';
import { renderTerminal } from './terminal.js';

describe('detector sections in HTML', () => {
  const rng = seededRng(3);
  const n = 400;
  const evil = '<script>alert(1)</script>';
  const side = (shift: number) =>
    tableFromColumns({
      [`a${evil}`]: Array.from({ length: n }, (_, i) => (i === 7 && shift > 0 ? 50 : rng.next())),
      b: Array.from({ length: n }, () => rng.next() + shift),
      key: Array.from({ length: n }, (_, i) => `${evil}${i}`),
      note: Array.from({ length: n }, (_, i) => `${evil} words ${i % 9} & more`),
    });
  const report = buildReport(side(0), side(0.01), {
    id: 'key',
    columnSettings: new Map([['note', { kind: 'text' }]]),
  });

  it('escapes column names, ids and text from the data', () => {
    const html = detectorsHtml(report);
    for (const h of ['Text columns', 'Multivariate drift', 'Edge cases'])
      expect(html).toContain(`<h2>${h}</h2>`);
    expect(html).not.toContain('<script');
    expect(html).toContain('&lt;script&gt;');
    expect(renderHtml(report)).not.toContain('<script');
  });

  it('keeps a far-away current row among the most anomalous, with its escaped id', () => {
    expect(report.edgeCases!.top.map((t) => t.row)).toContain(8);
    expect(detectorsHtml(report)).toContain(`<td>${'&lt;script&gt;alert(1)&lt;/script&gt;7'}</td>`);
  });

  it('renders nothing for a report without detector sections', () => {
    expect(
      detectorsHtml({ ...report, multivariate: null, edgeCases: null, text: [], estimatedPerformance: null }),
    ).toBe('');
    const plain = renderTerminal(
      { ...report, multivariate: null, edgeCases: null, text: [], estimatedPerformance: null },
      { color: false },
    );
    expect(plain).not.toContain('Edge cases');
    expect(renderTerminal(report, { color: false })).toContain('Edge cases');
  });
});
