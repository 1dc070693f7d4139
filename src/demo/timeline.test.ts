import { describe, expect, it } from 'vitest';
import type { InjectedFailure } from './timeline.js';
import { activeEffect, activeFailures, FAILURES, TIMELINE_HOURS, timelineProblems } from './timeline.js';

describe('the demo timeline', () => {
  it('is sound: inside the run, no overlaps, failures of one model apart', () => {
    expect(timelineProblems()).toEqual([]);
  });

  it('injects each failure once, each effect kind once, covering every cause but label shift', () => {
    expect(FAILURES).toHaveLength(13);
    expect(new Set(FAILURES.map((f) => f.effect.kind)).size).toBe(13);
    expect(new Set(FAILURES.map((f) => f.id)).size).toBe(13);
    // Two failures are dependency failures (a broken package, a down upstream); every other cause appears once.
    const causes = FAILURES.map((f) => f.cause).sort();
    expect(causes).toEqual(
      [
        'concept_drift',
        'covariate_shift',
        'data_quality',
        'dependency_failure',
        'dependency_failure',
        'deployment_permissions',
        'deployment_wrong_model',
        'downtime',
        'edge_cases',
        'feedback_loop',
        'hardware_failure',
        'poor_hyperparameters',
        'train_serving_skew',
      ].sort(),
    );
  });

  it('leaves clean stretches: the first failure starts after a warm-up and the run ends with a clean tail', () => {
    const first = Math.min(...FAILURES.map((f) => f.startHour));
    const last = Math.max(...FAILURES.map((f) => f.endHour));
    expect(first).toBeGreaterThanOrEqual(6);
    expect(TIMELINE_HOURS - last).toBeGreaterThanOrEqual(4);
  });

  it('finds the active effect only inside its span and on its model', () => {
    const f = FAILURES.find((x) => x.id === 'overheating-host')!;
    expect(activeEffect('daily-high', f.startHour, 'overheating')).toEqual(f.effect);
    expect(activeEffect('daily-high', f.endHour - 0.01, 'overheating')).toEqual(f.effect);
    expect(activeEffect('daily-high', f.endHour, 'overheating')).toBeNull();
    expect(activeEffect('daily-high', f.startHour - 0.01, 'overheating')).toBeNull();
    expect(activeEffect('flight-delays', f.startHour + 1, 'overheating')).toBeNull();
    expect(activeFailures('home-feed', 0)).toEqual([]);
  });

  it('reports overlapping, crowded and out-of-range failures', () => {
    const base = FAILURES[0]!;
    const at = (id: string, startHour: number, endHour: number, model = base.model): InjectedFailure => ({
      ...base,
      id,
      model,
      startHour,
      endHour,
    });
    expect(timelineProblems([at('a', 8, 11), at('b', 10, 12, 'daily-high')])).toEqual(['a and b overlap']);
    expect(timelineProblems([at('a', 8, 11), at('b', 12, 14)])).toEqual([
      'a and b (both flight-delays) are less than 4 hours apart',
    ]);
    expect(timelineProblems([at('a', 0, 2)])).toEqual([
      'a: must start after hour 1 and end 3 hours before the end (70)',
    ]);
    expect(timelineProblems([at('a', 8, 11), at('a', 20, 22)])).toEqual(['failure id "a" is used twice']);
  });
});
