/**
 * The contract every `Store` engine passes. An engine's test calls `runStoreContract(name, open)` where
 * `open()` gives a fresh, empty store. Nothing here knows which engine runs.
 */
import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { FaultlineError, PredictionEvent } from '../core/contract/index.js';
import { diagnose } from '../core/diagnosis/diagnose.js';
import { DEFAULT_EXPECTATIONS } from '../core/expectations/defaults.js';
import { evaluateOne } from '../core/expectations/evaluate.js';
import type { WindowFigures } from '../core/expectations/window-figures.js';
import type { Finding } from '../core/findings/finding.js';
import { applyEvaluations } from '../core/incidents/apply.js';
import type { Incident } from '../core/incidents/incident.js';
import { seededRng } from '../core/rng.js';
import type {
  AlertDeliveryRecord,
  EngineCursorRecord,
  EngineStateStore,
  ModelExpectationsRecord,
  Store,
  Timed,
} from './store.js';
import { findingKey } from './store.js';
import { addPrediction, emptyWindow, windowCounters } from './window-state.js';

const T0 = Date.UTC(2025, 0, 1);
const HOUR = 3_600_000;
const P = 'acme';

function prediction(
  id: string,
  ts: number,
  extra: Partial<Timed<PredictionEvent>> = {},
): Timed<PredictionEvent> {
  return { id, timestamp: ts, version: 'v1', features: { age: 30, city: 'Oslo' }, ...extra };
}

async function rejects(p: Promise<unknown>): Promise<FaultlineError> {
  try {
    await p;
  } catch (e) {
    return e as FaultlineError;
  }
  throw new Error('expected the call to throw');
}

export function runStoreContract(engine: string, open: () => Promise<Store>): void {
  describe(`Store contract: ${engine}`, () => {
    let store: Store;
    beforeEach(async () => {
      store = await open();
    });
    afterEach(async () => {
      await store.close();
    });

    describe('tokens', () => {
      it('finds a live token by hash, lists per project and revokes', async () => {
        expect(await store.countTokens()).toBe(0);
        await store.insertToken({
          id: 't1',
          project: P,
          role: 'admin',
          label: 'boot',
          hash: 'h1',
          createdAtMs: T0,
        });
        await store.insertToken({
          id: 't2',
          project: 'other',
          role: 'read',
          label: null,
          hash: 'h2',
          createdAtMs: T0,
        });
        expect(await store.findTokenByHash('h1')).toEqual({
          id: 't1',
          project: P,
          role: 'admin',
          label: 'boot',
          createdAtMs: T0,
          revokedAtMs: null,
        });
        expect(await store.findTokenByHash('nope')).toBeNull();
        expect((await store.listTokens(P)).map((t) => t.id)).toEqual(['t1']);
        expect(await store.revokeToken('other', 't1', T0 + 1)).toBe(false);
        expect(await store.revokeToken(P, 't1', T0 + 1)).toBe(true);
        expect(await store.findTokenByHash('h1')).toBeNull();
        expect((await store.listTokens(P))[0]?.revokedAtMs).toBe(T0 + 1);
        expect(await store.countTokens()).toBe(2);
      });
    });

    describe('registry', () => {
      it('creates a model with defaults, updates settings, keeps projects apart', async () => {
        const m = await store.upsertModel(P, { name: 'churn' }, T0);
        expect(m).toMatchObject({
          project: P,
          name: 'churn',
          windowMs: HOUR,
          bucketMs: HOUR,
          latestEventMs: null,
        });
        const u = await store.upsertModel(P, { name: 'churn', windowMs: 2 * HOUR, description: 'd' }, T0 + 5);
        expect(u).toMatchObject({ windowMs: 2 * HOUR, bucketMs: HOUR, description: 'd', createdAtMs: T0 });
        await store.upsertModel('other', { name: 'fraud' }, T0);
        expect((await store.listModels(P)).map((x) => x.name)).toEqual(['churn']);
        expect(await store.getModel('other', 'churn')).toBeNull();
      });

      it('refuses a window that is not a multiple of the bucket', async () => {
        await store.upsertModel(P, { name: 'churn', windowMs: HOUR, bucketMs: 300_000 }, T0);
        const e = await rejects(store.upsertModel(P, { name: 'churn', windowMs: 1_000_000 }, T0));
        expect(e.code).toBe('request.invalid');
        expect(e.issues?.[0]?.field).toBe('windowMs');
      });

      it('refuses to change the bucket size once windows exist', async () => {
        await store.upsertModel(P, { name: 'churn', bucketMs: 300_000, windowMs: HOUR }, T0);
        await store.ingestPredictions(P, 'churn', [prediction('a', T0)], T0);
        const e = await rejects(store.upsertModel(P, { name: 'churn', bucketMs: 600_000 }, T0));
        expect(e.issues?.[0]?.field).toBe('bucketMs');
      });

      it('registers versions, detects a conflicting artifact and tracks the intended one', async () => {
        const a = await store.registerVersion(
          P,
          'churn',
          { version: 'v1', artifactHash: 'sha:1', validationMetrics: { auc: 0.9 }, intended: true },
          T0,
        );
        expect(a.created).toBe(true);
        expect(a.version).toMatchObject({
          version: 'v1',
          artifactHash: 'sha:1',
          intended: true,
          registered: true,
        });
        const again = await store.registerVersion(
          P,
          'churn',
          { version: 'v1', artifactHash: 'sha:1', description: 'same' },
          T0,
        );
        expect(again.created).toBe(false);
        expect(again.version.validationMetrics).toEqual({ auc: 0.9 });
        expect(again.version.description).toBe('same');
        expect(
          (await rejects(store.registerVersion(P, 'churn', { version: 'v1', artifactHash: 'x' }, T0))).code,
        ).toBe('registry.version_conflict');
        await store.registerVersion(P, 'churn', { version: 'v2', artifactHash: 'sha:2' }, T0 + 1);
        const at = { effectiveAtMs: T0 + 2, recordedAtMs: T0 + 2 };
        await store.setIntendedVersion(P, 'churn', 'v2', at);
        expect((await store.listVersions(P, 'churn')).map((v) => [v.version, v.intended])).toEqual([
          ['v1', false],
          ['v2', true],
        ]);
        expect((await store.getModel(P, 'churn'))?.intendedVersion).toBe('v2');
        expect((await rejects(store.setIntendedVersion(P, 'churn', 'v9', at))).code).toBe(
          'registry.version_not_found',
        );
        expect((await rejects(store.setIntendedVersion(P, 'nope', 'v1', at))).code).toBe(
          'registry.model_not_found',
        );
      });

      it('keeps every change of the intended version with the event time it takes effect', async () => {
        // 1. v1 is registered as intended at T0; v2 and v3 are registered later.
        await store.registerVersion(P, 'churn', { version: 'v1', artifactHash: 'sha:1', intended: true }, T0);
        await store.registerVersion(P, 'churn', { version: 'v2', artifactHash: 'sha:2' }, T0 + HOUR);
        await store.registerVersion(P, 'churn', { version: 'v3', artifactHash: 'sha:3' }, T0 + HOUR);
        // 2. v2 goes out at T0 + 5 h, told to the registry at T0 + 6 h.
        await store.setIntendedVersion(P, 'churn', 'v2', {
          effectiveAtMs: T0 + 5 * HOUR,
          recordedAtMs: T0 + 6 * HOUR,
        });
        // 3. Setting v2 again changes nothing: it is already intended then.
        await store.setIntendedVersion(P, 'churn', 'v2', {
          effectiveAtMs: T0 + 7 * HOUR,
          recordedAtMs: T0 + 7 * HOUR,
        });
        // 4. A correction recorded last but effective earlier (v3 was tried between T0 + 2 h and the v2 deploy)
        //    keeps v2 the current version, which has the latest effective time.
        await store.setIntendedVersion(P, 'churn', 'v3', {
          effectiveAtMs: T0 + 2 * HOUR,
          recordedAtMs: T0 + 8 * HOUR,
        });
        expect(await store.listIntendedVersions(P, 'churn')).toEqual([
          { version: 'v1', effectiveAtMs: T0, recordedAtMs: T0 },
          { version: 'v2', effectiveAtMs: T0 + 5 * HOUR, recordedAtMs: T0 + 6 * HOUR },
          { version: 'v3', effectiveAtMs: T0 + 2 * HOUR, recordedAtMs: T0 + 8 * HOUR },
        ]);
        expect((await store.getModel(P, 'churn'))?.intendedVersion).toBe('v2');
        expect((await store.getVersion(P, 'churn', 'v2'))?.intended).toBe(true);
        expect((await store.getVersion(P, 'churn', 'v3'))?.intended).toBe(false);
        // 5. A rollback to v1 at T0 + 9 h makes v1 current again; the history keeps all four changes.
        await store.setIntendedVersion(P, 'churn', 'v1', {
          effectiveAtMs: T0 + 9 * HOUR,
          recordedAtMs: T0 + 9 * HOUR,
        });
        expect((await store.listIntendedVersions(P, 'churn')).map((c) => c.version)).toEqual([
          'v1',
          'v2',
          'v3',
          'v1',
        ]);
        expect((await store.getModel(P, 'churn'))?.intendedVersion).toBe('v1');
        expect(await store.listIntendedVersions(P, 'nope')).toEqual([]);
        // A rejected change leaves the history as it was.
        await rejects(
          store.setIntendedVersion(P, 'churn', 'v9', { effectiveAtMs: T0, recordedAtMs: T0 + 10 * HOUR }),
        );
        expect(await store.listIntendedVersions(P, 'churn')).toHaveLength(4);
      });

      it('knows versions first seen in traffic as unregistered until registered', async () => {
        await store.ingestPredictions(P, 'churn', [prediction('a', T0, { artifactHash: 'seen' })], T0);
        expect(await store.getVersion(P, 'churn', 'v1')).toMatchObject({
          registered: false,
          artifactHash: 'seen',
        });
        await store.registerVersion(P, 'churn', { version: 'v1', artifactHash: 'sha:1' }, T0);
        expect(await store.getVersion(P, 'churn', 'v1')).toMatchObject({
          registered: true,
          artifactHash: 'sha:1',
        });
      });

      it('stores a reference profile and sample byte for byte', async () => {
        await store.registerVersion(P, 'churn', { version: 'v1', artifactHash: 'h' }, T0);
        const profile = new Uint8Array([0, 1, 2, 250, 255]);
        const ref = {
          info: { rows: 3, sampleRows: 2, columns: ['age'], source: 'csv' as const, uploadedAtMs: T0 },
          profile,
          sample: [{ age: 1 }, { age: 2 }],
        };
        await store.putReference(P, 'churn', 'v1', ref);
        const back = await store.getReference(P, 'churn', 'v1');
        expect(Array.from(back?.profile ?? [])).toEqual([0, 1, 2, 250, 255]);
        expect(back?.sample).toEqual(ref.sample);
        expect((await store.getVersion(P, 'churn', 'v1'))?.reference).toEqual(ref.info);
        expect((await rejects(store.putReference(P, 'churn', 'v7', ref))).code).toBe(
          'registry.version_not_found',
        );
      });
    });

    describe('predictions and windows', () => {
      it('counts a re-sent prediction once, within a batch and across batches', async () => {
        const r1 = await store.ingestPredictions(P, 'churn', [prediction('a', T0), prediction('a', T0)], T0);
        expect(r1).toEqual({ accepted: 1, duplicates: 1 });
        const r2 = await store.ingestPredictions(
          P,
          'churn',
          [prediction('a', T0), prediction('b', T0 + 1)],
          T0,
        );
        expect(r2).toEqual({ accepted: 1, duplicates: 1 });
        const w = await store.listWindows(P, 'churn', { limit: 10 });
        expect(w.map((x) => x.state.predictions)).toEqual([2]);
      });

      it('puts events in buckets by event time and advances the latest event time', async () => {
        await store.upsertModel(P, { name: 'churn', bucketMs: 300_000, windowMs: HOUR }, T0);
        const late = T0 - 2 * HOUR; // a back-fill from two hours earlier
        await store.ingestPredictions(
          P,
          'churn',
          [
            prediction('a', T0 + 10, { status: 'error', errorKind: 'oom', instance: 'i1' }),
            prediction('b', T0 + 301_000, { latencyMs: 5, instance: 'i2', artifactHash: 'h' }),
            prediction('c', late, { version: 'v2' }),
          ],
          T0 + 400_000,
        );
        const w = await store.listWindows(P, 'churn', { limit: 10 });
        expect(w.map((x) => [x.version, x.startMs - T0, x.bucketMs, x.state.predictions])).toEqual([
          ['v2', -2 * HOUR, 300_000, 1],
          ['v1', 0, 300_000, 1],
          ['v1', 300_000, 300_000, 1],
        ]);
        expect(w[1]?.state.status).toEqual({ ok: 0, error: 1, timeout: 0 });
        expect(w[1]?.state.errorKinds).toEqual({ oom: 1 });
        expect(w[2]?.state.instances).toEqual({ i2: { predictions: 1, errors: 0, timeouts: 0 } });
        expect(w[2]?.state.artifactHashes).toEqual({ h: 1 });
        expect((await store.getModel(P, 'churn'))?.latestEventMs).toBe(T0 + 301_000);
        await store.ingestPredictions(P, 'churn', [prediction('d', late + 1)], T0 + 500_000);
        expect((await store.getModel(P, 'churn'))?.latestEventMs).toBe(T0 + 301_000);
        const v2only = await store.listWindows(P, 'churn', { limit: 10, version: 'v2' });
        expect(v2only).toHaveLength(1);
        const ranged = await store.listWindows(P, 'churn', { limit: 10, fromMs: T0, toMs: T0 + 300_000 });
        expect(ranged.map((x) => x.startMs)).toEqual([T0]);
      });

      it('merges windows exactly however the events are split into batches', async () => {
        await fc.assert(
          fc.asyncProperty(
            fc.array(
              fc.record({
                minute: fc.integer({ min: 0, max: 179 }),
                status: fc.constantFrom('ok', 'error', 'timeout'),
                instance: fc.constantFrom('i1', 'i2', 'i3'),
              }),
              { minLength: 1, maxLength: 40 },
            ),
            fc.integer({ min: 1, max: 7 }),
            async (rows, batch) => {
              const s = await open();
              try {
                const events = rows.map((r, i) =>
                  prediction(`p${i}`, T0 + r.minute * 60_000, {
                    status: r.status as 'ok' | 'error' | 'timeout',
                    instance: r.instance,
                  }),
                );
                for (let i = 0; i < events.length; i += batch)
                  await s.ingestPredictions(P, 'm', events.slice(i, i + batch), T0);
                const windows = await s.listWindows(P, 'm', { limit: 100 });
                for (const w of windows) {
                  const expected = events
                    .filter((e) => Math.floor(e.timestamp / HOUR) * HOUR === w.startMs)
                    .reduce((st, e) => addPrediction(st, e), emptyWindow(seededRng(1)));
                  expect(windowCounters(w.state)).toEqual(windowCounters(expected));
                  // Failed requests count in the operational figures only (window-state.ts).
                  expect(w.state.features.rowCount).toBe(expected.status.ok);
                  expect(w.state.sample.seen).toBe(expected.status.ok);
                }
                expect(windows.reduce((n, w) => n + w.state.predictions, 0)).toBe(events.length);
              } finally {
                await s.close();
              }
            },
          ),
          { numRuns: 25 },
        );
      });

      it('answers predictions newest first with filters', async () => {
        await store.ingestPredictions(
          P,
          'churn',
          [
            prediction('a', T0, { instance: 'i1' }),
            prediction('b', T0 + 2, {
              instance: 'i2',
              output: { class: 'yes', probabilities: { yes: 0.7 } },
            }),
            prediction('c', T0 + 1, { instance: 'i1', version: 'v2' }),
          ],
          T0 + 9,
        );
        expect((await store.listPredictions(P, 'churn', { limit: 10 })).map((p) => p.id)).toEqual([
          'b',
          'c',
          'a',
        ]);
        expect(
          (await store.listPredictions(P, 'churn', { limit: 10, instance: 'i1' })).map((p) => p.id),
        ).toEqual(['c', 'a']);
        expect(
          (await store.listPredictions(P, 'churn', { limit: 1, version: 'v1' })).map((p) => p.id),
        ).toEqual(['b']);
        expect(await store.getPrediction(P, 'churn', 'b')).toMatchObject({
          id: 'b',
          version: 'v1',
          timestampMs: T0 + 2,
          receivedAtMs: T0 + 9,
          features: { age: 30, city: 'Oslo' },
          output: { class: 'yes', probabilities: { yes: 0.7 } },
          status: 'ok',
          label: null,
        });
        expect(await store.getPrediction(P, 'churn', 'zz')).toBeNull();
        expect(await store.getPrediction('other', 'churn', 'b')).toBeNull();
      });
    });

    describe('window contents', () => {
      it('profiles features and outputs, sketches latency and samples rows', async () => {
        const events = Array.from({ length: 30 }, (_, i) =>
          prediction(`p${i}`, T0 + i * 1000, {
            features: {
              age: 20 + i,
              city: i % 2 ? 'Oslo' : 'Rome',
              vip: i % 3 === 0,
              income: i % 5 ? i * 10 : null,
            },
            output: { class: i % 2 ? 'yes' : 'no', probabilities: { yes: i / 30 } },
            latencyMs: i,
          }),
        );
        await store.ingestPredictions(P, 'churn', events.slice(0, 10), T0);
        await store.ingestPredictions(P, 'churn', events.slice(10), T0);
        const [w] = await store.listWindows(P, 'churn', { limit: 10 });
        const f = w!.state.features;
        expect(f.rowCount).toBe(30);
        expect(f.columnNames().sort()).toEqual(['age', 'city', 'income', 'vip']);
        expect(f.column('age')?.moments.summary().mean).toBeCloseTo(34.5, 12);
        expect(f.column('income')?.missing).toBe(6);
        expect(w!.state.outputs.column('class')?.categoryCounts()).toBeDefined();
        expect(w!.state.outputs.column('probability.yes')?.moments.summary().mean).toBeCloseTo(14.5 / 30, 12);
        expect(w!.state.latencyMs.n).toBe(30);
        expect(w!.state.latencyMs.max).toBe(29);
        expect(
          w!.state.sample
            .items()
            .map((r) => r.id)
            .sort(),
        ).toEqual(events.map((e) => e.id).sort());
      });

      it('writes the label into the sampled row and sketches the time to label', async () => {
        await store.ingestPredictions(P, 'churn', [prediction('a', T0, { output: { class: 'x' } })], T0);
        await store.ingestLabels(P, 'churn', [{ predictionId: 'a', value: 'x', timestamp: T0 + 5000 }], T0);
        const [w] = await store.listWindows(P, 'churn', { limit: 1 });
        expect(w?.state.sample.items()).toEqual([expect.objectContaining({ id: 'a', label: 'x' })]);
        expect(w?.state.timeToLabelMs.quantile(0.5)).toBe(5000);
        expect(w?.state.labelValues.column('label')?.count).toBe(1);
      });
    });

    describe('labels', () => {
      it('joins a late label to its prediction and window, once', async () => {
        await store.ingestPredictions(
          P,
          'churn',
          [
            prediction('a', T0, { output: { class: 'yes' } }),
            prediction('b', T0 + 5, { output: { class: 'no' } }),
          ],
          T0,
        );
        const r = await store.ingestLabels(
          P,
          'churn',
          [
            { predictionId: 'a', value: 'yes', timestamp: T0 + 86_400_000 },
            { predictionId: 'b', value: 'yes', timestamp: T0 + 1000 },
          ],
          T0 + 86_400_000,
        );
        expect(r).toEqual({ accepted: 2, duplicates: 0 });
        const again = await store.ingestLabels(
          P,
          'churn',
          [{ predictionId: 'a', value: 'no', timestamp: T0 + 86_400_001 }],
          T0,
        );
        expect(again).toEqual({ accepted: 0, duplicates: 1 });
        const p = await store.getPrediction(P, 'churn', 'a');
        expect(p?.label).toEqual({
          value: 'yes',
          timestampMs: T0 + 86_400_000,
          receivedAtMs: T0 + 86_400_000,
          timeToLabelMs: 86_400_000,
        });
        const [w] = await store.listWindows(P, 'churn', { limit: 10 });
        expect(w?.state.labels).toMatchObject({ count: 2, classified: 2, correct: 1 });
      });

      it('keeps a label that arrives first and joins it when the prediction comes', async () => {
        await store.ingestLabels(P, 'reg', [{ predictionId: 'x', value: 10, timestamp: T0 + 60_000 }], T0);
        expect(await store.listWindows(P, 'reg', { limit: 10 })).toEqual([]);
        await store.ingestPredictions(P, 'reg', [prediction('x', T0, { output: { value: 7 } })], T0 + 70_000);
        const [w] = await store.listWindows(P, 'reg', { limit: 10 });
        expect(w?.state.labels).toMatchObject({ count: 1, regressed: 1, absErrorSum: 3, squaredErrorSum: 9 });
        expect((await store.getPrediction(P, 'reg', 'x'))?.label?.timeToLabelMs).toBe(60_000);
      });
    });

    describe('leases', () => {
      it('gives a lease to one holder at a time, renews it and fences each new holder', async () => {
        const a = await store.tryAcquireLease('detect:acme/churn', 'worker-a', 60_000);
        expect(a).toMatchObject({ acquired: true, holder: 'worker-a', fence: 1 });
        const b = await store.tryAcquireLease('detect:acme/churn', 'worker-b', 60_000);
        expect(b).toMatchObject({ acquired: false, holder: 'worker-a', fence: 1 });
        expect(b.expiresAtMs).toBe(a.expiresAtMs);
        const renewed = await store.tryAcquireLease('detect:acme/churn', 'worker-a', 120_000);
        expect(renewed).toMatchObject({ acquired: true, holder: 'worker-a', fence: 1 });
        expect(renewed.expiresAtMs).toBeGreaterThan(a.expiresAtMs);
        expect((await store.tryAcquireLease('detect:acme/fraud', 'worker-b', 60_000)).acquired).toBe(true);
        expect(await store.releaseLease('detect:acme/churn', 'worker-b')).toBe(false);
        expect(await store.releaseLease('detect:acme/churn', 'worker-a')).toBe(true);
        expect(await store.releaseLease('detect:acme/churn', 'worker-a')).toBe(false);
        const taken = await store.tryAcquireLease('detect:acme/churn', 'worker-b', 60_000);
        expect(taken).toMatchObject({ acquired: true, holder: 'worker-b', fence: 2 });
      });

      it('passes an expired lease to the next holder', async () => {
        const a = await store.tryAcquireLease('alert', 'a', 50);
        expect(a.acquired).toBe(true);
        expect((await store.tryAcquireLease('alert', 'b', 50)).acquired).toBe(false);
        await new Promise((r) => setTimeout(r, 120));
        const b = await store.tryAcquireLease('alert', 'b', 10_000);
        expect(b).toMatchObject({ acquired: true, holder: 'b', fence: 2 });
        expect(b.expiresAtMs).toBeGreaterThan(a.expiresAtMs);
      });

      it('lets exactly one of many simultaneous callers win', async () => {
        const holders = Array.from({ length: 12 }, (_, i) => `h${i}`);
        const results = await Promise.all(holders.map((h) => store.tryAcquireLease('once', h, 60_000)));
        const winners = results.filter((r) => r.acquired);
        expect(winners).toHaveLength(1);
        for (const r of results) expect(r.holder).toBe(winners[0]?.holder);
      });

      it('names the bad argument of a lease request', async () => {
        const e = await rejects(store.tryAcquireLease('x', 'a', 0));
        expect(e.code).toBe('request.invalid');
        expect(e.issues?.map((i) => i.field)).toEqual(['ttlMs']);
        expect((await rejects(store.tryAcquireLease('', 'a', 10))).issues?.[0]?.field).toBe('name');
      });
    });

    describe('feedback, heartbeats, events', () => {
      it('stores feedback once and counts actions in the window of the feedback time', async () => {
        await store.ingestPredictions(P, 'rec', [prediction('p', T0, { output: { items: ['a', 'b'] } })], T0);
        const fb = [
          { id: 'f1', predictionId: 'p', item: 'a', position: 0, action: 'shown', timestamp: T0 + HOUR },
          {
            id: 'f2',
            predictionId: 'p',
            item: 'a',
            position: 0,
            action: 'clicked',
            timestamp: T0 + HOUR + 1,
          },
          { id: 'f1', predictionId: 'p', item: 'a', position: 0, action: 'shown', timestamp: T0 + HOUR },
        ];
        expect(await store.ingestFeedback(P, 'rec', fb, T0)).toEqual({ accepted: 2, duplicates: 1 });
        const w = await store.listWindows(P, 'rec', { limit: 10 });
        expect(w.map((x) => [x.startMs - T0, x.state.feedback])).toEqual([
          [0, { count: 0, actions: {} }],
          [HOUR, { count: 2, actions: { shown: 1, clicked: 1 } }],
        ]);
      });

      it('stores heartbeats once and keeps each instance at its newest heartbeat', async () => {
        const hb = (id: string, ts: number, version: string, ok: boolean) => ({
          id,
          instance: 'pod-1',
          model: 'churn',
          version,
          timestamp: ts,
          fingerprint: { runtime: `node ${version}` },
          host: { cpuPercent: 50 },
          checks: [{ name: 'read_model', ok }],
        });
        expect(
          await store.ingestHeartbeats(
            P,
            [hb('h2', T0 + 2000, 'v2', false), hb('h1', T0 + 1000, 'v1', true)],
            T0,
          ),
        ).toEqual({ accepted: 2, duplicates: 0 });
        expect(await store.ingestHeartbeats(P, [hb('h2', T0 + 2000, 'v2', false)], T0)).toEqual({
          accepted: 0,
          duplicates: 1,
        });
        const [inst] = await store.listInstances(P, {});
        expect(inst).toMatchObject({
          instance: 'pod-1',
          version: 'v2',
          firstSeenMs: T0 + 1000,
          lastSeenMs: T0 + 2000,
          heartbeats: 2,
          failedChecks: ['read_model'],
          fingerprint: { runtime: 'node v2' },
        });
        expect(await store.listInstances(P, { model: 'other' })).toEqual([]);
        const beats = await store.listHeartbeats(P, { limit: 10 });
        expect(beats.map((b) => b.id)).toEqual(['h2', 'h1']);
        expect(beats[0]?.checks).toEqual([{ name: 'read_model', ok: false }]);
        expect(await store.listHeartbeats('other', { limit: 10 })).toEqual([]);
      });

      it('derives a heartbeat id from instance and time when none is sent', async () => {
        const beat = { instance: 'pod-9', timestamp: T0 };
        expect(await store.ingestHeartbeats(P, [beat, beat], T0)).toEqual({ accepted: 1, duplicates: 1 });
      });

      it('stores free-form events once and filters them', async () => {
        const ev = [
          {
            id: 'e1',
            kind: 'deploy',
            timestamp: T0,
            model: 'churn',
            version: 'v2',
            attributes: { by: 'ci' },
          },
          { id: 'e2', kind: 'crash', timestamp: T0 + 10, instance: 'pod-1', message: 'SIGSEGV' },
          { id: 'e1', kind: 'deploy', timestamp: T0 },
        ];
        expect(await store.ingestEvents(P, ev, T0 + 20)).toEqual({ accepted: 2, duplicates: 1 });
        expect((await store.listEvents(P, { limit: 10 })).map((e) => e.id)).toEqual(['e2', 'e1']);
        expect(await store.listEvents(P, { limit: 10, kind: 'deploy' })).toEqual([
          {
            id: 'e1',
            kind: 'deploy',
            timestampMs: T0,
            receivedAtMs: T0 + 20,
            model: 'churn',
            version: 'v2',
            instance: null,
            severity: null,
            message: null,
            attributes: { by: 'ci' },
          },
        ]);
        expect((await store.listEvents(P, { limit: 10, fromMs: T0 + 1 })).map((e) => e.id)).toEqual(['e2']);
        expect(await store.listEvents('other', { limit: 10 })).toEqual([]);
      });
    });
    // --- analysis reads ---
    describe('analysis reads', () => {
      it('lists the operational facts of predictions oldest first, by time range and version', async () => {
        await store.ingestPredictions(
          P,
          'churn',
          [
            prediction('b', T0 + 2000, {
              instance: 'pod-2',
              latencyMs: 12.5,
              status: 'error',
              errorKind: 'oom',
            }),
            prediction('a', T0 + 1000, { instance: 'pod-1', artifactHash: 'sha:1', latencyMs: 3 }),
            prediction('c', T0 + 3000, { version: 'v2' }),
            prediction('d', T0 + HOUR, { instance: 'pod-1' }),
          ],
          T0 + HOUR,
        );
        const rows = await store.listServingRows(P, 'churn', { fromMs: T0, toMs: T0 + HOUR, limit: 10 });
        expect(rows).toEqual([
          {
            version: 'v1',
            artifactHash: 'sha:1',
            instance: 'pod-1',
            timestampMs: T0 + 1000,
            latencyMs: 3,
            status: 'ok',
            errorKind: null,
          },
          {
            version: 'v1',
            artifactHash: null,
            instance: 'pod-2',
            timestampMs: T0 + 2000,
            latencyMs: 12.5,
            status: 'error',
            errorKind: 'oom',
          },
          {
            version: 'v2',
            artifactHash: null,
            instance: null,
            timestampMs: T0 + 3000,
            latencyMs: null,
            status: 'ok',
            errorKind: null,
          },
        ]);
        const v2 = await store.listServingRows(P, 'churn', { version: 'v2', limit: 10 });
        expect(v2.map((r) => r.timestampMs)).toEqual([T0 + 3000]);
        expect(await store.listServingRows(P, 'churn', { limit: 2 })).toHaveLength(2);
        expect(await store.listServingRows(P, 'nope', { limit: 2 })).toEqual([]);
      });

      it('lists feedback events oldest first with their item, position and action', async () => {
        await store.ingestPredictions(P, 'recs', [prediction('p1', T0)], T0);
        await store.ingestFeedback(
          P,
          'recs',
          [
            { id: 'f2', predictionId: 'p1', item: 42, position: 1, action: 'clicked', timestamp: T0 + 20 },
            { id: 'f1', predictionId: 'p1', item: 'sku-9', position: 0, action: 'shown', timestamp: T0 + 10 },
            {
              id: 'f3',
              predictionId: 'p1',
              item: true,
              action: 'shown',
              timestamp: T0 + HOUR,
              instance: 'pod-1',
            },
          ],
          T0 + HOUR,
        );
        expect(await store.listFeedback(P, 'recs', { fromMs: T0, toMs: T0 + HOUR, limit: 10 })).toEqual([
          {
            id: 'f1',
            predictionId: 'p1',
            item: 'sku-9',
            position: 0,
            action: 'shown',
            timestampMs: T0 + 10,
            instance: null,
          },
          {
            id: 'f2',
            predictionId: 'p1',
            item: 42,
            position: 1,
            action: 'clicked',
            timestampMs: T0 + 20,
            instance: null,
          },
        ]);
        const later = await store.listFeedback(P, 'recs', { fromMs: T0 + HOUR, limit: 10 });
        expect(later.map((f) => [f.item, f.position, f.instance])).toEqual([[true, null, 'pod-1']]);
        expect(await store.listFeedback('other', 'recs', { limit: 10 })).toEqual([]);
      });
    });
    // --- end analysis reads ---
  });
}

// --- engine state ---
/** The contract of `EngineStateStore`: what the evaluation pipeline keeps. `open()` gives a fresh, empty store. */
export function runEngineStateContract(engine: string, open: () => Promise<Store & EngineStateStore>): void {
  describe(`EngineStateStore contract: ${engine}`, () => {
    let store: Store & EngineStateStore;
    beforeEach(async () => {
      store = await open();
    });
    afterEach(async () => {
      await store.close();
    });
    describe('engine state', () => {
      const W = 5 * 60_000;
      const finding = (detector: string, endMs: number, extra: Partial<Finding> = {}): Finding => ({
        detector,
        cause: 'hardware_failure',
        subject: { model: 'churn', version: 'v1', instance: 'i-1' },
        window: { startMs: endMs - W, endMs },
        severity: 'critical',
        score: 0.9,
        evidence: { summary: `${detector} fired`, figures: [{ name: 'cpu', value: 0.97, unit: 'share' }] },
        ...extra,
      });
      const figuresAt = (startMs: number, p99: number): WindowFigures => ({
        model: 'churn',
        version: 'v1',
        window: { startMs, endMs: startMs + W },
        operational: {
          requests: 600,
          errors: 0,
          timeouts: 0,
          latencyMs: { p50: 40, p90: 100, p95: 200, p99 },
          latencyCount: 600,
        },
      });
      const latency = DEFAULT_EXPECTATIONS.find((e) => e.id === 'latency_p99')!;
      const step = (startMs: number, p99: number, open: Incident[], findings: Finding[]) => {
        const ev = evaluateOne(latency, figuresAt(startMs, p99), startMs + W);
        const r = applyEvaluations(
          open,
          [ev],
          (e, onsetMs) => diagnose(e, findings, { onsetMs }),
          startMs + W,
        );
        return { ev, incidents: r.incidents };
      };

      it('stores findings once per key and lists them newest first with filters', async () => {
        await store.upsertModel(P, { name: 'churn' }, T0);
        const f1 = finding('host_metrics', T0 + W);
        const f2 = finding('feature_drift', T0 + 2 * W, {
          cause: 'covariate_shift',
          subject: { model: 'churn', feature: 'age' },
        });
        const cursor = {
          model: 'churn',
          windowMs: W,
          lastWindowEndMs: T0 + W,
          figures: null,
          updatedAtMs: T0,
        };
        await store.saveEngineStep(P, {
          findings: [f1],
          evaluations: [],
          incidents: [],
          cursor,
          recordedAtMs: T0,
        });
        await store.saveEngineStep(P, {
          findings: [f1, f2],
          evaluations: [],
          incidents: [],
          cursor: { ...cursor, lastWindowEndMs: T0 + 2 * W },
          recordedAtMs: T0 + W,
        });
        const all = await store.listFindings(P, { limit: 10 });
        expect(all.map((s) => s.finding)).toEqual([f2, f1]);
        expect(all[1]).toMatchObject({ key: findingKey(f1), recordedAtMs: T0 });
        expect((await store.listFindings(P, { cause: 'covariate_shift', limit: 10 })).length).toBe(1);
        expect((await store.listFindings(P, { instance: 'i-1', limit: 10 })).map((s) => s.key)).toEqual([
          findingKey(f1),
        ]);
        expect((await store.listFindings(P, { toMs: T0 + 2 * W, limit: 10 })).length).toBe(1);
        expect((await store.listFindings(P, { model: 'other', limit: 10 })).length).toBe(0);
        expect(await store.listFindings('other', { limit: 10 })).toEqual([]);
        expect(await store.listProjects()).toEqual([P]);
        expect(await store.listEngineCursors(P, { model: 'churn' })).toEqual([
          { ...cursor, lastWindowEndMs: T0 + 2 * W },
        ]);
      });

      it('stores a step that continues from a cursor only while the cursor is still there', async () => {
        await store.upsertModel(P, { name: 'churn' }, T0);
        const cursor = (end: number): EngineCursorRecord => ({
          model: 'churn',
          windowMs: W,
          lastWindowEndMs: end,
          figures: null,
          updatedAtMs: end,
        });
        const stepAt = (end: number, previous: number | null) => ({
          findings: [finding('host_metrics', end)],
          evaluations: [],
          incidents: [],
          cursor: cursor(end),
          previousWindowEndMs: previous,
          recordedAtMs: end,
        });
        // Two evaluators of the first window at once: exactly one stores it.
        const first = await Promise.all([
          store.saveEngineStep(P, stepAt(T0 + W, null)),
          store.saveEngineStep(P, stepAt(T0 + W, null)),
        ]);
        expect(first.filter(Boolean)).toHaveLength(1);
        // A late evaluator that still thinks no window was evaluated writes nothing, not even its finding.
        expect(await store.saveEngineStep(P, stepAt(T0 + 2 * W, null))).toBe(false);
        expect((await store.listFindings(P, { limit: 10 })).map((f) => f.finding.window.endMs)).toEqual([
          T0 + W,
        ]);
        // The next window, twice at once: once.
        const second = await Promise.all([
          store.saveEngineStep(P, stepAt(T0 + 2 * W, T0 + W)),
          store.saveEngineStep(P, stepAt(T0 + 2 * W, T0 + W)),
        ]);
        expect(second.filter(Boolean)).toHaveLength(1);
        expect(await store.saveEngineStep(P, stepAt(T0 + 3 * W, T0 + W))).toBe(false);
        expect(await store.listEngineCursors(P, { model: 'churn' })).toEqual([cursor(T0 + 2 * W)]);
        expect((await store.listFindings(P, { limit: 10 })).length).toBe(2);
        // Without `previousWindowEndMs` a step is stored whatever the cursor says (a replay by hand).
        expect(
          await store.saveEngineStep(P, { ...stepAt(T0 + W, null), previousWindowEndMs: undefined }),
        ).toBe(true);
        expect(await store.listEngineCursors(P, { model: 'churn' })).toEqual([cursor(T0 + W)]);
      });

      it('keeps one evaluation per key and window, the latest per key, and incidents by id', async () => {
        const findings = [finding('host_metrics', T0 + W)];
        const a = step(T0, 1500, [], findings);
        expect(a.ev.status).toBe('violated');
        const cursor = (end: number, figures: WindowFigures | null): EngineCursorRecord => ({
          model: 'churn',
          windowMs: W,
          lastWindowEndMs: end,
          figures,
          updatedAtMs: end,
        });
        await store.saveEngineStep(P, {
          findings,
          evaluations: [a.ev],
          incidents: a.incidents,
          cursor: cursor(T0 + W, figuresAt(T0, 1500)),
          recordedAtMs: T0 + W,
        });
        const b = step(T0 + W, 300, a.incidents, findings);
        expect(b.ev.status).toBe('met');
        // Evaluated twice (a restart): stored once.
        for (let i = 0; i < 2; i++)
          await store.saveEngineStep(P, {
            findings: [],
            evaluations: [b.ev],
            incidents: b.incidents,
            cursor: cursor(T0 + 2 * W, figuresAt(T0 + W, 300)),
            recordedAtMs: T0 + 2 * W,
          });
        expect(await store.listEvaluations(P, { model: 'churn', limit: 10 })).toEqual([b.ev, a.ev]);
        expect(await store.listEvaluations(P, { status: 'violated', limit: 10 })).toEqual([a.ev]);
        expect(await store.listEvaluations(P, { fromMs: T0 + 2 * W, limit: 10 })).toEqual([b.ev]);
        expect(await store.latestEvaluations(P, {})).toEqual([b.ev]);
        expect(await store.latestEvaluations(P, { model: 'other' })).toEqual([]);
        const [inc] = b.incidents;
        expect(inc?.status).toBe('open');
        expect(await store.getIncident(P, inc!.id)).toEqual(inc);
        expect(await store.getIncident('other', inc!.id)).toBeNull();
        expect(await store.listIncidents(P, { status: ['open', 'acknowledged'], limit: 5 })).toEqual([inc]);
        expect(await store.listIncidents(P, { status: ['resolved'], limit: 5 })).toEqual([]);
        const resolved: Incident = {
          ...inc!,
          status: 'resolved',
          resolvedAtMs: T0 + 3 * W,
          resolution: 'manual',
        };
        await store.putIncident(P, resolved);
        expect(await store.listIncidents(P, { model: 'churn', limit: 5 })).toEqual([resolved]);
        expect(await store.listIncidents(P, { status: ['open'], limit: 5 })).toEqual([]);
        expect(await store.listIncidents(P, { fromMs: inc!.openedAtMs + 1, limit: 5 })).toEqual([]);
        expect((await store.listEngineCursors(P, {}))[0]?.figures).toEqual(figuresAt(T0 + W, 300));
      });

      it('sets, lists and deletes expectations per model', async () => {
        const input = {
          expectations: [{ id: 'acc', metric: 'accuracy', comparator: '>=', threshold: 0.9, over: '1h' }],
        } as ModelExpectationsRecord['input'];
        await store.putModelExpectations(P, { model: 'churn', input, updatedAtMs: T0 });
        await store.putModelExpectations(P, {
          model: 'churn',
          input: { ...input, useDefaults: false },
          updatedAtMs: T0 + 1,
        });
        await store.putModelExpectations(P, { model: 'fraud', input, updatedAtMs: T0 });
        expect(await store.listModelExpectations(P)).toEqual([
          { model: 'churn', input: { ...input, useDefaults: false }, updatedAtMs: T0 + 1 },
          { model: 'fraud', input, updatedAtMs: T0 },
        ]);
        expect(await store.listModelExpectations('other')).toEqual([]);
        expect(await store.deleteModelExpectations(P, 'fraud')).toBe(true);
        expect(await store.deleteModelExpectations(P, 'fraud')).toBe(false);
        expect((await store.listModelExpectations(P)).map((r) => r.model)).toEqual(['churn']);
      });

      it('records alert deliveries and updates them by id', async () => {
        const d: AlertDeliveryRecord = {
          id: 'inc_1:opened:1@http://127.0.0.1:9/hook',
          alertId: 'inc_1:opened:1',
          incidentId: 'inc_1',
          model: 'churn',
          change: 'opened',
          target: 'http://127.0.0.1:9/hook',
          format: 'json',
          status: 'retrying',
          attempts: 1,
          lastStatusCode: 503,
          lastError: 'HTTP 503',
          createdAtMs: T0,
          updatedAtMs: T0,
          nextAttemptAtMs: T0 + 1000,
          payload: { type: 'incident.opened' },
        };
        await store.putAlertDelivery(P, d);
        const done: AlertDeliveryRecord = {
          ...d,
          status: 'delivered',
          attempts: 2,
          lastStatusCode: 200,
          lastError: null,
        };
        await store.putAlertDelivery(P, done);
        await store.putAlertDelivery(P, { ...d, id: 'b', incidentId: 'inc_2', createdAtMs: T0 + 5 });
        expect((await store.listAlertDeliveries(P, { limit: 10 })).map((x) => x.id)).toEqual(['b', d.id]);
        expect(await store.listAlertDeliveries(P, { incidentId: 'inc_1', limit: 10 })).toEqual([done]);
        expect(
          (await store.listAlertDeliveries(P, { status: 'retrying', limit: 10 })).map((x) => x.id),
        ).toEqual(['b']);
        expect(await store.listAlertDeliveries('other', { limit: 10 })).toEqual([]);
      });
    });
  });
}
// --- end engine state ---
