import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { loadConfig } from '../../server/config.js';
import { startCollector } from '../../server/main.js';
import { main } from '../main.js';

const dir = mkdtempSync(join(tmpdir(), 'faultline-serve-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function run(...args: string[]): Promise<{ code: number; err: string }> {
  let err = '';
  const e = vi.spyOn(process.stderr, 'write').mockImplementation((s) => {
    err += String(s);
    return true;
  });
  try {
    return { code: await main(['node', 'faultline', ...args]), err };
  } finally {
    e.mockRestore();
  }
}

describe('faultline serve: evaluation options', () => {
  it('refuses a bad expectations file before starting, with the located error', async () => {
    const bad = join(dir, 'bad.yaml');
    writeFileSync(
      bad,
      'version: 1\nmodels:\n  churn:\n    expectations:\n      - id: a\n        metric: acuracy\n',
    );
    const r = await run('serve', '--db', join(dir, 'a.db'), '--port', '0', '--expectations', bad);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/^faultline: --expectations:\n/);
    expect(r.err).toMatch(/bad\.yaml:6:17: `metric` must be one of the metric ids .*did you mean "accuracy"/);
  });

  it('refuses an alert webhook that is not an http(s) URL', async () => {
    const r = await run(
      'serve',
      '--db',
      join(dir, 'b.db'),
      '--port',
      '0',
      '--alert-webhook',
      'ftp://example.com/x',
    );
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/--alert-webhook "ftp:\/\/example\.com\/x": only http and https/);
  });

  it('starts the engine with the collector: the scheduler evaluates windows as the watermark passes them', async () => {
    const lines: string[] = [];
    const collector = await startCollector(loadConfig({ db: join(dir, 'c.db'), port: 0 }, {}), {
      engine: { alertsDryRun: true, print: (l) => lines.push(l), log: (l) => lines.push(l), intervalMs: 50 },
    });
    try {
      const token = collector.adminToken?.token ?? '';
      const h = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
      const t0 = Date.UTC(2025, 0, 1);
      await fetch(`${collector.url}/v1/models`, {
        method: 'POST',
        headers: h,
        body: JSON.stringify({ name: 'm', allowedLatenessMs: 0, windowMs: 300_000 }),
      });
      const events = Array.from({ length: 400 }, (_, i) => ({
        id: `p${i}`,
        timestamp: t0 + i * 1000,
        version: 'v1',
        features: { x: i % 7 },
        latencyMs: i < 300 ? 30 : 3000,
      }));
      const r = await fetch(`${collector.url}/v1/models/m/predictions`, {
        method: 'POST',
        headers: h,
        body: JSON.stringify(events),
      });
      expect((await r.json()).accepted).toBe(400);
      // The watermark (t0 + 399 s) has passed the first 5-minute window: the scheduler evaluates it by itself.
      let state = '';
      for (let i = 0; i < 100 && state !== 'met'; i++) {
        await new Promise((res) => setTimeout(res, 50));
        const e = await (await fetch(`${collector.url}/v1/expectations?model=m`, { headers: h })).json();
        state = e.models[0].expectations.find((x: { id: string }) => x.id === 'latency_p99').state;
      }
      expect(state).toBe('met');
      expect(collector.engine).not.toBeNull();
    } finally {
      await collector.close();
    }
  });
});
