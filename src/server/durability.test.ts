/**
 * Durability with real processes: `faultline serve` runs as a child process, several senders post batches,
 * the child is killed with SIGKILL in the middle of the stream, a new `faultline serve` opens the same file,
 * and every acknowledged prediction must be there, with windows that agree with the stored events.
 *
 * 1. Start the collector on a free port with a known admin token.
 * 2. Four senders post batches of 200 predictions as fast as they can; a 200 answer acknowledges its ids.
 * 3. After 40 acknowledged batches (while requests are in flight), SIGKILL the collector.
 * 4. Restart it on the same file; check each acknowledged id, and that the windows count exactly the
 *    stored predictions (events and window merges commit in one transaction).
 */
import type { ChildProcess } from 'node:child_process';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openSqliteStore } from '../store/sqlite/sqlite-store.js';

const repo = join(import.meta.dirname, '..', '..');
const dir = mkdtempSync(join(tmpdir(), 'faultline-kill-'));
const db = join(dir, 'collector.db');
const ADMIN = `flt_${'k'.repeat(40)}`;
const T0 = Date.UTC(2025, 2, 1);

const children: ChildProcess[] = [];
afterAll(() => {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
});

/** Starts `faultline serve` from the TypeScript sources and resolves with its URL. */
function serve(): Promise<{ child: ChildProcess; url: string }> {
  const entry = `const { main } = await import(${JSON.stringify(join(repo, 'src/cli/main.ts'))}); process.exitCode = await main(['node', 'faultline', ...process.argv.slice(1)]);`;
  const child = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      '--input-type=module',
      '-e',
      entry,
      'serve',
      '--db',
      db,
      '--port',
      '0',
      '--project',
      'acme',
    ],
    { cwd: repo, env: { ...process.env, FAULTLINE_ADMIN_TOKEN: ADMIN }, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  children.push(child);
  return new Promise((resolve, reject) => {
    let out = '';
    let err = '';
    const timer = setTimeout(() => reject(new Error(`collector did not start:\n${out}\n${err}`)), 30_000);
    child.stdout?.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /listening on (http:\/\/\S+)/.exec(out);
      if (m?.[1]) {
        clearTimeout(timer);
        resolve({ child, url: m[1] });
      }
    });
    child.stderr?.on('data', (d: Buffer) => {
      err += d.toString();
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`collector exited with ${code}:\n${out}\n${err}`));
    });
  });
}

function batch(sender: number, n: number, size: number) {
  return Array.from({ length: size }, (_, i) => ({
    id: `s${sender}-b${n}-${i}`,
    version: 'v1',
    timestamp: T0 + (n * size + i) * 1000,
    features: Object.fromEntries(Array.from({ length: 20 }, (_, f) => [`f${f}`, (i * 7 + f) % 13])),
    output: { score: (i % 100) / 100 },
    latencyMs: 3,
  }));
}

describe('kill -9 during ingestion', () => {
  it('loses no acknowledged prediction', async () => {
    const first = await serve();
    const acked: string[] = [];
    let ackedBatches = 0;
    let killed = false;
    const killedAt = new Promise<void>((resolve) => {
      const senders = [0, 1, 2, 3].map(async (s) => {
        for (let n = 0; !killed; n++) {
          const events = batch(s, n, 200);
          try {
            const res = await fetch(`${first.url}/v1/models/churn/predictions`, {
              method: 'POST',
              headers: { authorization: `Bearer ${ADMIN}`, 'content-type': 'application/json' },
              body: JSON.stringify(events),
            });
            if (res.status !== 200) throw new Error(`status ${res.status}: ${await res.text()}`);
            const body = (await res.json()) as { accepted: number; duplicates: number };
            expect(body.accepted + body.duplicates).toBe(events.length);
            for (const e of events) acked.push(e.id);
            if (++ackedBatches === 40 && !killed) {
              killed = true;
              first.child.kill('SIGKILL');
              resolve();
            }
          } catch (e) {
            if (!killed) throw e;
          }
        }
      });
      void Promise.allSettled(senders);
    });
    await killedAt;
    await new Promise<void>((r) =>
      first.child.exitCode !== null || first.child.signalCode !== null
        ? r()
        : first.child.once('exit', () => r()),
    );
    expect(first.child.signalCode).toBe('SIGKILL');
    expect(acked.length).toBeGreaterThanOrEqual(40 * 200);

    const second = await serve();
    try {
      const windows = (await (
        await fetch(`${second.url}/v1/models/churn/windows?limit=10000`, {
          headers: { authorization: `Bearer ${ADMIN}` },
        })
      ).json()) as { windows: { predictions: number }[] };
      const inWindows = windows.windows.reduce((n, w) => n + w.predictions, 0);

      const store = await openSqliteStore(db, { synchronous: 'normal' });
      try {
        const missing: string[] = [];
        for (const id of acked) if (!(await store.getPrediction('acme', 'churn', id))) missing.push(id);
        expect(missing).toEqual([]);
        const stored = await store.listPredictions('acme', 'churn', { limit: 1_000_000 });
        expect(stored.length).toBeGreaterThanOrEqual(acked.length);
        expect(inWindows).toBe(stored.length);
      } finally {
        await store.close();
      }
    } finally {
      second.child.kill('SIGTERM');
      await new Promise((r) => second.child.once('exit', r));
    }
    expect(second.child.exitCode).toBe(0);
  }, 120_000);
});
