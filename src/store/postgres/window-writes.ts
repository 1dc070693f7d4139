/**
 * @module
 * How the PostgreSQL engine updates window buckets when many processes write the same ones.
 *
 * A batch first builds, in memory and without any lock, a *delta* per bucket it touches: the window of its
 * own new events (`emptyWindow` + `addPrediction` / `addJoinedLabel` / `addFeedback`). Then, inside the
 * batch's transaction, it locks the stored rows (`SELECT … FOR UPDATE`, in key order), merges each delta
 * into the stored state (`mergeWindows`, the same algebra that rolls buckets up) and writes the result with
 * the next revision. A bucket no one has stored yet is inserted (`ON CONFLICT DO NOTHING`); if another
 * writer created it in between, the insert yields and the delta is merged into theirs. The row lock is held
 * only for decode + merge + encode + commit, so concurrent collectors merge their profiles without lost
 * updates and without serialising the rest of their work.
 *
 * Labels joined to predictions already stored must also mark the sampled row of that prediction: those
 * are carried as *patches* (prediction id → label) and applied to the merged sample.
 *
 * Decoded states are cached per process by revision: when the stored revision is the one this process
 * wrote last, the blob is not even fetched (`CASE WHEN rev = cached THEN NULL`).
 */
import type { PoolClient } from 'pg';
import type { Scalar } from '../../core/contract/index.js';
import type { Rng } from '../../core/rng.js';
import type { WindowState } from '../window-state.js';
import { decodeWindow, emptyWindow, encodeWindow, mergeWindows } from '../window-state.js';

/** One bucket's changes from one batch. */
interface Delta {
  version: string;
  startMs: number;
  state: WindowState;
  /** Labels for predictions of this bucket, to write into their sampled rows. */
  patches: Map<string, Scalar>;
}

/** Decoded window states by `modelId/version/startMs`, with the revision they were stored at. */
export class WindowCache {
  private readonly entries = new Map<string, { rev: number; state: WindowState }>();
  constructor(private readonly capacity: number) {}

  get size(): number {
    return this.entries.size;
  }

  get(key: string): { rev: number; state: WindowState } | undefined {
    return this.entries.get(key);
  }

  set(key: string, rev: number, state: WindowState): void {
    this.entries.delete(key);
    this.entries.set(key, { rev, state });
    while (this.entries.size > this.capacity) {
      const oldest = this.entries.keys().next().value as string;
      this.entries.delete(oldest);
    }
  }
}

const keyOf = (modelId: number, version: string, startMs: number) =>
  `${modelId}\u0000${version}\u0000${startMs}`;

/** The deltas of one batch for one model, and their write into the `windows` table. */
export class WindowWrites {
  private readonly deltas = new Map<string, Delta>();
  /** What to put in the cache once the transaction committed. */
  private readonly committed: { key: string; rev: number; state: WindowState }[] = [];

  constructor(
    private readonly modelId: number,
    private readonly bucketMs: number,
    private readonly rng: Rng,
  ) {}

  /** The delta of the bucket holding event time `ts` of `version` (created empty on first use). */
  delta(version: string, ts: number): WindowState {
    return this.entry(version, ts).state;
  }

  /** Records that the sampled row of prediction `id` (of the bucket of `ts`) gets the label `value`. */
  patch(version: string, ts: number, id: string, value: Scalar): void {
    this.entry(version, ts).patches.set(id, value);
  }

  get isEmpty(): boolean {
    return this.deltas.size === 0;
  }

  private entry(version: string, ts: number): Delta {
    const startMs = Math.floor(ts / this.bucketMs) * this.bucketMs;
    const key = keyOf(this.modelId, version, startMs);
    let d = this.deltas.get(key);
    if (!d) {
      d = { version, startMs, state: emptyWindow(this.rng), patches: new Map() };
      this.deltas.set(key, d);
    }
    return d;
  }

  /**
   * Merges every delta into its stored bucket inside the caller's transaction (rows locked in key order,
   * so two batches touching the same buckets cannot deadlock each other).
   */
  async write(c: PoolClient, cache: WindowCache): Promise<void> {
    if (this.deltas.size === 0) return;
    const ordered = [...this.deltas.entries()].sort(([, a], [, b]) =>
      a.version < b.version ? -1 : a.version > b.version ? 1 : a.startMs - b.startMs,
    );
    const existing = await this.lockStored(c, ordered, cache);
    const missing = ordered.filter(([key]) => !existing.has(key));
    if (missing.length > 0) {
      const created = await this.insertNew(c, missing);
      const raced = missing.filter(([key]) => !created.has(key));
      if (raced.length > 0) for (const [k, v] of await this.lockStored(c, raced, cache)) existing.set(k, v);
    }
    for (const [key, d] of ordered) {
      const stored = existing.get(key);
      if (!stored) continue;
      const merged = mergeWindows(stored.state, d.state, this.rng);
      applyPatches(merged, d.patches);
      await c.query({
        name: 'faultline.window.update',
        text: 'UPDATE windows SET rev = $4, state = $5 WHERE model_id = $1 AND version = $2 AND start_ms = $3',
        values: [this.modelId, d.version, d.startMs, stored.rev + 1, encodeWindow(merged)],
      });
      this.committed.push({ key, rev: stored.rev + 1, state: merged });
    }
  }

  /** After COMMIT: the states this transaction wrote become the cached ones. */
  remember(cache: WindowCache): void {
    for (const w of this.committed) cache.set(w.key, w.rev, w.state);
  }

  /** Locks the stored rows among `entries` and returns their states (from the cache when current). */
  private async lockStored(
    c: PoolClient,
    entries: [string, Delta][],
    cache: WindowCache,
  ): Promise<Map<string, { rev: number; state: WindowState }>> {
    const versions = entries.map(([, d]) => d.version);
    const starts = entries.map(([, d]) => d.startMs);
    const cachedRevs = entries.map(([key]) => cache.get(key)?.rev ?? -1);
    const rows = await c.query<{ version: string; start_ms: number; rev: number; state: Buffer | null }>({
      name: 'faultline.window.lock',
      text: `SELECT w.version, w.start_ms, w.rev, CASE WHEN w.rev = k.cached THEN NULL ELSE w.state END AS state
             FROM windows w
             JOIN unnest($2::text[], $3::bigint[], $4::bigint[]) AS k (version, start_ms, cached)
               ON w.version = k.version AND w.start_ms = k.start_ms
             WHERE w.model_id = $1
             ORDER BY w.version, w.start_ms
             FOR UPDATE OF w`,
      values: [this.modelId, versions, starts, cachedRevs],
    });
    const out = new Map<string, { rev: number; state: WindowState }>();
    for (const r of rows.rows) {
      const key = keyOf(this.modelId, r.version, r.start_ms);
      const state = r.state === null ? cache.get(key)?.state : decodeWindow(r.state, this.rng);
      if (!state) throw new Error(`window ${key} was neither fetched nor cached`);
      out.set(key, { rev: r.rev, state });
    }
    return out;
  }

  /** Inserts the buckets no one has stored yet; returns the keys this transaction created. */
  private async insertNew(c: PoolClient, entries: [string, Delta][]): Promise<Set<string>> {
    const created = new Set<string>();
    for (const [key, d] of entries) {
      applyPatches(d.state, d.patches);
      const r = await c.query({
        name: 'faultline.window.insert',
        text: `INSERT INTO windows (model_id, version, start_ms, bucket_ms, rev, state)
               VALUES ($1, $2, $3, $4, 1, $5) ON CONFLICT DO NOTHING`,
        values: [this.modelId, d.version, d.startMs, this.bucketMs, encodeWindow(d.state)],
      });
      if (r.rowCount === 1) {
        created.add(key);
        this.committed.push({ key, rev: 1, state: d.state });
      }
    }
    return created;
  }
}

function applyPatches(state: WindowState, patches: Map<string, Scalar>): void {
  if (patches.size === 0) return;
  for (const row of state.sample.items()) {
    const label = patches.get(row.id);
    if (label !== undefined) row.label = label;
  }
}
