/**
 * Schema migrations of the SQLite engine, applied in order inside one transaction each and recorded in
 * `schema_migrations`. Never edit a shipped migration; add the next one.
 *
 * Tables are snake_case; the store maps them to camelCase records. Models get an integer id so that the
 * high-volume tables (predictions, labels, windows) carry a small key.
 */
export interface Migration {
  version: number;
  name: string;
  sql: string;
}

export const MIGRATIONS: readonly Migration[] = [
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
  created_at INTEGER NOT NULL,
  revoked_at INTEGER
);
CREATE TABLE models (
  id INTEGER PRIMARY KEY,
  project TEXT NOT NULL,
  name TEXT NOT NULL,
  description TEXT,
  task TEXT,
  window_ms INTEGER NOT NULL,
  bucket_ms INTEGER NOT NULL,
  allowed_lateness_ms INTEGER NOT NULL,
  intended_version TEXT,
  created_at INTEGER NOT NULL,
  latest_event_ms INTEGER,
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
  registered INTEGER NOT NULL,
  created_at INTEGER NOT NULL,
  PRIMARY KEY (model_id, version)
) WITHOUT ROWID;
CREATE TABLE reference_data (
  model_id INTEGER NOT NULL,
  version TEXT NOT NULL,
  info TEXT NOT NULL,
  profile BLOB NOT NULL,
  sample TEXT NOT NULL,
  column_kinds TEXT,
  PRIMARY KEY (model_id, version),
  FOREIGN KEY (model_id, version) REFERENCES model_versions (model_id, version)
) WITHOUT ROWID;
CREATE TABLE predictions (
  seq INTEGER PRIMARY KEY,
  model_id INTEGER NOT NULL REFERENCES models (id),
  id TEXT NOT NULL,
  version TEXT NOT NULL,
  artifact_hash TEXT,
  instance TEXT,
  ts INTEGER NOT NULL,
  received_at INTEGER NOT NULL,
  features TEXT NOT NULL,
  output TEXT,
  latency_ms REAL,
  status TEXT NOT NULL,
  error_kind TEXT
);
CREATE UNIQUE INDEX predictions_by_id ON predictions (model_id, id);
CREATE INDEX predictions_by_time ON predictions (model_id, ts);
CREATE TABLE labels (
  model_id INTEGER NOT NULL REFERENCES models (id),
  prediction_id TEXT NOT NULL,
  value TEXT NOT NULL,
  ts INTEGER NOT NULL,
  received_at INTEGER NOT NULL,
  time_to_label_ms INTEGER,
  PRIMARY KEY (model_id, prediction_id)
) WITHOUT ROWID;
CREATE TABLE feedback (
  model_id INTEGER NOT NULL REFERENCES models (id),
  id TEXT NOT NULL,
  prediction_id TEXT NOT NULL,
  item TEXT NOT NULL,
  position INTEGER,
  action TEXT NOT NULL,
  ts INTEGER NOT NULL,
  received_at INTEGER NOT NULL,
  instance TEXT,
  PRIMARY KEY (model_id, id)
) WITHOUT ROWID;
CREATE INDEX feedback_by_time ON feedback (model_id, ts);
CREATE TABLE heartbeats (
  seq INTEGER PRIMARY KEY,
  project TEXT NOT NULL,
  id TEXT NOT NULL,
  instance TEXT NOT NULL,
  model TEXT,
  version TEXT,
  artifact_hash TEXT,
  ts INTEGER NOT NULL,
  received_at INTEGER NOT NULL,
  interval_ms INTEGER,
  fingerprint TEXT,
  host TEXT NOT NULL,
  checks TEXT NOT NULL,
  sdk TEXT
);
CREATE UNIQUE INDEX heartbeats_by_id ON heartbeats (project, id);
CREATE INDEX heartbeats_by_time ON heartbeats (project, ts);
CREATE TABLE instances (
  project TEXT NOT NULL,
  instance TEXT NOT NULL,
  model TEXT,
  version TEXT,
  artifact_hash TEXT,
  first_seen INTEGER NOT NULL,
  last_seen INTEGER NOT NULL,
  heartbeats INTEGER NOT NULL,
  fingerprint TEXT,
  failed_checks TEXT NOT NULL,
  PRIMARY KEY (project, instance)
) WITHOUT ROWID;
CREATE TABLE events (
  seq INTEGER PRIMARY KEY,
  project TEXT NOT NULL,
  id TEXT NOT NULL,
  kind TEXT NOT NULL,
  ts INTEGER NOT NULL,
  received_at INTEGER NOT NULL,
  model TEXT,
  version TEXT,
  instance TEXT,
  severity TEXT,
  message TEXT,
  attributes TEXT NOT NULL
);
CREATE UNIQUE INDEX events_by_id ON events (project, id);
CREATE INDEX events_by_time ON events (project, ts);
CREATE TABLE windows (
  model_id INTEGER NOT NULL REFERENCES models (id),
  version TEXT NOT NULL,
  start_ms INTEGER NOT NULL,
  bucket_ms INTEGER NOT NULL,
  rev INTEGER NOT NULL,
  state BLOB NOT NULL,
  PRIMARY KEY (model_id, version, start_ms)
) WITHOUT ROWID;
CREATE INDEX windows_by_start ON windows (model_id, start_ms);
`,
  },
  {
    version: 2,
    name: 'leases',
    sql: `
CREATE TABLE leases (
  name TEXT PRIMARY KEY,
  holder TEXT NOT NULL,
  expires_at INTEGER NOT NULL,
  fence INTEGER NOT NULL
) WITHOUT ROWID;
`,
  },
  // --- engine state ---
  {
    version: 3,
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
  window_end INTEGER NOT NULL,
  recorded_at INTEGER NOT NULL,
  body TEXT NOT NULL,
  PRIMARY KEY (project, fkey)
) WITHOUT ROWID;
CREATE INDEX findings_by_end ON findings (project, model, window_end);
CREATE TABLE evaluations (
  project TEXT NOT NULL,
  dedupe_key TEXT NOT NULL,
  window_start INTEGER NOT NULL,
  window_end INTEGER NOT NULL,
  model TEXT NOT NULL,
  expectation_id TEXT NOT NULL,
  status TEXT NOT NULL,
  body TEXT NOT NULL,
  PRIMARY KEY (project, dedupe_key, window_end, window_start)
) WITHOUT ROWID;
CREATE INDEX evaluations_by_end ON evaluations (project, model, window_end);
CREATE TABLE incidents (
  project TEXT NOT NULL,
  id TEXT NOT NULL,
  dedupe_key TEXT NOT NULL,
  model TEXT NOT NULL,
  status TEXT NOT NULL,
  opened_at INTEGER NOT NULL,
  body TEXT NOT NULL,
  PRIMARY KEY (project, id)
) WITHOUT ROWID;
CREATE INDEX incidents_by_opened ON incidents (project, opened_at);
CREATE INDEX incidents_by_status ON incidents (project, model, status);
CREATE TABLE model_expectations (
  project TEXT NOT NULL,
  model TEXT NOT NULL,
  body TEXT NOT NULL,
  updated_at INTEGER NOT NULL,
  PRIMARY KEY (project, model)
) WITHOUT ROWID;
CREATE TABLE alert_deliveries (
  project TEXT NOT NULL,
  id TEXT NOT NULL,
  incident_id TEXT NOT NULL,
  status TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  body TEXT NOT NULL,
  PRIMARY KEY (project, id)
) WITHOUT ROWID;
CREATE INDEX alert_deliveries_by_time ON alert_deliveries (project, created_at);
CREATE TABLE engine_cursors (
  project TEXT NOT NULL,
  model TEXT NOT NULL,
  window_ms INTEGER NOT NULL,
  last_window_end INTEGER NOT NULL,
  figures TEXT,
  updated_at INTEGER NOT NULL,
  PRIMARY KEY (project, model, window_ms)
) WITHOUT ROWID;
`,
  },
  // --- end engine state ---
  {
    version: 4,
    name: 'intended version history',
    // Each change of a model's intended version with the event time it takes effect (store/intended-history.ts).
    // The intended versions set before this migration are kept as changes from their version's registration.
    sql: `
CREATE TABLE intended_versions (
  seq INTEGER PRIMARY KEY,
  model_id INTEGER NOT NULL REFERENCES models (id),
  version TEXT NOT NULL,
  effective_at INTEGER NOT NULL,
  recorded_at INTEGER NOT NULL
);
CREATE INDEX intended_versions_by_model ON intended_versions (model_id, seq);
INSERT INTO intended_versions (model_id, version, effective_at, recorded_at)
  SELECT m.id, m.intended_version, coalesce(v.created_at, m.created_at), coalesce(v.created_at, m.created_at)
  FROM models m LEFT JOIN model_versions v ON v.model_id = m.id AND v.version = m.intended_version
  WHERE m.intended_version IS NOT NULL ORDER BY m.id;
`,
  },
];
