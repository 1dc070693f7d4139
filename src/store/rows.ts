/**
 * Rows of the store's tables as its records (snake_case columns → camelCase fields), shared by the SQLite and
 * PostgreSQL engines, whose tables have the same columns.
 */
import type {
  Fingerprint,
  ModelSchemaSpec,
  ModelTask,
  Output,
  PredictionStatus,
  Role,
  Scalar,
  SdkStats,
  SelfCheck,
} from '../core/contract/index.js';
import type { IntendedChange } from './intended-history.js';
import type {
  EventRecord,
  HeartbeatRecord,
  InstanceRecord,
  ModelRecord,
  PredictionRecord,
  TokenRecord,
  VersionRecord,
} from './store.js';

export type Row = Record<string, unknown>;

export const str = (v: unknown): string => v as string;
export const strOrNull = (v: unknown): string | null =>
  v === null || v === undefined ? null : (v as string);
export const num = (v: unknown): number => Number(v);
export const numOrNull = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));
export const json = <T>(v: unknown): T => JSON.parse(v as string) as T;
export const jsonOrNull = <T>(v: unknown): T | null =>
  v === null || v === undefined ? null : (JSON.parse(v as string) as T);

export function toToken(r: Row): TokenRecord {
  return {
    id: str(r.id),
    project: str(r.project),
    role: str(r.role) as Role,
    label: strOrNull(r.label),
    createdAtMs: num(r.created_at),
    revokedAtMs: numOrNull(r.revoked_at),
  };
}

export function toModel(r: Row): ModelRecord {
  return {
    project: str(r.project),
    name: str(r.name),
    description: strOrNull(r.description),
    task: strOrNull(r.task) as ModelTask | null,
    windowMs: num(r.window_ms),
    bucketMs: num(r.bucket_ms),
    allowedLatenessMs: num(r.allowed_lateness_ms),
    intendedVersion: strOrNull(r.intended_version),
    createdAtMs: num(r.created_at),
    latestEventMs: numOrNull(r.latest_event_ms),
  };
}

/** `intended` is the model's intended version: a joined `intended_version` column unless given apart. */
export function toVersion(
  project: string,
  model: string,
  r: Row,
  intended: unknown = r.intended_version,
): VersionRecord {
  return {
    project,
    model,
    version: str(r.version),
    artifactHash: strOrNull(r.artifact_hash),
    description: strOrNull(r.description),
    validationMetrics: json(r.validation_metrics),
    fingerprint: jsonOrNull<Fingerprint>(r.fingerprint),
    schema: jsonOrNull<ModelSchemaSpec>(r.schema_json),
    intended: intended === r.version,
    // PostgreSQL answers a boolean, SQLite an integer.
    registered: r.registered === true || r.registered === 1 || r.registered === 1n,
    createdAtMs: num(r.created_at),
    reference: jsonOrNull(r.reference_info),
  };
}

export function toIntendedChange(r: Row): IntendedChange {
  return { version: str(r.version), effectiveAtMs: num(r.effective_at), recordedAtMs: num(r.recorded_at) };
}

export function toPrediction(model: string, r: Row): PredictionRecord {
  return {
    id: str(r.id),
    model,
    version: str(r.version),
    artifactHash: strOrNull(r.artifact_hash),
    instance: strOrNull(r.instance),
    timestampMs: num(r.ts),
    receivedAtMs: num(r.received_at),
    features: json(r.features),
    output: jsonOrNull<Output>(r.output),
    latencyMs: numOrNull(r.latency_ms),
    status: str(r.status) as PredictionStatus,
    errorKind: strOrNull(r.error_kind),
    label:
      r.label_value === null || r.label_value === undefined
        ? null
        : {
            value: json<Scalar>(r.label_value),
            timestampMs: num(r.label_ts),
            receivedAtMs: num(r.label_received_at),
            timeToLabelMs: num(r.label_ttl ?? num(r.label_ts) - num(r.ts)),
          },
  };
}

export function toEvent(r: Row): EventRecord {
  return {
    id: str(r.id),
    kind: str(r.kind),
    timestampMs: num(r.ts),
    receivedAtMs: num(r.received_at),
    model: strOrNull(r.model),
    version: strOrNull(r.version),
    instance: strOrNull(r.instance),
    severity: strOrNull(r.severity),
    message: strOrNull(r.message),
    attributes: json(r.attributes),
  };
}

export function toHeartbeat(r: Row): HeartbeatRecord {
  return {
    id: str(r.id),
    instance: str(r.instance),
    model: strOrNull(r.model),
    version: strOrNull(r.version),
    artifactHash: strOrNull(r.artifact_hash),
    timestampMs: num(r.ts),
    receivedAtMs: num(r.received_at),
    intervalMs: numOrNull(r.interval_ms),
    fingerprint: jsonOrNull<Fingerprint>(r.fingerprint),
    host: json(r.host),
    checks: json<SelfCheck[]>(r.checks),
    sdk: jsonOrNull<SdkStats>(r.sdk),
  };
}

export function toInstance(r: Row): InstanceRecord {
  return {
    instance: str(r.instance),
    model: strOrNull(r.model),
    version: strOrNull(r.version),
    artifactHash: strOrNull(r.artifact_hash),
    firstSeenMs: num(r.first_seen),
    lastSeenMs: num(r.last_seen),
    heartbeats: num(r.heartbeats),
    fingerprint: jsonOrNull<Fingerprint>(r.fingerprint),
    failedChecks: json(r.failed_checks),
  };
}
