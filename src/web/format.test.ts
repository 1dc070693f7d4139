import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isSafeHref } from './dom.js';
import {
  causeLabel,
  DASH,
  fmtBytes,
  fmtDuration,
  fmtMs,
  fmtNum,
  fmtPct,
  fmtSig,
  shortHash,
} from './format.js';

describe('formatting', () => {
  it('reads missing and non-finite values as a dash, never NaN', () => {
    for (const f of [fmtNum, fmtPct, fmtMs, fmtDuration, fmtSig, fmtBytes])
      for (const v of [null, undefined, Number.NaN, Number.POSITIVE_INFINITY]) expect(f(v)).toBe(DASH);
    fc.assert(
      fc.property(fc.double(), (v) => {
        expect(`${fmtNum(v)}${fmtPct(v)}${fmtMs(v)}${fmtSig(v)}`).not.toMatch(/NaN|undefined/);
      }),
    );
  });

  it('writes numbers the way an on-call engineer reads them', () => {
    expect(fmtNum(12345.6)).toBe('12,346');
    expect(fmtNum(0.12345, 3)).toBe('0.123');
    expect(fmtPct(0.0834)).toBe('8.3 %');
    expect(fmtMs(850)).toBe('850 ms');
    expect(fmtMs(1240)).toBe('1.24 s');
    expect(fmtDuration(3 * 3_600_000 + 20 * 60_000)).toBe('3 h 20 min');
    expect(fmtDuration(52 * 3_600_000)).toBe('2 d 4 h');
    expect(fmtSig(10.8204)).toBe('10.82');
    expect(fmtBytes(2.1e9)).toBe('2.0 GiB');
    expect(shortHash('sha256:0123456789abcdef')).toBe('sha256:01234…');
    expect(causeLabel('deployment_wrong_model')).toBe('Deployment — wrong model');
    expect(causeLabel('something_new')).toBe('something new');
  });

  it('lets only in-app, same-origin or http(s) links through', () => {
    expect(isSafeHref('#/models/churn')).toBe(true);
    expect(isSafeHref('/openapi.json')).toBe(true);
    expect(isSafeHref('https://example.org/')).toBe(true);
    expect(isSafeHref('javascript:alert(1)')).toBe(false);
    expect(isSafeHref(' JavaScript:alert(1)')).toBe(false);
    expect(isSafeHref('//evil.example/')).toBe(false);
    expect(isSafeHref('data:text/html,x')).toBe(false);
  });
});
