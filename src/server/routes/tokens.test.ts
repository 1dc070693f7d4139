import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { bootstrapAdminToken, hashToken } from '../auth.js';
import type { TestCollector } from '../testing.js';
import { startTestCollector, TEST_T0 } from '../testing.js';

let c: TestCollector;
beforeEach(async () => {
  c = await startTestCollector();
});
afterEach(async () => {
  await c.close();
});

describe('tokens', () => {
  it('creates a token shown once, stores only its hash, and revokes it', async () => {
    const res = await c.call({
      method: 'POST',
      url: '/v1/tokens',
      payload: { role: 'ingest', label: 'pod' },
    });
    expect(res.statusCode).toBe(201);
    const created = res.json();
    expect(created).toMatchObject({ project: 'acme', role: 'ingest', label: 'pod', revokedAt: null });
    expect(created.token).toMatch(/^flt_[A-Za-z0-9_-]{43}$/);
    expect(await c.store.findTokenByHash(hashToken(created.token))).toMatchObject({ id: created.id });
    const list = await c.call({ method: 'GET', url: '/v1/tokens' });
    expect(JSON.stringify(list.json())).not.toContain(created.token);
    expect((await c.call({ method: 'GET', url: '/v1/whoami', token: created.token })).statusCode).toBe(200);
    const del = await c.call({ method: 'DELETE', url: `/v1/tokens/${created.id}` });
    expect(del.statusCode).toBe(204);
    const after = await c.call({ method: 'GET', url: '/v1/whoami', token: created.token });
    expect(after.statusCode).toBe(401);
    expect((await c.call({ method: 'DELETE', url: `/v1/tokens/${created.id}` })).json().error.code).toBe(
      'token.not_found',
    );
  });

  it('lists the valid roles when given an unknown one', async () => {
    const res = await c.call({ method: 'POST', url: '/v1/tokens', payload: { role: 'root' } });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.issues[0]).toMatchObject({
      field: 'role',
      reason: expect.stringContaining('"ingest"'),
    });
  });

  it('needs the admin role', async () => {
    expect(
      (await c.call({ method: 'POST', url: '/v1/tokens', role: 'read', payload: { role: 'read' } }))
        .statusCode,
    ).toBe(403);
  });
});

describe('first start', () => {
  it('creates one admin token on a fresh store and none afterwards', async () => {
    const { openSqliteStore } = await import('../../store/sqlite/sqlite-store.js');
    const store = await openSqliteStore(':memory:');
    const first = await bootstrapAdminToken(store, { project: 'default' }, TEST_T0);
    expect(first?.generated).toBe(true);
    expect(await store.findTokenByHash(hashToken(first!.token))).toMatchObject({
      role: 'admin',
      project: 'default',
    });
    expect(await bootstrapAdminToken(store, { project: 'default' }, TEST_T0)).toBeNull();
    await store.close();
  });

  it('takes the admin token from the environment, once, and refuses a short one', async () => {
    const { openSqliteStore } = await import('../../store/sqlite/sqlite-store.js');
    const store = await openSqliteStore(':memory:');
    const secret = 'a'.repeat(40);
    expect(await bootstrapAdminToken(store, { project: 'p', fromEnv: secret }, TEST_T0)).toEqual({
      token: secret,
      generated: false,
    });
    expect(await bootstrapAdminToken(store, { project: 'p', fromEnv: secret }, TEST_T0)).toBeNull();
    expect(await store.countTokens()).toBe(1);
    await expect(bootstrapAdminToken(store, { project: 'p', fromEnv: 'short' }, TEST_T0)).rejects.toThrow(
      /32/,
    );
    await store.close();
  });
});
