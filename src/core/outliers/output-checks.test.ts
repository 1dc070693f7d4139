import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type OutputRecord, parseOutputChecks, runOutputChecks } from './output-checks.js';

describe('parseOutputChecks', () => {
  it('accepts the four kinds', () => {
    const checks = parseOutputChecks([
      { kind: 'range', name: 'price', field: 'value', min: 0, max: 1e6 },
      { kind: 'forbidden-confusion', name: 'cancer', pairs: [{ actual: 'malignant', predicted: 'benign' }] },
      { kind: 'blocklist', name: 'pii', terms: ['SSN', 'password'], wholeWord: true },
      { kind: 'pattern', name: 'card', pattern: '\\b\\d{4}([ -]?\\d{4}){3}\\b' },
    ]);
    expect(checks.map((c) => c.kind)).toEqual(['range', 'forbidden-confusion', 'blocklist', 'pattern']);
  });

  it('names the index, field and reason of a bad check', () => {
    expect(() => parseOutputChecks([{ kind: 'range', name: 'r' }])).toThrow(
      /0: a range check needs min or max/,
    );
    expect(() => parseOutputChecks([{ kind: 'range', name: 'r', min: 5, max: 1 }])).toThrow(/min ≤ max/);
    expect(() => parseOutputChecks([{ kind: 'blocklist', name: 'b', terms: [] }])).toThrow(
      /0\.terms: a blocklist needs/,
    );
    expect(() => parseOutputChecks([{ kind: 'pattern', name: 'p', pattern: '(' }])).toThrow(
      /0\.pattern: not a valid regular expression/,
    );
    expect(() => parseOutputChecks([{ kind: 'nope', name: 'x' }])).toThrow(/0\.kind/);
    expect(() =>
      parseOutputChecks([
        { kind: 'range', name: 'a', min: 0 },
        { kind: 'range', name: 'a', max: 1 },
      ]),
    ).toThrow(/1\.name: duplicate check name 'a'/);
  });
});

describe('runOutputChecks', () => {
  it('flags a regressor outside its plausible range, keeping the input', () => {
    const records: OutputRecord<{ sqft: number }>[] = [
      { id: 'a', input: { sqft: 80 }, output: { value: 250_000 } },
      { id: 'b', input: { sqft: 90 }, output: { value: -5 } },
      { id: 'c', input: { sqft: 70 }, output: { value: Number.NaN } },
      { id: 'd', input: { sqft: 75 }, output: { value: 2e7 } },
    ];
    const report = runOutputChecks(
      records,
      parseOutputChecks([{ kind: 'range', name: 'price', field: 'value', min: 0, max: 1e7 }]),
    );
    expect(report.checks[0]).toEqual({
      check: 'price',
      kind: 'range',
      evaluated: 4,
      violations: 3,
      share: 0.75,
    });
    expect(report.violations.map((v) => [v.id, v.reason, v.input.sqft])).toEqual([
      ['b', 'value -5 is below min 0', 90],
      ['c', 'output value is not a finite number (NaN)', 70],
      ['d', 'value 20000000 is above max 10000000', 75],
    ]);
  });

  it('flags forbidden confusions only where a label is known', () => {
    const checks = parseOutputChecks([
      { kind: 'forbidden-confusion', name: 'cancer', pairs: [{ actual: 'malignant', predicted: 'benign' }] },
    ]);
    const report = runOutputChecks(
      [
        { input: 1, output: 'benign', label: 'malignant' },
        { input: 2, output: 'malignant', label: 'benign' },
        { input: 3, output: 'benign' },
        { input: 4, output: 'benign', label: 'benign' },
      ],
      checks,
    );
    expect(report.checks[0]).toMatchObject({ evaluated: 3, violations: 1 });
    expect(report.violations[0]).toMatchObject({
      index: 0,
      input: 1,
      label: 'malignant',
      reason: "true 'malignant' predicted as 'benign'",
    });
  });

  it('blocklist: case-insensitive substring by default, whole words on request', () => {
    const records = [
      { input: 0, output: 'Your Password is hunter2' },
      { input: 1, output: 'passwords are fine' },
      { input: 2, output: 'ok' },
    ];
    const sub = runOutputChecks(
      records,
      parseOutputChecks([{ kind: 'blocklist', name: 'b', terms: ['password'] }]),
    );
    expect(sub.checks[0]!.violations).toBe(2);
    expect(sub.violations[0]!.reason).toBe("blocked term 'Password' at 5");
    const whole = runOutputChecks(
      records,
      parseOutputChecks([{ kind: 'blocklist', name: 'b', terms: ['password'], wholeWord: true }]),
    );
    expect(whole.checks[0]!.violations).toBe(1);
    const exact = runOutputChecks(
      records,
      parseOutputChecks([{ kind: 'blocklist', name: 'b', terms: ['password'], caseSensitive: true }]),
    );
    expect(exact.violations.map((v) => v.index)).toEqual([1]);
  });

  it('pattern: finds a card number in generated text, ignores non-text outputs', () => {
    const checks = parseOutputChecks([
      { kind: 'pattern', name: 'card', field: 'text', pattern: '\\b\\d{4}([ -]?\\d{4}){3}\\b' },
    ]);
    const report = runOutputChecks(
      [
        { input: 'q1', output: { text: 'use 4111 1111 1111 1111 to pay' } },
        { input: 'q2', output: { text: 'call 555-1234' } },
        { input: 'q3', output: { score: 3 } },
      ],
      checks,
    );
    expect(report.checks[0]).toMatchObject({ evaluated: 2, violations: 1, share: 0.5 });
    expect(report.violations[0]!.reason).toContain("'4111 1111 1111 1111' at 4");
  });

  it('property: counts are exact and kept violations are capped', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: -10, max: 10, noNaN: true })),
        fc.integer({ min: 0, max: 5 }),
        (values, maxKept) => {
          const records = values.map((v, i) => ({ input: i, output: v }));
          const report = runOutputChecks(
            records,
            parseOutputChecks([{ kind: 'range', name: 'r', min: -5, max: 5 }]),
            { maxKept },
          );
          const expected = values.filter((v) => v < -5 || v > 5).length;
          expect(report.checks[0]!.violations).toBe(expected);
          expect(report.violations.length).toBe(Math.min(expected, maxKept));
          expect(report.truncated).toBe(expected > maxKept);
        },
      ),
    );
  });
});
