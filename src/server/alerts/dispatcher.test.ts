import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { parseRetryAfter } from '../../core/contract/index.js';
import { type EngineCollector, send, setUpChurn } from '../engine/pipeline-testing.js';
import { parseAlertTarget } from './targets.js';

interface Received {
  headers: IncomingMessage['headers'];
  body: unknown;
}

/** A real webhook receiver on 127.0.0.1 that answers the given statuses in turn (the last one repeats). */
async function receiver(statuses: number[]): Promise<{ url: string; got: Received[]; server: Server }> {
  const got: Received[] = [];
  let i = 0;
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      got.push({ headers: req.headers, body: JSON.parse(Buffer.concat(chunks).toString('utf8')) });
      const status = statuses[Math.min(i++, statuses.length - 1)] ?? 200;
      res.writeHead(status, status === 503 ? { 'retry-after': '0' } : {});
      res.end('ok');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/hook`, got, server };
}

const closing: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of closing.splice(0)) await c();
});

function track(c: EngineCollector, ...servers: Server[]): void {
  closing.push(async () => {
    await c.close();
    for (const s of servers) await new Promise((r) => s.close(r));
  });
}

const FAST = { baseDelayMs: 20, maxDelayMs: 200, jitter: 'none' as const };

describe('alert delivery', () => {
  it('posts the JSON payload to a webhook, retries a 503 and records each delivery', async () => {
    const hook = await receiver([503, 200]);
    const c = await setUpChurn({ alertTargets: [parseAlertTarget(hook.url)], retry: FAST });
    track(c, hook.server);
    await send(c, 0, 90);
    await c.engine.scheduler.tick();
    await c.engine.alerts.idle();

    // opened (503, then 200 on retry) and resolved (200); the retry may come after the resolution.
    expect(hook.got).toHaveLength(3);
    const bodies = hook.got.map(
      (g) => g.body as { type: string; topCause: { cause: string }; incident: { id: string } },
    );
    const opened = bodies.filter((b) => b.type === 'incident.opened');
    expect(opened).toHaveLength(2);
    expect(opened[1]).toEqual(opened[0]);
    expect(opened[0]?.topCause.cause).toBe('hardware_failure');
    expect(bodies.filter((b) => b.type === 'incident.resolved')).toHaveLength(1);
    expect(hook.got[0]?.headers['content-type']).toBe('application/json');
    expect(hook.got[0]?.headers['x-faultline-alert-id']).toMatch(/^inc_[0-9a-f]{16}:opened:\d+$/);
    const incidentId = opened[0]?.incident.id;

    const alerts = (await c.call({ method: 'GET', url: '/v1/alerts', role: 'read' })).json().alerts;
    expect(alerts).toHaveLength(2);
    const byChange = Object.fromEntries(alerts.map((a: { change: string }) => [a.change, a]));
    expect(byChange.opened).toMatchObject({
      status: 'delivered',
      attempts: 2,
      lastStatusCode: 200,
      lastError: null,
      target: hook.url,
      format: 'json',
      incidentId,
    });
    expect(byChange.resolved).toMatchObject({ status: 'delivered', attempts: 1 });
    const one = await c.call({
      method: 'GET',
      url: `/v1/alerts?incident=${incidentId}&status=delivered`,
      role: 'read',
    });
    expect(one.json().alerts).toHaveLength(2);
  });

  it('sends Slack messages, gives up on a 4xx at once and on a 5xx after the last attempt', async () => {
    const slack = await receiver([200]);
    const broken = await receiver([400]);
    const down = await receiver([500]);
    const c = await setUpChurn({
      alertTargets: [`slack:${slack.url}`, broken.url, down.url].map(parseAlertTarget),
      retry: { ...FAST, maxAttempts: 3 },
    });
    track(c, slack.server, broken.server, down.server);
    await send(c, 0, 40);
    await c.engine.scheduler.tick();
    await c.engine.alerts.idle();
    const msg = slack.got[0]?.body as { text: string; blocks: { text?: { text: string } }[] };
    expect(msg.blocks[0]?.text?.text).toMatch(/^Incident opened: latency_p99 on churn/);
    expect(msg.text).toContain('hardware_failure');
    expect(broken.got).toHaveLength(1);
    expect(down.got).toHaveLength(3);
    const alerts = (await c.call({ method: 'GET', url: '/v1/alerts', role: 'read' })).json().alerts;
    const byTarget = Object.fromEntries(alerts.map((a: { target: string }) => [a.target, a]));
    expect(byTarget[slack.url]).toMatchObject({ status: 'delivered', format: 'slack' });
    expect(byTarget[broken.url]).toMatchObject({
      status: 'failed',
      attempts: 1,
      lastStatusCode: 400,
      lastError: 'HTTP 400',
    });
    expect(byTarget[down.url]).toMatchObject({ status: 'failed', attempts: 3, lastStatusCode: 500 });
  });

  it('records a network failure and, in dry-run mode, prints alerts instead of sending them', async () => {
    const gone = await receiver([200]);
    await new Promise((r) => gone.server.close(r));
    const c = await setUpChurn({
      alertTargets: [parseAlertTarget(gone.url)],
      retry: { ...FAST, maxAttempts: 2 },
    });
    track(c);
    await send(c, 0, 40);
    await c.engine.scheduler.tick();
    await c.engine.alerts.idle();
    const [a] = (await c.call({ method: 'GET', url: '/v1/alerts', role: 'read' })).json().alerts;
    expect(a).toMatchObject({ status: 'failed', attempts: 2, lastStatusCode: null });
    expect(a.lastError).toMatch(/fetch failed|ECONNREFUSED/);

    const dry = await setUpChurn({ alertTargets: [parseAlertTarget(gone.url)], alertsDryRun: true });
    track(dry);
    await send(dry, 0, 40);
    await dry.engine.scheduler.tick();
    expect(dry.printed).toHaveLength(1);
    expect(JSON.parse(dry.printed[0]!)).toMatchObject({
      type: 'incident.opened',
      topCause: { cause: 'hardware_failure' },
    });
    const [p] = (await dry.call({ method: 'GET', url: '/v1/alerts', role: 'read' })).json().alerts;
    expect(p).toMatchObject({ status: 'printed', target: 'stdout', attempts: 0 });
  });
});

describe('alert targets', () => {
  it('reads JSON and Slack receivers and names what is wrong with a bad one', () => {
    expect(parseAlertTarget('http://127.0.0.1:9/x')).toEqual({ url: 'http://127.0.0.1:9/x', format: 'json' });
    expect(parseAlertTarget('slack:https://example.com/h')).toEqual({
      url: 'https://example.com/h',
      format: 'slack',
    });
    expect(parseAlertTarget('https://hooks.slack.com/services/T/B/X').format).toBe('slack');
    expect(parseAlertTarget('json:https://hooks.slack.com/services/T/B/X').format).toBe('json');
    expect(() => parseAlertTarget('not a url')).toThrow(/--alert-webhook "not a url": not a URL/);
    expect(() => parseAlertTarget('ftp://example.com/x')).toThrow(/only http and https/);
  });

  it('reads Retry-After as seconds or a date', () => {
    expect(parseRetryAfter('3', 0)).toBe(3000);
    expect(parseRetryAfter(new Date(10_000).toUTCString(), 4000)).toBe(6000);
    expect(parseRetryAfter(null, 0)).toBeUndefined();
    expect(parseRetryAfter('soon', 0)).toBeUndefined();
  });
});
