/**
 * Schema migrations of the PostgreSQL engine, applied in order, each in its own transaction under an
 * advisory lock (so that collectors and workers starting together migrate once), and recorded in
 * `schema_migrations`. Never edit a shipped migration; add the next one.
 *
 * The tables mirror the SQLite engine's (same names, same meaning), with PostgreSQL types: epoch
 * milliseconds as BIGINT, blobs as BYTEA, JSON as TEXT (kept byte for byte as the collector wrote it;
 * nothing queries inside it). All names are unqualified: the store sets `search_path` to its schema.
 *
 * The high-volume tables (predictions, labels, feedback) carry no foreign key to `models`: a model row is
 * never deleted, and the key check would cost one index probe and one row lock per event.
 */
export interface PgMigration {
  version: number;
  name: string;
  sql: string;
}

export const PG_MIGRATIONS: readonly PgMigration[] = [
  {
    version: 1,
    name: 'initial',
    sql: `
CREATE TABLE tokens (
  id TEXT PRIMARY KEY,
  project TEXT NOT NULL,
  role TEXT NOT NULL,
  label TEXT,
  hash TEXT NOT NULL UNIQUE,
  created_at BIGINT NOT NULL,
  revoked_at BIGINT
);
CREATE TABLE models (
  id INTEGER GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  project TEXT NOT NULL,
  name TEXT NOT NULL,
  description TEXT,
  task TEXT,
  window_ms BIGINT NOT NULL,
  bucket_ms BIGINT NOT NULL,
  allowed_lateness_ms BIGINT NOT NULL,
  intended_version TEXT,
  created_at BIGINT NOT NULL,
  latest_event_ms BIGINT,
  UNIQUE (project, name)
);
CREATE TABLE model_versions (
  model_id INTEGER NOT NULL REFERENCES models (id),
  version TEXT NOT NULL,
  artifact_hash TEXT,
  description TEXT,
  validation_metrics TEXT NOT NULL DEFAULT '{}',
  fingerprint TEXT,
  schema_json TEXT,
  registered BOOLEAN NOT NULL,
  created_at BIGINT NOT NULL,
  PRIMARY KEY (model_id, version)
);
CREATE TABLE reference_data (
  model_id INTEGER NOT NULL,
  version TEXT NOT NULL,
  info TEXT NOT NULL,
  profile BYTEA NOT NULL,
  sample TEXT NOT NULL,
  column_kinds TEXT,
  PRIMARY KEY (model_id, version),
  FOREIGN KEY (model_id, version) REFERENCES model_versions (model_id, version)
);
CREATE TABLE predictions (
  seq BIGINT GENERATED ALWAYS AS IDENTITY,
  model_id INTEGER NOT NULL,
  id TEXT NOT NULL,
  version TEXT NOT NULL,
  artifact_hash TEXT,
  instance TEXT,
  ts BIGINT NOT NULL,
  received_at BIGINT NOT NULL,
  features TEXT NOT NULL,
  output TEXT,
  latency_ms DOUBLE PRECISION,
  status TEXT NOT NULL,
  error_kind TEXT,
  PRIMARY KEY (model_id, id)
);
CREATE INDEX predictions_by_time ON predictions (model_id, ts);
CREATE TABLE labels (
  model_id INTEGER NOT NULL,
  prediction_id TEXT NOT NULL,
  value TEXT NOT NULL,
  ts BIGINT NOT NULL,
  received_at BIGINT NOT NULL,
  time_to_label_ms BIGINT,
  PRIMARY KEY (model_id, prediction_id)
);
CREATE TABLE feedback (
  model_id INTEGER NOT NULL,
  id TEXT NOT NULL,
  prediction_id TEXT NOT NULL,
  item TEXT NOT NULL,
  position INTEGER,
  action TEXT NOT NULL,
  ts BIGINT NOT NULL,
  received_at BIGINT NOT NULL,
  instance TEXT,
  PRIMARY KEY (model_id, id)
);
CREATE INDEX feedback_by_time ON feedback (model_id, ts);
CREATE TABLE heartbeats (
  seq BIGINT GENERATED ALWAYS AS IDENTITY,
  project TEXT NOT NULL,
  id TEXT NOT NULL,
  instance TEXT NOT NULL,
  model TEXT,
  version TEXT,
  artifact_hash TEXT,
  ts BIGINT NOT NULL,
  received_at BIGINT NOT NULL,
  interval_ms BIGINT,
  fingerprint TEXT,
  host TEXT NOT NULL,
  checks TEXT NOT NULL,
  sdk TEXT,
  PRIMARY KEY (project, id)
);
CREATE INDEX heartbeats_by_time ON heartbeats (project, ts);
CREATE TABLE instances (
  project TEXT NOT NULL,
  instance TEXT NOT NULL,
  model TEXT,
  version TEXT,
  artifact_hash TEXT,
  first_seen BIGINT NOT NULL,
  last_seen BIGINT NOT NULL,
  heartbeats BIGINT NOT NULL,
  fingerprint TEXT,
  failed_checks TEXT NOT NULL,
  PRIMARY KEY (project, instance)
);
CREATE TABLE events (
  seq BIGINT GENERATED ALWAYS AS IDENTITY,
  project TEXT NOT NULL,
  id TEXT NOT NULL,
  kind TEXT NOT NULL,
  ts BIGINT NOT NULL,
  received_at BIGINT NOT NULL,
  model TEXT,
  version TEXT,
  instance TEXT,
  severity TEXT,
  message TEXT,
  attributes TEXT NOT NULL,
  PRIMARY KEY (project, id)
);
CREATE INDEX events_by_time ON events (project, ts);
-- A window row is rewritten by every batch that touches it: leave room on the page for HOT updates, and
-- keep the blob uncompressed (sketch bytes barely compress; pglz would cost CPU under the row lock).
CREATE TABLE windows (
  model_id INTEGER NOT NULL REFERENCES models (id),
  version TEXT NOT NULL,
  start_ms BIGINT NOT NULL,
  bucket_ms BIGINT NOT NULL,
  rev BIGINT NOT NULL,
  state BYTEA NOT NULL,
  PRIMARY KEY (model_id, version, start_ms)
) WITH (fillfactor = 50);
ALTER TABLE windows ALTER COLUMN state SET STORAGE EXTERNAL;
CREATE INDEX windows_by_start ON windows (model_id, start_ms);
CREATE TABLE leases (
  name TEXT PRIMARY KEY,
  holder TEXT NOT NULL,
  expires_at BIGINT NOT NULL,
  fence BIGINT NOT NULL
);
`,
  },
  {
    version: 2,
    name: 'engine state',
    sql: `
CREATE TABLE findings (
  project TEXT NOT NULL,
  fkey TEXT NOT NULL,
  model TEXT NOT NULL,
  detector TEXT NOT NULL,
  cause TEXT NOT NULL,
  version TEXT,
  instance TEXT,
  window_end BIGINT NOT NULL,
  recorded_at BIGINT NOT NULL,
  body TEXT NOT NULL,
  PRIMARY KEY (project, fkey)
);
CREATE INDEX findings_by_end ON findings (project, model, window_end);
CREATE TABLE evaluations (
  project TEXT NOT NULL,
  dedupe_key TEXT NOT NULL,
  window_start BIGINT NOT NULL,
  window_end BIGINT NOT NULL,
  model TEXT NOT NULL,
  expectation_id TEXT NOT NULL,
  status TEXT NOT NULL,
  body TEXT NOT NULL,
  PRIMARY KEY (project, dedupe_key, window_end, window_start)
);
CREATE INDEX evaluations_by_end ON evaluations (project, model, window_end);
CREATE TABLE incidents (
  project TEXT NOT NULL,
  id TEXT NOT NULL,
  dedupe_key TEXT NOT NULL,
  model TEXT NOT NULL,
  status TEXT NOT NULL,
  opened_at BIGINT NOT NULL,
  body TEXT NOT NULL,
  PRIMARY KEY (project, id)
);
CREATE INDEX incidents_by_opened ON incidents (project, opened_at);
CREATE INDEX incidents_by_status ON incidents (project, model, status);
CREATE TABLE model_expectations (
  project TEXT NOT NULL,
  model TEXT NOT NULL,
  body TEXT NOT NULL,
  updated_at BIGINT NOT NULL,
  PRIMARY KEY (project, model)
);
CREATE TABLE alert_deliveries (
  project TEXT NOT NULL,
  id TEXT NOT NULL,
  incident_id TEXT NOT NULL,
  status TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  body TEXT NOT NULL,
  PRIMARY KEY (project, id)
);
CREATE INDEX alert_deliveries_by_time ON alert_deliveries (project, created_at);
CREATE TABLE engine_cursors (
  project TEXT NOT NULL,
  model TEXT NOT NULL,
  window_ms BIGINT NOT NULL,
  last_window_end BIGINT NOT NULL,
  figures TEXT,
  updated_at BIGINT NOT NULL,
  PRIMARY KEY (project, model, window_ms)
);
`,
  },
  {
    version: 3,
    name: 'intended version history',
    // Each change of a model's intended version with the event time it takes effect (store/intended-history.ts).
    // The intended versions set before this migration are kept as changes from their version's registration.
    sql: `
CREATE TABLE intended_versions (
  seq BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  model_id INTEGER NOT NULL REFERENCES models (id),
  version TEXT NOT NULL,
  effective_at BIGINT NOT NULL,
  recorded_at BIGINT NOT NULL
);
CREATE INDEX intended_versions_by_model ON intended_versions (model_id, seq);
INSERT INTO intended_versions (model_id, version, effective_at, recorded_at)
  SELECT m.id, m.intended_version, coalesce(v.created_at, m.created_at), coalesce(v.created_at, m.created_at)
  FROM models m LEFT JOIN model_versions v ON v.model_id = m.id AND v.version = m.intended_version
  WHERE m.intended_version IS NOT NULL ORDER BY m.id;
`,
  },
];
