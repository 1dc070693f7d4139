import { afterEach, describe, expect, it } from 'vitest';
import type { FeatureStore } from './feature-store.js';
import { fetchCongestion, probeHealth, startFeatureStore, UpstreamError } from './feature-store.js';

describe('the demo feature store', () => {
  let store: FeatureStore | null = null;
  afterEach(async () => {
    await store?.close();
    store = null;
  });

  it('serves congestion values by key, and null for unknown keys', async () => {
    store = await startFeatureStore((k) => (k < 10 ? { origin: k / 10, destination: 1 - k / 10 } : null));
    expect(await fetchCongestion(store.url, [1, 4, 99])).toEqual([
      { origin: 0.1, destination: 0.9 },
      { origin: 0.4, destination: 0.6 },
      null,
    ]);
    const probe = await probeHealth(store.url);
    expect(probe.ok).toBe(true);
    expect(probe.status).toBe(200);
    expect(probe.latencyMs).toBeGreaterThanOrEqual(0);
  });

  it('refuses connections while stopped, on the same address, and serves again once restarted', async () => {
    store = await startFeatureStore(() => ({ origin: 0.2, destination: 0.3 }));
    const url = store.url;
    await fetchCongestion(url, [1]);
    await store.stop();
    expect(store.running).toBe(false);
    const err = await fetchCongestion(url, [1]).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UpstreamError);
    expect((err as UpstreamError).code).toBe('ECONNREFUSED');
    const probe = await probeHealth(url);
    expect(probe).toMatchObject({ ok: false, latencyMs: null, status: null, error: 'ECONNREFUSED' });
    await store.start();
    expect(store.url).toBe(url);
    expect(await fetchCongestion(url, [7])).toEqual([{ origin: 0.2, destination: 0.3 }]);
  });

  it('serves the definition asked for: 3-hour congestion by default, 24-hour on request', async () => {
    store = await startFeatureStore((k, w) => ({ origin: w === '24h' ? 0.5 : 0.1, destination: k }));
    expect(await fetchCongestion(store.url, [3])).toEqual([{ origin: 0.1, destination: 3 }]);
    expect(await fetchCongestion(store.url, [3], '24h')).toEqual([{ origin: 0.5, destination: 3 }]);
  });

  it('answers 400 naming the field when the keys are not a list or the window is unknown', async () => {
    store = await startFeatureStore(() => null);
    const res = await fetch(`${store.url}/v1/congestion`, { method: 'POST', body: '{"keys":3}' });
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({ error: 'keys: must be an array of flight keys' });
    const bad = await fetch(`${store.url}/v1/congestion`, {
      method: 'POST',
      body: '{"keys":[1],"window":"1h"}',
    });
    expect(bad.status).toBe(400);
    expect(await bad.json()).toEqual({ error: 'window: must be "3h" or "24h"' });
  });
});
