import { describe, expect, it } from 'vitest';
import { buildReport } from '../../core/report/index.js';
import { tableFromColumns } from '../../core/schema/from-values.js';
import { renderHtml } from './html.js';
import { esc } from './svg.js';

const evil = '<script>alert("x")</script>';
const n = 60;
const reference = tableFromColumns(
  {
    [`col ${evil}`]: Array.from({ length: n }, (_, i) => (i % 2 ? evil : `a&b'${i % 3}`)),
    value: Array.from({ length: n }, (_, i) => i),
  },
  { path: `ref ${evil}.csv` },
);
const current = tableFromColumns(
  {
    [`col ${evil}`]: Array.from({ length: n }, (_, i) => (i % 3 ? evil : 'new "one"')),
    value: Array.from({ length: n }, (_, i) => i * 2),
  },
  { path: 'cur.csv' },
);

describe('renderHtml', () => {
  const html = renderHtml(buildReport(reference, current));

  it('escapes every piece of text that comes from the data', () => {
    expect(html).not.toContain(evil);
    expect(html).toContain(esc(evil));
    expect(html).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;');
    expect(html).not.toMatch(/<script/i);
  });

  it('is one self-contained document: no script, stylesheet link, font or network URL', () => {
    expect(html).not.toMatch(/<script|<link|<img|<iframe|@import|@font-face|url\(|https?:\/\/|\ssrc=/i);
    expect(html).toMatch(/^<!doctype html>/);
    expect(html).toContain('<style>');
  });

  it('draws an overlaid chart for each column: histogram or bars', () => {
    expect((html.match(/<svg class="chart"/g) ?? []).length).toBe(2);
    expect(html).toMatch(/<svg class="chart"[\s\S]*?class="tick">reference<\/text>[\s\S]*?current<\/text>/);
  });

  it('esc covers the five HTML-special characters', () => {
    expect(esc(`&<>"'`)).toBe('&amp;&lt;&gt;&quot;&#39;');
  });
});
