/**
 * The dashboard end to end: the bundle is built, a real collector (SQLite in a temporary folder, a free port)
 * receives a scripted day (test/e2e/scenario.ts), and headless Debian Chromium signs in with a read token and
 * walks the pages at 1280×800. Each page must render without script errors; a screenshot of each is saved under
 * artifacts/screenshots/. The pages must show the collector's own figures: the incident page the estimated
 * accuracy of the evaluation that opened the incident, the drift views the features its detectors flagged.
 */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildWeb } from '../../scripts/build-web.js';
import { fmtPct } from '../../src/web/format.js';
import { launchChromium, openPage, screenshot, settled, type WatchedPage } from './browser.js';
import { type E2eCollector, startE2eCollector } from './collector.js';
import {
  configureExpectations,
  evaluateAll,
  HTML_CATEGORY,
  HTML_FEATURE,
  poster,
  runScenario,
  type Scenario,
} from './scenario.js';

const ADMIN = 'flt_e2e_admin_token_0123456789abcdefghijklmnop';

let collector: E2eCollector;
let browser: Browser;
let scenario: Scenario;
let readToken: { id: string; token: string };

/** Network-level console lines ("Failed to load resource") are checked through `httpErrors` instead. */
const scriptProblems = (w: WatchedPage) => w.problems.filter((p) => !/Failed to load resource/.test(p));

async function signIn(w: WatchedPage, token: string, hash = ''): Promise<void> {
  await w.page.goto(`${collector.url}/${hash}`);
  await w.page.waitForSelector('form.sign-in');
  await w.page.fill('#token', token);
  await w.page.click('form.sign-in button[type=submit]');
  await w.page.waitForSelector('header.top');
  await settled(w.page);
}

beforeAll(async () => {
  await buildWeb();
  collector = await startE2eCollector(ADMIN);
  scenario = await runScenario(collector.url, ADMIN, Date.now());
  await configureExpectations(collector.url, ADMIN);
  await evaluateAll(collector.url, ADMIN);
  readToken = (await poster(collector.url, ADMIN)('/v1/tokens', {
    role: 'read',
    label: 'dashboard e2e',
  })) as {
    id: string;
    token: string;
  };
  browser = await launchChromium();
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await collector?.close();
});

describe('dashboard served by the collector', { timeout: 90_000 }, () => {
  it('serves the page and hashed assets with a strict CSP, content types and cache headers', async () => {
    const page = await fetch(`${collector.url}/`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(page.headers.get('cache-control')).toBe('no-cache');
    const csp = page.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toContain('unsafe-inline');
    expect(page.headers.get('x-frame-options')).toBe('DENY');
    const html = await page.text();
    expect(html).not.toMatch(/<script>(?!<\/script>)|<style>|\son[a-z]+=/i);
    const script = /src="(assets\/app-[^"]+\.js)"/.exec(html)?.[1];
    const style = /href="(assets\/style-[^"]+\.css)"/.exec(html)?.[1];
    expect(script).toBeDefined();
    expect(style).toBeDefined();
    const js = await fetch(`${collector.url}/${script}`, { headers: { 'accept-encoding': 'identity' } });
    expect(js.status).toBe(200);
    expect(js.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(js.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    const css = await fetch(`${collector.url}/${style}`);
    expect(css.headers.get('content-type')).toBe('text/css; charset=utf-8');
    const gz = await fetch(`${collector.url}/${script}`, { headers: { 'accept-encoding': 'gzip' } });
    expect(gz.headers.get('content-encoding')).toBe('gzip');
    expect(await gz.text()).toBe(
      await (
        await fetch(`${collector.url}/${script}`, { headers: { 'accept-encoding': 'identity' } })
      ).text(),
    );
    // Nothing outside the asset folder is reachable, and the API stays JSON and uncached.
    expect((await fetch(`${collector.url}/assets/..%2Fpackage.json`)).status).toBe(404);
    const api = await fetch(`${collector.url}/v1/models`);
    expect(api.status).toBe(401);
    expect(api.headers.get('cache-control')).toBe('no-store');
  });

  it('signs in with a read token and shows every page at 1280×800 without script errors', async () => {
    const w = await openPage(browser);
    await signIn(w, readToken.token);
    // Overview: both models with sparklines.
    expect(await w.page.locator('[data-table=models] [data-model]').allTextContents()).toEqual([
      'churn',
      'recs',
    ]);
    expect(await w.page.locator('[data-table=models] .spark canvas').count()).toBeGreaterThanOrEqual(4);
    // Every prediction of the scripted day is counted once.
    expect(
      await w.page.locator('.stat', { hasText: 'predictions in range' }).locator('.stat-value').textContent(),
    ).toBe(scenario.counts.predictions.toLocaleString('en-US'));
    await screenshot(w.page, 'overview');

    // Model page: versions, charts, heat map, instances with the changed environment of pod-3.
    await w.page.click('[data-model=churn]');
    await settled(w.page);
    expect(await w.page.locator('h1').first().textContent()).toBe('churn');
    for (const id of ['latency', 'throughput', 'errors', 'performance', 'labelled', 'heartbeats'])
      expect(await w.page.locator(`[data-chart=${id}] canvas`).count(), id).toBeGreaterThan(0);
    expect(await w.page.locator('[data-chart=drift] canvas.heat-canvas').count()).toBe(1);
    const instances = w.page.locator('[data-table=instances] tbody tr');
    expect(await instances.count()).toBe(3);
    const pod3 = await w.page.locator('[data-table=instances] tbody tr', { hasText: 'pod-3' }).textContent();
    expect(pod3).toContain('differ from validated');
    const pod1 = await w.page.locator('[data-table=instances] tbody tr', { hasText: 'pod-1' }).textContent();
    expect(pod1).toContain('as validated');
    await screenshot(w.page, 'model');

    // Feature page through the heat map's link.
    await w.page.click('[data-chart=drift] .heat-label a >> text=monthly_charges');
    await settled(w.page);
    expect(await w.page.locator('h1').textContent()).toContain('monthly_charges');
    expect(await w.page.locator('[data-chart=distribution] .bar-group').count()).toBeGreaterThan(5);
    await screenshot(w.page, 'feature');

    // Feedback loops of the recommender: exposure concentrates over the day.
    await w.page.goto(`${collector.url}/#/models/recs/feedback`);
    await settled(w.page);
    for (const id of ['gini', 'coverage', 'long-tail', 'hit-rate', 'ctr'])
      expect(await w.page.locator(`[data-chart=${id}] canvas`).count(), id).toBeGreaterThan(0);
    expect(await w.page.locator('[data-chart=gini] .chart-note').textContent()).toMatch(/^trend \+/);
    await screenshot(w.page, 'feedback');

    expect(scriptProblems(w)).toEqual([]);
    expect(w.httpErrors).toEqual([]);
  });

  it('shows the incident with the injected fault as its top cause, and acknowledging works', async () => {
    // 1. The collector's own answer: churn's error rate broke, and the dependency change on pod-3 ranks first.
    const list = (await (
      await fetch(`${collector.url}/v1/incidents?model=churn`, {
        headers: { authorization: `Bearer ${ADMIN}` },
      })
    ).json()) as {
      incidents: { id: string; expectationId: string; onset: string; causes: { cause: string }[] }[];
    };
    const incident = list.incidents.find((i) => i.expectationId === 'error_rate');
    expect(incident, collector.log.join('\n')).toBeDefined();
    expect(incident!.causes[0]!.cause).toBe('dependency_failure');
    expect(Math.abs(Date.parse(incident!.onset) - scenario.onsetMs)).toBeLessThanOrEqual(3_600_000);

    // 2. A read token sees it on the overview and on its page, ranked the same, but cannot act on it.
    const reader = await openPage(browser);
    await signIn(reader, readToken.token);
    await reader.page.click(`[data-table=incidents] [data-incident="${incident!.id}"]`);
    await settled(reader.page);
    const causes = reader.page.locator('article.cause');
    expect(await causes.first().getAttribute('data-cause')).toBe('dependency_failure');
    expect(await causes.first().textContent()).toContain('pod-3');
    expect(await reader.page.locator('[data-action=acknowledge]').isDisabled()).toBe(true);
    await screenshot(reader.page, 'incident');
    expect(scriptProblems(reader)).toEqual([]);

    // 3. The on-call engineer's token acknowledges it (acting needs the ingest role and reading the read role,
    //    so in the dashboard an admin token): the page, its timeline and the API agree.
    const admin = (await poster(collector.url, ADMIN)('/v1/tokens', { role: 'admin', label: 'on call' })) as {
      token: string;
    };
    const oncall = await openPage(browser);
    await signIn(oncall, admin.token, `#/incidents/${incident!.id}`);
    await oncall.page.click('[data-action=acknowledge]');
    await oncall.page.waitForSelector('.page-head .badge.warn:text("acknowledged")');
    await settled(oncall.page);
    expect(await oncall.page.locator('.timeline li[data-kind=acknowledged]').count()).toBe(1);
    const after = (await (
      await fetch(`${collector.url}/v1/incidents/${incident!.id}`, {
        headers: { authorization: `Bearer ${ADMIN}` },
      })
    ).json()) as { status: string };
    expect(after.status).toBe('acknowledged');
    await screenshot(oncall.page, 'incident-acknowledged');
    expect(scriptProblems(oncall)).toEqual([]);
  });

  it('shows what the collector decided: the estimated accuracy that opened the incident, the features it flagged', async () => {
    const get = async (path: string) =>
      (await fetch(`${collector.url}${path}`, { headers: { authorization: `Bearer ${ADMIN}` } })).json();
    // 1. The collector's answer: the campaign's customers are scored less confidently, CBPE's estimate falls
    //    under 0.8, and the incident opens on one hourly evaluation.
    const { incidents } = (await get('/v1/incidents?model=churn')) as {
      incidents: {
        id: string;
        expectationId: string;
        onset: string;
        openedAt: string;
        figure: { value: number };
      }[];
    };
    const incident = incidents.find((i) => i.expectationId === 'estimated_accuracy');
    expect(incident, collector.log.join('\n')).toBeDefined();
    const openedMs = Date.parse(incident!.openedAt);
    const { evaluations } = (await get(
      `/v1/evaluations?model=churn&expectation=estimated_accuracy&from=${openedMs}&to=${openedMs + 1}`,
    )) as {
      evaluations: { status: string; window: { start: string; end: string }; figure: { value: number } }[];
    };
    expect(evaluations).toHaveLength(1);
    const opening = evaluations[0]!;
    expect(opening).toMatchObject({
      status: 'violated',
      window: { start: incident!.onset, end: incident!.openedAt },
    });
    expect(opening.figure.value).toBeLessThan(0.8);
    const flagged = new Set<string>();
    for (const q of ['detector=feature_drift', 'detector=distribution_skew', 'cause=data_quality'])
      for (const f of (
        (await get(`/v1/findings?model=churn&${q}&limit=1000`)) as {
          findings: { subject: Record<string, string> }[];
        }
      ).findings)
        if (f.subject.feature) flagged.add(f.subject.feature);
    expect([...flagged]).toContain('tenure_months');

    // 2. The incident page shows that evaluation's figure, draws the collector's estimate with its limit, and its
    //    drift view marks the features the collector flagged, and only those.
    const w = await openPage(browser);
    await signIn(w, readToken.token, `#/incidents/${incident!.id}`);
    const shown = w.page.locator('[data-figure=opened]');
    expect(Number(await shown.getAttribute('data-value'))).toBe(opening.figure.value);
    expect(await shown.textContent()).toContain(fmtPct(opening.figure.value, 2));
    expect(Number(await w.page.locator('[data-figure=latest]').getAttribute('data-value'))).toBe(
      incident!.figure.value,
    );
    const openedRow = w.page.locator('[data-table=evaluations] tbody tr', { hasText: 'opened' });
    expect(Number(await openedRow.locator('[data-value]').getAttribute('data-value'))).toBe(
      opening.figure.value,
    );
    expect(await w.page.locator('[data-chart=incident-performance] .legend').textContent()).toContain(
      'estimated accuracy (collector, estimated_accuracy)',
    );
    const marked = await w.page
      .locator('[data-chart=incident-drift] .heat-label[data-flagged] a')
      .allTextContents();
    expect(marked).toContain('tenure_months');
    for (const f of marked) expect([...flagged]).toContain(f);
    expect(
      await w.page.locator('[data-chart=incident-drift-exploration] .chart-note').textContent(),
    ).toContain('PSI on window summaries — exploration; detection uses KS');
    await screenshot(w.page, 'incident-estimated');

    // 3. The model page: the same verdicts, the drift share against its limit, and the PSI table column labelled.
    await w.page.goto(`${collector.url}/#/models/churn`);
    await settled(w.page);
    expect(
      await w.page.locator('[data-chart=drift] .heat-label[data-flagged] a').allTextContents(),
    ).toContain('tenure_months');
    expect(await w.page.locator('[data-chart=drift-share] canvas').count()).toBeGreaterThan(0);
    expect(await w.page.locator('[data-chart=performance] .legend').textContent()).toContain(
      'estimated accuracy (collector',
    );
    expect(
      await w.page.locator('[data-table=quality] tbody tr', { hasText: 'tenure_months' }).textContent(),
    ).toMatch(/findings in \d+ window/);
    expect(scriptProblems(w)).toEqual([]);
    expect(w.httpErrors).toEqual([]);
  });

  it('shows data as text, never as markup', async () => {
    const w = await openPage(browser);
    await signIn(w, readToken.token, '#/models/churn');
    await expect
      .poll(() => w.page.locator('.heat-label', { hasText: HTML_FEATURE }).count())
      .toBeGreaterThan(0);
    expect(await w.page.locator('img').count()).toBe(0);
    expect(await w.page.locator('[data-table=quality] b').count()).toBe(0);
    await w.page.goto(`${collector.url}/#/models/churn/features/plan`);
    await settled(w.page);
    const labels = await w.page
      .locator('[data-chart=distribution] .bar-group')
      .evaluateAll((els) => els.map((e) => e.getAttribute('title') ?? ''));
    expect(labels.some((l) => l.startsWith(HTML_CATEGORY))).toBe(true);
    expect(await w.page.locator('main b').count()).toBe(0);
    expect(scriptProblems(w)).toEqual([]);
  });

  it('keeps the view in the URL: a shared link opens the same range', async () => {
    const w = await openPage(browser);
    await signIn(w, readToken.token, '#/models/churn?range=6h&refresh=0');
    expect(w.page.url()).toContain('#/models/churn');
    expect(await w.page.locator('[data-range="6h"]').getAttribute('aria-pressed')).toBe('true');
    expect(await w.page.locator('select[aria-label=auto-refresh]').inputValue()).toBe('0');
    await w.page.click('[data-range="7d"]');
    await settled(w.page);
    expect(w.page.url()).toContain('range=7d');
    expect(w.page.url()).toContain('refresh=0');

    // Dragging across a chart zooms into that stretch: fixed bounds in the URL, shown on the Custom button.
    const overlay = w.page.locator('[data-chart=latency] .u-over');
    await overlay.scrollIntoViewIfNeeded();
    const over = await overlay.boundingBox();
    expect(over).not.toBeNull();
    const y = over!.y + over!.height / 2;
    await w.page.mouse.move(over!.x + over!.width * 0.5, y);
    await w.page.mouse.down();
    await w.page.mouse.move(over!.x + over!.width * 0.8, y, { steps: 5 });
    await w.page.mouse.up();
    await w.page.waitForFunction(() => /from=.*to=/.test(location.hash));
    await settled(w.page);
    const url = new URL(w.page.url());
    const q = new URLSearchParams(url.hash.split('?')[1]);
    const from = Date.parse(q.get('from')!);
    const to = Date.parse(q.get('to')!);
    expect(to).toBeGreaterThan(from);
    expect(q.get('range')).toBeNull();
    expect(await w.page.locator('.custom-range.on summary').textContent()).toContain('→');
    expect(scriptProblems(w)).toEqual([]);
  });

  it('refreshes the page on its own at the chosen period, keeping what is on screen until new data is in', async () => {
    const w = await openPage(browser);
    await w.page.clock.install();
    await signIn(w, readToken.token, '#/models/churn?refresh=60');
    const main = w.page.locator('main.main');
    const first = await main.getAttribute('data-rendered-at');
    await w.page.clock.fastForward(30_000);
    expect(await main.getAttribute('data-rendered-at')).toBe(first);
    await w.page.clock.fastForward(31_000);
    await w.page.waitForFunction(
      (t) => document.querySelector('main.main')?.getAttribute('data-rendered-at') !== t,
      first,
    );
    await settled(w.page);
    // The refresh swapped the page in place: still the model page, charts drawn, nothing blanked.
    expect(await w.page.locator('h1').first().textContent()).toBe('churn');
    expect(await w.page.locator('[data-chart=latency] canvas').count()).toBeGreaterThan(0);
    expect(scriptProblems(w)).toEqual([]);
  });

  it('returns to sign-in when the token is revoked, and back to the page after signing in again', async () => {
    const w = await openPage(browser);
    const extra = (await poster(collector.url, ADMIN)('/v1/tokens', {
      role: 'read',
      label: 'to revoke',
    })) as { id: string; token: string };
    await signIn(w, extra.token, '#/models/recs');
    const res = await fetch(`${collector.url}/v1/tokens/${extra.id}`, {
      method: 'DELETE',
      headers: { authorization: `Bearer ${ADMIN}` },
    });
    expect(res.status).toBe(204);
    await w.page.click('[data-range="1h"]');
    await w.page.waitForSelector('form.sign-in');
    expect(decodeURIComponent(w.page.url())).toContain('next=#/models/recs');
    expect(await w.page.evaluate(() => sessionStorage.length + localStorage.length)).toBe(0);
    await w.page.fill('#token', readToken.token);
    await w.page.click('form.sign-in button[type=submit]');
    await w.page.waitForSelector('header.top');
    await settled(w.page);
    expect(w.page.url()).toContain('#/models/recs');
    await screenshot(w.page, 'sign-in-return');
  });
});
