import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseNumberBytes, parseNumberString } from './parse-number.js';

const bytes = (s: string) => new TextEncoder().encode(s);
const parse = (s: string) => parseNumberBytes(bytes(s), 0, bytes(s).length);

describe('parseNumberBytes', () => {
  it.each([
    ['0', 0],
    ['-0', -0],
    ['42', 42],
    ['+7', 7],
    ['-12.5', -12.5],
    ['.5', 0.5],
    ['5.', 5],
    ['1e3', 1000],
    ['1E-3', 0.001],
    ['-2.5e+2', -250],
    [' 3.25 ', 3.25],
    ['007', 7],
    ['12345678901234567890', 1.2345678901234567e19],
    ['0.1', 0.1],
    ['123.456e-30', 123.456e-30],
  ])('reads %j as %d', (text, value) => {
    expect(Object.is(parse(text), value)).toBe(true);
  });

  it.each([
    '',
    ' ',
    '-',
    '.',
    'e5',
    '1e',
    '1e+',
    '1.2.3',
    '12abc',
    'NaN',
    'inf',
    '0x10',
    '1,5',
    '--1',
    '1e400',
  ])('rejects %j', (text) => {
    expect(parse(text)).toBeNaN();
  });

  it('equals Number() on every double printed by JS (property)', () => {
    fc.assert(
      fc.property(fc.double({ noNaN: true, noDefaultInfinity: true }), (x) => {
        for (const text of [String(x), x.toExponential(), x.toFixed(Math.abs(x) < 1e20 ? 6 : 0)]) {
          if (!Number.isFinite(Number(text))) continue;
          expect(Object.is(parse(text), Number(text)) || (parse(text) === 0 && Number(text) === 0)).toBe(
            true,
          );
        }
      }),
      { numRuns: 2000 },
    );
  });

  it('equals Number() on short decimal strings (property)', () => {
    const decimal = fc
      .tuple(
        fc.boolean(),
        fc.stringMatching(/^\d{1,18}$/),
        fc.stringMatching(/^\d{0,18}$/),
        fc.integer({ min: -40, max: 40 }),
      )
      .map(([neg, a, b, e]) => `${neg ? '-' : ''}${a}${b ? `.${b}` : ''}${e !== 0 ? `e${e}` : ''}`);
    fc.assert(
      fc.property(decimal, (text) => {
        expect(parse(text)).toBe(Number(text));
      }),
      { numRuns: 3000 },
    );
  });

  it('parseNumberString shares the grammar', () => {
    expect(parseNumberString(' -1.5e2 ')).toBe(-150);
    expect(parseNumberString('1,5')).toBeNaN();
    expect(parseNumberString('')).toBeNaN();
  });
});
