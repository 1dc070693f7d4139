/**
 * @module
 * The embedded store engine: one SQLite file (better-sqlite3, WAL journal).
 *
 * Durability. Every ingestion call is one transaction; the method resolves only after COMMIT returned, and
 * the collector answers 200 only after that. In WAL mode a committed transaction is in the WAL file
 * (written with write(2)) before COMMIT returns, so it survives the death of the process (`kill -9`) with
 * `synchronous=NORMAL` already: the OS keeps the written pages and the next open replays the WAL. What
 * NORMAL gives up is an fsync per commit, i.e. survival of an OS crash or power loss. The default here is
 * `FULL` (fsync of the WAL at every commit), so an acknowledged event also survives power loss; since the
 * collector commits once per request batch, not once per event, the fsync costs little throughput.
 * `synchronous: 'normal'` is offered for disks where fsync is slow.
 *
 * One collector process owns a file; other processes (`faultline token create`) may open it briefly for
 * small writes (busy_timeout covers the lock wait).
 */
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import type {
  FeedbackEvent,
  GenericEvent,
  Heartbeat,
  LabelEvent,
  Output,
  PredictionEvent,
  PredictionStatus,
  Scalar,
} from '../../core/contract/index.js';
import { DEFAULT_ALLOWED_LATENESS_MS, DEFAULT_WINDOW_MS, FaultlineError } from '../../core/contract/index.js';
import type { Evaluation } from '../../core/expectations/evaluate.js';
import type { Finding } from '../../core/findings/finding.js';
import type { Incident } from '../../core/incidents/incident.js';
import type { Rng } from '../../core/rng.js';
import { seededRng } from '../../core/rng.js';
import { changesSomething, currentIntended, type IntendedChange } from '../intended-history.js';
import { checkLeaseRequest } from '../lease.js';
import {
  json,
  jsonOrNull,
  num,
  numOrNull,
  type Row,
  str,
  strOrNull,
  toEvent,
  toHeartbeat,
  toInstance,
  toIntendedChange,
  toModel,
  toPrediction,
  toToken,
  toVersion,
} from '../rows.js';
import type {
  AlertDeliveryRecord,
  EngineCursorRecord,
  EngineStateStore,
  EngineStep,
  EvaluationQuery,
  EventRecord,
  FeedbackRecord,
  FindingQuery,
  HeartbeatRecord,
  IncidentQuery,
  IngestOutcome,
  InstanceRecord,
  LeaseResult,
  ModelExpectationsRecord,
  ModelRecord,
  ModelSpec,
  NewToken,
  PredictionRecord,
  ReferenceRecord,
  ServingRow,
  Store,
  StoredFinding,
  Timed,
  TimeRange,
  TokenRecord,
  VersionRecord,
  VersionSpec,
  WindowRecord,
} from '../store.js';
import { findingKey } from '../store.js';
import type { WindowState } from '../window-state.js';
import { decodeWindow, emptyWindow, encodeWindow } from '../window-state.js';
import { MIGRATIONS } from './migrations.js';
import type { ModelKey, OpenWindow } from './window-batch.js';
import { WindowBatch } from './window-batch.js';

export interface SqliteStoreOptions {
  /** `full` (default): fsync at every commit, survives power loss. `normal`: survives process death only. */
  synchronous?: 'full' | 'normal';
  /** Drives sketch compactions and window samples (default: a fixed seed). */
  rng?: Rng;
  /**
   * Decoded windows kept in memory between batches (default 64: the current hour of a few dozen model
   * versions), so that a batch updates a hot window without decoding it again.
   */
  windowCacheSize?: number;
}

/** Opens (creating if needed) a SQLite store at `path`, or in memory for `':memory:'`, and migrates it. */
export async function openSqliteStore(path: string, options: SqliteStoreOptions = {}): Promise<SqliteStore> {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  db.pragma(`synchronous = ${options.synchronous === 'normal' ? 'NORMAL' : 'FULL'}`);
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  migrate(db);
  return new SqliteStore(db, options.rng ?? seededRng(0x5eed), options.windowCacheSize ?? 64);
}

function migrate(db: Database.Database): void {
  db.exec(
    'CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at INTEGER NOT NULL)',
  );
  const applied = new Set(
    (db.prepare('SELECT version FROM schema_migrations').all() as Row[]).map((r) => num(r.version)),
  );
  for (const m of MIGRATIONS) {
    if (applied.has(m.version)) continue;
    db.transaction(() => {
      db.exec(m.sql);
      // The migration's own time is bookkeeping, not data the store answers with.
      db.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)').run(
        m.version,
        m.name,
        Date.now(),
      );
    }).immediate();
  }
}

export class SqliteStore implements Store, EngineStateStore {
  readonly engine = 'sqlite';
  private readonly db: Database.Database;
  private readonly s: ReturnType<typeof prepareStatements>;
  private readonly rng: Rng;
  private readonly cacheSize: number;
  /** Decoded windows by key with the revision they were written at; most recently used last. */
  private readonly cache = new Map<string, { rev: number; state: WindowState }>();
  /** Ingestion calls waiting for the next group commit. */
  private readonly queue: {
    run: (windows: WindowBatch) => IngestOutcome;
    resolve: (outcome: IngestOutcome) => void;
    reject: (error: unknown) => void;
  }[] = [];
  private drainScheduled = false;

  constructor(db: Database.Database, rng: Rng, cacheSize: number) {
    this.db = db;
    this.s = prepareStatements(db);
    this.rng = rng;
    this.cacheSize = Math.max(0, cacheSize);
  }

  /** Row counts and window bytes on disk (for diagnostics and benchmarks). */
  storageStats(): { predictions: number; windows: number; windowBytes: number } {
    const p = this.db.prepare('SELECT count(*) AS n FROM predictions').get() as Row;
    const w = this.db
      .prepare('SELECT count(*) AS n, coalesce(sum(length(state)), 0) AS bytes FROM windows')
      .get() as Row;
    return { predictions: num(p.n), windows: num(w.n), windowBytes: num(w.bytes) };
  }

  /** Windows held decoded in memory (for memory figures and tests). */
  cachedWindows(): number {
    return this.cache.size;
  }

  /** Applied migration versions, oldest first (for tests and diagnostics). */
  migrations(): number[] {
    return (this.db.prepare('SELECT version FROM schema_migrations ORDER BY version').all() as Row[]).map(
      (r) => num(r.version),
    );
  }

  /** Commits what is queued, then closes the file. */
  async close(): Promise<void> {
    if (this.queue.length > 0) this.drain();
    if (this.db.open) this.db.close();
  }

  // ── tokens ────────────────────────────────────────────────────────────────

  async insertToken(t: NewToken): Promise<void> {
    this.s.insertToken.run(t.id, t.project, t.role, t.label, t.hash, t.createdAtMs);
  }

  async findTokenByHash(hash: string): Promise<TokenRecord | null> {
    const r = this.s.tokenByHash.get(hash) as Row | undefined;
    return r ? toToken(r) : null;
  }

  async listTokens(project: string): Promise<TokenRecord[]> {
    return (this.s.tokensOf.all(project) as Row[]).map(toToken);
  }

  async revokeToken(project: string, id: string, atMs: number): Promise<boolean> {
    return this.s.revokeToken.run(atMs, project, id).changes > 0;
  }

  async countTokens(): Promise<number> {
    return num((this.s.countTokens.get() as Row).n);
  }

  // ── registry ──────────────────────────────────────────────────────────────

  async upsertModel(project: string, spec: ModelSpec, nowMs: number): Promise<ModelRecord> {
    return this.db
      .transaction(() => {
        const existing = this.s.modelByName.get(project, spec.name) as Row | undefined;
        if (!existing) {
          const windowMs = spec.windowMs ?? DEFAULT_WINDOW_MS;
          this.s.insertModel.run(
            project,
            spec.name,
            spec.description ?? null,
            spec.task ?? null,
            windowMs,
            spec.bucketMs ?? windowMs,
            spec.allowedLatenessMs ?? DEFAULT_ALLOWED_LATENESS_MS,
            nowMs,
          );
        } else {
          const bucketMs = spec.bucketMs ?? num(existing.bucket_ms);
          const windowMs = spec.windowMs ?? num(existing.window_ms);
          if (bucketMs !== num(existing.bucket_ms) && this.s.anyWindow.get(existing.id) !== undefined)
            throw new FaultlineError(
              'request.invalid',
              `bucketMs of model "${spec.name}" cannot change once windows exist`,
              {
                hint: `keep bucketMs ${num(existing.bucket_ms)}; windowMs may change to any multiple of it`,
                issues: [
                  { field: 'bucketMs', reason: 'windows are already stored at the current bucket size' },
                ],
              },
            );
          if (windowMs % bucketMs !== 0)
            throw new FaultlineError(
              'request.invalid',
              `windowMs ${windowMs} is not a multiple of bucketMs ${bucketMs}`,
              {
                issues: [{ field: 'windowMs', reason: `must be a multiple of bucketMs (${bucketMs})` }],
              },
            );
          this.s.updateModel.run(
            spec.description ?? existing.description ?? null,
            spec.task ?? existing.task ?? null,
            windowMs,
            bucketMs,
            spec.allowedLatenessMs ?? num(existing.allowed_lateness_ms),
            existing.id,
          );
        }
        return toModel(this.s.modelByName.get(project, spec.name) as Row);
      })
      .immediate();
  }

  async getModel(project: string, name: string): Promise<ModelRecord | null> {
    const r = this.s.modelByName.get(project, name) as Row | undefined;
    return r ? toModel(r) : null;
  }

  async listModels(project: string): Promise<ModelRecord[]> {
    return (this.s.modelsOf.all(project) as Row[]).map(toModel);
  }

  async registerVersion(
    project: string,
    model: string,
    spec: VersionSpec,
    nowMs: number,
  ): Promise<{ version: VersionRecord; created: boolean }> {
    return this.db
      .transaction(() => {
        const m = this.ensureModel(project, model, nowMs);
        const existing = this.s.versionRow.get(m.id, spec.version) as Row | undefined;
        if (existing && num(existing.registered) === 1 && existing.artifact_hash !== spec.artifactHash)
          throw new FaultlineError(
            'registry.version_conflict',
            `version "${spec.version}" of model "${model}" is registered with artifact hash ${str(existing.artifact_hash)}, not ${spec.artifactHash}`,
            { hint: 'register the new artifact under a new version name' },
          );
        const values = [
          spec.artifactHash,
          spec.description ?? (existing ? existing.description : null) ?? null,
          JSON.stringify(spec.validationMetrics ?? (existing ? json(existing.validation_metrics) : {})),
          spec.fingerprint
            ? JSON.stringify(spec.fingerprint)
            : ((existing?.fingerprint as string | null) ?? null),
          spec.schema ? JSON.stringify(spec.schema) : ((existing?.schema_json as string | null) ?? null),
        ];
        if (existing) this.s.updateVersion.run(...values, m.id, spec.version);
        else this.s.insertVersion.run(m.id, spec.version, ...values, 1, nowMs);
        if (spec.intended)
          this.recordIntended(m.id, { version: spec.version, effectiveAtMs: nowMs, recordedAtMs: nowMs });
        return { version: this.versionRecord(project, model, m.id, spec.version)!, created: !existing };
      })
      .immediate();
  }

  async getVersion(project: string, model: string, version: string): Promise<VersionRecord | null> {
    const m = this.modelKey(project, model);
    return m ? this.versionRecord(project, model, m.id, version) : null;
  }

  async listVersions(project: string, model: string): Promise<VersionRecord[]> {
    const m = this.modelKey(project, model);
    if (!m) return [];
    const intended = (this.s.modelById.get(m.id) as Row).intended_version;
    return (this.s.versionsOf.all(m.id) as Row[]).map((r) => toVersion(project, model, r, intended));
  }

  async setIntendedVersion(
    project: string,
    model: string,
    version: string,
    change: { effectiveAtMs: number; recordedAtMs: number },
  ): Promise<void> {
    const m = this.requireModel(project, model);
    if (!this.s.versionRow.get(m.id, version)) throw versionNotFound(model, version);
    this.db.transaction(() => this.recordIntended(m.id, { version, ...change })).immediate();
  }

  async listIntendedVersions(project: string, model: string): Promise<IntendedChange[]> {
    const m = this.modelKey(project, model);
    return m ? this.intendedChanges(m.id) : [];
  }

  private intendedChanges(modelId: number): IntendedChange[] {
    return (this.s.intendedChanges.all(modelId) as Row[]).map(toIntendedChange);
  }

  /** Keeps a change of the intended version (unless it alters nothing) and the current one; inside a transaction. */
  private recordIntended(modelId: number, change: IntendedChange): void {
    const changes = this.intendedChanges(modelId);
    if (!changesSomething(changes, change)) return;
    this.s.insertIntended.run(modelId, change.version, change.effectiveAtMs, change.recordedAtMs);
    this.s.setIntended.run(currentIntended([...changes, change]), modelId);
  }

  async putReference(project: string, model: string, version: string, ref: ReferenceRecord): Promise<void> {
    const m = this.requireModel(project, model);
    if (!this.s.versionRow.get(m.id, version)) throw versionNotFound(model, version);
    this.s.upsertReference.run(
      m.id,
      version,
      JSON.stringify(ref.info),
      Buffer.from(ref.profile.buffer, ref.profile.byteOffset, ref.profile.byteLength),
      JSON.stringify(ref.sample),
      ref.columnKinds ? JSON.stringify(ref.columnKinds) : null,
    );
  }

  async getReference(project: string, model: string, version: string): Promise<ReferenceRecord | null> {
    const m = this.modelKey(project, model);
    if (!m) return null;
    const r = this.s.referenceRow.get(m.id, version) as Row | undefined;
    if (!r) return null;
    const blob = r.profile as Buffer;
    return {
      info: json(r.info),
      profile: new Uint8Array(blob.buffer, blob.byteOffset, blob.byteLength),
      sample: json(r.sample),
      columnKinds: jsonOrNull(r.column_kinds) ?? undefined,
    };
  }

  // ── ingestion ─────────────────────────────────────────────────────────────

  async ingestPredictions(
    project: string,
    model: string,
    events: Timed<PredictionEvent>[],
    receivedAtMs: number,
  ): Promise<IngestOutcome> {
    return this.enqueue((windows): IngestOutcome => {
      const m = this.ensureModel(project, model, receivedAtMs);
      const knownVersions = new Set<string>();
      let accepted = 0;
      let latest = Number.NEGATIVE_INFINITY;
      for (const e of events) {
        if (!knownVersions.has(e.version)) {
          this.s.insertSeenVersion.run(m.id, e.version, e.artifactHash ?? null, receivedAtMs);
          knownVersions.add(e.version);
        }
        const output = e.output === undefined ? null : JSON.stringify(e.output);
        const inserted = this.s.insertPrediction.run(
          m.id,
          e.id,
          e.version,
          e.artifactHash ?? null,
          e.instance ?? null,
          e.timestamp,
          receivedAtMs,
          JSON.stringify(e.features),
          output,
          e.latencyMs ?? null,
          e.status ?? 'ok',
          e.errorKind ?? null,
        );
        if (inserted.changes === 0) continue;
        accepted += 1;
        if (e.timestamp > latest) latest = e.timestamp;
        const start = bucketStart(e.timestamp, m.bucketMs);
        windows.prediction(m, e.version, start, e);
        const pending = this.s.pendingLabel.get(m.id, e.id) as Row | undefined;
        if (pending) {
          const timeToLabelMs = num(pending.ts) - e.timestamp;
          this.s.joinLabel.run(timeToLabelMs, m.id, e.id);
          windows.label(m, e.version, start, {
            id: e.id,
            output: e.output ?? null,
            value: json(pending.value),
            timeToLabelMs,
          });
        }
      }
      if (accepted > 0) this.s.advanceLatest.run({ ts: latest, id: m.id });
      return { accepted, duplicates: events.length - accepted };
    });
  }

  async ingestLabels(
    project: string,
    model: string,
    labels: Timed<LabelEvent>[],
    receivedAtMs: number,
  ): Promise<IngestOutcome> {
    return this.enqueue((windows): IngestOutcome => {
      const m = this.ensureModel(project, model, receivedAtMs);
      let accepted = 0;
      let latest = Number.NEGATIVE_INFINITY;
      for (const l of labels) {
        const inserted = this.s.insertLabel.run(
          m.id,
          l.predictionId,
          JSON.stringify(l.value),
          l.timestamp,
          receivedAtMs,
        );
        if (inserted.changes === 0) continue;
        accepted += 1;
        if (l.timestamp > latest) latest = l.timestamp;
        const p = this.s.predictionForJoin.get(m.id, l.predictionId) as Row | undefined;
        if (!p) continue; // joined when the prediction arrives
        const timeToLabelMs = l.timestamp - num(p.ts);
        this.s.joinLabel.run(timeToLabelMs, m.id, l.predictionId);
        windows.label(m, str(p.version), bucketStart(num(p.ts), m.bucketMs), {
          id: l.predictionId,
          output: jsonOrNull<Output>(p.output),
          value: l.value,
          timeToLabelMs,
        });
      }
      if (accepted > 0) this.s.advanceLatest.run({ ts: latest, id: m.id });
      return { accepted, duplicates: labels.length - accepted };
    });
  }

  async ingestFeedback(
    project: string,
    model: string,
    events: Timed<FeedbackEvent>[],
    receivedAtMs: number,
  ): Promise<IngestOutcome> {
    return this.enqueue((windows): IngestOutcome => {
      const m = this.ensureModel(project, model, receivedAtMs);
      let accepted = 0;
      let latest = Number.NEGATIVE_INFINITY;
      for (const f of events) {
        const inserted = this.s.insertFeedback.run(
          m.id,
          f.id,
          f.predictionId,
          JSON.stringify(f.item),
          f.position ?? null,
          f.action,
          f.timestamp,
          receivedAtMs,
          f.instance ?? null,
        );
        if (inserted.changes === 0) continue;
        accepted += 1;
        if (f.timestamp > latest) latest = f.timestamp;
        // Feedback counts in the window of its own time, under the version that made the prediction.
        const p = this.s.predictionForJoin.get(m.id, f.predictionId) as Row | undefined;
        if (p) windows.feedback(m, str(p.version), bucketStart(f.timestamp, m.bucketMs), f);
      }
      if (accepted > 0) this.s.advanceLatest.run({ ts: latest, id: m.id });
      return { accepted, duplicates: events.length - accepted };
    });
  }

  async ingestHeartbeats(
    project: string,
    beats: Timed<Heartbeat>[],
    receivedAtMs: number,
  ): Promise<IngestOutcome> {
    return this.enqueue((): IngestOutcome => {
      let accepted = 0;
      for (const h of beats) {
        const id = h.id ?? `${h.instance}@${h.timestamp}`;
        const fingerprint = h.fingerprint ? JSON.stringify(h.fingerprint) : null;
        const inserted = this.s.insertHeartbeat.run(
          project,
          id,
          h.instance,
          h.model ?? null,
          h.version ?? null,
          h.artifactHash ?? null,
          h.timestamp,
          receivedAtMs,
          h.intervalMs ?? null,
          fingerprint,
          JSON.stringify(h.host ?? {}),
          JSON.stringify(h.checks ?? []),
          h.sdk ? JSON.stringify(h.sdk) : null,
        );
        if (inserted.changes === 0) continue;
        accepted += 1;
        const failed = (h.checks ?? []).filter((c) => !c.ok).map((c) => c.name);
        this.s.upsertInstance.run({
          project,
          instance: h.instance,
          model: h.model ?? null,
          version: h.version ?? null,
          hash: h.artifactHash ?? null,
          ts: h.timestamp,
          fingerprint,
          failed: JSON.stringify(failed),
        });
      }
      return { accepted, duplicates: beats.length - accepted };
    });
  }

  async ingestEvents(
    project: string,
    events: Timed<GenericEvent>[],
    receivedAtMs: number,
  ): Promise<IngestOutcome> {
    return this.enqueue((): IngestOutcome => {
      let accepted = 0;
      for (const e of events) {
        const inserted = this.s.insertEvent.run(
          project,
          e.id,
          e.kind,
          e.timestamp,
          receivedAtMs,
          e.model ?? null,
          e.version ?? null,
          e.instance ?? null,
          e.severity ?? null,
          e.message ?? null,
          JSON.stringify(e.attributes ?? {}),
        );
        accepted += inserted.changes;
      }
      return { accepted, duplicates: events.length - accepted };
    });
  }

  // ── queries ───────────────────────────────────────────────────────────────

  async getPrediction(project: string, model: string, id: string): Promise<PredictionRecord | null> {
    const m = this.modelKey(project, model);
    if (!m) return null;
    const r = this.s.predictionById.get(m.id, id) as Row | undefined;
    return r ? toPrediction(model, r) : null;
  }

  async listPredictions(
    project: string,
    model: string,
    q: TimeRange & { version?: string | undefined; instance?: string | undefined },
  ): Promise<PredictionRecord[]> {
    const m = this.modelKey(project, model);
    if (!m) return [];
    const where = ['p.model_id = ?'];
    const args: unknown[] = [m.id];
    rangeClause(where, args, 'p.ts', q);
    if (q.version !== undefined) where.push('p.version = ?') && args.push(q.version);
    if (q.instance !== undefined) where.push('p.instance = ?') && args.push(q.instance);
    const sql = `${PREDICTION_SELECT} WHERE ${where.join(' AND ')} ORDER BY p.ts DESC, p.seq DESC LIMIT ?`;
    return (this.db.prepare(sql).all(...args, q.limit) as Row[]).map((r) => toPrediction(model, r));
  }

  async listWindows(
    project: string,
    model: string,
    q: TimeRange & { version?: string | undefined },
  ): Promise<WindowRecord[]> {
    const m = this.modelKey(project, model);
    if (!m) return [];
    const where = ['model_id = ?'];
    const args: unknown[] = [m.id];
    rangeClause(where, args, 'start_ms', q);
    if (q.version !== undefined) where.push('version = ?') && args.push(q.version);
    const sql = `SELECT version, start_ms, bucket_ms, state FROM windows WHERE ${where.join(' AND ')} ORDER BY start_ms, version LIMIT ?`;
    return (this.db.prepare(sql).all(...args, q.limit) as Row[]).map((r) => ({
      model,
      version: str(r.version),
      startMs: num(r.start_ms),
      bucketMs: num(r.bucket_ms),
      state: decodeWindow(r.state as Uint8Array, this.rng),
    }));
  }

  async listEvents(
    project: string,
    q: TimeRange & { kind?: string | undefined; model?: string | undefined; instance?: string | undefined },
  ): Promise<EventRecord[]> {
    const where = ['project = ?'];
    const args: unknown[] = [project];
    rangeClause(where, args, 'ts', q);
    if (q.kind !== undefined) where.push('kind = ?') && args.push(q.kind);
    if (q.model !== undefined) where.push('model = ?') && args.push(q.model);
    if (q.instance !== undefined) where.push('instance = ?') && args.push(q.instance);
    const sql = `SELECT * FROM events WHERE ${where.join(' AND ')} ORDER BY ts DESC, seq DESC LIMIT ?`;
    return (this.db.prepare(sql).all(...args, q.limit) as Row[]).map(toEvent);
  }

  async listHeartbeats(
    project: string,
    q: TimeRange & { model?: string | undefined; instance?: string | undefined },
  ): Promise<HeartbeatRecord[]> {
    const where = ['project = ?'];
    const args: unknown[] = [project];
    rangeClause(where, args, 'ts', q);
    if (q.model !== undefined) where.push('model = ?') && args.push(q.model);
    if (q.instance !== undefined) where.push('instance = ?') && args.push(q.instance);
    const sql = `SELECT * FROM heartbeats WHERE ${where.join(' AND ')} ORDER BY ts DESC, seq DESC LIMIT ?`;
    return (this.db.prepare(sql).all(...args, q.limit) as Row[]).map(toHeartbeat);
  }

  async listInstances(project: string, q: { model?: string | undefined }): Promise<InstanceRecord[]> {
    const rows =
      q.model === undefined
        ? (this.db
            .prepare('SELECT * FROM instances WHERE project = ? ORDER BY instance')
            .all(project) as Row[])
        : (this.db
            .prepare('SELECT * FROM instances WHERE project = ? AND model = ? ORDER BY instance')
            .all(project, q.model) as Row[]);
    return rows.map(toInstance);
  }

  // --- analysis reads ---

  async listServingRows(
    project: string,
    model: string,
    q: TimeRange & { version?: string | undefined },
  ): Promise<ServingRow[]> {
    const m = this.modelKey(project, model);
    if (!m) return [];
    const where = ['model_id = ?'];
    const args: unknown[] = [m.id];
    rangeClause(where, args, 'ts', q);
    if (q.version !== undefined) where.push('version = ?') && args.push(q.version);
    const sql = `SELECT version, artifact_hash, instance, ts, latency_ms, status, error_kind FROM predictions
      WHERE ${where.join(' AND ')} ORDER BY ts, seq LIMIT ?`;
    return (this.db.prepare(sql).all(...args, q.limit) as Row[]).map((r) => ({
      version: str(r.version),
      artifactHash: strOrNull(r.artifact_hash),
      instance: strOrNull(r.instance),
      timestampMs: num(r.ts),
      latencyMs: numOrNull(r.latency_ms),
      status: str(r.status) as PredictionStatus,
      errorKind: strOrNull(r.error_kind),
    }));
  }

  async listFeedback(project: string, model: string, q: TimeRange): Promise<FeedbackRecord[]> {
    const m = this.modelKey(project, model);
    if (!m) return [];
    const where = ['model_id = ?'];
    const args: unknown[] = [m.id];
    rangeClause(where, args, 'ts', q);
    const sql = `SELECT id, prediction_id, item, position, action, ts, instance FROM feedback
      WHERE ${where.join(' AND ')} ORDER BY ts, id LIMIT ?`;
    return (this.db.prepare(sql).all(...args, q.limit) as Row[]).map((r) => ({
      id: str(r.id),
      predictionId: str(r.prediction_id),
      item: json<Scalar>(r.item),
      position: numOrNull(r.position),
      action: str(r.action),
      timestampMs: num(r.ts),
      instance: strOrNull(r.instance),
    }));
  }

  // --- end analysis reads ---

  // --- engine state ---

  async listProjects(): Promise<string[]> {
    return (this.db.prepare('SELECT DISTINCT project FROM models ORDER BY project').all() as Row[]).map((r) =>
      str(r.project),
    );
  }

  async saveEngineStep(project: string, step: EngineStep): Promise<boolean> {
    const putFinding = this.db.prepare(
      `INSERT INTO findings (project, fkey, model, detector, cause, version, instance, window_end, recorded_at, body)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (project, fkey) DO NOTHING`,
    );
    const putEvaluation = this.db.prepare(
      `INSERT INTO evaluations (project, dedupe_key, window_start, window_end, model, expectation_id, status, body)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (project, dedupe_key, window_end, window_start)
       DO UPDATE SET status = excluded.status, body = excluded.body`,
    );
    const currentCursor = this.db.prepare(
      'SELECT last_window_end FROM engine_cursors WHERE project = ? AND model = ? AND window_ms = ?',
    );
    const putCursor = this.db.prepare(
      `INSERT INTO engine_cursors (project, model, window_ms, last_window_end, figures, updated_at)
       VALUES (?, ?, ?, ?, ?, ?)
       ON CONFLICT (project, model, window_ms) DO UPDATE SET last_window_end = excluded.last_window_end,
         figures = excluded.figures, updated_at = excluded.updated_at`,
    );
    return this.db
      .transaction(() => {
        const c = step.cursor;
        if (step.previousWindowEndMs !== undefined) {
          // The write lock of this IMMEDIATE transaction is held: no other process can move the cursor meanwhile.
          const row = currentCursor.get(project, c.model, c.windowMs) as Row | undefined;
          const current = row === undefined ? null : num(row.last_window_end);
          if (current !== step.previousWindowEndMs) return false;
        }
        for (const f of step.findings)
          putFinding.run(
            project,
            findingKey(f),
            f.subject.model,
            f.detector,
            f.cause,
            f.subject.version ?? null,
            f.subject.instance ?? null,
            f.window.endMs,
            step.recordedAtMs,
            JSON.stringify(f),
          );
        for (const e of step.evaluations)
          putEvaluation.run(
            project,
            e.dedupeKey,
            e.window.startMs,
            e.window.endMs,
            e.model,
            e.expectationId,
            e.status,
            JSON.stringify(e),
          );
        for (const inc of step.incidents) this.writeIncident(project, inc);
        putCursor.run(
          project,
          c.model,
          c.windowMs,
          c.lastWindowEndMs,
          c.figures === null ? null : JSON.stringify(c.figures),
          c.updatedAtMs,
        );
        return true;
      })
      .immediate();
  }

  async listFindings(project: string, q: FindingQuery): Promise<StoredFinding[]> {
    const where = ['project = ?'];
    const args: unknown[] = [project];
    equalsClause(where, args, [
      ['model', q.model],
      ['cause', q.cause],
      ['detector', q.detector],
      ['version', q.version],
      ['instance', q.instance],
    ]);
    rangeClause(where, args, 'window_end', q);
    const rows = this.db
      .prepare(
        `SELECT fkey, recorded_at, body FROM findings WHERE ${where.join(' AND ')}
         ORDER BY window_end DESC, fkey LIMIT ?`,
      )
      .all(...args, q.limit) as Row[];
    return rows.map((r) => ({
      key: str(r.fkey),
      finding: json<Finding>(r.body),
      recordedAtMs: num(r.recorded_at),
    }));
  }

  async listEvaluations(project: string, q: EvaluationQuery): Promise<Evaluation[]> {
    const where = ['project = ?'];
    const args: unknown[] = [project];
    equalsClause(where, args, [
      ['model', q.model],
      ['expectation_id', q.expectationId],
      ['status', q.status],
    ]);
    rangeClause(where, args, 'window_end', q);
    const rows = this.db
      .prepare(
        `SELECT body FROM evaluations WHERE ${where.join(' AND ')}
         ORDER BY window_end DESC, model, expectation_id, dedupe_key LIMIT ?`,
      )
      .all(...args, q.limit) as Row[];
    return rows.map((r) => json<Evaluation>(r.body));
  }

  async latestEvaluations(project: string, q: { model?: string | undefined }): Promise<Evaluation[]> {
    const byModel = q.model === undefined ? '' : 'AND model = ?';
    const rows = this.db
      .prepare(
        `SELECT e.body FROM evaluations e
         JOIN (SELECT dedupe_key, max(window_end) AS last_end FROM evaluations
               WHERE project = ? ${byModel} GROUP BY dedupe_key) l
           ON e.dedupe_key = l.dedupe_key AND e.window_end = l.last_end
         WHERE e.project = ?
         ORDER BY e.model, e.dedupe_key, e.window_start DESC`,
      )
      .all(...(q.model === undefined ? [project] : [project, q.model]), project) as Row[];
    // Two windows of one key may end together (never for one expectation length); keep the first.
    const seen = new Set<string>();
    const out: Evaluation[] = [];
    for (const r of rows) {
      const e = json<Evaluation>(r.body);
      if (seen.has(e.dedupeKey)) continue;
      seen.add(e.dedupeKey);
      out.push(e);
    }
    return out;
  }

  async getIncident(project: string, id: string): Promise<Incident | null> {
    const r = this.db.prepare('SELECT body FROM incidents WHERE project = ? AND id = ?').get(project, id) as
      | Row
      | undefined;
    return r ? json<Incident>(r.body) : null;
  }

  async listIncidents(project: string, q: IncidentQuery): Promise<Incident[]> {
    const where = ['project = ?'];
    const args: unknown[] = [project];
    if (q.model !== undefined) {
      where.push('model = ?');
      args.push(q.model);
    }
    if (q.status !== undefined && q.status.length > 0) {
      where.push(`status IN (${q.status.map(() => '?').join(', ')})`);
      args.push(...q.status);
    }
    rangeClause(where, args, 'opened_at', { fromMs: q.fromMs, toMs: q.toMs, limit: q.limit });
    const rows = this.db
      .prepare(`SELECT body FROM incidents WHERE ${where.join(' AND ')} ORDER BY opened_at DESC, id LIMIT ?`)
      .all(...args, q.limit) as Row[];
    return rows.map((r) => json<Incident>(r.body));
  }

  async putIncident(project: string, incident: Incident): Promise<void> {
    this.writeIncident(project, incident);
  }

  private writeIncident(project: string, inc: Incident): void {
    this.db
      .prepare(
        `INSERT INTO incidents (project, id, dedupe_key, model, status, opened_at, body) VALUES (?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (project, id) DO UPDATE SET status = excluded.status, body = excluded.body`,
      )
      .run(project, inc.id, inc.dedupeKey, inc.model, inc.status, inc.openedAtMs, JSON.stringify(inc));
  }

  async putModelExpectations(project: string, record: ModelExpectationsRecord): Promise<void> {
    this.db
      .prepare(
        `INSERT INTO model_expectations (project, model, body, updated_at) VALUES (?, ?, ?, ?)
         ON CONFLICT (project, model) DO UPDATE SET body = excluded.body, updated_at = excluded.updated_at`,
      )
      .run(project, record.model, JSON.stringify(record.input), record.updatedAtMs);
  }

  async deleteModelExpectations(project: string, model: string): Promise<boolean> {
    return (
      this.db.prepare('DELETE FROM model_expectations WHERE project = ? AND model = ?').run(project, model)
        .changes > 0
    );
  }

  async listModelExpectations(project: string): Promise<ModelExpectationsRecord[]> {
    const rows = this.db
      .prepare('SELECT model, body, updated_at FROM model_expectations WHERE project = ? ORDER BY model')
      .all(project) as Row[];
    return rows.map((r) => ({
      model: str(r.model),
      input: json<ModelExpectationsRecord['input']>(r.body),
      updatedAtMs: num(r.updated_at),
    }));
  }

  async putAlertDelivery(project: string, d: AlertDeliveryRecord): Promise<void> {
    this.db
      .prepare(
        `INSERT INTO alert_deliveries (project, id, incident_id, status, created_at, body) VALUES (?, ?, ?, ?, ?, ?)
         ON CONFLICT (project, id) DO UPDATE SET status = excluded.status, body = excluded.body`,
      )
      .run(project, d.id, d.incidentId, d.status, d.createdAtMs, JSON.stringify(d));
  }

  async listAlertDeliveries(
    project: string,
    q: { incidentId?: string | undefined; status?: AlertDeliveryRecord['status'] | undefined; limit: number },
  ): Promise<AlertDeliveryRecord[]> {
    const where = ['project = ?'];
    const args: unknown[] = [project];
    if (q.incidentId !== undefined) {
      where.push('incident_id = ?');
      args.push(q.incidentId);
    }
    if (q.status !== undefined) {
      where.push('status = ?');
      args.push(q.status);
    }
    const rows = this.db
      .prepare(
        `SELECT body FROM alert_deliveries WHERE ${where.join(' AND ')} ORDER BY created_at DESC, id LIMIT ?`,
      )
      .all(...args, q.limit) as Row[];
    return rows.map((r) => json<AlertDeliveryRecord>(r.body));
  }

  async listEngineCursors(project: string, q: { model?: string | undefined }): Promise<EngineCursorRecord[]> {
    const rows = (
      q.model === undefined
        ? this.db
            .prepare('SELECT * FROM engine_cursors WHERE project = ? ORDER BY model, window_ms')
            .all(project)
        : this.db
            .prepare('SELECT * FROM engine_cursors WHERE project = ? AND model = ? ORDER BY window_ms')
            .all(project, q.model)
    ) as Row[];
    return rows.map((r) => ({
      model: str(r.model),
      windowMs: num(r.window_ms),
      lastWindowEndMs: num(r.last_window_end),
      figures: jsonOrNull(r.figures),
      updatedAtMs: num(r.updated_at),
    }));
  }

  // --- end engine state ---

  // ── leases ────────────────────────────────────────────────────────────────

  async tryAcquireLease(name: string, holder: string, ttlMs: number): Promise<LeaseResult> {
    checkLeaseRequest(name, holder, ttlMs);
    return this.db
      .transaction((): LeaseResult => {
        const now = num((this.db.prepare(SQLITE_NOW_MS).get() as Row).now);
        const won = this.db
          .prepare(
            `INSERT INTO leases (name, holder, expires_at, fence) VALUES (@name, @holder, @expires, 1)
             ON CONFLICT (name) DO UPDATE SET holder = excluded.holder, expires_at = excluded.expires_at,
               fence = CASE WHEN holder = excluded.holder THEN fence ELSE fence + 1 END
             WHERE holder = excluded.holder OR expires_at <= @now
             RETURNING holder, expires_at, fence`,
          )
          .get({ name, holder, expires: now + ttlMs, now }) as Row | undefined;
        const r = won ?? (this.db.prepare('SELECT * FROM leases WHERE name = ?').get(name) as Row);
        return {
          acquired: won !== undefined,
          holder: str(r.holder),
          expiresAtMs: num(r.expires_at),
          fence: num(r.fence),
        };
      })
      .immediate();
  }

  async releaseLease(name: string, holder: string): Promise<boolean> {
    const now = num((this.db.prepare(SQLITE_NOW_MS).get() as Row).now);
    const r = this.db
      .prepare('UPDATE leases SET expires_at = ? WHERE name = ? AND holder = ? AND expires_at > ?')
      .run(now, name, holder, now);
    return r.changes > 0;
  }

  // ── internals ─────────────────────────────────────────────────────────────

  private modelKey(project: string, name: string): ModelKey | null {
    const r = this.s.modelKey.get(project, name) as Row | undefined;
    return r ? { id: num(r.id), bucketMs: num(r.bucket_ms) } : null;
  }

  private requireModel(project: string, name: string): ModelKey {
    const m = this.modelKey(project, name);
    if (!m)
      throw new FaultlineError(
        'registry.model_not_found',
        `model "${name}" does not exist in project "${project}"`,
        {
          hint: 'create it with POST /v1/models or send its predictions first',
        },
      );
    return m;
  }

  /** The model's key, creating the model with default settings on first sight (inside a transaction). */
  private ensureModel(project: string, name: string, nowMs: number): ModelKey {
    const m = this.modelKey(project, name);
    if (m) return m;
    this.s.insertModel.run(
      project,
      name,
      null,
      null,
      DEFAULT_WINDOW_MS,
      DEFAULT_WINDOW_MS,
      DEFAULT_ALLOWED_LATENESS_MS,
      nowMs,
    );
    return this.modelKey(project, name)!;
  }

  private versionRecord(
    project: string,
    model: string,
    modelId: number,
    version: string,
  ): VersionRecord | null {
    const r = this.s.versionRow.get(modelId, version) as Row | undefined;
    if (!r) return null;
    const intended = (this.s.modelById.get(modelId) as Row).intended_version;
    return toVersion(project, model, r, intended);
  }

  /** Reads a window for update: from the cache when its revision is current, else from its blob. */
  private loadWindow(key: string, m: ModelKey, version: string, startMs: number): OpenWindow {
    const stored = this.s.windowRev.get(m.id, version, startMs) as Row | undefined;
    const base = { key, modelId: m.id, version, startMs, bucketMs: m.bucketMs, ops: [] };
    if (!stored) return { ...base, rev: 0, state: emptyWindow(this.rng) };
    const rev = num(stored.rev);
    const cached = this.cache.get(key);
    if (cached && cached.rev === rev) return { ...base, rev, state: cached.state };
    const blob = (this.s.windowState.get(m.id, version, startMs) as Row).state as Uint8Array;
    return { ...base, rev, state: decodeWindow(blob, this.rng) };
  }

  /**
   * Queues an ingestion call. Calls queued while the event loop was busy run together in one transaction
   * (group commit): one COMMIT, one fsync and one write per touched window for all of them. Each call's
   * promise resolves with its own outcome after that COMMIT.
   */
  private enqueue(run: (windows: WindowBatch) => IngestOutcome): Promise<IngestOutcome> {
    return new Promise((resolve, reject) => {
      this.queue.push({ run, resolve, reject });
      if (!this.drainScheduled) {
        this.drainScheduled = true;
        setImmediate(() => this.drain());
      }
    });
  }

  private drain(): void {
    this.drainScheduled = false;
    const jobs = this.queue.splice(0);
    if (jobs.length === 0) return;
    try {
      const outcomes = this.runGroup(jobs.map((j) => j.run));
      for (const [i, j] of jobs.entries()) j.resolve(outcomes[i] as IngestOutcome);
    } catch (e) {
      if (jobs.length === 1) {
        jobs[0]?.reject(e);
        return;
      }
      // One call failed and rolled the group back: run each alone so that only the failing one fails.
      for (const j of jobs) {
        try {
          j.resolve(this.runGroup([j.run])[0] as IngestOutcome);
        } catch (err) {
          j.reject(err);
        }
      }
    }
  }

  /**
   * Runs calls in one transaction and writes their windows before COMMIT. After COMMIT the windows enter
   * the cache at their new revision; after a rollback they leave it, since they were changed in place.
   */
  private runGroup(runs: ((windows: WindowBatch) => IngestOutcome)[]): IngestOutcome[] {
    const windows = new WindowBatch((key, m, version, startMs) => this.loadWindow(key, m, version, startMs));
    let outcomes: IngestOutcome[];
    try {
      outcomes = this.db
        .transaction(() => {
          const out = runs.map((run) => run(windows));
          for (const w of windows.settle())
            this.s.upsertWindow.run(
              w.modelId,
              w.version,
              w.startMs,
              w.bucketMs,
              w.rev + 1,
              encodeWindow(w.state),
            );
          return out;
        })
        .immediate();
    } catch (e) {
      for (const key of windows.open.keys()) this.cache.delete(key);
      throw e;
    }
    for (const w of windows.open.values()) {
      this.cache.delete(w.key);
      this.cache.set(w.key, { rev: w.rev + 1, state: w.state });
    }
    while (this.cache.size > this.cacheSize) this.cache.delete(this.cache.keys().next().value as string);
    return outcomes;
  }
}

/** The clock of leases: SQLite's own (the OS clock of the one machine sharing the file), in epoch ms. */
const SQLITE_NOW_MS = "SELECT CAST(unixepoch('subsec') * 1000 AS INTEGER) AS now";

function bucketStart(ts: number, bucketMs: number): number {
  return Math.floor(ts / bucketMs) * bucketMs;
}

/** `column = ?` for each given value (an undefined value adds no condition). */
function equalsClause(
  where: string[],
  args: unknown[],
  pairs: readonly (readonly [string, unknown])[],
): void {
  for (const [column, value] of pairs)
    if (value !== undefined) {
      where.push(`${column} = ?`);
      args.push(value);
    }
}

function rangeClause(where: string[], args: unknown[], column: string, q: TimeRange): void {
  if (q.fromMs !== undefined) where.push(`${column} >= ?`) && args.push(q.fromMs);
  if (q.toMs !== undefined) where.push(`${column} < ?`) && args.push(q.toMs);
}

function versionNotFound(model: string, version: string): FaultlineError {
  return new FaultlineError('registry.version_not_found', `model "${model}" has no version "${version}"`, {
    hint: `register it with POST /v1/models/${model}/versions`,
  });
}

const PREDICTION_SELECT = `SELECT p.*, l.value AS label_value, l.ts AS label_ts, l.received_at AS label_received_at,
  l.time_to_label_ms AS label_ttl FROM predictions p
  LEFT JOIN labels l ON l.model_id = p.model_id AND l.prediction_id = p.id`;

function prepareStatements(db: Database.Database) {
  return {
    insertToken: db.prepare(
      'INSERT INTO tokens (id, project, role, label, hash, created_at) VALUES (?, ?, ?, ?, ?, ?)',
    ),
    tokenByHash: db.prepare('SELECT * FROM tokens WHERE hash = ? AND revoked_at IS NULL'),
    tokensOf: db.prepare('SELECT * FROM tokens WHERE project = ? ORDER BY created_at, id'),
    revokeToken: db.prepare(
      'UPDATE tokens SET revoked_at = ? WHERE project = ? AND id = ? AND revoked_at IS NULL',
    ),
    countTokens: db.prepare('SELECT count(*) AS n FROM tokens'),
    modelKey: db.prepare('SELECT id, bucket_ms FROM models WHERE project = ? AND name = ?'),
    modelByName: db.prepare('SELECT * FROM models WHERE project = ? AND name = ?'),
    modelById: db.prepare('SELECT * FROM models WHERE id = ?'),
    modelsOf: db.prepare('SELECT * FROM models WHERE project = ? ORDER BY name'),
    insertModel: db.prepare(
      `INSERT INTO models (project, name, description, task, window_ms, bucket_ms, allowed_lateness_ms, created_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
    ),
    updateModel: db.prepare(
      'UPDATE models SET description = ?, task = ?, window_ms = ?, bucket_ms = ?, allowed_lateness_ms = ? WHERE id = ?',
    ),
    anyWindow: db.prepare('SELECT 1 FROM windows WHERE model_id = ? LIMIT 1'),
    advanceLatest: db.prepare(
      'UPDATE models SET latest_event_ms = max(coalesce(latest_event_ms, @ts), @ts) WHERE id = @id',
    ),
    setIntended: db.prepare('UPDATE models SET intended_version = ? WHERE id = ?'),
    intendedChanges: db.prepare(
      'SELECT version, effective_at, recorded_at FROM intended_versions WHERE model_id = ? ORDER BY seq',
    ),
    insertIntended: db.prepare(
      'INSERT INTO intended_versions (model_id, version, effective_at, recorded_at) VALUES (?, ?, ?, ?)',
    ),
    versionRow: db.prepare(
      `SELECT v.*, r.info AS reference_info FROM model_versions v
       LEFT JOIN reference_data r ON r.model_id = v.model_id AND r.version = v.version
       WHERE v.model_id = ? AND v.version = ?`,
    ),
    versionsOf: db.prepare(
      `SELECT v.*, r.info AS reference_info FROM model_versions v
       LEFT JOIN reference_data r ON r.model_id = v.model_id AND r.version = v.version
       WHERE v.model_id = ? ORDER BY v.created_at, v.version`,
    ),
    insertVersion: db.prepare(
      `INSERT INTO model_versions (model_id, version, artifact_hash, description, validation_metrics, fingerprint,
        schema_json, registered, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ),
    insertSeenVersion: db.prepare(
      `INSERT INTO model_versions (model_id, version, artifact_hash, registered, created_at) VALUES (?, ?, ?, 0, ?)
       ON CONFLICT DO NOTHING`,
    ),
    updateVersion: db.prepare(
      `UPDATE model_versions SET artifact_hash = ?, description = ?, validation_metrics = ?, fingerprint = ?,
        schema_json = ?, registered = 1 WHERE model_id = ? AND version = ?`,
    ),
    upsertReference: db.prepare(
      `INSERT INTO reference_data (model_id, version, info, profile, sample, column_kinds) VALUES (?, ?, ?, ?, ?, ?)
       ON CONFLICT (model_id, version) DO UPDATE SET info = excluded.info, profile = excluded.profile,
       sample = excluded.sample, column_kinds = excluded.column_kinds`,
    ),
    referenceRow: db.prepare('SELECT * FROM reference_data WHERE model_id = ? AND version = ?'),
    insertPrediction: db.prepare(
      `INSERT INTO predictions (model_id, id, version, artifact_hash, instance, ts, received_at, features, output,
        latency_ms, status, error_kind) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`,
    ),
    predictionById: db.prepare(`${PREDICTION_SELECT} WHERE p.model_id = ? AND p.id = ?`),
    predictionForJoin: db.prepare(
      'SELECT version, ts, output FROM predictions WHERE model_id = ? AND id = ?',
    ),
    insertLabel: db.prepare(
      `INSERT INTO labels (model_id, prediction_id, value, ts, received_at) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT DO NOTHING`,
    ),
    pendingLabel: db.prepare(
      'SELECT value, ts FROM labels WHERE model_id = ? AND prediction_id = ? AND time_to_label_ms IS NULL',
    ),
    joinLabel: db.prepare('UPDATE labels SET time_to_label_ms = ? WHERE model_id = ? AND prediction_id = ?'),
    insertFeedback: db.prepare(
      `INSERT INTO feedback (model_id, id, prediction_id, item, position, action, ts, received_at, instance)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`,
    ),
    insertHeartbeat: db.prepare(
      `INSERT INTO heartbeats (project, id, instance, model, version, artifact_hash, ts, received_at, interval_ms,
        fingerprint, host, checks, sdk) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`,
    ),
    upsertInstance: db.prepare(
      `INSERT INTO instances (project, instance, model, version, artifact_hash, first_seen, last_seen, heartbeats,
        fingerprint, failed_checks) VALUES (@project, @instance, @model, @version, @hash, @ts, @ts, 1, @fingerprint, @failed)
       ON CONFLICT (project, instance) DO UPDATE SET
        heartbeats = heartbeats + 1,
        first_seen = min(first_seen, excluded.first_seen),
        model = CASE WHEN excluded.last_seen >= last_seen THEN coalesce(excluded.model, model) ELSE model END,
        version = CASE WHEN excluded.last_seen >= last_seen THEN coalesce(excluded.version, version) ELSE version END,
        artifact_hash = CASE WHEN excluded.last_seen >= last_seen
          THEN coalesce(excluded.artifact_hash, artifact_hash) ELSE artifact_hash END,
        fingerprint = CASE WHEN excluded.last_seen >= last_seen
          THEN coalesce(excluded.fingerprint, fingerprint) ELSE fingerprint END,
        failed_checks = CASE WHEN excluded.last_seen >= last_seen THEN excluded.failed_checks ELSE failed_checks END,
        last_seen = max(last_seen, excluded.last_seen)`,
    ),
    insertEvent: db.prepare(
      `INSERT INTO events (project, id, kind, ts, received_at, model, version, instance, severity, message, attributes)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`,
    ),
    windowRev: db.prepare('SELECT rev FROM windows WHERE model_id = ? AND version = ? AND start_ms = ?'),
    windowState: db.prepare('SELECT state FROM windows WHERE model_id = ? AND version = ? AND start_ms = ?'),
    upsertWindow: db.prepare(
      `INSERT INTO windows (model_id, version, start_ms, bucket_ms, rev, state) VALUES (?, ?, ?, ?, ?, ?)
       ON CONFLICT (model_id, version, start_ms) DO UPDATE SET rev = excluded.rev, state = excluded.state`,
    ),
  };
}
