import { describe, expect, it } from 'vitest';
import { parseOutputChecks, runOutputChecks } from '../../outliers/output-checks.js';
import { evaluateRange, fitRange } from '../../outliers/range.js';
import { seededRng } from '../../rng.js';
import { edgeCaseOutcomes } from './edge-cases.js';

const CTX = { model: 'm', version: 'v1', window: { startMs: 0, endMs: 1, kind: 'sliding' as const } };
const kinds = (o: ReturnType<typeof edgeCaseOutcomes>) =>
  o.map((x) =>
    x.kind === 'finding'
      ? `${x.finding.detector}:${x.finding.subject.feature ?? ''}`
      : `${x.kind}:${x.detector}`,
  );

describe('edgeCaseOutcomes', () => {
  const rng = seededRng(2);
  const ref = fitRange({ x: Array.from({ length: 2000 }, () => rng.next()) });
  const base = { n: 500, expectedShare: 0.01, examples: [], features: ['x'] };

  it('needs a significant and material excess of isolation-forest outliers', () => {
    expect(
      kinds(
        edgeCaseOutcomes(
          { outliers: { ...base, outliers: 5 }, range: null, outputChecks: null, explained: {} },
          CTX,
        ),
      ),
    ).toEqual(['clear:outlier_share']);
    // 2 % is significant at n = 5 000 but not 3× the expected 1 %.
    expect(
      kinds(
        edgeCaseOutcomes(
          { outliers: { ...base, n: 5000, outliers: 100 }, range: null, outputChecks: null, explained: {} },
          CTX,
        ),
      ),
    ).toEqual(['clear:outlier_share']);
    const hit = edgeCaseOutcomes(
      { outliers: { ...base, outliers: 40 }, range: null, outputChecks: null, explained: {} },
      CTX,
    );
    expect(kinds(hit)).toEqual(['outlier_share:']);
    expect(hit[0]).toMatchObject({ kind: 'finding', finding: { cause: 'edge_cases' } });
    // The same share is not an edge case when a unit change of a feature explains it.
    expect(
      kinds(
        edgeCaseOutcomes(
          {
            outliers: { ...base, outliers: 40 },
            range: null,
            outputChecks: null,
            explained: { x: 'a unit change' },
          },
          CTX,
        ),
      ),
    ).toEqual(['clear:outlier_share']);
    expect(
      kinds(
        edgeCaseOutcomes(
          { outliers: { ...base, n: 10, outliers: 5 }, range: null, outputChecks: null, explained: {} },
          CTX,
        ),
      ),
    ).toEqual(['insufficient_data:outlier_share']);
  });

  it('reports features with too many values beyond the reference quantiles, unless explained', () => {
    const window = Array.from({ length: 400 }, (_, i) => (i % 10 === 0 ? 5 + i : rng.next()));
    const range = evaluateRange(ref, { x: window });
    const out = edgeCaseOutcomes({ outliers: null, range, outputChecks: null, explained: {} }, CTX);
    expect(kinds(out)).toEqual(['not_applicable:outlier_share', 'range_tail:x']);
    if (out[1]?.kind !== 'finding') throw new Error('finding expected');
    expect(out[1].finding.evidence.summary).toMatch(/ of `x` values \(\d+ below .*, \d+ above/);
    expect(
      kinds(edgeCaseOutcomes({ outliers: null, range, outputChecks: null, explained: { x: 'drift' } }, CTX)),
    ).toEqual(['not_applicable:outlier_share', 'clear:range_tail']);
  });

  it('reports user output checks that fail', () => {
    const checks = parseOutputChecks([{ kind: 'range', name: 'price', field: 'value', min: 0, max: 1000 }]);
    const report = runOutputChecks(
      [10, 20, 5000, 30].map((v, i) => ({ id: `p${i}`, input: {}, output: { value: v } })),
      checks,
    );
    const out = edgeCaseOutcomes({ outliers: null, range: null, outputChecks: report, explained: {} }, CTX);
    expect(kinds(out)).toEqual(['not_applicable:outlier_share', 'output_checks:']);
    if (out[1]?.kind !== 'finding') throw new Error('finding expected');
    expect(out[1].finding.evidence.summary).toContain('"price" (range) failed for 1 of 4 predictions');
  });
});
