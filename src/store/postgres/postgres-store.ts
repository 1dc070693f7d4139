/**
 * @module
 * The scale-out store engine: PostgreSQL (`pg`), shared by any number of collector and worker processes.
 *
 * Durability. Every ingestion call is one transaction and resolves only after COMMIT returned; with the
 * server's default `synchronous_commit = on` the commit is flushed to its WAL first, so what the collector
 * acknowledges (or a worker acknowledges to JetStream) survives the death of any process.
 *
 * Concurrency. Several processes ingest at once, so the engine never relies on being alone:
 * - an event id is stored once (`ON CONFLICT DO NOTHING` on the primary key); only the events this
 *   transaction inserted reach the windows, so a batch delivered twice is counted once;
 * - window buckets are merged under row locks (see `window-writes.ts`): no lost update;
 * - a label and its prediction arriving at the same moment in two transactions must still meet. Each side
 *   takes transaction-scoped advisory locks on hash buckets of the prediction ids before it looks for the
 *   other (predictions in shared mode, labels in exclusive mode), so one of the two always sees the other
 *   committed. Predictions never wait for each other on these locks.
 * - deadlocks and serialization failures roll back and run again (`inTransaction`).
 *
 * Order. Text sort keys use the "C" collation, so rows come back in the same order as from SQLite
 * whatever the database's locale.
 *
 * Time. Like every engine it takes `receivedAtMs` / `nowMs` from the caller, except for leases, which
 * use the database server's clock so that holders on machines whose clocks disagree still agree.
 */
import type pg from 'pg';
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
import type { Incident } from '../../core/incidents/incident.js';
import type { Rng } from '../../core/rng.js';
import { seededRng } from '../../core/rng.js';
import { changesSomething, currentIntended, type IntendedChange } from '../intended-history.js';
import { checkLeaseRequest } from '../lease.js';
import type { Row } from '../rows.js';
import {
  json,
  jsonOrNull,
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
  AlertDeliveryStatus,
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
import { addFeedback, addJoinedLabel, addPrediction, decodeWindow } from '../window-state.js';
import type { PgLocation } from './connection.js';
import { createPool, inTransaction, migrate, parsePostgresUrl } from './connection.js';
import { PgEngineState } from './engine-state.js';
import { WindowCache, WindowWrites } from './window-writes.js';

export interface PostgresStoreOptions {
  /** Drives sketch compactions and window samples (default: a fixed seed). */
  rng?: Rng;
  /** Decoded windows kept per process between batches (default 64). */
  windowCacheSize?: number;
}

/**
 * Hash buckets per model for the label/prediction join locks: enough that predictions and labels of
 * unrelated ids rarely wait for each other, few enough that a batch takes a bounded number of locks
 * (PostgreSQL's lock table is shared and small).
 */
export const JOIN_LOCK_BUCKETS = 64;

/** Opens the store at a `postgres://…?schema=…` URL, creating and migrating its schema if needed. */
export async function openPostgresStore(
  url: string,
  options: PostgresStoreOptions = {},
): Promise<PostgresStore> {
  const loc = parsePostgresUrl(url);
  const pool = createPool(loc);
  try {
    const applied = await migrate(pool, loc.schema);
    return new PostgresStore(pool, loc, applied, options);
  } catch (e) {
    await pool.end();
    throw e;
  }
}

interface ModelKey {
  id: number;
  bucketMs: number;
}

/** The first event of each id, in batch order (a later copy in the same batch is a duplicate). */
function firstOfEach<E>(events: readonly E[], idOf: (e: E) => string): E[] {
  const seen = new Set<string>();
  const out: E[] = [];
  for (const e of events) {
    const id = idOf(e);
    if (seen.has(id)) continue;
    seen.add(id);
    out.push(e);
  }
  return out;
}

const PREDICTION_SELECT = `SELECT p.*, l.value AS label_value, l.ts AS label_ts, l.received_at AS label_received_at,
  l.time_to_label_ms AS label_ttl FROM predictions p
  LEFT JOIN labels l ON l.model_id = p.model_id AND l.prediction_id = p.id`;

const VERSION_SELECT = `SELECT v.*, r.info AS reference_info, m.intended_version FROM model_versions v
  JOIN models m ON m.id = v.model_id
  LEFT JOIN reference_data r ON r.model_id = v.model_id AND r.version = v.version`;

export class PostgresStore implements Store, EngineStateStore {
  readonly engine = 'postgres';
  private readonly rng: Rng;
  private readonly cache: WindowCache;
  private readonly state: PgEngineState;
  private closed = false;

  constructor(
    private readonly pool: pg.Pool,
    readonly location: PgLocation,
    private readonly applied: number[],
    options: PostgresStoreOptions = {},
  ) {
    this.rng = options.rng ?? seededRng(0x5eed);
    this.cache = new WindowCache(Math.max(0, options.windowCacheSize ?? 64));
    this.state = new PgEngineState(pool);
  }

  /** Applied migration versions, oldest first. */
  migrations(): number[] {
    return [...this.applied];
  }

  /** Windows held decoded in memory (for memory figures and tests). */
  cachedWindows(): number {
    return this.cache.size;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.pool.end();
  }

  private async rows(text: string, values: unknown[] = []): Promise<Row[]> {
    return (await this.pool.query(text, values)).rows as Row[];
  }

  // ── tokens ────────────────────────────────────────────────────────────────

  async insertToken(t: NewToken): Promise<void> {
    await this.pool.query(
      'INSERT INTO tokens (id, project, role, label, hash, created_at) VALUES ($1, $2, $3, $4, $5, $6)',
      [t.id, t.project, t.role, t.label, t.hash, t.createdAtMs],
    );
  }

  async findTokenByHash(hash: string): Promise<TokenRecord | null> {
    const [r] = await this.rows('SELECT * FROM tokens WHERE hash = $1 AND revoked_at IS NULL', [hash]);
    return r ? toToken(r) : null;
  }

  async listTokens(project: string): Promise<TokenRecord[]> {
    return (
      await this.rows('SELECT * FROM tokens WHERE project = $1 ORDER BY created_at, id COLLATE "C"', [
        project,
      ])
    ).map(toToken);
  }

  async revokeToken(project: string, id: string, atMs: number): Promise<boolean> {
    const r = await this.pool.query(
      'UPDATE tokens SET revoked_at = $1 WHERE project = $2 AND id = $3 AND revoked_at IS NULL',
      [atMs, project, id],
    );
    return (r.rowCount ?? 0) > 0;
  }

  async countTokens(): Promise<number> {
    const [r] = await this.rows('SELECT count(*)::bigint AS n FROM tokens');
    return Number(r?.n ?? 0);
  }

  // ── registry ──────────────────────────────────────────────────────────────

  async upsertModel(project: string, spec: ModelSpec, nowMs: number): Promise<ModelRecord> {
    return inTransaction(this.pool, async (c) => {
      const windowMs0 = spec.windowMs ?? DEFAULT_WINDOW_MS;
      const inserted = await c.query(
        `INSERT INTO models (project, name, description, task, window_ms, bucket_ms, allowed_lateness_ms, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (project, name) DO NOTHING RETURNING *`,
        [
          project,
          spec.name,
          spec.description ?? null,
          spec.task ?? null,
          windowMs0,
          spec.bucketMs ?? windowMs0,
          spec.allowedLatenessMs ?? DEFAULT_ALLOWED_LATENESS_MS,
          nowMs,
        ],
      );
      if (inserted.rows[0]) return toModel(inserted.rows[0] as Row);
      const existing = (
        await c.query('SELECT * FROM models WHERE project = $1 AND name = $2 FOR UPDATE', [
          project,
          spec.name,
        ])
      ).rows[0] as Row;
      const storedBucket = Number(existing.bucket_ms);
      const bucketMs = spec.bucketMs ?? storedBucket;
      const windowMs = spec.windowMs ?? Number(existing.window_ms);
      if (bucketMs !== storedBucket) {
        const any = await c.query('SELECT 1 FROM windows WHERE model_id = $1 LIMIT 1', [existing.id]);
        if ((any.rowCount ?? 0) > 0)
          throw new FaultlineError(
            'request.invalid',
            `bucketMs of model "${spec.name}" cannot change once windows exist`,
            {
              hint: `keep bucketMs ${storedBucket}; windowMs may change to any multiple of it`,
              issues: [
                { field: 'bucketMs', reason: 'windows are already stored at the current bucket size' },
              ],
            },
          );
      }
      if (windowMs % bucketMs !== 0)
        throw new FaultlineError(
          'request.invalid',
          `windowMs ${windowMs} is not a multiple of bucketMs ${bucketMs}`,
          {
            issues: [{ field: 'windowMs', reason: `must be a multiple of bucketMs (${bucketMs})` }],
          },
        );
      const updated = await c.query(
        `UPDATE models SET description = $1, task = $2, window_ms = $3, bucket_ms = $4, allowed_lateness_ms = $5
         WHERE id = $6 RETURNING *`,
        [
          spec.description ?? existing.description ?? null,
          spec.task ?? existing.task ?? null,
          windowMs,
          bucketMs,
          spec.allowedLatenessMs ?? Number(existing.allowed_lateness_ms),
          existing.id,
        ],
      );
      return toModel(updated.rows[0] as Row);
    });
  }

  async getModel(project: string, name: string): Promise<ModelRecord | null> {
    const [r] = await this.rows('SELECT * FROM models WHERE project = $1 AND name = $2', [project, name]);
    return r ? toModel(r) : null;
  }

  async listModels(project: string): Promise<ModelRecord[]> {
    return (
      await this.rows('SELECT * FROM models WHERE project = $1 ORDER BY name COLLATE "C"', [project])
    ).map(toModel);
  }

  async registerVersion(
    project: string,
    model: string,
    spec: VersionSpec,
    nowMs: number,
  ): Promise<{ version: VersionRecord; created: boolean }> {
    return inTransaction(this.pool, async (c) => {
      const m = await this.ensureModel(c, project, model, nowMs);
      const existing = (
        await c.query('SELECT * FROM model_versions WHERE model_id = $1 AND version = $2 FOR UPDATE', [
          m.id,
          spec.version,
        ])
      ).rows[0] as Row | undefined;
      if (existing && existing.registered === true && existing.artifact_hash !== spec.artifactHash)
        throw new FaultlineError(
          'registry.version_conflict',
          `version "${spec.version}" of model "${model}" is registered with artifact hash ${String(existing.artifact_hash)}, not ${spec.artifactHash}`,
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
      if (existing)
        await c.query(
          `UPDATE model_versions SET artifact_hash = $1, description = $2, validation_metrics = $3, fingerprint = $4,
           schema_json = $5, registered = true WHERE model_id = $6 AND version = $7`,
          [...values, m.id, spec.version],
        );
      else {
        // A concurrent first sighting in traffic may insert the row first; then this registers it.
        await c.query(
          `INSERT INTO model_versions (model_id, version, artifact_hash, description, validation_metrics, fingerprint,
           schema_json, registered, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, true, $8)
           ON CONFLICT (model_id, version) DO UPDATE SET artifact_hash = EXCLUDED.artifact_hash,
           description = EXCLUDED.description, validation_metrics = EXCLUDED.validation_metrics,
           fingerprint = EXCLUDED.fingerprint, schema_json = EXCLUDED.schema_json, registered = true`,
          [m.id, spec.version, ...values, nowMs],
        );
      }
      if (spec.intended)
        await this.recordIntended(c, m.id, {
          version: spec.version,
          effectiveAtMs: nowMs,
          recordedAtMs: nowMs,
        });
      const row = (
        await c.query(`${VERSION_SELECT} WHERE v.model_id = $1 AND v.version = $2`, [m.id, spec.version])
      ).rows[0] as Row;
      return { version: toVersion(project, model, row), created: !existing };
    });
  }

  async getVersion(project: string, model: string, version: string): Promise<VersionRecord | null> {
    const [r] = await this.rows(`${VERSION_SELECT} WHERE m.project = $1 AND m.name = $2 AND v.version = $3`, [
      project,
      model,
      version,
    ]);
    return r ? toVersion(project, model, r) : null;
  }

  async listVersions(project: string, model: string): Promise<VersionRecord[]> {
    const rows = await this.rows(
      `${VERSION_SELECT} WHERE m.project = $1 AND m.name = $2 ORDER BY v.created_at, v.version COLLATE "C"`,
      [project, model],
    );
    return rows.map((r) => toVersion(project, model, r));
  }

  async setIntendedVersion(
    project: string,
    model: string,
    version: string,
    change: { effectiveAtMs: number; recordedAtMs: number },
  ): Promise<void> {
    const m = await this.requireModel(project, model);
    await inTransaction(this.pool, async (c) => {
      const known = await c.query('SELECT 1 FROM model_versions WHERE model_id = $1 AND version = $2', [
        m.id,
        version,
      ]);
      if (known.rows.length === 0) throw versionNotFound(model, version);
      await this.recordIntended(c, m.id, { version, ...change });
    });
  }

  async listIntendedVersions(project: string, model: string): Promise<IntendedChange[]> {
    const m = await this.modelKey(project, model);
    if (!m) return [];
    return (
      await this.rows(
        'SELECT version, effective_at, recorded_at FROM intended_versions WHERE model_id = $1 ORDER BY seq',
        [m.id],
      )
    ).map(toIntendedChange);
  }

  /** Keeps a change of the intended version (unless it alters nothing) and the current one (in a transaction). */
  private async recordIntended(c: pg.PoolClient, modelId: number, change: IntendedChange): Promise<void> {
    // The model's row lock orders concurrent changes of its intended version.
    await c.query('SELECT 1 FROM models WHERE id = $1 FOR UPDATE', [modelId]);
    const changes = (
      await c.query(
        'SELECT version, effective_at, recorded_at FROM intended_versions WHERE model_id = $1 ORDER BY seq',
        [modelId],
      )
    ).rows.map((r) => toIntendedChange(r as Row));
    if (!changesSomething(changes, change)) return;
    await c.query(
      'INSERT INTO intended_versions (model_id, version, effective_at, recorded_at) VALUES ($1, $2, $3, $4)',
      [modelId, change.version, change.effectiveAtMs, change.recordedAtMs],
    );
    await c.query('UPDATE models SET intended_version = $1 WHERE id = $2', [
      currentIntended([...changes, change]),
      modelId,
    ]);
  }

  async putReference(project: string, model: string, version: string, ref: ReferenceRecord): Promise<void> {
    const m = await this.requireModel(project, model);
    const [v] = await this.rows('SELECT 1 FROM model_versions WHERE model_id = $1 AND version = $2', [
      m.id,
      version,
    ]);
    if (!v) throw versionNotFound(model, version);
    await this.pool.query(
      `INSERT INTO reference_data (model_id, version, info, profile, sample, column_kinds) VALUES ($1, $2, $3, $4, $5, $6)
       ON CONFLICT (model_id, version) DO UPDATE SET info = EXCLUDED.info, profile = EXCLUDED.profile,
       sample = EXCLUDED.sample, column_kinds = EXCLUDED.column_kinds`,
      [
        m.id,
        version,
        JSON.stringify(ref.info),
        Buffer.from(ref.profile.buffer, ref.profile.byteOffset, ref.profile.byteLength),
        JSON.stringify(ref.sample),
        ref.columnKinds ? JSON.stringify(ref.columnKinds) : null,
      ],
    );
  }

  async getReference(project: string, model: string, version: string): Promise<ReferenceRecord | null> {
    const [r] = await this.rows(
      `SELECT r.* FROM reference_data r JOIN models m ON m.id = r.model_id
       WHERE m.project = $1 AND m.name = $2 AND r.version = $3`,
      [project, model, version],
    );
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
    const [outcome] = await this.ingestPredictionParts(project, model, [{ events, receivedAtMs }]);
    return outcome as IngestOutcome;
  }

  /**
   * Stores several batches of one model's predictions in one transaction, as `ingestPredictions` would
   * one after the other: each keeps its arrival time and gets its own outcome, an id is stored once across
   * them (the first copy wins), and each window bucket is merged and written once for all of them. A
   * worker calls this with the batches it pulled together: the bucket writes, not the events, are what a
   * batch costs most.
   */
  async ingestPredictionParts(
    project: string,
    model: string,
    parts: { events: Timed<PredictionEvent>[]; receivedAtMs: number }[],
  ): Promise<IngestOutcome[]> {
    const seen = new Set<string>();
    const unique: { e: Timed<PredictionEvent>; part: number; at: number }[] = [];
    parts.forEach((p, part) => {
      for (const e of p.events)
        if (!seen.has(e.id)) {
          seen.add(e.id);
          unique.push({ e, part, at: p.receivedAtMs });
        }
    });
    const nowMs = parts[0]?.receivedAtMs ?? 0;
    const done = await inTransaction(this.pool, async (c) => {
      const m = await this.ensureModel(c, project, model, nowMs);
      const w = new WindowWrites(m.id, m.bucketMs, this.rng);
      await lockJoinBuckets(
        c,
        m.id,
        unique.map((u) => u.e.id),
        'shared',
      );
      const firstOfVersion = firstOfEach(unique, (u) => u.e.version);
      await c.query({
        name: 'faultline.versions.seen',
        text: `INSERT INTO model_versions (model_id, version, artifact_hash, registered, created_at)
               SELECT $1, v, h, false, at FROM unnest($2::text[], $3::text[], $4::bigint[]) AS t (v, h, at)
               ON CONFLICT DO NOTHING`,
        values: [
          m.id,
          firstOfVersion.map((u) => u.e.version),
          firstOfVersion.map((u) => u.e.artifactHash ?? null),
          firstOfVersion.map((u) => u.at),
        ],
      });
      const inserted = await c.query<{ id: string }>({
        name: 'faultline.predictions.insert',
        text: `INSERT INTO predictions (model_id, id, version, artifact_hash, instance, ts, received_at, features, output,
                 latency_ms, status, error_kind)
               SELECT $1, id, version, artifact_hash, instance, ts, received_at, features, output, latency_ms, status,
                 error_kind
               FROM unnest($2::text[], $3::text[], $4::text[], $5::text[], $6::bigint[], $7::bigint[], $8::text[],
                 $9::text[], $10::float8[], $11::text[], $12::text[])
                 AS t (id, version, artifact_hash, instance, ts, received_at, features, output, latency_ms, status,
                   error_kind)
               ON CONFLICT DO NOTHING RETURNING id`,
        values: [
          m.id,
          unique.map((u) => u.e.id),
          unique.map((u) => u.e.version),
          unique.map((u) => u.e.artifactHash ?? null),
          unique.map((u) => u.e.instance ?? null),
          unique.map((u) => u.e.timestamp),
          unique.map((u) => u.at),
          unique.map((u) => JSON.stringify(u.e.features)),
          unique.map((u) => (u.e.output === undefined ? null : JSON.stringify(u.e.output))),
          unique.map((u) => u.e.latencyMs ?? null),
          unique.map((u) => u.e.status ?? 'ok'),
          unique.map((u) => u.e.errorKind ?? null),
        ],
      });
      const fresh = new Set(inserted.rows.map((r) => r.id));
      const accepted = unique.filter((u) => fresh.has(u.e.id));
      // Labels that arrived before their prediction join now.
      const pending = new Map<string, { value: string; ttl: number }>();
      if (accepted.length > 0) {
        const joined = await c.query<{ prediction_id: string; value: string; time_to_label_ms: number }>({
          name: 'faultline.labels.join-pending',
          text: `UPDATE labels l SET time_to_label_ms = l.ts - p.ts
                 FROM unnest($2::text[], $3::bigint[]) AS p (id, ts)
                 WHERE l.model_id = $1 AND l.prediction_id = p.id AND l.time_to_label_ms IS NULL
                 RETURNING l.prediction_id, l.value, l.time_to_label_ms`,
          values: [m.id, accepted.map((u) => u.e.id), accepted.map((u) => u.e.timestamp)],
        });
        for (const r of joined.rows)
          pending.set(r.prediction_id, { value: r.value, ttl: r.time_to_label_ms });
      }
      let latest = Number.NEGATIVE_INFINITY;
      const acceptedPerPart = parts.map(() => 0);
      for (const { e, part } of accepted) {
        acceptedPerPart[part] = (acceptedPerPart[part] ?? 0) + 1;
        if (e.timestamp > latest) latest = e.timestamp;
        const state = addPrediction(w.delta(e.version, e.timestamp), e);
        const label = pending.get(e.id);
        if (label)
          addJoinedLabel(state, {
            id: e.id,
            output: e.output ?? null,
            value: json(label.value),
            timeToLabelMs: label.ttl,
          });
      }
      await w.write(c, this.cache);
      if (accepted.length > 0) await advanceLatest(c, m.id, latest);
      const outcomes = parts.map((p, i) => ({
        accepted: acceptedPerPart[i] ?? 0,
        duplicates: p.events.length - (acceptedPerPart[i] ?? 0),
      }));
      return { w, outcomes };
    });
    done.w.remember(this.cache);
    return done.outcomes;
  }

  async ingestLabels(
    project: string,
    model: string,
    labels: Timed<LabelEvent>[],
    receivedAtMs: number,
  ): Promise<IngestOutcome> {
    const unique = firstOfEach(labels, (l) => l.predictionId);
    const done = await inTransaction(this.pool, async (c) => {
      const m = await this.ensureModel(c, project, model, receivedAtMs);
      const w = new WindowWrites(m.id, m.bucketMs, this.rng);
      await lockJoinBuckets(
        c,
        m.id,
        unique.map((l) => l.predictionId),
        'exclusive',
      );
      const inserted = await c.query<{ prediction_id: string }>({
        name: 'faultline.labels.insert',
        text: `INSERT INTO labels (model_id, prediction_id, value, ts, received_at)
               SELECT $1, id, value, ts, $2 FROM unnest($3::text[], $4::text[], $5::bigint[]) AS t (id, value, ts)
               ON CONFLICT DO NOTHING RETURNING prediction_id`,
        values: [
          m.id,
          receivedAtMs,
          unique.map((l) => l.predictionId),
          unique.map((l) => JSON.stringify(l.value)),
          unique.map((l) => l.timestamp),
        ],
      });
      const fresh = new Set(inserted.rows.map((r) => r.prediction_id));
      const accepted = unique.filter((l) => fresh.has(l.predictionId));
      if (accepted.length > 0) {
        const preds = await c.query<{ id: string; version: string; ts: number; output: string | null }>({
          name: 'faultline.labels.join',
          text: `UPDATE labels l SET time_to_label_ms = l.ts - p.ts FROM predictions p
                 WHERE l.model_id = $1 AND l.prediction_id = ANY($2::text[])
                   AND p.model_id = l.model_id AND p.id = l.prediction_id
                 RETURNING p.id, p.version, p.ts, p.output`,
          values: [m.id, accepted.map((l) => l.predictionId)],
        });
        const byId = new Map(preds.rows.map((p) => [p.id, p]));
        for (const l of accepted) {
          const p = byId.get(l.predictionId);
          if (!p) continue; // joined when the prediction arrives
          addJoinedLabel(w.delta(p.version, p.ts), {
            id: l.predictionId,
            output: jsonOrNull<Output>(p.output),
            value: l.value,
            timeToLabelMs: l.timestamp - p.ts,
          });
          w.patch(p.version, p.ts, l.predictionId, l.value);
        }
        await w.write(c, this.cache);
        await advanceLatest(c, m.id, Math.max(...accepted.map((l) => l.timestamp)));
      }
      return { w, outcome: { accepted: accepted.length, duplicates: labels.length - accepted.length } };
    });
    done.w.remember(this.cache);
    return done.outcome;
  }

  async ingestFeedback(
    project: string,
    model: string,
    events: Timed<FeedbackEvent>[],
    receivedAtMs: number,
  ): Promise<IngestOutcome> {
    const unique = firstOfEach(events, (f) => f.id);
    const done = await inTransaction(this.pool, async (c) => {
      const m = await this.ensureModel(c, project, model, receivedAtMs);
      const w = new WindowWrites(m.id, m.bucketMs, this.rng);
      const inserted = await c.query<{ id: string }>({
        name: 'faultline.feedback.insert',
        text: `INSERT INTO feedback (model_id, id, prediction_id, item, position, action, ts, received_at, instance)
               SELECT $1, id, prediction_id, item, position, action, ts, $2, instance
               FROM unnest($3::text[], $4::text[], $5::text[], $6::int[], $7::text[], $8::bigint[], $9::text[])
                 AS t (id, prediction_id, item, position, action, ts, instance)
               ON CONFLICT DO NOTHING RETURNING id`,
        values: [
          m.id,
          receivedAtMs,
          unique.map((f) => f.id),
          unique.map((f) => f.predictionId),
          unique.map((f) => JSON.stringify(f.item)),
          unique.map((f) => f.position ?? null),
          unique.map((f) => f.action),
          unique.map((f) => f.timestamp),
          unique.map((f) => f.instance ?? null),
        ],
      });
      const fresh = new Set(inserted.rows.map((r) => r.id));
      const accepted = unique.filter((f) => fresh.has(f.id));
      if (accepted.length > 0) {
        // Feedback counts in the window of its own time, under the version that made the prediction.
        const preds = await c.query<{ id: string; version: string }>(
          'SELECT id, version FROM predictions WHERE model_id = $1 AND id = ANY($2::text[])',
          [m.id, accepted.map((f) => f.predictionId)],
        );
        const versionOf = new Map(preds.rows.map((p) => [p.id, p.version]));
        for (const f of accepted) {
          const version = versionOf.get(f.predictionId);
          if (version !== undefined) addFeedback(w.delta(version, f.timestamp), f);
        }
        await w.write(c, this.cache);
        await advanceLatest(c, m.id, Math.max(...accepted.map((f) => f.timestamp)));
      }
      return { w, outcome: { accepted: accepted.length, duplicates: events.length - accepted.length } };
    });
    done.w.remember(this.cache);
    return done.outcome;
  }

  async ingestHeartbeats(
    project: string,
    beats: Timed<Heartbeat>[],
    receivedAtMs: number,
  ): Promise<IngestOutcome> {
    const withIds = beats.map((h) => ({ ...h, id: h.id ?? `${h.instance}@${h.timestamp}` }));
    const unique = firstOfEach(withIds, (h) => h.id);
    return inTransaction(this.pool, async (c) => {
      const inserted = await c.query<{ id: string }>(
        `INSERT INTO heartbeats (project, id, instance, model, version, artifact_hash, ts, received_at, interval_ms,
           fingerprint, host, checks, sdk)
         SELECT $1, id, instance, model, version, artifact_hash, ts, $2, interval_ms, fingerprint, host, checks, sdk
         FROM unnest($3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::bigint[], $9::bigint[],
           $10::text[], $11::text[], $12::text[], $13::text[])
           AS t (id, instance, model, version, artifact_hash, ts, interval_ms, fingerprint, host, checks, sdk)
         ON CONFLICT DO NOTHING RETURNING id`,
        [
          project,
          receivedAtMs,
          unique.map((h) => h.id),
          unique.map((h) => h.instance),
          unique.map((h) => h.model ?? null),
          unique.map((h) => h.version ?? null),
          unique.map((h) => h.artifactHash ?? null),
          unique.map((h) => h.timestamp),
          unique.map((h) => h.intervalMs ?? null),
          unique.map((h) => (h.fingerprint ? JSON.stringify(h.fingerprint) : null)),
          unique.map((h) => JSON.stringify(h.host ?? {})),
          unique.map((h) => JSON.stringify(h.checks ?? [])),
          unique.map((h) => (h.sdk ? JSON.stringify(h.sdk) : null)),
        ],
      );
      const fresh = new Set(inserted.rows.map((r) => r.id));
      const accepted = unique.filter((h) => fresh.has(h.id));
      // Instance rows in a fixed order, so that two batches about the same instances cannot deadlock.
      const ordered = [...accepted].sort((a, b) =>
        a.instance < b.instance ? -1 : a.instance > b.instance ? 1 : 0,
      );
      for (const h of ordered) {
        const failed = (h.checks ?? []).filter((x) => !x.ok).map((x) => x.name);
        await c.query({
          name: 'faultline.instances.upsert',
          text: `INSERT INTO instances (project, instance, model, version, artifact_hash, first_seen, last_seen,
                   heartbeats, fingerprint, failed_checks)
                 VALUES ($1, $2, $3, $4, $5, $6, $6, 1, $7, $8)
                 ON CONFLICT (project, instance) DO UPDATE SET
                  heartbeats = instances.heartbeats + 1,
                  first_seen = LEAST(instances.first_seen, EXCLUDED.first_seen),
                  model = CASE WHEN EXCLUDED.last_seen >= instances.last_seen
                    THEN coalesce(EXCLUDED.model, instances.model) ELSE instances.model END,
                  version = CASE WHEN EXCLUDED.last_seen >= instances.last_seen
                    THEN coalesce(EXCLUDED.version, instances.version) ELSE instances.version END,
                  artifact_hash = CASE WHEN EXCLUDED.last_seen >= instances.last_seen
                    THEN coalesce(EXCLUDED.artifact_hash, instances.artifact_hash) ELSE instances.artifact_hash END,
                  fingerprint = CASE WHEN EXCLUDED.last_seen >= instances.last_seen
                    THEN coalesce(EXCLUDED.fingerprint, instances.fingerprint) ELSE instances.fingerprint END,
                  failed_checks = CASE WHEN EXCLUDED.last_seen >= instances.last_seen
                    THEN EXCLUDED.failed_checks ELSE instances.failed_checks END,
                  last_seen = GREATEST(instances.last_seen, EXCLUDED.last_seen)`,
          values: [
            project,
            h.instance,
            h.model ?? null,
            h.version ?? null,
            h.artifactHash ?? null,
            h.timestamp,
            h.fingerprint ? JSON.stringify(h.fingerprint) : null,
            JSON.stringify(failed),
          ],
        });
      }
      return { accepted: accepted.length, duplicates: beats.length - accepted.length };
    });
  }

  async ingestEvents(
    project: string,
    events: Timed<GenericEvent>[],
    receivedAtMs: number,
  ): Promise<IngestOutcome> {
    const unique = firstOfEach(events, (e) => e.id);
    const r = await this.pool.query(
      `INSERT INTO events (project, id, kind, ts, received_at, model, version, instance, severity, message, attributes)
       SELECT $1, id, kind, ts, $2, model, version, instance, severity, message, attributes
       FROM unnest($3::text[], $4::text[], $5::bigint[], $6::text[], $7::text[], $8::text[], $9::text[], $10::text[],
         $11::text[]) AS t (id, kind, ts, model, version, instance, severity, message, attributes)
       ON CONFLICT DO NOTHING`,
      [
        project,
        receivedAtMs,
        unique.map((e) => e.id),
        unique.map((e) => e.kind),
        unique.map((e) => e.timestamp),
        unique.map((e) => e.model ?? null),
        unique.map((e) => e.version ?? null),
        unique.map((e) => e.instance ?? null),
        unique.map((e) => e.severity ?? null),
        unique.map((e) => e.message ?? null),
        unique.map((e) => JSON.stringify(e.attributes ?? {})),
      ],
    );
    const accepted = r.rowCount ?? 0;
    return { accepted, duplicates: events.length - accepted };
  }

  // ── queries ───────────────────────────────────────────────────────────────

  async getPrediction(project: string, model: string, id: string): Promise<PredictionRecord | null> {
    const m = await this.modelKey(project, model);
    if (!m) return null;
    const [r] = await this.rows(`${PREDICTION_SELECT} WHERE p.model_id = $1 AND p.id = $2`, [m.id, id]);
    return r ? toPrediction(model, r) : null;
  }

  async listPredictions(
    project: string,
    model: string,
    q: TimeRange & { version?: string | undefined; instance?: string | undefined },
  ): Promise<PredictionRecord[]> {
    const m = await this.modelKey(project, model);
    if (!m) return [];
    const w = new Where([m.id], 'p.model_id = $1');
    w.range('p.ts', q);
    w.eq('p.version', q.version);
    w.eq('p.instance', q.instance);
    const sql = `${PREDICTION_SELECT} WHERE ${w.sql()} ORDER BY p.ts DESC, p.seq DESC LIMIT ${w.arg(q.limit)}`;
    return (await this.rows(sql, w.args)).map((r) => toPrediction(model, r));
  }

  async listWindows(
    project: string,
    model: string,
    q: TimeRange & { version?: string | undefined },
  ): Promise<WindowRecord[]> {
    const m = await this.modelKey(project, model);
    if (!m) return [];
    const w = new Where([m.id], 'model_id = $1');
    w.range('start_ms', q);
    w.eq('version', q.version);
    const sql = `SELECT version, start_ms, bucket_ms, state FROM windows WHERE ${w.sql()}
      ORDER BY start_ms, version COLLATE "C" LIMIT ${w.arg(q.limit)}`;
    return (await this.rows(sql, w.args)).map((r) => ({
      model,
      version: r.version as string,
      startMs: Number(r.start_ms),
      bucketMs: Number(r.bucket_ms),
      state: decodeWindow(r.state as Buffer, this.rng),
    }));
  }

  async listEvents(
    project: string,
    q: TimeRange & { kind?: string | undefined; model?: string | undefined; instance?: string | undefined },
  ): Promise<EventRecord[]> {
    const w = new Where([project], 'project = $1');
    w.range('ts', q);
    w.eq('kind', q.kind);
    w.eq('model', q.model);
    w.eq('instance', q.instance);
    const sql = `SELECT * FROM events WHERE ${w.sql()} ORDER BY ts DESC, seq DESC LIMIT ${w.arg(q.limit)}`;
    return (await this.rows(sql, w.args)).map(toEvent);
  }

  async listHeartbeats(
    project: string,
    q: TimeRange & { model?: string | undefined; instance?: string | undefined },
  ): Promise<HeartbeatRecord[]> {
    const w = new Where([project], 'project = $1');
    w.range('ts', q);
    w.eq('model', q.model);
    w.eq('instance', q.instance);
    const sql = `SELECT * FROM heartbeats WHERE ${w.sql()} ORDER BY ts DESC, seq DESC LIMIT ${w.arg(q.limit)}`;
    return (await this.rows(sql, w.args)).map(toHeartbeat);
  }

  async listInstances(project: string, q: { model?: string | undefined }): Promise<InstanceRecord[]> {
    const w = new Where([project], 'project = $1');
    w.eq('model', q.model);
    return (
      await this.rows(`SELECT * FROM instances WHERE ${w.sql()} ORDER BY instance COLLATE "C"`, w.args)
    ).map(toInstance);
  }

  // --- analysis reads ---

  async listServingRows(
    project: string,
    model: string,
    q: TimeRange & { version?: string | undefined },
  ): Promise<ServingRow[]> {
    const m = await this.modelKey(project, model);
    if (!m) return [];
    const w = new Where([m.id], 'model_id = $1');
    w.range('ts', q);
    w.eq('version', q.version);
    const sql = `SELECT version, artifact_hash, instance, ts, latency_ms, status, error_kind FROM predictions
      WHERE ${w.sql()} ORDER BY ts, seq LIMIT ${w.arg(q.limit)}`;
    return (await this.rows(sql, w.args)).map((r) => ({
      version: r.version as string,
      artifactHash: (r.artifact_hash as string | null) ?? null,
      instance: (r.instance as string | null) ?? null,
      timestampMs: Number(r.ts),
      latencyMs: r.latency_ms === null || r.latency_ms === undefined ? null : Number(r.latency_ms),
      status: r.status as PredictionStatus,
      errorKind: (r.error_kind as string | null) ?? null,
    }));
  }

  async listFeedback(project: string, model: string, q: TimeRange): Promise<FeedbackRecord[]> {
    const m = await this.modelKey(project, model);
    if (!m) return [];
    const w = new Where([m.id], 'model_id = $1');
    w.range('ts', q);
    const sql = `SELECT id, prediction_id, item, position, action, ts, instance FROM feedback
      WHERE ${w.sql()} ORDER BY ts, id COLLATE "C" LIMIT ${w.arg(q.limit)}`;
    return (await this.rows(sql, w.args)).map((r) => ({
      id: r.id as string,
      predictionId: r.prediction_id as string,
      item: json<Scalar>(r.item),
      position: r.position === null || r.position === undefined ? null : Number(r.position),
      action: r.action as string,
      timestampMs: Number(r.ts),
      instance: (r.instance as string | null) ?? null,
    }));
  }

  // --- end analysis reads ---

  // ── engine state (engine-state.ts) ────────────────────────────────────────

  listProjects(): Promise<string[]> {
    return this.state.listProjects();
  }
  saveEngineStep(project: string, step: EngineStep): Promise<boolean> {
    return this.state.saveEngineStep(project, step);
  }
  listFindings(project: string, query: FindingQuery): Promise<StoredFinding[]> {
    return this.state.listFindings(project, query);
  }
  listEvaluations(project: string, query: EvaluationQuery): Promise<Evaluation[]> {
    return this.state.listEvaluations(project, query);
  }
  latestEvaluations(project: string, query: { model?: string | undefined }): Promise<Evaluation[]> {
    return this.state.latestEvaluations(project, query);
  }
  getIncident(project: string, id: string): Promise<Incident | null> {
    return this.state.getIncident(project, id);
  }
  listIncidents(project: string, query: IncidentQuery): Promise<Incident[]> {
    return this.state.listIncidents(project, query);
  }
  putIncident(project: string, incident: Incident): Promise<void> {
    return this.state.putIncident(project, incident);
  }
  putModelExpectations(project: string, record: ModelExpectationsRecord): Promise<void> {
    return this.state.putModelExpectations(project, record);
  }
  deleteModelExpectations(project: string, model: string): Promise<boolean> {
    return this.state.deleteModelExpectations(project, model);
  }
  listModelExpectations(project: string): Promise<ModelExpectationsRecord[]> {
    return this.state.listModelExpectations(project);
  }
  putAlertDelivery(project: string, delivery: AlertDeliveryRecord): Promise<void> {
    return this.state.putAlertDelivery(project, delivery);
  }
  listAlertDeliveries(
    project: string,
    query: { incidentId?: string | undefined; status?: AlertDeliveryStatus | undefined; limit: number },
  ): Promise<AlertDeliveryRecord[]> {
    return this.state.listAlertDeliveries(project, query);
  }
  listEngineCursors(project: string, query: { model?: string | undefined }): Promise<EngineCursorRecord[]> {
    return this.state.listEngineCursors(project, query);
  }

  // ── leases ────────────────────────────────────────────────────────────────

  async tryAcquireLease(name: string, holder: string, ttlMs: number): Promise<LeaseResult> {
    checkLeaseRequest(name, holder, ttlMs);
    const won = await this.rows(
      `WITH clock AS (SELECT (extract(epoch FROM clock_timestamp()) * 1000)::bigint AS now_ms)
       INSERT INTO leases (name, holder, expires_at, fence)
       SELECT $1, $2, now_ms + $3, 1 FROM clock
       ON CONFLICT (name) DO UPDATE SET
         holder = EXCLUDED.holder,
         expires_at = EXCLUDED.expires_at,
         fence = CASE WHEN leases.holder = EXCLUDED.holder THEN leases.fence ELSE leases.fence + 1 END
       WHERE leases.holder = EXCLUDED.holder OR leases.expires_at <= (SELECT now_ms FROM clock)
       RETURNING holder, expires_at, fence`,
      [name, holder, ttlMs],
    );
    const r =
      won[0] ?? (await this.rows('SELECT holder, expires_at, fence FROM leases WHERE name = $1', [name]))[0];
    if (!r) throw new Error(`lease "${name}" vanished while being acquired`);
    return {
      acquired: won.length === 1,
      holder: r.holder as string,
      expiresAtMs: Number(r.expires_at),
      fence: Number(r.fence),
    };
  }

  async releaseLease(name: string, holder: string): Promise<boolean> {
    // An expired holding is kept as a row (holder and fence stay readable) but ends now.
    const r = await this.pool.query(
      `UPDATE leases SET expires_at = LEAST(expires_at, (extract(epoch FROM clock_timestamp()) * 1000)::bigint)
       WHERE name = $1 AND holder = $2 AND expires_at > (extract(epoch FROM clock_timestamp()) * 1000)::bigint`,
      [name, holder],
    );
    return (r.rowCount ?? 0) > 0;
  }

  // ── internals ─────────────────────────────────────────────────────────────

  private async modelKey(project: string, name: string): Promise<ModelKey | null> {
    const [r] = await this.rows('SELECT id, bucket_ms FROM models WHERE project = $1 AND name = $2', [
      project,
      name,
    ]);
    return r ? { id: Number(r.id), bucketMs: Number(r.bucket_ms) } : null;
  }

  private async requireModel(project: string, name: string): Promise<ModelKey> {
    const m = await this.modelKey(project, name);
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
  private async ensureModel(
    c: pg.PoolClient,
    project: string,
    name: string,
    nowMs: number,
  ): Promise<ModelKey> {
    const sql = 'SELECT id, bucket_ms FROM models WHERE project = $1 AND name = $2';
    let r = (await c.query({ name: 'faultline.model.key', text: sql, values: [project, name] })).rows[0] as
      | Row
      | undefined;
    if (!r) {
      await c.query(
        `INSERT INTO models (project, name, window_ms, bucket_ms, allowed_lateness_ms, created_at)
         VALUES ($1, $2, $3, $3, $4, $5) ON CONFLICT (project, name) DO NOTHING`,
        [project, name, DEFAULT_WINDOW_MS, DEFAULT_ALLOWED_LATENESS_MS, nowMs],
      );
      r = (await c.query(sql, [project, name])).rows[0] as Row;
    }
    return { id: Number(r.id), bucketMs: Number(r.bucket_ms) };
  }
}

/**
 * Takes the join locks of `ids` for this transaction: one advisory lock per hash bucket
 * (`hashtext(id) mod JOIN_LOCK_BUCKETS`), in bucket order, shared for predictions and exclusive for labels.
 */
async function lockJoinBuckets(
  c: pg.PoolClient,
  modelId: number,
  ids: string[],
  mode: 'shared' | 'exclusive',
): Promise<void> {
  if (ids.length === 0) return;
  const fn = mode === 'shared' ? 'pg_advisory_xact_lock_shared' : 'pg_advisory_xact_lock';
  await c.query({
    name: `faultline.join-lock.${mode}`,
    text: `SELECT ${fn}($1, b) FROM (
             SELECT DISTINCT (abs(hashtext(id)::bigint) % ${JOIN_LOCK_BUCKETS})::int AS b FROM unnest($2::text[]) AS id
             ORDER BY b) AS buckets`,
    values: [modelId, ids],
  });
}

async function advanceLatest(c: pg.PoolClient, modelId: number, ts: number): Promise<void> {
  // Only a later time updates (and so locks) the model row; back-fills leave it alone.
  await c.query({
    name: 'faultline.model.advance',
    text: 'UPDATE models SET latest_event_ms = $2 WHERE id = $1 AND (latest_event_ms IS NULL OR latest_event_ms < $2)',
    values: [modelId, ts],
  });
}

function versionNotFound(model: string, version: string): FaultlineError {
  return new FaultlineError('registry.version_not_found', `model "${model}" has no version "${version}"`, {
    hint: `register it with POST /v1/models/${model}/versions`,
  });
}

/** A WHERE clause with numbered parameters. */
class Where {
  private readonly parts: string[];
  constructor(
    readonly args: unknown[],
    first: string,
  ) {
    this.parts = [first];
  }
  arg(v: unknown): string {
    this.args.push(v);
    return `$${this.args.length}`;
  }
  eq(column: string, v: string | undefined): void {
    if (v !== undefined) this.parts.push(`${column} = ${this.arg(v)}`);
  }
  range(column: string, q: TimeRange): void {
    if (q.fromMs !== undefined) this.parts.push(`${column} >= ${this.arg(q.fromMs)}`);
    if (q.toMs !== undefined) this.parts.push(`${column} < ${this.arg(q.toMs)}`);
  }
  sql(): string {
    return this.parts.join(' AND ');
  }
}
