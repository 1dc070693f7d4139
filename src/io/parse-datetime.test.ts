import { describe, expect, it } from 'vitest';
import { parseDateTimeBytes } from './parse-datetime.js';

const parse = (s: string) => {
  const b = new TextEncoder().encode(s);
  return parseDateTimeBytes(b, 0, b.length);
};

describe('parseDateTimeBytes', () => {
  it.each([
    ['2001-01-01', Date.UTC(2001, 0, 1)],
    ['2001/06/30', Date.UTC(2001, 5, 30)],
    ['2001-01-01 00:01', Date.UTC(2001, 0, 1, 0, 1)],
    ['2024-02-29T23:59:58', Date.UTC(2024, 1, 29, 23, 59, 58)],
    ['2024-02-29T23:59:58.123456', Date.UTC(2024, 1, 29, 23, 59, 58, 123)],
    ['2024-03-01T10:00:00Z', Date.UTC(2024, 2, 1, 10)],
    ['2024-03-01T10:00:00+02:00', Date.UTC(2024, 2, 1, 8)],
    ['2024-03-01T10:00:00-0530', Date.UTC(2024, 2, 1, 15, 30)],
    ['2024-03-01T10:00+01', Date.UTC(2024, 2, 1, 9)],
  ])('reads %j', (text, ms) => {
    expect(parse(text)).toBe(ms);
  });

  it.each([
    '2001-13-01',
    '2001-02-29',
    '2023-04-31',
    '2001-01-01 24:00',
    '2001-01-01 10:60',
    '2001-01-01X10:00',
    '2001-01-01 10:00:00.',
    '2001-01-01T10:00:00+2',
    '01/02/2001',
    '20010101',
    '2001-1-1',
    'tomorrow',
  ])('rejects %j', (text) => {
    expect(parse(text)).toBeUndefined();
  });
});
