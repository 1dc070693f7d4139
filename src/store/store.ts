/**
 * @module
 * The one storage interface of the collector. Engines (SQLite now, PostgreSQL later) implement it and
 * pass the same contract suite (`store-contract.suite.ts`). It is engine-neutral: every method is async,
 * rows come back as plain records (epoch-ms numbers, parsed JSON), and each unit of work that must be
 * atomic is one method (`ingestPredictions` stores the events, joins labels and merges the window
 * profiles in one transaction). A method that resolves has committed: the collector answers 200 only
 * after that.
 *
 * The store never reads the clock: callers pass `receivedAtMs` / `nowMs`. Leases are the exception: they
 * use the store's own clock, the one every process sharing the store agrees on.
 */
import type {
  ColumnKind,
  FeedbackEvent,
  Fingerprint,
  GenericEvent,
  Heartbeat,
  LabelEvent,
  ModelSchemaSpec,
  ModelTask,
  Output,
  PredictionEvent,
  PredictionStatus,
  Role,
  Scalar,
  SdkStats,
  SelfCheck,
} from '../core/contract/index.js';
// --- engine state (imports) ---
import type { Evaluation, EvaluationStatus } from '../core/expectations/evaluate.js';
import type { ModelExpectationsInput } from '../core/expectations/schema.js';
import type { WindowFigures } from '../core/expectations/window-figures.js';
import type { Cause, Finding } from '../core/findings/finding.js';
import type { Incident, IncidentStatus } from '../core/incidents/incident.js';
// --- end engine state (imports) ---
import type { IntendedChange } from './intended-history.js';
import type { WindowState } from './window-state.js';

/** An event whose time is known (the collector fills a missing `timestamp` with the arrival time). */
export type Timed<E extends { timestamp?: number | undefined }> = Omit<E, 'timestamp'> & {
  timestamp: number;
};

export interface TokenRecord {
  id: string;
  project: string;
  role: Role;
  label: string | null;
  createdAtMs: number;
  revokedAtMs: number | null;
}

export interface NewToken {
  id: string;
  project: string;
  role: Role;
  label: string | null;
  /** sha-256 (hex) of the secret; the secret itself is never stored. */
  hash: string;
  createdAtMs: number;
}

export interface ModelSpec {
  name: string;
  description?: string | undefined;
  task?: ModelTask | undefined;
  windowMs?: number | undefined;
  bucketMs?: number | undefined;
  allowedLatenessMs?: number | undefined;
}

export interface ModelRecord {
  project: string;
  name: string;
  description: string | null;
  task: ModelTask | null;
  windowMs: number;
  /** Storage grain of windows; `windowMs` is a multiple of it and buckets roll up into windows. */
  bucketMs: number;
  allowedLatenessMs: number;
  /** The current intended version: the change with the latest effective time (`intended-history.ts`). */
  intendedVersion: string | null;
  createdAtMs: number;
  /** Latest event time seen for the model (predictions, labels, feedback), or null before the first. */
  latestEventMs: number | null;
}

export interface VersionSpec {
  version: string;
  artifactHash: string;
  description?: string | undefined;
  validationMetrics?: Record<string, number> | undefined;
  fingerprint?: Fingerprint | undefined;
  schema?: ModelSchemaSpec | undefined;
  /** Make it the intended deployment from `nowMs` on (the registration's time). */
  intended?: boolean | undefined;
}

export interface ReferenceInfoRecord {
  rows: number;
  sampleRows: number;
  columns: string[];
  source: 'csv' | 'ndjson' | 'profile';
  uploadedAtMs: number;
}

/** A reference (training) data set kept as a mergeable profile blob and a bounded sample of rows. */
export interface ReferenceRecord {
  info: ReferenceInfoRecord;
  profile: Uint8Array;
  sample: Record<string, unknown>[];
  columnKinds?: Record<string, ColumnKind> | undefined;
}

export interface VersionRecord {
  project: string;
  model: string;
  version: string;
  artifactHash: string | null;
  description: string | null;
  validationMetrics: Record<string, number>;
  fingerprint: Fingerprint | null;
  schema: ModelSchemaSpec | null;
  intended: boolean;
  /** False while the version is known only from traffic (first seen in a prediction). */
  registered: boolean;
  createdAtMs: number;
  reference: ReferenceInfoRecord | null;
}

export interface IngestOutcome {
  /** Events stored by this call. */
  accepted: number;
  /** Events whose id was already stored (earlier or earlier in this batch); not counted twice. */
  duplicates: number;
}

export interface LabelRecord {
  value: Scalar;
  timestampMs: number;
  receivedAtMs: number;
  timeToLabelMs: number;
}

export interface PredictionRecord {
  id: string;
  model: string;
  version: string;
  artifactHash: string | null;
  instance: string | null;
  timestampMs: number;
  receivedAtMs: number;
  features: Record<string, number | string | boolean | null>;
  output: Output | null;
  latencyMs: number | null;
  status: PredictionStatus;
  errorKind: string | null;
  label: LabelRecord | null;
}

export interface EventRecord {
  id: string;
  kind: string;
  timestampMs: number;
  receivedAtMs: number;
  model: string | null;
  version: string | null;
  instance: string | null;
  severity: string | null;
  message: string | null;
  attributes: Record<string, Scalar | null>;
}

export interface HeartbeatRecord {
  id: string;
  instance: string;
  model: string | null;
  version: string | null;
  artifactHash: string | null;
  timestampMs: number;
  receivedAtMs: number;
  intervalMs: number | null;
  fingerprint: Fingerprint | null;
  host: Record<string, number | null>;
  checks: SelfCheck[];
  sdk: SdkStats | null;
}

export interface InstanceRecord {
  instance: string;
  model: string | null;
  version: string | null;
  artifactHash: string | null;
  firstSeenMs: number;
  lastSeenMs: number;
  heartbeats: number;
  fingerprint: Fingerprint | null;
  failedChecks: string[];
}

/** One stored bucket of one model version: `[startMs, startMs + bucketMs)` in event time. */
export interface WindowRecord {
  model: string;
  version: string;
  startMs: number;
  bucketMs: number;
  state: WindowState;
}

/** The answer of `tryAcquireLease`. */
export interface LeaseResult {
  /** True when the caller holds the lease now (newly taken or renewed). */
  acquired: boolean;
  /** Who holds it now: the caller when `acquired`, else the current holder. */
  holder: string;
  /** When the current holding ends unless renewed (epoch ms on the store's clock). */
  expiresAtMs: number;
  /** Grows by one each time the lease passes to a new holder: a fencing token for the work it guards. */
  fence: number;
}

export interface TimeRange {
  fromMs?: number | undefined;
  toMs?: number | undefined;
  limit: number;
}

// --- analysis reads ---

/** The operational facts of one prediction (no features, output or label): what per-instance serving stats need. */
export interface ServingRow {
  version: string;
  artifactHash: string | null;
  instance: string | null;
  timestampMs: number;
  latencyMs: number | null;
  status: PredictionStatus;
  errorKind: string | null;
}

/** One stored feedback event (recommenders): what was shown or done with an item of a prediction. */
export interface FeedbackRecord {
  id: string;
  predictionId: string;
  item: Scalar;
  position: number | null;
  action: string;
  timestampMs: number;
  instance: string | null;
}

// --- end analysis reads ---

// --- engine state ---

/** A stored finding: its stable key (detector, cause, subject and window), the finding and when it was stored. */
export interface StoredFinding {
  key: string;
  finding: Finding;
  recordedAtMs: number;
}

/** The stable key of a finding: the same detector, cause, subject and window always give the same key, so a
 * window analysed twice (a restart, a replay) stores its findings once. */
export function findingKey(f: Finding): string {
  const s = f.subject;
  return [
    f.detector,
    f.cause,
    s.model,
    s.version ?? '',
    s.instance ?? '',
    s.feature ?? '',
    s.dependency ?? '',
    s.slice ?? '',
    f.window.startMs,
    f.window.endMs,
  ].join('|');
}

export interface FindingQuery extends TimeRange {
  model?: string | undefined;
  cause?: Cause | undefined;
  detector?: string | undefined;
  version?: string | undefined;
  instance?: string | undefined;
}

export interface EvaluationQuery extends TimeRange {
  model?: string | undefined;
  expectationId?: string | undefined;
  status?: EvaluationStatus | undefined;
}

export interface IncidentQuery {
  model?: string | undefined;
  /** Any of these statuses (all when absent or empty). */
  status?: readonly IncidentStatus[] | undefined;
  /** Opened at or after / before (event time of the opening). */
  fromMs?: number | undefined;
  toMs?: number | undefined;
  limit: number;
}

/** Expectations set for one model through the API (`PUT /v1/models/:model/expectations`). */
export interface ModelExpectationsRecord {
  model: string;
  input: ModelExpectationsInput;
  updatedAtMs: number;
}

export type AlertFormat = 'json' | 'slack';
export type AlertDeliveryStatus = 'pending' | 'retrying' | 'delivered' | 'failed' | 'printed';

/** One delivery of one incident change to one receiver, with every attempt's outcome. */
export interface AlertDeliveryRecord {
  /** Unique per alert and receiver: `<alertId>@<target>`. */
  id: string;
  /** The change's stable id (`incident:kind:atMs`). */
  alertId: string;
  incidentId: string;
  model: string;
  /** `opened`, `updated`, `acknowledged` or `resolved`. */
  change: string;
  /** The receiver's URL, or `stdout` for a dry run. */
  target: string;
  format: AlertFormat;
  status: AlertDeliveryStatus;
  attempts: number;
  /** HTTP status of the last attempt; null when it never got an answer. */
  lastStatusCode: number | null;
  lastError: string | null;
  createdAtMs: number;
  updatedAtMs: number;
  nextAttemptAtMs: number | null;
  /** The body sent (webhook JSON or Slack message). */
  payload: unknown;
}

/** How far the evaluation pipeline has gone for one model and one window length, and the latest figures. */
export interface EngineCursorRecord {
  model: string;
  windowMs: number;
  /** End of the last window evaluated (event time). */
  lastWindowEndMs: number;
  /** Figures of that window (for `/metrics`); null when none were kept. */
  figures: WindowFigures | null;
  updatedAtMs: number;
}

/** What the pipeline keeps after evaluating one window, written at once. */
export interface EngineStep {
  findings: readonly Finding[];
  evaluations: readonly Evaluation[];
  /** Incidents created or changed by this step (upserted by id). */
  incidents: readonly Incident[];
  cursor: EngineCursorRecord;
  /**
   * The cursor this step continues from (`lastWindowEndMs` of the model's cursor for `cursor.windowMs`, null when
   * there is none yet). When given, the step is stored only if the stored cursor still says so: a process that
   * evaluated the same window first wins, and the late one stores nothing. Left out, the step is stored anyway.
   */
  previousWindowEndMs?: number | null | undefined;
  recordedAtMs: number;
}

/**
 * What the evaluation pipeline keeps: findings, evaluations, incidents, expectations set through the API, alert
 * deliveries and how far each model has been evaluated. An engine implements it next to `Store` and passes
 * `runEngineStateContract` (store-contract.suite.ts).
 */
export interface EngineStateStore {
  /** Every project that has a model, sorted. */
  listProjects(): Promise<string[]>;
  /**
   * Stores the outcome of evaluating one window in one transaction: findings (once per `findingKey`),
   * evaluations (one per dedupe key and window, replaced when evaluated again), incidents (upserted by id) and
   * the model's cursor for the window length. Resolves false, having written nothing, when
   * `step.previousWindowEndMs` is given and the stored cursor has moved on (another process stored this window).
   */
  saveEngineStep(project: string, step: EngineStep): Promise<boolean>;
  /** Findings, newest window end first; `fromMs`/`toMs` bound the window end (`fromMs ≤ end < toMs`). */
  listFindings(project: string, query: FindingQuery): Promise<StoredFinding[]>;
  /** Evaluations, newest window end first; `fromMs`/`toMs` bound the window end. */
  listEvaluations(project: string, query: EvaluationQuery): Promise<Evaluation[]>;
  /** The latest evaluation of each dedupe key (model, expectation, version scope). */
  latestEvaluations(project: string, query: { model?: string | undefined }): Promise<Evaluation[]>;
  getIncident(project: string, id: string): Promise<Incident | null>;
  /** Incidents, most recently opened first. */
  listIncidents(project: string, query: IncidentQuery): Promise<Incident[]>;
  /** Replaces a stored incident (acknowledgement, manual resolution). */
  putIncident(project: string, incident: Incident): Promise<void>;
  putModelExpectations(project: string, record: ModelExpectationsRecord): Promise<void>;
  /** False when the model had no expectations set through the API. */
  deleteModelExpectations(project: string, model: string): Promise<boolean>;
  listModelExpectations(project: string): Promise<ModelExpectationsRecord[]>;
  /** Creates or replaces a delivery (by id). */
  putAlertDelivery(project: string, delivery: AlertDeliveryRecord): Promise<void>;
  /** Deliveries, newest first. */
  listAlertDeliveries(
    project: string,
    query: { incidentId?: string | undefined; status?: AlertDeliveryStatus | undefined; limit: number },
  ): Promise<AlertDeliveryRecord[]>;
  listEngineCursors(project: string, query: { model?: string | undefined }): Promise<EngineCursorRecord[]>;
}

// --- end engine state ---

export interface Store {
  /** Engine name for health answers: `sqlite`, `postgres`. */
  readonly engine: string;
  close(): Promise<void>;

  insertToken(token: NewToken): Promise<void>;
  /** The live (not revoked) token with this hash, or null. */
  findTokenByHash(hash: string): Promise<TokenRecord | null>;
  listTokens(project: string): Promise<TokenRecord[]>;
  /** Revokes a token of `project`; false when there is no such live token. */
  revokeToken(project: string, id: string, atMs: number): Promise<boolean>;
  /** Tokens ever created (revoked included); zero means a fresh store. */
  countTokens(): Promise<number>;

  /** Creates the model or updates the settings given; returns the stored model. */
  upsertModel(project: string, spec: ModelSpec, nowMs: number): Promise<ModelRecord>;
  getModel(project: string, name: string): Promise<ModelRecord | null>;
  listModels(project: string): Promise<ModelRecord[]>;
  /**
   * Registers a version (creating the model with defaults if needed). Re-registering with the same
   * artifact hash updates metadata; a different hash for a registered version throws
   * `registry.version_conflict`.
   */
  registerVersion(
    project: string,
    model: string,
    spec: VersionSpec,
    nowMs: number,
  ): Promise<{ version: VersionRecord; created: boolean }>;
  getVersion(project: string, model: string, version: string): Promise<VersionRecord | null>;
  listVersions(project: string, model: string): Promise<VersionRecord[]>;
  /**
   * Makes `version` the intended deployment from event time `effectiveAtMs` on, keeping the earlier changes
   * (`intended-history.ts`: a change that alters nothing is not kept). Throws when model or version is unknown.
   */
  setIntendedVersion(
    project: string,
    model: string,
    version: string,
    change: { effectiveAtMs: number; recordedAtMs: number },
  ): Promise<void>;
  /** Every kept change of the model's intended version, in recording order ([] for an unknown model). */
  listIntendedVersions(project: string, model: string): Promise<IntendedChange[]>;
  putReference(project: string, model: string, version: string, reference: ReferenceRecord): Promise<void>;
  getReference(project: string, model: string, version: string): Promise<ReferenceRecord | null>;

  /**
   * Stores predictions, creating model and versions on first sight, joins labels that arrived first,
   * merges each event into its window bucket (by event time) and advances the model's latest event time,
   * all in one transaction.
   */
  ingestPredictions(
    project: string,
    model: string,
    events: Timed<PredictionEvent>[],
    receivedAtMs: number,
  ): Promise<IngestOutcome>;
  /** Stores labels (one per prediction id) and joins each to its prediction and window when present. */
  ingestLabels(
    project: string,
    model: string,
    labels: Timed<LabelEvent>[],
    receivedAtMs: number,
  ): Promise<IngestOutcome>;
  ingestFeedback(
    project: string,
    model: string,
    events: Timed<FeedbackEvent>[],
    receivedAtMs: number,
  ): Promise<IngestOutcome>;
  ingestHeartbeats(project: string, beats: Timed<Heartbeat>[], receivedAtMs: number): Promise<IngestOutcome>;
  ingestEvents(project: string, events: Timed<GenericEvent>[], receivedAtMs: number): Promise<IngestOutcome>;

  getPrediction(project: string, model: string, id: string): Promise<PredictionRecord | null>;
  listPredictions(
    project: string,
    model: string,
    query: TimeRange & { version?: string | undefined; instance?: string | undefined },
  ): Promise<PredictionRecord[]>;
  /** Stored buckets, oldest first, of a model (optionally one version) with start in [fromMs, toMs). */
  listWindows(
    project: string,
    model: string,
    query: TimeRange & { version?: string | undefined },
  ): Promise<WindowRecord[]>;
  listEvents(
    project: string,
    query: TimeRange & {
      kind?: string | undefined;
      model?: string | undefined;
      instance?: string | undefined;
    },
  ): Promise<EventRecord[]>;
  listHeartbeats(
    project: string,
    query: TimeRange & { model?: string | undefined; instance?: string | undefined },
  ): Promise<HeartbeatRecord[]>;
  listInstances(project: string, query: { model?: string | undefined }): Promise<InstanceRecord[]>;

  // --- analysis reads ---
  /** Operational facts of predictions with event time in [fromMs, toMs), oldest first, at most `limit`. */
  listServingRows(
    project: string,
    model: string,
    query: TimeRange & { version?: string | undefined },
  ): Promise<ServingRow[]>;
  /** Feedback events with event time in [fromMs, toMs), oldest first, at most `limit`. */
  listFeedback(project: string, model: string, query: TimeRange): Promise<FeedbackRecord[]>;
  // --- end analysis reads ---

  /**
   * Takes (or renews) the lease `name` for `ttlMs` when it is free, expired or already held by `holder`;
   * otherwise reports who holds it. Lets scheduled work (detection, alerting) run once per window across
   * every process sharing the store. Time is the store's own clock (the database server's for
   * PostgreSQL), so holders on machines whose clocks disagree still agree.
   */
  tryAcquireLease(name: string, holder: string, ttlMs: number): Promise<LeaseResult>;
  /** Ends `holder`'s holding of `name` now; false when `holder` does not hold it. */
  releaseLease(name: string, holder: string): Promise<boolean>;
}
