/**
 * `faultline demo` through `main(argv)`: usage errors (exit 2, message and hint, no stack trace) and a short
 * headless run with `--json` on the real collector (the full timeline is `test/demo/demo-headless.test.ts`).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { runCli } from '../testing.js';

afterEach(() => {
  process.exitCode = undefined;
});

const run = (...args: string[]) => runCli(['demo', ...args]);

describe('faultline demo', () => {
  it.each([
    [['--json'], '--json needs --headless'],
    [['--headless', '--seed', 'x'], '--seed must be a whole number'],
    [['--headless', '--hours', '0'], '--hours must be a whole number from 1 to 70'],
    [['--speed', '-1'], '--speed must be a number of seconds'],
    [['--headless', '--start', 'yesterday'], '--start must be an ISO-8601 time'],
    [['--headless', '--port', '70000'], '--port must be a whole number from 0 to 65535'],
  ])('rejects %j with exit 2 and a hint', async (args, message) => {
    const r = await run(...args);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(message);
    expect(r.stderr).toContain('hint:');
    expect(r.stderr).not.toContain('    at ');
  });

  it('plays the first hours headless and reports them as JSON', async () => {
    const r = await run('--headless', '--json', '--hours', '3', '--seed', '11');
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout) as {
      seed: number;
      hours: number;
      start: string;
      passed: boolean;
      total: number;
      failures: unknown[];
      unmatched: unknown[];
      counts: { predictions: number; labels: number; heartbeats: number };
    };
    expect(report).toMatchObject({
      seed: 11,
      hours: 3,
      start: '2025-03-03T00:00:00.000Z',
      passed: true,
      total: 0,
    });
    expect(report.failures).toEqual([]);
    expect(report.unmatched).toEqual([]);
    expect(report.counts.predictions).toBeGreaterThan(2_000);
    expect(report.counts.labels).toBeGreaterThan(1_000);
    expect(report.counts.heartbeats).toBe(3 * 12 * 8);
  }, 60_000);
});
