/** Store records → wire shapes (epoch ms → ISO-8601 strings). One place per direction. */
import type {
  Instance,
  Model,
  ModelVersion,
  StoredEvent,
  StoredHeartbeat,
  StoredPrediction,
  TokenInfo,
} from '../core/contract/index.js';
import { toIso } from '../core/contract/index.js';
import type {
  EventRecord,
  HeartbeatRecord,
  InstanceRecord,
  ModelRecord,
  PredictionRecord,
  TokenRecord,
  VersionRecord,
} from '../store/store.js';

/** Latest event time less the allowed lateness; windows ending at or before it are complete. */
export function watermarkOf(m: ModelRecord): number | null {
  return m.latestEventMs === null ? null : m.latestEventMs - m.allowedLatenessMs;
}

export function modelToWire(m: ModelRecord): Model {
  const wm = watermarkOf(m);
  return {
    project: m.project,
    name: m.name,
    description: m.description,
    task: m.task,
    windowMs: m.windowMs,
    bucketMs: m.bucketMs,
    allowedLatenessMs: m.allowedLatenessMs,
    intendedVersion: m.intendedVersion,
    createdAt: toIso(m.createdAtMs),
    latestEventAt: m.latestEventMs === null ? null : toIso(m.latestEventMs),
    watermark: wm === null ? null : toIso(wm),
  };
}

export function versionToWire(v: VersionRecord): ModelVersion {
  return {
    model: v.model,
    version: v.version,
    artifactHash: v.artifactHash,
    description: v.description,
    validationMetrics: v.validationMetrics,
    fingerprint: v.fingerprint,
    schema: v.schema,
    intended: v.intended,
    registered: v.registered,
    createdAt: toIso(v.createdAtMs),
    reference:
      v.reference === null
        ? null
        : {
            rows: v.reference.rows,
            sampleRows: v.reference.sampleRows,
            columns: v.reference.columns,
            source: v.reference.source,
            uploadedAt: toIso(v.reference.uploadedAtMs),
          },
  };
}

export function predictionToWire(p: PredictionRecord): StoredPrediction {
  return {
    id: p.id,
    model: p.model,
    version: p.version,
    artifactHash: p.artifactHash,
    instance: p.instance,
    timestamp: toIso(p.timestampMs),
    receivedAt: toIso(p.receivedAtMs),
    features: p.features,
    output: p.output,
    latencyMs: p.latencyMs,
    status: p.status,
    errorKind: p.errorKind,
    label:
      p.label === null
        ? null
        : {
            value: p.label.value,
            timestamp: toIso(p.label.timestampMs),
            receivedAt: toIso(p.label.receivedAtMs),
            timeToLabelMs: p.label.timeToLabelMs,
          },
  };
}

export function eventToWire(e: EventRecord): StoredEvent {
  return {
    id: e.id,
    kind: e.kind,
    timestamp: toIso(e.timestampMs),
    receivedAt: toIso(e.receivedAtMs),
    model: e.model,
    version: e.version,
    instance: e.instance,
    severity: e.severity,
    message: e.message,
    attributes: e.attributes,
  };
}

export function heartbeatToWire(h: HeartbeatRecord): StoredHeartbeat {
  return {
    id: h.id,
    instance: h.instance,
    model: h.model,
    version: h.version,
    artifactHash: h.artifactHash,
    timestamp: toIso(h.timestampMs),
    receivedAt: toIso(h.receivedAtMs),
    intervalMs: h.intervalMs,
    fingerprint: h.fingerprint,
    host: h.host,
    checks: h.checks,
    sdk: h.sdk,
  };
}

export function instanceToWire(i: InstanceRecord): Instance {
  return {
    instance: i.instance,
    model: i.model,
    version: i.version,
    artifactHash: i.artifactHash,
    firstSeen: toIso(i.firstSeenMs),
    lastSeen: toIso(i.lastSeenMs),
    heartbeats: i.heartbeats,
    fingerprint: i.fingerprint,
    failedChecks: i.failedChecks,
  };
}

export function tokenToWire(t: TokenRecord): TokenInfo {
  return {
    id: t.id,
    project: t.project,
    role: t.role,
    label: t.label,
    createdAt: toIso(t.createdAtMs),
    revokedAt: t.revokedAtMs === null ? null : toIso(t.revokedAtMs),
  };
}
