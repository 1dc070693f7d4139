/**
 * @module
 * What the evaluation pipeline keeps (`EngineStateStore`) in PostgreSQL: findings, evaluations, incidents,
 * expectations set through the API, alert deliveries and evaluation cursors. Bodies are the records as
 * JSON; the columns beside them are what queries filter and sort on. Text sort keys use the "C" collation
 * so that every engine orders alike, whatever the database's locale.
 *
 * Several collectors may evaluate the same window when their leases overlap a restart; every write here
 * is idempotent for that reason (findings once per key, evaluations and incidents replaced by key).
 */
import type pg from 'pg';
import type { Evaluation } from '../../core/expectations/evaluate.js';
import type { Finding } from '../../core/findings/finding.js';
import type { Incident } from '../../core/incidents/incident.js';
import type { Row } from '../rows.js';
import { json, jsonOrNull } from '../rows.js';
import type {
  AlertDeliveryRecord,
  EngineCursorRecord,
  EngineStateStore,
  EngineStep,
  EvaluationQuery,
  FindingQuery,
  IncidentQuery,
  ModelExpectationsRecord,
  StoredFinding,
} from '../store.js';
import { findingKey } from '../store.js';
import { inTransaction } from './connection.js';

/** Numbered parameters for a WHERE clause. */
class Clause {
  readonly args: unknown[] = [];
  private readonly parts: string[] = [];
  arg(v: unknown): string {
    this.args.push(v);
    return `$${this.args.length}`;
  }
  eq(column: string, v: unknown): this {
    if (v !== undefined) this.parts.push(`${column} = ${this.arg(v)}`);
    return this;
  }
  range(column: string, fromMs: number | undefined, toMs: number | undefined): this {
    if (fromMs !== undefined) this.parts.push(`${column} >= ${this.arg(fromMs)}`);
    if (toMs !== undefined) this.parts.push(`${column} < ${this.arg(toMs)}`);
    return this;
  }
  raw(sql: string): this {
    this.parts.push(sql);
    return this;
  }
  sql(): string {
    return this.parts.join(' AND ');
  }
}

const INCIDENT_UPSERT = `INSERT INTO incidents (project, id, dedupe_key, model, status, opened_at, body)
  VALUES ($1, $2, $3, $4, $5, $6, $7)
  ON CONFLICT (project, id) DO UPDATE SET status = EXCLUDED.status, body = EXCLUDED.body`;

function incidentValues(project: string, inc: Incident): unknown[] {
  return [project, inc.id, inc.dedupeKey, inc.model, inc.status, inc.openedAtMs, JSON.stringify(inc)];
}

export class PgEngineState implements EngineStateStore {
  constructor(private readonly pool: pg.Pool) {}

  private async rows(text: string, values: unknown[] = []): Promise<Row[]> {
    return (await this.pool.query(text, values)).rows as Row[];
  }

  async listProjects(): Promise<string[]> {
    const rows = await this.rows('SELECT project FROM models GROUP BY project ORDER BY project COLLATE "C"');
    return rows.map((r) => r.project as string);
  }

  async saveEngineStep(project: string, step: EngineStep): Promise<boolean> {
    return inTransaction(this.pool, async (c) => {
      // The cursor first: when the step must continue from a given cursor, this statement is the check (the
      // row lock, or the unique index for a first cursor, makes a concurrent evaluator of the same window wait
      // and then find the cursor moved), and nothing else is written when it fails.
      const k = step.cursor;
      const values = [
        project,
        k.model,
        k.windowMs,
        k.lastWindowEndMs,
        k.figures === null ? null : JSON.stringify(k.figures),
        k.updatedAtMs,
      ];
      if (step.previousWindowEndMs === undefined)
        await c.query(
          `INSERT INTO engine_cursors (project, model, window_ms, last_window_end, figures, updated_at)
           VALUES ($1, $2, $3, $4, $5, $6)
           ON CONFLICT (project, model, window_ms) DO UPDATE SET last_window_end = EXCLUDED.last_window_end,
             figures = EXCLUDED.figures, updated_at = EXCLUDED.updated_at`,
          values,
        );
      else if (step.previousWindowEndMs === null) {
        const r = await c.query(
          `INSERT INTO engine_cursors (project, model, window_ms, last_window_end, figures, updated_at)
           VALUES ($1, $2, $3, $4, $5, $6)
           ON CONFLICT (project, model, window_ms) DO NOTHING`,
          values,
        );
        if (r.rowCount !== 1) return false;
      } else {
        const r = await c.query(
          `UPDATE engine_cursors SET last_window_end = $4, figures = $5, updated_at = $6
           WHERE project = $1 AND model = $2 AND window_ms = $3 AND last_window_end = $7`,
          [...values, step.previousWindowEndMs],
        );
        if (r.rowCount !== 1) return false;
      }
      const fs = step.findings;
      if (fs.length > 0)
        await c.query(
          `INSERT INTO findings (project, fkey, model, detector, cause, version, instance, window_end, recorded_at, body)
           SELECT $1, k, m, d, c, v, i, e, $2, b
           FROM unnest($3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::bigint[], $10::text[])
             AS t (k, m, d, c, v, i, e, b)
           ON CONFLICT (project, fkey) DO NOTHING`,
          [
            project,
            step.recordedAtMs,
            fs.map(findingKey),
            fs.map((f) => f.subject.model),
            fs.map((f) => f.detector),
            fs.map((f) => f.cause),
            fs.map((f) => f.subject.version ?? null),
            fs.map((f) => f.subject.instance ?? null),
            fs.map((f) => f.window.endMs),
            fs.map((f) => JSON.stringify(f)),
          ],
        );
      for (const e of step.evaluations)
        await c.query(
          `INSERT INTO evaluations (project, dedupe_key, window_start, window_end, model, expectation_id, status, body)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
           ON CONFLICT (project, dedupe_key, window_end, window_start)
           DO UPDATE SET status = EXCLUDED.status, body = EXCLUDED.body`,
          [
            project,
            e.dedupeKey,
            e.window.startMs,
            e.window.endMs,
            e.model,
            e.expectationId,
            e.status,
            JSON.stringify(e),
          ],
        );
      for (const inc of step.incidents) await c.query(INCIDENT_UPSERT, incidentValues(project, inc));
      return true;
    });
  }

  async listFindings(project: string, q: FindingQuery): Promise<StoredFinding[]> {
    const w = new Clause()
      .eq('project', project)
      .eq('model', q.model)
      .eq('cause', q.cause)
      .eq('detector', q.detector)
      .eq('version', q.version)
      .eq('instance', q.instance)
      .range('window_end', q.fromMs, q.toMs);
    const rows = await this.rows(
      `SELECT fkey, recorded_at, body FROM findings WHERE ${w.sql()}
       ORDER BY window_end DESC, fkey COLLATE "C" LIMIT ${w.arg(q.limit)}`,
      w.args,
    );
    return rows.map((r) => ({
      key: r.fkey as string,
      finding: json<Finding>(r.body),
      recordedAtMs: Number(r.recorded_at),
    }));
  }

  async listEvaluations(project: string, q: EvaluationQuery): Promise<Evaluation[]> {
    const w = new Clause()
      .eq('project', project)
      .eq('model', q.model)
      .eq('expectation_id', q.expectationId)
      .eq('status', q.status)
      .range('window_end', q.fromMs, q.toMs);
    const rows = await this.rows(
      `SELECT body FROM evaluations WHERE ${w.sql()}
       ORDER BY window_end DESC, model COLLATE "C", expectation_id COLLATE "C", dedupe_key COLLATE "C"
       LIMIT ${w.arg(q.limit)}`,
      w.args,
    );
    return rows.map((r) => json<Evaluation>(r.body));
  }

  async latestEvaluations(project: string, q: { model?: string | undefined }): Promise<Evaluation[]> {
    // The evaluation of the latest window end of each key; of two ending together, the later start.
    const w = new Clause().eq('project', project).eq('model', q.model);
    const rows = await this.rows(
      `SELECT DISTINCT ON (model COLLATE "C", dedupe_key COLLATE "C") body FROM evaluations WHERE ${w.sql()}
       ORDER BY model COLLATE "C", dedupe_key COLLATE "C", window_end DESC, window_start DESC`,
      w.args,
    );
    return rows.map((r) => json<Evaluation>(r.body));
  }

  async getIncident(project: string, id: string): Promise<Incident | null> {
    const [r] = await this.rows('SELECT body FROM incidents WHERE project = $1 AND id = $2', [project, id]);
    return r ? json<Incident>(r.body) : null;
  }

  async listIncidents(project: string, q: IncidentQuery): Promise<Incident[]> {
    const w = new Clause().eq('project', project).eq('model', q.model).range('opened_at', q.fromMs, q.toMs);
    if (q.status !== undefined && q.status.length > 0) w.raw(`status = ANY(${w.arg([...q.status])}::text[])`);
    const rows = await this.rows(
      `SELECT body FROM incidents WHERE ${w.sql()} ORDER BY opened_at DESC, id COLLATE "C" LIMIT ${w.arg(q.limit)}`,
      w.args,
    );
    return rows.map((r) => json<Incident>(r.body));
  }

  async putIncident(project: string, incident: Incident): Promise<void> {
    await this.pool.query(INCIDENT_UPSERT, incidentValues(project, incident));
  }

  async putModelExpectations(project: string, record: ModelExpectationsRecord): Promise<void> {
    await this.pool.query(
      `INSERT INTO model_expectations (project, model, body, updated_at) VALUES ($1, $2, $3, $4)
       ON CONFLICT (project, model) DO UPDATE SET body = EXCLUDED.body, updated_at = EXCLUDED.updated_at`,
      [project, record.model, JSON.stringify(record.input), record.updatedAtMs],
    );
  }

  async deleteModelExpectations(project: string, model: string): Promise<boolean> {
    const r = await this.pool.query('DELETE FROM model_expectations WHERE project = $1 AND model = $2', [
      project,
      model,
    ]);
    return (r.rowCount ?? 0) > 0;
  }

  async listModelExpectations(project: string): Promise<ModelExpectationsRecord[]> {
    const rows = await this.rows(
      'SELECT model, body, updated_at FROM model_expectations WHERE project = $1 ORDER BY model COLLATE "C"',
      [project],
    );
    return rows.map((r) => ({
      model: r.model as string,
      input: json<ModelExpectationsRecord['input']>(r.body),
      updatedAtMs: Number(r.updated_at),
    }));
  }

  async putAlertDelivery(project: string, d: AlertDeliveryRecord): Promise<void> {
    await this.pool.query(
      `INSERT INTO alert_deliveries (project, id, incident_id, status, created_at, body) VALUES ($1, $2, $3, $4, $5, $6)
       ON CONFLICT (project, id) DO UPDATE SET status = EXCLUDED.status, body = EXCLUDED.body`,
      [project, d.id, d.incidentId, d.status, d.createdAtMs, JSON.stringify(d)],
    );
  }

  async listAlertDeliveries(
    project: string,
    q: { incidentId?: string | undefined; status?: AlertDeliveryRecord['status'] | undefined; limit: number },
  ): Promise<AlertDeliveryRecord[]> {
    const w = new Clause().eq('project', project).eq('incident_id', q.incidentId).eq('status', q.status);
    const rows = await this.rows(
      `SELECT body FROM alert_deliveries WHERE ${w.sql()} ORDER BY created_at DESC, id COLLATE "C"
       LIMIT ${w.arg(q.limit)}`,
      w.args,
    );
    return rows.map((r) => json<AlertDeliveryRecord>(r.body));
  }

  async listEngineCursors(project: string, q: { model?: string | undefined }): Promise<EngineCursorRecord[]> {
    const w = new Clause().eq('project', project).eq('model', q.model);
    const rows = await this.rows(
      `SELECT * FROM engine_cursors WHERE ${w.sql()} ORDER BY model COLLATE "C", window_ms`,
      w.args,
    );
    return rows.map((r) => ({
      model: r.model as string,
      windowMs: Number(r.window_ms),
      lastWindowEndMs: Number(r.last_window_end),
      figures: jsonOrNull(r.figures),
      updatedAtMs: Number(r.updated_at),
    }));
  }
}
