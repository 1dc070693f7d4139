import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Cause } from '../core/findings/finding.js';
import type { IncidentSummary } from './score.js';
import { scoreRun } from './score.js';
import { FAILURES, HOUR_MS, WINDOW_MS } from './timeline.js';

const T0 = Date.UTC(2025, 2, 3);

function incident(id: string, model: string, openedHour: number, topCause: Cause | null): IncidentSummary {
  return {
    id,
    model,
    expectationId: 'accuracy',
    onsetMs: T0 + (openedHour - 1) * HOUR_MS,
    openedAtMs: T0 + openedHour * HOUR_MS,
    status: 'resolved',
    topCause,
    topScore: topCause === null ? null : 0.8,
    topCauseAtOpen: topCause,
    summary: 'accuracy fell',
  };
}

describe('scoreRun', () => {
  const upgrade = FAILURES.find((f) => f.id === 'dependency-upgrade')!;

  it('matches an incident on the same model opened within the span plus one window', () => {
    for (const h of [upgrade.startHour, upgrade.endHour, upgrade.endHour + 1]) {
      const s = scoreRun([upgrade], [incident('i', upgrade.model, h, 'dependency_failure')], T0, WINDOW_MS);
      expect(s.failures[0]!.found).toBe(true);
      expect(s.failures[0]!.correct).toBe(true);
      expect(s.failures[0]!.detectionDelayMs).toBe((h - upgrade.startHour) * HOUR_MS);
      expect(s.unmatched).toEqual([]);
      expect(s.passed).toBe(true);
    }
  });

  it('leaves incidents outside the span, or on another model, unmatched', () => {
    const early = incident('early', upgrade.model, upgrade.startHour - 1, 'dependency_failure');
    const late = incident('late', upgrade.model, upgrade.endHour + 2, 'dependency_failure');
    const other = incident('other', 'daily-high', upgrade.startHour + 1, 'dependency_failure');
    const s = scoreRun([upgrade], [late, other, early], T0, WINDOW_MS);
    expect(s.failures[0]!.found).toBe(false);
    expect(s.failures[0]!.detectionDelayMs).toBeNull();
    expect(s.unmatched.map((i) => i.id)).toEqual(['early', 'other', 'late']);
    expect(s.passed).toBe(false);
  });

  it('is correct only when every matched incident ranks the injected cause first', () => {
    const right = incident('a', upgrade.model, upgrade.startHour + 1, 'dependency_failure');
    const wrong = incident('b', upgrade.model, upgrade.startHour + 2, 'data_quality');
    const none = incident('c', upgrade.model, upgrade.startHour + 2, null);
    expect(scoreRun([upgrade], [right], T0, WINDOW_MS).correct).toBe(1);
    const mixed = scoreRun([upgrade], [wrong, right], T0, WINDOW_MS);
    expect(mixed.found).toBe(1);
    expect(mixed.correct).toBe(0);
    expect(mixed.failures[0]!.incidents.map((i) => i.id)).toEqual(['a', 'b']);
    expect(scoreRun([upgrade], [none], T0, WINDOW_MS).correct).toBe(0);
  });

  it('puts every incident in exactly one place, and does not depend on where the run starts', () => {
    const models = ['flight-delays', 'daily-high', 'home-feed'] as const;
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            model: fc.constantFrom(...models),
            hour: fc.integer({ min: 0, max: 66 }),
            right: fc.boolean(),
          }),
          { maxLength: 30 },
        ),
        fc.integer({ min: -1000, max: 1000 }),
        (specs, shiftHours) => {
          const incidents = specs.map((s, i) =>
            incident(`i${i}`, s.model, s.hour, s.right ? 'dependency_failure' : 'covariate_shift'),
          );
          const s = scoreRun(FAILURES, incidents, T0, WINDOW_MS);
          const placed = [...s.failures.flatMap((f) => f.incidents), ...s.unmatched].map((i) => i.id).sort();
          expect(placed).toEqual(incidents.map((i) => i.id).sort());
          expect(s.correct).toBeLessThanOrEqual(s.found);
          expect(s.found).toBeLessThanOrEqual(s.total);
          const shift = shiftHours * HOUR_MS;
          const moved = incidents.map((i) => ({
            ...i,
            onsetMs: i.onsetMs + shift,
            openedAtMs: i.openedAtMs + shift,
          }));
          const t = scoreRun(FAILURES, moved, T0 + shift, WINDOW_MS);
          expect(t.failures.map((f) => [f.found, f.correct, f.incidents.length])).toEqual(
            s.failures.map((f) => [f.found, f.correct, f.incidents.length]),
          );
          expect(t.unmatched.map((i) => i.id)).toEqual(s.unmatched.map((i) => i.id));
        },
      ),
    );
  });
});
