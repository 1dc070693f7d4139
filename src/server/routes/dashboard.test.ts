import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildWeb } from '../../../scripts/build-web.js';
import { DASHBOARD_CSP, dashboardNotBuilt, dashboardRoutes, defaultWebDir, webDirFor } from './dashboard.js';

let dir: string;
let app: FastifyInstance;
let empty: FastifyInstance;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'faultline-web-'));
  await buildWeb({ outDir: join(dir, 'web') });
  app = Fastify();
  await app.register(dashboardRoutes, { dir: join(dir, 'web') });
  empty = Fastify();
  await empty.register(dashboardRoutes, { dir: join(dir, 'nothing-here') });
}, 60_000);

afterAll(async () => {
  await app.close();
  await empty.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('dashboard routes', () => {
  it('serves the page with a strict CSP and revalidation, linking hashed assets only', async () => {
    const res = await app.inject({ url: '/' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(res.headers['content-security-policy']).toBe(DASHBOARD_CSP);
    expect(res.headers['cache-control']).toBe('no-cache');
    expect(res.headers['x-frame-options']).toBe('DENY');
    expect(res.body).toMatch(/<script type="module" src="assets\/app-[A-Z0-9]+\.js"><\/script>/);
    expect(res.body).not.toMatch(/%SCRIPT%|%STYLE%|<style|style=/);
  });

  it('serves assets with their type, a year of caching, and gzip when accepted', async () => {
    const files = readdirSync(join(dir, 'web', 'assets'));
    const js = files.find((f) => /^app-.*\.js$/.test(f))!;
    const css = files.find((f) => /^style-.*\.css$/.test(f))!;
    const plain = await app.inject({ url: `/assets/${js}` });
    expect(plain.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(plain.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(plain.headers['content-encoding']).toBeUndefined();
    const gz = await app.inject({ url: `/assets/${js}`, headers: { 'accept-encoding': 'gzip, deflate' } });
    expect(gz.headers['content-encoding']).toBe('gzip');
    expect(gz.rawPayload.length).toBeLessThan(plain.rawPayload.length / 2);
    expect((await app.inject({ url: `/assets/${css}` })).headers['content-type']).toBe(
      'text/css; charset=utf-8',
    );
    expect((await app.inject({ url: '/favicon.svg' })).headers['content-type']).toBe('image/svg+xml');
  });

  it('never serves anything outside its folder', async () => {
    for (const url of [
      '/assets/..%2F..%2Fpackage.json',
      '/assets/.hidden',
      '/assets/none.js',
      '/index.html.map',
    ])
      expect((await app.inject({ url })).statusCode, url).toBe(404);
    // A dot-dot segment is never a file name here: the answer is a 404 or the app's own page.
    for (const url of ['/assets/%2e%2e', '/assets/%2e%2e/%2e%2e/package.json', '/../package.json']) {
      const res = await app.inject({ url });
      expect(res.body, url).not.toContain('"name": "faultline"');
      expect([200, 404], url).toContain(res.statusCode);
    }
    const res = await app.inject({ url: '/assets/nope.js' });
    expect(res.headers['cache-control']).toBe('no-store');
  });

  it('says how to build the dashboard when it is not built', async () => {
    const res = await empty.inject({ url: '/' });
    expect(res.statusCode).toBe(404);
    expect(res.body).toContain('npm run build');
    expect(dashboardNotBuilt(join(dir, 'nothing-here'))).toMatch(/not built .*run `npm run build`/);
    expect(dashboardNotBuilt(join(dir, 'web'))).toBeNull();
  });

  it('looks for the built dashboard in dist/web, from the sources (tsx) as from the build', () => {
    expect(webDirFor('/opt/faultline/src/server/routes')).toBe('/opt/faultline/dist/web');
    expect(webDirFor('/opt/faultline/dist/server/routes')).toBe('/opt/faultline/dist/web');
    // A package that itself lives under a folder named src.
    expect(webDirFor('/home/ana/src/faultline/src/server/routes')).toBe('/home/ana/src/faultline/dist/web');
    // This test runs from the sources: the page served is the built one, never the unbuilt src/web.
    const repo = join(import.meta.dirname, '..', '..', '..');
    expect(defaultWebDir()).toBe(join(repo, 'dist', 'web'));
  });
});
