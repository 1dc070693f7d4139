import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { TEST_T0 } from '../testing.js';
import {
  type EngineCollector,
  FixedWindowAnalyzer,
  latencyScript,
  MIN,
  send,
  startEngineCollector,
  W,
} from './pipeline-testing.js';
import { isLive, quietUntil } from './scheduler.js';

let open: EngineCollector[] = [];
afterEach(async () => {
  await Promise.all(open.map((c) => c.close()));
  open = [];
});

/** Model churn with 5-minute buckets and no lateness, the clock at `clockMs`. */
async function churnAt(clockMs: number, idleAfterMs?: number): Promise<EngineCollector> {
  const c = await startEngineCollector({
    analyzer: new FixedWindowAnalyzer(latencyScript),
    ...(idleAfterMs === undefined ? {} : { idleAfterMs }),
  });
  open.push(c);
  c.clock.set(clockMs);
  const r = await c.call({
    method: 'POST',
    url: '/v1/models',
    payload: { name: 'churn', allowedLatenessMs: 0, windowMs: 3_600_000, bucketMs: W },
  });
  expect(r.statusCode).toBe(201);
  return c;
}

const ends = (runs: { windows: { endMs: number; startMs: number }[] }[]) =>
  runs.flatMap((r) =>
    r.windows.filter((w) => w.endMs - w.startMs === W).map((w) => (w.endMs - TEST_T0) / MIN),
  );

describe('a live model that goes quiet', () => {
  it('has its windows closed on the wall clock after a minute of silence, one bucket at a time', async () => {
    const c = await churnAt(TEST_T0 + 30 * MIN + 5000);
    await send(c, 0, 30); // the last event at 29:01
    expect(ends(await c.engine.scheduler.tick())).toEqual([5, 10, 15, 20, 25]);
    c.clock.advance(59_000);
    expect(await c.engine.scheduler.tick()).toEqual([]); // quiet for less than a minute
    c.clock.advance(1_000);
    // Quiet for a minute since the watermark (29:01) moved: event time 30:01, the window 25–30 closes.
    expect(ends(await c.engine.scheduler.tick())).toEqual([30]);
    c.clock.advance(20 * MIN);
    expect(ends(await c.engine.scheduler.tick())).toEqual([35, 40, 45, 50]);
    // Traffic comes back: the watermark leads again, from the newest event (61:01) on.
    c.clock.advance(10 * MIN);
    await send(c, 60, 62);
    expect(ends(await c.engine.scheduler.tick())).toEqual([55, 60]);
  });

  it('does not apply to a model fed old events (a back-fill), nor when turned off', async () => {
    for (const [clock, idle] of [
      [TEST_T0 + 2 * 86_400_000, undefined],
      [TEST_T0 + 30 * MIN, 0],
    ] as const) {
      const c = await churnAt(clock, idle);
      await send(c, 0, 30);
      expect(ends(await c.engine.scheduler.tick())).toEqual([5, 10, 15, 20, 25]);
      c.clock.advance(3 * 3_600_000);
      expect(await c.engine.scheduler.tick()).toEqual([]);
    }
  });
});

describe('quietUntil', () => {
  it('is the watermark plus the quiet time once quiet long enough, never earlier than the watermark', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 1e12 }),
        fc.integer({ min: 0, max: 1e9 }),
        fc.integer({ min: 0, max: 1e9 }),
        fc.integer({ min: 1, max: 1e7 }),
        fc.boolean(),
        (watermark, atWallMs, quiet, idle, live) => {
          const until = quietUntil({ watermark, atWallMs, live }, atWallMs + quiet, idle);
          if (!live || quiet < idle) expect(until).toBeNull();
          else expect(until).toBe(watermark + quiet);
        },
      ),
    );
  });

  it('calls a model live when its newest event is within the lateness plus a bucket of the wall clock', () => {
    const model = { latestEventMs: 1_000_000, allowedLatenessMs: 600_000, bucketMs: 300_000 };
    const live = (now: number) => isLive(model as never, now);
    expect(live(1_000_000 + 900_000)).toBe(true);
    expect(live(1_000_000 + 900_001)).toBe(false);
    expect(isLive({ ...model, latestEventMs: null } as never, 0)).toBe(false);
  });
});
