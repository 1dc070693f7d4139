import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { type EngineCollector, send, setUpChurn } from '../../server/engine/pipeline-testing.js';
import { runCli } from '../testing.js';

const dir = mkdtempSync(join(tmpdir(), 'faultline-check-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Runs the CLI and captures what it printed. */
async function run(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  const r = await runCli(args);
  return { code: r.code, out: r.stdout, err: r.stderr };
}

/** A deterministic classification file: x in [0, 1), label x > 0.5, prediction right except every `wrongEvery`-th row. */
function csv(name: string, rows: number, wrongEvery: number, shift = 0): string {
  const lines = ['x,segment,label,pred'];
  for (let i = 0; i < rows; i++) {
    const x = ((i * 7919) % rows) / rows + shift;
    const label = x > 0.5 ? 1 : 0;
    const pred = wrongEvery > 0 && i % wrongEvery === 0 ? 1 - label : label;
    lines.push(`${x.toFixed(4)},${i % 3 === 0 ? 'a' : 'b'},${label},${pred}`);
  }
  const path = join(dir, name);
  writeFileSync(path, `${lines.join('\n')}\n`);
  return path;
}

describe('faultline check with two files', () => {
  const ref = csv('ref.csv', 600, 0);
  it('passes when performance holds and nothing drifted', async () => {
    const cur = csv('good.csv', 600, 0);
    const r = await run(
      'check',
      '--reference',
      ref,
      '--current',
      cur,
      '--target',
      'label',
      '--prediction',
      'pred',
    );
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/✓ met accuracy \(model\): 100 % \(n = 600\), expected at least 99 %/);
    expect(r.out).toMatch(/✓ met drifted_features/);
    expect(r.out).toMatch(/\? unknown \(no data\) latency_p99/);
    expect(r.out).toMatch(/0 violated, \d+ met, \d+ unknown\n$/);
  });

  it('fails with exit 1 when accuracy breaks, against the file’s own expectations', async () => {
    const cur = csv('bad.csv', 600, 4);
    const exp = join(dir, 'exp.yaml');
    writeFileSync(
      exp,
      'version: 1\nmodels:\n  churn:\n    useDefaults: false\n    expectations:\n      - id: acc\n        metric: accuracy\n        comparator: gte\n        threshold: 0.9\n        over: 1d\n',
    );
    const r = await run(
      'check',
      '--reference',
      ref,
      '--current',
      cur,
      '--target',
      'label',
      '--prediction',
      'pred',
      '--expectations',
      exp,
      '--model',
      'churn',
      '--json',
    );
    expect(r.code).toBe(1);
    const out = JSON.parse(r.out);
    expect(out.violated).toBe(1);
    expect(out.results).toEqual([
      expect.objectContaining({ model: 'churn', expectationId: 'acc', status: 'violated' }),
    ]);
    expect(out.results[0].line).toMatch(/^violated acc \(churn\): 75 % \(n = 600\), expected at least 90 %/);
  });

  it('fails on drifted features', async () => {
    const cur = csv('shifted.csv', 600, 0, 0.4);
    const r = await run('check', '--reference', ref, '--current', cur);
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/✗ violated drifted_features \(model\): 75 % \(n = 4\)/);
  });

  it('exits 2 with a clear message on usage errors', async () => {
    let r = await run('check', '--reference', ref);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/--current is required/);
    r = await run('check', '--reference', ref, '--current', join(dir, 'missing.csv'));
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/missing\.csv/);
    const bad = join(dir, 'bad.yaml');
    writeFileSync(
      bad,
      'version: 1\nmodels:\n  m:\n    expectations:\n      - id: a\n        metric: acuracy\n',
    );
    r = await run('check', '--reference', ref, '--current', ref, '--expectations', bad);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/bad\.yaml:6:\d+: .*acuracy/);
    r = await run('check', '--reference', ref, '--current', ref, '--url', 'http://127.0.0.1:1');
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/not both/);
  });
});

describe('faultline check and incidents against a collector', () => {
  let c: EngineCollector | null = null;
  afterEach(async () => {
    await c?.close();
    c = null;
  });

  it('lists incidents and gates on the collector’s expectation states', async () => {
    c = await setUpChurn();
    await send(c, 0, 41);
    await c.app.listen({ host: '127.0.0.1', port: 0 });
    const addr = c.app.server.address();
    const url = `http://127.0.0.1:${typeof addr === 'object' && addr !== null ? addr.port : 0}`;

    let r = await run('incidents', '--url', url, '--token', c.tokens.read);
    expect(r.code).toBe(0);
    expect(r.out).toBe('no incidents\n');
    // check evaluates what is due, then reads the states.
    r = await run('check', '--url', url, '--token', c.tokens.read, '--model', 'churn');
    expect(r.err).toBe('');
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/✗ violated latency_p99 \(churn\): 2400 ms/);
    r = await run('incidents', '--open', '--url', url, '--token', c.tokens.read);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(
      /^inc_[0-9a-f]{16} {2}open {10}critical {2}churn {2}latency_p99_ms < 1000 \(2400\) {2}opened 2025-03-01T12:35:00\.000Z {2}— hardware_failure \(0\.\d\d\)\n$/,
    );
    r = await run('incidents', '--json', '--url', url, '--token', c.tokens.read);
    expect(JSON.parse(r.out).incidents[0].causes[0].cause).toBe('hardware_failure');

    await send(c, 41, 90);
    r = await run('check', '--url', url, '--token', c.tokens.read, '--model', 'churn');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/✓ met latency_p99 \(churn\): 300 ms/);

    r = await run('incidents', '--url', url);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/a token is needed/);
    r = await run('incidents', '--url', url, '--token', 'flt_wrong');
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/answered 401/);
    r = await run('check', '--url', url, '--token', c.tokens.read, '--model', 'nope');
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/answered 404: model "nope" does not exist/);
    r = await run('incidents', '--url', 'http://127.0.0.1:1', '--token', 'x');
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/cannot reach the collector at http:\/\/127\.0\.0\.1:1/);
  });
});
