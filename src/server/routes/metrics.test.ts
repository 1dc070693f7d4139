import parsePrometheusTextFormat from 'parse-prometheus-text-format';
import { afterEach, describe, expect, it } from 'vitest';
import { BAD_FROM, type EngineCollector, send, setUpChurn, W } from '../engine/pipeline-testing.js';

const open: EngineCollector[] = [];
afterEach(async () => {
  for (const c of open.splice(0)) await c.close();
});

async function listen(c: EngineCollector): Promise<string> {
  await c.app.listen({ host: '127.0.0.1', port: 0 });
  const addr = c.app.server.address();
  if (addr === null || typeof addr === 'string') throw new Error('not listening');
  return `http://127.0.0.1:${addr.port}`;
}

function sample(
  families: ReturnType<typeof parsePrometheusTextFormat>,
  name: string,
  labels: Record<string, string>,
) {
  const f = families.find((x) => x.name === name);
  return f?.metrics.find((m) => Object.entries(labels).every(([k, v]) => m.labels?.[k] === v));
}

describe('GET /metrics', () => {
  it('is scraped over HTTP with a read token and parses: figures, expectation states, open incidents', async () => {
    const c = await setUpChurn();
    open.push(c);
    // Up to the middle of the breach: one incident open.
    await send(c, 0, 41);
    await c.engine.scheduler.tick();
    const base = await listen(c);
    const denied = await fetch(`${base}/metrics`);
    expect(denied.status).toBe(401);
    const res = await fetch(`${base}/metrics`, { headers: { authorization: `Bearer ${c.tokens.read}` } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/plain; version=0.0.4; charset=utf-8');
    const text = await res.text();
    expect(text).not.toMatch(/NaN/);
    const families = parsePrometheusTextFormat(text);
    expect(
      sample(families, 'faultline_latency_p99_seconds', { model: 'churn', instance: 'i-3' })?.value,
    ).toBe('2.9');
    expect(
      sample(families, 'faultline_expectation_state', {
        model: 'churn',
        expectation: 'latency_p99',
        state: 'violated',
      })?.value,
    ).toBe('1');
    expect(
      sample(families, 'faultline_expectation_state', {
        model: 'churn',
        expectation: 'latency_p99',
        state: 'met',
      })?.value,
    ).toBe('0');
    expect(sample(families, 'faultline_expectation_threshold', { expectation: 'latency_p99' })?.value).toBe(
      '1000',
    );
    expect(
      sample(families, 'faultline_incidents_open', { model: 'churn', severity: 'critical' })?.value,
    ).toBe('1');
    expect(
      sample(families, 'faultline_incident_top_cause_score', { model: 'churn', cause: 'hardware_failure' }),
    ).toBeDefined();
    expect(Number(sample(families, 'faultline_watermark_timestamp_seconds', { model: 'churn' })?.value)).toBe(
      (BAD_FROM + 10 * 60_000 + 1000) / 1000,
    );
    expect(
      Number(
        sample(families, 'faultline_evaluated_until_timestamp_seconds', {
          model: 'churn',
          window_seconds: '300',
        })?.value,
      ),
    ).toBe((BAD_FROM + 2 * W) / 1000);
    expect(sample(families, 'faultline_alert_deliveries', { status: 'delivered' })?.value).toBe('0');
    for (const f of families) expect(f.name).toMatch(/^faultline_[a-z0-9_]+$/);
  });

  it('is served without a token only with --metrics-public, for the collector project', async () => {
    const c = await setUpChurn({ metricsPublic: true });
    open.push(c);
    await send(c, 0, 41);
    await c.engine.scheduler.tick();
    const base = await listen(c);
    const res = await fetch(`${base}/metrics`);
    expect(res.status).toBe(200);
    const families = parsePrometheusTextFormat(await res.text());
    expect(
      sample(families, 'faultline_incidents_open', { model: 'churn', severity: 'critical' })?.value,
    ).toBe('1');
    const doc = (await c.call({ method: 'GET', url: '/openapi.json', role: 'none' })).json();
    expect(doc.paths['/metrics'].get.security).toEqual([]);
  });
});
