import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  changesSomething,
  currentIntended,
  type IntendedChange,
  intendedAt,
  intendedDuring,
} from './intended-history.js';

const H = 3_600_000;
const T0 = Date.UTC(2025, 2, 3);
const change = (version: string, hour: number, recordedHour = hour): IntendedChange => ({
  version,
  effectiveAtMs: T0 + hour * H,
  recordedAtMs: T0 + recordedHour * H,
});

describe('the intended version over event time', () => {
  // v1 registered at hour 10 (after its traffic began), v2 deployed at hour 20, rolled back to v1 at hour 30.
  const history = [change('v1', 10), change('v2', 20), change('v1', 30)];

  it('is the version of the latest change at or before the time, and the first one since always', () => {
    expect(intendedAt(history, T0)).toEqual({ version: 'v1', sinceMs: null });
    expect(intendedAt(history, T0 + 19 * H)).toEqual({ version: 'v1', sinceMs: null });
    expect(intendedAt(history, T0 + 20 * H)).toEqual({ version: 'v2', sinceMs: T0 + 20 * H });
    expect(intendedAt(history, T0 + 29 * H)).toEqual({ version: 'v2', sinceMs: T0 + 20 * H });
    expect(intendedAt(history, T0 + 45 * H)).toEqual({ version: 'v1', sinceMs: T0 + 30 * H });
    expect(intendedAt([], T0)).toBeNull();
    expect(currentIntended(history)).toBe('v1');
    expect(currentIntended([])).toBeNull();
  });

  it('names every version intended during a window, the one before a deploy in it included', () => {
    expect(intendedDuring(history, T0 + 18 * H, T0 + 19 * H)).toEqual(['v1']);
    expect(intendedDuring(history, T0 + 19 * H, T0 + 21 * H)).toEqual(['v1', 'v2']);
    // A window ending where a change takes effect does not contain it.
    expect(intendedDuring(history, T0 + 19 * H, T0 + 20 * H)).toEqual(['v1']);
    expect(intendedDuring(history, T0, T0 + 50 * H)).toEqual(['v1', 'v2']);
    expect(intendedDuring([], T0, T0 + H)).toEqual([]);
  });

  it('orders a change recorded late by its effective time; the first recorded one stays since always', () => {
    // A correction told at hour 40: v3 was intended from hour 15 to the v2 deploy. And a deploy backdated before
    // the first registration still leaves that first version for the time before it.
    const corrected = [...history, change('v3', 15, 40), change('v0', 5, 41)];
    expect(intendedAt(corrected, T0 + 2 * H)?.version).toBe('v1');
    expect(intendedAt(corrected, T0 + 6 * H)).toEqual({ version: 'v0', sinceMs: T0 + 5 * H });
    expect(intendedAt(corrected, T0 + 16 * H)).toEqual({ version: 'v3', sinceMs: T0 + 15 * H });
    expect(intendedAt(corrected, T0 + 21 * H)?.version).toBe('v2');
    expect(currentIntended(corrected)).toBe('v1');
    // Of two changes taking effect at once, the one recorded last wins.
    expect(intendedAt([change('v1', 0), change('v2', 5), change('v3', 5, 6)], T0 + 5 * H)?.version).toBe(
      'v3',
    );
  });

  it('keeps only changes that alter the version in force', () => {
    expect(changesSomething(history, change('v2', 25))).toBe(false);
    expect(changesSomething(history, change('v1', 35))).toBe(false);
    expect(changesSomething(history, change('v1', 5))).toBe(false);
    expect(changesSomething(history, change('v2', 35))).toBe(true);
    expect(changesSomething([], change('v1', 0))).toBe(true);
  });

  it('agrees with a walk over the changes in effective order', () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ v: fc.constantFrom('a', 'b', 'c'), h: fc.integer({ min: 0, max: 48 }) }), {
          minLength: 1,
          maxLength: 12,
        }),
        fc.integer({ min: -5, max: 55 }),
        (raw, hour) => {
          const changes = raw.map((r, i) => change(r.v, r.h, 100 + i));
          // The version in force: the latest (effective, recorded) change at or before `hour`, else the first one.
          let best = 0;
          for (let i = 1; i < changes.length; i++) {
            const c = changes[i]!;
            const b = changes[best]!;
            const at = T0 + hour * H;
            if (c.effectiveAtMs <= at && (best === 0 || c.effectiveAtMs >= b.effectiveAtMs)) best = i;
          }
          expect(intendedAt(changes, T0 + hour * H)?.version).toBe(changes[best]!.version);
          // Each version intended in a window is in force at its start or at one of its changes' times.
          const during = intendedDuring(changes, T0 + hour * H, T0 + (hour + 3) * H);
          expect(during[0]).toBe(changes[best]!.version);
          for (const v of during)
            expect(
              [T0 + hour * H, ...changes.map((c) => c.effectiveAtMs)]
                .filter((t) => t >= T0 + hour * H && t < T0 + (hour + 3) * H)
                .some((t) => intendedAt(changes, t)?.version === v),
            ).toBe(true);
        },
      ),
      { numRuns: 300 },
    );
  });
});
